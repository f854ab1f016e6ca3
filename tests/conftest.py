"""Suite-wide fixtures: the real PostgreSQL and MariaDB servers the suite starts itself.

Each server runs from Debian's packages on loopback, in a temporary
directory, for the whole session, and is stopped at the end. Tests get a
fresh database each (``pg_url``, ``mariadb_url``). When the server binaries
are missing the tests are skipped locally, but under ``CI=true`` they fail:
CI installs the packages (``.ci/run``) and must never silently skip them.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any, Iterator

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI must run the real-server tests; .ci/run installs the packages)")
    pytest.skip(reason)


#: ``-n auto`` (pyproject's addopts) stops here: every worker starts its own PostgreSQL and
#: MariaDB when it first needs one, and past four workers the servers cost more than they save
MAX_WORKERS = 4


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


#: real-world node id -> outcome, as xdist's controller receives its workers' reports; None in any
#: other process (a worker, or a run without xdist: tests/realworld/conftest.py keeps them there)
_REALWORLD: dict[str, str] | None = None


def _realworld(module: str) -> Any:
    """``tests.realworld.<module>``, imported by its package name (the suite runs in importlib mode)."""
    import importlib

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"tests.realworld.{module}")


def pytest_configure(config: pytest.Config) -> None:
    global _REALWORLD
    _REALWORLD = {} if config.pluginmanager.hasplugin("dsession") else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _REALWORLD is not None and "tests/realworld/" in report.nodeid:
        state = _realworld("report").outcome(report)
        if state is not None:
            _REALWORLD[report.nodeid] = state


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under xdist the real-world suite is spread over workers (tests/realworld/conftest.py), so no
    worker's ``test_readme`` sees every project's outcome: the controller checks the README table's
    result column here, and fails the run when it is stale."""
    if not _REALWORLD:
        return
    message = _realworld("report").stale_results(dict(_REALWORLD))
    if message is not None:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"FAILED {message}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On SQLAlchemy 2.0, skip the tests whose recorded SQL is 2.1's (tests/sqlalchemy_facts.py says why)."""
    import sqlalchemy

    if tuple(int(part) for part in sqlalchemy.__version__.split(".")[:2]) >= (2, 1):
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location("sqlalchemy_facts", os.path.join(os.path.dirname(__file__),
                                                                                   "sqlalchemy_facts.py"))
    assert spec is not None and spec.loader is not None
    facts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(facts)
    for item in items:
        reason = facts.SQLALCHEMY_2_1_ONLY.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=f"SQLAlchemy {sqlalchemy.__version__}: {reason}"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user(user: str) -> list[str]:
    """Run as ``user`` when we are root (initdb and postgres refuse root)."""
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", user, "--"]
    return []


