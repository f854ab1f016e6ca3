"""Operation records as ``op.<name>(...)`` statements.

One function per record class, in the explicit :data:`RENDERERS` table;
custom operations add theirs with ``renderers.dispatch_for(MyOp)`` (the
decorator Alembic's docs show), which takes ``fn(autogen_context, op)`` and
returns source text (a string, or a list of lines). A renderer here returns
a list of statements (:class:`Node` trees, or plain text for comments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.records import EnumValuesOp
from limbeck.autogenerate.render.postgresql import render_create_exclude
from limbeck.autogenerate.render.schema import (
    column_names,
    op_prefix,
    render_column,
    render_constraint,
    render_expression,
    render_name,
    render_value,
)
from limbeck.autogenerate.render.source import (
    Call,
    Chain,
    Node,
    Raw,
    Seq,
    call,
    literal,
    pystr,
    sort_key,
)
from limbeck.operations import ops

if TYPE_CHECKING:
    from limbeck.autogenerate.api import AutogenContext

#: what a renderer returns: statement nodes, or lines of text taken as they are
Rendered = list[Node | str]
Renderer = Callable[["AutogenContext", Any], Rendered]

_UNNAMED_WARNING = [
    "# WARNING: constraint name is None; this directive will fail as",
    "# rendered.  Add a name, or use a naming convention; see",
    "# https://alembic.sqlalchemy.org/en/latest/naming.html",
]


def _form(node: Call, form: str) -> Call:
    """``node`` broken over lines as Alembic's text breaks it (see :attr:`Call.form`)."""
    return Call(node.func, node.args, node.kwargs, form)


def _schema_kw(schema: str | None) -> dict[str, Node]:
    return {"schema": literal(schema)} if schema else {}


def _extra_kw(kw: dict[str, Any], ctx: AutogenContext) -> dict[str, Node]:
    # empty values are what reflection reports for options never set (postgresql_include=[])
    return {key: render_value(value, ctx) for key, value in kw.items() if value is not None and value != []}


def _table_args(ctx: AutogenContext, table_name: str) -> list[Node]:
    """The table argument, which batch mode leaves out (``batch_op`` knows its table)."""
    return [] if ctx._has_batch else [Raw(pystr(table_name))]


def _schema_unless_batch(ctx: AutogenContext, schema: str | None) -> dict[str, Node]:
    return {} if ctx._has_batch else _schema_kw(schema)


def render_create_table(ctx: AutogenContext, op: ops.CreateTableOp) -> Rendered:
    from sqlalchemy import CheckConstraint, Column, Constraint, PrimaryKeyConstraint

    if op._constraints_included:
        columns = [c for c in op.columns if isinstance(c, Column)]
        constraints = [c for c in op.columns if isinstance(c, Constraint)]
    else:
        table = op.to_table(ctx.migration_context)
        columns, constraints = list(table.c), list(table.constraints)
    # a CHECK declared on a column (Column(..., CheckConstraint(...))) is the table's too:
    # Alembic's create_table leaves it out, so the table is created without it
    constraints += [k for c in columns for k in c.constraints if isinstance(k, CheckConstraint)]
    keys = {id(c) for pk in constraints if isinstance(pk, PrimaryKeyConstraint) for c in pk.columns}
    rendered_columns = (render_column(c, ctx, in_primary_key=id(c) in keys) for c in columns)
    items = [node for node in rendered_columns if node is not None]
    rendered = (render_constraint(c, ctx, op._namespace_metadata) for c in constraints)
    items += sorted((node for node in rendered if node is not None), key=sort_key)
    args: list[Node] = [Raw(pystr(op.table_name))]
    if len(items) > _MAX_ARGS:
        args.append(Seq(tuple(items), star=True))  # as Alembic writes a table of that many columns
    else:
        args += items
    kw = _schema_kw(op.schema)
    if op.comment is not None:
        kw["comment"] = literal(op.comment)
    if op.info:
        kw["info"] = literal(dict(op.info))
    # a reflected MySQL option can have a space (mysql_default charset): its keyword has an underscore
    kw.update(_extra_kw({k.replace(" ", "_"): v for k, v in sorted(op.kw.items())}, ctx))
    if op.prefixes:
        kw["prefixes"] = literal(list(op.prefixes))
    if op.if_not_exists is not None:
        kw["if_not_exists"] = literal(op.if_not_exists)
    return [_form(call(f"{op_prefix(ctx)}create_table", *args, **kw), "lines")]


