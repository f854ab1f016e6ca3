"""SQL Server: transactional DDL, ``GO`` batches, ``ADD`` without ``COLUMN``."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.ext.compiler import compiles

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import alter_table, column_spec
from limbeck.dialects.base import DialectBehaviour


class MSSQLBehaviour(DialectBehaviour):
    name: ClassVar[str] = "mssql"
    transactional_ddl: ClassVar[bool] = True
    # sqlcmd / SSMS run a script batch by batch; GO ends each batch
    batch_separator: ClassVar[str | None] = "GO"
    batch_separator_option: ClassVar[str | None] = "mssql_batch_separator"
    begin_sql: ClassVar[str] = "BEGIN TRANSACTION"


@compiles(c.AddColumn, "mssql")
def visit_add_column(element: c.AddColumn, compiler: Any, **kw: Any) -> str:
    return f"{alter_table(compiler, element)} ADD {column_spec(compiler, element.column)}"
