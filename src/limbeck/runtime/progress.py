"""Per-revision progress, sent where whoever runs the migration wants it.

A program that calls ``limbeck.command.upgrade()`` owns its output: progress
is logged at INFO on the ``limbeck.runtime.migration`` logger (``Running
upgrade a1 -> b2, add email``), the way Alembic logs on
``alembic.runtime.migration``, so it follows the program's logging setup.

The ``limbeck`` command line owns its stderr: around a command it installs a
stream sink with :func:`reporting_to`. stdout belongs to SQL (offline) and to
command output, so ``limbeck upgrade head --sql > change.sql`` stays clean.
On a terminal the sink draws one bar that rewrites itself, fitted to the
terminal's width at every frame; elsewhere (CI logs, pipes) each revision gets
one plain line with its time. The sink is closed when the command ends, how
ever it ends, so an error line never lands on the bar's line.

The CLI's sink is a module global rather than a context variable on purpose:
SQLAlchemy's async engines run ``run_migrations()`` in a new greenlet, which
does not see the caller's context variables.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
import unicodedata
from collections.abc import Iterator
from typing import TextIO

from limbeck.compat.switch import logger_name

__all__ = ["Progress", "cli_note", "context_opened", "reporting_to"]

# Alembic's logger name while limbeck stands in for Alembic (``[logger_alembic]`` configs)
log = logging.getLogger(logger_name("limbeck.runtime.migration"))

#: Width of the ``[####----]`` part of the bar on a wide terminal.
BAR_WIDTH = 24
_LINE_BREAKS = {ord(ch): " " for ch in "\r\n\t\v\f"}


class _LineSink:
    """One ``Running <step> (<time>s)`` line per finished step."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def start(self, count: int, total: int, label: str) -> None:
        return None

    def done(self, count: int, total: int, label: str, elapsed: float) -> None:
        self.stream.write(f"Running {label} ({elapsed:.3f}s)\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        return None


class _BarSink:
    """A bar redrawn in place with ``\\r``, never wider than the terminal.

    Each frame is cut to the terminal's width less one column (a full line
    would wrap on some terminals) and padded with spaces over what the
    previous frame drew beyond it, so nothing of an older frame remains.
    No escape sequences: it works on ``TERM=dumb`` too.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._drawn = 0  # display width of what is on the bar's line now

    def start(self, count: int, total: int, label: str) -> None:
        self._draw(count - 1, total, count, label, None)

    def done(self, count: int, total: int, label: str, elapsed: float) -> None:
        self._draw(count, total, count, label, elapsed)
        if count == total:
            self.close()

    def note(self, text: str) -> None:
        """A line of its own under the bar (the bar is drawn again by the next step)."""
        self.close()
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, so whatever is written next starts on its own."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = 0

    def _draw(self, filled: int, total: int, count: int, label: str, elapsed: float | None) -> None:
        frame = bar_frame(filled, total, count, label, elapsed, terminal_columns(self.stream))
        width = display_width(frame)
        self.stream.write("\r" + frame + " " * max(0, self._drawn - width))
        self.stream.flush()
        self._drawn = max(width, 1)


class _LogSink:
    """Progress as log records, for programs that run migrations themselves."""

    def start(self, count: int, total: int, label: str) -> None:
        log.info("Running %s", label)

    def done(self, count: int, total: int, label: str, elapsed: float) -> None:
        log.debug("Ran %s in %.3fs", label, elapsed)

    def close(self) -> None:
        return None


_Sink = _LineSink | _BarSink | _LogSink

#: The command line's sink while a command runs (see the module docstring).
_cli_sink: _Sink | None = None


def _sink_for(stream: TextIO) -> _Sink:
    tty = bool(getattr(stream, "isatty", lambda: False)())
    return _BarSink(stream) if tty else _LineSink(stream)


@contextlib.contextmanager
def reporting_to(stream: TextIO) -> Iterator[None]:
    """Send progress to ``stream`` (a bar if it is a terminal) until the block ends.

    The bar's line is ended when the block exits, normally or by an exception
    (a failed revision, Ctrl-C), before the caller prints anything else.
    """
    global _cli_sink
    saved, sink = _cli_sink, _sink_for(stream)
    _cli_sink = sink
    try:
        yield
    finally:
        _cli_sink = saved
        sink.close()


def cli_note(text: str) -> bool:
    """Show ``text`` on the command line's stream (stderr) while a command runs; False elsewhere.

    What Alembic's commands log at INFO for the user to read (autogenerate's
    ``Detected added table 't'``) reaches them through the project's logging
    configuration under Alembic's logger names, which an Alembic project's
    ``alembic.ini`` shows and limbeck's loggers do not match; the command line
    prints those lines itself, as it prints its progress. Programs log them.
    """
    sink = _cli_sink
    if sink is None or isinstance(sink, _LogSink):
        return False
    sink.note(text)
    return True


def context_opened(impl: str, as_sql: bool, transactional_ddl: bool) -> None:
    """Alembic's first log lines of every migration context (``Context impl PostgresqlImpl.``, ...).

    Programs running migrations themselves (Flask-Migrate, an application's start-up) show
    these in their logs under Alembic; the command line prints its own progress instead.
    """
    if _cli_sink is not None or not log.isEnabledFor(logging.INFO):
        return
    log.info("Context impl %s.", impl)
    if as_sql:
        log.info("Generating static SQL")
    log.info("Will assume %s DDL.", "transactional" if transactional_ddl else "non-transactional")


class Progress:
    """Reports each step of a run: which revision, its message, how long it took.

    ``stream`` sends this run's progress to that stream; without it progress
    goes to the command line's sink, or else to the ``limbeck`` logger.
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.quiet = quiet or total == 0
        self._sink: _Sink = _sink_for(stream) if stream is not None else (_cli_sink or _LogSink())
        self._count = 0
        self._started = 0.0
        self._label = ""

    def start(self, label: str) -> None:
        self._count += 1
        self._label = label
        self._started = time.perf_counter()
        if not self.quiet:
            self._sink.start(self._count, self.total, label)

    def done(self) -> float:
        elapsed = time.perf_counter() - self._started
        if not self.quiet:
            self._sink.done(self._count, self.total, self._label, elapsed)
        return elapsed


def bar_frame(filled: int, total: int, count: int, label: str, elapsed: float | None, columns: int) -> str:
    """One frame of the bar, at most ``columns - 1`` display columns wide."""
    room = max(columns - 1, 1)
    width = min(BAR_WIDTH, max(room // 4, 4))
    full = width * filled // max(total, 1)
    head = f"[{'#' * full}{'-' * (width - full)}] {count}/{total} "
    tail = f" {elapsed:.3f}s" if elapsed is not None else ""
    label_room = room - len(head) - len(tail)
    if label_room < 4:
        return cut_to_width(head + label, room)
    return head + cut_to_width(label, label_room) + tail


def terminal_columns(stream: TextIO) -> int:
    """Columns of the terminal ``stream`` writes to, asked at every frame (windows get resized)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return shutil.get_terminal_size().columns


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide East Asian characters take two, combining marks none."""
    return sum(_char_width(ch) for ch in text)


def cut_to_width(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` display columns, ending with ``...`` when cut."""
    text = text.translate(_LINE_BREAKS)  # a multi-line message would break the bar
    if display_width(text) <= columns:
        return text
    kept, used = [], 0
    for ch in text:
        used += _char_width(ch)
        if used > columns - 3:
            break
        kept.append(ch)
    return "".join(kept) + "..."[: max(columns, 0)]


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

