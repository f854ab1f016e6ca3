"""What the records and the Operations API use of the runtime, written as Protocols.

Records describe; the migration context runs them. ``operations/`` lies below the runtime
(and below the compiler and the dialects), so it names what it needs of them here instead of
importing them: :class:`limbeck.runtime.migration.MigrationContext` is the running context,
:class:`limbeck.dialects.base.DialectBehaviour` the schema target.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from limbeck.operations.base import OperationsBase
    from limbeck.operations.records import MigrateOperation
    from limbeck.operations.tables import BatchAlterTableOp


class SchemaTarget(Protocol):
    """What building schema objects for a database reads of it."""

    @property
    def opts(self) -> Mapping[str, Any]:
        """The run's ``configure()`` options; ``target_metadata`` gives the naming convention."""

    @property
    def dialect_kw_aliases(self) -> Mapping[str, str]:
        """Dialect-keyword prefix -> another prefix the same keywords are copied to."""

    @property
    def run_cache(self) -> dict[str, Any]:
        """What lowering keeps for the rest of the run (stub tables shared by index operations)."""


class RunningContext(Protocol):
    """The migration context an ``Operations`` object is bound to."""

    @property
    def behaviour(self) -> SchemaTarget: ...

    @property
    def impl(self) -> Any:
        """The emitter (Alembic's name)."""

    @property
    def bind(self) -> Any:
        """The connection online; offline a stand-in that refuses to read rows."""

    @property
    def connection(self) -> Any: ...

    @property
    def as_sql(self) -> bool: ...

    def run_operation(self, operation: MigrateOperation, operations: OperationsBase | None = None) -> Any:
        """Run a record: lower it for the database and emit its statements."""

    def check_queued(self, batch: BatchAlterTableOp, operation: MigrateOperation) -> None:
        """Refuse, at the call, a record ``batch`` cannot take (what Alembic's batch refuses as it queues)."""


class BatchTarget(Protocol):
    """What a record's ``batch_<name>`` classmethod reads of the ``batch_op`` it is given.

    Alembic's ops API has both forms (``AddColumnOp.add_column(operations,
    table, ...)`` and ``AddColumnOp.batch_add_column(batch_op, ...)``); code
    that customises batch mode calls the second with the ``BatchOperations``
    of a ``batch_alter_table()`` block, whose table the record is for.
    """

    @property
    def table_name(self) -> str: ...

    @property
    def schema(self) -> str | None: ...

    def invoke(self, operation: MigrateOperation) -> Any:
        """Queue a change of the table (or run anything else now)."""


__all__ = ["BatchTarget", "RunningContext", "SchemaTarget"]
