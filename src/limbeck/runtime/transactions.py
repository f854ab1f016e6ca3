"""Online transactions: whose transaction the connection is in, asked each time it matters.

The emitter turns BEGIN/COMMIT markers into real transactions through
:class:`ConnectionTransactions`. Nothing here is decided once for the run:

- A transaction the caller opened before ``configure()`` (env.py ran ``SET
  lock_timeout`` and SQLAlchemy autobegan, or called ``connection.begin()``)
  is theirs: limbeck neither commits nor rolls it back while it is open. Once
  it has ended (a revision called ``op.get_bind().commit()``, an
  ``autocommit_block`` committed it, or a DDL statement did on a database
  where DDL commits) every later transaction is limbeck's.
- A statement of an ``autocommit_block`` commits whatever transaction is open,
  switches the connection to AUTOCOMMIT, and the next BEGIN switches it back.
- Where the driver opens no transaction before DDL (pysqlite's legacy
  transaction control), the transaction's first statement is preceded by an
  explicit BEGIN, so a rollback undoes the DDL too.
- :attr:`ConnectionTransactions.split` tells the migration context that the
  transaction opened at the last BEGIN ended before its COMMIT, so it can
  commit the running revision's version row with the work already committed.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind
from limbeck.errors import LimbeckWarning

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Transaction

    from limbeck.compiler.statement import Statement
    from limbeck.dialects.base import DialectBehaviour


class ConnectionTransactions:
    """The transaction state of one online connection."""

    def __init__(self, connection: Connection, behaviour: DialectBehaviour) -> None:
        self.connection = connection
        self.behaviour = behaviour
        #: the caller's transaction, while it is open (see :attr:`in_caller_transaction`)
        self._caller: Transaction | None = connection.get_transaction() if connection.in_transaction() else None
        #: the transaction that was open when the last BEGIN marker ran
        self._frame: Transaction | None = None
        self._split = False
        self._saved_isolation: str | None = None
        #: a BEGIN is owed to the driver before the transaction's first statement
        self._driver_pending = False
        #: the driver's transaction holding this frame's statements is open (limbeck's
        #: BEGIN, or one the driver or an application's "begin" event opened)
        self._driver_began = False
        #: no statement has run since the last BEGIN marker
        self._frame_empty = False

    # -- what the connection is in now ----------------------------------------------------
    @property
    def in_caller_transaction(self) -> bool:
        """Whether the connection is still in the transaction the caller opened before ``configure()``."""
        caller = self._caller
        if caller is None:
            return False
        if caller.is_active and self.connection.get_transaction() is caller:
            return True
        self._caller = None  # it ended: what comes after is limbeck's
        return False

    @property
    def split(self) -> bool:
        """Whether the transaction open at the last BEGIN ended before its COMMIT."""
        frame = self._frame
        return self._split or (frame is not None and not frame.is_active)

    @property
    def ddl_undone_by_rollback(self) -> bool:
        """Whether a rollback now would undo the DDL run since the last BEGIN."""
        if self.behaviour.driver_defers_begin:
            return self._driver_began
        return self.behaviour.ddl_rolls_back_online

    @property
    def driver_transaction_open(self) -> bool:
        """Whether the driver's own transaction is open now: what runs now, DDL included, a rollback undoes.

        pysqlite opens one before DML only, so after an ``op.execute(UPDATE ...)`` outside any
        BEGIN marker the DDL that follows is in it, and before any DML it is not.
        """
        return driver_in_transaction(self.connection.connection.dbapi_connection)

    # -- the markers --------------------------------------------------------------------
    def begin(self, *, atomic: bool = True) -> None:
        """A BEGIN marker: adopt or open a transaction (never a second one inside the caller's).

        ``atomic`` is false for the migration lock's own short transactions,
        which need no driver BEGIN (SQLite's lock sends ``BEGIN EXCLUSIVE``).
        """
        conn = self.connection
        self._leave_autocommit()
        if self.in_caller_transaction:
            self._frame = self._caller
        elif conn.in_transaction():
            # SQLAlchemy autobegan on an earlier query (reading the version table): adopt it
            self._frame = conn.get_transaction()
        else:
            self._frame = conn.begin()
        self._driver_pending = atomic and self.behaviour.driver_defers_begin and not self._driver_began
        self._frame_empty = True

    def commit(self) -> None:
        """A COMMIT marker: commit limbeck's transaction; the caller's stays open for the caller."""
        self._end(commit=True)

    def rollback(self) -> None:
        """Undo limbeck's open transaction after a failure; the caller's is the caller's to roll back."""
        self._end(commit=False)

    def _end(self, *, commit: bool) -> None:
        self._frame = None
        self._split = False
        self._driver_pending = False
        if self.in_caller_transaction:
            return
        conn = self.connection
        if conn.in_transaction():
            conn.commit() if commit else conn.rollback()
        self._end_driver(self.behaviour.commit_sql if commit else "ROLLBACK")

    def finish(self, *, in_frame: bool) -> None:
        """End of a run: commit what autobegan outside any BEGIN/COMMIT framing."""
        self._leave_autocommit()
        if in_frame or self.in_caller_transaction or not self.connection.in_transaction():
            return
        self.connection.commit()
        self._end_driver(self.behaviour.commit_sql)

    # -- each statement -------------------------------------------------------------------
    def before_execute(self, stmt: Statement) -> None:
        """Get the connection ready for ``stmt``: AUTOCOMMIT, or the driver BEGIN it still owes."""
        frame_empty, self._frame_empty = self._frame_empty, False
        if stmt.autocommit:
            self._enter_autocommit()
            return
        behaviour = self.behaviour
        if stmt.info.get("opens_transaction"):
            # e.g. SQLite's BEGIN EXCLUSIVE: a transaction the driver opened on its own
            # for this frame (a "begin" event, sqlite3's autocommit=False) holds nothing yet
            if frame_empty and driver_in_transaction(self.connection.connection.dbapi_connection):
                self._driver_execute(behaviour.commit_sql)
            return
        if stmt.kind is Kind.DDL and behaviour.ddl_commits_implicitly and self.in_caller_transaction:
            # the database commits the caller's transaction here (SQLAlchemy cannot know):
            # what follows is limbeck's to commit
            self._caller = None
            self._split = True
        if self._driver_pending:
            # the version table's CREATE, first in the first revision's transaction, must not
            # push that revision's leading PRAGMA inside it; its INSERT/UPDATE/DELETE make
            # the driver begin on its own
            if stmt.kind is Kind.VERSION or behaviour.runs_before_transaction(stmt):
                return
            self._driver_pending = False
            self._driver_begin()
        elif self._driver_began and behaviour.ignored_in_transaction(stmt):
            where = f"revision {stmt.revision}: " if stmt.revision else ""
            warnings.warn(
                f"{where}{behaviour.display_name} ignores {_text(stmt)!r} inside a transaction, and limbeck runs "
                "each revision in one; issue it first in upgrade(), or inside "
                "op.get_context().autocommit_block()",
                LimbeckWarning,
                stacklevel=2,
            )

    def _driver_begin(self) -> None:
        # the driver (or the application's "begin" event) may have opened one already
        if not driver_in_transaction(self.connection.connection.dbapi_connection):
            self.connection.exec_driver_sql(self.behaviour.begin_sql)
        self._driver_began = True

    def _end_driver(self, sql: str) -> None:
        """After SQLAlchemy's commit or rollback: end what the driver's own left open.

        sqlite3 with ``autocommit=True`` (Python 3.12) makes ``commit()`` and
        ``rollback()`` do nothing, so a BEGIN (limbeck's, or the migration
        lock's ``BEGIN EXCLUSIVE``) would stay open. With ``autocommit=False``
        the driver reopens a transaction at once and is left alone.
        """
        self._driver_began = False
        if not self.behaviour.driver_defers_begin:
            return
        dbapi: Any = self.connection.connection.dbapi_connection
        if driver_in_transaction(dbapi) and getattr(dbapi, "autocommit", None) is True:
            self._driver_execute(sql)

    def _driver_execute(self, sql: str) -> None:
        """Transaction control SQLAlchemy must not see (it keeps its own transaction open)."""
        dbapi: Any = self.connection.connection.dbapi_connection
        cursor = dbapi.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()

    # -- autocommit_block -----------------------------------------------------------------
    def _enter_autocommit(self) -> None:
        """Commit whatever is open (the caller's transaction too: the statement cannot run in it)."""
        if self._saved_isolation is not None:
            return
        conn = self.connection
        if conn.in_transaction():
            conn.commit()
        self._end_driver(self.behaviour.commit_sql)
        self._driver_pending = False
        self._split = True
        self._saved_isolation = conn.get_isolation_level()
        conn.execution_options(isolation_level="AUTOCOMMIT")

    def _leave_autocommit(self) -> None:
        if self._saved_isolation is None:
            return
        conn = self.connection
        if conn.in_transaction():
            conn.commit()
        conn.execution_options(isolation_level=self._saved_isolation)
        self._saved_isolation = None


def _text(stmt: Statement) -> str:
    element = stmt.element
    return element if isinstance(element, str) else str(getattr(element, "text", element))


def driver_in_transaction(dbapi: Any) -> bool:
    """sqlite3's ``in_transaction`` (an async adapter keeps the driver's connection as
    ``_connection``: aiosqlite's proxies it); False where the driver does not say."""
    for candidate in (dbapi, getattr(dbapi, "_connection", None)):
        value = getattr(candidate, "in_transaction", None)
        if isinstance(value, bool):
            return value
    return False
