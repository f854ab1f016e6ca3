"""Validation by execution: the statements run, in order, on a database that is thrown away.

- SQLite: an in-memory database (the standard library's ``sqlite3``), always
  available. Files are never touched: an authorizer refuses ``ATTACH`` (and
  ``VACUUM INTO``, which attaches), and extensions stay unloadable.
- any database: a scratch database the user names (``--validate-on URL``,
  ``validate_url``). Where DDL can be rolled back and the script needs no
  autocommit, everything runs in one transaction that is rolled back; else
  on a database created for the purpose and dropped afterwards.
- PostgreSQL without a URL: the same run, on a server started for the command
  in a temporary folder (:mod:`limbeck.review.temporary_server`).

Both first run the *prelude*: the rendered revisions before the range, so
that a range that does not start at base finds the tables it alters.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind
from limbeck.errors import CommandError
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.stream import UNRENDERED, transaction_control
from limbeck.review.verdicts import VALIDATED_KINDS, Status, Verdict

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.review.stream import Record
    from limbeck.review.temporary_server import TemporaryServer
    from limbeck.script import ScriptDirectory


@dataclass(frozen=True)
class Prelude:
    """The statements that build the schema a range starts from, per migration context."""

    by_context: dict[int, list[str]] = field(default_factory=dict)

    def texts(self, context: int) -> list[str]:
        return self.by_context.get(context, [])


def prelude_for(
    config: Config, start: Any, dialect: str | None, script: ScriptDirectory | None = None, *, warn: bool = True
) -> Prelude | None:
    """The rendered upgrade from base to ``start`` (``None`` when the range starts at base).

    ``warn``: as :func:`~limbeck.review.capture.capture`'s (env.py's output files emptied).
    """
    if isinstance(start, (tuple, list)):
        start = start[0] if len(start) == 1 else None
    if not start or start == "base":
        return None
    cap = capture(config, RevisionRange("base", str(start)), dialect=dialect, keep_going=True, script=script, warn=warn)
    missing = cap.unrendered()
    if missing:
        # the schema the range starts from would lack what that revision makes: verdicts on it
        # would judge the range against another database than the one it runs on
        first = missing[0]
        raise CommandError(
            f"cannot build the schema the range starts from: revision {first.revision} (before the range) "
            f"cannot be rendered offline: {first.info[UNRENDERED]}"
        )
    by_context: dict[int, list[str]] = {}
    for record in cap.records:
        if record.kind in VALIDATED_KINDS:
            by_context.setdefault(record.context, []).extend(record.texts)
    return Prelude(by_context)


def _not_runnable(behaviour: type[DialectBehaviour], record: Record, text: str) -> str | None:
    """Why validation does not run ``text`` (and what follows it), if it does not."""
    # the framing's own BEGIN / COMMIT are statements of their kinds, run as the check runs them
    control = None if record.kind in (Kind.BEGIN, Kind.COMMIT) else transaction_control(text, record.dialect)
    if control is not None:
        return (f"a {control} written as SQL ends or opens a transaction behind the tools' back, and validation "
                "runs the script in one transaction it rolls back (use op.get_context().autocommit_block())")
    return behaviour.client_reads_differently(text)


def scratch_database(config: Config, given: str | None) -> ScratchDatabase | TemporaryServer:
    """The scratch database of ``--validate-on`` (``given``), else of the ``validate_url`` option.

    Without either, a temporary server where the dialect has one and the
    machine can start it (:mod:`limbeck.review.temporary_server`).
    """
    if given:
        return ScratchDatabase(given, "--validate-on")
    configured = config.get_alembic_option("validate_url")
    where = config.config_file_name or "the configuration"
    if configured:
        return ScratchDatabase(str(configured), f"validate_url in {where}")
    from limbeck.review.temporary_server import OPTION, TemporaryServer

    if config.get_alembic_option(OPTION) is None or config.get_alembic_boolean_option(OPTION):
        return TemporaryServer()
    return TemporaryServer(off=f"{OPTION} = false in {where}")


# -- SQLite, in memory ----------------------------------------------------------------------
def _authorize(action: int, name: str | None, *_: Any) -> int:
    # VACUUM attaches a nameless temporary database; anything naming a file is refused
    if action == sqlite3.SQLITE_ATTACH and name not in ("", ":memory:", None):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _sqlite_statements(text: str) -> list[str]:
    """``text`` cut where SQLite ends a statement (a trigger's inner ``;`` does not)."""
    out: list[str] = []
    buffer = ""
    for piece in text.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                out.append(buffer)
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        out.append(buffer.rstrip(";"))
    return out


def _sqlite_execute(conn: sqlite3.Connection, text: str) -> None:
    for statement in _sqlite_statements(text):
        conn.execute(statement)


def run_sqlite(texts: Sequence[str], prelude: Sequence[str] = ()) -> list[Verdict]:
    """Each text run in order on a fresh in-memory database, after ``prelude``.

    A statement that fails is invalid; the run goes on with the next one
    (as a client that does not stop would), so each error is reported.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.set_authorizer(_authorize)
        for text in prelude:
            try:
                _sqlite_execute(conn, text)
            except sqlite3.Error:
                pass  # the revisions before the range: not what is being validated
        verdicts = []
        for text in texts:
            try:
                _sqlite_execute(conn, text)
            except sqlite3.DatabaseError as err:
                if "not authorized" in str(err) or "authorization denied" in str(err):
                    verdicts.append(Verdict(Status.NOT_CHECKED, "touches files (ATTACH, VACUUM INTO): not run", "sqlite"))
                else:
                    verdicts.append(Verdict(Status.INVALID, f"sqlite: {err}", "sqlite"))
            except sqlite3.Warning as err:  # more than one statement where SQLite takes one
                verdicts.append(Verdict(Status.INVALID, f"sqlite: {err}", "sqlite"))
            else:
                verdicts.append(Verdict(Status.EXECUTED, "ran", "sqlite"))
        return verdicts
    finally:
        conn.close()


# -- a scratch database the user names ------------------------------------------------------
class PreludeFailed(CommandError):
    """The revisions before the range did not run on the scratch database."""

    def __init__(self, message: str, reason: str, outside_transaction: bool) -> None:
        super().__init__(message)
        #: the database's error, alone
        self.reason = reason
        #: a statement cannot run in a transaction (an autocommit block before the range)
        self.outside_transaction = outside_transaction


#: a refusal that says more about the server than about the statement (judged by this parser
#: verdict): why, or ``None`` when the statement is at fault
Excuse = Callable[[BaseException, Verdict], "str | None"]


@dataclass
class Outcome:
    """What a run did: the indexes that ran, the one that failed and its error, the ones excused."""

    ran: set[int] = field(default_factory=set)
    failed: int | None = None
    error: str = ""
    #: index -> why the refusal is not held against the statement
    excused: dict[int, str] = field(default_factory=dict)


@dataclass
class ScratchDatabase:
    """``--validate-on URL`` / ``validate_url``: where the whole script runs before anyone approves it."""

    url: str
    #: where the URL came from, for error messages ("--validate-on", "validate_url in limbeck.ini")
    source: str
    #: how verdicts name it; ``None``: "scratch <database>"
    label: str | None = None
    #: set for a server the user did not name, which may lack what their database has
    excuse: Excuse | None = None

    def executes(self, dialect: str) -> bool:
        """Whether it runs ``dialect``'s statements (it does, or says why not)."""
        return True

    def session(self) -> contextlib.AbstractContextManager[object]:
        """Held around the judging of a whole command: nothing to open for a database the user runs."""
        return contextlib.nullcontext()

    def _fail(self, message: str) -> CommandError:
        # SQLAlchemy after start-up: upgrade --sql --validate imports this module before its start-up overlap
        from sqlalchemy.engine import make_url

        try:
            shown = make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot read is shown as given
            shown = self.url
        return CommandError(f"{self.source} {shown}: {message}")

    def _engine(self, url: Any, **kw: Any) -> Any:
        # SQLAlchemy after start-up: upgrade --sql --validate imports this module before its start-up overlap
        import sqlalchemy as sa

        try:
            return sa.create_engine(url, poolclass=sa.pool.NullPool, **kw)
        except Exception as err:  # noqa: BLE001 - bad URL, missing driver: one line
            raise self._fail(f"cannot use it: {err}") from None

    def judge(
        self, items: Sequence[tuple[Record, str]], verdicts: Sequence[Verdict], prelude: Sequence[str], notes: list[str]
    ) -> list[Verdict]:
        """``verdicts`` with each statement the database ran (or refused) judged by the database.

        The run stops at the first statement that fails, as a client that
        stops at errors does; the statements after it keep their parser's
        verdict, and ``notes`` says how many were not run.
        """
        # SQLAlchemy after start-up: upgrade --sql --validate imports this module before its start-up overlap
        from limbeck.dialects import behaviour_class, behaviour_for
        from limbeck.dialects.base import DialectBehaviour, StatementValidator

        if not items:
            return list(verdicts)
        script_dialect = items[0][0].dialect
        wanted = behaviour_class(script_dialect)
        stop = next((i for i, (record, text) in enumerate(items) if _not_runnable(wanted, record, text)), None)
        if stop is not None:
            # what the client does from there on is not what a driver does with the statements (psql
            # reads COPY's rows from the script), or a COMMIT would end the transaction the check
            # rolls back (keeping, on a scratch database, what ran): not run, and said so
            why = _not_runnable(wanted, *items[stop])
            head = self.judge(items[:stop], verdicts[:stop], prelude, notes) if stop else []
            label = self.label or "scratch database"
            notes.append(f"{label}: statement {stop + 1} and the {len(items) - stop - 1} after it were not run: {why}")
            return [*head, *(Verdict(Status.NOT_CHECKED, f"{label}: not run: {why}", label) for _ in items[stop:])]
        if wanted.statement_validator is StatementValidator.IN_MEMORY_SQLITE:
            raise self._fail("SQLite needs no scratch database: --validate runs every statement on an in-memory SQLite database")
        engine = self._engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                server = type(behaviour_for(conn.dialect))
        except Exception as err:  # noqa: BLE001 - unreachable server, wrong password: one line
            engine.dispose()
            raise self._fail(f"cannot connect: {str(err).splitlines()[0]}") from None
        if server is not wanted and not (issubclass(server, wanted) or issubclass(wanted, server)) or server is DialectBehaviour:
            engine.dispose()
            raise self._fail(f"is a {server.name} database; the script is for {script_dialect}")
        label = self.label or f"scratch {server.name}"
        records = [record for record, _ in items]
        in_transaction = records[0].transactional_ddl and not any(
            r.statement.autocommit or (r.kind is Kind.COMMIT and r.info.get("autocommit_block")) for r in records
        )
        excuse = self._excuse_for(verdicts)
        try:
            try:
                if in_transaction:
                    outcome = self._run_in_transaction(engine, items, prelude, excuse)
                else:
                    outcome = self._run_on_new_database(engine, items, prelude, excuse)
            except PreludeFailed as err:
                if not (in_transaction and err.outside_transaction):
                    raise
                # the revisions before the range hold an autocommit block
                outcome = self._run_on_new_database(engine, items, prelude, excuse)
        finally:
            engine.dispose()
        return self._verdicts(items, verdicts, outcome, label, notes)

    def _excuse_for(self, verdicts: Sequence[Verdict]) -> Callable[[BaseException, int], str | None] | None:
        excuse = self.excuse
        if excuse is None:
            return None
        return lambda err, index: excuse(err, verdicts[index])

    @staticmethod
    def _verdicts(
        items: Sequence[tuple[Record, str]], verdicts: Sequence[Verdict], outcome: Outcome, label: str, notes: list[str],
    ) -> list[Verdict]:
        first_excused = min(outcome.excused, default=None)
        out = []
        for index, verdict in enumerate(verdicts):
            if index in outcome.excused:
                out.append(Verdict(Status.NOT_CHECKED, f"{label}: {outcome.excused[index]}", label))
            elif index == outcome.failed and first_excused is not None and index > first_excused and verdict.status is not Status.INVALID:
                # the refusal may follow from the statement this server could not run
                out.append(Verdict(
                    Status.NOT_CHECKED, f"{label}: {outcome.error} (after a statement it could not run; not held against this one)",
                    label,
                ))
            elif index == outcome.failed:
                out.append(Verdict(Status.INVALID, f"{label}: {outcome.error}", label))
            elif index in outcome.ran:
                out.append(Verdict(Status.EXECUTED, "ran", label))
            else:
                out.append(verdict)
        stopped = outcome.failed if outcome.failed is not None else max(outcome.excused, default=None)
        unrun = [i for i in range(len(items)) if stopped is not None and i > stopped and i not in outcome.ran]
        if outcome.failed is not None:
            notes.append(f"{label}: stopped at the first failing statement; {len(unrun)} statement(s) after it were not run")
        elif unrun:
            notes.append(f"{label}: stopped at a statement it could not run; {len(unrun)} statement(s) after it were not run")
        return out

    def _run_in_transaction(
        self, engine: Any, items: Sequence[tuple[Record, str]], prelude: Sequence[str], excuse: _IndexExcuse | None = None
    ) -> Outcome:
        """Everything in one transaction, rolled back: the database keeps nothing."""
        with engine.connect() as raw:
            conn = raw.execution_options(isolation_level="READ COMMITTED", no_parameters=True)
            transaction = conn.begin()
            try:
                self._prelude(conn, prelude)
                # the script's own BEGIN/COMMIT are left out: the outer transaction holds everything
                todo = [(i, text) for i, (record, text) in enumerate(items) if record.kind not in (Kind.BEGIN, Kind.COMMIT)]
                # a savepoint per statement, so that the run goes on past an excused refusal
                return _run(conn, todo, excuse, savepoints=excuse is not None)
            finally:
                transaction.rollback()

    def _run_on_new_database(
        self, engine: Any, items: Sequence[tuple[Record, str]], prelude: Sequence[str], excuse: _IndexExcuse | None = None
    ) -> Outcome:
        """A database of its own, created and dropped: for DDL that commits, or autocommit blocks."""
        name = f"limbeck_scratch_{uuid.uuid4().hex[:12]}"
        quoted = engine.dialect.identifier_preparer.quote(name)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
        except Exception as err:  # noqa: BLE001 - privileges: one line
            raise self._fail(
                f"cannot create a scratch database ({str(err).splitlines()[0]}); this script cannot run in one "
                "transaction that is rolled back, so it needs a user allowed to CREATE DATABASE"
            ) from None
        scratch = self._engine(engine.url.set(database=name), isolation_level="AUTOCOMMIT")
        try:
            with scratch.connect() as raw:
                conn = raw.execution_options(no_parameters=True)
                self._prelude(conn, prelude)
                # the script's own transactions: an excused refusal inside one aborts it, so the run stops there
                return _run(conn, list(enumerate(text for _, text in items)), excuse)
        finally:
            scratch.dispose()
            with engine.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE {quoted}")

    def _prelude(self, conn: Any, prelude: Sequence[str]) -> None:
        for text in prelude:
            if text.strip().upper() in ("BEGIN", "COMMIT"):
                continue
            try:
                conn.exec_driver_sql(text)
            except Exception as err:  # noqa: BLE001 - one line: the schema before the range did not build
                orig = getattr(err, "orig", err)
                message = self._fail(f"the revisions before the range failed there ({_first_line(orig)}): name an empty database")
                # 25001, PostgreSQL's active_sql_transaction: CREATE INDEX CONCURRENTLY and the like
                raise PreludeFailed(str(message), _first_line(orig), sqlstate(orig) == "25001") from None


_IndexExcuse = Callable[[BaseException, int], "str | None"]


def sqlstate(err: BaseException) -> str | None:
    """The SQLSTATE of a driver's error (psycopg: ``sqlstate``, psycopg2: ``pgcode``)."""
    return getattr(err, "sqlstate", None) or getattr(err, "pgcode", None)


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _run(conn: Any, todo: Sequence[tuple[int, str]], excuse: _IndexExcuse | None = None, savepoints: bool = False) -> Outcome:
    """Run ``todo`` in order, to the first refusal that is not excused (past excused ones with ``savepoints``)."""
    outcome = Outcome()
    for index, text in todo:
        if savepoints:
            conn.exec_driver_sql("SAVEPOINT limbeck_statement")
        try:
            conn.exec_driver_sql(text)
        except Exception as err:  # noqa: BLE001 - the database's refusal is the verdict
            orig = getattr(err, "orig", err)
            reason = excuse(orig, index) if excuse is not None else None
            if reason is None:
                outcome.failed, outcome.error = index, _first_line(orig)
                return outcome
            outcome.excused[index] = reason
            if not savepoints:
                return outcome
            conn.exec_driver_sql("ROLLBACK TO SAVEPOINT limbeck_statement")
            continue
        if savepoints:
            conn.exec_driver_sql("RELEASE SAVEPOINT limbeck_statement")
        outcome.ran.add(index)
    return outcome