#: more columns and constraints than this go into ``create_table`` as one unpacked list
_MAX_ARGS = 255


def render_drop_table(ctx: AutogenContext, op: ops.DropTableOp) -> Rendered:
    kw = _schema_kw(op.schema)
    if op.if_exists is not None:
        kw["if_exists"] = literal(op.if_exists)
    return [call(f"{op_prefix(ctx)}drop_table", Raw(pystr(op.table_name)), **kw)]


def render_rename_table(ctx: AutogenContext, op: ops.RenameTableOp) -> Rendered:
    names = [Raw(pystr(op.table_name)), Raw(pystr(op.new_table_name))]
    return [call(f"{op_prefix(ctx)}rename_table", *names, **_schema_kw(op.schema))]


def render_add_column(ctx: AutogenContext, op: ops.AddColumnOp) -> Rendered:
    args = _table_args(ctx, op.table_name) + [render_column(op.column, ctx) or Raw("None")]
    kw = _schema_unless_batch(ctx, op.schema)
    if op.if_not_exists is not None:
        kw["if_not_exists"] = literal(op.if_not_exists)
    return [call(f"{op_prefix(ctx)}add_column", *args, **kw)]


def render_drop_column(ctx: AutogenContext, op: ops.DropColumnOp) -> Rendered:
    args = _table_args(ctx, op.table_name) + [Raw(pystr(op.column_name))]
    kw = _schema_unless_batch(ctx, op.schema)
    if op.if_exists is not None:
        kw["if_exists"] = literal(op.if_exists)
    kw.update(_extra_kw(op.kw, ctx))
    return [call(f"{op_prefix(ctx)}drop_column", *args, **kw)]


def render_alter_column(ctx: AutogenContext, op: ops.AlterColumnOp) -> Rendered:
    from limbeck.autogenerate.render.schema import render_server_default
    from limbeck.autogenerate.render.types import render_type

    args = _table_args(ctx, op.table_name) + [Raw(pystr(op.column_name))]
    extra = dict(op.kw)
    autoincrement = extra.pop("autoincrement", None)
    kw: dict[str, Node] = {}
    if op.existing_type is not None:
        kw["existing_type"] = render_type(op.existing_type, ctx)
    if op.modify_server_default is not False:
        default = op.modify_server_default
        kw["server_default"] = Raw("None") if default is None else render_server_default(default, ctx)
    if op.modify_name:
        kw["new_column_name"] = literal(op.modify_name)
    if op.modify_type is not None:
        kw["type_"] = render_type(op.modify_type, ctx)
    if op.modify_nullable is not None:
        kw["nullable"] = literal(op.modify_nullable)
    if op.modify_comment is not False:
        kw["comment"] = literal(op.modify_comment)
    if op.existing_comment is not None:
        kw["existing_comment"] = literal(op.existing_comment)
    if op.modify_nullable is None and op.existing_nullable is not None:
        kw["existing_nullable"] = literal(op.existing_nullable)
    if autoincrement is not None:
        kw["autoincrement"] = literal(autoincrement)
    if op.existing_server_default and (op.modify_server_default is False or _alters_identity(op)):
        kw["existing_server_default"] = render_server_default(op.existing_server_default, ctx)
    kw.update(_schema_unless_batch(ctx, op.schema))
    kw.update(_extra_kw(extra, ctx))
    return [_form(call(f"{op_prefix(ctx)}alter_column", *args, **kw), "aligned")]


def _alters_identity(op: ops.AlterColumnOp) -> bool:
    """An identity changed in place: the database must be told it has one already.

    Alembic leaves ``existing_server_default`` out here too, and its file then
    asks PostgreSQL to ADD an identity the column has ("is already an identity
    column"); with it, the options are SET.
    """
    from sqlalchemy import Identity

    return isinstance(op.modify_server_default, Identity) and isinstance(op.existing_server_default, Identity)


def _index_columns(op: ops.CreateIndexOp, ctx: AutogenContext) -> Node:
    items: list[Node] = []
    for col in op.columns:
        if isinstance(col, str):
            items.append(Raw(pystr(col)))
        elif getattr(col, "name", None) is not None and type(col).__name__ == "Column":
            items.append(Raw(pystr(col.name)))
        else:
            items.append(_index_expression(col, ctx))
    return Seq(tuple(items))


