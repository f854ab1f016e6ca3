"""Schema objects as Python source: columns, server defaults, constraints, names.

A name SQLAlchemy marks as final (``conv``: produced by a naming convention,
or reflected from the database) is written ``op.f("name")`` so the naming
convention is not applied to it a second time when the migration runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.render.source import (
    Call,
    Node,
    Raw,
    Seq,
    call,
    literal,
    pystr,
)
from limbeck.autogenerate.render.types import render_type, sa_prefix

if TYPE_CHECKING:
    from sqlalchemy import Column, Constraint, MetaData

    from limbeck.autogenerate.api import AutogenContext


def op_prefix(ctx: AutogenContext) -> str:
    """``batch_op.`` inside a batch block, else the configured ``alembic_module_prefix``."""
    if ctx._has_batch:
        return "batch_op."
    return str(ctx.opts.get("alembic_module_prefix", "op.") or "")


def render_name(name: Any, ctx: AutogenContext) -> Node:
    """A constraint or index name: ``op.f(...)`` for final names, ``None`` for none."""
    from sqlalchemy.sql.elements import conv

    if name is None or _is_none_name(name):
        return Raw("None")
    if isinstance(name, conv):
        return call(f"{op_prefix(ctx)}f", Raw(pystr(str(name))))
    return Raw(pystr(str(name)))


def _is_none_name(name: Any) -> bool:
    from sqlalchemy.sql.base import _NoneName

    return isinstance(name, _NoneName)


def sql_text(element: Any, ctx: AutogenContext) -> str:
    """SQL text of an expression, compiled for the context's dialect with literal values."""
    from sqlalchemy.sql.elements import TextClause

    if isinstance(element, str):
        return element
    if isinstance(element, TextClause):
        return element.text
    compiled = element.compile(dialect=ctx.dialect, compile_kwargs={"literal_binds": True, "include_table": False})
    return str(compiled)


def render_expression(element: Any, ctx: AutogenContext, func: str = "text") -> Node:
    """``sa.text("...")`` (or ``sa.literal_column``) for a SQL expression; strings stay strings."""
    if isinstance(element, str):
        return Raw(pystr(element))
    return call(f"{sa_prefix(ctx)}{func}", Raw(pystr(sql_text(element, ctx))))


def render_server_default(default: Any, ctx: AutogenContext) -> Node:
    """A ``server_default=`` value: a plain string, or ``sa.text(...)`` for SQL."""
    from sqlalchemy import DefaultClause, FetchedValue

    hooked = ctx.render_item("server_default", default)
    if hooked is not False:
        return Raw(str(hooked))
    if _is_computed_or_identity(default):
        return render_generated(default, ctx)
    if isinstance(default, FetchedValue) and not isinstance(default, DefaultClause):
        # set by the database (a trigger, a generated value): nothing to write but that it is
        return call(f"{sa_prefix(ctx)}FetchedValue")
    arg = getattr(default, "arg", default)
    if isinstance(arg, str):
        # a quoted literal given with its quotes ("'abc'") is written as the string it is
        return Raw(pystr(_QUOTES.sub("", arg)))
    column = getattr(default, "column", None)
    text: str | None = None
    if column is not None and not hasattr(arg, "text"):
        # a SQL expression: written as the dialect's DDL writes it
        # SQLAlchemy types the statement as required; None (no statement) is how a bare DDL compiler is made
        compiler = ctx.dialect.ddl_compiler(ctx.dialect, None)  # type: ignore[arg-type]
        try:
            compiled = compiler.get_column_default_string(column)
        except Exception:  # noqa: BLE001 - not renderable by this dialect: fall back to the expression
            compiled = None
        text = None if compiled is None else str(compiled)
    if text is None:
        text = sql_text(arg, ctx)
    if ctx.catalog.expression_defaults_in_parentheses and unparenthesized(text):
        text = f"({text})"
    return call(f"{sa_prefix(ctx)}text", Raw(pystr(text)))


_QUOTES = re.compile(r"^'|'$")


def unparenthesized(text: str) -> bool:
    """An expression default SQLite needs in parentheses: not a digit, a quoted string or already grouped."""
    return bool(text) and not re.match(r"^[0-9.]$|^'.+'$|^\(.+\)$", text)


def _is_function(element: Any) -> bool:
    from sqlalchemy.sql.functions import FunctionElement

    return isinstance(element, FunctionElement)


def _is_computed_or_identity(default: Any) -> bool:
    from sqlalchemy import Computed, Identity

    return isinstance(default, (Computed, Identity))


_IDENTITY_OPTIONS = ("start", "increment", "minvalue", "maxvalue", "nominvalue", "nomaxvalue", "cycle", "cache", "order",
                     "on_null")


