"""Validation by execution: the statements run, in order, on a database that is thrown away.

- SQLite: an in-memory database (the standard library's ``sqlite3``), always
  available. Files are never touched: an authorizer refuses ``ATTACH`` (and
  ``VACUUM INTO``, which attaches), and extensions stay unloadable.
- any database: a scratch database the user names (``--validate-on URL``,
  ``validate_url``). Where DDL can be rolled back and the script needs no
  autocommit, everything runs in one transaction that is rolled back; else
  on a database created for the purpose and dropped afterwards.

Both first run the *prelude*: the rendered revisions before the range, so
that a range that does not start at base finds the tables it alters.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind
from limbeck.errors import CommandError
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.verdicts import VALIDATED_KINDS, Status, Verdict

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.review.stream import Record
    from limbeck.script import ScriptDirectory


@dataclass(frozen=True)
class Prelude:
    """The statements that build the schema a range starts from, per migration context."""

    by_context: dict[int, list[str]] = field(default_factory=dict)

    def texts(self, context: int) -> list[str]:
        return self.by_context.get(context, [])


def prelude_for(config: Config, start: Any, dialect: str | None, script: ScriptDirectory | None = None) -> Prelude | None:
    """The rendered upgrade from base to ``start`` (``None`` when the range starts at base)."""
    if isinstance(start, (tuple, list)):
        start = start[0] if len(start) == 1 else None
    if not start or start == "base":
        return None
    cap = capture(config, RevisionRange("base", str(start)), dialect=dialect, keep_going=True, script=script)
    by_context: dict[int, list[str]] = {}
    for record in cap.records:
        if record.kind in VALIDATED_KINDS:
            by_context.setdefault(record.context, []).extend(record.texts)
    return Prelude(by_context)


def scratch_database(config: Config, given: str | None) -> ScratchDatabase | None:
    """The scratch database of ``--validate-on`` (``given``), else of the ``validate_url`` option."""
    if given:
        return ScratchDatabase(given, "--validate-on")
    configured = config.get_alembic_option("validate_url")
    if configured:
        where = config.config_file_name or "the configuration"
        return ScratchDatabase(str(configured), f"validate_url in {where}")
    return None


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
@dataclass
class ScratchDatabase:
    """``--validate-on URL`` / ``validate_url``: where the whole script runs before anyone approves it."""

    url: str
    #: where the URL came from, for error messages ("--validate-on", "validate_url in limbeck.ini")
    source: str

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
        label = f"scratch {server.name}"
        records = [record for record, _ in items]
        in_transaction = records[0].transactional_ddl and not any(
            r.statement.autocommit or (r.kind is Kind.COMMIT and r.info.get("autocommit_block")) for r in records
        )
        try:
            if in_transaction:
                outcome = self._run_in_transaction(engine, items, prelude)
            else:
                outcome = self._run_on_new_database(engine, items, prelude)
        finally:
            engine.dispose()
        return self._verdicts(items, verdicts, outcome, label, notes)

    @staticmethod
    def _verdicts(
        items: Sequence[tuple[Record, str]], verdicts: Sequence[Verdict], outcome: tuple[set[int], int | None, str],
        label: str, notes: list[str],
    ) -> list[Verdict]:
        ran, failed, error = outcome
        out = []
        for index, verdict in enumerate(verdicts):
            if index == failed:
                out.append(Verdict(Status.INVALID, f"{label}: {error}", label))
            elif index in ran:
                out.append(Verdict(Status.EXECUTED, "ran", label))
            else:
                out.append(verdict)
        if failed is not None:
            rest = len(items) - failed - 1
            notes.append(f"{label}: stopped at the first failing statement; {rest} statement(s) after it were not run")
        return out

    def _run_in_transaction(self, engine: Any, items: Sequence[tuple[Record, str]], prelude: Sequence[str]) -> tuple[set[int], int | None, str]:
        """Everything in one transaction, rolled back: the database keeps nothing."""
        with engine.connect() as raw:
            conn = raw.execution_options(isolation_level="READ COMMITTED", no_parameters=True)
            transaction = conn.begin()
            try:
                self._prelude(conn, prelude)
                # the script's own BEGIN/COMMIT are left out: the outer transaction holds everything
                todo = [(i, text) for i, (record, text) in enumerate(items) if record.kind not in (Kind.BEGIN, Kind.COMMIT)]
                return _run(conn, todo)
            finally:
                transaction.rollback()

    def _run_on_new_database(self, engine: Any, items: Sequence[tuple[Record, str]], prelude: Sequence[str]) -> tuple[set[int], int | None, str]:
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
                return _run(conn, list(enumerate(text for _, text in items)))
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
                raise self._fail(
                    f"the revisions before the range failed there ({str(orig).strip().splitlines()[0]}): "
                    "name an empty database"
                ) from None


def _run(conn: Any, todo: Sequence[tuple[int, str]]) -> tuple[set[int], int | None, str]:
    """Run ``todo`` in order; the indexes that ran, the one that failed and its error."""
    ran: set[int] = set()
    for index, text in todo:
        try:
            conn.exec_driver_sql(text)
        except Exception as err:  # noqa: BLE001 - the database's refusal is the verdict
            orig = getattr(err, "orig", err)
            return ran, index, str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        ran.add(index)
    return ran, None, ""
