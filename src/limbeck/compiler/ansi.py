"""Generic SQL text for limbeck's constructs (the ``@compiles`` defaults).

Dialect modules register variants for the same constructs; SQLAlchemy picks
the one for the dialect being compiled, falling back to these.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import DefaultClause
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.sql.elements import TextClause

from limbeck.compiler import constructs as c


def format_table(compiler: DDLCompiler, name: str, schema: str | None) -> str:
    quoted = compiler.preparer.quote(name)
    if schema:
        return f"{compiler.preparer.quote_schema(schema)}.{quoted}"
    return quoted


def format_column(compiler: DDLCompiler, name: str) -> str:
    return compiler.preparer.quote(name)


def format_type(compiler: DDLCompiler, type_: Any) -> str:
    return compiler.dialect.type_compiler_instance.process(type_)


def format_server_default(compiler: DDLCompiler, default: Any) -> str:
    """A server default as DDL text: strings quoted, ``text()`` as written."""
    if isinstance(default, DefaultClause):
        default = default.arg
    if isinstance(default, str):
        return compiler.sql_compiler.render_literal_value(default, _string_type())
    if isinstance(default, TextClause):
        return str(default.text)
    return compiler.sql_compiler.process(default, literal_binds=True)


def _string_type() -> Any:
    from sqlalchemy import String

    return String()


def alter_table(compiler: DDLCompiler, element: c.AlterTable) -> str:
    return f"ALTER TABLE {format_table(compiler, element.table_name, element.schema)}"


def column_spec(compiler: DDLCompiler, column: Column[Any]) -> str:
    """The column as in CREATE TABLE (type, default, NOT NULL, computed, identity)."""
    return str(compiler.get_column_specification(column))


@compiles(c.RenameTable)
def visit_rename_table(element: c.RenameTable, compiler: DDLCompiler, **kw: Any) -> str:
    new = format_table(compiler, element.new_table_name, None)
    return f"{alter_table(compiler, element)} RENAME TO {new}"


@compiles(c.AddColumn)
def visit_add_column(element: c.AddColumn, compiler: DDLCompiler, **kw: Any) -> str:
    exists = "IF NOT EXISTS " if element.if_not_exists else ""
    return f"{alter_table(compiler, element)} ADD COLUMN {exists}{column_spec(compiler, element.column)}"


@compiles(c.DropColumn)
def visit_drop_column(element: c.DropColumn, compiler: DDLCompiler, **kw: Any) -> str:
    exists = "IF EXISTS " if element.if_exists else ""
    return f"{alter_table(compiler, element)} DROP COLUMN {exists}{format_column(compiler, element.column.name)}"


def alter_column(compiler: DDLCompiler, element: c.AlterColumn) -> str:
    return f"{alter_table(compiler, element)} ALTER COLUMN {format_column(compiler, element.column_name)}"


@compiles(c.ColumnNullable)
def visit_column_nullable(element: c.ColumnNullable, compiler: DDLCompiler, **kw: Any) -> str:
    return f"{alter_column(compiler, element)} {'DROP' if element.nullable else 'SET'} NOT NULL"


@compiles(c.ColumnType)
def visit_column_type(element: c.ColumnType, compiler: DDLCompiler, **kw: Any) -> str:
    return f"{alter_column(compiler, element)} TYPE {format_type(compiler, element.type_)}"


@compiles(c.ColumnDefault)
def visit_column_default(element: c.ColumnDefault, compiler: DDLCompiler, **kw: Any) -> str:
    if element.default is None:
        return f"{alter_column(compiler, element)} DROP DEFAULT"
    return f"{alter_column(compiler, element)} SET DEFAULT {format_server_default(compiler, element.default)}"


@compiles(c.ColumnName)
def visit_column_name(element: c.ColumnName, compiler: DDLCompiler, **kw: Any) -> str:
    old = format_column(compiler, element.column_name)
    return f"{alter_table(compiler, element)} RENAME COLUMN {old} TO {format_column(compiler, element.newname)}"


@compiles(c.ColumnComment)
def visit_column_comment(element: c.ColumnComment, compiler: DDLCompiler, **kw: Any) -> str:
    target = f"{format_table(compiler, element.table_name, element.schema)}.{format_column(compiler, element.column_name)}"
    if element.comment is None:
        return f"COMMENT ON COLUMN {target} IS NULL"
    literal = compiler.sql_compiler.render_literal_value(element.comment, _string_type())
    return f"COMMENT ON COLUMN {target} IS {literal}"


@compiles(c.InlineLiteral)
def visit_inline_literal(element: c.InlineLiteral, compiler: Any, **kw: Any) -> str:
    kw["literal_binds"] = True
    return str(compiler.render_literal_bindparam(element, **kw))