def render_generated(default: Any, ctx: AutogenContext) -> Node:
    """``sa.Computed(...)`` or ``sa.Identity(...)`` (a column's positional argument)."""
    from sqlalchemy import Computed

    if isinstance(default, Computed):
        kw: dict[str, Node] = {}
        if default.persisted is not None:
            kw["persisted"] = literal(default.persisted)
        computed = Raw(pystr(sql_text(default.sqltext, ctx)))
        return Call(f"{sa_prefix(ctx)}Computed", (computed,), tuple(kw.items()), form="trail")
    kw = {"always": literal(default.always)}  # None (the database's default) is not False
    as_dict = getattr(default, "_as_dict", None)
    if as_dict is not None:
        # SQLAlchemy 2.1: options as constructed, then the dialect's (oracle_on_null, oracle_order)
        options = {k: v for k, v in as_dict().items() if k != "always"}
        options.update(default.dialect_kwargs)
    else:
        options = {k: getattr(default, k, None) for k in _IDENTITY_OPTIONS}
    for option, value in options.items():
        if value is not None:
            kw[option] = literal(value)
    return call(f"{sa_prefix(ctx)}Identity", **kw)


def render_column(column: Column[Any], ctx: AutogenContext, *, in_primary_key: bool = False) -> Node | None:
    """``sa.Column("name", <type>, [Computed|Identity], ...)``; foreign keys are rendered apart.

    ``None`` when a ``render_item`` hook returns ``None`` for it: the column is left out.
    ``in_primary_key``: the column is written inside its table's ``create_table``, with the
    table's primary key; there a key column whose model never said ``nullable`` is ``NOT NULL``
    (SQLAlchemy's rule when the key joins the table, which Alembic's rendering goes through),
    also when the ORM set ``nullable`` from an ``Optional[...]`` annotation.
    """
    from sqlalchemy.sql.schema import NULL_UNSPECIFIED

    hooked = ctx.render_item("column", column)
    if hooked is not False:
        return None if hooked is None else Raw(str(hooked))
    args: list[Node] = [Raw(pystr(column.name)), render_type(column.type, ctx)]
    kw: dict[str, Node] = {}
    default = column.server_default
    if default is not None and _is_computed_or_identity(default):
        args.append(render_generated(default, ctx))
    elif default is not None:
        kw["server_default"] = render_server_default(default, ctx)
    if column.autoincrement is not None and column.autoincrement != "auto":
        # reflected columns say what the database does; a model's default ("auto") goes unsaid
        kw["autoincrement"] = literal(column.autoincrement)
    if column.nullable is not None:
        unsaid = column._user_defined_nullable is NULL_UNSPECIFIED
        kw["nullable"] = literal(bool(column.nullable) and not (in_primary_key and unsaid))
    if column.system:
        kw["system"] = literal(True)
    if column.comment is not None:
        kw["comment"] = literal(column.comment)
    for key, value in sorted(column.dialect_kwargs.items()):
        kw[key] = render_value(value, ctx)
    return Call(f"{sa_prefix(ctx)}Column", tuple(args), tuple(kw.items()), form="trail")


def render_value(value: Any, ctx: AutogenContext) -> Node:
    """A keyword value: SQL expressions as ``sa.text(...)``, plain values as literals."""
    from sqlalchemy import Column
    from sqlalchemy.sql.elements import ClauseElement

    if isinstance(value, Column):
        # a column named in an option (postgresql_include=[t.c.x]) is written by name
        return Raw(pystr(value.name))
    if isinstance(value, ClauseElement):
        return render_expression(value, ctx)
    if isinstance(value, (list, tuple)):
        return Seq(tuple(render_value(v, ctx) for v in value), "[]" if isinstance(value, list) else "()")
    return literal(value)


def column_names(columns: Iterable[Any]) -> Node:
    return Seq(tuple(Raw(pystr(c if isinstance(c, str) else c.name)) for c in columns))


def _constraint_kw(constraint: Constraint, ctx: AutogenContext, keys: Iterable[str], name_last: bool = False
                   ) -> dict[str, Node]:
    kw: dict[str, Node] = {}
    named = constraint.name is not None and not _is_none_name(constraint.name)
    if named and not name_last:
        kw["name"] = render_name(constraint.name, ctx)
    for key in keys:
        value = getattr(constraint, key, None)
        if value is not None and value is not False:
            kw[key] = literal(value)
    if named and name_last:
        kw["name"] = render_name(constraint.name, ctx)
    for key, value in sorted(constraint.dialect_kwargs.items()):
        kw[key] = render_value(value, ctx)
    return kw


