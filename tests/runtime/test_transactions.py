"""Online transactions decided from the connection's real state, compared with real Alembic.

The shape of pypi/warehouse (issue 12 §2): env.py runs ``SET lock_timeout`` on
the connection first (SQLAlchemy autobegins: the connection is in a
transaction when ``configure()`` is called), a revision creates a table,
calls ``op.get_bind().commit()`` and builds an index in an
``autocommit_block`` (``CONCURRENTLY`` on PostgreSQL), and env.py commits at
the end. Each case runs real Alembic 1.20.1 (a subprocess, the project's
``alembic.ini``) and limbeck on fresh databases and compares what is left.
"""

from __future__ import annotations

import re

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.runtime.locking import advisory_key

from .conftest import write_revision  # type: ignore[import-not-found]

#: a statement that makes SQLAlchemy autobegin, per database
SETTING = {
    "postgresql": "SET lock_timeout = 4000",
    "mariadb": "SET SESSION lock_wait_timeout = 40",
    "sqlite": "PRAGMA busy_timeout = 4000",
}

#: env.py shapes: what runs on the connection before configure(), and after the run
ENVS = {
    # pypi/warehouse: the connection is in a transaction at configure(); env.py commits
    "warehouse": ('        connection.execute(text("{setting}"))\n', "        context.get_bind().commit()\n"),
    # Alembic's generic template: nothing before, nothing after
    "generic": ("", ""),
    # the caller begins a transaction and rolls it back (a test fixture's isolation)
    "rollback": ("        connection.begin()\n", "        connection.rollback()\n"),
}

ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool, text

config = context.config


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {{}}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
{before}        context.configure(connection=connection, transaction_per_migration={per_migration})
        with context.begin_transaction():
            context.run_migrations()
{after}

