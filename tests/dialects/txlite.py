"""TxLite: a test-only database, added the way the README's "Adding a database" says.

It is SQLite under a name of its own (``txlite``), whose scripts are framed
as transactions: SQLite rolls DDL back like anything else
(https://www.sqlite.org/lang_transaction.html), so a failed revision of a
TxLite script leaves nothing behind. Everything limbeck decides for it is in
this one file: the SQLAlchemy dialect (a real database brings its own, from
its own package), the behaviour's flags and hooks, its lowering overrides and
one ``@compiles`` variant. ``test_txlite.py`` is its test table and runs it
end to end, offline and online, after registering both at test time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.ext.compiler import compiles

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import rename_table_in_place
from limbeck.dialects.base import (
    ClientSyntax,
    DialectBehaviour,
    Lowering,
    StatementValidator,
)
from limbeck.dialects.sqlite import SQLiteBehaviour, op_cannot_alter, op_needs_recreate

NAME = "txlite"


class TxLiteDialect(SQLiteDialect_pysqlite):
    """SQLAlchemy's SQLite dialect under another name (what a third-party dialect package provides)."""

    name = NAME
    supports_statement_cache = True


class TxLiteBehaviour(DialectBehaviour):
    name: ClassVar[str] = NAME
    display_name: ClassVar[str] = "TxLite"
    # https://www.sqlite.org/lang_transaction.html: DDL inside BEGIN ... COMMIT rolls back
    transactional_ddl: bool = True
    ddl_rolls_back_online: ClassVar[bool] = True
    # the longer spelling SQLite also takes, so a script says what it starts
    begin_sql: ClassVar[str] = "BEGIN TRANSACTION"
    # pysqlite opens no transaction before DDL: limbeck sends the BEGIN itself
    driver_defers_begin: ClassVar[bool] = True
    # SQLite's IF [NOT] EXISTS clauses, client (the sqlite3 shell) and foreign keys
    if_exists_clauses: ClassVar[frozenset[str]] = SQLiteBehaviour.if_exists_clauses
    client_syntax: ClassVar[ClientSyntax] = SQLiteBehaviour.client_syntax
    unqualified_references: ClassVar[bool] = True
    # every statement runs on an in-memory database under --validate; lint reads SQLite's grammar
    statement_validator: ClassVar[StatementValidator] = StatementValidator.IN_MEMORY_SQLITE
    sqlglot_dialect: ClassVar[str | None] = "sqlite"
    # ALTER TABLE renames a table and adds, renames and drops a column; the rest is batch
    # mode's: SQLite's lowerings and rules, which TxLite shares
    LOWERINGS: ClassVar[Mapping[type, Lowering]] = SQLiteBehaviour.LOWERINGS

    def batch_needs_recreate(self, op: Any) -> bool:
        return op_needs_recreate(op)

    def batch_cannot_alter(self, op: Any) -> bool:
        return op_cannot_alter(op)


# the generic form names the new table in the old one's schema (Alembic's default);
# https://www.sqlite.org/lang_altertable.html: RENAME TO takes a bare name, the table
# stays in its database
compiles(c.RenameTable, NAME)(rename_table_in_place)
