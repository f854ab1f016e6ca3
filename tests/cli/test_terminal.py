"""The progress bar on a real pseudo-terminal, 60 and 120 columns wide.

``limbeck upgrade head`` runs with a pty as its controlling terminal and stderr; what
it writes is replayed on a small screen model (carriage return, newline, wrapping at
the right margin) and the screen is checked: one bar line that fits the width, no
text left from earlier frames, a ``FAILED:`` line of its own after a failure, and
after Ctrl-C (typed into the terminal, so the line discipline sends SIGINT).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

NewProject = Callable[..., Path]

#: Make the pty the child's controlling terminal, then become ``python -m limbeck``.
#: as an interactive shell starts a command: its own session on the terminal, and Ctrl-C's signal
#: at its default (an ignored SIGINT is inherited through exec, and Python then installs no handler)
_LAUNCH = (
    "import fcntl, os, signal, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, '-m', 'limbeck', *sys.argv[1:]])"
)
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LONG = "add the reporting tables with every column the quarterly export needs"


def run_on_terminal(
    home: Path, columns: int, *args: str, interrupt_when: Path | None = None, timeout: float = 120,
) -> tuple[int, str]:
    """Run limbeck on a fresh pty ``columns`` wide; type Ctrl-C once ``interrupt_when`` exists."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "LIMBECK_CONFIG", "ALEMBIC_CONFIG")}
    proc = subprocess.Popen(
        [sys.executable, "-c", _LAUNCH, *args], cwd=home, env={**env, "TERM": "xterm"},
        stdin=slave, stdout=slave, stderr=slave,
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if interrupt_when is not None and interrupt_when.exists():
                os.write(master, b"\x03")
                interrupt_when = None
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        return proc.wait(timeout=30), output.decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def screen(text: str, columns: int) -> list[str]:
    """What a terminal ``columns`` wide shows after ``text``: its rows, trailing blanks cut."""
    rows: list[list[str]] = [[]]
    row = col = 0
    for ch in _ESCAPE.sub("", text):
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
        elif ch >= " ":
            if col >= columns:  # autowrap
                row, col = row + 1, 0
            while len(rows) <= row:
                rows.append([])
            line = rows[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = ch
            col += 1
        while len(rows) <= row:
            rows.append([])
    shown = ["".join(line) for line in rows]
    while shown and not shown[-1].strip():
        shown.pop()
    return shown


def _bar_lines(rows: list[str]) -> list[str]:
    return [row for row in rows if row.startswith("[")]


@pytest.mark.parametrize("columns", [60, 120])
def test_the_bar_fits_the_terminal_and_leaves_nothing_behind(
    columns: int, tmp_path: Path, limbeck_project: NewProject,
) -> None:
    home = limbeck_project(tmp_path, revisions={"a1": "pass", "b2": "pass", "c3": "pass"})
    # a long message first, short ones after: a frame that did not blank the
    # longer one before it would show its tail
    path = home / "migrations" / "versions" / "a1_r.py"
    path.write_text(path.read_text().replace('"""a1 ', f'"""{LONG} '))
    status, out = run_on_terminal(home, columns, "upgrade", "head")
    assert status == 0, out
    assert out.count("\r[") >= 6  # a start and a done frame per revision
    rows = screen(out, columns)
    assert len(rows) == 1, rows
    (bar,) = rows
    assert len(bar.rstrip()) <= columns - 1
    assert re.fullmatch(r"\[#+\] 3/3 upgrade b2 -> c3, c3 \d+\.\d{3}s *", bar), bar


@pytest.mark.parametrize("columns", [60, 120])
def test_a_failure_mid_run_gets_its_own_line(columns: int, tmp_path: Path, limbeck_project: NewProject) -> None:
    home = limbeck_project(tmp_path, revisions={"a1": "pass", "b2": "raise RuntimeError('boom')", "c3": "pass"})
    status, out = run_on_terminal(home, columns, "upgrade", "head")
    assert status == 1, out
    rows = screen(out, columns)
    assert [row for row in rows if row.startswith("[")] == [rows[0]]
    assert rows[0].rstrip().endswith("2/3 upgrade a1 -> b2, b2") and len(rows[0].rstrip()) < columns
    failed = "".join(rows[1:]).rstrip()
    path = home / "migrations" / "versions" / "b2_r.py"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "raise RuntimeError" in text)
    assert failed == f"FAILED: {path}:{line} (revision b2, upgrade): RuntimeError: boom; the database is at a1"


@pytest.mark.parametrize("columns", [60, 120])
def test_ctrl_c_mid_run_ends_the_bar_and_says_where_the_database_is(
    columns: int, tmp_path: Path, limbeck_project: NewProject,
) -> None:
    marker = tmp_path / "b2-running"
    wait = f"open({str(marker)!r}, 'w').close(); __import__('time').sleep(120)"
    home = limbeck_project(tmp_path, revisions={"a1": "pass", "b2": wait, "c3": "pass"})
    status, out = run_on_terminal(home, columns, "upgrade", "head", interrupt_when=marker)
    assert status == 130, out
    rows = screen(out, columns)
    assert rows[0].startswith("[") and "2/3 upgrade a1 -> b2" in rows[0]
    failed = "".join(rows[1:]).rstrip()
    path = home / "migrations" / "versions" / "b2_r.py"
    assert failed == f"FAILED: {path} (revision b2, upgrade): interrupted (Ctrl-C); the database is at a1"
    assert "Traceback" not in out and "Aborted!" not in out