def _index_expression(element: Any, ctx: AutogenContext) -> Node:
    """``sa.literal_column("...")`` in the database's parentheses, keeping a label the model gave it."""
    from sqlalchemy.sql import elements, functions, operators

    grouped = element
    mode = ctx.catalog.index_expression_parentheses
    if mode == "grouped" and not isinstance(element, elements.ColumnClause):
        grouped = element.self_group()
    elif mode == "key_parts" and (
        isinstance(element, (elements.BinaryExpression, functions.FunctionElement))
        or (isinstance(element, elements.UnaryExpression)
            and element.modifier not in (operators.desc_op, operators.asc_op))
    ):
        grouped = elements.Grouping(element)
    node = render_expression(grouped, ctx, func="literal_column")
    if isinstance(element, elements.Label) and type(element.name) is str:
        return Chain(node, (call(".label", Raw(pystr(element.name))),))
    return node


def render_create_index(ctx: AutogenContext, op: ops.CreateIndexOp) -> Rendered:
    args = [render_name(op.index_name, ctx), *_table_args(ctx, op.table_name), _index_columns(op, ctx)]
    # a reflected SQLite index says unique=1, which Alembic writes as it is
    kw: dict[str, Node] = {"unique": literal(op.unique or False)}
    kw.update(_schema_unless_batch(ctx, op.schema))
    kw.update(_extra_kw(op.kw, ctx))
    if op.if_not_exists is not None:
        kw["if_not_exists"] = literal(op.if_not_exists)
    return [call(f"{op_prefix(ctx)}create_index", *args, **kw)]


def render_drop_index(ctx: AutogenContext, op: ops.DropIndexOp) -> Rendered:
    kw: dict[str, Node] = {}
    if not ctx._has_batch:
        kw["table_name"] = literal(op.table_name)
    kw.update(_schema_unless_batch(ctx, op.schema))
    kw.update(_extra_kw({k: v for k, v in op.kw.items() if k != "unique"}, ctx))
    if op.if_exists is not None:
        kw["if_exists"] = literal(op.if_exists)
    return [call(f"{op_prefix(ctx)}drop_index", render_name(op.index_name, ctx), **kw)]


def _warn_unnamed(name: Any, what: str, table: Any) -> list[Node | str]:
    """Alembic's warning in its words (filters written for it match), and the comment it writes."""
    from limbeck.autogenerate.render.schema import _is_none_name

    if name is None or _is_none_name(name):
        import warnings

        from limbeck.errors import LimbeckWarning

        warnings.warn(
            f"Autogenerate rendered a {what} directive for an unnamed constraint on table {table!r}; the "
            "migration will fail unless a constraint name is added to the directive.  Consider using a "
            "naming convention so that constraint names are known ahead of time.",
            LimbeckWarning,
            stacklevel=4,
        )
        return list(_UNNAMED_WARNING)
    return []


def render_create_unique(ctx: AutogenContext, op: ops.CreateUniqueConstraintOp) -> Rendered:
    args = [render_name(op.constraint_name, ctx), *_table_args(ctx, op.table_name), column_names(op.columns)]
    kw = _schema_unless_batch(ctx, op.schema)
    kw.update(_extra_kw(op.kw, ctx))
    return [call(f"{op_prefix(ctx)}create_unique_constraint", *args, **kw)]


def render_create_primary_key(ctx: AutogenContext, op: ops.CreatePrimaryKeyOp) -> Rendered:
    args = [render_name(op.constraint_name, ctx), *_table_args(ctx, op.table_name), column_names(op.columns)]
    kw = _schema_unless_batch(ctx, op.schema)
    kw.update(_extra_kw(op.kw, ctx))
    return [call(f"{op_prefix(ctx)}create_primary_key", *args, **kw)]


_FK_KEYS = ("source_schema", "referent_schema", "onupdate", "ondelete", "initially", "deferrable", "use_alter", "match")


