"""SQLite online: each revision is a real transaction, DDL included (issue 15 §1.7).

pysqlite's legacy transaction control opens no transaction before DDL, so
under Alembic a failing revision leaves its CREATE TABLEs behind. limbeck
sends the BEGIN itself before a revision's first statement; a PRAGMA that
comes first still runs outside the transaction, where SQLite applies it.
The offline script does not change (``tests/runtime/test_offline_snapshots``).
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError, LimbeckWarning

PARENT_CHILD = (
    "p1", None, None, None,
    """
    op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
    )
    op.execute("INSERT INTO parent (id, x) VALUES (1, 1), (2, 2)")
    op.execute("INSERT INTO child (id, pid) VALUES (10, 1), (11, 2)")
    """,
    "pass",
)


def foreign_keys_on(text: str) -> str:
    """env.py edit: the connection enforces foreign keys (as applications often set up)."""
    edited = text.replace(
        "    with engine.connect() as connection:\n",
        "    with engine.connect() as connection:\n"
        '        connection.exec_driver_sql("PRAGMA foreign_keys=ON")\n'
        "        connection.commit()\n",
    )
    assert edited != text
    return edited


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def tables(db: Path) -> set[str]:
    return {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_failing_batch_rebuild_leaves_nothing(make_project: Callable[..., Config], tmp_path: Path) -> None:
    """The copy fails (NULL into NOT NULL): the temporary table and the revision's first table go."""
    db = tmp_path / "app.db"
    failing = (
        "p2", "p1", None, None,
        """
        op.create_table("side", sa.Column("id", sa.Integer))
        with op.batch_alter_table("parent") as batch_op:
            batch_op.alter_column("x", existing_type=sa.Integer, nullable=False)
        """,
        "pass",
    )
    config = make_project(url=f"sqlite:///{db}", history=[PARENT_CHILD, failing])
    command.upgrade(config, "p1")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE parent SET x = NULL WHERE id = 2")
    with pytest.raises(CommandError) as failure:
        command.upgrade(config, "p2")
    assert "p2_revision.py:20 (revision p2, upgrade): IntegrityError" in str(failure.value)
    assert str(failure.value).endswith("the database is at p1")
    assert tables(db) == {"alembic_version", "parent", "child"}
    assert rows(db, "SELECT id, x FROM parent ORDER BY id") == [(1, 1), (2, None)]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE parent SET x = 0 WHERE id = 2")
    command.upgrade(config, "p2")
    assert rows(db, "SELECT version_num FROM alembic_version") == [("p2",)]


def test_a_pragma_first_in_a_revision_still_applies(make_project: Callable[..., Config], tmp_path: Path) -> None:
    """``PRAGMA foreign_keys=OFF`` before a rebuild of a referenced table keeps the children.

    env.py turns foreign keys on for the connection. SQLite ignores the
    revision's PRAGMA inside a transaction; coming first, it runs
    before limbeck's BEGIN. Were it ignored, dropping the old parent table
    in the rebuild would delete every child row (ON DELETE CASCADE). The
    ``PRAGMA foreign_keys=ON`` at the end is inside the transaction: ignored
    by SQLite (as under Alembic, where the copy's INSERT opened one), and
    limbeck says so.
    """
    db = tmp_path / "app.db"
    rebuild = (
        "p2", "p1", None, None,
        """
        op.execute("PRAGMA foreign_keys=OFF")
        with op.batch_alter_table("parent", recreate="always") as batch_op:
            batch_op.add_column(sa.Column("y", sa.Integer))
        op.execute("PRAGMA foreign_keys=ON")
        """,
        "pass",
    )
    config = make_project(url=f"sqlite:///{db}", history=[PARENT_CHILD, rebuild], env_edit=foreign_keys_on)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        command.upgrade(config, "heads")
    assert rows(db, "SELECT id, pid FROM child ORDER BY id") == [(10, 1), (11, 2)]
    assert [c[1] for c in rows(db, "PRAGMA table_info(parent)")] == ["id", "x", "y"]
    said = [str(w.message) for w in caught if issubclass(w.category, LimbeckWarning)]
    expected = (
        "revision p2: SQLite ignores 'PRAGMA foreign_keys=ON' inside a transaction, and limbeck runs each "
        "revision in one; issue it first in upgrade(), or inside op.get_context().autocommit_block()"
    )
    assert said == [expected]


