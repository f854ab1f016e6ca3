"""A column's plain-value Python default in an offline script: the rows the online run writes.

SQLAlchemy fills a left-out column's ``default=`` (``onupdate=``) when the
statement runs; a literal compile has no run and writes NULL (Alembic's
script does). limbeck writes the value, so the script, run, leaves the rows
the online run leaves (README, "Deliberate differences").
"""

from __future__ import annotations

import io
import sqlite3
import warnings
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.errors import LimbeckWarning
from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext


def _table() -> sa.Table:
    return sa.Table(
        "t", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("v", sa.String(10)),
        sa.Column("n", sa.Integer, default=5, onupdate=7),
        sa.Column("flag", sa.Boolean, default=True),
        sa.Column("made", sa.String(10), default=lambda: "called"),
    )


def _migrate(op: Any) -> None:
    t = _table()
    op.bulk_insert(t, [{"id": 1, "v": "a"}, {"id": 2, "v": "b", "n": 1}])
    op.execute(t.insert().values(id=3, v="c"))
    op.execute(t.insert().values(id=4, v="d", n=None))
    op.execute(t.update().where(t.c.id == 2).values(v="B"))


def _rows(conn: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute("SELECT id, v, n, flag, made FROM t ORDER BY id").fetchall()]


def _create(conn: Any) -> None:
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(10), n INTEGER, flag BOOLEAN, made VARCHAR(10))")


def test_script_writes_the_rows_the_online_run_writes(tmp_path: Any) -> None:
    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": buffer,
                                                                      "literal_binds": True})
    with pytest.warns(LimbeckWarning, match=r"column t\.made: its default= is a function.*writes NULL"):
        with Operations.context(context) as op:
            _migrate(op)
        context.impl.flush()
    script = buffer.getvalue()
    assert "INSERT INTO t (id, v, n, flag, made) VALUES (1, 'a', 5, 1, NULL);" in script
    assert "UPDATE t SET v='B', n=7 WHERE t.id = 2;" in script

    offline = sqlite3.connect(tmp_path / "offline.db")
    _create(offline)
    offline.executescript(script)

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'online.db'}")
    with engine.begin() as conn, warnings.catch_warnings():
        warnings.simplefilter("error")  # online, SQLAlchemy calls the function: nothing to say
        _create(conn.connection.driver_connection)
        online = MigrationContext.configure(connection=conn)
        with Operations.context(online) as op:
            _migrate(op)
    with sqlite3.connect(tmp_path / "online.db") as done:
        expected = _rows(done)
    # the function default is the one difference left: the script has no moment to call it at
    assert _rows(offline) == [row[:4] + (None,) for row in expected]
    assert expected == [(1, "a", 5, 1, "called"), (2, "B", 7, 1, "called"), (3, "c", 5, 1, "called"),
                        (4, "d", None, 1, "called")]


def test_a_default_of_another_table_of_the_same_name_is_its_own() -> None:
    """Templates are per statement shape; a default comes from the Table, so none is reused across tables."""
    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, "output_buffer": buffer})
    with Operations.context(context) as op:
        for default in (1, 2, 1):
            t = sa.Table("t", sa.MetaData(), sa.Column("v", sa.String(5)), sa.Column("n", sa.Integer, default=default))
            op.bulk_insert(t, [{"v": "x"}])
    context.impl.flush()
    assert [line for line in buffer.getvalue().splitlines() if line] == [
        "INSERT INTO t (v, n) VALUES ('x', 1);", "INSERT INTO t (v, n) VALUES ('x', 2);",
        "INSERT INTO t (v, n) VALUES ('x', 1);",
    ]
