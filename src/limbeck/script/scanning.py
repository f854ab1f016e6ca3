"""Read the headers of many revision files at once, on two cores where that pays.

On a fresh checkout ``heads``, ``history`` and ``branches`` spend a third of
their time reading and scanning every revision file (:func:`read_headers`),
one file after the other, while the second core of the machine idles. So
:func:`read_all`, given enough files, forks: the files are cut into chunks,
each a one-byte ticket in a pipe that both processes read (a read of one
byte is taken by exactly one reader), so whichever is free takes the next
chunk and neither waits for a share the other was slow to finish. The child
sends what it read back marshalled, once, when the tickets run out.

The answer is always the serial one:

- the child runs the same :func:`read_headers` on the same files; a chunk it
  does not deliver (it failed, was killed, took longer than
  :data:`TIMEOUT`, sent something unreadable) is read by the parent;
- a file whose reading raised or warned, in either process and also when
  nothing forks, is answered ``False``: the caller reads it again where it
  takes that file's answer, so the error is raised and the warning shown
  at the same point among everything else it does (importing the files
  that cannot be read statically) as when reading one file after the other.

Only where :func:`os.fork` exists, :func:`enabled` (more than one CPU for this
process, ``LIMBECK_PRECOMPILE`` not ``0``), no other thread runs (a lock held
by another thread when forking is never released in the child) and at least
:data:`MIN_FILES` files need reading.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Literal

from limbeck.script.headers import Headers, read_headers

__all__ = ["MIN_FILES", "TIMEOUT", "cpus", "enabled", "quiet_fork", "read_all"]

#: below this many files the fork and the hand-over cost more than the second core saves
MIN_FILES = 400
#: files per ticket, at least: small enough that neither process waits long for the other at the end
CHUNK = 64
#: tickets are single bytes (a read of one byte is taken by exactly one reader)
MAX_TICKETS = 255
#: seconds the parent waits for the child's results once its own work is done
TIMEOUT = 60.0

#: a file whose reading raised or warned (or that the child did not deliver): read it again in order
_UNDONE: Literal[False] = False

Found = list["Headers | None | Literal[False]"]


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def enabled() -> bool:
    """Whether work may go to another process at all on this machine and in this environment.

    Shared with :mod:`limbeck.script.precompile`: ``LIMBECK_PRECOMPILE=0``
    turns off every helper process.
    """
    if os.environ.get("LIMBECK_PRECOMPILE", "1") == "0" or getattr(sys, "frozen", False):
        return False  # a frozen application's executable is not a Python interpreter
    return cpus() > 1 and bool(sys.executable)


def _forkable() -> bool:
    # Linux only: on macOS a process forked without exec may crash or hang in system libraries
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or not enabled():
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def quiet_fork() -> int:
    """``os.fork()`` without Python 3.12's warning that the process has threads.

    Only for a child that takes no lock another thread may hold (each caller says why). The
    warning counts threads ``threading`` did not start (pytest-xdist's channel thread), so it
    would reach a user's test summary, or, inside a recording ``catch_warnings``, pass for a
    warning of the work being done.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def read_all(paths: Sequence[str], sizes: Sequence[int]) -> Found:
    """``read_headers(path, size)`` of each file, or ``False`` where that raised or warned (see above).

    On two cores when there are many files.
    """
    log: list[warnings.WarningMessage]
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        if len(paths) >= MIN_FILES and _forkable():
            found = _split(paths, sizes, log)
            if found is not None:
                return found
        return _read(paths, sizes, 0, len(paths), log)


def _read(paths: Sequence[str], sizes: Sequence[int], start: int, stop: int, log: list[warnings.WarningMessage]) -> Found:
    """The headers of files ``start:stop``; ``_UNDONE`` for one whose reading raised or warned (into ``log``)."""
    out: Found = []
    for i in range(start, min(stop, len(paths))):
        try:
            headers: Headers | None | Literal[False] = read_headers(paths[i], sizes[i])
        except Exception:  # noqa: BLE001 - read again by the caller, where it raises as usual
            headers = _UNDONE
        if log:
            log.clear()
            headers = _UNDONE
        out.append(headers)
    return out



def _split(paths: Sequence[str], sizes: Sequence[int], log: list[warnings.WarningMessage]) -> Found | None:
    """The headers read by this process and a forked child together; None if the fork failed."""
    chunk = max(CHUNK, -(-len(paths) // MAX_TICKETS))
    try:
        tickets, results_in, results_out = _pipes(-(-len(paths) // chunk))
    except OSError:
        return None
    try:
        # not the warning about a thread _forkable cannot see: in `log` it would mark the first file
        # read as one that warned. The child reads files and leaves through os._exit
        pid = quiet_fork()
    except OSError:
        for fd in (tickets, results_in, results_out):
            os.close(fd)
        return None
    if pid == 0:  # pragma: no cover - the child (coverage does not follow a fork); never returns
        _child(paths, sizes, chunk, tickets, results_in, results_out, log)
    os.close(results_out)
    found: Found = [_UNDONE] * len(paths)
    reaped = False
    try:
        while ticket := os.read(tickets, 1):
            start = ticket[0] * chunk
            found[start : start + chunk] = _read(paths, sizes, start, start + chunk, log)
        reaped = _receive(pid, results_in, chunk, found)
    finally:
        os.close(tickets)
        os.close(results_in)
        if not reaped:  # interrupted, or a child that did not answer: leave none behind
            _stop(pid)
    return found


def _pipes(count: int) -> tuple[int, int, int]:
    """The tickets' read end (all ``count`` tickets in it and its write end closed, so that
    an empty pipe reads as the end), and the results' pipe."""
    tickets, filler = os.pipe()
    try:
        os.write(filler, bytes(range(count)))  # at most 255 bytes: never more than a pipe holds
    except OSError:
        os.close(tickets)
        raise
    finally:
        os.close(filler)
    try:
        results_in, results_out = os.pipe()
    except OSError:
        os.close(tickets)
        raise
    return tickets, results_in, results_out


def _child(  # pragma: no cover - runs in the forked child
    paths: Sequence[str], sizes: Sequence[int], chunk: int, tickets: int, results_in: int, out: int,
    log: list[warnings.WarningMessage],
) -> None:
    """Read chunks until the tickets run out, then send ``[(ticket, [headers as tuples])]``; never returns."""
    status = 1
    try:
        os.close(results_in)
        gc.disable()  # a collection would walk (and so copy) every page shared with the parent
        done = []
        while ticket := os.read(tickets, 1):
            start = ticket[0] * chunk
            done.append((ticket[0], [_as_tuple(h) for h in _read(paths, sizes, start, start + chunk, log)]))
        view = memoryview(marshal.dumps(done))
        while view:
            view = view[os.write(out, view) :]
        status = 0
    finally:
        os._exit(status)


def _as_tuple(headers: Headers | None | Literal[False]) -> object:
    return tuple(headers) if isinstance(headers, Headers) else headers  # marshal writes no tuple subclass


def _receive(pid: int, fd: int, chunk: int, found: Found) -> bool:
    """Take in what the child read (a file it did not deliver stays ``_UNDONE``); whether it was reaped."""
    import select

    parts = []
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], TIMEOUT)
            if not ready:
                return False  # stuck: stopped by the caller
            data = os.read(fd, 1 << 20)
            if not data:
                break
            parts.append(data)
        _, status = os.waitpid(pid, 0)
    except OSError:
        return False
    if status != 0:
        return True
    try:
        for ticket, headers in marshal.loads(b"".join(parts)):
            for i, h in enumerate(headers, ticket * chunk):
                if found[i] is _UNDONE and (h is None or (type(h) is tuple and len(h) == 5)):
                    found[i] = h if h is None else Headers(*h)
    except (EOFError, ValueError, TypeError, IndexError):
        pass  # a damaged hand-over: those files are read again by the caller
    return True


def _stop(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
