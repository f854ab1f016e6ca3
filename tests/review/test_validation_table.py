"""The validation table (validation_corpus.py): ground truth on the real databases, and each validator's rates.

The expected verdict of every statement is checked on the database itself
(PostgreSQL and MariaDB servers the suite starts, SQLite in memory). The
rates are measured here and must equal the table in README.md ("How much
validation catches"); when a change moves them the test fails and prints
the new table.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import sqlalchemy as sa

from limbeck.compiler.statement import Kind, Statement
from limbeck.review.execute_check import ScratchDatabase, run_sqlite
from limbeck.review.stream import Record
from limbeck.review.temporary_server import TemporaryServer
from limbeck.review.validate import Status, Verdict, pglast_verdict, sqlglot_verdict

_spec = importlib.util.spec_from_file_location("validation_corpus", Path(__file__).with_name("validation_corpus.py"))
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
sys.modules["validation_corpus"] = corpus
_spec.loader.exec_module(corpus)

README = Path(__file__).resolve().parents[2] / "README.md"


def cases(dialect: str) -> list[object]:
    return [c for c in corpus.CASES if c.dialect == dialect]


def _ids(dialect: str) -> list[str]:
    return [f"{c.kind}:{c.sql[:50]}" for c in cases(dialect)]


# -- ground truth: the real databases -----------------------------------------------------------
def _sqlite_accepts(sql: str) -> bool:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for text in corpus.SETUP["sqlite"]:
            conn.execute(text)
        conn.execute(sql)
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def test_table_size() -> None:
    assert len(corpus.CASES) >= 150
    for dialect in ("postgresql", "sqlite", "mariadb"):
        kinds = {c.kind for c in cases(dialect)}
        assert kinds == {corpus.VALID, corpus.SYNTAX, corpus.NAMES}, dialect
    assert len({(c.dialect, c.sql) for c in corpus.CASES}) == len(corpus.CASES)


@pytest.mark.parametrize("case", cases("sqlite"), ids=_ids("sqlite"))
def test_sqlite_says_what_the_table_says(case: object) -> None:
    assert _sqlite_accepts(case.sql) is case.valid  # type: ignore[attr-defined]


@pytest.mark.postgresql
def test_postgresql_says_what_the_table_says(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    wrong = []
    try:
        with engine.connect() as raw:
            conn = raw.execution_options(no_parameters=True)
            for case in cases("postgresql"):
                transaction = conn.begin()
                try:
                    for text in corpus.SETUP["postgresql"]:
                        conn.exec_driver_sql(text)
                    try:
                        conn.exec_driver_sql(case.sql)  # type: ignore[attr-defined]
                        accepted = True
                    except sa.exc.DBAPIError:
                        accepted = False
                finally:
                    transaction.rollback()
                if accepted is not case.valid:  # type: ignore[attr-defined]
                    wrong.append(case)
    finally:
        engine.dispose()
    assert wrong == []


def _mariadb_accepts(server: object, sql: str) -> bool:
    name = f"truth_{uuid.uuid4().hex[:10]}"
    admin = server.admin  # type: ignore[attr-defined]
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine = sa.create_engine(f"{server.url}/{name}", poolclass=sa.pool.NullPool)  # type: ignore[attr-defined]
    try:
        with engine.connect() as raw:
            conn = raw.execution_options(no_parameters=True)
            for text in corpus.SETUP["mariadb"]:
                conn.exec_driver_sql(text)
            try:
                conn.exec_driver_sql(sql)
                return True
            except sa.exc.DBAPIError:
                return False
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name}")


@pytest.mark.mariadb
def test_mariadb_says_what_the_table_says(mariadb_server: object) -> None:
    wrong = [c for c in cases("mariadb") if _mariadb_accepts(mariadb_server, c.sql) is not c.valid]  # type: ignore[attr-defined]
    assert wrong == []


# -- the validators' rates ------------------------------------------------------------------------
def _record(dialect: str, text: str, transactional: bool) -> Record:
    return Record(Statement(Kind.DDL, text), (text,), (text + ";\n",), dialect, transactional, False)


def _scratch(url: str, dialect: str, transactional: bool) -> Callable[[str], Verdict]:
    database = ScratchDatabase(url, "test")

    def judge(sql: str) -> Verdict:
        record = _record(dialect, sql, transactional)
        return database.judge([(record, sql)], [Verdict(Status.NOT_CHECKED, "")], list(corpus.SETUP[dialect]), [])[0]

    return judge


def _temporary(server: TemporaryServer) -> Callable[[str], Verdict]:
    """What ``--validate`` does on PostgreSQL without a URL: pglast, then the temporary server."""

    def judge(sql: str) -> Verdict:
        record = _record("postgresql", sql, True)
        notes: list[str] = []
        verdict = server.judge([(record, sql)], [pglast_verdict(sql)], list(corpus.SETUP["postgresql"]), notes)[0]
        assert not any(note.startswith("no temporary PostgreSQL") for note in notes), notes
        return verdict

    return judge


def _rates(dialect: str, name: str, judge: Callable[[str], Verdict]) -> str:
    table = cases(dialect)
    flagged = {c.sql for c in table if judge(c.sql).status is Status.INVALID}  # type: ignore[attr-defined]

    def count(kind: str) -> tuple[int, int]:
        group = [c for c in table if c.kind == kind]  # type: ignore[attr-defined]
        return sum(1 for c in group if c.sql in flagged), len(group)  # type: ignore[attr-defined]

    (syn, n_syn), (nam, n_nam), (fp, n_valid) = count(corpus.SYNTAX), count(corpus.NAMES), count(corpus.VALID)
    total = 100 * (syn + nam) / (n_syn + n_nam)
    return (
        f"| {dialect} | {name} | {syn}/{n_syn} ({100 * syn / n_syn:.0f} %) | {nam}/{n_nam} ({100 * nam / n_nam:.0f} %) | "
        f"{total:.0f} % | {fp}/{n_valid} |"
    )


def render(rows: Iterable[str]) -> str:
    head = [
        "| Database | Validator | Syntax errors caught | Schema / data errors caught | All invalid caught | False positives (valid flagged) |",
        "|---|---|---|---|---|---|",
    ]
    return "\n".join([*head, *rows]) + "\n"


def measure(pg_url: str, mariadb_url: str) -> str:
    server = TemporaryServer()
    with server.session():
        default = _rates("postgresql", "temporary server (the machine's PostgreSQL), the default", _temporary(server))
    return render([
        _rates("postgresql", "sqlglot (lenient)", lambda s: sqlglot_verdict(s, "postgresql")),
        _rates("postgresql", "pglast (PostgreSQL's parser), the default without server binaries", pglast_verdict),
        default,
        _rates("postgresql", "scratch database (--validate-on)", _scratch(pg_url, "postgresql", True)),
        _rates("sqlite", "sqlglot (lenient)", lambda s: sqlglot_verdict(s, "sqlite")),
        _rates("sqlite", "in-memory engine, the default", lambda s: run_sqlite([s], corpus.SETUP["sqlite"])[0]),
        _rates("mariadb", "sqlglot (lenient), the default", lambda s: sqlglot_verdict(s, "mariadb")),
        _rates("mariadb", "scratch database (--validate-on)", _scratch(mariadb_url, "mariadb", False)),
    ])


@pytest.mark.postgresql
@pytest.mark.mariadb
def test_rates_are_the_ones_in_the_readme(pg_url: str, mariadb_url: str, temporary_pg: str) -> None:
    table = measure(pg_url, mariadb_url)
    rows = {line.split(" | ")[0] + " | " + line.split(" | ")[1]: line for line in table.splitlines()[2:]}

    def caught(key: str) -> tuple[float, int]:
        cells = rows[key].split(" | ")
        return float(cells[4].rstrip(" %")), int(cells[5].split("/")[0])

    # the target for the default: at least 90 % of the invalid caught, no valid one flagged
    assert caught("| postgresql | temporary server (the machine's PostgreSQL), the default")[0] >= 90
    assert caught("| postgresql | temporary server (the machine's PostgreSQL), the default")[1] == 0
    syntax = rows["| postgresql | pglast (PostgreSQL's parser), the default without server binaries"].split(" | ")[2]
    assert int(syntax.split("/")[0]) / int(syntax.split("/")[1].split()[0]) >= 0.9
    assert caught("| postgresql | pglast (PostgreSQL's parser), the default without server binaries")[1] == 0
    assert caught("| sqlite | in-memory engine, the default")[0] >= 95
    for key in ("| postgresql | scratch database (--validate-on)", "| mariadb | scratch database (--validate-on)"):
        assert caught(key) == (100.0, 0)
    assert table in README.read_text(), f"README.md must hold the measured table:\n{table}"
