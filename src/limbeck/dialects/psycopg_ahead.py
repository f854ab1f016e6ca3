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
its answer first (kept for :meth:`PsycopgAhead.answer`), so a statement a
migration runs on the raw DBAPI connection, a commit or a rollback runs
after the text, as if the walk had waited for it. ``close()`` puts
psycopg's own ``wait`` back.

A text is sent ahead only inside a transaction psycopg has begun (psycopg
sends ``BEGIN`` itself before the first statement of one): otherwise it is
run the usual way.
"""

from __future__ import annotations

import select
from typing import Any

from limbeck.dialects.base import Answer

__all__ = ["PsycopgAhead"]


class PsycopgAhead:
    """A psycopg 3 connection's texts sent ahead, one at a time (see :class:`~limbeck.dialects.base.TextsAhead`)."""

    def __init__(self, connection: Any) -> None:
        self._conn = connection
        #: the text out: whether its row counts are kept, and its probe
        self._sent: tuple[bool, str | None] | None = None
        #: its answer, read before psycopg ran something else
        self._kept: Answer | None = None
        connection.wait = self._wait

    def send(self, text: str, *, counted: bool, probe: str | None) -> bool:
        from psycopg import pq

        conn = self._conn
        assert self._sent is None and self._kept is None, "the answer of the text before was not taken"
        if conn.pgconn.transaction_status != pq.TransactionStatus.INTRANS:
            return False
        with conn.lock:
            conn.pgconn.send_query(text.encode(conn.info.encoding))
            _flush(conn.pgconn)
        self._sent = (counted, probe)
        return True

    def answer(self) -> Answer:
        kept, self._kept = self._kept, None
        if kept is not None:
            return kept
        if self._sent is None:
            return Answer()
        with self._conn.lock:
            return self._read()

    def close(self) -> None:
        if self._sent is not None:
            with self._conn.lock:
                self._read()
        self._kept = None
        self._conn.__dict__.pop("wait", None)

    def _wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        """psycopg's ``Connection.wait``, once the text out has answered (psycopg holds the connection's lock)."""
        if self._sent is not None:
            self._kept = self._read()
        return type(self._conn).wait(self._conn, gen, *args, **kwargs)

    def _read(self) -> Answer:
        """The answer of the text out (the connection's lock held); after a failure its probe runs."""
        assert self._sent is not None
        counted, probe = self._sent
        self._sent = None
        answer = Answer()
        try:
            results = _results(self._conn.pgconn)
        except Exception as err:  # noqa: BLE001 - the connection broke: the walk reports it as the text's failure
            answer.error = err
            return answer
        answer.error = self._error(results)
        if answer.error is None:
            if counted:
                answer.counts = [-1 if r.command_tuples is None else r.command_tuples for r in results]
        elif probe is not None:
            try:
                self._conn.pgconn.send_query(probe.encode(self._conn.info.encoding))
                _flush(self._conn.pgconn)
                answer.reached = self._error(_results(self._conn.pgconn)) is None
            except Exception:  # noqa: BLE001 - whatever went wrong, the probe did not run
                answer.reached = False
        return answer

    def _error(self, results: list[Any]) -> Exception | None:
        """The error of the statement that failed (libpq runs none after it), as psycopg raises it."""
        from psycopg import errors, pq

        for result in results:
            if result.status in (pq.ExecStatus.FATAL_ERROR, pq.ExecStatus.BAD_RESPONSE):
                return errors.error_from_result(result, encoding=self._conn.info.encoding)
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