def _hooked(ctx: AutogenContext, kind: str, constraint: Constraint) -> Node | None | bool:
    """A ``render_item`` hook's answer: a node, ``None`` (leave it out) or ``False`` (render it normally)."""
    hooked = ctx.render_item(kind, constraint)
    if hooked is False or hooked is None:
        return hooked
    return Raw(str(hooked))


def fk_colspec(element: Any, namespace: MetaData | None) -> str:
    """``[schema.]table.column`` a foreign key refers to, by the column's name (not its key).

    A model's ``MetaData(schema=...)`` applies to the referred table too when
    the spec names none, as SQLAlchemy resolves it.
    """
    spec = element._get_colspec().split(".")
    column, table, schema = spec[-1], spec[-2], ".".join(spec[:-2]) or None
    default_schema = namespace.schema if namespace is not None else None
    if schema is None and default_schema is not None:
        schema = default_schema
    fullname = f"{schema}.{table}" if schema else table
    if not element.link_to_name and namespace is not None and fullname in namespace.tables:
        found = namespace.tables[fullname].c.get(column)
        if found is not None:
            column = found.name
    return f"{fullname}.{column}"


def render_constraint(constraint: Constraint, ctx: AutogenContext, namespace: MetaData | None = None) -> Node | None:
    """A table-level constraint inside ``create_table``; ``None`` for one a type creates (or a hook leaves out).

    ``namespace`` is the model's ``MetaData`` the table came from: foreign keys resolve against it.
    """
    from sqlalchemy import (
        CheckConstraint,
        ForeignKeyConstraint,
        PrimaryKeyConstraint,
        UniqueConstraint,
    )

    sa = sa_prefix(ctx)
    if isinstance(constraint, PrimaryKeyConstraint):
        hooked = _hooked(ctx, "primary_key", constraint)
        if hooked is not False:
            return hooked  # type: ignore[return-value]
        if not constraint.columns:
            return None
        cols = [Raw(pystr(c.name)) for c in constraint.columns]
        name = {"name": render_name(constraint.name, ctx)} if constraint.name and not _is_none_name(constraint.name) else {}
        return Call(f"{sa}PrimaryKeyConstraint", tuple(cols), tuple(name.items()))
    if isinstance(constraint, UniqueConstraint):
        hooked = _hooked(ctx, "unique", constraint)
        if hooked is not False:
            return hooked  # type: ignore[return-value]
        cols = [Raw(pystr(c.name)) for c in constraint.columns]
        kw = _constraint_kw(constraint, ctx, ("deferrable", "initially"), name_last=True)
        return Call(f"{sa}UniqueConstraint", tuple(cols), tuple(kw.items()))
    if isinstance(constraint, ForeignKeyConstraint):
        hooked = _hooked(ctx, "foreign_key", constraint)
        if hooked is not False:
            return hooked  # type: ignore[return-value]
        local = column_names([el.parent.name for el in constraint.elements])
        remote = Seq(tuple(Raw(pystr(fk_colspec(el, namespace))) for el in constraint.elements))
        keys = ("onupdate", "ondelete", "initially", "deferrable", "use_alter", "match")
        kw = _constraint_kw(constraint, ctx, keys)
        return Call(f"{sa}ForeignKeyConstraint", (local, remote), tuple(kw.items()), form="trail")
    if isinstance(constraint, CheckConstraint):
        hooked = _hooked(ctx, "check", constraint)
        if hooked is not False:
            return hooked  # type: ignore[return-value]
        if getattr(constraint, "_type_bound", False):
            return None
        kw = _constraint_kw(constraint, ctx, ("deferrable", "initially"))
        return Call(f"{sa}CheckConstraint", (Raw(pystr(sql_text(constraint.sqltext, ctx))),), tuple(kw.items()))
    if type(constraint).__name__ == "ExcludeConstraint":
        from limbeck.autogenerate.render.postgresql import render_exclude_constraint

        return render_exclude_constraint(constraint, ctx)
    _no_renderer(constraint)
    return None


def _no_renderer(constraint: Constraint) -> None:
    """A constraint class no renderer knows is left out, with Alembic's warning (filters written for it match).

    Alembic writes ``[Unknown Python object ...]`` in its place, which is not Python: the file
    does not import.
    """
    import warnings

    from limbeck.errors import LimbeckWarning

    warnings.warn(f"No renderer is established for object {constraint!r}", LimbeckWarning, stacklevel=4)


__all__ = [
    "column_names",
    "fk_colspec",
    "op_prefix",
    "render_column",
    "render_constraint",
    "render_expression",
    "render_generated",
    "render_name",
    "render_server_default",
    "render_value",
    "sql_text",
    "unparenthesized",
]
