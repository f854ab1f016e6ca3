"""Lowering of index operations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.schema import CreateIndex, DropIndex

from limbeck.compiler.schemaobj import SchemaObjects
from limbeck.compiler.statement import Statement, ddl

if TYPE_CHECKING:
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.operations.indexes import CreateIndexOp, DropIndexOp


def lower_create_index(op: "CreateIndexOp", behaviour: "DialectBehaviour") -> list[Statement]:
    index = SchemaObjects.for_opts(behaviour.opts).index_from_op(op)
    return [ddl(CreateIndex(index, if_not_exists=bool(op.if_not_exists)), op)]


def lower_drop_index(op: "DropIndexOp", behaviour: "DialectBehaviour") -> list[Statement]:
    index = SchemaObjects.for_opts(behaviour.opts).index_for_drop(op)
    return [ddl(DropIndex(index, if_exists=bool(op.if_exists)), op)]
