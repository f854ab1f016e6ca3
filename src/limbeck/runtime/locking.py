"""The migration lock: one online run at a time per database and version table.

Two ``limbeck upgrade head`` processes started together (two deploys, two
application replicas running migrations at start-up) would both read the
same version rows and both apply the same revisions. The lock serialises
them: a run takes it before it reads the version table and gives it back
after its last transaction ended, so the second run waits, then reads what
the first one recorded and finds nothing left to do.

How the lock is taken is a fact about the database, named by
:attr:`limbeck.dialects.base.DialectBehaviour.migration_lock` and looked up
in :data:`LOCK_METHODS`:

- PostgreSQL: a session advisory lock (``pg_advisory_lock``), keyed by the
  version table's name; released when the session ends, so a killed process
  never leaves it behind;
- MySQL / MariaDB: ``GET_LOCK`` (server-wide names, so the name carries the
  database);
- SQL Server: ``sp_getapplock`` owned by the session;
- SQLite: an operating-system lock on a file beside the database
  (``<database>.limbeck-<key>.lock``, removed at release): SQLite's own
  locks cannot outlast a COMMIT without also keeping other connections out.

A database without a method (Oracle, third-party dialects) runs unlocked.
The lock is online only, and every statement of it goes through the
migration context's emitter like any other (SQLite's takes none). Settings: ``migration_lock``
(default true) and ``lock_timeout`` (seconds; default: wait as long as it
takes) in the main section of the ini file or ``[tool.alembic]``, overridden
by ``context.configure(migration_lock=..., lock_timeout=...)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import event
from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError

from limbeck.compat import logger_name
from limbeck.compiler.statement import Kind, Statement
from limbeck.errors import CommandError, ConfigError

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext

log = logging.getLogger(logger_name(__name__))

#: runs one lock statement through the emitter, in a transaction of its own; returns its value
Run = Callable[[Statement], Any]

#: longest pause between two tries of a lock that is polled (seconds)
POLL_INTERVAL = 0.5


class MigrationLockTimeout(CommandError):
    """Another run held the migration lock for longer than ``lock_timeout``."""


@dataclass(frozen=True)
class LockSettings:
    """Whether to lock, and how long to wait for the lock (``None``: no limit)."""

    enabled: bool = True
    timeout: float | None = None

    @classmethod
    def resolve(cls, opts: Mapping[str, Any], config: Config | None) -> LockSettings:
        """``configure()`` keywords first, then the config file, then the defaults."""
        enabled = opts.get("migration_lock")
        if enabled is None:
            enabled = _config_flag(config)
        timeout_value = opts["lock_timeout"] if "lock_timeout" in opts else _config_value(config, "lock_timeout")
        return cls(bool(enabled), parse_timeout(timeout_value, _where(config, "lock_timeout", opts)))


def _config_value(config: Config | None, name: str) -> Any:
    if config is None:
        return None
    return config.get_alembic_option(name)


def _config_flag(config: Config | None) -> bool:
    """``migration_lock`` from the config; strict, since a typo must not silently turn the lock off."""
    value = _config_value(config, "migration_lock")
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ConfigError(f"{_where(config, 'migration_lock', {})}: {value!r} is not true or false")


def _where(config: Config | None, name: str, opts: Mapping[str, Any]) -> str:
    if name in opts:
        return f"configure({name}=...)"
    files = [f for f in (getattr(config, "config_file_name", None), getattr(config, "toml_file_name", None)) if f]
    return f"{name} in {files[0]}" if files else name


def parse_timeout(value: Any, where: str = "lock_timeout") -> float | None:
    """Seconds as a float; ``None`` or an empty string mean "wait without limit".

    Raises:
        ConfigError: not a finite number of seconds, or negative.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ConfigError(f"{where}: {value!r} is not a number of seconds")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {value!r} is not a number of seconds (e.g. 30 or 2.5)") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(f"{where}: {value!r} must be zero or a positive number of seconds")
    return seconds


def lock_identity(ctx: MigrationContext) -> str:
    """``limbeck:<schema>.<table>``: runs on different version tables do not exclude each other."""
    table = ctx.version_table
    schema = ctx.version_table_schema
    return f"limbeck:{schema}.{table}" if schema else f"limbeck:{table}"


def advisory_key(identity: str) -> int:
    """The signed 64-bit PostgreSQL advisory lock key for a lock identity (stable across processes)."""
    digest = hashlib.sha256(identity.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def get_lock_name(database: str, table: str) -> str:
    """The ``GET_LOCK`` name: server-wide, so it carries the database; at most 64 characters."""
    name = f"limbeck:{database}.{table}"
    if len(name) > 64:
        name = "limbeck:" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:48]
    return name


