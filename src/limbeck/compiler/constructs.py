"""limbeck's own DDL constructs: data only, compiled by ``@compiles`` functions.

SQLAlchemy has constructs for CREATE/DROP of tables, indexes, constraints and
comments; ALTER TABLE for columns it does not. These fill the gap. Each holds
what every dialect might need (existing type, nullability, default, comment),
so a dialect that restates the whole column (MySQL, SQL Server) renders from
the same construct as one that changes one property. The generic SQL text is
in :mod:`limbeck.compiler.ansi`; dialect variants in ``limbeck.dialects.<name>``.

Where limbeck needs a different rendering of something SQLAlchemy already
has (dropping a constraint on MySQL with ``IF EXISTS``), it subclasses the
SQLAlchemy construct: ``@compiles`` on the subclass changes limbeck's output
only, never the application's own use of SQLAlchemy in the same process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.schema import DropConstraint as _SADropConstraint
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.types import to_instance


class AlterTable(ExecutableDDLElement):
    """``ALTER TABLE <table> ...``: the target every subclass shares."""

    inherit_cache = False

    def __init__(self, table_name: str, schema: str | None = None) -> None:
        self.table_name = table_name
        self.schema = schema


class RenameTable(AlterTable):
    def __init__(self, old_table_name: str, new_table_name: str, schema: str | None = None) -> None:
        super().__init__(old_table_name, schema=schema)
        self.new_table_name = new_table_name


class AddColumn(AlterTable):
    """``ADD [COLUMN]`` of a column attached to a stub of its table.

    ``inline_references`` renders the column's foreign keys as ``REFERENCES``
    clauses of the column itself; ``inline_primary_key`` adds ``PRIMARY KEY``.
    """

    def __init__(
        self,
        table_name: str,
        column: Any,
        schema: str | None = None,
        if_not_exists: bool | None = None,
        inline_references: bool = False,
        inline_primary_key: bool = False,
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.column = column
        self.if_not_exists = if_not_exists
        self.inline_references = inline_references
        self.inline_primary_key = inline_primary_key


class DropColumn(AlterTable):
    def __init__(self, table_name: str, column: Any, schema: str | None = None, if_exists: bool | None = None) -> None:
        super().__init__(table_name, schema=schema)
        self.column = column
        self.if_exists = if_exists


class AlterColumn(AlterTable):
    """One change to one column, with what the column is now."""

    def __init__(
        self,
        table_name: str,
        column_name: str,
        schema: str | None = None,
        existing_type: Any = None,
        existing_nullable: bool | None = None,
        existing_server_default: Any = None,
        existing_comment: str | None = None,
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.column_name = column_name
        self.existing_type = existing_type
        self.existing_nullable = existing_nullable
        self.existing_server_default = existing_server_default
        self.existing_comment = existing_comment


class ColumnNullable(AlterColumn):
    def __init__(self, table_name: str, column_name: str, nullable: bool, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.nullable = nullable


class ColumnType(AlterColumn):
    """A new type; ``using`` is PostgreSQL's conversion expression.

    ``nullable`` is what databases that restate nullability with the type
    (SQL Server) render; ``None`` leaves it unsaid.
    """

    def __init__(
        self, table_name: str, column_name: str, type_: Any, using: str | None = None,
        nullable: bool | None = None, **kw: Any,
    ) -> None:
        super().__init__(table_name, column_name, **kw)
        self.type_ = to_instance(type_)
        self.using = using
        self.nullable = nullable


class ColumnDefault(AlterColumn):
    """Set (a value, ``text()``, ``DefaultClause``) or drop (``None``) a server default."""

    def __init__(self, table_name: str, column_name: str, default: Any, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.default = default


class ColumnIdentity(AlterColumn):
    """Add, change or drop ``GENERATED ... AS IDENTITY`` (PostgreSQL, Oracle).

    ``identity`` is the new ``sqlalchemy.Identity`` (``None`` drops it);
    ``existing`` the one the column has now (``None`` adds one).
    """

    def __init__(self, table_name: str, column_name: str, identity: Any, existing: Any, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.identity = identity
        self.existing = existing


class ColumnName(AlterColumn):
    def __init__(self, table_name: str, column_name: str, newname: str, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.newname = newname


class ColumnComment(AlterColumn):
    """Set (a string) or remove (``None``) a column comment.

    ``on_create`` marks the comment of a column the same operation creates
    (``create_table``, ``add_column``), which SQL Server renders in
    SQLAlchemy's own words.
    """

    def __init__(self, table_name: str, column_name: str, comment: str | None, on_create: bool = False, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.comment = comment
        self.on_create = on_create


class RestateColumn(AlterColumn):
    """The whole column restated: MySQL's ``CHANGE`` (with ``newname``) / ``MODIFY``.

    Every attribute is the column as it will be after the statement; the
    lowering merges the requested changes into the ``existing_*`` facts.
    """

    def __init__(
        self,
        table_name: str,
        column_name: str,
        *,
        newname: str | None,
        type_: Any,
        nullable: bool,
        default: Any,
        autoincrement: bool,
        comment: str | None,
        schema: str | None = None,
    ) -> None:
        super().__init__(table_name, column_name, schema=schema)
        self.newname = newname
        self.type_ = to_instance(type_)
        self.nullable = nullable
        self.default = default
        self.autoincrement = autoincrement
        self.comment = comment


class TableComment(AlterTable):
    """Set (a string) or remove (``None``) a table comment."""

    def __init__(
        self, table_name: str, comment: str | None, schema: str | None = None, existing_comment: str | None = None
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.comment = comment
        self.existing_comment = existing_comment


class DropColumnConstraint(AlterTable):
    """SQL Server: drop the unnamed default / check / foreign key tied to a column.

    SQL Server names these constraints itself, so the statement looks the
    name up in the catalog and drops it; ``kind`` is ``"default"``,
    ``"check"`` or ``"foreignkey"``.
    """

    def __init__(self, table_name: str, column_name: str, kind: str, schema: str | None = None) -> None:
        super().__init__(table_name, schema=schema)
        self.column_name = column_name
        self.kind = kind


class IdentityInsert(AlterTable):
    """SQL Server ``SET IDENTITY_INSERT <table> ON|OFF``.

    With ``guard_columns`` the statement runs only if one of those columns is
    an identity column (used when the table object does not say which one is).
    """

    def __init__(
        self, table_name: str, enable: bool, schema: str | None = None, guard_columns: Sequence[str] | None = None
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.enable = enable
        self.guard_columns = tuple(guard_columns) if guard_columns is not None else None


class DropConstraint(_SADropConstraint):
    """SQLAlchemy's ``DropConstraint`` with limbeck's MySQL/MariaDB rendering.

    ``type_`` is the ``drop_constraint(type_=...)`` argument, which MySQL
    needs to pick ``DROP FOREIGN KEY`` / ``DROP INDEX`` / ``DROP CHECK``.
    """

    inherit_cache = False

    def __init__(self, element: Any, type_: str | None = None, if_exists: bool = False) -> None:
        super().__init__(element, if_exists=if_exists)
        self.type_ = type_
