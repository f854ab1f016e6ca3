"""Forked children that render a share of dialects while the parent does something else.

Two things decide how much of the parent's wait a child saves:

- **A child never waits for the parent.** A dialect's result is hundreds of
  kilobytes of pickled SQL (about 340 KB for 300 revisions), far more than a
  pipe holds (64 KB on Linux), so a child that pickled it down a pipe stopped
  until the parent read it, after the stairway: the next dialect then started
  only when the first was asked for. The result goes to an unlinked
  temporary file instead, and the pipe carries a notice of a few bytes.
- **The parent takes work the child has not started.** Each dialect of the
  share is a one-byte ticket in a pipe both processes read (a read of one
  byte is taken by exactly one reader). The child takes the next ticket
  when it is free; a parent that would otherwise wait for a result takes one
  too and renders that dialect itself, so both CPUs work when the stairway
  finishes before the child does.

While the parent does its own heavy work beside a child (the pytest plugin's
stairway), what it had when it forked can be frozen with :func:`frozen`
(``gc.freeze()``, as Python's documentation advises around a fork): its
collections then neither rewrite the headers of those objects, which would
copy their pages away from the child, nor walk them at all. Nothing is
lost: a cycle among them that became garbage meanwhile is collected after
``gc.unfreeze()`` at the end of that work.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import struct
import tempfile
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from limbeck.runtime.gcpolicy import CLI_THRESHOLD, is_untouched
from limbeck.script.scanning import quiet_fork

__all__ = ["Child", "frozen"]

T = TypeVar("T")

#: a ticket is one byte: the index of its dialect in the share
MAX_SHARE = 256
#: a finished dialect: its index in the share, and where its pickle lies in the results file
_NOTICE = struct.Struct("<IQQ")


class Child(Generic[T]):
    """A forked process rendering the dialects of its share, each taken by ticket.

    Use :meth:`start`; then :meth:`received` for what the child has sent,
    :meth:`take` for a dialect it has not started, :meth:`stop` when done.
    """

    def __init__(self, pid: int, share: list[str | None], notices: int, tickets: int, results: int) -> None:
        self.pid = pid
        self.share = share
        self._notices: int | None = notices
        self._tickets: int | None = tickets
        self._results: int | None = results
        self._partial = b""

    @classmethod
    def start(cls, share: list[str | None], render: Callable[[str | None], T]) -> Child[T] | None:
        """Fork a child that renders ``share[:MAX_SHARE]``; None when the platform said no."""
        share = share[:MAX_SHARE]
        opened: list[int] = []
        try:
            tickets, tickets_in = os.pipe()
            opened += [tickets, tickets_in]
            os.write(tickets_in, bytes(range(len(share))))
            os.close(tickets_in)
            opened.remove(tickets_in)
            os.set_blocking(tickets, False)  # every ticket is in, and nobody can add one: empty means taken
            notices, notices_in = os.pipe()
            opened += [notices, notices_in]
            results = _unlinked_file()
            opened.append(results)
            # the renderer forks only when threading knows no other thread; a thread it cannot see
            # (pytest-xdist's) holds no lock the child takes: the child renders with what it
            # inherited (the revision map, the render's modules), writes to its own file and pipe,
            # and leaves through os._exit
            pid = quiet_fork()
        except OSError:
            for fd in opened:
                os.close(fd)
            return None
        if pid:
            os.close(notices_in)
            return cls(pid, share, notices, tickets, results)
        os.close(notices)  # the child: render, write, notify, and leave without running the parent's exit handlers
        try:
            _serve(share, render, tickets, notices_in, results)
        finally:
            os._exit(0)

    def received(self, *, wait: bool) -> list[tuple[str | None, T | None]]:
        """The dialects the child has finished since the last call (None: it failed there).

        With ``wait``, at least one notice is waited for. A child that has
        ended, or sent something garbled, has nothing more to send; the
        dialects it owes are then the caller's to render.
        """
        done: list[tuple[str | None, T | None]] = []
        while self._notices is not None and (wait or _readable(self._notices)):
            wait = False
            try:
                chunk = os.read(self._notices, 64 * _NOTICE.size)
            except OSError:
                chunk = b""
            if not chunk:
                self._close()
                break
            data = self._partial + chunk
            whole = len(data) - len(data) % _NOTICE.size
            self._partial = data[whole:]
            for start in range(0, whole, _NOTICE.size):
                index, offset, length = _NOTICE.unpack_from(data, start)
                if index < len(self.share):
                    done.append((self.share[index], self._result(offset, length)))
        return done

    @property
    def ended(self) -> bool:
        """Whether the child has nothing more to send (it finished or died), or this side was closed."""
        return self._notices is None

    def take(self) -> str | None:
        """A dialect the child has not started, now the caller's to render; None when none is left."""
        if self._tickets is None:
            return None
        try:
            ticket = os.read(self._tickets, 1)
        except OSError:  # BlockingIOError included: the child holds no ticket open, but be safe
            ticket = b""
        if not ticket:
            return None
        return self.share[ticket[0]]

    def stop(self) -> None:
        """Close this side and reap the child (killed first when it is still rendering: nobody waits for it)."""
        self._close()
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if not done:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass

    def _result(self, offset: int, length: int) -> T | None:
        try:
            assert self._results is not None
            data = os.pread(self._results, length, offset)
            return pickle.loads(data) if len(data) == length else None
        except Exception:  # noqa: BLE001 - a partial or garbled result: the caller renders it in process
            return None

    def _close(self) -> None:
        for name in ("_notices", "_tickets", "_results"):
            fd = getattr(self, name)
            setattr(self, name, None)
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _serve(share: list[str | None], render: Callable[[str | None], T], tickets: int, notices: int, results: int) -> None:
    """The child's loop: take a ticket, render its dialect, write the result, send the notice."""
    # what the parent made lives until the child leaves: no collection need look at it again
    gc.freeze()
    gc.set_threshold(*CLI_THRESHOLD)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    offset = 0
    while ticket := os.read(tickets, 1):
        try:
            rendered: T | None = render(share[ticket[0]])
        except Exception:  # noqa: BLE001 - the parent renders it in process and reports the error as usual
            rendered = None
        data = pickle.dumps(rendered, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.pwrite(results, view, offset + len(data) - len(view)):]
        os.write(notices, _NOTICE.pack(ticket[0], offset, len(data)))  # a few bytes: never waits for the parent
        offset += len(data)


@contextlib.contextmanager
def frozen(*, render: bool = False) -> Iterator[None]:
    """Everything that exists now is left out of collections until the block ends.

    Nothing happens when the collector is off or someone else has frozen
    objects already (their freeze is theirs to end). With ``render``, the
    block also gets the command line's collection thresholds (unless someone
    chose their own), as a render child has: a dialect the parent renders
    itself then costs what it costs the child (a pytest process keeps the
    default thresholds; measured: 10-20% more CPU per render at 300 revisions).
    """
    froze = gc.isenabled() and gc.get_freeze_count() == 0
    threshold = gc.get_threshold()
    tune = render and is_untouched(threshold)
    if froze:
        gc.freeze()
    if tune:
        gc.set_threshold(*CLI_THRESHOLD)
    try:
        yield
    finally:
        if tune:
            gc.set_threshold(*threshold)
        if froze:
            gc.unfreeze()


def _unlinked_file() -> int:
    fd, path = tempfile.mkstemp(prefix="limbeck-render-")
    os.unlink(path)
    return fd


def _readable(fd: int) -> bool:
    ready, _, _ = select.select([fd], [], [], 0)
    return bool(ready)
