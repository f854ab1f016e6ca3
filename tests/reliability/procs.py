"""limbeck in real processes: the history they run, starting them, holding the lock from outside.

``WORK`` is a history whose revisions record every time their ``upgrade()``
really runs (a line in the file named by ``$RELIABILITY_LOG`` and a row in
the ``applied`` table), can pause (``$RELIABILITY_PAUSE`` seconds, in w1),
can stay in w1 until a file exists (``$RELIABILITY_HOLD``, see :func:`release_when`)
and can fail on request (``$RELIABILITY_FAULT`` = ``exception``, ``sql`` or
``hang``, in w3, after w3's first statement), so a test controls each
process through its environment.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from limbeck_reliability_project import Rev
from sqlalchemy.engine import make_url

from limbeck.runtime.locking import advisory_key, get_lock_name, sqlite_lock_path

_RECORD = """
log = os.environ.get("RELIABILITY_LOG")
if log:
    with open(log, "a") as fh:
        fh.write("{rev} %d\\n" % os.getpid())
applied = sa.table("applied", sa.column("rev", sa.String), sa.column("pid", sa.Integer))
op.execute(applied.insert().values(rev="{rev}", pid=os.getpid()))
"""

_FAULT = """
fault = os.environ.get("RELIABILITY_FAULT")
if fault == "exception":
    raise RuntimeError("injected fault in w3")
if fault == "sql":
    op.execute("INSERT INTO no_such_table (x) VALUES (1)")
if fault == "hang":
    with open(os.environ["RELIABILITY_LOG"], "a") as fh:
        fh.write("w3 hanging %d\\n" % os.getpid())
    time.sleep(120)
"""

# waits for an event (the file), not for a time; the deadline only stops a forgotten run
_HOLD = """
hold = os.environ.get("RELIABILITY_HOLD")
deadline = time.monotonic() + 120
while hold and not os.path.exists(hold) and time.monotonic() < deadline:
    time.sleep(0.02)
"""

WORK: list[Rev] = [
    Rev(
        "w1", None,
        'op.create_table("applied", sa.Column("rev", sa.String(10)), sa.Column("pid", sa.Integer))\n'
        + _RECORD.format(rev="w1")
        + 'time.sleep(float(os.environ.get("RELIABILITY_PAUSE", "0")))\n'
        + _HOLD,
        'op.drop_table("applied")',
    ),
    Rev(
        "w2", "w1",
        'op.create_table("second", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))\n'
        + _RECORD.format(rev="w2"),
        'op.drop_table("second")',
    ),
    Rev(
        "w3", "w2",
        # if_not_exists: on MariaDB a failed w3 leaves its table behind (DDL commits at once)
        'op.create_table("third", sa.Column("id", sa.Integer), if_not_exists=True)\n'
        + _FAULT
        + _RECORD.format(rev="w3"),
        'op.drop_table("third")',
    ),
    Rev("w4", "w3", _RECORD.format(rev="w4"), ""),
]


def limbeck(project: Path, *args: str, env: dict[str, str] | None = None, ini: str = "limbeck.ini") -> subprocess.Popen[str]:
    """Start ``limbeck -c <ini> <args>`` in ``project``; stdout/stderr are captured."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "limbeck", "-c", ini, *args],
        cwd=project, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def wait_for_line(path: Path, text: str, timeout: float = 60, proc: subprocess.Popen[str] | None = None) -> None:
    """Wait until the log file has a line starting with ``text``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and any(line.startswith(text) for line in path.read_text().splitlines()):
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process ended before '{text}': {proc.communicate()}")
        time.sleep(0.05)
    raise AssertionError(f"no '{text}' in {path} after {timeout}s")


def release_when(release: Path, ready: Callable[[], bool], timeout: float = 60) -> None:
    """Create ``release`` (ending a ``$RELIABILITY_HOLD`` wait) once ``ready()`` is true."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready after {timeout}s")
        time.sleep(0.05)
    release.touch()


def log_revisions(path: Path) -> list[str]:
    """Revisions whose upgrade() ran, in order (one entry per run of the function)."""
    if not path.exists():
        return []
    return [line.split()[0] for line in path.read_text().splitlines() if len(line.split()) == 2]


def applied_rows(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("applied"):
            return []
        return sorted(conn.exec_driver_sql("SELECT rev FROM applied").scalars())


@contextlib.contextmanager
def lock_held(url: str) -> Iterator[None]:
    """Hold the migration lock of ``url``'s default version table from this process.

    What another limbeck run would hold: the advisory lock on PostgreSQL,
    the ``GET_LOCK`` name on MariaDB, the lock file beside a SQLite database.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        import fcntl

        fd = os.open(sqlite_lock_path(str(parsed.database), "limbeck:alembic_version"), os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        if backend == "postgresql":
            key = advisory_key("limbeck:alembic_version")
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        else:
            name = get_lock_name(str(parsed.database), "alembic_version")
            assert conn.execute(sa.text("SELECT GET_LOCK(:n, 0)"), {"n": name}).scalar() == 1
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT RELEASE_LOCK(:n)"), {"n": name})


def write_ini(project: Path, name: str, **options: str) -> str:
    """A copy of the project's ini with extra main-section options; returns its file name."""
    text = (project / "limbeck.ini").read_text()
    head, sep, rest = text.partition("[limbeck]\n")
    extra = "".join(f"{key} = {value}\n" for key, value in options.items())
    (project / name).write_text(head + sep + extra + rest)
    return name
