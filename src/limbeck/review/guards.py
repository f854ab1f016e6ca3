"""``--guard``: the offline script first checks that the database is where it starts.

A script rendered for ``b2:head`` is only right for a database at ``b2``.
The guard is the first statement after env.py's own framing: it reads the
version table and stops the script with an error when the rows are not
exactly the range's start (for a range from base: when a version table
already exists, since the script creates it).

Per database: PostgreSQL a ``DO`` block that raises; SQL Server
``IF ... THROW``; Oracle an anonymous PL/SQL block calling
``RAISE_APPLICATION_ERROR``; MySQL/MariaDB a ``SELECT`` whose ``CASE``
falls into a subquery of two rows (error 1242) because neither has a
conditional error outside stored programs. SQLite cannot stop a script on
a condition outside a trigger: it gets a comment saying what to check.
Clients must stop at the first error: ``psql -v ON_ERROR_STOP=1``,
``sqlcmd -b``, SQL*Plus ``WHENEVER SQLERROR EXIT FAILURE`` (the ``mysql``
client stops by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import String

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.runtime.migration import MigrationContext

#: databases with a guard statement; any other gets the explanatory comment only
GUARDED = frozenset({"postgresql", "mssql", "oracle", "mysql", "mariadb"})

_HOW_TO_RUN = {
    "postgresql": "run with psql -v ON_ERROR_STOP=1 so the script stops here",
    "mssql": "run with sqlcmd -b so the script stops here",
    "oracle": "run after WHENEVER SQLERROR EXIT FAILURE so the script stops here",
    "mysql": "fails with error 1242 (subquery returns more than 1 row) when it does not",
    "mariadb": "fails with error 1242 (subquery returns more than 1 row) when it does not",
}


class VersionGuard(Executable, ClauseElement):
    """Stop unless ``table`` holds exactly ``expected`` (``None``: unless the table is absent)."""

    __visit_name__ = "limbeck_version_guard"
    inherit_cache = False

    def __init__(self, table: Table, expected: tuple[str, ...] | None) -> None:
        self.table = table
        self.expected = expected

    @property
    def message(self) -> str:
        name = self.table.fullname
        if self.expected is None:
            return f"limbeck guard: {name} already exists; this script starts from an empty database"
        if not self.expected:
            return f"limbeck guard: {name} must be empty; this script starts from base"
        return f"limbeck guard: {name} must hold exactly {', '.join(self.expected)}; this script starts there"


def expectation(guard: VersionGuard) -> str:
    """The guard's condition in words, for the comment above it."""
    if guard.expected is None:
        return f"the database has no {guard.table.fullname} table yet"
    if not guard.expected:
        return f"{guard.table.fullname} is empty"
    return f"{guard.table.fullname} holds exactly: {', '.join(guard.expected)}"


def guard_statements(context: MigrationContext, heads: Sequence[str]) -> list[Statement]:
    """The comment and the guard statement for ``context``'s dialect and start."""
    from limbeck.dialects import behaviour_name

    start = context.opts.get("starting_rev")
    expected = None if start in (None, "base") else tuple(heads)
    guard = VersionGuard(context._version.table, expected)
    dialect = behaviour_name(context.dialect)
    if dialect not in GUARDED:
        text = (
            f"-- limbeck guard: {dialect} cannot stop a script on a condition; "
            f"check by hand that {expectation(guard)}"
        )
        return [Statement(Kind.COMMENT, text, info={"guard": True})]
    comment = f"-- limbeck guard: continue only if {expectation(guard)} ({_HOW_TO_RUN[dialect]})"
    return [
        Statement(Kind.COMMENT, comment, info={"guard": True}),
        Statement(Kind.DML, guard, info={"guard": True, "procedural": dialect in ("postgresql", "mssql", "oracle")}),
    ]


def emit_guard(context: MigrationContext, heads: Sequence[str]) -> None:
    context.emit_all(guard_statements(context, heads))


