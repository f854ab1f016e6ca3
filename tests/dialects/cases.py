"""The table format of the per-dialect tests: operation call -> exact SQL per dialect.

A :class:`Case` is one ``op.*`` call (a function of ``op``) and what each
dialect it applies to must produce: the statements in order (as the one
emitter renders them offline, without terminators and batch separators), a
warning and those statements, or an error. Keys of ``expected`` name one
dialect or several separated by spaces (``"postgresql oracle"``; one of
:data:`ALL`, or a database a test registered), so a case
shared by several databases is written once, in the most general test
module that produces it.

``differs`` lists, per dialect, why limbeck deliberately does not produce
what Alembic does; ``record_alembic.py`` records Alembic's output for every
case and ``test_alembic_parity.py`` checks the two lists agree.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from limbeck.dialects import registered

HERE = Path(__file__).resolve().parent
FACTS = HERE / "alembic_facts.json"

ALL = ("sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle")
#: dialects that share most ANSI-ish ALTER output
ANSI = "sqlite postgresql mysql mariadb"
NOT_SQLITE = "postgresql mysql mariadb mssql oracle"
MYSQLS = "mysql mariadb"

SQL = str | Sequence[str]


@dataclass(frozen=True)
class Warn:
    """The statements, with a LimbeckWarning whose message contains ``text``."""

    text: str
    sql: SQL = ()


@dataclass(frozen=True)
class Error:
    """The operation raises ``exc``, whose message contains ``text``, before emitting anything."""

    exc: type[BaseException]
    text: str


Expected = str | Sequence[str] | Warn | Error


@dataclass(frozen=True)
class Case:
    id: str
    fn: Callable[[Any], Any]
    expected: Mapping[str, Expected]
    #: dialect(s) -> why limbeck's output deliberately differs from Alembic's
    differs: Mapping[str, str] = field(default_factory=dict)
    #: configure() options for the run (e.g. target_metadata with a naming convention)
    opts: Mapping[str, Any] = field(default_factory=dict)

    def per_dialect(self) -> dict[str, Expected]:
        return _expand(self.expected)

    def differences(self) -> dict[str, str]:
        return _expand(self.differs)


def _expand(table: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        for dialect in key.split():
            assert dialect in ALL or dialect in registered(), f"unknown dialect {dialect!r}"
            assert dialect not in out, f"dialect {dialect!r} listed twice"
            out[dialect] = value
    return out


def params(cases: Sequence[Case]) -> Iterator[Any]:
    """``pytest.param(case, dialect)`` for every dialect of every case."""
    import pytest

    ids = [case.id for case in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate case ids: {sorted(duplicates)}"
    for case in cases:
        for dialect in case.per_dialect():
            yield pytest.param(case, dialect, id=f"{case.id}-{dialect}")


def split_script(text: str) -> list[str]:
    """An offline script as its statements: separators and terminators removed."""
    statements = []
    for chunk in text.split("\n\n"):
        chunk = chunk.strip()
        if not chunk or chunk in ("GO", "/"):
            continue
        statements.append(chunk.removesuffix(";"))
    return statements


def as_list(sql: SQL) -> list[str]:
    return [sql] if isinstance(sql, str) else list(sql)


def limbeck_statements(dialect: str, fn: Callable[[Any], Any], **opts: Any) -> list[str]:
    from limbeck.testing import compile_ops

    return split_script(compile_ops(dialect, fn, **opts))


def check(case: Case, dialect: str) -> None:
    """Run ``case`` through limbeck for ``dialect`` and compare with its expectation."""
    import pytest

    from limbeck.errors import LimbeckWarning

    expected = case.per_dialect()[dialect]
    if isinstance(expected, Error):
        with pytest.raises(expected.exc, match=re.escape(expected.text)):
            limbeck_statements(dialect, case.fn, **case.opts)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = limbeck_statements(dialect, case.fn, **case.opts)
    ours = [str(w.message) for w in caught if issubclass(w.category, LimbeckWarning)]
    if isinstance(expected, Warn):
        assert any(expected.text in message for message in ours), ours
        assert got == as_list(expected.sql)
    else:
        assert not ours, f"unexpected warnings: {ours}"
        assert got == as_list(expected)


class Why:
    """Reasons limbeck's SQL deliberately differs from Alembic's (``Case.differs``)."""

    SQLITE_COMMENTS = "SQLite keeps no comments: Alembic emits COMMENT ON, which SQLite rejects"
    MSSQL_COMMENT = "Alembic crashes on SQL Server comments without a schema; limbeck uses the default schema"
    NO_CLAUSE = (
        "the database has no IF [NOT] EXISTS here: Alembic emits invalid SQL or drops it silently; "
        "limbeck drops it with a warning"
    )
    SQLITE_BATCH = (
        "SQLite's ALTER TABLE cannot do this: Alembic emits invalid SQL, limbeck refuses and points to batch mode"
    )
    SQLITE_CAST = (
        "batch copy into a type of INTEGER/REAL/NUMERIC affinity from a column that may hold text: SQLite's CAST "
        "makes text that is not a number 0 (a date a bare year); copied without CAST the column keeps it intact"
    )
    CHECK_RENAME = (
        "a renamed column is renamed inside CHECK conditions: Alembic keeps the old name, which the new table "
        "rejects (no such column)"
    )
    CHECK_DROPPED_COLUMN = (
        "a CHECK naming a dropped column is dropped with it (with a warning): Alembic keeps it, which the new "
        "table rejects (no such column)"
    )
    SQLITE_FK_INLINE = "SQLite cannot add a foreign key afterwards but takes REFERENCES in ADD COLUMN; Alembic refuses"
    INLINE_REFS = "Alembic silently drops the foreign key on this database with inline_references=True"
    INLINE_PK = "Alembic drops PRIMARY KEY here with inline_primary_key=True"
    DEFERRABLE = "the database has no deferrable constraints: Alembic emits DEFERRABLE, which it rejects"
    DEFERRABLE_KIND = ("PostgreSQL cannot defer a CHECK, SQLite anything but a foreign key: Alembic writes "
                       "DEFERRABLE, which the database rejects")
    NOT_DEFERRABLE = "NOT DEFERRABLE is the only behaviour and the parser rejects the words: left out with a warning"
    MATCH = "no MATCH clause on this database: limbeck refuses (Alembic emits invalid SQL or a compile error)"
    INLINE_CHECK = "a column-level CHECK is part of the column (Alembic drops it on this database)"
    NEEDS_TABLE = "DROP INDEX needs the table here: Alembic renders 'ON no_table'"
    INSERT_INLINE = "no implicit RETURNING ... INTO :ret_0: a bind variable a SQL*Plus script does not declare"
    IDENTITY_INSERT = (
        "SET IDENTITY_INSERT only around rows that give the identity column a value (Alembic wraps every "
        "bulk_insert, which fails on tables without identity or rows without the column)"
    )
    RAW_SQL = (
        "a plain string is raw SQL as written: Alembic makes ':name' a bind parameter (rendered NULL) "
        "and doubles '%' for pyformat drivers"
    )
    MARIADB_KW = "mysql_* keywords also apply on MariaDB (Alembic/SQLAlchemy's mariadb dialect ignores them)"
    SET_ORDER = (
        "Alembic orders these statements by iterating a set (it varies from run to run); limbeck's order is fixed"
    )
    UNTYPED = "values of untyped sa.table() columns render as literals of their Python type (Alembic fails)"
    MYSQL_ON_UPDATE = (
        "ON UPDATE exists only in a column definition: Alembic's ALTER COLUMN ... SET DEFAULT ... ON UPDATE is "
        "rejected by MySQL and MariaDB; limbeck restates the column with CHANGE (and needs its type)"
    )
    MYSQL_SET_DEFAULT_EXPR = (
        "MySQL's SET DEFAULT takes only a literal or a parenthesized expression: Alembic's bare function is "
        "rejected; limbeck parenthesizes it, or restates a date/time column with CHANGE"
    )
    MYSQL_NO_CHANGE = (
        "an alter_column that changes nothing: Alembic restates a date/time column, dropping the default and "
        "NOT NULL it was not told about; limbeck writes nothing"
    )
    STALE_CHECK = (
        "Alembic never drops the CHECK of a Boolean/Enum existing_type on MySQL/MariaDB, which then rejects "
        "values the new type allows; limbeck drops it (and refuses when it has no name, as Alembic does elsewhere)"
    )
