"""SQL Server's T-SQL for limbeck's constructs (the ``@compiles`` functions).

SQL Server names the default, check and foreign-key constraints it creates
for a column itself, renames through ``sp_rename`` and keeps comments as
``MS_Description`` extended properties; the text for all of that is here.
Names that go inside string literals are escaped like any literal, so a
name with a quote in it cannot break the statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.compiler import compiles

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import (
    add_column_text,
    alter_table,
    format_column,
    format_table,
    format_type,
    render_server_default,
    string_literal,
)


def _table(compiler: Any, element: c.AlterTable) -> str:
    return format_table(compiler, element.table_name, element.schema)


@compiles(c.AddColumn, "mssql")
def visit_add_column(element: c.AddColumn, compiler: Any, **kw: Any) -> str:
    return add_column_text(compiler, element, keyword="ADD")


@compiles(c.RenameTable, "mssql")
def visit_rename_table(element: c.RenameTable, compiler: Any, **kw: Any) -> str:
    # sp_rename takes the new name bare: it stays in the table's schema
    old = string_literal(compiler, _table(compiler, element))
    return f"EXEC sp_rename {old}, {format_table(compiler, element.new_table_name, None)}"


@compiles(c.ColumnName, "mssql")
def visit_column_name(element: c.ColumnName, compiler: Any, **kw: Any) -> str:
    old = string_literal(compiler, f"{_table(compiler, element)}.{format_column(compiler, element.column_name)}")
    return f"EXEC sp_rename {old}, {format_column(compiler, element.newname)}, 'COLUMN'"


def _nullability(nullable: bool | None) -> str:
    return "" if nullable is None else " NULL" if nullable else " NOT NULL"


@compiles(c.ColumnType, "mssql")
def visit_column_type(element: c.ColumnType, compiler: Any, **kw: Any) -> str:
    # ALTER COLUMN restates nullability; the lowering fills it in when known
    column = format_column(compiler, element.column_name)
    text = f"{alter_table(compiler, element)} ALTER COLUMN {column} {format_type(compiler, element.type_)}"
    return text + _nullability(element.nullable)


@compiles(c.ColumnNullable, "mssql")
def visit_column_nullable(element: c.ColumnNullable, compiler: Any, **kw: Any) -> str:
    column = format_column(compiler, element.column_name)
    text = f"{alter_table(compiler, element)} ALTER COLUMN {column} {format_type(compiler, element.existing_type)}"
    return text + _nullability(element.nullable)


@compiles(c.ColumnDefault, "mssql")
def visit_column_default(element: c.ColumnDefault, compiler: Any, **kw: Any) -> str:
    # a default is a constraint in SQL Server; dropping one is DropColumnConstraint
    default = render_server_default(compiler, element.default, element.existing_type)
    return f"{alter_table(compiler, element)} ADD DEFAULT {default} FOR {format_column(compiler, element.column_name)}"


#: DropColumnConstraint.kind -> the catalog query naming that kind of constraint on a column
_CONSTRAINT_QUERIES: Mapping[str, str] = {
    "default": (
        "select @const_name = QUOTENAME([name]) from sys.default_constraints\n"
        "where parent_object_id = object_id({table})\n"
        "and col_name(parent_object_id, parent_column_id) = {column}"
    ),
    "check": (
        "select @const_name = QUOTENAME([name]) from sys.check_constraints\n"
        "where parent_object_id = object_id({table})\n"
        "and col_name(parent_object_id, parent_column_id) = {column}"
    ),
    "foreignkey": (
        "select @const_name = QUOTENAME([name]) from\n"
        "sys.foreign_keys fk join sys.foreign_key_columns fkc\n"
        "on fk.object_id=fkc.constraint_object_id\n"
        "where fkc.parent_object_id = object_id({table})\n"
        "and col_name(fkc.parent_object_id, fkc.parent_column_id) = {column}"
    ),
}


@compiles(c.DropColumnConstraint, "mssql")
def visit_drop_column_constraint(element: c.DropColumnConstraint, compiler: Any, **kw: Any) -> str:
    # with no such constraint the name stays NULL and exec() of NULL does nothing
    table = _table(compiler, element)
    query = _CONSTRAINT_QUERIES[element.kind].format(
        table=string_literal(compiler, table), column=string_literal(compiler, element.column_name)
    )
    drop = string_literal(compiler, f"alter table {table} drop constraint ")
    return f"declare @const_name varchar(256)\n{query}\nexec({drop} + @const_name)"


def _property_target(compiler: Any, element: c.AlterTable, column: str | None) -> str:
    """The ``'schema', s, 'table', t[, 'column', c]`` arguments of the sp_*extendedproperty calls."""
    # without a schema the property goes on the table in the user's default schema
    schema = element.schema or compiler.dialect.default_schema_name or "dbo"
    text = f"'schema', {compiler.preparer.quote_schema(schema)}, 'table', {compiler.preparer.quote(element.table_name)}"
    if column is not None:
        text += f", 'column', {compiler.preparer.quote(column)}"
    return text


def _comment_call(compiler: Any, element: Any, column: str | None, keyword: str) -> str:
    target = _property_target(compiler, element, column)
    if element.comment is None:
        return f"{keyword} sp_dropextendedproperty 'MS_Description', {target}"
    # adding a property that exists fails: update it when there is a comment already
    proc = "sp_updateextendedproperty" if element.existing_comment is not None else "sp_addextendedproperty"
    value = "N" + string_literal(compiler, element.comment)
    return f"{keyword} {proc} 'MS_Description', {value}, {target}"


@compiles(c.ColumnComment, "mssql")
def visit_column_comment(element: c.ColumnComment, compiler: Any, **kw: Any) -> str:
    # "execute" as SQLAlchemy writes it for new columns, "exec" as Alembic's alter_column
    return _comment_call(compiler, element, element.column_name, "execute" if element.on_create else "exec")


@compiles(c.TableComment, "mssql")
def visit_table_comment(element: c.TableComment, compiler: Any, **kw: Any) -> str:
    return _comment_call(compiler, element, None, "execute")


@compiles(c.IdentityInsert, "mssql")
def visit_identity_insert(element: c.IdentityInsert, compiler: Any, **kw: Any) -> str:
    table = _table(compiler, element)
    text = f"SET IDENTITY_INSERT {table} {'ON' if element.enable else 'OFF'}"
    if element.guard_columns is None:
        return text
    names = ", ".join("N" + string_literal(compiler, name) for name in element.guard_columns)
    guard = (
        "IF EXISTS (SELECT 1 FROM sys.identity_columns "
        f"WHERE object_id = OBJECT_ID(N{string_literal(compiler, table)}) AND name IN ({names}))"
    )
    return f"{guard} {text}"