# -- SQL per database ---------------------------------------------------------------------
def _quote(compiler: Any, value: str) -> str:
    return str(compiler.render_literal_value(value, String()))


def _table(compiler: Any, guard: VersionGuard) -> str:
    return str(compiler.preparer.format_table(guard.table))


def _in_list(compiler: Any, guard: VersionGuard) -> str:
    return ", ".join(_quote(compiler, rev) for rev in guard.expected or ())


def _rows_wrong(compiler: Any, guard: VersionGuard) -> str:
    """SQL true when the table's rows are not exactly ``guard.expected``."""
    table = _table(compiler, guard)
    wanted = len(guard.expected or ())
    if not wanted:
        return f"(SELECT COUNT(*) FROM {table}) <> 0"
    return (
        f"(SELECT COUNT(*) FROM {table}) <> {wanted} OR "
        f"(SELECT COUNT(*) FROM {table} WHERE version_num IN ({_in_list(compiler, guard)})) <> {wanted}"
    )


@compiles(VersionGuard, "postgresql")
def visit_version_guard_postgresql(guard: VersionGuard, compiler: Any, **kw: Any) -> str:
    if guard.expected is None:
        condition = f"to_regclass({_quote(compiler, _table(compiler, guard))}) IS NOT NULL"
    else:
        condition = _rows_wrong(compiler, guard)
    return (
        "DO $limbeck_guard$\nBEGIN\n"
        f"    IF {condition} THEN\n"
        f"        RAISE EXCEPTION {_quote(compiler, guard.message)};\n"
        "    END IF;\nEND\n$limbeck_guard$"
    )


@compiles(VersionGuard, "mssql")
def visit_version_guard_mssql(guard: VersionGuard, compiler: Any, **kw: Any) -> str:
    if guard.expected is None:
        condition = f"OBJECT_ID({_quote(compiler, _table(compiler, guard))}, 'U') IS NOT NULL"
    else:
        condition = _rows_wrong(compiler, guard)
    return f"IF {condition}\n    THROW 50000, {_quote(compiler, guard.message)}, 1"


@compiles(VersionGuard, "oracle")
def visit_version_guard_oracle(guard: VersionGuard, compiler: Any, **kw: Any) -> str:
    table = guard.table
    if guard.expected is None:
        name = _quote(compiler, table.name.upper())
        if table.schema:
            query = f"SELECT COUNT(*) INTO n_wrong FROM all_tables WHERE owner = {_quote(compiler, table.schema.upper())} AND table_name = {name}"
        else:
            query = f"SELECT COUNT(*) INTO n_wrong FROM user_tables WHERE table_name = {name}"
    else:
        query = f"SELECT CASE WHEN {_rows_wrong(compiler, guard)} THEN 1 ELSE 0 END INTO n_wrong FROM dual"
    return (
        "DECLARE\n    n_wrong INTEGER;\nBEGIN\n"
        f"    {query};\n"
        f"    IF n_wrong > 0 THEN\n        RAISE_APPLICATION_ERROR(-20000, {_quote(compiler, guard.message)});\n    END IF;\n"
        "END;"
    )


def _mysql(guard: VersionGuard, compiler: Any, **kw: Any) -> str:
    table = guard.table
    if guard.expected is None:
        schema = _quote(compiler, table.schema) if table.schema else "DATABASE()"
        condition = (
            "(SELECT COUNT(*) FROM information_schema.tables "
            f"WHERE table_schema = {schema} AND table_name = {_quote(compiler, table.name)}) <> 0"
        )
    else:
        condition = _rows_wrong(compiler, guard)
    # no conditional error outside stored programs: the ELSE branch is a
    # subquery of two rows, which fails (1242) only when it is evaluated
    return (
        f"SELECT CASE WHEN {condition} THEN (SELECT {_quote(compiler, guard.message)} UNION ALL SELECT NULL) "
        "ELSE 'ok' END AS limbeck_guard"
    )


compiles(VersionGuard, "mysql")(_mysql)
compiles(VersionGuard, "mariadb")(_mysql)
