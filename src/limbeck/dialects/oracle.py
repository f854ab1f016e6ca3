"""Oracle: no statement terminator, ``/`` after each statement (SQL*Plus)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.ext.compiler import compiles

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import alter_table, column_spec
from limbeck.dialects.base import DialectBehaviour


class OracleBehaviour(DialectBehaviour):
    name: ClassVar[str] = "oracle"
    # Oracle commits DDL implicitly
    transactional_ddl: ClassVar[bool] = False
    # SQL*Plus runs the buffer at "/"; a ";" inside would be sent to the server
    statement_terminator: ClassVar[str] = ""
    batch_separator: ClassVar[str | None] = "/"
    batch_separator_option: ClassVar[str | None] = "oracle_batch_separator"


@compiles(c.AddColumn, "oracle")
def visit_add_column(element: c.AddColumn, compiler: Any, **kw: Any) -> str:
    return f"{alter_table(compiler, element)} ADD {column_spec(compiler, element.column)}"
