"""limbeck's own DDL constructs: data only, compiled by ``@compiles`` functions.

SQLAlchemy has constructs for CREATE/DROP of tables, indexes, constraints and
comments; ALTER TABLE for columns it does not. These fill the gap. Each holds
what every dialect might need (existing type, nullability, default, comment),
so a dialect that restates the whole column (MySQL, SQL Server) renders from
the same construct as one that changes one property. The generic SQL text is
in :mod:`limbeck.compiler.ansi`; dialect variants in ``limbeck.dialects.<name>``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.sql.elements import BindParameter


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
    def __init__(self, table_name: str, column: Any, schema: str | None = None, if_not_exists: bool | None = None) -> None:
        super().__init__(table_name, schema=schema)
        self.column = column
        self.if_not_exists = if_not_exists


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
    def __init__(self, table_name: str, column_name: str, type_: Any, using: str | None = None, **kw: Any) -> None:
        from sqlalchemy.types import to_instance

        super().__init__(table_name, column_name, **kw)
        self.type_ = to_instance(type_)
        self.using = using


class ColumnDefault(AlterColumn):
    """Set (a value, ``text()``, ``DefaultClause``) or drop (``None``) a server default."""

    def __init__(self, table_name: str, column_name: str, default: Any, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.default = default


class ColumnName(AlterColumn):
    def __init__(self, table_name: str, column_name: str, newname: str, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.newname = newname


class ColumnComment(AlterColumn):
    def __init__(self, table_name: str, column_name: str, comment: str | None, **kw: Any) -> None:
        super().__init__(table_name, column_name, **kw)
        self.comment = comment


class InlineLiteral(BindParameter[Any]):
    """``op.inline_literal()``: a value that always renders as a literal.

    Usable in DML online and offline alike; the compile function renders the
    value with the dialect's literal processor instead of a placeholder.
    """

    inherit_cache = True

    def __init__(self, value: Any, type_: Any = None) -> None:
        super().__init__(None, value, type_=type_, unique=True)
