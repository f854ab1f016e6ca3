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


def test_mariadb_keeps_if_exists_on_drop_foreign_key(mariadb_url: str) -> None:
    """Alembic writes ``DROP FOREIGN KEY fk_p`` for ``if_exists=True``; MariaDB has the clause."""
    case = Case(
        "drop_fk_if_exists",
        lambda op: op.drop_constraint("fk_p", "ch", type_="foreignkey", if_exists=True),
    )
    theirs, ours = (
        _script(alembic_outcome("mariadb", case)),
        _script(limbeck_outcome("mariadb", case)),
    )
    assert "IF EXISTS" not in theirs and "DROP FOREIGN KEY IF EXISTS fk_p" in ours
    engine = sa.create_engine(mariadb_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE p (id INT PRIMARY KEY)")
        connection.exec_driver_sql(
            "CREATE TABLE ch (id INT PRIMARY KEY, p_id INT, CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id))"
        )
    engine.dispose()
    assert _runs(mariadb_url, ours) is None
    # the key is gone: limbeck's statement is a no-op now, Alembic's is the error if_exists asked to avoid
    assert _runs(mariadb_url, ours) is None
    assert _runs(mariadb_url, theirs) is not None


def test_postgresql_rebuild_does_not_create_an_existing_enum_again(pg_url: str) -> None:
    """A batch rebuild of a table with an ENUM column: Alembic writes ``CREATE TYPE``, which fails."""
    mood = postgresql.ENUM("a", "b", name="mood")
    copy = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("m", mood),
        sa.Column("x", sa.Integer),
    )

    def rebuild(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=copy, recreate="always") as batch_op:
            batch_op.drop_column("x")

    case = Case("enum_rebuild", rebuild)
    theirs, ours = (
        _script(alembic_outcome("postgresql", case)),
        _script(limbeck_outcome("postgresql", case)),
    )
    engine = sa.create_engine(pg_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TYPE mood AS ENUM ('a', 'b')")
        connection.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, m mood, x INTEGER)"
        )
        connection.exec_driver_sql("INSERT INTO t VALUES (1, 'b', 7)")
    engine.dispose()
    refusal = _runs(pg_url, theirs)
    assert refusal is not None and "already exists" in refusal
    assert _runs(pg_url, ours) is None
    inspector_engine = sa.create_engine(pg_url)
    with inspector_engine.connect() as connection:
        assert [c["name"] for c in sa.inspect(connection).get_columns("t")] == [
            "id",
            "m",
        ]
        assert connection.exec_driver_sql("SELECT id, m FROM t").all() == [(1, "b")]
    inspector_engine.dispose()


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

    def rebuild(op: Any) -> None:
        with op.batch_alter_table(
            "node", copy_from=copy, recreate="always"
        ) as batch_op:
            batch_op.drop_column("x")

    case = Case("self_reference_rebuild", rebuild)
    theirs, ours = (
        _script(alembic_outcome("postgresql", case)),
        _script(limbeck_outcome("postgresql", case)),
    )
    engine = sa.create_engine(pg_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE node (id INTEGER PRIMARY KEY, "
            "parent_id INTEGER CONSTRAINT fk_parent REFERENCES node (id), x INTEGER)"
        )
        connection.exec_driver_sql("INSERT INTO node VALUES (1, NULL, 0), (2, 1, 0)")
    engine.dispose()
    refusal = _runs(pg_url, theirs)
    assert refusal is not None and "depend" in refusal
    assert _runs(pg_url, ours) is None
    engine = sa.create_engine(pg_url)
    with engine.connect() as connection:
        (key,) = sa.inspect(connection).get_foreign_keys("node")
        assert key["referred_table"] == "node"
        assert connection.exec_driver_sql(
            "SELECT id, parent_id FROM node ORDER BY id"
        ).all() == [(1, None), (2, 1)]
    engine.dispose()
