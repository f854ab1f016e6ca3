"""Lowering of data operations: ``execute`` and ``bulk_insert``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.operations.data import BulkInsertOp, ExecuteSQLOp


def without_implicit_returning(element: Any) -> Any:
    """An INSERT that does not fetch the new row's key back.

    SQLAlchemy adds ``RETURNING`` / ``OUTPUT inserted`` to an INSERT into a
    table with an autoincrement key so it can report the key; a migration
    never reads it, and offline the clause is wrong (Oracle's ``RETURNING
    ... INTO :ret_0`` names a bind variable the script does not have).
    ``inline()`` renders SQL defaults in the statement instead of fetching.
    An explicit ``.returning()`` is kept.
    """
    from sqlalchemy.sql.dml import Insert

    if isinstance(element, Insert) and not element._returning and not element._inline:
        return element.inline()
    return element


def lower_execute(op: ExecuteSQLOp, behaviour: DialectBehaviour) -> list[Statement]:
    from limbeck.runtime.migration import classify_sql

    element = without_implicit_returning(op.sqltext)
    return [Statement(classify_sql(element), element, source=op, execution_options=op.execution_options)]


def insert_for(op: BulkInsertOp) -> Any:
    """The INSERT construct rows are applied to (``sa.table()`` or ``Table``)."""
    return without_implicit_returning(op.table.insert())


def lower_bulk_insert(op: BulkInsertOp, behaviour: DialectBehaviour) -> list[Statement]:
    if not op.rows:
        return []
    insert = insert_for(op)
    if op.multiinsert:
        return [Statement(Kind.DML, insert, source=op, multiparams=run) for run in same_keys_runs(op.rows)]
    return [Statement(Kind.DML, insert, source=op, multiparams=(row,)) for row in op.rows]


def same_keys_runs(rows: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], ...]]:
    """Consecutive rows naming the same columns, grouped.

    An executemany needs every row to name the same columns; rows that
    differ (a default left out here and there) become separate batches
    instead of failing online. Offline every row is its own INSERT anyway.
    """
    runs: list[list[Mapping[str, Any]]] = []
    for row in rows:
        if runs and set(runs[-1][0]) == set(row):
            runs[-1].append(row)
        else:
            runs.append([row])
    return [tuple(run) for run in runs]