class _Server:
    def __init__(self, url: str, stop: list[str], workdir: str, admin: "object") -> None:
        self.url = url
        self.stop_cmd = stop
        self.workdir = workdir
        self.admin = admin

    def stop(self) -> None:
        subprocess.run(self.stop_cmd, capture_output=True, timeout=60)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _start_postgresql() -> _Server:
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        _unavailable("PostgreSQL server binaries not installed (Debian package 'postgresql')")
    bindir = os.path.dirname(initdbs[-1])
    workdir = tempfile.mkdtemp(prefix="limbeck-pg-")
    data = os.path.join(workdir, "data")
    user = "postgres"
    if os.geteuid() == 0:
        shutil.chown(workdir, user=user)
    run_as = _as_user(user)
    subprocess.run(
        [*run_as, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        check=True, capture_output=True, timeout=120,
    )
    port = _free_port()
    opts = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*run_as, f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", os.path.join(workdir, "log"), "-w", "start"],
        check=True, capture_output=True, timeout=120,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    stop = [*run_as, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
    import sqlalchemy as sa

    admin = sa.create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    return _Server(url, stop, workdir, admin)


def _start_mariadb() -> _Server:
    mariadbd = shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"
    install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    if not os.path.exists(mariadbd) or not install:
        _unavailable("MariaDB server binaries not installed (Debian package 'mariadb-server')")
    workdir = tempfile.mkdtemp(prefix="limbeck-mariadb-")
    data = os.path.join(workdir, "data")
    user = "mysql" if os.geteuid() == 0 else os.environ.get("USER", "")
    if os.geteuid() == 0:
        shutil.chown(workdir, user=user)
    subprocess.run(
        [install, "--no-defaults", f"--datadir={data}", f"--user={user}", "--auth-root-authentication-method=normal",
         "--skip-test-db"],
        check=True, capture_output=True, timeout=180,
    )
    port = _free_port()
    sock = os.path.join(workdir, "mysqld.sock")
    proc = subprocess.Popen(
        [mariadbd, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--port={port}",
         "--bind-address=127.0.0.1", f"--user={user}", f"--pid-file={workdir}/mysqld.pid",
         "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin", f"--log-error={workdir}/error.log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    import sqlalchemy as sa

    url = f"mysql+pymysql://root@127.0.0.1:{port}"
    admin = sa.create_engine(f"{url}/mysql", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + 60
    while True:
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                log = open(f"{workdir}/error.log").read()[-2000:] if os.path.exists(f"{workdir}/error.log") else ""
                pytest.fail(f"MariaDB did not start: {log}")
            time.sleep(0.2)
    return _Server(url, ["kill", "-TERM", str(proc.pid)], workdir, admin)


@pytest.fixture(scope="session", autouse=True)
def _user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's own user cache directory: under ``PYTHONDONTWRITEBYTECODE`` (or a read-only
    tree) limbeck keeps its caches in ``$XDG_CACHE_HOME/limbeck``, never in the developer's."""
    patch = pytest.MonkeyPatch()
    # the suite's download cache (real histories, tools, SQLAlchemy releases) stays where the
    # environment put it: read after this fixture moved XDG_CACHE_HOME, it was a new empty folder,
    # and every session downloaded and extracted all of it again
    patch.setenv("LIMBECK_TEST_CACHE", str(_realworld("fetch").cache_dir()))
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    try:
        yield
    finally:
        patch.undo()


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """Each test leaves logging as it found it.

    An env.py's ``fileConfig()`` (run in-process by a command under test) puts handlers on the
    root and ``alembic`` loggers that write to the ``sys.stderr`` of that moment, pytest's capture
    stream, closed once the test ends, and disables every logger that existed: a later test on
    the same worker then printed "--- Logging error ---" tracebacks into its own captured output.
    pytest's own handlers (its capture and live-logging ones) are left to pytest.
    """
    manager = logging.Logger.manager
    root = logging.getLogger()
    loggers = {name: (lg.handlers[:], lg.level, lg.propagate, lg.disabled)
               for name, lg in list(manager.loggerDict.items()) if isinstance(lg, logging.Logger)}
    root_handlers, root_level = root.handlers[:], root.level
    yield
    for name, lg in list(manager.loggerDict.items()):
        if not isinstance(lg, logging.Logger):
            continue
        handlers, level, propagate, disabled = loggers.get(name, ([], logging.NOTSET, True, False))
        if lg.handlers != handlers:
            lg.handlers[:] = handlers
        if lg.level != level:  # setLevel clears every logger's cache: only where a test changed it
            lg.setLevel(level)
        lg.propagate, lg.disabled = propagate, disabled
    for handler in root.handlers[:]:
        if handler not in root_handlers and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)
    for handler in root_handlers:
        if handler not in root.handlers and not type(handler).__module__.startswith("_pytest"):
            root.addHandler(handler)
    root.setLevel(root_level)


#: the suite's own modules (tests/...): a user's process has none of them
_SUITE = os.path.dirname(os.path.abspath(__file__)) + os.sep


@pytest.fixture(scope="session", autouse=True)
def _suite_modules_are_no_project() -> Iterator[None]:
    """Parallel offline runs in this process do not fingerprint the suite's own modules.

    ``runtime/carryover.py`` digests the globals of every imported module outside site-packages
    before and after each slice of a parallel run: in a user's ``limbeck`` process, their
    application's modules. In a test worker that is also the suite's three hundred modules and
    their data (corpora, project tables), which made each parallel render ten times slower than
    in a fresh process, and no revision under test reads them. Modules a test makes (helpers
    in its temporary folder) are still fingerprinted.
    """
    from limbeck.runtime.carryover import Carryover

    real = Carryover._local

    def local(module: Any) -> bool:
        return real(module) and not str(getattr(module, "__file__", "") or "").startswith(_SUITE)

    patch = pytest.MonkeyPatch()
    patch.setattr(Carryover, "_local", staticmethod(local))
    try:
        yield
    finally:
        patch.undo()


@pytest.fixture
def caches_in_pycache(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests about the ``__pycache__`` placement of limbeck's caches: whatever the environment
    says about bytecode (``PYTHONDONTWRITEBYTECODE``, a prefix), and for the children they start too."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)


@pytest.fixture
def graph_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the revision graphs built from files (a hit of limbeck.script.graphcache builds none)."""
    from limbeck.script.revision import _build

    count: list[int] = []
    real = _build.build_graph

    def counting(revisions: object) -> object:
        count.append(1)
        return real(revisions)  # type: ignore[arg-type]

    monkeypatch.setattr(_build, "build_graph", counting)
    return count


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[_Server]:
    server = _start_postgresql()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[_Server]:
    server = _start_mariadb()
    try:
        yield server
    finally:
        server.stop()
        time.sleep(0.5)


def _fresh_database(server: _Server, prefix: str) -> tuple[str, str]:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with server.admin.connect() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    return name, f"{server.url}/{name}"


@pytest.fixture
def pg_url(postgresql_server: _Server) -> Iterator[str]:
    """URL of a new, empty PostgreSQL database (dropped afterwards)."""
    name, url = _fresh_database(postgresql_server, "t")
    yield url
    with postgresql_server.admin.connect() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def mariadb_url(mariadb_server: _Server) -> Iterator[str]:
    """URL of a new, empty MariaDB database (dropped afterwards)."""
    name, url = _fresh_database(mariadb_server, "t")
    yield url
    with mariadb_server.admin.connect() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