run_migrations_online()
'''

FAIL_R3 = 'if os.environ.get("FAIL_R3"):\n    raise RuntimeError("injected failure in r3")\n'


def revisions(kind: str, commit_first: bool = True) -> list[tuple[str, str | None, str]]:
    """r1 a table and a row; r2 warehouse's revision; r3 a table (and, on request, a failure)."""
    concurrently = ", postgresql_concurrently=True" if kind == "postgresql" else ""
    r2 = (
        'op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))\n'
        + ("op.get_bind().commit()\n" if commit_first else "")
        + "with op.get_context().autocommit_block():\n"
        + f'    op.create_index("ix_t2_x", "t2", ["x"]{concurrently})\n'
    )
    return [
        ("r1", None, 'op.create_table("t1", sa.Column("id", sa.Integer, primary_key=True))\nop.execute("INSERT INTO t1 (id) VALUES (1)")\n'),
        ("r2", "r1", r2),
        ("r3", "r2", 'op.create_table("t3", sa.Column("id", sa.Integer, primary_key=True))\n' + FAIL_R3),
    ]


def write_project(root: Path, url: str, kind: str, env: str, per_migration: bool, revs: list[tuple[str, str | None, str]]) -> Path:
    before, after = ENVS[env]
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "alembic.ini").write_text(f"[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = {url}\n")
    (root / "migrations" / "script.py.mako").write_text("")
    env_py = ENV_PY.format(before=before.format(setting=SETTING[kind]), after=after, per_migration=per_migration)
    (root / "migrations" / "env.py").write_text(env_py)
    for rev, down, body in revs:
        write_revision(root / "migrations" / "versions", rev, down, None, None, "import os\n" + body, "pass", package="alembic")
    return root / "alembic.ini"


def state(url: str) -> dict[str, Any]:
    """Tables, the index of t2 and the version rows: enough to tell complete from half-migrated."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            tables = set(inspector.get_table_names())
            versions = (
                sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
                if "alembic_version" in tables else None
            )
            indexes = sorted(ix["name"] for ix in inspector.get_indexes("t2")) if "t2" in tables else []
    finally:
        engine.dispose()
    return {"tables": sorted(tables - {"alembic_version"}), "indexes": indexes, "versions": versions}


HEAD = {"tables": ["t1", "t2", "t3"], "indexes": ["ix_t2_x"], "versions": ["r3"]}


def run_alembic(ini: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), "upgrade", "head"],
        check=False, cwd=ini.parent, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


@pytest.fixture(params=["postgresql", "mariadb", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """``database(name)`` -> the URL of a new empty database of this kind; ``.kind`` names it."""
    kind = request.param

    def new(name: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'{name}.db'}"
        server = request.getfixturevalue(f"{kind}_server")
        db = f"tx_{uuid.uuid4().hex[:10]}"
        with server.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {db}")
        request.addfinalizer(lambda: _drop(server, db, kind))
        return f"{server.url}/{db}"

    new.kind = kind  # type: ignore[attr-defined]
    return new


def _drop(server: Any, db: str, kind: str) -> None:
    force = " WITH (FORCE)" if kind == "postgresql" else ""
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db}{force}")


# -- the shapes, with Alembic's outcome recorded beside limbeck's --------------------------------
#: (env.py, transaction_per_migration) -> what real Alembic 1.20.1 leaves on PostgreSQL.
#: "head": complete. "r1": exit status 0, but the version table is at r1 while r2's table and
#: index are committed: the revision's commit() ended the transaction the run's version rows
#: would have been committed in, the rest was rolled back when env.py closed the connection,
#: and a re-run fails on t2. On MariaDB and SQLite (a transaction per revision) Alembic
#: completes in these four shapes. limbeck completes in every shape.
ALEMBIC_POSTGRESQL = {
    ("warehouse", False): "head",
    ("warehouse", True): "head",
    ("generic", False): "r1",
    ("generic", True): "head",
}


@pytest.mark.parametrize(
    "env, per_migration", list(ALEMBIC_POSTGRESQL), ids=[f"{e}-{'per' if p else 'run'}" for e, p in ALEMBIC_POSTGRESQL]
)
def test_shapes_like_alembic_or_better(database: Any, tmp_path: Path, env: str, per_migration: bool) -> None:
    kind = database.kind
    revs = revisions(kind)
    alembic_url, limbeck_url = database("alembic_side"), database("limbeck_side")
    alembic_ini = write_project(tmp_path / "alembic", alembic_url, kind, env, per_migration, revs)
    limbeck_ini = write_project(tmp_path / "limbeck", limbeck_url, kind, env, per_migration, revs)

    done = run_alembic(alembic_ini)
    assert done.returncode == 0, done.stderr
    command.upgrade(Config(str(limbeck_ini)), "head")

    alembic_state, limbeck_state = state(alembic_url), state(limbeck_url)
    assert limbeck_state == HEAD
    if kind != "postgresql" or ALEMBIC_POSTGRESQL[(env, per_migration)] == "head":
        assert alembic_state == limbeck_state
    else:
        assert alembic_state == {"tables": ["t1", "t2"], "indexes": ["ix_t2_x"], "versions": ["r1"]}


def test_a_failure_after_the_revision_committed_leaves_its_version_row(database: Any, tmp_path: Path) -> None:
    """r2 committed its table and index; r3 fails: the version table says r2, and a re-run works."""
    kind = database.kind
    url = database("fail")
    ini = write_project(tmp_path / "p", url, kind, "warehouse", False, revisions(kind))
    config = Config(str(ini))
    os.environ["FAIL_R3"] = "1"
    try:
        with pytest.raises(CommandError) as failure:
            command.upgrade(config, "head")
    finally:
        del os.environ["FAIL_R3"]
    message = str(failure.value)
    assert "r3_revision.py:22 (revision r3, upgrade): RuntimeError: injected failure in r3" in message
    assert message.endswith("the database is at r2")
    left = state(url)
    assert left["versions"] == ["r2"] and left["indexes"] == ["ix_t2_x"]
    assert left["tables"] == (["t1", "t2", "t3"] if kind == "mariadb" else ["t1", "t2"])  # MariaDB DDL commits at once
    if kind == "mariadb":
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE t3")
        engine.dispose()
    command.upgrade(config, "head")
    assert state(url) == HEAD


def test_alembic_leaves_the_same_failure_half_migrated(pg_url: str, tmp_path: Path) -> None:
    """The fact limbeck improves on: Alembic's version table stays at r1 behind r2's committed table."""
    ini = write_project(tmp_path / "p", pg_url, "postgresql", "warehouse", False, revisions("postgresql"))
    failed = run_alembic(ini, {"FAIL_R3": "1"})
    assert failed.returncode == 1 and "injected failure in r3" in failed.stderr
    assert state(pg_url) == {"tables": ["t1", "t2"], "indexes": ["ix_t2_x"], "versions": ["r1"]}
    again = run_alembic(ini)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_autocommit_block_commits_the_callers_transaction(database: Any, tmp_path: Path) -> None:
    """No ``commit()`` before the block: Alembic stops with AssertionError; limbeck commits what is open."""
    kind = database.kind
    url = database("block")
    ini = write_project(tmp_path / "p", url, kind, "warehouse", False, revisions(kind, commit_first=False))
    command.upgrade(Config(str(ini)), "head")
    assert state(url) == HEAD


def test_alembic_fails_on_an_autocommit_block_in_the_callers_transaction(pg_url: str, tmp_path: Path) -> None:
    ini = write_project(tmp_path / "p", pg_url, "postgresql", "warehouse", False, revisions("postgresql", commit_first=False))
    failed = run_alembic(ini)
    assert failed.returncode == 1 and "AssertionError" in failed.stderr


PLAIN = [
    ("r1", None, 'op.create_table("t1", sa.Column("id", sa.Integer, primary_key=True))\nop.execute("INSERT INTO t1 (id) VALUES (1)")\n'),
    ("r2", "r1", 'op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True))\n'),
]


@pytest.mark.parametrize("database", ["postgresql", "sqlite"], indirect=True)
def test_the_callers_transaction_is_never_committed_by_limbeck(database: Any, tmp_path: Path) -> None:
    """env.py begins and rolls back (a test fixture's isolation): nothing remains, DDL included.

    On SQLite that is new: limbeck opens the driver's transaction before a
    revision's first statement, where Alembic's CREATE TABLEs commit at once
    (pysqlite). The version table is created ahead of it (as under Alembic),
    so that a PRAGMA first in the first revision still runs outside it: it
    stays, empty.
    """
    kind = database.kind
    url = database("isolated")
    ini = write_project(tmp_path / "p", url, kind, "rollback", False, PLAIN)
    command.upgrade(Config(str(ini)), "head")
    assert state(url) == {"tables": [], "indexes": [], "versions": [] if kind == "sqlite" else None}


PROBE = '''
op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True))
op.get_bind().commit()
from sqlalchemy import create_engine, pool, text
from limbeck.runtime.locking import advisory_key
other = create_engine(os.environ["PROBE_URL"], poolclass=pool.NullPool)
with other.connect() as conn:
    taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": advisory_key("limbeck:alembic_version")}).scalar()
