"""PostgreSQL's own constructs as Python source: ``EXCLUDE`` constraints and ``DOMAIN`` types.

Written as Alembic writes them (``postgresql.ExcludeConstraint((sa.column("x"),
">"), where=sa.text(...), using="gist")``), with the ``postgresql`` import
the revision needs.
"""

from __future__ import annotations

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

if TYPE_CHECKING:
    from limbeck.autogenerate.api import AutogenContext

IMPORT = "from sqlalchemy.dialects import postgresql"


def _element(value: Any, ctx: AutogenContext) -> Node:
    """An EXCLUDE element: a column by name, a literal column, or an expression as ``sa.text``."""
    from sqlalchemy.sql.elements import ColumnClause

    from limbeck.autogenerate.render.schema import render_expression, sql_text
    from limbeck.autogenerate.render.types import sa_prefix

    if isinstance(value, ColumnClause):
        func = "literal_column" if value.is_literal else "column"
        return call(f"{sa_prefix(ctx)}{func}", Raw(pystr(value.name)))
    if isinstance(value, str):
        return Raw(pystr(value))
    return render_expression(value, ctx) if hasattr(value, "compile") else Raw(pystr(sql_text(value, ctx)))


def _arguments(constraint: Any, ctx: AutogenContext, alter: bool) -> tuple[list[Node], dict[str, Node]]:
    from limbeck.autogenerate.render.schema import render_expression, render_name

    args: list[Node] = [Seq((_element(expr, ctx), Raw(pystr(op))), "()") for expr, _name, op in constraint._render_exprs]
    kw: dict[str, Node] = {}
    if constraint.where is not None:
        kw["where"] = render_expression(constraint.where, ctx)
    for key in ("deferrable", "initially", "using"):
        value = getattr(constraint, key)
        if value:
            kw[key] = literal(str(value))
    if alter and not ctx._has_batch and constraint.table.schema:
        kw["schema"] = literal(constraint.table.schema)
    if not alter and constraint.name:
        kw["name"] = render_name(constraint.name, ctx)
    return args, kw


def render_exclude_constraint(constraint: Any, ctx: AutogenContext) -> Node:
    """``postgresql.ExcludeConstraint(...)`` inside ``create_table``."""
    ctx.imports.add(IMPORT)
    args, kw = _arguments(constraint, ctx, alter=False)
    return call("postgresql.ExcludeConstraint", *args, **kw)


def render_create_exclude(ctx: AutogenContext, op: Any) -> list[Node | str]:
    """``op.create_exclude_constraint("name", "table", (sa.column("x"), ">"), ...)``."""
    from limbeck.autogenerate.render.schema import op_prefix, render_name

    constraint = op.to_constraint()
    args, kw = _arguments(constraint, ctx, alter=True)
    head: list[Node] = [render_name(op.constraint_name, ctx)]
    if not ctx._has_batch:
        head.append(Raw(pystr(constraint.table.name)))
    return [call(f"{op_prefix(ctx)}create_exclude_constraint", *head, *args, **kw)]


def render_domain(type_: Any, ctx: AutogenContext) -> Node:
    """``postgresql.DOMAIN("name", <type>, ...)`` with the options the type has (its repr leaves them out)."""
    from limbeck.autogenerate.render.schema import render_expression
    from limbeck.autogenerate.render.types import render_type

    ctx.imports.add(IMPORT)
    kw: dict[str, Node] = {}
    for key in ("collation", "collation_schema"):
        if getattr(type_, key, None) is not None:
            kw[key] = literal(getattr(type_, key))
    if type_.default is not None:
        kw["default"] = literal(type_.default) if isinstance(type_.default, str) else render_expression(type_.default, ctx)
    if type_.constraint_name is not None:
        kw["constraint_name"] = literal(type_.constraint_name)
    if type_.not_null:
        kw["not_null"] = Raw("True")
    if type_.check is not None:
        from limbeck.autogenerate.render.schema import sql_text

        kw["check"] = Raw(pystr(sql_text(type_.check, ctx)))
    if type_.schema is not None:
        kw["schema"] = literal(type_.schema)
    if type_.create_type is not True:
        kw["create_type"] = Raw("False")
    return Call("postgresql.DOMAIN", (Raw(pystr(type_.name)), render_type(type_.data_type, ctx)), tuple(kw.items()))


__all__ = ["IMPORT", "render_create_exclude", "render_domain", "render_exclude_constraint"]
