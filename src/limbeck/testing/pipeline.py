"""Fewer waits on the server during the stairway: DDL sent ahead, in a driver pipeline.

On a server, the stairway's time goes to round trips, not to work: a
generated revision's DDL takes the server well under a millisecond per
statement, while every statement sent alone waits for its answer before the
next one leaves (on a shared machine, a scheduling slot of the server process
and then of ours, each time). A DDL statement's answer is only "done" or an
error, so nothing after it needs it right away. Where the driver can pipeline
(psycopg 3 on libpq 14 or later: several statements sent, one wait for all
their answers), the walk holds each migration's DDL back and sends it
together with the next statement that needs an answer: a ``bulk_insert``'s
rows, the version table's write, anything the migration itself executes,
a commit, or the end of the move (upgrade, downgrade, upgrade again), so
that a failure is still reported on the move and the revision that made it.

What runs on the server does not change: the same statements, from the same
compiled constructs, in the same order, in the same transaction (the
statements are held back only inside a transaction, never in an
``autocommit_block()``, where a pipeline would wrap them in one implicit
transaction). Each is executed as the dialect executes it (its
``do_execute``), so a failing statement's error is the driver's own; only
the ``[SQL: ...]`` of SQLAlchemy's wrapper names the statement that carried
it, and the stairway names the revision and the move. Prepared statements
are turned off for the walk as well: the driver prepares a statement run
five times (the version table's UPDATE) and then, after every DROP or ALTER,
sends an extra ``DEALLOCATE ALL``.

Not seen: a migration that writes through the raw DBAPI connection
(``op.get_bind().connection.cursor()``) runs before the DDL held back in
the same move; SQLAlchemy's own ``execute`` (reflection included) sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from limbeck.runtime.migration import MigrationContext

#: connection events before which the held statements must have run
_FLUSH_EVENTS = ("commit", "savepoint", "rollback_savepoint", "release_savepoint", "prepare_twophase")
#: statement kinds the held statements can travel with (their own execution flushes them)
_CARRIERS = frozenset({Kind.DML, Kind.VERSION})

#: (``do_execute`` or ``do_execute_no_params``, text, parameters, execution context) of a held statement
_Held = tuple[str, str, Any, Any]


def pipelines(context: MigrationContext) -> bool:
    """Whether the run's connection can send statements ahead (psycopg 3 on a libpq with pipelines)."""
    connection = context.connection
    if connection is None or not hasattr(connection.connection.dbapi_connection, "pipeline"):
        return False
    try:
        from psycopg import Pipeline
    except ImportError:  # another driver's pipeline(): not known to work the same
        return False
    return bool(Pipeline.is_supported())


class HeldDDL:
    """Hold a migration's DDL back and send it with the next statement that needs an answer.

    Used as a context manager around the run; ``armed`` is true while a
    migration function runs (only its DDL is held), and :meth:`flush` sends
    what is held (the stairway calls it where a move ends).
    """

    def __init__(self, context: MigrationContext) -> None:
        connection = context.connection
        assert connection is not None
        self.context = context
        self.connection = connection
        self.engine = connection.engine
        #: the psycopg connection (typed loosely: SQLAlchemy's DBAPI protocol knows no pipeline)
        self.dbapi: Any = connection.connection.dbapi_connection
        self.held: list[_Held] = []
        self.armed = False
        self._expected: Any = None
        self._hold_next = False
        self._threshold: Any = None
        #: statements held back (for the benchmark's notes)
        self.count_held = 0

    # -- set-up -------------------------------------------------------------------------
    def _listeners(self) -> list[tuple[Any, str, Callable[..., Any]]]:
        listeners: list[tuple[Any, str, Callable[..., Any]]] = [
            (self.engine, "do_execute", self._do_execute),
            (self.engine, "do_execute_no_params", self._do_execute_no_params),
            (self.engine, "do_executemany", self._do_executemany),
            (self.connection, "before_execute", self._before_execute),
            (self.connection, "rollback", self._drop),
        ]
        listeners += [(self.connection, name, self._flush_event) for name in _FLUSH_EVENTS]
        return listeners

    def __enter__(self) -> HeldDDL:
        from sqlalchemy import event

        self._threshold = getattr(self.dbapi, "prepare_threshold", None)
        self.dbapi.prepare_threshold = None
        self.context.impl.observers.append(self._observe)
        for target, name, function in self._listeners():
            event.listen(target, name, function)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        self.held.clear()
        self.dbapi.prepare_threshold = self._threshold
        self.context.impl.observers.remove(self._observe)
        for target, name, function in self._listeners():
            if event.contains(target, name, function):
                event.remove(target, name, function)

    # -- which statements are held ------------------------------------------------------------
    def _observe(self, stmt: Statement, _texts: Any) -> None:
        """Before the emitter runs ``stmt``: expect it to be held, or send what is held first."""
        self._expected = None
        if stmt.kind is Kind.DDL and self._holdable(stmt):
            self._expected = stmt.element
        elif stmt.kind not in _CARRIERS or stmt.autocommit:
            self.flush()  # BEGIN, COMMIT, and whatever leaves the transaction

    def _holdable(self, stmt: Statement) -> bool:
        if not self.armed or stmt.autocommit or stmt.params is not None or stmt.multiparams:
            return False
        return not self.dbapi.autocommit

    def _before_execute(self, _conn: Any, element: Any, *_args: Any) -> None:
        self._hold_next = self._expected is not None and element is self._expected
        self._expected = None

    def _do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        if self._hold_next and not parameters:
            return self._hold(("do_execute", statement, parameters, context))
        return self._carry(cursor, ("do_execute", statement, parameters, context))

    def _do_execute_no_params(self, cursor: Any, statement: str, context: Any) -> bool:
        if self._hold_next:
            return self._hold(("do_execute_no_params", statement, None, context))
        return self._carry(cursor, ("do_execute_no_params", statement, None, context))

    def _do_executemany(self, cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        return self._carry(cursor, ("do_executemany", statement, parameters, context))

    def _hold(self, held: _Held) -> bool:
        self._hold_next = False
        self.held.append(held)
        self.count_held += 1
        return True

    # -- sending --------------------------------------------------------------------------
    def _carry(self, cursor: Any, current: _Held) -> bool:
        """Run the held statements and ``current`` in one pipeline; False: nothing held, SQLAlchemy runs it."""
        self._hold_next = False
        if not self.held:
            return False
        held, self.held = self.held, []
        with self.dbapi.pipeline():
            for item in [*held, current]:
                _run(cursor, item)
        return True

    def flush(self) -> None:
        """Run what is held now, through SQLAlchemy (its error handling, the statement in its message)."""
        if not self.held:
            return
        *earlier, (method, statement, parameters, _context) = self.held
        self.held = earlier
        options = {"no_parameters": True} if method == "do_execute_no_params" else {}
        # the last held statement is executed again as SQLAlchemy would; _carry sends the others first
        self.connection.exec_driver_sql(statement, parameters or None, execution_options=options)

    def _flush_event(self, *_args: Any) -> None:
        self.flush()

    def _drop(self, *_args: Any) -> None:
        self.held.clear()


def _run(cursor: Any, held: _Held) -> None:
    method, statement, parameters, context = held
    dialect = context.dialect
    if method == "do_execute_no_params":
        dialect.do_execute_no_params(cursor, statement, context)
    else:
        getattr(dialect, method)(cursor, statement, parameters, context)
