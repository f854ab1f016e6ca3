"""Console messages: the ``alembic.util.messaging`` names (``status``, ``msg``, ``err``).

Below everything but the errors: ``limbeck heads`` and ``history`` print with
them, so this stays import-light; :mod:`limbeck.util` offers them to scripts
under Alembic's names.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import textwrap
import warnings
from collections.abc import Iterator
from contextvars import ContextVar
from typing import IO

from limbeck.errors import LimbeckWarning


def write_outstream(stream: IO[str], *text: str, quiet: bool = False) -> None:
    """Write pieces of text to *stream* unless *quiet*; survives closed pipes."""
    if quiet:
        return
    try:
        for piece in text:
            stream.write(piece)
    except BrokenPipeError:  # pragma: no cover - e.g. ``limbeck history | head``
        pass


def _terminal_width() -> int:
    try:
        return int(os.environ.get("COLUMNS", "")) or shutil.get_terminal_size().columns
    except ValueError:
        return shutil.get_terminal_size().columns


def msg(msg: str, newline: bool = True, flush: bool = False, quiet: bool = False) -> None:  # noqa: A002 - Alembic's name
    """Print a user-facing message, wrapped to the terminal when it is one.

    Wrapping only happens on a tty so that piped output (what scripts parse)
    is exactly the message. The parameter keeps Alembic's name (``util.msg(msg=...)``).
    """
    if quiet:
        return
    text = msg
    if sys.stdout.isatty():
        width = _terminal_width()
        if width > 1 and len(text) > width:
            text = "\n".join(textwrap.wrap(text, width))
    write_outstream(sys.stdout, text, "\n" if newline else "", quiet=quiet)
    if flush:
        sys.stdout.flush()


@contextlib.contextmanager
def status(status_msg: str, newline: bool = False, quiet: bool = False) -> Iterator[None]:
    """Print ``<msg> ...`` then ``  done`` or ``  FAILED`` around a step.

    The exact framing (``Generating /path/x.py ...  done``) is what Alembic
    prints and what users' tooling greps, so it is reproduced verbatim.
    """
    write_outstream(sys.stdout, f"{status_msg} ...", "\n" if newline else "", quiet=quiet)
    sys.stdout.flush()
    try:
        yield
    except BaseException:
        write_outstream(sys.stdout, "  FAILED\n", quiet=quiet)
        raise
    write_outstream(sys.stdout, "  done\n", quiet=quiet)


def err(message: str, quiet: bool = False) -> None:
    """Report a fatal error the Alembic way: ``FAILED: <msg>`` and exit status 255."""
    msg(f"FAILED: {message}", quiet=quiet)
    sys.exit(-1)


def warn(msg: str, stacklevel: int = 2) -> None:
    """Issue a :class:`~limbeck.errors.LimbeckWarning` (the parameter keeps Alembic's name, ``util.warn(msg=...)``)."""
    warnings.warn(msg, LimbeckWarning, stacklevel=stacklevel + 1)


#: the name the command line runs under, while it runs a command
_command_line: ContextVar[str | None] = ContextVar("limbeck_command_line", default=None)


@contextlib.contextmanager
def command_line_named(program: str) -> Iterator[None]:
    """The command line runs a command as ``program`` (``alembic``: Alembic's command landing here)."""
    token = _command_line.set(program)
    try:
        yield
    finally:
        _command_line.reset(token)


def program_name() -> str:
    """The command users type to run the next command, for advice printed to them.

    The command line's own name while it runs a command; called from Python,
    ``alembic`` where limbeck stands in for Alembic for the whole process,
    else ``limbeck``.
    """
    named = _command_line.get()
    if named is not None:
        return named
    # called from Python only: the alias machinery's imports would cost every listing command
    from limbeck.compat.switch import switched_on

    return "alembic" if switched_on() else "limbeck"
