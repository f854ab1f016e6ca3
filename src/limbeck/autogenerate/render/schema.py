"""Schema objects as Python source: columns, server defaults, constraints, names.

A name SQLAlchemy marks as final (``conv``: produced by a naming convention,
or reflected from the database) is written ``op.f("name")`` so the naming
convention is not applied to it a second time when the migration runs.
"""

from __future__ import annotations

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
    from sqlalchemy import Column, Constraint

    from limbeck.autogenerate.api import AutogenContext


def op_prefix(ctx: AutogenContext) -> str:
    """``batch_op.`` inside a batch block, else the configured ``alembic_module_prefix``."""
    if ctx._has_batch:
        return "batch_op."
    return str(ctx.opts.get("alembic_module_prefix") or "op.")


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
    hooked = ctx.render_item("server_default", default)
    if hooked is not False:
        return Raw(str(hooked))
    if _is_computed_or_identity(default):
        return render_generated(default, ctx)
    arg = getattr(default, "arg", default)
    column = getattr(default, "column", None)
    if column is not None and not isinstance(arg, str) and not hasattr(arg, "text"):
        # a SQL expression: written as the dialect's DDL writes it (SQLite wraps functions in parentheses)
        # SQLAlchemy types the statement as required; None (no statement) is how a bare DDL compiler is made
        compiler = ctx.dialect.ddl_compiler(ctx.dialect, None)  # type: ignore[arg-type]
        try:
            compiled = compiler.get_column_default_string(column)
        except Exception:  # noqa: BLE001 - not renderable by this dialect: fall back to the expression
            compiled = None
        if compiled is not None:
            text = str(compiled)
            if ctx.catalog.function_defaults_in_parentheses and _is_function(arg) and not text.startswith("("):
                # SQLite takes a function default only in parentheses
                text = f"({text})"
            return call(f"{sa_prefix(ctx)}text", Raw(pystr(text)))
    return render_expression(arg, ctx)


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
        return call(f"{sa_prefix(ctx)}Computed", Raw(pystr(sql_text(default.sqltext, ctx))), **kw)
    kw = {"always": literal(bool(default.always))}
    for option in _IDENTITY_OPTIONS:
        value = getattr(default, option, None)
        if value is not None:
            kw[option] = literal(value)
    return call(f"{sa_prefix(ctx)}Identity", **kw)


def render_column(column: Column[Any], ctx: AutogenContext) -> Node:
    """``sa.Column("name", <type>, [Computed|Identity], ...)``; foreign keys are rendered apart."""
    hooked = ctx.render_item("column", column)
    if hooked is not False:
        return Raw(str(hooked))
    args: list[Node] = [Raw(pystr(column.name)), render_type(column.type, ctx)]
    kw: dict[str, Node] = {}
    default = column.server_default
    if default is not None and _is_computed_or_identity(default):
        args.append(render_generated(default, ctx))
    elif default is not None:
        kw["server_default"] = render_server_default(default, ctx)
    if column.autoincrement != "auto":
        # reflected columns say what the database does; a model's default ("auto") goes unsaid
        kw = {"autoincrement": literal(bool(column.autoincrement)), **kw}
    kw["nullable"] = literal(bool(column.nullable))
    if column.comment:
        kw["comment"] = literal(column.comment)
    for key, value in sorted(column.dialect_kwargs.items()):
        kw[key] = render_value(value, ctx)
    return call(f"{sa_prefix(ctx)}Column", *args, **kw)


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


def _constraint_kw(constraint: Constraint, ctx: AutogenContext, keys: Iterable[str]) -> dict[str, Node]:
    kw: dict[str, Node] = {}
    if constraint.name is not None and not _is_none_name(constraint.name):
        kw["name"] = render_name(constraint.name, ctx)
    for key in keys:
        value = getattr(constraint, key, None)
        if value is not None and value is not False:
            kw[key] = literal(value)
    for key, value in sorted(constraint.dialect_kwargs.items()):
        kw[key] = render_value(value, ctx)
    return kw


def render_constraint(constraint: Constraint, ctx: AutogenContext) -> Node | None:
    """A table-level constraint inside ``create_table``; ``None`` for one a type creates."""
    from sqlalchemy import (
        CheckConstraint,
        ForeignKeyConstraint,
        PrimaryKeyConstraint,
        UniqueConstraint,
    )

    sa = sa_prefix(ctx)
    if isinstance(constraint, PrimaryKeyConstraint):
        if not constraint.columns:
            return None
        hooked = ctx.render_item("primary_key", constraint)
        if hooked is not False:
            return Raw(str(hooked))
        cols = [Raw(pystr(c.name)) for c in constraint.columns]
        return Call(f"{sa}PrimaryKeyConstraint", tuple(cols), tuple(_constraint_kw(constraint, ctx, ()).items()))
    if isinstance(constraint, UniqueConstraint):
        hooked = ctx.render_item("unique", constraint)
        if hooked is not False:
            return Raw(str(hooked))
        cols = [Raw(pystr(c.name)) for c in constraint.columns]
        kw = _constraint_kw(constraint, ctx, ("deferrable", "initially"))
        return Call(f"{sa}UniqueConstraint", tuple(cols), tuple(kw.items()))
    if isinstance(constraint, ForeignKeyConstraint):
        hooked = ctx.render_item("foreign_key", constraint)
        if hooked is not False:
            return Raw(str(hooked))
        local = column_names(constraint.column_keys)
        remote = Seq(tuple(Raw(pystr(el._get_colspec())) for el in constraint.elements))
        keys = ("onupdate", "ondelete", "initially", "deferrable", "use_alter", "match")
        return Call(f"{sa}ForeignKeyConstraint", (local, remote), tuple(_constraint_kw(constraint, ctx, keys).items()))
    if isinstance(constraint, CheckConstraint):
        if getattr(constraint, "_type_bound", False):
            return None
        hooked = ctx.render_item("check", constraint)
        if hooked is not False:
            return Raw(str(hooked))
        kw = _constraint_kw(constraint, ctx, ("deferrable", "initially"))
        return Call(f"{sa}CheckConstraint", (Raw(pystr(sql_text(constraint.sqltext, ctx))),), tuple(kw.items()))
    return None


def constraint_sort_key(constraint: Constraint) -> tuple[str, str]:
    """Constraints of a new table in a stable order: by kind, then by name."""
    name = constraint.name
    return (type(constraint).__name__, "" if name is None or _is_none_name(name) else str(name))


__all__ = [
    "column_names",
    "constraint_sort_key",
    "op_prefix",
    "render_column",
    "render_constraint",
    "render_expression",
    "render_generated",
    "render_name",
    "render_server_default",
    "render_value",
    "sql_text",
]
