"""Generic SQL text for limbeck's constructs (the ``@compiles`` defaults).

Dialect modules register variants for the same constructs; SQLAlchemy picks
the one for the dialect being compiled (by ``dialect.name``), falling back to
these. Identifiers always go through the dialect's preparer, so reserved
words, mixed case, spaces and embedded quotes come out quoted the way that
database wants them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn, DefaultClause
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.types import NullType

from limbeck.compiler import constructs as c
from limbeck.operations.schemaobj import IndexText, InlineLiteral
from limbeck.sqla_compat import fk_colspec

# -- formatting helpers shared by the dialect modules ------------------------------------


def format_table(compiler: DDLCompiler, name: str, schema: str | None) -> str:
    quoted = compiler.preparer.quote(name)
    if schema:
        return f"{compiler.preparer.quote_schema(schema)}.{quoted}"
    return quoted


def format_column(compiler: DDLCompiler, name: str) -> str:
    return compiler.preparer.quote(name)


def format_type(compiler: DDLCompiler, type_: Any) -> str:
    return compiler.dialect.type_compiler_instance.process(type_)


def string_literal(compiler: DDLCompiler, value: str) -> str:
    """``value`` as the dialect's string literal (quotes doubled)."""
    return str(compiler.sql_compiler.render_literal_value(value, String()))


def render_server_default(compiler: DDLCompiler, default: Any, type_: Any = None) -> str:
    """A server default as the dialect writes it in a column definition.

    Goes through the dialect's own ``get_column_default_string`` so an ALTER
    renders a default exactly as CREATE TABLE / ADD COLUMN would (MySQL wraps
    SQL expressions in parentheses, strings become quoted literals, ``text()``
    stays as written).
    """
    if not isinstance(default, DefaultClause):
        default = DefaultClause(default)
    column: Column[Any] = Column("_", type_ if type_ is not None else NullType(), server_default=default)
    text = compiler.get_column_default_string(column)
    assert text is not None
    return str(text)


def alter_table(compiler: DDLCompiler, element: c.AlterTable) -> str:
    return f"ALTER TABLE {format_table(compiler, element.table_name, element.schema)}"


def alter_column(compiler: DDLCompiler, element: c.AlterColumn) -> str:
    return f"{alter_table(compiler, element)} ALTER COLUMN {format_column(compiler, element.column_name)}"


def column_spec(compiler: DDLCompiler, column: Column[Any]) -> str:
    """The column as in CREATE TABLE: type, default, nullability, identity, checks."""
    return str(compiler.process(CreateColumn(column)))


def inline_references(compiler: DDLCompiler, column: Column[Any], named: bool = True) -> str:
    """`` [CONSTRAINT n] REFERENCES t (c) ...`` for each foreign key of ``column``."""
    parts = []
    for fk in sorted(column.foreign_keys, key=fk_colspec):
        constraint = fk.constraint
        assert constraint is not None
        text = ""
        if named and constraint.name is not None:
            text += f" CONSTRAINT {compiler.preparer.format_constraint(constraint)}"
        target = fk.column
        # the dialect decides how the referenced table is named (SQLite: never with a schema)
        # SQLAlchemy leaves define_constraint_remote_table unannotated
        remote = compiler.define_constraint_remote_table(  # type: ignore[no-untyped-call]
            constraint, target.table, compiler.preparer
        )
        text += f" REFERENCES {remote} ({compiler.preparer.quote(target.name)})"
        text += compiler.define_constraint_match(constraint)
        text += compiler.define_constraint_cascades(constraint)
        text += compiler.define_constraint_deferrability(constraint)
        parts.append(text)
    return "".join(parts)


def add_column_text(compiler: DDLCompiler, element: c.AddColumn, keyword: str = "ADD COLUMN", named_refs: bool = True) -> str:
    exists = "IF NOT EXISTS " if element.if_not_exists else ""
    text = f"{alter_table(compiler, element)} {keyword} {exists}{column_spec(compiler, element.column)}"
    if element.inline_primary_key:
        text += " PRIMARY KEY"
    if element.inline_references:
        text += inline_references(compiler, element.column, named=named_refs)
    return text


# -- generic visit functions -------------------------------------------------------------


@compiles(c.RenameTable)
def visit_rename_table(element: c.RenameTable, compiler: DDLCompiler, **kw: Any) -> str:
    # Alembic's generic form (a database without a module of its own): the new
    # name in the table's schema; databases that take only a bare new name
    # (PostgreSQL, SQLite, Oracle) use rename_table_in_place
    new = format_table(compiler, element.new_table_name, element.schema)
    return f"{alter_table(compiler, element)} RENAME TO {new}"


def rename_table_in_place(element: c.RenameTable, compiler: DDLCompiler, **kw: Any) -> str:
    """``RENAME TO`` a bare name: the table stays in its schema, which the new name may not repeat."""
    new = format_table(compiler, element.new_table_name, None)
    return f"{alter_table(compiler, element)} RENAME TO {new}"


@compiles(c.AddColumn)
def visit_add_column(element: c.AddColumn, compiler: DDLCompiler, **kw: Any) -> str:
    return add_column_text(compiler, element)


@compiles(c.DropColumn)
def visit_drop_column(element: c.DropColumn, compiler: DDLCompiler, **kw: Any) -> str:
    exists = "IF EXISTS " if element.if_exists else ""
    return f"{alter_table(compiler, element)} DROP COLUMN {exists}{format_column(compiler, element.column.name)}"


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
    default = render_server_default(compiler, element.default, element.existing_type)
    return f"{alter_column(compiler, element)} SET DEFAULT {default}"


@compiles(c.ColumnName)
def visit_column_name(element: c.ColumnName, compiler: DDLCompiler, **kw: Any) -> str:
    # Alembic's generic form, PostgreSQL's too; SQLite and Oracle say RENAME COLUMN
    old = format_column(compiler, element.column_name)
    return f"{alter_table(compiler, element)} RENAME {old} TO {format_column(compiler, element.newname)}"


def rename_column_keyword(element: c.ColumnName, compiler: DDLCompiler, **kw: Any) -> str:
    """``RENAME COLUMN old TO new``, for the databases whose grammar has the keyword (SQLite, Oracle)."""
    old = format_column(compiler, element.column_name)
    return f"{alter_table(compiler, element)} RENAME COLUMN {old} TO {format_column(compiler, element.newname)}"


def comment_value(compiler: DDLCompiler, comment: str | None, null: str = "NULL") -> str:
    return null if comment is None else string_literal(compiler, comment)


@compiles(c.ColumnComment)
def visit_column_comment(element: c.ColumnComment, compiler: DDLCompiler, **kw: Any) -> str:
    table = format_table(compiler, element.table_name, element.schema)
    target = f"{table}.{format_column(compiler, element.column_name)}"
    return f"COMMENT ON COLUMN {target} IS {comment_value(compiler, element.comment)}"


@compiles(c.TableComment)
def visit_table_comment(element: c.TableComment, compiler: DDLCompiler, **kw: Any) -> str:
    table = format_table(compiler, element.table_name, element.schema)
    return f"COMMENT ON TABLE {table} IS {comment_value(compiler, element.comment)}"


@compiles(IndexText)
def visit_index_text(element: IndexText, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.text, **kw))


@compiles(InlineLiteral)
def visit_inline_literal(element: InlineLiteral, compiler: Any, **kw: Any) -> str:
    kw["literal_binds"] = True
    return str(compiler.render_literal_bindparam(element, **kw))
