"""Fewer waits on the server during the stairway: a move's statements sent as one text.

On a server, much of the stairway's time goes to round trips: a generated
revision's DDL takes the server well under a millisecond per statement, but
every statement sent alone waits for its answer before the next one leaves
(on a shared machine, a scheduling slot for the server process and then for
ours, each time). A DDL statement's answer is only "done" or an error, so
nothing after it needs it right away. Where the driver runs several
statements sent as one text (psycopg 3 without parameters: PostgreSQL's
simple query protocol), the walk holds back what a migration sends that
answers nothing (its DDL, ``bulk_insert``'s rows, ``op.execute``'s INSERT,
UPDATE and DELETE without RETURNING; both ``op`` calls return None under
Alembic) and the version table's write after each step, and sends what it
holds as one text just before the next statement that is not held
(anything the migration reads, reflection included, a statement SQLAlchemy
reads rows back from, a commit), and where each move (upgrade, downgrade,
upgrade again) ends, so that a failure is still reported on the move and
the revision that made it. 100 generated revisions: 218 waits on the
server instead of 980.

What runs on the server does not change: the same statements, compiled by
SQLAlchemy as before, in the same order, in the same transaction, where a
failing statement stops the rest of its text as it would stop the rest of
the move. A statement's parameters are written into it as literals by the
driver itself (psycopg's client-side binding: its adapters and quoting),
one INSERT per row as the driver's ``executemany`` sends them; a value it
cannot write sends the statement on its own. Statements are held only
inside a transaction, never in an ``autocommit_block()``. The error is the
driver's own; SQLAlchemy's ``[SQL: ...]`` then shows the whole text, and
the stairway names the revision and the move.

The version table's write keeps Alembic's check (an UPDATE or DELETE must
match exactly one row): psycopg keeps one result per statement of a text,
so its count is read there once the text has run, and a wrong count fails
the move that wrote it (:attr:`HeldDDL.mark`), even when the write, alone
at the end of a move, travelled on with the next move's text. Its place
among the results is known because every statement before it is one
statement: what holds a ``;`` but a last one (``op.execute("A; B")``, a
literal with a ``;``) is sent before a version write is held.

Everything that goes through SQLAlchemy sees the statements held. Most of
it announces itself (``before_execute``); what does not
(``exec_driver_sql``, which is also how a string given to ``op.execute()``
runs) is caught where the driver is called, and what is held is sent first.
A migration that runs a statement on the raw DBAPI connection
(``op.get_bind().connection.cursor()``) sees them where the driver can send
texts ahead (psycopg 3: what is held runs first, see
:mod:`limbeck.dialects.psycopg_ahead`); elsewhere its statement runs before
the statements held back in the same move.

The stairway also puts its savepoint statements into the held text (see
:meth:`HeldDDL.holding_all`): the second upgrade's DDL and the rollback to
the savepoint before it travel together.

Where a move ends, the stairway sends its text ahead (:meth:`HeldDDL.send`):
the server runs it while the walk prepares the next move, where the driver
can send a text without waiting for its answer (psycopg 3: see
:mod:`limbeck.dialects.psycopg_ahead`); its answer is taken before the next
text leaves or anything else runs. While the server has not answered the
text before, the walk does not wait for it: what the move held stays held
and leaves with the next move's statements, so neither side waits for the
other between moves (one text may then carry several moves). A failure is
the failure of the move that held the statement that failed: each statement
of a text has one result, up to the one that failed, so its place in the
text names it (past a statement with a ``;`` inside, which may have several
results, the text's last move is named, and the rollback to the savepoint
right after the failure says whether its downgrade or its second upgrade
failed).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from limbeck.dialects.base import Answer, TextsAhead
    from limbeck.runtime.migration import MigrationContext

#: connection events before which the held statements must have run
_FLUSH_EVENTS = ("commit", "savepoint", "rollback_savepoint", "release_savepoint", "prepare_twophase")
#: paramstyles whose drivers read ``%%`` as ``%`` in a statement executed with (empty) parameters
_PERCENT_ESCAPED = frozenset({"format", "pyformat"})
#: the first word of a migration's own SQL that changes rows and answers nothing but a count
_ROW_WRITES = frozenset({"INSERT", "UPDATE", "DELETE"})
_NONE = object()


def batches_ddl(context: MigrationContext) -> bool:
    """Whether the run's driver takes several statements in one text (the dialect's flag)."""
    connection = context.connection
    if connection is None:
        return False
    return str(connection.dialect.driver) in context.impl.behaviour.multi_statement_drivers


def _answers_nothing(element: Any) -> bool:
    """Whether a migration's DML is a row write without RETURNING (a plain string or ``text()`` judged by its words).

    What ``op.execute`` and ``bulk_insert`` run is never read back under
    Alembic (both return None), but a statement that returns rows is left
    to run on its own all the same.
    """
    if isinstance(element, str):
        text = element
    elif getattr(element, "is_dml", False):
        return not getattr(element, "_returning", ()) and not getattr(element, "_return_defaults", False)
    elif getattr(element, "__visit_name__", None) == "textclause":
        text = element.text
    else:
        return False
    words = text.split(None, 1)
    return bool(words) and words[0].upper() in _ROW_WRITES and "RETURNING" not in text.upper()


def _reads_rows(context: Any) -> bool:
    """Whether SQLAlchemy reads rows back from this execution (RETURNING it added itself, for a new key)."""
    return bool(getattr(getattr(context, "compiled", None), "effective_returning", None))


class HeldDDL:
    """Hold a migration's statements back and send them as one text before the next statement that is not held.

    Used as a context manager around the run; ``armed`` is true while a
    migration function runs (only its statements are held; the version
    table's writes after it are held too), :meth:`flush` sends what is
    held and waits for its answer, :meth:`send` sends it ahead (the
    stairway calls it where a move ends) and :meth:`settle` takes the
    answer of the text sent ahead.
    """

    def __init__(self, context: MigrationContext) -> None:
        connection = context.connection
        assert connection is not None
        self.context = context
        self.connection = connection
        self.engine = connection.engine
        #: the driver's connection (typed loosely: its ``autocommit`` and ``prepare_threshold`` are used)
        self.dbapi: Any = connection.connection.dbapi_connection
        self.driver = context.impl.behaviour.multi_statement_drivers[str(connection.dialect.driver)]
        #: writes a statement's parameters in as literals (None: statements with parameters are not held)
        self.inline = self.driver.inliner(self.dbapi)
        self.unescape = connection.dialect.paramstyle in _PERCENT_ESCAPED
        self.held: list[str] = []
        #: :attr:`mark` when each of ``held`` was held (a failure names the move of the statement that failed)
        self.marks: list[Any] = []
        #: version writes held, each with its place in ``held`` and :attr:`mark` when it was held
        self.checks: list[tuple[int, Statement, Any]] = []
        #: where the run is (the stairway's revision and move), kept with each checked version write
        self.mark: Callable[[], Any] = lambda: None
        #: the error to raise when a version write's row count is wrong: given the mark and the error
        self.failed: Callable[[Any, Exception], Exception] = lambda _mark, err: err
        #: the error to raise when a text sent ahead failed: given its mark, the driver's error wrapped as
        #: SQLAlchemy wraps it, and whether the rollback to the savepoint worked after it (None: not tried)
        self.sent_failed: Callable[[Any, Exception, bool | None], Exception] = lambda _mark, err, _reached: err
        #: the driver's way to send texts ahead (None: it has none), once asked for
        self._ahead: TextsAhead | None = None
        self._asked_ahead = False
        #: the texts sent ahead and not settled, oldest first: each text, its version writes to check, its marks,
        #: and the place of its first statement that may be several (from there on a failure's place is not known)
        self._flights: list[tuple[str, list[tuple[int, Statement, Any]], list[Any], int | None]] = []
        #: the failure of a text sent ahead whose answer a rollback took (it is not raised there)
        self.failure_ahead: Exception | None = None
        #: what :meth:`holding_all` held, while it runs
        self._held_inside: list[str] | None = None
        self.armed = False
        self._expected: Any = None
        self._check: Statement | None = None
        self._version = False
        self._hold_next = False
        self._hold_all = False
        self._threshold: Any = _NONE
        #: how many of ``held`` are version writes; whether a held statement has a ``;`` (perhaps several results)
        self._versions = 0
        self._several: int | None = None
        self._sending: tuple[str, list[tuple[int, Statement, Any]]] | None = None
        #: statements held back, and texts sent (for the benchmark's notes)
        self.count_held = 0
        self.count_sent = 0

    # -- set-up -------------------------------------------------------------------------
    def _listeners(self) -> list[tuple[Any, str, Any]]:
        listeners: list[tuple[Any, str, Any]] = [
            (self.engine, "do_execute", self._do_execute),
            (self.engine, "do_execute_no_params", self._do_execute_no_params),
            (self.engine, "do_executemany", self._do_executemany),
            (self.connection, "before_execute", self._before_execute),
            (self.connection, "rollback", self._rollback),
        ]
        listeners += [(self.connection, name, self._flush_event) for name in _FLUSH_EVENTS]
        return listeners

    def __enter__(self) -> HeldDDL:
        from sqlalchemy import event

        # psycopg prepares a statement run five times (the version table's UPDATE), then sends
        # an extra DEALLOCATE ALL after each text that drops or alters something
        self._threshold = getattr(self.dbapi, "prepare_threshold", _NONE)
        if self._threshold is not _NONE:
            self.dbapi.prepare_threshold = None
        self.context.impl.observers.append(self._observe)
        for target, name, function in self._listeners():
            event.listen(target, name, function)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        self._drop()
        self._flights = []  # unreported: the run failed before they were settled (its error is the run's)
        if self._ahead is not None:
            self._ahead.close()
        self._ahead, self._asked_ahead = None, False
        if self._threshold is not _NONE:
            self.dbapi.prepare_threshold = self._threshold
        self.context.impl.observers.remove(self._observe)
        for target, name, function in self._listeners():
            if event.contains(target, name, function):
                event.remove(target, name, function)

    @property
    def carries_over(self) -> bool:
        """Only version writes are held: they can travel with the next move's text (their check keeps its mark)."""
        return bool(self.held) and self._versions == len(self.held)

    # -- which statements are held --------------------------------------------------------
    def _observe(self, stmt: Statement, _texts: Any) -> None:
        """Before the emitter runs ``stmt``: expect it to be held, or send what is held first."""
        self._expected = self._check = None
        if stmt.kind is Kind.COMMENT or stmt.kind is Kind.TEXT:  # for an offline script: nothing runs
            return
        if self._holdable(stmt):
            self._expected = stmt.element
            self._version = stmt.kind is Kind.VERSION
            if self._version and self.context.rows_counted(stmt):
                self._check = stmt
        else:
            self.flush()

    def _holdable(self, stmt: Statement) -> bool:
        if stmt.autocommit or self.dbapi.autocommit:
            return False
        kind = stmt.kind
        if kind is Kind.VERSION:  # written after the migration function, in the same transaction
            return True
        if not self.armed:
            return False
        return kind is Kind.DDL or (kind is Kind.DML and _answers_nothing(stmt.element))

    def _before_execute(self, _conn: Any, element: Any, *_args: Any) -> None:
        """Any execution: the statement expected to be held is marked, anything else runs after what is held."""
        expected, self._expected = self._expected, None
        self._hold_next = (expected is not None and element is expected) or self._hold_all
        if not self._hold_next:
            self.flush()

    def _do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        if not self._held_here(statement) or _reads_rows(context):
            return self._send_first(cursor)
        if parameters:  # written in by the driver, as it would quote them; a value it cannot write: sent as is
            text = self.inline(statement, parameters) if self.inline is not None else None
            return self._send_first(cursor) if text is None else self._hold(cursor, text)
        # executed with (empty) parameters, the driver would have read %% as %; the text is sent without
        return self._hold(cursor, statement.replace("%%", "%") if self.unescape and parameters is not None else statement)

    def _do_execute_no_params(self, cursor: Any, statement: str, _context: Any) -> bool:
        sending = self._sending
        if sending is not None and statement == sending[0]:  # :meth:`flush`'s own text
            self._sending = None
            self._run(cursor, *sending)
            return True
        return self._hold(cursor, statement) if self._held_here(statement) else self._send_first(cursor)

    def _do_executemany(self, cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        """``bulk_insert``'s rows: one INSERT each, as the driver's executemany runs them, in the held text."""
        if not self._held_here(statement) or self.inline is None or _reads_rows(context):
            return self._send_first(cursor)
        texts = [self.inline(statement, row) for row in parameters]
        if None in texts:
            return self._send_first(cursor)
        for text in texts:
            self._hold(cursor, str(text))
        return True

    def _held_here(self, statement: str) -> bool:
        """Whether the statement about to run is the one to hold.

        ``exec_driver_sql`` fires no ``before_execute``: a migration's DDL
        given as a string (``op.execute("DROP TYPE mood")``) is recognised
        by its text here, where the emitter said to expect it.
        """
        expected, self._expected = self._expected, None
        return self._hold_next or (isinstance(expected, str) and statement == expected)

    def _send_first(self, cursor: Any) -> bool:
        """A statement runs that is not held (one no ``before_execute`` announced): what is held goes first, on its cursor.

        False: SQLAlchemy then runs the statement itself, after what was held.
        """
        self._hold_next = False
        self._check, self._version = None, False
        self._send_held_now(cursor)
        return False

    def _hold(self, cursor: Any, statement: str) -> bool:
        """Keep ``statement`` for the next text; True tells SQLAlchemy it has been executed."""
        check, self._check = self._check, None
        if check is not None and self._several is not None:
            # a statement held before it may be several, with a result each: its count's place would be unknown
            self._send_held_now(cursor)
        self._hold_next = False
        self.held.append(statement)
        self.marks.append(self.mark())
        if self._held_inside is not None:
            self._held_inside.append(statement)
        self.count_held += 1
        self._versions += self._version
        # a ";" but a last one: perhaps several statements (or one with a ";" in a literal), several results
        if self._several is None and ";" in statement.rstrip().rstrip(";"):
            self._several = len(self.held) - 1
        self._version = False
        if check is not None:
            self.checks.append((len(self.held) - 1, check, self.mark()))
            self.context.row_check_taken = check  # its count is read here, once the text has run
        return True

    @contextlib.contextmanager
    def holding_all(self) -> Iterator[list[str]]:
        """Hold whatever runs inside, without parameters (the stairway's savepoint statements, as SQLAlchemy words them).

        Yields the list of the statements held inside, as they were held.
        """
        self._hold_all = True
        inside: list[str] = []
        self._held_inside = inside
        try:
            yield inside
        finally:
            self._hold_all = False
            self._held_inside = None

    def hold_again(self, texts: list[str]) -> bool:
        """Hold ``texts`` (what :meth:`holding_all` held for the same call before) without running them again.

        The stairway sets, rolls back to and releases one savepoint for
        every revision on the way down: SQLAlchemy's ``do_savepoint`` and
        the like compile and execute the same text each time (about a tenth
        of the walk's client instructions at 100 revisions, for three
        statements that are only held). The held texts are the same either
        way; only where something besides this hold would see the
        execution (SQLAlchemy's echo, a listener on executions) does it go
        through SQLAlchemy as before: False, nothing was held.
        """
        if not texts or self._watched():
            return False
        self._expected = None  # as _before_execute, for a statement no emitter announced
        for text in texts:
            self._hold(None, text)
        return True

    def _watched(self) -> bool:
        """Whether anything but this hold sees the connection's executions (then each one goes through SQLAlchemy)."""
        connection = self.connection
        if getattr(connection, "_echo", True):
            return True
        events, driver = connection.dispatch, connection.dialect.dispatch
        ours = {"before_execute": 1, "after_execute": 0, "before_cursor_execute": 0, "after_cursor_execute": 0}
        if any(len(list(getattr(events, name))) != count for name, count in ours.items()):
            return True
        return any(len(list(getattr(driver, name))) != 1 for name in ("do_execute", "do_execute_no_params"))

    # -- sending ----------------------------------------------------------------------------
    def send(self, probe: str | None = None) -> None:
        """Send what is held ahead, as one text, without waiting for its answer (:meth:`settle` takes it).

        Where the server has not answered the text sent ahead before, what
        is held stays held and leaves with the next move's statements: the
        walk never waits for the server between moves, and the server is
        never idle while the walk has statements for it. ``probe``: a
        statement run right after a failure, whose success says how far
        the text got, for a failure whose statement cannot be placed
        (:attr:`sent_failed` is told). Where the driver cannot send a text
        ahead (or not now), the text is sent and its answer awaited.
        """
        ahead = self._texts_ahead()
        if ahead is None:
            self.flush()
            return
        if self._flights:
            if self._several is None and not ahead.answered():
                return
            self.settle()
        if self.held and not self._send_ahead(ahead, probe):
            self._send_now(*self._take())

    def settle(self) -> None:
        """Wait for the text sent ahead, if any: its failure, or a version write's wrong count, is raised here.

        A failure is the failure of the move that held the statement that
        failed. It drops what has been held since: it would run in a failed
        transaction. The driver's error is wrapped as SQLAlchemy wraps it
        (``[SQL: ...]`` with the whole text), without SQLAlchemy's
        ``handle_error`` hooks: the statement is no longer SQLAlchemy's to run.
        """
        while self._flights:
            self._settle_one(*self._flights.pop(0))

    def _settle_one(self, text: str, checks: list[tuple[int, Statement, Any]], marks: list[Any], several: int | None) -> None:
        assert self._ahead is not None
        answer: Answer = self._ahead.answer()
        if answer.error is not None:
            from sqlalchemy import exc

            self._flights = []  # none was sent after it
            self._drop()
            dialect = self.connection.dialect
            wrapped = exc.DBAPIError.instance(
                text, None, answer.error, dialect.loaded_dbapi.Error, hide_parameters=self.engine.hide_parameters, dialect=dialect
            )
            index = answer.index
            if index is not None and index < len(marks) and (several is None or index < several):
                raise self.sent_failed(marks[index], wrapped, None) from answer.error
            # past a statement that may be several: the last move's, and the probe says how far it got
            raise self.sent_failed(marks[-1], wrapped, answer.reached) from answer.error
        self._check_counts(answer.counts or [], checks)

    def flush(self) -> None:
        """Send what is held, as one text, and wait for its answer."""
        self._send_held_now(None)

    def _send_held_now(self, cursor: Any) -> None:
        """Send what is held and wait for its answer: ahead and answered where the driver can (a failure then names
        the move of its statement), else through SQLAlchemy (its error handling, the text in its message) or on
        ``cursor``, inside an execution SQLAlchemy has begun."""
        self.settle()
        if not self.held:
            return
        ahead = self._texts_ahead()
        if ahead is not None and self._send_ahead(ahead, None):
            self.settle()
        elif cursor is None:
            self._send_now(*self._take())
        else:
            self._run(cursor, *self._take())

    def _texts_ahead(self) -> TextsAhead | None:
        if not self._asked_ahead:
            self._ahead, self._asked_ahead = self.driver.ahead(self.dbapi), True
            if self._ahead is not None:
                self._ahead.before_other = self._take_for_other
        return self._ahead

    def _take_for_other(self) -> tuple[str, bool] | None:
        """Something no event announced runs on the connection (the raw DBAPI connection): what is held goes first."""
        if not self.held:
            return None
        counted = bool(self.checks)
        return self._in_flight(";\n".join(self.held)), counted

    def _send_ahead(self, ahead: TextsAhead, probe: str | None) -> bool:
        """Send what is held ahead; False: it cannot leave now (it is still held)."""
        text = ";\n".join(self.held)
        if not ahead.send(text, counted=bool(self.checks), probe=probe):
            return False
        self._in_flight(text)
        return True

    def _in_flight(self, text: str) -> str:
        """What is held, as ``text``, has left: it is settled later, and no longer held."""
        self._flights.append((text, self.checks, self.marks, self._several))
        self._drop()
        self.count_sent += 1
        return text

    def _send_now(self, text: str, checks: list[tuple[int, Statement, Any]]) -> None:
        self._sending = (text, checks)
        try:
            self.connection.exec_driver_sql(text, execution_options={"no_parameters": True})
        finally:
            self._sending = None

    def _take(self) -> tuple[str, list[tuple[int, Statement, Any]]]:
        """What is held, as the one text that is about to be sent (and no longer held), and the counts to check."""
        text, checks = ";\n".join(self.held), self.checks
        self._drop()
        self.count_sent += 1
        return text, checks

    def _run(self, cursor: Any, text: str, checks: list[tuple[int, Statement, Any]]) -> None:
        """Run ``text`` on ``cursor``; then each version write held in it must have matched one row."""
        self.settle()
        cursor.execute(text)
        if checks:
            self._check_counts(self.driver.rowcounts(cursor), checks)

    def _check_counts(self, counts: list[int], checks: list[tuple[int, Statement, Any]]) -> None:
        for index, stmt, mark in checks:
            try:
                self.context.check_version_rows(stmt, counts[index])
            except Exception as err:
                raise self.failed(mark, err) from err

    def _flush_event(self, *_args: Any) -> None:
        self.flush()

    def _rollback(self, *_args: Any) -> None:
        """A rollback (the run fails): what is held is dropped; a text still out is answered first.

        Its failure is kept in :attr:`failure_ahead`, not raised: the run
        is failing already, what it does after its rollback (reading the
        version table, releasing its lock) goes on, and the walk names the
        earlier failure.
        """
        try:
            self.settle()
        except Exception as err:  # noqa: BLE001 - kept for the walk's report
            self.failure_ahead = err
        self._drop()

    def _drop(self, *_args: Any) -> None:
        self.held, self.checks, self.marks = [], [], []
        self._versions, self._several = 0, None
