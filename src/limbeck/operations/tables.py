"""Table operations: create, drop, rename."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.operations.callsite import result_discarded
from limbeck.operations.records import (
    AlterTableOp,
    MigrateOperation,
    operation_method,
    schema_objects,
    script_frame,
)

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table

    from limbeck.operations.base import OperationsBase
    from limbeck.operations.protocols import RunningContext
    from limbeck.operations.schemaobj import SchemaObjects


class CreateTableOp(MigrateOperation):
    """Create a table from columns, constraints and indexes.

    ``kw`` keeps what ``Table()`` takes besides those (``mysql_engine``,
    ``postgresql_partition_by``...); ``comment``, ``info`` and ``prefixes``
    are split out because autogenerate renders them as their own arguments.
    """

    op_name = "create_table"

    def __init__(
        self,
        table_name: str,
        columns: Sequence[Any],
        *,
        schema: str | None = None,
        if_not_exists: bool | None = None,
        _namespace_metadata: MetaData | None = None,
        _constraints_included: bool = False,
        **kw: Any,
    ) -> None:
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.if_not_exists = if_not_exists
        self.info = kw.pop("info", {})
        self.comment = kw.pop("comment", None)
        self.prefixes = kw.pop("prefixes", None)
        self.kw = kw
        self._namespace_metadata = _namespace_metadata
        self._constraints_included = _constraints_included

    @classmethod
    def from_table(cls, table: Table, *, _namespace_metadata: MetaData | None = None) -> CreateTableOp:
        """The operation that creates ``table`` (a model's or a reflected one)."""
        # constraints are a set: in creation order, the same table gives the same record
        constraints = sorted(table.constraints, key=lambda c: c._creation_order)
        return cls(
            table.name,
            list(table.c) + constraints,
            schema=table.schema,
            _namespace_metadata=_namespace_metadata if _namespace_metadata is not None else table.metadata,
            _constraints_included=True,
            comment=table.comment,
            info=dict(table.info),
            prefixes=list(table._prefixes),
            **table.kwargs,
        )

    def invoke_result(self, migration_context: RunningContext | None, result: Any) -> Any:
        """What ``op.invoke()`` of this record returns: the table, as Alembic's implementation does
        (``op.create_table`` returns it itself, and builds it only where its result is used)."""
        return result if self.__dict__.get("_by_method") else self.to_table(migration_context)

    def to_table(self, migration_context: RunningContext | None = None) -> Table:
        """The ``Table`` this record creates; built once, since a Column joins one Table only."""
        table: Table | None = self.__dict__.get("_table")
        if table is None:
            table = self.built_table(schema_objects(migration_context))
        return table

    def built_table(self, objects: SchemaObjects) -> Table:
        """The table, built by ``objects`` the first time: lowering builds it for the target
        database, and ``create_table()`` returns that very table."""
        table: Table | None = self.__dict__.get("_table")
        if table is None:
            table = self.__dict__["_table"] = objects.table_from_op(self)
        return table

    def reverse(self) -> DropTableOp:
        return DropTableOp.from_table(self.to_table(), _namespace_metadata=self._namespace_metadata)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_table", self.to_table())

    @classmethod
    def create_table(
        cls, operations: OperationsBase, table_name: str, *columns: Any, if_not_exists: bool | None = None, **kw: Any
    ) -> Table:
        """Create a table from ``Column``, ``Constraint`` and ``Index`` objects.

        Returns the ``Table`` so the same migration can ``bulk_insert`` into
        it. ``kw`` takes ``schema``, ``comment``, ``info``, ``prefixes`` and
        dialect keywords (``mysql_engine``...), as ``Table()`` does.
        """
        op = cls(table_name, columns, if_not_exists=if_not_exists, **kw)
        op.__dict__["_by_method"] = True  # the Table is returned below, only where the call's result is used
        operations.invoke(op)
        if "_table" not in op.__dict__ and result_discarded(script_frame(), "create_table"):
            # `op.create_table(...)` as a statement of its own, its DDL made without the Table (an
            # offline template): nothing can see a Table built now, so none is (op.to_table() builds it)
            return None  # type: ignore[return-value]
        return op.to_table(operations.migration_context)


class DropTableOp(MigrateOperation):
    """Drop a table; ``table_kw`` holds ``Table()`` keywords for dialects that read them."""

    op_name = "drop_table"

    def __init__(
        self,
        table_name: str,
        *,
        schema: str | None = None,
        if_exists: bool | None = None,
        table_kw: dict[str, Any] | None = None,
        _reverse: CreateTableOp | None = None,
    ) -> None:
        self.table_name = table_name
        self.schema = schema
        self.if_exists = if_exists
        self.table_kw = dict(table_kw or {})
        self.comment = self.table_kw.pop("comment", None)
        self.info = self.table_kw.pop("info", None) or {}
        self.prefixes = self.table_kw.pop("prefixes", None) or []
        self._reverse = _reverse

    @classmethod
    def from_table(cls, table: Table, *, _namespace_metadata: MetaData | None = None) -> DropTableOp:
        return cls(
            table.name,
            schema=table.schema,
            table_kw={"comment": table.comment, "info": dict(table.info), "prefixes": list(table._prefixes), **table.kwargs},
            _reverse=CreateTableOp.from_table(table, _namespace_metadata=_namespace_metadata),
        )

    def to_table(self, migration_context: RunningContext | None = None) -> Table:
        """The dropped table as far as known: its columns only if this reverses a create."""
        items = list(self._reverse.columns) if self._reverse is not None else []
        return schema_objects(migration_context).described_table(
            self.table_name, items, schema=self.schema, kw=self.table_kw, comment=self.comment, info=self.info,
            prefixes=self.prefixes, constraints_included=bool(items),
        )

    def reverse(self) -> CreateTableOp:
        rev = self._reverse
        if rev is None:
            return CreateTableOp.from_table(self.to_table())
        # the table's keywords as this record now has them (a process_revision_directives
        # hook may have set table_kw), as Alembic rebuilds the reverse from to_table()
        return CreateTableOp(
            rev.table_name, rev.columns, schema=rev.schema, if_not_exists=rev.if_not_exists,
            _namespace_metadata=rev._namespace_metadata, _constraints_included=rev._constraints_included,
            comment=self.comment, info=self.info, prefixes=self.prefixes, **self.table_kw,
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_table", self.to_table())

    @classmethod
    def drop_table(
        cls, operations: OperationsBase, table_name: str, *, schema: str | None = None,
        if_exists: bool | None = None, **kw: Any,
    ) -> None:
        """Drop a table; ``if_exists`` adds ``IF EXISTS`` where the database has it."""
        operations.invoke(cls(table_name, schema=schema, if_exists=if_exists, table_kw=kw))


class RenameTableOp(AlterTableOp):
    """Rename a table (within its schema)."""

    op_name = "rename_table"

    def __init__(self, old_table_name: str, new_table_name: str, *, schema: str | None = None) -> None:
        super().__init__(old_table_name, schema=schema)
        self.new_table_name = new_table_name

    def reverse(self) -> RenameTableOp:
        return RenameTableOp(self.new_table_name, self.table_name, schema=self.schema)

    @classmethod
    def rename_table(
        cls, operations: OperationsBase, old_table_name: str, new_table_name: str, *, schema: str | None = None
    ) -> None:
        """Rename a table; the new name stays in ``schema``."""
        operations.invoke(cls(old_table_name, new_table_name, schema=schema))


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


class TableOperations:
    """``op.create_table``, ``op.drop_table``, ``op.rename_table``."""

    create_table = operation_method(CreateTableOp.create_table)
    drop_table = operation_method(DropTableOp.drop_table)
    rename_table = operation_method(RenameTableOp.rename_table)
