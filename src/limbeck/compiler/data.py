"""Lowering of data operations: ``execute`` and ``bulk_insert``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ClauseElement, TextClause

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from limbeck.compiler.behaviour import DialectBehaviour
    from limbeck.operations.data import BulkInsertOp, ExecuteSQLOp


def without_implicit_returning(element: Any) -> Any:
    """An INSERT that does not fetch the new row's key back.

    SQLAlchemy adds ``RETURNING`` / ``OUTPUT inserted`` to an INSERT into a
    table with an autoincrement key so it can report the key. Alembic's
    ``bulk_insert`` never asks for it (its INSERT is ``inline()``, which
    renders SQL defaults in the statement instead of fetching), and where the
    clause is not valid in a script (Oracle's ``RETURNING ... INTO :ret_0``
    names a bind variable the script does not have) ``op.execute()`` leaves
    it out too. An explicit ``.returning()`` is kept.
    """
    if isinstance(element, Insert) and not element._returning and not element._inline:
        return element.inline()
    return element


#: the first words of SQL text that changes the schema
_DDL_WORDS = frozenset({"CREATE", "ALTER", "DROP", "RENAME", "COMMENT", "TRUNCATE", "GRANT", "REVOKE", "REINDEX"})


def classify_sql(element: Any) -> Kind:
    """DDL or DML, for statements users hand to ``execute()``."""
    if isinstance(element, ExecutableDDLElement):
        return Kind.DDL
    text = element if isinstance(element, str) else element.text if isinstance(element, TextClause) else None
    if text is None:
        return Kind.DML
    words = text.lstrip().split(None, 1)
    first = words[0].upper() if words else ""
    return Kind.DDL if first in _DDL_WORDS else Kind.DML


def lower_execute(op: ExecuteSQLOp, behaviour: DialectBehaviour) -> list[Statement]:
    element = op.sqltext if behaviour.implicit_returning else without_implicit_returning(op.sqltext)
    return [Statement(classify_sql(element), element, source=op, execution_options=op.execution_options)]


def insert_for(op: BulkInsertOp) -> Any:
    """The INSERT construct rows are applied to (``sa.table()`` or ``Table``)."""
    return without_implicit_returning(op.table.insert())


#: ``Statement.info`` key: a ``multiinsert=False`` row, which Alembic puts in the INSERT
#: itself (``.values(**row)``): online, a key naming no column is refused as it is there
ONE_ROW = "one_row"


def unknown_keys(insert: Any, keys: Iterable[str]) -> list[str]:
    """The keys of a ``bulk_insert`` row that name no column of the INSERT's table.

    Alembic refuses them offline (``KeyError``) and online one row at a time
    (``Unconsumed column names``); each path raises its error from this one test.
    """
    columns = insert.table.c
    return [key for key in keys if key not in columns]


def lower_bulk_insert(op: BulkInsertOp, behaviour: DialectBehaviour) -> list[Statement]:
    if not op.rows:
        return []
    insert = insert_for(op)
    stmts: list[Statement] = []
    plain: list[Mapping[str, Any]] = []
    for row in op.rows:
        if not any(isinstance(value, ClauseElement) for value in row.values()):
            plain.append(row)
            continue
        stmts += plain_inserts(op, insert, plain)
        plain = []
        stmts.append(expression_row(op, insert, row))
    return stmts + plain_inserts(op, insert, plain)


def plain_inserts(op: BulkInsertOp, insert: Any, rows: list[Mapping[str, Any]]) -> list[Statement]:
    if op.multiinsert:
        return [Statement(Kind.DML, insert, source=op, multiparams=run) for run in same_keys_runs(rows)]
    return [Statement(Kind.DML, insert, source=op, multiparams=(row,), info={ONE_ROW: True}) for row in rows]


def expression_row(op: BulkInsertOp, insert: Any, row: Mapping[str, Any]) -> Statement:
    """A row with SQL values (``op.inline_literal()``, Alembic's documented offline remedy) as its own INSERT.

    The SQL values go into the statement, where they render themselves (an
    inline literal with its own type, not the column's); the plain values
    stay parameters, typed by their columns as in every other row.
    ``info["row_keys"]`` keeps the row's columns for consumers that look at
    the parameters to know them (SQL Server's IDENTITY_INSERT).
    """
    sql = {key: value for key, value in row.items() if isinstance(value, ClauseElement)}
    params = {key: value for key, value in row.items() if key not in sql}
    return Statement(Kind.DML, insert.values(sql), source=op, multiparams=(params,), info={"row_keys": tuple(row)})


def row_keys(stmt: Statement) -> tuple[str, ...]:
    """The columns the (first) row of a ``bulk_insert`` statement gives values for."""
    keys = stmt.info.get("row_keys")
    if keys is not None:
        return tuple(keys)
    return tuple(stmt.multiparams[0]) if stmt.multiparams else ()


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
