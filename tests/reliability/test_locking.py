"""Concurrent runs (issue 8 §3): two ``limbeck upgrade heads`` at once apply each revision exactly once.

The second process waits for the first one's lock, then reads the version
table the first one committed and finds nothing to do. A run that cannot
get the lock within ``lock_timeout`` stops with one line; with
``migration_lock = false`` it does not wait at all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import limbeck_reliability_dbtools as dbtools
import limbeck_reliability_procs as procs
import pytest
import sqlalchemy as sa
from limbeck_reliability_project import Rev

from limbeck import command
from limbeck.config import Config
from limbeck.errors import ConfigError
from limbeck.runtime.locking import LockSettings, SQLServerAppLock, parse_timeout, sqlite_lock_path

ALL = ["w1", "w2", "w3", "w4"]


def project_root(config: Config) -> Path:
    assert config.config_file_name is not None
    return Path(config.config_file_name).parent


def test_two_processes_apply_each_revision_once(databases: Any, new_project: Callable[..., Config], tmp_path: Path) -> None:
    url = databases.new()
    root = project_root(new_project(url, procs.WORK))
    log = tmp_path / "applied.log"
    first = procs.limbeck(root, "upgrade", "heads", env={"RELIABILITY_LOG": str(log), "RELIABILITY_PAUSE": "1.5"})
    # the second starts while the first is inside w1, holding the lock
    procs.wait_for_line(log, "w1", proc=first)
    second = procs.limbeck(root, "upgrade", "heads", env={"RELIABILITY_LOG": str(log)})
    rc2, _out2, err2 = procs.finish(second)
    rc1, _out1, err1 = procs.finish(first)
    assert (rc1, rc2) == (0, 0), (err1, err2)
    assert procs.log_revisions(log) == ALL  # each upgrade() ran once, in order
    assert procs.applied_rows(url) == ALL
    assert dbtools.versions(url) == ["w4"]
    assert err1.count("Running upgrade") == 4
    assert "Running upgrade" not in err2  # it waited, then found nothing to do


def test_without_the_lock_the_same_two_processes_collide(
    databases: Any, new_project: Callable[..., Config], tmp_path: Path
) -> None:
    """The control experiment: what the lock prevents (the second run re-applies w1 and fails).

    The first run stays inside w1 until the second has either failed (SQLite,
    or a server that refuses at once) or is blocked by the first's locks (a
    server that makes it wait for the first's transaction); no timing involved.
    """
    url = databases.new()
    root = project_root(new_project(url, procs.WORK, options={"migration_lock": "false"}))
    log = tmp_path / "applied.log"
    release = tmp_path / "release-w1"
    first = procs.limbeck(root, "upgrade", "heads", env={"RELIABILITY_LOG": str(log), "RELIABILITY_HOLD": str(release)})
    procs.wait_for_line(log, "w1", proc=first)
    second = procs.limbeck(root, "upgrade", "heads", env={"RELIABILITY_LOG": str(log)})
    procs.release_when(release, lambda: second.poll() is not None or dbtools.lock_waiters(url) > 0)
    rc2, _out2, err2 = procs.finish(second)
    rc1, _out1, err1 = procs.finish(first)
    assert rc1 == 0, err1
    assert rc2 == 1 and err2.startswith("FAILED: "), err2


def test_a_run_waits_for_the_lock_then_continues(databases: Any, new_project: Callable[..., Config], tmp_path: Path) -> None:
    url = databases.new()
    root = project_root(new_project(url, procs.WORK))
    with procs.lock_held(url):
        run = procs.limbeck(root, "upgrade", "heads")
        time.sleep(1.5)
        assert run.poll() is None, procs.finish(run)
    rc, _out, err = procs.finish(run)
    assert rc == 0, err
    assert dbtools.versions(url) == ["w4"]


def test_lock_timeout_fails_with_one_line(databases: Any, new_project: Callable[..., Config]) -> None:
    url = databases.new()
    root = project_root(new_project(url, procs.WORK))
    ini = procs.write_ini(root, "impatient.ini", lock_timeout="0.5")
    with procs.lock_held(url):
        started = time.monotonic()
        rc, _out, err = procs.finish(procs.limbeck(root, "upgrade", "heads", ini=ini))
        waited = time.monotonic() - started
    assert rc == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("FAILED: lock_timeout: the migration lock 'limbeck:alembic_version' on ")
    assert "within 0.5s" in lines[0]
    assert waited >= 0.5
    assert dbtools.tables(url) == set()  # nothing was done, not even the version table


def test_migration_lock_false_does_not_wait(server_databases: Any, new_project: Callable[..., Config]) -> None:
    url = server_databases.new()
    root = project_root(new_project(url, procs.WORK))
    ini = procs.write_ini(root, "unlocked.ini", migration_lock="false")
    with procs.lock_held(url):
        rc, _out, err = procs.finish(procs.limbeck(root, "upgrade", "heads", ini=ini), timeout=60)
        assert rc == 0, err
        assert dbtools.versions(url) == ["w4"]


def _then_second(body: str) -> list[Rev]:
    """w1 of the usual history, then w2: table ``second`` created, then ``body``."""
    up = '\n        op.create_table("second", sa.Column("id", sa.Integer))' + body
    return [procs.WORK[0], Rev("w2", "w1", up, 'op.drop_table("second")')]


CONCURRENT_INDEX = _then_second("""
        with op.get_context().autocommit_block():
            op.create_index("ix_second", "second", ["id"], postgresql_concurrently=True)
        """)


def test_a_waiting_run_does_not_deadlock_create_index_concurrently(
    make_databases: Callable[[str], Any], new_project: Callable[..., Config], tmp_path: Path
) -> None:
    """CREATE INDEX CONCURRENTLY waits for every open snapshot: the waiting run must hold none.

    A run blocked inside ``pg_advisory_lock()`` would (its statement's snapshot
    stays open), and PostgreSQL would end the cycle by failing it with
    "deadlock detected"; polling in short transactions keeps both runs alive.
    """
    url = make_databases("postgresql").new()
    root = project_root(new_project(url, CONCURRENT_INDEX))
    log = tmp_path / "applied.log"
    first = procs.limbeck(root, "upgrade", "heads", env={"RELIABILITY_LOG": str(log), "RELIABILITY_PAUSE": "1"})
    procs.wait_for_line(log, "w1", proc=first)
    second = procs.limbeck(root, "upgrade", "heads")
    time.sleep(0.3)  # the second is polling when the index is built
    rc1, _out1, err1 = procs.finish(first)
    rc2, _out2, err2 = procs.finish(second)
    assert (rc1, rc2) == (0, 0), (err1, err2)
    assert dbtools.versions(url) == ["w2"]


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every statement and COMMIT sent by any engine while the test runs."""
    seen: list[str] = []

    def on_sql(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    def on_commit(conn: Any) -> None:
        seen.append("<commit>")

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", on_sql)
    sa.event.listen(sa.engine.Engine, "commit", on_commit)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", on_sql)
        sa.event.remove(sa.engine.Engine, "commit", on_commit)


ACQUIRE = {"postgresql": "SELECT pg_try_advisory_lock(", "mariadb": "SELECT GET_LOCK("}
RELEASE = {"postgresql": "SELECT pg_advisory_unlock(", "mariadb": "SELECT RELEASE_LOCK("}
#: SQLite's lock is a file beside the database: each statement notes whether it was held then
SQLITE_HELD, SQLITE_FREE = "<lock held>", "<lock free>"


@pytest.fixture
def sqlite_lock(tmp_path: Path, statements: list[str]) -> Iterator[tuple[str, str]]:
    """A SQLite URL whose lock file is probed before every statement and COMMIT of any engine."""
    import fcntl

    database = tmp_path / "app.db"
    path = sqlite_lock_path(str(database), "limbeck:alembic_version")

    def probe(*_args: Any) -> None:
        if not os.path.exists(path):
            statements.append(SQLITE_FREE)
            return
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            statements.append(SQLITE_HELD)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            statements.append(SQLITE_FREE)
        finally:
            os.close(fd)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", probe)
    sa.event.listen(sa.engine.Engine, "commit", probe)
    try:
        yield f"sqlite:///{database}", path
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", probe)
        sa.event.remove(sa.engine.Engine, "commit", probe)


def _index(seen: list[str], prefix: str) -> list[int]:
    return [i for i, text in enumerate(seen) if text.startswith(prefix)]


def test_lock_frames_the_whole_run(server_databases: Any, new_project: Callable[..., Config], statements: list[str]) -> None:
    """Taken before the version table is first read; given back after the run's last COMMIT (SQLite, which
    takes no lock statement: test_sqlite_lock_frames_the_whole_run)."""
    url = server_databases.new()
    config = new_project(url, procs.WORK)
    kind = server_databases.kind
    command.upgrade(config, "heads")
    acquired, released = _index(statements, ACQUIRE[kind]), _index(statements, RELEASE[kind])
    assert len(acquired) == 1 and len(released) == 1, statements
    version_reads = [i for i, s in enumerate(statements) if "alembic_version" in s]
    assert acquired[0] < min(version_reads)
    last_commit_of_run = max(i for i in range(released[0]) if statements[i] == "<commit>")
    assert max(version_reads) < last_commit_of_run < released[0]


def test_sqlite_lock_frames_the_whole_run(
    sqlite_lock: tuple[str, str], new_project: Callable[..., Config], statements: list[str]
) -> None:
    """Held at every statement and COMMIT of the run, version reads included; the file gone after."""
    url, path = sqlite_lock
    config = new_project(url, procs.WORK)
    statements.clear()
    command.upgrade(config, "heads")
    probes = [i for i, s in enumerate(statements) if s in (SQLITE_HELD, SQLITE_FREE)]
    version_reads = [i for i, s in enumerate(statements) if "alembic_version" in s]
    assert version_reads and all(statements[i - 1] == SQLITE_HELD for i in version_reads)
    last_commit = max(i for i, s in enumerate(statements) if s == "<commit>")
    assert all(statements[i] == SQLITE_HELD for i in probes if i <= last_commit), statements
    assert not os.path.exists(path)
    assert dbtools.versions(url) == ["w4"]


SECOND_CONNECTION = _then_second("""
        with op.get_bind().engine.connect() as other:  # jupyterhub's revisions read this way
            other.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        op.add_column("second", sa.Column("x", sa.Integer))
        """)


def test_a_revision_reads_through_a_second_connection_on_sqlite(
    new_project: Callable[..., Config], tmp_path: Path
) -> None:
    """The run has written (w1, w2's table); another connection of the same engine reads, as under
    Alembic (SQLite's exclusive locking mode kept it out: "database is locked")."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    command.upgrade(new_project(url, SECOND_CONNECTION), "heads")
    assert dbtools.versions(url) == ["w2"]


def test_migration_lock_can_be_turned_off(databases: Any, new_project: Callable[..., Config], statements: list[str]) -> None:
    url = databases.new()
    config = new_project(url, procs.WORK, options={"migration_lock": "false"})
    if databases.kind == "sqlite":
        path = sqlite_lock_path(url[len("sqlite:///"):], "limbeck:alembic_version")
        with procs.lock_held(url):  # held elsewhere: an unlocked run goes on
            command.upgrade(config, "heads")
        assert dbtools.versions(url) == ["w4"]
        assert os.path.exists(path)  # this run never took (nor removed) it
        return
    command.upgrade(config, "heads")
    assert not _index(statements, ACQUIRE[databases.kind])
    assert dbtools.versions(url) == ["w4"]


def test_configure_overrides_the_config_file(
    sqlite_lock: tuple[str, str], new_project: Callable[..., Config], statements: list[str]
) -> None:
    url, _path = sqlite_lock

    def no_lock(text: str) -> str:
        return text.replace(
            "context.configure(connection=connection, target_metadata=target_metadata)",
            "context.configure(connection=connection, target_metadata=target_metadata, migration_lock=False)",
        )

    config = new_project(url, procs.WORK, env_edit=no_lock, options={"migration_lock": "true"})
    command.upgrade(config, "heads")
    assert SQLITE_FREE in statements and SQLITE_HELD not in statements


def test_caller_transaction_gets_a_transaction_lock_on_postgresql(
    make_databases: Callable[[str], Any], new_project: Callable[..., Config]
) -> None:
    """A connection handed over inside a transaction: the lock lasts until the caller's COMMIT."""
    url = make_databases("postgresql").new()
    config = new_project(url, procs.WORK)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
    with engine.connect() as conn:
        with conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, "heads")
            assert conn.exec_driver_sql(held).scalar() == 1
        assert conn.exec_driver_sql(held).scalar() == 0
    assert dbtools.versions(url) == ["w4"]