def render_create_foreign_key(ctx: AutogenContext, op: ops.CreateForeignKeyOp) -> Rendered:
    args = [render_name(op.constraint_name, ctx), *_table_args(ctx, op.source_table), Raw(pystr(op.referent_table)),
            column_names(op.local_cols), column_names(op.remote_cols)]
    fk_kw = dict(op.kw)
    if ctx._has_batch:
        fk_kw.pop("source_schema", None)
    kw = {key: literal(fk_kw.pop(key)) for key in _FK_KEYS if fk_kw.get(key) not in (None, False)}
    kw.update(_extra_kw(fk_kw, ctx))
    return [call(f"{op_prefix(ctx)}create_foreign_key", *args, **kw)]


def render_create_check(ctx: AutogenContext, op: ops.CreateCheckConstraintOp) -> Rendered:
    from limbeck.autogenerate.render.schema import sql_text

    condition = Raw(pystr(sql_text(op.condition, ctx)))
    args = [render_name(op.constraint_name, ctx), *_table_args(ctx, op.table_name), condition]
    kw = _schema_unless_batch(ctx, op.schema)
    kw.update(_extra_kw(op.kw, ctx))
    return [call(f"{op_prefix(ctx)}create_check_constraint", *args, **kw)]


def render_drop_constraint(ctx: AutogenContext, op: ops.DropConstraintOp) -> Rendered:
    warning = _warn_unnamed(op.constraint_name, "drop_constraint()", op.table_name)
    args = [render_name(op.constraint_name, ctx), *_table_args(ctx, op.table_name)]
    kw = _schema_unless_batch(ctx, op.schema)
    if op.constraint_type:
        kw["type_"] = literal(op.constraint_type)
    if op.if_exists is not None:
        kw["if_exists"] = literal(op.if_exists)
    return [*warning, call(f"{op_prefix(ctx)}drop_constraint", *args, **kw)]


def render_create_table_comment(ctx: AutogenContext, op: ops.CreateTableCommentOp) -> Rendered:
    args = [*_table_args(ctx, op.table_name), literal(op.comment)]
    kw = {"existing_comment": literal(op.existing_comment)}
    if not ctx._has_batch:
        kw["schema"] = literal(op.schema)
    return [_form(call(f"{op_prefix(ctx)}create_table_comment", *args, **kw), "block")]


def render_drop_table_comment(ctx: AutogenContext, op: ops.DropTableCommentOp) -> Rendered:
    kw = {"existing_comment": literal(op.existing_comment)}
    if not ctx._has_batch:
        kw["schema"] = literal(op.schema)
    return [_form(call(f"{op_prefix(ctx)}drop_table_comment", *_table_args(ctx, op.table_name), **kw), "block")]


def render_enum_values(ctx: AutogenContext, op: EnumValuesOp) -> Rendered:
    comment: list[Node | str] = [f"# {op.comment}"] if op.comment else []
    return [*comment, *(call(f"{op_prefix(ctx)}execute", Raw(pystr(sql))) for sql in op.statements)]


def render_execute(ctx: AutogenContext, op: ops.ExecuteSQLOp) -> Rendered:
    sql = op.sqltext
    node = Raw(pystr(sql)) if isinstance(sql, str) else render_expression(sql, ctx)
    return [call(f"{op_prefix(ctx)}execute", node)]


#: operation record class -> renderer (looked up along the record's MRO)
RENDERERS: dict[type, Renderer] = {
    ops.CreateTableOp: render_create_table,
    ops.DropTableOp: render_drop_table,
    ops.RenameTableOp: render_rename_table,
    ops.AddColumnOp: render_add_column,
    ops.DropColumnOp: render_drop_column,
    ops.AlterColumnOp: render_alter_column,
    ops.CreateIndexOp: render_create_index,
    ops.DropIndexOp: render_drop_index,
    ops.CreateUniqueConstraintOp: render_create_unique,
    ops.CreatePrimaryKeyOp: render_create_primary_key,
    ops.CreateForeignKeyOp: render_create_foreign_key,
    ops.CreateCheckConstraintOp: render_create_check,
    ops.DropConstraintOp: render_drop_constraint,
    ops.CreateTableCommentOp: render_create_table_comment,
    ops.DropTableCommentOp: render_drop_table_comment,
    ops.ExecuteSQLOp: render_execute,
    ops.CreateExcludeConstraintOp: render_create_exclude,
    EnumValuesOp: render_enum_values,
}

__all__ = ["RENDERERS", "Rendered", "Renderer"]
