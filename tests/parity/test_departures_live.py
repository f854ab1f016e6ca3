"""Departures from Alembic the corpus allows, proven on the suite's real servers.

``corpus_departures.py`` lets limbeck's text differ from Alembic's where
Alembic's is wrong. A claim of "wrong" that the database can settle is
settled here: both scripts run on a fresh database, and Alembic's must fail
(or lose what the README says it loses) where limbeck's does what was asked.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

if (
    "corpus_common" not in sys.modules
):  # the name test_op_corpus.py loads it under: one copy
    _spec = importlib.util.spec_from_file_location(
        "corpus_common", Path(__file__).with_name("corpus_common.py")
    )
    assert _spec is not None and _spec.loader is not None
    sys.modules["corpus_common"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["corpus_common"])
_common = sys.modules["corpus_common"]
Case, alembic_outcome, limbeck_outcome = (
    _common.Case,
    _common.alembic_outcome,
    _common.limbeck_outcome,
)


def _script(outcome: Any) -> str:
    assert outcome.error is None, outcome.error
    return str(outcome.text)


def _runs(url: str, script: str) -> str | None:
    """``None`` when ``script`` runs in one transaction, else the database's first line of refusal."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in filter(None, (s.strip() for s in script.split(";\n"))):
                connection.exec_driver_sql(statement.rstrip(";"))
    except sa.exc.DBAPIError as exc:
        return str(exc.orig).splitlines()[0]
    finally:
        engine.dispose()
    return None


def _both(dialect: str, fn: Any, name: str) -> tuple[str, str]:
    """Alembic's script and limbeck's for one operation call."""
    case = Case(name, fn)
    return _script(alembic_outcome(dialect, case)), _script(
        limbeck_outcome(dialect, case)
    )


def _prepare(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def _rebuild_dropping_x(copy: sa.Table) -> Any:
    """A batch rebuild of ``copy``'s table (given as it is) that drops its column ``x``."""

    def rebuild(op: Any) -> None:
        with op.batch_alter_table(
            copy.name, copy_from=copy, recreate="always"
        ) as batch_op:
            batch_op.drop_column("x")

    return rebuild


def _read(url: str, table: str, query: str) -> tuple[Any, list[Any]]:
    """The table's foreign keys and the rows ``query`` returns."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = (
            sa.inspect(connection).get_foreign_keys(table),
            connection.exec_driver_sql(query).all(),
        )
    engine.dispose()
    return found


def test_mariadb_keeps_if_exists_on_drop_foreign_key(mariadb_url: str) -> None:
    """Alembic writes ``DROP FOREIGN KEY fk_p`` for ``if_exists=True``; MariaDB has the clause."""
    theirs, ours = _both(
        "mariadb",
        lambda op: op.drop_constraint("fk_p", "ch", type_="foreignkey", if_exists=True),
        "drop_fk_if_exists",
    )
    assert "IF EXISTS" not in theirs and "DROP FOREIGN KEY IF EXISTS fk_p" in ours
    _prepare(
        mariadb_url,
        "CREATE TABLE p (id INT PRIMARY KEY)",
        "CREATE TABLE ch (id INT PRIMARY KEY, p_id INT, CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id))",
    )
    assert _runs(mariadb_url, ours) is None
    # the key is gone: limbeck's statement is a no-op now, Alembic's is the error if_exists asked to avoid
    assert _runs(mariadb_url, ours) is None
    assert _runs(mariadb_url, theirs) is not None


def test_postgresql_rebuild_does_not_create_an_existing_enum_again(pg_url: str) -> None:
    """A batch rebuild of a table with an ENUM column: Alembic writes ``CREATE TYPE``, which fails."""
    copy = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("m", postgresql.ENUM("a", "b", name="mood")),
        sa.Column("x", sa.Integer),
    )
    theirs, ours = _both("postgresql", _rebuild_dropping_x(copy), "enum_rebuild")
    _prepare(
        pg_url,
        "CREATE TYPE mood AS ENUM ('a', 'b')",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, m mood, x INTEGER)",
        "INSERT INTO t VALUES (1, 'b', 7)",
    )
    refusal = _runs(pg_url, theirs)
    assert refusal is not None and "already exists" in refusal
    assert _runs(pg_url, ours) is None
    assert _read(pg_url, "t", "SELECT * FROM t") == ([], [(1, "b")])


def test_postgresql_rebuild_keeps_a_self_reference_on_the_new_table(
    pg_url: str,
) -> None:
    """Alembic's rebuilt table references the old one, which then cannot be dropped."""
    copy = sa.Table(
        "node",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("node.id", name="fk_parent")),
        sa.Column("x", sa.Integer),
    )
    theirs, ours = _both(
        "postgresql", _rebuild_dropping_x(copy), "self_reference_rebuild"
    )
    _prepare(
        pg_url,
        "CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER CONSTRAINT fk_parent REFERENCES node (id), x INTEGER)",
        "INSERT INTO node VALUES (1, NULL, 0), (2, 1, 0)",
    )
    refusal = _runs(pg_url, theirs)
    assert refusal is not None and "depend" in refusal
    assert _runs(pg_url, ours) is None
    (key,), rows = _read(pg_url, "node", "SELECT * FROM node ORDER BY id")
    assert key["referred_table"] == "node"
    assert rows == [(1, None), (2, 1)]