def test_an_autocommit_block_runs_outside_the_revisions_transaction(
    make_project: Callable[..., Config], tmp_path: Path
) -> None:
    """What the block ran stays committed when the revision fails later; what came before it too."""
    db = tmp_path / "app.db"
    split = (
        "p2", "p1", None, None,
        """
        op.create_table("before", sa.Column("id", sa.Integer))
        with op.get_context().autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
            op.create_table("inside", sa.Column("id", sa.Integer))
        op.create_table("after", sa.Column("id", sa.Integer))
        raise RuntimeError("after the block")
        """,
        "pass",
    )
    config = make_project(url=f"sqlite:///{db}", history=[PARENT_CHILD, split])
    with pytest.raises(CommandError, match="after the block; the database is at p1"):
        command.upgrade(config, "heads")
    assert tables(db) == {"alembic_version", "parent", "child", "before", "inside"}


def test_the_async_template_on_aiosqlite_too(tmp_path: Path) -> None:
    """The driver's state is read through SQLAlchemy's async adapter (aiosqlite)."""
    import aiosqlite  # noqa: F401  (in the test extra: a missing driver fails, never skips)

    from .conftest import write_revision  # type: ignore[import-not-found]

    ini = tmp_path / "limbeck.ini"
    command.init(Config(str(ini)), str(tmp_path / "migrations"), template="async")
    config = Config(str(ini))
    config.set_main_option("sqlalchemy.url", f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    with open(ini, "w", encoding="utf-8") as fh:
        config.file_config.write(fh)
    env = tmp_path / "migrations" / "env.py"
    env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
    versions = tmp_path / "migrations" / "versions"
    write_revision(versions, "a1", None, None, None, 'op.create_table("one", sa.Column("id", sa.Integer))', "pass")
    write_revision(versions, "a2", "a1", None, None, 'op.create_table("two", sa.Column("id", sa.Integer))\nraise RuntimeError("boom")', "pass")
    with pytest.raises(CommandError, match="boom; the database is at a1"):
        command.upgrade(Config(str(ini)), "head")
    assert tables(tmp_path / "app.db") == {"alembic_version", "one"}


def begin_event_recipe(text: str) -> str:
    """env.py edit: SQLAlchemy's documented pysqlite recipe (driver autocommit, BEGIN on each begin)."""
    edited = text.replace(
        "    with engine.connect() as connection:\n",
        "    from sqlalchemy import event\n\n"
        '    @event.listens_for(engine, "connect")\n'
        "    def _no_driver_transactions(dbapi_connection, record):\n"
        "        dbapi_connection.isolation_level = None\n\n"
        '    @event.listens_for(engine, "begin")\n'
        "    def _begin(conn):\n"
        '        conn.exec_driver_sql("BEGIN")\n\n'
        "    with engine.connect() as connection:\n",
    )
    assert edited != text
    return edited


def test_an_engine_with_the_begin_event_recipe(make_project: Callable[..., Config], tmp_path: Path) -> None:
    """The application's own BEGIN is used as it is (the migration lock's BEGIN EXCLUSIVE included)."""
    db = tmp_path / "app.db"
    failing = ("p2", "p1", None, None, 'op.create_table("two", sa.Column("id", sa.Integer))\nraise RuntimeError("boom")', "pass")
    config = make_project(url=f"sqlite:///{db}", history=[PARENT_CHILD, failing], env_edit=begin_event_recipe)
    with pytest.raises(CommandError, match="boom; the database is at p1"):
        command.upgrade(config, "heads")
    assert tables(db) == {"alembic_version", "parent", "child"}
    assert rows(db, "SELECT id, pid FROM child ORDER BY id") == [(10, 1), (11, 2)]
