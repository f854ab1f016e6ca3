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


def _column_path(op: Any) -> str:
    return f"{op.table_name}.{op.column_name}" if hasattr(op, "column_name") else f"{op.table_name}.{op.column.name}"


def _log_lines(op: Any) -> list[str]:
    """Alembic's ``Detected ...`` log messages for one record (the wording its users know)."""
    from limbeck.operations import ops

    key = f"{op.schema}.{op.table_name}" if getattr(op, "schema", None) else getattr(op, "table_name", "")
    if isinstance(op, ops.CreateTableOp):
        return [f"Detected added table {key!r}"]
    if isinstance(op, ops.DropTableOp):
        return [f"Detected removed table {key!r}"]
    if isinstance(op, ops.AddColumnOp):
        return [f"Detected added column '{_column_path(op)}'"]
    if isinstance(op, ops.DropColumnOp):
        return [f"Detected removed column '{_column_path(op)}'"]
    if isinstance(op, ops.AlterColumnOp):
        lines = []
        if op.modify_nullable is not None:
            lines.append(f"Detected {'NULL' if op.modify_nullable else 'NOT NULL'} on column '{_column_path(op)}'")
        if op.modify_type is not None:
            lines.append(f"Detected type change from {op.existing_type!r} to {op.modify_type!r} on '{_column_path(op)}'")
        if op.modify_server_default is not False:
            lines.append(f"Detected server default on column '{_column_path(op)}'")
        if op.modify_comment is not False:
            lines.append(f"Detected column comment '{_column_path(op)}'")
        return lines
    if isinstance(op, ops.CreateIndexOp):
        cols = tuple(c if isinstance(c, str) else getattr(c, "name", str(c)) for c in op.columns)
        return [f"Detected added index {str(op.index_name)!r} on {str(cols)!r}"]
    if isinstance(op, ops.DropIndexOp):
        return [f"Detected removed index {str(op.index_name)!r} on {op.table_name!r}"]
    if isinstance(op, ops.CreateUniqueConstraintOp):
        return [f"Detected added unique constraint {str(op.constraint_name)!r} on {str(tuple(op.columns))!r}"]
    if isinstance(op, ops.CreateForeignKeyOp):
        local, remote = ", ".join(op.local_cols), ", ".join(op.remote_cols)
        return [f"Detected added foreign key ({local}) on table {op.source_table} to {op.referent_table}({remote})"]
    if isinstance(op, ops.CreateCheckConstraintOp):
        return [f"Detected added check constraint {str(op.constraint_name)!r} on {op.table_name!r}"]
    if isinstance(op, ops.DropConstraintOp):
        kind = {"unique": "unique constraint", "foreignkey": "foreign key", "check": "check constraint",
                "primary": "primary key"}.get(
            op.constraint_type or "", "constraint")
        return [f"Detected removed {kind} {str(op.constraint_name)!r} on {op.table_name!r}"]
    if isinstance(op, (ops.CreateTableCommentOp, ops.DropTableCommentOp)):
        return [f"Detected table comment change on {key!r}"]
    if isinstance(op, ops.CreatePrimaryKeyOp):
        return [f"Detected primary key ({', '.join(op.columns)}) on {op.table_name!r}"]
    from limbeck.autogenerate.records import EnumValuesOp

    if isinstance(op, EnumValuesOp):
        return [f"Detected values of enum {op.type_name!r}: {op.old_values} -> {op.new_values}"]
    return []


def log_changes(container: Any) -> None:
    """Log each change at INFO on ``limbeck.autogenerate.compare``, as Alembic logs its findings.

    (``alembic.autogenerate.compare`` under ``LIMBECK_AS_ALEMBIC=1``: see :func:`limbeck.compat.logger_name`.)
    """
    import logging

    from limbeck.compat import logger_name
    from limbeck.operations.containers import OpContainer

    log = logging.getLogger(logger_name("limbeck.autogenerate.compare"))
    if not log.isEnabledFor(logging.INFO):
        return
    for op in container.ops:
        if isinstance(op, OpContainer):
            log_changes(op)
            continue
        for line in _log_lines(op):
            log.info(line)
