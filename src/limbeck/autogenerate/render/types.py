"""Types as Python source: ``sa.String(length=50)``, ``postgresql.JSONB(astext_type=sa.Text())``.

SQLAlchemy's ``repr()`` of a type is a constructor call with the arguments
that differ from the defaults, which is what a revision file should say. It
is parsed (``ast``) rather than pasted so that nested types get their module
prefix too (Alembic leaves ``postgresql.ARRAY(String(length=5))``, which
does not import; we write ``sa.String``) and strings get ruff's quotes.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.render.source import Call, Chain, Node, Raw, Seq, pystr

if TYPE_CHECKING:
    from limbeck.autogenerate.api import AutogenContext

_DIALECT_MODULE = re.compile(r"sqlalchemy\.dialects\.(\w+)")


def sa_prefix(ctx: AutogenContext) -> str:
    """The configured prefix of SQLAlchemy names; ``None`` or ``""`` write them bare."""
    return str(ctx.opts.get("sqlalchemy_module_prefix", "sa.") or "")


def _user_prefix(ctx: AutogenContext, type_: Any) -> str:
    prefix = ctx.opts.get("user_module_prefix")
    if prefix is not None:
        return str(prefix)
    return type(type_).__module__ + "."


def _prefix_for(ctx: AutogenContext, type_: Any) -> tuple[str, str | None]:
    """The prefix of ``type_``'s class, and the dialect whose module it lives in."""
    module = type(type_).__module__
    match = _DIALECT_MODULE.match(module)
    if match:
        dialect = match.group(1)
        ctx.imports.add(f"from sqlalchemy.dialects import {dialect}")
        return f"{dialect}.", dialect
    if module.startswith("sqlalchemy."):
        return sa_prefix(ctx), None
    return _user_prefix(ctx, type_), None


def render_type(type_: Any, ctx: AutogenContext) -> Node:
    """The source of a type object, honouring ``render_item`` and the module prefixes."""
    hooked = ctx.render_item("type", type_)
    if hooked is not False:
        return Raw(str(hooked))
    variants = getattr(type_, "_variant_mapping", None)
    if variants:
        base = type_.copy()
        base._variant_mapping = base._variant_mapping.__class__()
        calls = tuple(
            Call(".with_variant", (render_type(variants[dialect], ctx), Raw(pystr(dialect)))) for dialect in sorted(variants)
        )
        return Chain(render_type(base, ctx), calls)
    if type(type_).__name__ == "DOMAIN" and type(type_).__module__.startswith("sqlalchemy.dialects.postgresql"):
        from limbeck.autogenerate.render.postgresql import render_domain

        return render_domain(type_, ctx)
    prefix, dialect = _prefix_for(ctx, type_)
    text = repr(type_)
    try:
        tree = ast.parse(text, mode="eval").body
        return _with_create_type(type_, _convert(tree, ctx, prefix, dialect, top=True, nested=_nested_types(type_)))
    except (SyntaxError, _Unrenderable):
        return Raw(prefix + text)


def _with_create_type(type_: Any, node: Node) -> Node:
    """``create_type=False`` kept where the type's repr leaves it out.

    SQLAlchemy 2.0's repr of PostgreSQL's ``ENUM`` omits ``create_type``
    (2.1's writes it), so a migration rendered on 2.0 from ``ENUM(...,
    create_type=False)`` would create a type its author creates elsewhere,
    and fail with "type already exists". Alembic on 2.0 drops it; here it is
    written on every release (a README departure).
    """
    if getattr(type_, "create_type", True) is not False or not isinstance(node, Call):
        return node
    if any(key == "create_type" for key, _ in node.kwargs):
        return node
    return Call(node.func, node.args, (*node.kwargs, ("create_type", Raw("False"))))


class _Unrenderable(Exception):
    pass


def _name_prefix(name: str, ctx: AutogenContext, dialect: str | None) -> str:
    """The prefix of a class name met inside a type's repr (``Text`` in ``JSONB(astext_type=Text())``)."""
    import sqlalchemy.types as satypes

    if hasattr(satypes, name):
        return sa_prefix(ctx)
    if dialect is not None:
        import importlib

        module = importlib.import_module(f"sqlalchemy.dialects.{dialect}")
        if hasattr(module, name):
            return f"{dialect}."
    return ""


def _nested_types(type_: Any) -> dict[str, Any]:
    """The types inside a type (``ARRAY``'s item type, ``JSONB``'s ``astext_type``), by their repr."""
    from sqlalchemy.types import TypeEngine

    return {repr(v): v for v in vars(type_).values() if isinstance(v, TypeEngine)}


def _convert(node: ast.expr, ctx: AutogenContext, prefix: str, dialect: str | None, top: bool = False,
             nested: dict[str, Any] | None = None) -> Node:
    nested = nested or {}
    if not top and isinstance(node, ast.Call) and ast.unparse(node) in nested:
        # a type inside the type: rendered as a type of its own (its module, imports, render_item)
        return render_type(nested[ast.unparse(node)], ctx)
    if isinstance(node, ast.Constant):
        value = node.value
        return Raw(pystr(value) if isinstance(value, str) else repr(value))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        func = prefix + name if top else _name_prefix(name, ctx, dialect) + name
        args = tuple(_convert(a, ctx, prefix, dialect, nested=nested) for a in node.args)
        if any(k.arg is None for k in node.keywords):
            raise _Unrenderable(name)
        kwargs = tuple((str(k.arg), _convert(k.value, ctx, prefix, dialect, nested=nested)) for k in node.keywords)
        return Call(func, args, kwargs)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = tuple(_convert(e, ctx, prefix, dialect, nested=nested) for e in node.elts)
        return Seq(items, "[]" if isinstance(node, ast.List) else "()")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        return Raw(f"-{node.operand.value!r}")
    if isinstance(node, ast.Name) and node.id in ("True", "False", "None"):
        return Raw(node.id)
    raise _Unrenderable(ast.dump(node))


__all__ = ["render_type", "sa_prefix"]
