"""Column operations: add, drop, alter."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from limbeck.errors import InvalidArgument, LimbeckWarning
from limbeck.operations.records import AlterTableOp, operation_method, script_stacklevel

if TYPE_CHECKING:
    from sqlalchemy import Column

    from limbeck.operations.base import OperationsBase
    from limbeck.operations.protocols import BatchTarget, RunningContext


class AddColumnOp(AlterTableOp):
    """Add a column, with the foreign keys, constraints, index and comment it carries.

    ``inline_references`` puts the column's foreign keys in the ADD COLUMN
    itself (``REFERENCES ...``) instead of separate ``ADD CONSTRAINT``
    statements; ``inline_primary_key`` adds ``PRIMARY KEY`` the same way.
    """

    op_name = "add_column"

    def __init__(
        self,
        table_name: str,
        column: Column[Any],
        *,
        schema: str | None = None,
        if_not_exists: bool | None = None,
        inline_references: bool | None = None,
        inline_primary_key: bool | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.column = column
        self.if_not_exists = if_not_exists
        self.inline_references = inline_references
        self.inline_primary_key = inline_primary_key
        self.kw = kw

    def reverse(self) -> DropColumnOp:
        return DropColumnOp.from_column_and_tablename(self.schema, self.table_name, self.column)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_column", self.schema, self.table_name, self.column)

    def to_column(self) -> Column[Any]:
        return self.column

    @classmethod
    def from_column(cls, col: Column[Any]) -> AddColumnOp:
        """The operation adding ``col`` (attached to its table) back to that table."""
        table = col.table
        return cls(table.name, col, schema=table.schema)

    @classmethod
    def from_column_and_tablename(cls, schema: str | None, tname: str, col: Column[Any]) -> AddColumnOp:
        return cls(tname, col, schema=schema)

    @classmethod
    def add_column(
        cls, operations: OperationsBase, table_name: str, column: Column[Any], *,
        schema: str | None = None, if_not_exists: bool | None = None,
        inline_references: bool | None = None, inline_primary_key: bool | None = None,
    ) -> None:
        """Add ``column``; its foreign keys become separate constraints unless ``inline_references``.

        ``primary_key=True`` on the column renders ``PRIMARY KEY`` only with
        ``inline_primary_key=True`` (PostgreSQL's SERIAL needs the flag alone).
        """
        operations.invoke(
            cls(
                table_name, column, schema=schema, if_not_exists=if_not_exists,
                inline_references=inline_references, inline_primary_key=inline_primary_key,
            )
        )

    @classmethod
    def batch_add_column(
        cls, operations: BatchTarget, column: Column[Any], *, insert_before: str | None = None,
        insert_after: str | None = None, if_not_exists: bool | None = None,
        inline_references: bool | None = None, inline_primary_key: bool | None = None,
    ) -> None:
        """Add a column to the batch's table; ``insert_before`` / ``insert_after`` place it when the table is rebuilt.

        ``inline_references`` / ``inline_primary_key`` shape the ``ADD COLUMN``
        where the batch alters the table in place (as ``add_column``); a
        rebuilt table takes the column's keys from the column itself.
        """
        kw = {key: value for key, value in (("insert_before", insert_before), ("insert_after", insert_after)) if value}
        operations.invoke(cls(
            operations.table_name, column, schema=operations.schema, if_not_exists=if_not_exists,
            inline_references=inline_references, inline_primary_key=inline_primary_key, **kw,
        ))


class DropColumnOp(AlterTableOp):
    """Drop a column; ``kw`` carries dialect options such as ``mssql_drop_default``."""

    op_name = "drop_column"

    def __init__(
        self, table_name: str, column_name: str, *, schema: str | None = None,
        if_exists: bool | None = None, _reverse: AddColumnOp | None = None, **kw: Any,
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.column_name = column_name
        self.kw = kw
        self.if_exists = if_exists
        self._reverse = _reverse

    def reverse(self) -> AddColumnOp:
        if self._reverse is None:
            raise ValueError("operation is not reversible; original column is not present")
        return AddColumnOp.from_column_and_tablename(self.schema, self.table_name, self._reverse.column)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_column", self.schema, self.table_name, self.to_column())

    def to_column(self, migration_context: RunningContext | None = None) -> Column[Any]:
        """The dropped column: the original if this reverses an add, else an untyped stand-in."""
        if self._reverse is not None:
            return self._reverse.column
        # SQLAlchemy only when a column is built: `limbeck revision` imports the records without it
        from sqlalchemy import Column
        from sqlalchemy.types import NullType

        return Column(self.column_name, NullType())

    @classmethod
    def from_column_and_tablename(cls, schema: str | None, tname: str, col: Column[Any]) -> DropColumnOp:
        return cls(tname, col.name, schema=schema, _reverse=AddColumnOp.from_column_and_tablename(schema, tname, col))

    @classmethod
    def drop_column(
        cls, operations: OperationsBase, table_name: str, column_name: str, *,
        schema: str | None = None, **kw: Any,
    ) -> None:
        """Drop a column.

        On SQL Server, ``mssql_drop_default`` / ``mssql_drop_check`` /
        ``mssql_drop_foreign_key`` first drop the constraint of that kind
        the server tied to the column (it refuses to drop the column while
        one exists); ``if_exists`` adds ``IF EXISTS`` where the database has it.
        """
        operations.invoke(cls(table_name, column_name, schema=schema, **kw))

    @classmethod
    def batch_drop_column(cls, operations: BatchTarget, column_name: str, **kw: Any) -> None:
        """Drop a column of the batch's table."""
        operations.invoke(cls(operations.table_name, column_name, schema=operations.schema, **kw))


class AlterColumnOp(AlterTableOp):
    """Change a column: nullability, type, server default, name, comment.

    ``modify_*`` hold the requested changes (``None`` / ``False`` mean "leave
    alone", as in Alembic: ``False`` where ``None`` is itself a request, to
    drop a default or a comment); ``existing_*`` say what the column is now,
    which databases that restate the whole column (MySQL, SQL Server) need.
    ``kw`` keeps ``postgresql_using``, ``autoincrement``, ``existing_autoincrement``.
    """

    op_name = "alter_column"

    def __init__(
        self,
        table_name: str,
        column_name: str,
        *,
        schema: str | None = None,
        existing_type: Any = None,
        existing_server_default: Any = False,
        existing_nullable: bool | None = None,
        existing_comment: str | None = None,
        modify_nullable: bool | None = None,
        modify_comment: Any = False,
        modify_server_default: Any = False,
        modify_name: str | None = None,
        modify_type: Any = None,
        **kw: Any,
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.column_name = column_name
        self.existing_type = existing_type
        self.existing_server_default = existing_server_default
        self.existing_nullable = existing_nullable
        self.existing_comment = existing_comment
        self.modify_nullable = modify_nullable
        self.modify_comment = modify_comment
        self.modify_server_default = modify_server_default
        self.modify_name = modify_name
        self.modify_type = modify_type
        self.kw = kw

    def has_changes(self) -> bool:
        return bool(
            self.modify_nullable is not None
            or self.modify_comment is not False
            or self.modify_server_default is not False
            or self.modify_name
            or self.modify_type is not None
            or self.kw.get("autoincrement") is not None
        )

    def to_diff_tuple(self) -> list[tuple[Any, ...]]:
        """Autogenerate's ``modify_*`` entries, one per requested change (a list, as Alembic's)."""
        where = (self.schema, self.table_name, self.column_name)
        diffs: list[tuple[Any, ...]] = []
        if self.modify_type is not None:
            facts = {"existing_nullable": self.existing_nullable, "existing_server_default": self.existing_server_default,
                     "existing_comment": self.existing_comment}
            diffs.append(("modify_type", *where, facts, self.existing_type, self.modify_type))
        if self.modify_nullable is not None:
            facts = {"existing_type": self.existing_type, "existing_server_default": self.existing_server_default,
                     "existing_comment": self.existing_comment}
            diffs.append(("modify_nullable", *where, facts, self.existing_nullable, self.modify_nullable))
        if self.modify_server_default is not False:
            facts = {"existing_nullable": self.existing_nullable, "existing_type": self.existing_type,
                     "existing_comment": self.existing_comment}
            diffs.append(("modify_default", *where, facts, self.existing_server_default, self.modify_server_default))
        if self.modify_comment is not False:
            facts = {"existing_nullable": self.existing_nullable, "existing_type": self.existing_type,
                     "existing_server_default": self.existing_server_default}
            diffs.append(("modify_comment", *where, facts, self.existing_comment, self.modify_comment))
        return diffs

    def reverse(self) -> AlterColumnOp:
        kw = dict(self.kw)
        kw["existing_type"] = self.modify_type if self.modify_type is not None else self.existing_type
        kw["existing_nullable"] = self.modify_nullable if self.modify_nullable is not None else self.existing_nullable
        kw["existing_server_default"] = (
            self.modify_server_default if self.modify_server_default is not False else self.existing_server_default
        )
        kw["existing_comment"] = self.modify_comment if self.modify_comment is not False else self.existing_comment
        if self.modify_type is not None:
            kw["modify_type"] = self.existing_type
        if self.modify_nullable is not None:
            kw["modify_nullable"] = self.existing_nullable
        if self.modify_server_default is not False:
            kw["modify_server_default"] = self.existing_server_default
        if self.modify_comment is not False:
            kw["modify_comment"] = self.existing_comment
        # a rename is undone too (Alembic's reverse keeps the new name, which
        # leaves the reversed operation pointing at a column that is gone)
        name = self.modify_name or self.column_name
        if self.modify_name:
            kw["modify_name"] = self.column_name
        return AlterColumnOp(self.table_name, name, schema=self.schema, **kw)

    @classmethod
    def alter_column(
        cls,
        operations: OperationsBase | BatchTarget,
        table_name: str,
        column_name: str,
        *,
        nullable: bool | None = None,
        comment: Any = False,
        server_default: Any = False,
        new_column_name: str | None = None,
        type_: Any = None,
        existing_type: Any = None,
        existing_server_default: Any = False,
        existing_nullable: bool | None = None,
        existing_comment: str | None = None,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        """Change a column.

        MySQL and SQL Server restate the column, so they need ``existing_type``
        (and ``existing_nullable``, ``existing_server_default``,
        ``existing_comment``, which would otherwise be reset). ``server_default=None``
        and ``comment=None`` drop the default / comment; ``postgresql_using``
        gives PostgreSQL the conversion for a type change.
        """
        if "name" in kw:
            # Alembic's old spelling of new_column_name: ignoring it would silently skip the rename
            # (Alembic 1.x fails on it with a TypeError)
            raise InvalidArgument(
                f"alter_column({table_name}.{column_name}): 'name' is not an argument; rename with new_column_name="
            )
        operations.invoke(
            cls(
                table_name, column_name, schema=schema, existing_type=existing_type,
                existing_server_default=existing_server_default, existing_nullable=existing_nullable,
                existing_comment=existing_comment, modify_nullable=nullable, modify_comment=comment,
                modify_server_default=server_default, modify_name=new_column_name, modify_type=type_,
                **kw,
            )
        )

    @classmethod
    def batch_alter_column(
        cls,
        operations: BatchTarget,
        column_name: str,
        *,
        nullable: bool | None = None,
        comment: Any = False,
        server_default: Any = False,
        new_column_name: str | None = None,
        type_: Any = None,
        existing_type: Any = None,
        existing_server_default: Any = False,
        existing_nullable: bool | None = None,
        existing_comment: str | None = None,
        insert_before: str | None = None,
        insert_after: str | None = None,
        **kw: Any,
    ) -> None:
        """Change a column of the batch's table (arguments as ``alter_column``).

        ``insert_before`` / ``insert_after`` are in Alembic's signature, and
        Alembic ignores them: so does limbeck, with a warning.
        """
        for ignored, value in (("insert_before", insert_before), ("insert_after", insert_after)):
            if value is not None:
                warnings.warn(
                    f"batch alter_column('{column_name}'): {ignored} is ignored", LimbeckWarning,
                    stacklevel=script_stacklevel(),
                )
        cls.alter_column(
            operations, operations.table_name, column_name, schema=operations.schema, nullable=nullable,
            comment=comment, server_default=server_default, new_column_name=new_column_name, type_=type_,
            existing_type=existing_type, existing_server_default=existing_server_default,
            existing_nullable=existing_nullable, existing_comment=existing_comment, **kw,
        )


class ColumnOperations:
    """``op.add_column``, ``op.drop_column``, ``op.alter_column``."""

    add_column = operation_method(AddColumnOp.add_column)
    drop_column = operation_method(DropColumnOp.drop_column)
    alter_column = operation_method(AlterColumnOp.alter_column)
