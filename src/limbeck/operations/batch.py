"""Batch mode: ``op.batch_alter_table()`` and ``BatchOperations``.

Inside ``with op.batch_alter_table("t") as batch_op:`` every call builds the
usual operation record (table name and schema filled in) and queues it on a
:class:`~limbeck.operations.tables.BatchAlterTableOp`; ``batch_op.execute()``
and user-defined operations run at once, as with Alembic. When the block ends
the batch record is invoked, and the migration context runs it
(:mod:`limbeck.runtime.batch`): each queued record through its plain
implementation where the database can do every change with ALTER, otherwise
by rebuilding the table ("move and copy", :mod:`limbeck.compiler.batch`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.operations.base import OperationsBase
from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.operations.comments import CreateTableCommentOp, DropTableCommentOp
from limbeck.operations.constraints import (
    AddConstraintOp,
    CreateCheckConstraintOp,
    CreateExcludeConstraintOp,
    CreateForeignKeyOp,
    CreatePrimaryKeyOp,
    CreateUniqueConstraintOp,
    DropConstraintOp,
)
from limbeck.operations.data import DataOperations, ExecuteSQLOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.records import MigrateOperation, operation_method
from limbeck.operations.tables import BatchAlterTableOp

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.operations.protocols import RunningContext

#: the records a batch queues: what batch mode can apply to a rebuilt table
#: (:func:`limbeck.compiler.batch_model.appliers`), and constraints it cannot
#: rebuild (EXCLUDE): they keep their place among the ALTERs, and a rebuild refuses them
QUEUED: tuple[type[MigrateOperation], ...] = (
    AddColumnOp,
    DropColumnOp,
    AlterColumnOp,
    CreateIndexOp,
    DropIndexOp,
    AddConstraintOp,
    DropConstraintOp,
    CreateTableCommentOp,
    DropTableCommentOp,
)


class BatchOperations(OperationsBase):
    """What ``batch_alter_table()`` yields: the table operations, without the table name."""

    def __init__(self, migration_context: RunningContext, batch: BatchAlterTableOp, impl: Any = None) -> None:
        super().__init__(migration_context, impl)
        self.batch = batch
        self.table_name = batch.table_name
        self.schema = batch.schema

    def invoke(self, operation: MigrateOperation) -> Any:
        """Queue changes to this table; run anything else (``execute``, custom ops) now."""
        if isinstance(operation, QUEUED):
            self.migration_context.check_queued(self.batch, operation)
            self.batch.ops.append(operation)
            return None
        return super().invoke(operation)

    # each method calls the record's ``batch_<name>`` classmethod, as Alembic's do: a plugin that
    # re-registers ``add_column`` here can call ``AddColumnOp.batch_add_column`` without recursing
    add_column = operation_method(AddColumnOp.batch_add_column, "add_column")
    alter_column = operation_method(AlterColumnOp.batch_alter_column, "alter_column")
    drop_column = operation_method(DropColumnOp.batch_drop_column, "drop_column")
    create_index = operation_method(CreateIndexOp.batch_create_index, "create_index")
    drop_index = operation_method(DropIndexOp.batch_drop_index, "drop_index")
    execute = operation_method(ExecuteSQLOp.batch_execute, "execute")
    create_primary_key = operation_method(CreatePrimaryKeyOp.batch_create_primary_key, "create_primary_key")
    create_unique_constraint = operation_method(
        CreateUniqueConstraintOp.batch_create_unique_constraint, "create_unique_constraint"
    )
    create_foreign_key = operation_method(CreateForeignKeyOp.batch_create_foreign_key, "create_foreign_key")
    create_check_constraint = operation_method(
        CreateCheckConstraintOp.batch_create_check_constraint, "create_check_constraint"
    )
    create_exclude_constraint = operation_method(
        CreateExcludeConstraintOp.batch_create_exclude_constraint, "create_exclude_constraint"
    )
    drop_constraint = operation_method(DropConstraintOp.batch_drop_constraint, "drop_constraint")
    create_table_comment = operation_method(CreateTableCommentOp.batch_create_table_comment, "create_table_comment")
    drop_table_comment = operation_method(DropTableCommentOp.batch_drop_table_comment, "drop_table_comment")
    run_async = DataOperations.run_async


class BatchOperationsMixin:
    """``op.batch_alter_table()``, mixed into ``Operations``."""

    @contextlib.contextmanager
    def batch_alter_table(
        self,
        table_name: str,
        schema: str | None = None,
        recreate: str = "auto",
        partial_reordering: Iterable[Sequence[str]] | None = None,
        copy_from: Table | None = None,
        table_args: Sequence[Any] = (),
        table_kwargs: Mapping[str, Any] | None = None,
        reflect_args: Sequence[Any] = (),
        reflect_kwargs: Mapping[str, Any] | None = None,
        naming_convention: Mapping[str, Any] | None = None,
    ) -> Iterator[BatchOperations]:
        """Group changes to one table; rebuild it by "move and copy" where ALTER cannot.

        Args:
            recreate: ``"auto"`` rebuilds only when the database needs it
                (SQLite, for anything but add_column and indexes),
                ``"always"`` on any database, ``"never"`` not at all.
            copy_from: the table as it is now, instead of reflecting it
                (required to rebuild with ``--sql``).
            partial_reordering: tuples of column names in their new order.
            table_args, table_kwargs: extra items / keywords for the new table.
            reflect_args, reflect_kwargs: passed to the reflecting ``Table``
                (e.g. a ``Column`` overriding a reflected type).
            naming_convention: applied when reflecting, so unnamed constraints
                get names ``drop_constraint`` can use.

        Raises:
            OfflineNotSupported: a rebuild with ``--sql`` and no ``copy_from``.
            UnsupportedOperation: ``recreate="never"`` with a change ALTER cannot make.
        """
        assert isinstance(self, OperationsBase)
        batch = BatchAlterTableOp(
            table_name, schema=schema, recreate=recreate, partial_reordering=partial_reordering,
            copy_from=copy_from, table_args=table_args, table_kwargs=table_kwargs, reflect_args=reflect_args,
            reflect_kwargs=reflect_kwargs, naming_convention=naming_convention,
        )
        yield BatchOperations(self.migration_context, batch, self.impl)
        self.invoke(batch)
