"""Data operations: execute SQL, bulk insert rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from limbeck.operations.records import MigrateOperation

if TYPE_CHECKING:
    from limbeck.operations.base import OperationsBase


class ExecuteSQLOp(MigrateOperation):
    """Run SQL: a plain string (raw SQL, as written), ``text()`` or any executable construct."""

    def __init__(self, sqltext: Any, *, execution_options: Mapping[str, Any] | None = None) -> None:
        self.sqltext = sqltext
        self.execution_options = execution_options

    @classmethod
    def execute(
        cls, operations: "OperationsBase", sqltext: Any, *, execution_options: Mapping[str, Any] | None = None
    ) -> Any:
        return operations.invoke(cls(sqltext, execution_options=execution_options))


class BulkInsertOp(MigrateOperation):
    """Insert rows into a table; offline every row becomes one literal INSERT."""

    def __init__(self, table: Any, rows: Sequence[Mapping[str, Any]], *, multiinsert: bool = True) -> None:
        self.table = table
        self.rows = list(rows)
        self.multiinsert = multiinsert

    @classmethod
    def bulk_insert(
        cls, operations: "OperationsBase", table: Any, rows: Sequence[Mapping[str, Any]], *, multiinsert: bool = True
    ) -> None:
        operations.invoke(cls(table, rows, multiinsert=multiinsert))


class DataOperations:
    """``op.execute``, ``op.bulk_insert``."""

    def execute(self, sqltext: Any, *, execution_options: Mapping[str, Any] | None = None) -> Any:
        """Run SQL. A plain string is raw SQL: no bind parameters, ``%`` and ``:`` as written."""
        return ExecuteSQLOp.execute(self, sqltext, execution_options=execution_options)  # type: ignore[arg-type]

    def bulk_insert(self, table: Any, rows: Sequence[Mapping[str, Any]], *, multiinsert: bool = True) -> None:
        """Insert ``rows`` (dicts) into ``table`` (a ``Table`` or ``sa.table()``)."""
        BulkInsertOp.bulk_insert(self, table, rows, multiinsert=multiinsert)  # type: ignore[arg-type]