def _sql(text: str, action: str, **params: Any) -> Statement:
    element = sql_text(text).bindparams(**params) if params else text
    return Statement(Kind.DML, element, info={"migration_lock": action})


class LockMethod:
    """How one database takes and gives back the lock; subclasses hold the SQL."""

    #: whether the lock can be taken inside a transaction the caller began
    in_caller_transaction_ok: ClassVar[bool] = True

    def __init__(self, ctx: MigrationContext) -> None:
        self.ctx = ctx
        self.identity = lock_identity(ctx)
        #: a connection the caller began a transaction on: lock until *their* COMMIT
        self.in_caller_transaction = bool(getattr(ctx.impl, "in_caller_transaction", False))

    def acquire(self, run: Run, timeout: float | None) -> bool:
        """Take the lock, waiting at most ``timeout`` seconds; False when that ran out."""
        raise NotImplementedError

    def release(self, run: Run) -> None:
        raise NotImplementedError

    @staticmethod
    def _poll(attempt: Callable[[], bool], timeout: float | None) -> bool:
        """Try until ``attempt()`` succeeds or ``timeout`` (None: no limit) runs out."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.02
        while True:
            if attempt():
                return True
            remaining = math.inf if deadline is None else deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, POLL_INTERVAL)


class PostgreSQLAdvisoryLock(LockMethod):
    """``pg_advisory_lock`` on a 64-bit key derived from the lock identity.

    https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS:
    advisory locks belong to one database, and a session lock survives the
    per-revision COMMITs but not the session. Inside a transaction the caller
    began, the transaction-level form is used so the lock lasts until the
    caller commits. A revision may commit that transaction midway
    (``op.get_bind().commit()``, an ``autocommit_block``): just before such a
    commit the session-level lock is taken too (granted at once, this session
    holds the key), so the rest of the run stays locked until ``release``.

    The lock is polled with ``pg_try_advisory_lock``, each try a short
    transaction of its own, never waited for in ``pg_advisory_lock``: a
    statement blocked there keeps a snapshot open, and the running
    migration's ``CREATE INDEX CONCURRENTLY`` (in an ``autocommit_block``)
    waits for every open snapshot, a cycle PostgreSQL ends by failing the
    waiting run with "deadlock detected".
    """

    @property
    def key(self) -> int:
        return advisory_key(self.identity)

    #: the session-level lock was taken inside the caller's transaction, before its commit
    _session_lock = False

    def acquire(self, run: Run, timeout: float | None) -> bool:
        scope = "_xact" if self.in_caller_transaction else ""
        statement = _sql(f"SELECT pg_try_advisory{scope}_lock(:key)", "acquire", key=self.key)
        got = self._poll(lambda: bool(run(statement)), timeout)
        if got and self.in_caller_transaction:
            event.listen(self.ctx.connection, "commit", self._before_caller_commit)
        return got

    def _before_caller_commit(self, connection: Any) -> None:
        """SQLAlchemy's ``commit`` event, inside the transaction about to be committed.

        The statement goes straight to the driver: SQLAlchemy is in the middle
        of committing and takes no statement of its own here.
        """
        if self._session_lock:
            return
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(f"SELECT pg_advisory_lock({int(self.key)})")
            self._session_lock = True
        except Exception:  # an aborted transaction: its commit is a rollback, the run is failing
            log.debug("could not keep the migration lock past the caller's commit", exc_info=True)
        finally:
            cursor.close()

    def release(self, run: Run) -> None:
        if self.in_caller_transaction:
            event.remove(self.ctx.connection, "commit", self._before_caller_commit)
        if not self.in_caller_transaction or self._session_lock:
            run(_sql("SELECT pg_advisory_unlock(:key)", "release", key=self.key))


class MySQLGetLock(LockMethod):
    """``GET_LOCK(name, seconds)``: 1 when taken, 0 when the time ran out.

    https://mariadb.com/kb/en/get_lock/: names are server-wide, so the name
    carries the database; MySQL allows at most 64 characters, longer names
    are hashed. A negative time limit is not "forever" on MariaDB (it returns
    NULL), so no limit is a year.
    """

    FOREVER: ClassVar[float] = 365 * 24 * 3600.0

    @property
    def name(self) -> str:
        ctx = self.ctx
        return get_lock_name(ctx.version_table_schema or _url_database(ctx) or "", ctx.version_table)

    def acquire(self, run: Run, timeout: float | None) -> bool:
        seconds = self.FOREVER if timeout is None else timeout
        got = run(_sql("SELECT GET_LOCK(:name, :seconds)", "acquire", name=self.name, seconds=seconds))
        if got is None:
            raise CommandError(f"GET_LOCK('{self.name}') failed on the database (returned NULL)")
        return bool(got)

    def release(self, run: Run) -> None:
        run(_sql("SELECT RELEASE_LOCK(:name)", "release", name=self.name))


class SQLServerAppLock(LockMethod):
    """``sp_getapplock``: an application lock owned by the session (or the caller's transaction).

    https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-getapplock-transact-sql:
    the result is >= 0 when granted, -1 on timeout; ``@LockTimeout`` is in
    milliseconds and -1 waits without limit.
    """

    @property
    def owner(self) -> str:
        return "Transaction" if self.in_caller_transaction else "Session"

    def acquire(self, run: Run, timeout: float | None) -> bool:
        millis = -1 if timeout is None else round(timeout * 1000)
        text = (
            "SET NOCOUNT ON; DECLARE @result int; "
            "EXEC @result = sp_getapplock @Resource = :name, @LockMode = 'Exclusive', "
            f"@LockOwner = '{self.owner}', @LockTimeout = :millis; SELECT @result"
        )
        result = run(_sql(text, "acquire", name=self.identity, millis=millis))
        if result is None or result < -1:
            raise CommandError(f"sp_getapplock('{self.identity}') failed on the database (result {result})")
        return bool(result >= 0)

    def release(self, run: Run) -> None:
        if not self.in_caller_transaction:
            run(_sql(
                "EXEC sp_releaseapplock @Resource = :name, @LockOwner = 'Session'", "release", name=self.identity,
            ))


class SQLiteFileLock(LockMethod):
    """An operating-system lock on a file beside the database, held for the whole run.

    SQLite has no lock a connection can hold across COMMITs without holding
    the database itself: in exclusive locking mode the first write keeps
    every other connection out, readers too, so a revision that opens a
    second connection (``sa.inspect(op.get_bind().engine)``,
    ``engine.connect()``: jupyterhub's revisions do) waited for the busy
    timeout and failed with "database is locked" where Alembic, which takes
    no lock, goes on. The lock file is :func:`sqlite_lock_path` (the
    database's folder already holds its journal), locked with ``flock``
    (``msvcrt.locking`` on Windows), which SQLite's own byte-range locks
    never see; the run that holds it removes it at release, and a run that
    locked a file removed meanwhile locks the new one. A database in a
    folder where no file can be made runs unlocked, with a warning.
    """

    in_caller_transaction_ok = False

    def __init__(self, ctx: MigrationContext) -> None:
        super().__init__(ctx)
        self.path = sqlite_lock_path(str(_url_database(ctx)), self.identity)
        self._fd: int | None = None

    def acquire(self, run: Run, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as err:
                log.warning("no migration lock: cannot create %s (%s); running unlocked", self.path, err.strerror)
                return True
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not _lock_file(fd, remaining):
                os.close(fd)
                return False
            if _same_file(fd, self.path):
                self._fd = fd
                return True
            os.close(fd)  # removed by the run that held it before us: lock the file that is there now

    def release(self, run: Run) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if os.name != "nt":  # Windows keeps a file that is open: it stays, empty, for the next run
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
        finally:
            _unlock_file(fd)
            os.close(fd)

    @staticmethod
    def applies(ctx: MigrationContext) -> bool:
        database = _url_database(ctx)
        return bool(database) and database != ":memory:" and "mode=memory" not in str(database)


def sqlite_lock_path(database: str, identity: str) -> str:
    """The lock file of the SQLite database file ``database`` for lock ``identity`` (one per version table)."""
    if database.startswith("file:"):  # a URI filename (sqlite:///file:app.db?mode=rwc&uri=true)
        database = database[len("file:"):].split("?", 1)[0]
    key = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]
    return f"{os.path.realpath(database)}.limbeck-{key}.lock"


def _lock_file(fd: int, timeout: float | None) -> bool:
    """Lock ``fd`` exclusively, waiting at most ``timeout`` seconds (None: as long as it takes)."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        def attempt() -> bool:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError:
                return False
            return True
    else:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return True

        def attempt() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

    return LockMethod._poll(attempt, timeout)


def _unlock_file(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: str) -> bool:
    """Whether the locked ``fd`` is still the file at ``path`` (its holder removes it at release)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _url_database(ctx: MigrationContext) -> str | None:
    engine = getattr(ctx.connection, "engine", None)
    url = getattr(engine, "url", None)
    database = getattr(url, "database", None)
    if url is not None and "mode=memory" in str(getattr(url, "query", {}).get("mode", "")):
        return ":memory:"
    return str(database) if database else None


#: ``DialectBehaviour.migration_lock`` -> the class that speaks it
LOCK_METHODS: Mapping[str, type[LockMethod]] = {
    "pg_advisory": PostgreSQLAdvisoryLock,
    "get_lock": MySQLGetLock,
    "sp_getapplock": SQLServerAppLock,
    "sqlite_file": SQLiteFileLock,
}


class RunLock:
    """The lock of one migration context: taken once per run, re-entrant, online only."""

    def __init__(self, ctx: MigrationContext) -> None:
        self.ctx = ctx
        #: inside :meth:`hold` (whether or not a lock was actually taken)
        self.entered = False
        #: the lock is taken right now
        self.held = False

    @property
    def needed(self) -> bool:
        """Whether a run on this context should take the lock now."""
        ctx = self.ctx
        if self.entered or ctx.as_sql or ctx.connection is None or ctx.opts.get("dont_mutate"):
            return False
        return ctx.runs_migrations and self._method_class() is not None

    def _method_class(self) -> type[LockMethod] | None:
        name = getattr(self.ctx.behaviour, "migration_lock", None)
        method = LOCK_METHODS.get(name) if name else None
        if method is SQLiteFileLock and not SQLiteFileLock.applies(self.ctx):
            return None
        if method is not None and not method.in_caller_transaction_ok and getattr(self.ctx.impl, "in_caller_transaction", False):
            return None
        return method

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock around the block (a no-op where none is needed, or inside another hold)."""
        if not self.needed:
            yield
            return
        self.entered = True
        try:
            settings = LockSettings.resolve(self.ctx.opts, self.ctx.config)
            method_class = self._method_class()
            if not settings.enabled or method_class is None:
                yield
                return
            with self._locked(method_class(self.ctx), settings.timeout):
                yield
        finally:
            self.entered = False

    @contextlib.contextmanager
    def _locked(self, method: LockMethod, timeout: float | None) -> Iterator[None]:
        self._acquire(method, timeout)
        self.held = True
        try:
            yield
        except BaseException:
            self.held = False
            self._release(method, failing=True)
            raise
        self.held = False
        self._release(method, failing=False)

    def _acquire(self, method: LockMethod, timeout: float | None) -> None:
        start = time.monotonic()
        if not method.acquire(self._run, timeout):
            behaviour = self.ctx.behaviour
            raise MigrationLockTimeout(
                f"lock_timeout: the migration lock '{method.identity}' on {behaviour.display_name} was not "
                f"free within {timeout:g}s; another migration run holds it (retry when it has finished, "
                "raise lock_timeout, or set migration_lock = false)"
            )
        waited = time.monotonic() - start
        if waited >= 1:
            log.info("Waited %.1fs for the migration lock '%s'", waited, method.identity)

    def _release(self, method: LockMethod, *, failing: bool) -> None:
        try:
            method.release(self._run)
        except Exception:
            # the run's own error matters more; the session's end frees the lock anyway
            if not failing:
                raise
            log.warning("could not release the migration lock '%s'", method.identity, exc_info=True)

    def _run(self, statement: Statement) -> Any:
        """One lock statement in a transaction of its own (the run's transactions come after it)."""
        ctx = self.ctx
        framed = not ctx.impl.in_transaction
        if framed:
            ctx.emit(Statement(Kind.BEGIN, info={"migration_lock": True}))
        try:
            result = ctx.emit(statement)
            value = result.scalar() if result is not None and result.returns_rows else None
        except BaseException:
            ctx.impl.rollback()
            raise
        if framed:
            ctx.emit(Statement(Kind.COMMIT, info={"migration_lock": True}))
        return value


__all__ = [
    "LOCK_METHODS",
    "LockMethod",
    "LockSettings",
    "MigrationLockTimeout",
    "MySQLGetLock",
    "PostgreSQLAdvisoryLock",
    "RunLock",
    "SQLServerAppLock",
    "SQLiteFileLock",
    "advisory_key",
    "get_lock_name",
    "lock_identity",
    "parse_timeout",
    "sqlite_lock_path",
]
