"""Computed columns whose expression changed: dropped and added again (Alembic only warns).

No database limbeck tests can change a generation expression in place
(PostgreSQL before 17 has no ``SET EXPRESSION``, SQLite none at all), so the
migration does what one writes by hand: drop the column, add it with the
new expression. Nothing is lost, the values being derived; the indexes on
the column are dropped first and created again after it. A column that
becomes computed, or stops being so, is not recreated (its stored values
would be lost): a warning says so, as before.

Expressions are compared in the database's words (:mod:`.forms`), and only
when ``compare_server_default`` is on (where SQLAlchemy puts ``Computed``,
and where Alembic compares it) and ``compare_expressions`` is not off.
``persisted`` counts when the model states it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.forms import object_name, table_forms
from limbeck.operations import ops

if TYPE_CHECKING:
    from sqlalchemy import Column, Index, Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import ModifyTableOps


def _persisted_changed(meta_col: Column[Any], conn_col: Column[Any]) -> bool:
    assert meta_col.computed is not None and conn_col.computed is not None
    meta, conn = meta_col.computed.persisted, conn_col.computed.persisted
    return meta is not None and conn is not None and bool(meta) != bool(conn)


def recreated_columns(ctx: AutogenContext, conn_table: Table, meta_table: Table) -> list[str]:
    """The computed columns on both sides whose expression (or storage) the models change."""
    options = ctx.compare_options
    if options.server_default is False or not options.expressions:
        return []
    pairs = [(c, conn_table.c[c.name]) for c in meta_table.c if c.computed is not None and c.name in conn_table.c]
    pairs = [(m, c) for m, c in pairs if c.computed is not None]
    if not pairs:
        return []
    forms = table_forms(ctx, conn_table, meta_table)
    parents = {"table_name": meta_table.name, "schema_name": meta_table.schema}
    found = []
    for meta_col, conn_col in pairs:
        model, conn = forms.model.computed.get(meta_col.name), forms.conn.computed.get(meta_col.name)
        changed = model is not None and conn is not None and model != conn
        if not (changed or _persisted_changed(meta_col, conn_col)):
            continue
        if ctx.run_name_filters(conn_col.name, "column", parents) and ctx.run_object_filters(
            meta_col, meta_col.name, "column", False, conn_col
        ):
            found.append(meta_col.name)
    return found


def _on_column(ctx: AutogenContext, indexes: Any, name: str) -> list[Index]:
    """The indexes whose elements mention column ``name`` (they go when it is dropped)."""
    from limbeck.autogenerate.render.schema import sql_text

    word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])", re.IGNORECASE)
    return sorted(
        (ix for ix in indexes if any(word.search(sql_text(e, ctx)) for e in ix.expressions)),
        key=lambda ix: object_name(ix) or "",
    )


def compare_computed_columns(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    """Drop and add each recreated column, with the indexes that stand on it."""
    for name in recreated_columns(ctx, conn_table, meta_table):
        dropped = {str(op.index_name) for op in modify.ops if isinstance(op, ops.DropIndexOp)}
        for index in _on_column(ctx, conn_table.indexes, name):
            if object_name(index) not in dropped:
                modify.ops.append(ops.DropIndexOp.from_index(index))
        modify.ops.append(ops.DropColumnOp.from_column_and_tablename(schema, tname, conn_table.c[name]))
        modify.ops.append(ops.AddColumnOp.from_column_and_tablename(schema, tname, meta_table.c[name]))
        for index in _on_column(ctx, meta_table.indexes, name):
            # an index created earlier in the list would stand on the old column
            modify.ops[:] = [
                op for op in modify.ops
                if not (isinstance(op, ops.CreateIndexOp) and str(op.index_name) == object_name(index))
            ]
            modify.ops.append(ops.CreateIndexOp.from_index(index))


__all__ = ["compare_computed_columns", "recreated_columns"]
