"""Diff entries as short sentences, for ``check`` and for the log.

``compare_metadata`` returns Alembic's diff tuples (SQLAlchemy objects
inside), whose ``repr`` is unreadable in a terminal; ``check`` lists them
one per line instead: ``add_column keep.c (INTEGER)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _qualified(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _table_of(obj: Any) -> str:
    try:
        table = obj.table
    except Exception:  # noqa: BLE001 - a constraint not attached to a table
        table = None
    if table is None:
        return "?"
    return _qualified(table.schema, table.name)


def _name(obj: Any) -> str:
    from sqlalchemy.sql.base import _NoneName

    name = getattr(obj, "name", None)
    if name is None or isinstance(name, _NoneName):
        cols = ", ".join(c.name for c in getattr(obj, "columns", ()))
        return f"(unnamed: {cols})" if cols else "(unnamed)"
    return str(name)


def _type_text(type_: Any) -> str:
    try:
        return str(type_.compile())
    except Exception:  # noqa: BLE001 - a dialect-only type: its repr is still informative
        return repr(type_)


def describe_diff(diff: Any) -> list[str]:
    """One line per change (a column's grouped ``modify_*`` entries give several)."""
    if isinstance(diff, list):
        return [line for item in diff for line in describe_diff(item)]
    kind = diff[0]
    if kind in ("add_table", "remove_table"):
        table = diff[1]
        return [f"{kind} {_qualified(table.schema, table.name)}"]
    if kind in ("add_column", "remove_column"):
        _, schema, tname, column = diff
        return [f"{kind} {_qualified(schema, tname)}.{column.name} ({_type_text(column.type)})"]
    if kind == "modify_enum":
        _, schema, name, old, new = diff
        return [f"{kind} {_qualified(schema, name)}: {', '.join(old)} -> {', '.join(new)}"]
    if kind.startswith("modify_"):
        _, schema, tname, cname, _facts, old, new = diff
        where = f"{_qualified(schema, tname)}.{cname}"
        if kind == "modify_type":
            old, new = _type_text(old), _type_text(new)
        elif kind == "modify_default":
            old, new = _default_text(old), _default_text(new)
        return [f"{kind} {where}: {old!s} -> {new!s}"]
    if kind in ("add_table_comment", "remove_table_comment"):
        table = diff[1]
        return [f"{kind} {_qualified(table.schema, table.name)}"]
    if len(diff) == 2:
        return [f"{kind} {_name(diff[1])} on {_table_of(diff[1])}"]
    return [kind]


def _default_text(default: Any) -> str:
    if default is None or default is False:
        return "None"
    arg = getattr(default, "arg", default)
    return str(getattr(arg, "text", arg))


def describe_diffs(diffs: Sequence[Any]) -> list[str]:
    return [line for diff in diffs for line in describe_diff(diff)]


__all__ = ["describe_diff", "describe_diffs"]


#: the part of Alembic's ``alembic.autogenerate.compare.<part>`` logger each kind of finding is logged on
TABLES, TYPES, DEFAULTS, COMMENTS, CONSTRAINTS = "tables", "types", "server_defaults", "comments", "constraints"


def _log_lines(op: Any, default_schema: str | None = None) -> list[tuple[str, str]]:
    """Alembic's ``Detected ...`` messages for one record, each with its logger part (see :data:`TABLES`).

    The wording is Alembic 1.20's (users read it, and tests match it): an added
    or removed column is named with the table's schema, a changed one without;
    an index's or unique constraint's columns as a tuple; a foreign key by its
    columns. Alembic logs nothing for a table comment, nor a changed server
    default in these words (its message holds an object's address): limbeck
    logs the latter plainly. Findings beyond Alembic's (check constraints,
    primary keys, enum values) are logged in the same style.
    """
    from limbeck.operations import ops

    schema = getattr(op, "schema", None)
    if schema is not None and schema == default_schema:
        schema = None  # Alembic compares the default schema as None, and names its tables bare
    table = getattr(op, "table_name", "")
    key = f"{schema}.{table}" if schema else table
    if isinstance(op, ops.CreateTableOp):
        return [(TABLES, f"Detected added table {key!r}")]
    if isinstance(op, ops.DropTableOp):
        return [(TABLES, f"Detected removed table {key!r}")]
    if isinstance(op, ops.AddColumnOp):
        return [(TABLES, f"Detected added column '{key}.{op.column.name}'")]
    if isinstance(op, ops.DropColumnOp):
        return [(TABLES, f"Detected removed column '{key}.{op.column_name}'")]
    if isinstance(op, ops.AlterColumnOp):
        where = f"'{table}.{op.column_name}'"
        lines = []
        if op.modify_nullable is not None:
            lines.append((CONSTRAINTS, f"Detected {'NULL' if op.modify_nullable else 'NOT NULL'} on column {where}"))
        if op.modify_type is not None:
            lines.append((TYPES, f"Detected type change from {op.existing_type!r} to {op.modify_type!r} on {where}"))
        if op.modify_server_default is not False:
            lines.append((DEFAULTS, f"Detected server default on column {where}"))
        if op.modify_comment is not False:
            lines.append((COMMENTS, f"Detected column comment {where}"))
        return lines
    if isinstance(op, ops.CreateIndexOp):
        return [(CONSTRAINTS, f"Detected added index {_named(op.index_name)} on '{_column_names(op.columns)}'")]
    if isinstance(op, ops.DropIndexOp):
        return [(CONSTRAINTS, f"Detected removed index {_named(op.index_name)} on {table!r}")]
    if isinstance(op, ops.CreateUniqueConstraintOp):
        columns = _column_names(op.columns)
        return [(CONSTRAINTS, f"Detected added unique constraint {_named(op.constraint_name)} on '{columns}'")]
    if isinstance(op, ops.CreateForeignKeyOp):
        return [(CONSTRAINTS, _foreign_key_line("added", op))]
    if isinstance(op, ops.CreateCheckConstraintOp):
        return [(CONSTRAINTS, f"Detected added check constraint {_named(op.constraint_name)} on {table!r}")]
    if isinstance(op, ops.DropConstraintOp):
        reverse = getattr(op, "_reverse", None)
        if op.constraint_type == "foreignkey" and isinstance(reverse, ops.CreateForeignKeyOp):
            return [(CONSTRAINTS, _foreign_key_line("removed", reverse))]
        kind = {"unique": "unique constraint", "foreignkey": "foreign key", "check": "check constraint",
                "primary": "primary key"}.get(op.constraint_type or "", "constraint")
        return [(CONSTRAINTS, f"Detected removed {kind} {_named(op.constraint_name)} on {table!r}")]
    if isinstance(op, ops.CreatePrimaryKeyOp):
        return [(CONSTRAINTS, f"Detected primary key ({', '.join(op.columns)}) on {table!r}")]
    from limbeck.autogenerate.records import EnumValuesOp

    if isinstance(op, EnumValuesOp):
        return [(TYPES, f"Detected values of enum {op.type_name!r}: {op.old_values} -> {op.new_values}")]
    return []


def _named(name: Any) -> str:
    """A constraint's or index's name as Alembic's ``%r`` shows it: quoted, or ``None`` when it has none."""
    from sqlalchemy.sql.base import _NoneName

    return "None" if name is None or isinstance(name, _NoneName) else repr(str(name))


def _column_names(columns: Sequence[Any]) -> str:
    """An index's columns as Alembic's message writes them: the tuple of their names (an
    expression's: the columns it reads)."""
    return str(tuple(name for element in columns for name in _element_names(element)))


def _element_names(element: Any) -> list[str]:
    from sqlalchemy.sql.elements import ColumnClause
    from sqlalchemy.sql.visitors import iterate

    name = _column_name(element)
    if name is not None:
        return [name]
    names = [str(e.name) for e in iterate(element) if isinstance(e, ColumnClause)]
    return names or [str(element)]


def _element_text(element: Any) -> str:
    """One index element as a comparison names it: a column's name, else the expression's SQL."""
    name = _column_name(element)
    return str(element) if name is None else name


def _column_name(element: Any) -> str | None:
    """The name an index element that is a plain column goes by (None for an expression)."""
    from sqlalchemy import Column

    if isinstance(element, str):
        return element
    return element.name if isinstance(element, Column) else None


def _foreign_key_line(what: str, op: Any) -> str:
    source = f"{op.schema}." if op.schema else ""  # the source table's schema
    return (f"Detected {what} foreign key ({', '.join(op.local_cols)})({', '.join(op.remote_cols)}) "
            f"on table {source}{op.source_table}")


def log_changes(container: Any, catalog: Any = None, default_schema: str | None = None) -> None:
    """Report each change as Alembic logs its findings: on the command line's stream while a
    command runs (:func:`limbeck.runtime.progress.cli_note`), else at INFO on
    ``limbeck.autogenerate.compare.<part>`` (``alembic.autogenerate.compare.<part>`` under
    ``LIMBECK_AS_ALEMBIC=1``: see :func:`limbeck.compat.logger_name`)."""
    import logging

    from limbeck.compat import logger_name
    from limbeck.operations.containers import OpContainer
    from limbeck.runtime.progress import cli_note

    changed = _changed(
        container.ops, bool(getattr(catalog, "index_changes_by_element", False)),
        tuple(getattr(catalog, "compared_index_options", ())),
    )
    for op in container.ops:
        if isinstance(op, OpContainer):
            log_changes(op, catalog, default_schema)
            continue
        lines = _log_lines(op, default_schema) if id(op) not in changed else changed[id(op)]
        for part, line in lines:
            if not cli_note(line):
                logging.getLogger(logger_name(f"limbeck.autogenerate.compare.{part}")).info(line)


def _changed(
    records: Sequence[Any], by_element: bool = False, options: tuple[str, ...] = (),
) -> dict[int, list[tuple[str, str]]]:
    """Alembic's one ``Detected changed ...`` line for an index or unique constraint dropped and made again.

    Keyed by the records' ids: the drop gets the line, the create none. What
    changed is said as Alembic's comparison says it (``unique=False to
    unique=True``, ``expression ('x',) to ('x', 'y')``), from the record the
    drop reverses; without it, the two records are logged as they are.
    """
    from limbeck.operations import ops

    creates: dict[tuple[str, str], Any] = {}
    for op in records:
        if isinstance(op, ops.CreateIndexOp) and op.index_name is not None:
            creates[("index", str(op.index_name))] = op
        elif isinstance(op, ops.CreateUniqueConstraintOp) and op.constraint_name is not None:
            creates[("unique", str(op.constraint_name))] = op
    out: dict[int, list[tuple[str, str]]] = {}
    new: Any
    for op in records:
        old = getattr(op, "_reverse", None)
        if isinstance(op, ops.DropIndexOp) and isinstance(old, ops.CreateIndexOp):
            new = creates.get(("index", str(op.index_name)))
            if new is None:
                continue
            parts = []
            if bool(old.unique) != bool(new.unique):
                parts.append(f"unique={bool(old.unique)} to unique={bool(new.unique)}")
            if by_element:
                # as Alembic's element-by-element comparison: a changed uniqueness or number of
                # elements is the whole story (it goes no further), else each element that differs
                if len(old.columns) != len(new.columns):
                    parts.append(f"expression number {len(old.columns)} to {len(new.columns)}")
                elif not parts:
                    parts += _element_changes(old.columns, new.columns)
            else:
                before, after = _column_names(old.columns), _column_names(new.columns)
                if before != after:
                    parts.append(f"expression {before} to {after}")
            old_options, new_options = _options(old, options), _options(new, options)
            if old_options != new_options:
                parts.append(f"options {old_options} to {new_options}")
            what = f"index {_named(op.index_name)}"
        elif (isinstance(op, ops.DropConstraintOp) and op.constraint_type == "unique"
              and isinstance(old, ops.CreateUniqueConstraintOp)):
            new = creates.get(("unique", str(op.constraint_name)))
            if new is None:
                continue
            before, after = _column_names(old.columns), _column_names(new.columns)
            if before == after:  # an option the database reflects changed (NULLS NOT DISTINCT)
                before, after = str(_options(old, options)), str(_options(new, options))
            parts = [f"expression {before} to {after}"] if before != after else []
            what = f"unique constraint {_named(op.constraint_name)}"
        else:
            continue
        if not parts:
            continue
        out[id(op)] = [(CONSTRAINTS, f"Detected changed {what} on {op.table_name!r}: {', '.join(parts)}")]
        out[id(new)] = []
    return out


def _element_changes(old: Sequence[Any], new: Sequence[Any]) -> list[str]:
    """A changed index's elements (as many on each side) in the words of an element-by-element comparison."""
    return [
        f"expression #{position} {before!r} to {after!r}"
        for position, (before, after) in enumerate(zip(map(_element_text, old), map(_element_text, new)), 1)
        if before != after
    ]


def _options(record: Any, compared: tuple[str, ...]) -> tuple[str, ...]:
    """The compared dialect options set on an index or unique constraint, without the dialect's prefix."""
    kw = getattr(record, "kw", None) or {}
    return tuple(key.split("_", 1)[1] for key in compared if kw.get(key))
