"""PostgreSQL: transactional DDL, ``ALTER COLUMN ... TYPE ... USING``."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.ext.compiler import compiles

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import alter_column, alter_table, format_column, format_type
from limbeck.dialects.base import DialectBehaviour


class PostgreSQLBehaviour(DialectBehaviour):
    name: ClassVar[str] = "postgresql"
    transactional_ddl: ClassVar[bool] = True
    # the type goes first so a USING clause sees the old column unchanged
    alter_column_order: ClassVar[tuple[str, ...]] = ("type", "nullable", "default", "comment", "name")


@compiles(c.ColumnType, "postgresql")
def visit_column_type(element: c.ColumnType, compiler: Any, **kw: Any) -> str:
    text = f"{alter_column(compiler, element)} TYPE {format_type(compiler, element.type_)}"
    if element.using:
        text += f" USING {element.using}"
    return text


@compiles(c.ColumnName, "postgresql")
def visit_column_name(element: c.ColumnName, compiler: Any, **kw: Any) -> str:
    old = format_column(compiler, element.column_name)
    return f"{alter_table(compiler, element)} RENAME {old} TO {format_column(compiler, element.newname)}"
