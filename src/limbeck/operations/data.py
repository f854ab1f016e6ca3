"""Data operations: execute SQL, bulk insert rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from limbeck.errors import AsyncNeedsAsyncEngine, AsyncNeedsConnection, InvalidArgument
from limbeck.operations.records import MigrateOperation, operation_method

if TYPE_CHECKING:
    from limbeck.operations.base import OperationsBase
    from limbeck.operations.protocols import RunningContext

_T = TypeVar("_T")


class ExecuteSQLOp(MigrateOperation):
    """Run SQL: a plain string (raw SQL, as written), ``text()`` or any executable construct."""

    op_name = "execute"

    def __init__(self, sqltext: Any, *, execution_options: Mapping[str, Any] | None = None) -> None:
        self.sqltext = sqltext
        self.execution_options = execution_options

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("execute", self.sqltext)

    @classmethod
    def execute(
        cls, operations: OperationsBase, sqltext: Any, *, execution_options: Mapping[str, Any] | None = None
    ) -> Any:
        """Run SQL. A plain string is raw SQL: no bind parameters, ``%`` and ``:`` as written."""
        return operations.invoke(cls(sqltext, execution_options=execution_options))

    @classmethod
    def batch_execute(
        cls, operations: OperationsBase, sqltext: Any, *, execution_options: Mapping[str, Any] | None = None
    ) -> Any:
        """``batch_op.execute()``: runs at once, before the batch's changes to its table (as Alembic)."""
        return cls.execute(operations, sqltext, execution_options=execution_options)


class BulkInsertOp(MigrateOperation):
    """Insert rows into a table; offline every row becomes one literal INSERT."""

    op_name = "bulk_insert"

    def __init__(self, table: Any, rows: Sequence[Mapping[str, Any]], *, multiinsert: bool = True) -> None:
        self.table = table
        self.rows = checked_rows(table, rows)
        self.multiinsert = multiinsert

    @classmethod
    def bulk_insert(
        cls, operations: OperationsBase, table: Any, rows: Sequence[Mapping[str, Any]], *, multiinsert: bool = True
    ) -> None:
        """Insert ``rows`` (dicts) into ``table`` (a ``Table`` or ``sa.table()``)."""
        operations.invoke(cls(table, rows, multiinsert=multiinsert))


def checked_rows(table: Any, rows: Any) -> list[Mapping[str, Any]]:
    """``rows`` as a list of mappings, or a ``TypeError`` naming the table (Alembic's exception type)."""
    name = ".".join(str(p) for p in (getattr(table, "schema", None), getattr(table, "name", table)) if p)
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
        raise InvalidArgument(
            f"bulk_insert({name}): List expected: rows must be a list of dicts (column name -> value), "
            f"not {type(rows).__name__}"
        )
    checked = list(rows)
    for number, row in enumerate(checked, 1):
        if not isinstance(row, Mapping):
            shown = repr(row) if len(repr(row)) <= 40 else repr(row)[:37] + "..."
            raise InvalidArgument(
                f"bulk_insert({name}): List of dictionaries expected: row {number} is not a dict of column name -> value but "
                f"{type(row).__name__} {shown}"
            )
    return checked


class DataOperations:
    """``op.execute``, ``op.bulk_insert``."""

    migration_context: RunningContext

    execute = operation_method(ExecuteSQLOp.execute)
    bulk_insert = operation_method(BulkInsertOp.bulk_insert)

    def run_async(self, async_function: Callable[..., Awaitable[_T]], *args: Any, **kw_args: Any) -> _T:
        """Run ``async_function(async_connection, *args, **kw_args)`` on the migration's connection.

        For env.py files that run migrations through ``AsyncConnection.run_sync``:
        the sync connection the migration sees is turned back into its
        ``AsyncConnection`` and the coroutine is awaited in the same greenlet.
        """
        context = self.migration_context
        conn = context.connection
        # in Alembic's order: a sync dialect first (offline too, where its bind is a sync mock)
        if not getattr(conn.dialect if conn is not None else context.impl.dialect, "is_async", False):
            raise AsyncNeedsAsyncEngine(
                "Cannot call run_async with a sync engine (op.run_async() needs an async engine: "
                "create_async_engine + run_sync in env.py)"
            )
        if context.as_sql or conn is None:
            raise AsyncNeedsConnection(
                "Cannot call run_async in SQL mode (op.run_async() needs a database connection; it cannot run in --sql mode)"
            )
        # SQLAlchemy's asyncio extension only for an async run: `limbeck revision` imports the Operations without it
        from sqlalchemy.ext.asyncio import AsyncConnection
        from sqlalchemy.util import await_only

        async_conn = AsyncConnection._retrieve_proxy_for_target(conn)
        return await_only(async_function(async_conn, *args, **kw_args))
