"""Texts sent ahead on a psycopg 3 connection: libpq's asynchronous calls, the answer read when needed.

The stairway's time on PostgreSQL is two halves that used to take turns: the
walk's own work (each revision's Python, SQLAlchemy compiling its DDL) and
the server running the text of the move before. A DDL statement answers
only "done" or an error, so the walk sends a move's text and goes on with
the next move; the answer is read when the walk asks for it, just before its
next text or anything else it sends. Sent with ``PQsendQuery`` (the simple
query protocol, as psycopg sends a statement without parameters) and read
with ``PQgetResult``, on the walk's own thread: no second thread to hand the
text to and back (tried: on 100 generated revisions that hand-over took
back about a third of the 0.2 s the overlap saved).

Everything else psycopg does on the connection goes through its
``Connection.wait()``: while a text is out, the connection's ``wait`` reads
its answer first (kept for :meth:`PsycopgAhead.answer`), then runs what the
walk still holds (:attr:`PsycopgAhead.before_other`) and keeps that answer
too, so a statement a migration runs on the raw DBAPI connection, a commit
or a rollback runs after everything the walk has issued, as if the walk had
sent it and waited. ``close()`` puts psycopg's own ``wait`` back.

A text is sent ahead only inside a transaction psycopg has begun (psycopg
sends ``BEGIN`` itself before the first statement of one): otherwise it is
run the usual way.
"""

from __future__ import annotations

import select
from collections.abc import Callable
from typing import Any

from limbeck.dialects.base import Answer

__all__ = ["PsycopgAhead"]


class PsycopgAhead:
    """A psycopg 3 connection's texts sent ahead, one at a time (see :class:`~limbeck.dialects.base.TextsAhead`)."""

    def __init__(self, connection: Any) -> None:
        self._conn = connection
        #: the text out: whether its row counts are kept, and its probe
        self._sent: tuple[bool, str | None] | None = None
        #: answers read before psycopg ran something else, oldest first
        self._kept: list[Answer] = []
        #: what the caller still holds, to run before anything else: see :attr:`TextsAhead.before_other`
        self.before_other: Callable[[], tuple[str, bool] | None] | None = None
        #: its results read so far, and whether they are all in
        self._results: list[Any] = []
        self._complete = False
        connection.wait = self._wait

    def send(self, text: str, *, counted: bool, probe: str | None) -> bool:
        conn = self._conn
        assert self._sent is None and not self._kept, "the answer of the text before was not taken"
        if not self._in_transaction():
            return False
        with conn.lock:
            self._send(text, counted, probe)
        return True

    def _in_transaction(self) -> bool:
        """Inside a transaction psycopg has begun (it sends ``BEGIN`` itself before a transaction's first statement)."""
        from psycopg import pq

        return bool(self._conn.pgconn.transaction_status == pq.TransactionStatus.INTRANS)

    def _send(self, text: str, counted: bool, probe: str | None) -> None:
        self._conn.pgconn.send_query(text.encode(self._conn.info.encoding))
        _flush(self._conn.pgconn)
        self._sent = (counted, probe)
        self._results, self._complete = [], False

    def answered(self) -> bool:
        if self._sent is None or self._complete:
            return True
        pgconn = self._conn.pgconn
        with self._conn.lock:
            try:
                pgconn.consume_input()
                while not pgconn.is_busy():
                    result = pgconn.get_result()
                    if result is None:
                        self._complete = True
                        break
                    self._results.append(result)
            except Exception:  # noqa: BLE001 - the connection broke: answer() reports it
                return True
        return self._complete

    def answer(self) -> Answer:
        if self._kept:
            return self._kept.pop(0)
        if self._sent is None:
            return Answer()
        with self._conn.lock:
            return self._read()

    def close(self) -> None:
        if self._sent is not None:
            with self._conn.lock:
                self._read()
        self._kept = []
        self.before_other = None
        self._conn.__dict__.pop("wait", None)

    def _wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        """psycopg's ``Connection.wait``, once the text out and what the caller holds have run (psycopg holds the lock)."""
        if self._sent is not None:
            self._kept.append(self._read())
        if self.before_other is not None and not any(answer.error for answer in self._kept) and self._in_transaction():
            held = self.before_other()
            if held is not None:
                self._send(held[0], held[1], None)
                self._kept.append(self._read())
        return type(self._conn).wait(self._conn, gen, *args, **kwargs)

    def _read(self) -> Answer:
        """The answer of the text out (the connection's lock held); after a failure its probe runs."""
        assert self._sent is not None
        counted, probe = self._sent
        self._sent = None
        answer = Answer()
        try:
            results = self._results if self._complete else self._results + _results(self._conn.pgconn)
            self._results, self._complete = [], False
        except Exception as err:  # noqa: BLE001 - the connection broke: the walk reports it as the text's failure
            answer.error = err
            return answer
        failed = self._failed(results)
        if failed is not None:
            answer.index, answer.error = failed
        if answer.error is None:
            if counted:
                answer.counts = [-1 if r.command_tuples is None else r.command_tuples for r in results]
        elif probe is not None:
            try:
                self._conn.pgconn.send_query(probe.encode(self._conn.info.encoding))
                _flush(self._conn.pgconn)
                answer.reached = self._failed(_results(self._conn.pgconn)) is None
            except Exception:  # noqa: BLE001 - whatever went wrong, the probe did not run
                answer.reached = False
        return answer

    def _failed(self, results: list[Any]) -> tuple[int, Exception] | None:
        """The statement that failed (libpq runs none after it): its place, and its error as psycopg raises it."""
        from psycopg import errors, pq

        for index, result in enumerate(results):
            if result.status in (pq.ExecStatus.FATAL_ERROR, pq.ExecStatus.BAD_RESPONSE):
                return index, errors.error_from_result(result, encoding=self._conn.info.encoding)
        return None


def _flush(pgconn: Any) -> None:
    """Until the whole text has left (a non-blocking connection sends what the socket takes)."""
    while pgconn.flush():
        readable, _, _ = select.select([pgconn.socket], [pgconn.socket], [])
        if readable:
            pgconn.consume_input()


def _results(pgconn: Any) -> list[Any]:
    """Every result of the text out, waiting on the socket while the server works."""
    results: list[Any] = []
    while True:
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            return results
        results.append(result)
