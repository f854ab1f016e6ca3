"""What ``alembic.ddl.base`` answers: the ALTER constructs, and the helpers ``@compiles`` functions call.

Third-party dialects and projects extend Alembic's DDL through this module:
sqlalchemy-bigquery and sqlalchemy-redshift register ``@compiles(ColumnName,
"bigquery")`` / ``compiles(RenameTable, "redshift")(...)`` when they are
imported, and an env.py may override ``AddColumn`` for its database. Without
this module such a dialect fails to import under limbeck, and the override
does nothing. The construct classes here *are* limbeck's own
(:mod:`limbeck.compiler.constructs`, with Alembic's constructor arguments and
attributes), so a function registered on one of them renders limbeck's
statements for that dialect exactly as it renders Alembic's. The helpers
write Alembic's text (checked against Alembic in
``tests/operations/test_alembic_ddl_base.py``).
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Column, Integer
from sqlalchemy.exc import CompileError, UnsupportedCompilationError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler

from limbeck.compiler import ansi
from limbeck.compiler.constructs import (
    AddColumn,
    AlterColumn,
    AlterTable,
    ColumnComment,
    ColumnDefault,
    ColumnIdentity,
    ColumnName,
    ColumnNullable,
    ColumnType,
    DropColumn,
    RenameTable,
)

__all__ = [
    "AddColumn", "AlterColumn", "AlterTable", "ColumnComment", "ColumnDefault", "ColumnName", "ColumnNullable",
    "ColumnType", "ComputedColumnDefault", "DropColumn", "IdentityColumnDefault", "RenameTable", "add_column",
    "alter_column", "alter_table", "drop_column", "format_column_name", "format_server_default",
    "format_table_name", "format_type", "quote_dotted", "visit_add_column", "visit_column_default",
    "visit_column_name", "visit_column_nullable", "visit_column_type", "visit_computed_column",
    "visit_drop_column", "visit_identity_column", "visit_rename_table",
]


class ComputedColumnDefault(AlterColumn):
    """Alembic's construct for a changed ``Computed``: no database can alter one in place."""

    def __init__(self, name: str, column_name: str, default: Any, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.default = default


class IdentityColumnDefault(AlterColumn):
    """Alembic's construct for an added, changed or dropped ``Identity`` (``default``: the new one).

    limbeck renders the change with its own :class:`ColumnIdentity` for the
    dialect; ``existing_server_default`` holds the identity the column has now.
    """

    def __init__(self, name: str, column_name: str, default: Any, impl: Any, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.default = default
        self.impl = impl


# -- helpers (Alembic's names and arguments) -----------------------------------------------
def quote_dotted(name: Any, quote: functools.partial[Any] | Any) -> Any:
    """``a.b`` quoted part by part (a name already marked for quoting stays whole)."""
    if getattr(name, "quote", None):
        return quote(name)
    return ".".join(quote(part) for part in str(name).split("."))


def format_table_name(compiler: Any, name: Any, schema: Any) -> Any:
    quote = functools.partial(compiler.preparer.quote)
    if schema:
        return f"{quote_dotted(schema, quote)}.{quote(name)}"
    return quote(name)


def format_column_name(compiler: DDLCompiler, name: Any) -> Any:
    return compiler.preparer.quote(name)


def format_server_default(compiler: DDLCompiler, default: Any) -> str:
    """The default as in a column definition (an ``Integer`` column's, as Alembic's helper has it)."""
    text = compiler.get_column_default_string(Column("x", Integer, server_default=default))
    return str(text)


def format_type(compiler: DDLCompiler, type_: Any) -> str:
    return ansi.format_type(compiler, type_)


def alter_table(compiler: DDLCompiler, name: str, schema: str | None) -> str:
    return f"ALTER TABLE {format_table_name(compiler, name, schema)}"


def drop_column(compiler: DDLCompiler, name: str, if_exists: bool | None = None, **kw: Any) -> str:
    return f"DROP COLUMN {'IF EXISTS ' if if_exists else ''}{format_column_name(compiler, name)}"


def alter_column(compiler: DDLCompiler, name: str) -> str:
    return f"ALTER COLUMN {format_column_name(compiler, name)}"


def add_column(
    compiler: DDLCompiler, column: Column[Any], if_not_exists: bool | None = None,
    inline_references: bool | None = None, inline_primary_key: bool | None = None, **kw: Any,
) -> str:
    """``ADD COLUMN`` and the column as in CREATE TABLE (its column constraints included).

    ``inline_primary_key`` adds ``PRIMARY KEY`` only for a column that is one, as Alembic's helper.
    """
    text = f"ADD COLUMN {'IF NOT EXISTS ' if if_not_exists else ''}{ansi.column_spec(compiler, column)}"
    if inline_primary_key and column.primary_key:
        text += " PRIMARY KEY"
    if inline_references:
        text += ansi.inline_references(compiler, column)
    return text


# -- visit functions: the generic renderers limbeck registers for its constructs ------------
visit_rename_table = ansi.visit_rename_table
visit_add_column = ansi.visit_add_column
visit_drop_column = ansi.visit_drop_column
visit_column_nullable = ansi.visit_column_nullable
visit_column_type = ansi.visit_column_type
visit_column_name = ansi.visit_column_name
visit_column_default = ansi.visit_column_default


@compiles(ComputedColumnDefault)
def visit_computed_column(element: ComputedColumnDefault, compiler: DDLCompiler, **kw: Any) -> str:
    # Alembic's words: no database alters a computed column in place
    raise CompileError(
        'Adding or removing a "computed" construct, e.g. GENERATED ALWAYS AS, to or from an existing '
        "column is not supported."
    )


def as_column_identity(element: IdentityColumnDefault) -> ColumnIdentity:
    """Alembic's identity change as limbeck's construct: the new identity, and the one the column has now."""
    return ColumnIdentity(
        element.table_name, element.column_name, element.default, element.existing_server_default,
        schema=element.schema, existing_type=element.existing_type, existing_nullable=element.existing_nullable,
    )


@compiles(IdentityColumnDefault)
def visit_identity_column(element: IdentityColumnDefault, compiler: DDLCompiler, **kw: Any) -> str:
    try:
        return str(compiler.process(as_column_identity(element), **kw))
    except UnsupportedCompilationError:
        raise CompileError(
            'Adding, removing or modifying an "identity" construct, e.g. GENERATED AS IDENTITY, to or from '
            "an existing column is not supported in this dialect."
        ) from None
