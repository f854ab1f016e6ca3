"""SQL Server: transactional DDL, ``GO`` batches, whole-column ``ALTER COLUMN``.

https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-table-transact-sql.
``ALTER COLUMN`` restates type and nullability; defaults are constraints the
server names, dropped through a catalog lookup; renames go through
``sp_rename``; explicit values for an identity column need
``SET IDENTITY_INSERT``. The T-SQL text is in :mod:`limbeck.dialects.mssql_ddl`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import Computed, Identity, Table

from limbeck.compiler import constructs as c
from limbeck.compiler.alter_column import (
    ColumnChange,
    check_alter_column,
    warn_autoincrement,
    with_type_constraints,
)
from limbeck.compiler.columns import MSSQL_DROP_KEYWORDS, drop_column_element
from limbeck.compiler.data import lower_bulk_insert, row_keys
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import warn_as_alembic
from limbeck.dialects import mssql_ddl  # noqa: F401  (registers the T-SQL @compiles)
from limbeck.dialects.base import (
    CatalogFacts,
    ClientSyntax,
    DialectBehaviour,
    Lowering,
    VersionGuardSQL,
)
from limbeck.dialects.guard_sql import Guard, quote, rows_wrong, table_name
from limbeck.errors import CommandError
from limbeck.operations import ops
from limbeck.sqla_compat import autoincrement_column


def lower_drop_column_mssql(op: ops.DropColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """The constraints SQL Server tied to the column go first: it refuses to drop the column otherwise."""
    element = drop_column_element(op, behaviour)
    stmts = [
        ddl(c.DropColumnConstraint(op.table_name, op.column_name, kind, schema=op.schema), op)
        for key, kind in MSSQL_DROP_KEYWORDS.items()
        if op.kw.get(key)
    ]
    return [*stmts, ddl(element, op)]


def _type_and_nullability(change: ColumnChange, behaviour: DialectBehaviour) -> Statement | None:
    op = change.op
    if change.type_ is None and change.nullable is None:
        return None
    type_ = change.type_ if change.type_ is not None else change.existing_type
    if type_ is None:
        raise CommandError(
            f"alter_column({op.table_name}.{op.column_name}) on mssql: MS-SQL ALTER COLUMN operations with NULL "
            "or NOT NULL require the existing_type or a new type_ be passed."
        )
    nullable = change.nullable if change.nullable is not None else change.existing_nullable
    if nullable is None:
        # SQL Server's ALTER COLUMN without NULL / NOT NULL makes the column NULL, even if it was NOT NULL
        warn_as_alembic(
            "MS-SQL ALTER COLUMN operations that specify type_= should also specify a nullable= or "
            "existing_nullable= argument to avoid implicit conversion of NOT NULL columns to NULL."
        )
    kw = {**change.existing(), "existing_type": type_}
    return ddl(c.ColumnType(op.table_name, op.column_name, type_, nullable=nullable, **kw), op)


def lower_alter_column_mssql(op: ops.AlterColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """Drop default, ALTER COLUMN (type + nullability), comment, add default, rename: Alembic's order.

    A default constraint blocks changing the column's type: when the script
    says the column has one (``existing_server_default``) and changes the
    type, the default is dropped before and put back after.
    """
    change = check_alter_column(op, behaviour, identity=False)
    warn_autoincrement(op, behaviour, change)
    kw = change.existing()
    t, col = op.table_name, op.column_name
    drop_default, add_default = _default_plan(change)
    alter = _type_and_nullability(change, behaviour)
    stmts: list[Statement] = []
    if drop_default:
        stmts.append(ddl(c.DropColumnConstraint(t, col, "default", schema=op.schema), op))
    if alter is not None:
        stmts.append(alter)
    if change.changes_comment:
        stmts.append(ddl(c.ColumnComment(t, col, change.comment, **kw), op))
    if add_default is not None:
        stmts.append(ddl(c.ColumnDefault(t, col, add_default, **kw), op))
    if change.name:
        stmts.append(ddl(c.ColumnName(t, col, change.name, **kw), op))
    return with_type_constraints(op, behaviour, stmts)


def _default_plan(change: ColumnChange) -> tuple[bool, Any]:
    """(drop the default constraint first?, default to add after the ALTER COLUMN)."""
    existing = change.existing_default
    if change.changes_default:
        # an existing_server_default given at all, None included, says there may be one to drop
        # (Alembic's test; the drop finds the constraint by name and does nothing without one)
        stated = change.op.existing_server_default is not False
        return (change.default is None or stated), change.default
    plain = existing is not None and not isinstance(existing, (Identity, Computed))
    if change.type_ is not None and plain:
        return True, existing
    return False, None


def _identity_column(table: Any) -> str | None:
    """The key of ``table``'s identity column, as SQLAlchemy's SQL Server dialect sees it."""
    for column in getattr(table, "columns", ()):
        if getattr(column, "identity", None) is not None:
            return str(column.key)
    auto = autoincrement_column(table)
    return str(auto.key) if auto is not None else None


def lower_bulk_insert_mssql(op: ops.BulkInsertOp, behaviour: DialectBehaviour) -> list[Statement]:
    """Rows, with ``SET IDENTITY_INSERT`` around those that give the identity column a value.

    A ``Table`` says which column is the identity one, so only runs of rows
    naming it are wrapped (IDENTITY_INSERT ON makes the value mandatory, and
    fails on a table without identity). A lightweight ``sa.table()`` does not
    say: each run of rows with the same columns is wrapped in statements that
    switch IDENTITY_INSERT only if one of those columns is an identity column.
    """
    inserts = lower_bulk_insert(op, behaviour)
    if not inserts:
        return []
    table = op.table
    known = isinstance(table, Table)
    identity = _identity_column(table) if known else None
    runs: list[tuple[tuple[str, ...] | None, list[Statement]]] = []
    for stmt in _one_per_row(inserts):
        keys = row_keys(stmt)
        wrap: tuple[str, ...] | None = (
            (() if identity in keys else None) if known else keys
        )
        if runs and runs[-1][0] == wrap:
            runs[-1][1].append(stmt)
        else:
            runs.append((wrap, [stmt]))
    name, schema = table.name, getattr(table, "schema", None)
    out: list[Statement] = []
    for wrap, stmts in runs:
        if wrap is None:
            out.extend(stmts)
            continue
        guard = wrap if not known else None
        out.append(ddl(c.IdentityInsert(name, True, schema=schema, guard_columns=guard), op))
        out.extend(_merge(stmts) if op.multiinsert else stmts)
        out.append(ddl(c.IdentityInsert(name, False, schema=schema, guard_columns=guard), op))
    return out


def _one_per_row(stmts: list[Statement]) -> list[Statement]:
    from dataclasses import replace

    return [replace(stmt, multiparams=(row,)) for stmt in stmts for row in (stmt.multiparams or ())]


def _merge(stmts: list[Statement]) -> list[Statement]:
    """One multi-row statement again (an executemany online) for each run of rows naming the same columns.

    A row with SQL values has an INSERT of its own and stays on its own.
    """
    from dataclasses import replace

    merged: list[Statement] = []
    for stmt in stmts:
        last = merged[-1] if merged else None
        if (
            last is not None and last.element is stmt.element and "row_keys" not in stmt.info
            and set(row_keys(last)) == set(row_keys(stmt))
        ):
            merged[-1] = replace(last, multiparams=(*(last.multiparams or ()), *(stmt.multiparams or ())))
        else:
            merged.append(stmt)
    return merged


def version_guard(guard: Guard, compiler: Any) -> str:
    """``IF ... THROW`` (https://learn.microsoft.com/sql/t-sql/language-elements/throw-transact-sql)."""
    if guard.expected is None:
        condition = f"OBJECT_ID({quote(compiler, table_name(compiler, guard))}, 'U') IS NOT NULL"
    else:
        condition = rows_wrong(compiler, guard)
    return f"IF {condition}\n    THROW 50000, {quote(compiler, guard.message)}, 1"


class MSSQLBehaviour(DialectBehaviour):
    name: ClassVar[str] = "mssql"
    alembic_impl: ClassVar[str] = "MSSQLImpl"
    display_name: ClassVar[str] = "SQL Server"
    transactional_ddl: bool = True
    ddl_rolls_back_online: ClassVar[bool] = True
    # sqlcmd / SSMS run a script batch by batch; GO ends each batch
    batch_separator: str | None = "GO"
    batch_separator_option: ClassVar[str | None] = "mssql_batch_separator"
    begin_sql: ClassVar[str] = "BEGIN TRANSACTION"
    # sqlcmd: [a;b] identifiers (the GO separator cuts whatever is open)
    client_syntax: ClassVar[ClientSyntax] = ClientSyntax(bracket_identifiers=True, batches_only=True)
    # sqlcmd goes on to the next batch after an error unless -b is given
    # (https://learn.microsoft.com/sql/tools/sqlcmd/sqlcmd-utility)
    version_guard: ClassVar[VersionGuardSQL | None] = VersionGuardSQL(
        version_guard, "run with sqlcmd -b so the script stops here", procedural=True
    )
    # SQL Server 2016+: DROP TABLE / DROP INDEX ... ON / ALTER TABLE DROP COLUMN /
    # DROP CONSTRAINT take IF EXISTS; nothing takes IF NOT EXISTS
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset({"drop_table", "drop_column", "drop_index", "drop_constraint"})
    # no deferred constraint checking, no MATCH on foreign keys
    deferrable_kinds: ClassVar[frozenset[str] | None] = frozenset()
    deferral_clause_kinds: ClassVar[frozenset[str] | None] = frozenset()
    foreign_key_match: ClassVar[bool] = False
    # DROP INDEX ix ON t
    drop_index_needs_table: ClassVar[bool] = True
    migration_lock: ClassVar[str | None] = "sp_getapplock"
    sqlglot_dialect: ClassVar[str | None] = "tsql"
    # https://learn.microsoft.com/sql/t-sql/statements/set-identity-insert-transact-sql
    identity_insert: ClassVar[bool] = True
    # https://learn.microsoft.com/sql/t-sql/data-types/constants-transact-sql: binary constants
    binary_literal: ClassVar[str] = "0x{hex}"
    catalog: ClassVar[CatalogFacts] = CatalogFacts(identity_columns=True)

    @staticmethod
    def client_reads_differently(statement: str) -> str | None:
        """sqlcmd's own syntax inside a statement's text: a ``GO`` line with a count or a comment, a
        ``:r`` / ``:setvar`` / ``!!`` command line, or a ``$(name)`` scripting variable (substituted
        inside literals too, an undefined one stopping the script)."""
        if _SQLCMD_LINE.search(statement):
            return "a sqlcmd command line (GO with a count or a comment, :r, :setvar, !!): sqlcmd acts on it"
        if "$(" in statement:
            return "a $(name) in the text: sqlcmd substitutes scripting variables, inside literals too"
        return None
    LOWERINGS: ClassVar[Mapping[type, Lowering]] = {
        **DialectBehaviour.LOWERINGS,
        ops.DropColumnOp: lower_drop_column_mssql,
        ops.AlterColumnOp: lower_alter_column_mssql,
        ops.BulkInsertOp: lower_bulk_insert_mssql,
    }

    @classmethod
    def datetime_literal(cls, value: datetime.datetime) -> str | None:
        """A naive datetime with sub-millisecond digits as DATETIME2, which converts to either type.

        DATETIME takes at most 3 fractional digits from a string
        (https://learn.microsoft.com/sql/t-sql/data-types/datetime-transact-sql).
        """
        if value.tzinfo is None and value.microsecond % 1000:
            return f"CAST('{value.isoformat(sep=' ')}' AS DATETIME2)"
        return None


#: a line sqlcmd takes for its own: ``GO`` followed by anything, ``:command``, ``!!``
_SQLCMD_LINE = re.compile(r"^[ \t]*(?:GO\b[ \t]*\S|:[A-Za-z]|!!)", re.IGNORECASE | re.MULTILINE)