with open(os.environ["PROBE_FILE"], "w") as fh:
    fh.write("free" if taken else "held")
'''


def test_the_migration_lock_outlives_the_callers_commit(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL, the caller's transaction: its transaction-level lock would end with the
    revision's commit(); the session-level lock taken just before keeps other runs out."""
    probe = tmp_path / "probe"
    monkeypatch.setenv("PROBE_URL", pg_url)
    monkeypatch.setenv("PROBE_FILE", str(probe))
    revs = [PLAIN[0], ("r2", "r1", PROBE)]
    ini = write_project(tmp_path / "p", pg_url, "postgresql", "warehouse", False, revs)
    command.upgrade(Config(str(ini)), "head")
    assert probe.read_text() == "held"
    assert state(pg_url)["versions"] == ["r2"]
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:  # and released at the end of the run
        assert conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": advisory_key("limbeck:alembic_version")}).scalar()
    engine.dispose()


MANAGED_ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with connectable.begin() as connection:
    context.configure(connection=connection)
    context.run_migrations()
'''


@pytest.mark.parametrize("database", ["postgresql", "sqlite"], indirect=True)
def test_autocommit_block_in_a_with_begin_transaction_is_refused_before_anything_commits(
    database: Any, tmp_path: Path
) -> None:
    """env.py's ``with engine.begin()``: only leaving the ``with`` ends that transaction. limbeck committed it
    and then failed on the next statement (SQLAlchemy: closed transaction), r1 and t2 committed; refused
    first, the ``with`` rolls everything back, as Alembic's AssertionError there does."""
    kind = database.kind
    url = database("managed")
    ini = write_project(tmp_path / "p", url, kind, "generic", False, revisions(kind, commit_first=False))
    (ini.parent / "migrations" / "env.py").write_text(MANAGED_ENV)
    with pytest.raises(CommandError) as failed:
        command.upgrade(Config(str(ini)), "head")
    message = " ".join(str(failed.value).split())
    assert re.search(r"r2_revision\.py:\d+ \(revision r2, upgrade\)", message) and "autocommit_block() would have to commit the transaction env.py opened" in message
    assert state(url)["tables"] == []
