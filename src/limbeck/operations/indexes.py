"""Index operations: create and drop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limbeck.operations.records import (
    MigrateOperation,
    operation_method,
    schema_objects,
)

if TYPE_CHECKING:
    from sqlalchemy import Index

    from limbeck.operations.base import OperationsBase
    from limbeck.operations.protocols import BatchTarget, RunningContext


class CreateIndexOp(MigrateOperation):
    """Create an index on columns or expressions; ``kw`` carries dialect options."""

    op_name = "create_index"

    def __init__(
        self, index_name: str | None, table_name: str, columns: Sequence[Any], *,
        schema: str | None = None, unique: bool = False, if_not_exists: bool | None = None, **kw: Any,
    ) -> None:
        self.index_name = index_name
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.unique = unique
        self.if_not_exists = if_not_exists
        self.kw = kw

    def reverse(self) -> DropIndexOp:
        return DropIndexOp(
            self.index_name, self.table_name, schema=self.schema, _reverse=self, unique=self.unique, **self.kw
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_index", self.to_index())

    def to_index(self, migration_context: RunningContext | None = None) -> Index:
        return schema_objects(migration_context).index_from_op(self)

    @classmethod
    def from_index(cls, index: Index) -> CreateIndexOp:
        assert index.table is not None
        return cls(
            index.name, index.table.name, list(index.expressions), schema=index.table.schema,
            unique=index.unique, **index.dialect_kwargs,  # as reflected: SQLite's 1 is written unique=1, as Alembic
        )

    @classmethod
    def create_index(
        cls, operations: OperationsBase, index_name: str | None, table_name: str, columns: Sequence[Any], *,
        schema: str | None = None, unique: bool = False, if_not_exists: bool | None = None, **kw: Any,
    ) -> None:
        """Create an index; ``columns`` may hold names, ``text()`` or SQL expressions.

        ``kw`` takes the dialect keywords of ``sqlalchemy.Index``
        (``postgresql_where``, ``postgresql_using``, ``postgresql_concurrently``,
        ``mysql_length``, ``mssql_include``, ``mssql_clustered``...).
        """
        operations.invoke(
            cls(index_name, table_name, columns, schema=schema, unique=unique, if_not_exists=if_not_exists, **kw)
        )

    @classmethod
    def batch_create_index(cls, operations: BatchTarget, index_name: str | None, columns: Sequence[Any], **kw: Any) -> None:
        """Create an index on the batch's table (keywords as ``create_index``)."""
        operations.invoke(cls(index_name, operations.table_name, columns, schema=operations.schema, **kw))


class DropIndexOp(MigrateOperation):
    """Drop an index; MySQL and SQL Server need its table name."""

    op_name = "drop_index"

    def __init__(
        self, index_name: Any, table_name: str | None = None, *, schema: str | None = None,
        if_exists: bool | None = None, _reverse: CreateIndexOp | None = None, **kw: Any,
    ) -> None:
        self.index_name = index_name
        self.table_name = table_name
        self.schema = schema
        self.if_exists = if_exists
        self.kw = kw
        self._reverse = _reverse

    def _create(self) -> CreateIndexOp | None:
        """The create this record reverses, with the keywords as this record now has them.

        A ``process_revision_directives`` hook may have added one (``postgresql_concurrently``)
        after autogenerate made the record: Alembic's ``to_index()`` and ``reverse()`` carry it.
        """
        rev = self._reverse
        if rev is None:
            return None
        kw = {**rev.kw, **self.kw}
        unique = kw.pop("unique", rev.unique)
        if bool(unique) == bool(rev.unique):
            unique = rev.unique  # as reflected (SQLite's 1 is rendered unique=1, as Alembic)
        return CreateIndexOp(rev.index_name, rev.table_name, rev.columns, schema=rev.schema, unique=unique, **kw)

    def reverse(self) -> CreateIndexOp:
        return self._create() or CreateIndexOp.from_index(self.to_index())

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_index", self.to_index())

    def to_index(self, migration_context: RunningContext | None = None) -> Index:
        """The dropped index: the original if this reverses a create, else one known by name."""
        create = self._create()
        if create is not None:
            return create.to_index(migration_context)
        return schema_objects(migration_context).index_for_drop(self, placeholder="x")

    @classmethod
    def from_index(cls, index: Index) -> DropIndexOp:
        assert index.table is not None
        return cls(
            index.name, index.table.name, schema=index.table.schema, _reverse=CreateIndexOp.from_index(index),
            unique=bool(index.unique), **index.dialect_kwargs,
        )

    @classmethod
    def drop_index(
        cls, operations: OperationsBase, index_name: str, table_name: str | None = None, *,
        schema: str | None = None, if_exists: bool | None = None, **kw: Any,
    ) -> None:
        """Drop an index; MySQL and SQL Server need ``table_name`` (their indexes belong to a table)."""
        operations.invoke(cls(index_name, table_name, schema=schema, if_exists=if_exists, **kw))

    @classmethod
    def batch_drop_index(cls, operations: BatchTarget, index_name: str, **kw: Any) -> None:
        """Drop an index of the batch's table."""
        operations.invoke(cls(index_name, operations.table_name, schema=operations.schema, **kw))


class IndexOperations:
    """``op.create_index``, ``op.drop_index``."""

    create_index = operation_method(CreateIndexOp.create_index)
    drop_index = operation_method(DropIndexOp.drop_index)
