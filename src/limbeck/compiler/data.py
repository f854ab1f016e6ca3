"""Lowering of data operations: ``execute`` and ``bulk_insert``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.operations.data import BulkInsertOp, ExecuteSQLOp


def lower_execute(op: "ExecuteSQLOp", behaviour: "DialectBehaviour") -> list[Statement]:
    from limbeck.runtime.migration import classify_sql

    return [Statement(classify_sql(op.sqltext), op.sqltext, source=op, execution_options=op.execution_options)]


def insert_for(op: "BulkInsertOp") -> Any:
    """The INSERT construct rows are applied to (``sa.table()`` or ``Table``)."""
    return op.table.insert()


def lower_bulk_insert(op: "BulkInsertOp", behaviour: "DialectBehaviour") -> list[Statement]:
    if not op.rows:
        return []
    insert = insert_for(op)
    if op.multiinsert:
        return [Statement(Kind.DML, insert, source=op, multiparams=tuple(op.rows))]
    return [Statement(Kind.DML, insert, source=op, multiparams=(row,)) for row in op.rows]
