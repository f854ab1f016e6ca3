"""Batch mode: ``op.batch_alter_table()`` and ``BatchOperations``.

Inside ``with op.batch_alter_table("t") as batch_op:`` every call builds the
usual operation record (table name and schema filled in) and queues it on a
:class:`BatchAlterTableOp`; ``batch_op.execute()`` and user-defined
operations run at once, as with Alembic. When the block ends the batch record
is invoked: where the database can do every change with ALTER (and
``recreate`` is not ``"always"``), each queued record runs through its plain
implementation; otherwise the table is rebuilt by "move and copy" (see
:mod:`limbeck.compiler.batch`), reflecting it through the migration context's
connection online or taking ``copy_from`` offline.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import (
    CommandError,
    LimbeckWarning,
    OfflineNotSupported,
    UnsupportedOperation,
)
from limbeck.operations.base import OperationsBase
from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.operations.data import ExecuteSQLOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.records import AlterTableOp, MigrateOperation

if TYPE_CHECKING:
    from sqlalchemy import Column, Table

    from limbeck.runtime.migration import MigrationContext

_RECREATE_CHOICES = ("auto", "always", "never")


class BatchAlterTableOp(AlterTableOp):
    """A batch of operations on one table (Alembic's ``ops.BatchAlterTableOp``)."""

    def __init__(
        self,
        table_name: str,
        ops: Sequence[MigrateOperation] = (),
        *,
        schema: str | None = None,
        recreate: str = "auto",
        partial_reordering: Iterable[Sequence[str]] | None = None,
        copy_from: Table | None = None,
        table_args: Sequence[Any] = (),
        table_kwargs: Mapping[str, Any] | None = None,
        reflect_args: Sequence[Any] = (),
        reflect_kwargs: Mapping[str, Any] | None = None,
        naming_convention: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(table_name, schema=schema)
        if recreate not in _RECREATE_CHOICES:
            raise CommandError(
                f"batch_alter_table('{table_name}'): recreate must be one of 'auto', 'always', 'never', got {recreate!r}"
            )
        self.ops = list(ops)
        self.recreate = recreate
        self.partial_reordering = [tuple(group) for group in partial_reordering or ()]
        self.copy_from = copy_from
        self.table_args = tuple(table_args)
        self.table_kwargs = dict(table_kwargs or {})
        self.reflect_args = tuple(reflect_args)
        self.reflect_kwargs = dict(reflect_kwargs or {})
        self.naming_convention = dict(naming_convention) if naming_convention else None

    def __repr__(self) -> str:
        return f"BatchAlterTableOp(table_name={self.table_name!r}, schema={self.schema!r}, ops={self.ops!r})"


def _describe(op: MigrateOperation) -> str:
    """``alter_column('x')``-style name of a record for messages."""
    name = type(op).__name__.removesuffix("Op")
    snake = "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in name).lstrip("_")
    target = getattr(op, "column_name", None) or getattr(op, "constraint_name", None) or getattr(op, "index_name", None)
    if target is None and isinstance(op, AddColumnOp):
        target = op.column.name
    return f"{snake}('{target}')" if target else f"{snake}()"


def _placement(op: MigrateOperation) -> bool:
    return isinstance(op, AddColumnOp) and bool(op.kw.get("insert_before") or op.kw.get("insert_after"))


def _plain(op: MigrateOperation) -> MigrateOperation:
    """``op`` without the batch-only placement keywords, for its plain implementation."""
    if isinstance(op, AddColumnOp) and op.kw:
        kw = {k: v for k, v in op.kw.items() if k not in ("insert_before", "insert_after")}
        return AddColumnOp(op.table_name, op.column, schema=op.schema, if_not_exists=op.if_not_exists, **kw)
    return op


def _should_recreate(operations: OperationsBase, batch: BatchAlterTableOp) -> bool:
    from limbeck.compiler.batch import ops_needing_recreate

    behaviour = operations.migration_context.behaviour
    if batch.recreate == "always":
        return True
    blocking = ops_needing_recreate(batch.ops, behaviour, never=batch.recreate == "never")
    if batch.recreate == "never":
        if blocking:
            raise UnsupportedOperation(
                f"batch_alter_table('{batch.table_name}', recreate='never'): {_describe(blocking[0])}",
                behaviour.name,
                "the database cannot do it with ALTER TABLE",
                "use recreate='auto' (or 'always') so the table is rebuilt",
            )
        return False
    return bool(blocking)


def _source_table(operations: OperationsBase, batch: BatchAlterTableOp) -> Table:
    """The table as it is: ``copy_from``, or reflected through the context's connection."""
    if batch.copy_from is not None:
        return batch.copy_from
    context = operations.migration_context
    if context.as_sql:
        raise OfflineNotSupported(
            f"{context.describe_current()}: batch_alter_table('{batch.table_name}') on {context.behaviour.name} "
            "must rebuild the table and needs a live database to reflect it; pass the table as it is now "
            "as copy_from=Table(...) to render it with --sql"
        )
    from sqlalchemy import MetaData, Table

    from limbeck.operations.written_ddl import reflect_quietly, restore_reflected

    metadata = MetaData(naming_convention=batch.naming_convention) if batch.naming_convention else MetaData()
    query = context.behaviour.catalog.ddl_text_query
    if query is None:
        table = Table(
            batch.table_name, metadata, *batch.reflect_args, schema=batch.schema,
            autoload_with=context.bind, **batch.reflect_kwargs,
        )
    else:
        # the rebuilt table keeps the expression indexes and DESC orders reflection loses
        table = reflect_quietly(
            Table, batch.table_name, metadata, *batch.reflect_args, schema=batch.schema,
            autoload_with=context.bind, **batch.reflect_kwargs,
        )
        restore_reflected(context.bind, table, query)
    _reflected_defaults(table, context.behaviour)
    return table


def _reflected_defaults(table: Table, behaviour: Any) -> None:
    """Each reflected text default as the database's batch writes it back (``reflected_default``)."""
    from sqlalchemy import DefaultClause, text
    from sqlalchemy.sql.elements import TextClause

    for column in table.c:
        default = column.server_default
        if isinstance(default, DefaultClause) and isinstance(default.arg, TextClause):
            wanted = behaviour.reflected_default(default.arg.text)
            if wanted != default.arg.text:
                column.server_default = DefaultClause(text(wanted))


def run_batch(operations: OperationsBase, batch: BatchAlterTableOp) -> None:
    """The implementation of :class:`BatchAlterTableOp`."""
    context = operations.migration_context
    if not _should_recreate(operations, batch):
        if batch.partial_reordering:
            warnings.warn(
                f"batch_alter_table('{batch.table_name}'): partial_reordering is ignored when the table "
                "is altered in place; pass recreate='always' to reorder",
                LimbeckWarning,
                stacklevel=4,
            )
        for op in batch.ops:
            if _placement(op):
                raise CommandError(
                    f"batch_alter_table('{batch.table_name}'): {_describe(op)}: insert_before / insert_after "
                    "need the table rebuilt, which this batch does not do on "
                    f"{context.behaviour.name}; pass recreate='always'"
                )
        for op in batch.ops:
            operations.invoke(_plain(op))
        return
    from limbeck.compiler.batch import plan_move_and_copy

    statements = plan_move_and_copy(_source_table(operations, batch), batch, context.behaviour)
    _emit_recreate(context, statements)


def _emit_recreate(context: MigrationContext, statements: Sequence[Any]) -> None:
    """Emit the rebuild; if copying the rows fails online, drop the temporary table.

    Only where the rollback would not remove it (DDL that commits at once, or
    SQLite outside a transaction limbeck opened). The failed transaction is
    rolled back first, as the run would do anyway, so the DROP is not undone
    with it.
    """
    for stmt in statements:
        try:
            context.emit(stmt)
        except Exception:
            if stmt.info.get("batch_step") == "copy" and not context.as_sql and not context.impl.ddl_undone_by_rollback:
                from sqlalchemy.schema import DropTable

                from limbeck.compiler.statement import ddl

                context.impl.rollback()
                context.emit(ddl(DropTable(stmt.info["temp_table"]), stmt.source, batch_step="cleanup"))
                context.impl.finish()
            raise


OperationsBase._to_impl[BatchAlterTableOp] = run_batch


class BatchOperations(OperationsBase):
    """What ``batch_alter_table()`` yields: the table operations, without the table name."""

    def __init__(self, migration_context: MigrationContext, batch: BatchAlterTableOp, impl: Any = None) -> None:
        super().__init__(migration_context, impl)
        self.batch = batch
        self.table_name = batch.table_name
        self.schema = batch.schema

    def invoke(self, operation: MigrateOperation) -> Any:
        """Queue changes to this table; run anything else (``execute``, custom ops) now."""
        from limbeck.compiler.batch_model import appliers
        from limbeck.operations.constraints import AddConstraintOp

        # constraints batch mode cannot rebuild (EXCLUDE) are queued too: they
        # keep their place among the ALTERs, and a rebuild refuses them
        if isinstance(operation, AddConstraintOp) or any(k in appliers() for k in type(operation).__mro__):
            self.batch.ops.append(operation)
            return None
        return super().invoke(operation)

    # -- columns -------------------------------------------------------------------------
    def add_column(
        self, column: Column[Any], *, insert_before: str | None = None, insert_after: str | None = None,
        if_not_exists: bool | None = None,
    ) -> None:
        """Add a column; ``insert_before`` / ``insert_after`` place it when the table is rebuilt."""
        kw = {k: v for k, v in (("insert_before", insert_before), ("insert_after", insert_after)) if v}
        self.invoke(AddColumnOp(self.table_name, column, schema=self.schema, if_not_exists=if_not_exists, **kw))

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
        from limbeck.operations.constraints import CreatePrimaryKeyOp

        self.invoke(CreatePrimaryKeyOp(constraint_name, self.table_name, columns, schema=self.schema))

    def create_unique_constraint(self, constraint_name: str | None, columns: Sequence[str], **kw: Any) -> None:
        """Create a UNIQUE constraint."""
        from limbeck.operations.constraints import CreateUniqueConstraintOp

        self.invoke(CreateUniqueConstraintOp(constraint_name, self.table_name, columns, schema=self.schema, **kw))

    def create_foreign_key(
        self, constraint_name: str | None, referent_table: str, local_cols: Sequence[str],
        remote_cols: Sequence[str], *, referent_schema: str | None = None, onupdate: str | None = None,
        ondelete: str | None = None, deferrable: bool | None = None, initially: str | None = None,
        match: str | None = None, **dialect_kw: Any,
    ) -> None:
        """Create a FOREIGN KEY from this table to ``referent_table``."""
        from limbeck.operations.constraints import CreateForeignKeyOp

        self.invoke(
            CreateForeignKeyOp(
                constraint_name, self.table_name, referent_table, local_cols, remote_cols,
                onupdate=onupdate, ondelete=ondelete, deferrable=deferrable, initially=initially, match=match,
                source_schema=self.schema, referent_schema=referent_schema, **dialect_kw,
            )
        )

    def create_check_constraint(self, constraint_name: str | None, condition: Any, **kw: Any) -> None:
        """Create a CHECK constraint."""
        from limbeck.operations.constraints import CreateCheckConstraintOp

        self.invoke(CreateCheckConstraintOp(constraint_name, self.table_name, condition, schema=self.schema, **kw))

    def create_exclude_constraint(self, constraint_name: str | None, *elements: Any, **kw: Any) -> None:
        """Create a PostgreSQL EXCLUDE constraint (altered in place; a rebuild refuses it)."""
        from limbeck.operations.constraints import CreateExcludeConstraintOp

        self.invoke(CreateExcludeConstraintOp(constraint_name, self.table_name, elements, schema=self.schema, **kw))

    def drop_constraint(self, constraint_name: str, type_: str | None = None) -> None:
        """Drop a constraint by name (unnamed ones get names from ``naming_convention``)."""
        from limbeck.operations.constraints import DropConstraintOp

        self.invoke(DropConstraintOp(constraint_name, self.table_name, type_=type_, schema=self.schema))

    def create_table_comment(self, comment: str | None, *, existing_comment: str | None = None) -> None:
        """Set the table's comment."""
        from limbeck.operations.comments import CreateTableCommentOp

        self.invoke(CreateTableCommentOp(self.table_name, comment, existing_comment=existing_comment, schema=self.schema))

    def drop_table_comment(self, *, existing_comment: str | None = None) -> None:
        """Remove the table's comment."""
        from limbeck.operations.comments import DropTableCommentOp

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
