"""Lowering of index operations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.schema import CreateIndex, DropIndex

from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import supports_clause, unsupported
from limbeck.operations.schemaobj import SchemaObjects

if TYPE_CHECKING:
    from limbeck.compiler.behaviour import DialectBehaviour
    from limbeck.operations.indexes import CreateIndexOp, DropIndexOp


def lower_create_index(op: CreateIndexOp, behaviour: DialectBehaviour) -> list[Statement]:
    index = SchemaObjects.for_behaviour(behaviour).index_from_op(op)
    if_not_exists = supports_clause(op, behaviour, "create_index", op.if_not_exists)
    return [ddl(CreateIndex(index, if_not_exists=if_not_exists), op)]


def lower_drop_index(op: DropIndexOp, behaviour: DialectBehaviour) -> list[Statement]:
    if behaviour.drop_index_needs_table and not op.table_name:
        raise unsupported(
            op, behaviour, f"an index belongs to a table in {behaviour.display_name} and DROP INDEX must name it",
            "pass table_name=",
        )
    # without a name, the naming convention names the index, as in Alembic: after its DropIndexOp.to_index()
    # placeholder column "x" (drop_index(None, table_name="t") is DROP INDEX ix_t_x)
    placeholder = "x" if op.index_name is None else None
    index = SchemaObjects.for_behaviour(behaviour).index_for_drop(op, placeholder)
    if_exists = supports_clause(op, behaviour, "drop_index", op.if_exists)
    return [ddl(DropIndex(index, if_exists=if_exists), op)]