# -- settings ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [(None, None), ("", None), ("  ", None), ("30", 30.0), ("2.5", 2.5), (0, 0.0), (7, 7.0), (1.5, 1.5)],
)
def test_timeout_values(value: Any, expected: float | None) -> None:
    assert parse_timeout(value) == expected


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", True, [3]])
def test_bad_timeout_values_name_the_option(value: Any) -> None:
    with pytest.raises(ConfigError, match=r"^lock_timeout: "):
        parse_timeout(value)


def test_settings_come_from_configure_then_ini_then_defaults(tmp_path: Path) -> None:
    ini = tmp_path / "limbeck.ini"
    ini.write_text("[limbeck]\nscript_location = x\nmigration_lock = false\nlock_timeout = 12\n")
    config = Config(str(ini))
    assert LockSettings.resolve({}, config) == LockSettings(False, 12.0)
    assert LockSettings.resolve({"migration_lock": True, "lock_timeout": None}, config) == LockSettings(True, None)
    assert LockSettings.resolve({}, None) == LockSettings(True, None)
    ini.write_text("[limbeck]\nscript_location = x\n")
    assert LockSettings.resolve({}, Config(str(ini))) == LockSettings(True, None)


def test_settings_from_pyproject(tmp_path: Path) -> None:
    toml = tmp_path / "pyproject.toml"
    toml.write_text('[tool.alembic]\nscript_location = "x"\nmigration_lock = true\nlock_timeout = 3\n')
    assert LockSettings.resolve({}, Config(toml_file=str(toml))) == LockSettings(True, 3.0)
    toml.write_text('[tool.alembic]\nscript_location = "x"\nlock_timeout = "later"\n')
    with pytest.raises(ConfigError, match=r"lock_timeout in .*pyproject.toml: 'later' is not a number"):
        LockSettings.resolve({}, Config(toml_file=str(toml)))


# -- SQL Server (no server in this suite: the protocol against a scripted result) ----------------
@pytest.mark.parametrize("result, granted", [(0, True), (1, True), (-1, False)])
def test_sp_getapplock_results(result: int, granted: bool) -> None:
    sent: list[Any] = []

    def run(stmt: Any) -> int:
        sent.append(stmt)
        return result

    lock = SQLServerAppLock.__new__(SQLServerAppLock)
    lock.identity, lock.in_caller_transaction = "limbeck:alembic_version", False
    assert lock.acquire(run, 2.5) is granted
    text = str(sent[0].element)
    assert "sp_getapplock @Resource = :name" in text and "@LockOwner = 'Session'" in text
    assert sent[0].element.compile().params == {"name": "limbeck:alembic_version", "millis": 2500}
