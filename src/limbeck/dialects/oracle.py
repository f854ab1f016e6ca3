"""Oracle: ``MODIFY`` for column changes, no statement terminator, ``/`` after each statement.

https://docs.oracle.com/en/database/oracle/oracle-database/23/sqlrf/ALTER-TABLE.html
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from sqlalchemy.ext.compiler import compiles

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import (
    add_column_text,
    alter_table,
    comment_value,
    format_column,
    format_table,
    format_type,
    rename_column_keyword,
    rename_table_in_place,
    render_server_default,
)
from limbeck.dialects.base import (
    CatalogFacts,
    ClientSyntax,
    DialectBehaviour,
    VersionGuardSQL,
)
from limbeck.dialects.guard_sql import Guard, quote, rows_wrong
from limbeck.dialects.sqlplus import SQLPREFIX_LINE


def version_guard(guard: Guard, compiler: Any) -> str:
    """An anonymous PL/SQL block calling ``RAISE_APPLICATION_ERROR``."""
    table = guard.table
    if guard.expected is None:
        name = quote(compiler, table.name.upper())
        if table.schema:
            query = f"SELECT COUNT(*) INTO n_wrong FROM all_tables WHERE owner = {quote(compiler, table.schema.upper())} AND table_name = {name}"
        else:
            query = f"SELECT COUNT(*) INTO n_wrong FROM user_tables WHERE table_name = {name}"
    else:
        query = f"SELECT CASE WHEN {rows_wrong(compiler, guard)} THEN 1 ELSE 0 END INTO n_wrong FROM dual"
    return (
        "DECLARE\n    n_wrong INTEGER;\nBEGIN\n"
        f"    {query};\n"
        f"    IF n_wrong > 0 THEN\n        RAISE_APPLICATION_ERROR(-20000, {quote(compiler, guard.message)});\n    END IF;\n"
        "END;"
    )


class OracleBehaviour(DialectBehaviour):
    name: ClassVar[str] = "oracle"
    alembic_impl: ClassVar[str] = "OracleImpl"
    display_name: ClassVar[str] = "Oracle"
    # Oracle commits DDL implicitly
    transactional_ddl: bool = False
    # every DDL statement commits what is open, before and after itself
    ddl_commits_implicitly: ClassVar[bool] = True
    # SQL*Plus runs the buffer at "/"; a ";" inside would be sent to the server
    statement_terminator: ClassVar[str] = ""
    batch_separator: str | None = "/"
    batch_separator_option: ClassVar[str | None] = "oracle_batch_separator"
    # SQLAlchemy's form is RETURNING ... INTO :ret_0, a bind variable SQL*Plus has not declared
    implicit_returning: ClassVar[bool] = False
    # with transactional_ddl=True forced: a bare BEGIN would open a PL/SQL block in
    # SQL*Plus; SET TRANSACTION starts the transaction and, like any statement, runs at "/"
    begin_sql: ClassVar[str] = "SET TRANSACTION READ WRITE"
    begin_separated: ClassVar[bool] = True
    # scripts are run with SQL*Plus (or SQLcl, which reads them the same way)
    client_syntax: ClassVar[ClientSyntax] = ClientSyntax(sqlplus=True)
    # INTERVAL DAY TO SECOND literals (https://docs.oracle.com/en/database/oracle/
    # oracle-database/23/sqlrf/Literals.html#GUID-49FADC66-794D-4763-88C7-B81BB4F26D9E)
    native_interval: ClassVar[bool] = True
    # RAW from its hex digits (https://docs.oracle.com/en/database/oracle/oracle-database/23/sqlrf/HEXTORAW.html)
    binary_literal: ClassVar[str] = "HEXTORAW('{hex}')"
    # SQL*Plus goes on after an error unless told to exit (https://docs.oracle.com/en/
    # database/oracle/oracle-database/23/sqpug/WHENEVER-SQLERROR.html)
    version_guard: ClassVar[VersionGuardSQL | None] = VersionGuardSQL(
        version_guard, "run after WHENEVER SQLERROR EXIT FAILURE so the script stops here", procedural=True
    )
    # IF [NOT] EXISTS on CREATE/DROP TABLE and DROP INDEX arrived with Oracle 23ai
    # (https://docs.oracle.com/en/database/oracle/oracle-database/23/sqlrf/CREATE-TABLE.html);
    # SQLAlchemy does not render it for CREATE INDEX; ALTER TABLE ADD/DROP COLUMN
    # and DROP CONSTRAINT have none
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset({"create_table", "drop_table", "drop_index"})
    # foreign keys: no MATCH clause (and no ON UPDATE, which SQLAlchemy leaves out)
    foreign_key_match: ClassVar[bool] = False
    # ALTER TABLE ... MODIFY c GENERATED AS IDENTITY / DROP IDENTITY (12c+)
    alter_identity: ClassVar[bool] = True
    sqlglot_dialect: ClassVar[str | None] = "oracle"
    catalog: ClassVar[CatalogFacts] = CatalogFacts(identity_columns=True)

    @staticmethod
    def client_reads_differently(statement: str) -> str | None:
        """A line starting with ``#``: SQL*Plus runs it as a command of its own (``SET SQLPREFIX``,
        default ``#``), in the middle of a statement or PL/SQL block, and sends the rest without it
        (https://docs.oracle.com/cd/E57425_01/121/SQPUG/GUID-006F1623-A3AA-434A-95DD-87F73BA5FBCD.htm)."""
        if SQLPREFIX_LINE.search(statement):
            return ("a line starting with '#': SQL*Plus runs it as a command of its own (SQLPREFIX) and sends the "
                    "statement without it")
        return None

    @classmethod
    def datetime_literal(cls, value: datetime.datetime) -> str | None:
        """An aware datetime keeps its offset: ``TO_TIMESTAMP_TZ`` (a string would be read as local time).

        https://docs.oracle.com/en/database/oracle/oracle-database/23/sqlrf/TO_TIMESTAMP_TZ.html
        """
        if value.tzinfo is None:
            return None
        text = value.strftime("%Y-%m-%d %H:%M:%S.%f ") + value.strftime("%z")[:3] + ":" + value.strftime("%z")[3:]
        return f"TO_TIMESTAMP_TZ('{text}', 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM')"


def modify(compiler: Any, element: c.AlterColumn) -> str:
    return f"{alter_table(compiler, element)} MODIFY {format_column(compiler, element.column_name)}"


# Oracle: RENAME COLUMN, and RENAME TO a bare name (the table keeps its owner)
compiles(c.ColumnName, "oracle")(rename_column_keyword)
compiles(c.RenameTable, "oracle")(rename_table_in_place)


@compiles(c.AddColumn, "oracle")
def visit_add_column(element: c.AddColumn, compiler: Any, **kw: Any) -> str:
    return add_column_text(compiler, element, keyword="ADD")


@compiles(c.ColumnNullable, "oracle")
def visit_column_nullable(element: c.ColumnNullable, compiler: Any, **kw: Any) -> str:
    return f"{modify(compiler, element)} {'NULL' if element.nullable else 'NOT NULL'}"


@compiles(c.ColumnType, "oracle")
def visit_column_type(element: c.ColumnType, compiler: Any, **kw: Any) -> str:
    return f"{modify(compiler, element)} {format_type(compiler, element.type_)}"


@compiles(c.ColumnDefault, "oracle")
def visit_column_default(element: c.ColumnDefault, compiler: Any, **kw: Any) -> str:
    # Oracle has no DROP DEFAULT: a NULL default is the absence of one
    if element.default is None:
        return f"{modify(compiler, element)} DEFAULT NULL"
    return f"{modify(compiler, element)} DEFAULT {render_server_default(compiler, element.default, element.existing_type)}"


@compiles(c.ColumnIdentity, "oracle")
def visit_column_identity(element: c.ColumnIdentity, compiler: Any, **kw: Any) -> str:
    new = element.identity
    if new is None:
        return f"{modify(compiler, element)} DROP IDENTITY"
    # the clause exactly as CREATE TABLE / ADD COLUMN write it: Identity(always=None) leaves
    # Oracle's default kind (GENERATED AS IDENTITY, which is ALWAYS) rather than BY DEFAULT
    return f"{modify(compiler, element)} {compiler.visit_identity_column(new)}"


# an empty string is NULL in Oracle: '' removes a comment (COMMENT ON ... IS NULL is rejected)


@compiles(c.ColumnComment, "oracle")
def visit_column_comment(element: c.ColumnComment, compiler: Any, **kw: Any) -> str:
    table = format_table(compiler, element.table_name, element.schema)
    target = f"{table}.{format_column(compiler, element.column_name)}"
    return f"COMMENT ON COLUMN {target} IS {comment_value(compiler, element.comment, null=chr(39) * 2)}"


@compiles(c.TableComment, "oracle")
def visit_table_comment(element: c.TableComment, compiler: Any, **kw: Any) -> str:
    table = format_table(compiler, element.table_name, element.schema)
    return f"COMMENT ON TABLE {table} IS {comment_value(compiler, element.comment, null=chr(39) * 2)}"
