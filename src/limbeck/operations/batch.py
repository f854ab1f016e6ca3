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
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import LimbeckWarning
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
from limbeck.operations.data import ExecuteSQLOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.records import MigrateOperation
from limbeck.operations.tables import BatchAlterTableOp

if TYPE_CHECKING:
    from sqlalchemy import Column, Table

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
            self.batch.ops.append(operation)
            return None
        return super().invoke(operation)

    # -- columns -------------------------------------------------------------------------
    def add_column(
        self, column: Column[Any], *, insert_before: str | None = None, insert_after: str | None = None,
        if_not_exists: bool | None = None, inline_references: bool | None = None,
        inline_primary_key: bool | None = None,
    ) -> None:
        """Add a column; ``insert_before`` / ``insert_after`` place it when the table is rebuilt.

        ``inline_references`` / ``inline_primary_key`` shape the ``ADD COLUMN``
        where the batch alters the table in place (as ``Operations.add_column``);
        a rebuilt table takes the column's keys from the column itself.
        """
        kw: dict[str, Any] = {k: v for k, v in (("insert_before", insert_before), ("insert_after", insert_after)) if v}
        self.invoke(AddColumnOp(
            self.table_name, column, schema=self.schema, if_not_exists=if_not_exists,
            inline_references=inline_references, inline_primary_key=inline_primary_key, **kw,
        ))

    def alter_column(self, column_name: str, **kw: Any) -> None:
        """Change a column (arguments as ``Operations.alter_column``)."""
        for ignored in ("insert_before", "insert_after"):
            if kw.pop(ignored, None) is not None:
                # Alembic documents these for alter_column but ignores them
                warnings.warn(f"batch alter_column('{column_name}'): {ignored} is ignored", LimbeckWarning, stacklevel=2)
        AlterColumnOp.alter_column(self, self.table_name, column_name, schema=self.schema, **kw)

    def drop_column(self, column_name: str, **kw: Any) -> None:
        """Drop a column."""
        self.invoke(DropColumnOp(self.table_name, column_name, schema=self.schema, **kw))

    # -- indexes -------------------------------------------------------------------------
    def create_index(self, index_name: str | None, columns: Sequence[Any], **kw: Any) -> None:
        """Create an index on this table."""
        self.invoke(CreateIndexOp(index_name, self.table_name, columns, schema=self.schema, **kw))

    def drop_index(self, index_name: str, **kw: Any) -> None:
        """Drop an index of this table."""
        self.invoke(DropIndexOp(index_name, self.table_name, schema=self.schema, **kw))

    # -- data ----------------------------------------------------------------------------
    def execute(self, sqltext: Any, *, execution_options: Mapping[str, Any] | None = None) -> Any:
        """Run SQL now, before the batch's changes (as Alembic does)."""
        return ExecuteSQLOp.execute(self, sqltext, execution_options=execution_options)

    # -- constraints and comments --------------------------------------------------------
    def create_primary_key(self, constraint_name: str | None, columns: Sequence[str]) -> None:
        """Create (replace) the primary key."""
        self.invoke(CreatePrimaryKeyOp(constraint_name, self.table_name, columns, schema=self.schema))

    def create_unique_constraint(self, constraint_name: str | None, columns: Sequence[str], **kw: Any) -> None:
        """Create a UNIQUE constraint."""
        self.invoke(CreateUniqueConstraintOp(constraint_name, self.table_name, columns, schema=self.schema, **kw))

    def create_foreign_key(
        self, constraint_name: str | None, referent_table: str, local_cols: Sequence[str],
        remote_cols: Sequence[str], *, referent_schema: str | None = None, onupdate: str | None = None,
        ondelete: str | None = None, deferrable: bool | None = None, initially: str | None = None,
        match: str | None = None, **dialect_kw: Any,
    ) -> None:
        """Create a FOREIGN KEY from this table to ``referent_table``."""
        self.invoke(
            CreateForeignKeyOp(
                constraint_name, self.table_name, referent_table, local_cols, remote_cols,
                onupdate=onupdate, ondelete=ondelete, deferrable=deferrable, initially=initially, match=match,
                source_schema=self.schema, referent_schema=referent_schema, **dialect_kw,
            )
        )

    def create_check_constraint(self, constraint_name: str | None, condition: Any, **kw: Any) -> None:
        """Create a CHECK constraint."""
        self.invoke(CreateCheckConstraintOp(constraint_name, self.table_name, condition, schema=self.schema, **kw))

    def create_exclude_constraint(self, constraint_name: str | None, *elements: Any, **kw: Any) -> None:
        """Create a PostgreSQL EXCLUDE constraint (altered in place; a rebuild refuses it)."""
        self.invoke(CreateExcludeConstraintOp(constraint_name, self.table_name, elements, schema=self.schema, **kw))

    def drop_constraint(self, constraint_name: str, type_: str | None = None) -> None:
        """Drop a constraint by name (unnamed ones get names from ``naming_convention``)."""
        self.invoke(DropConstraintOp(constraint_name, self.table_name, type_=type_, schema=self.schema))

    def create_table_comment(self, comment: str | None, *, existing_comment: str | None = None) -> None:
        """Set the table's comment."""
        self.invoke(CreateTableCommentOp(self.table_name, comment, existing_comment=existing_comment, schema=self.schema))

    def drop_table_comment(self, *, existing_comment: str | None = None) -> None:
        """Remove the table's comment."""
        self.invoke(DropTableCommentOp(self.table_name, existing_comment=existing_comment, schema=self.schema))


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
