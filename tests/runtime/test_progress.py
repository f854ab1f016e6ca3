"""Per-revision progress: plain lines in logs, a self-rewriting bar on a terminal."""

from __future__ import annotations

import io

from limbeck.runtime.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_name_revision_message_and_time() -> None:
    out = io.StringIO()
    progress = Progress(2, stream=out)
    progress.start("upgrade  -> a1, create account")
    progress.done()
    progress.start("upgrade a1 -> b2, add email")
    progress.done()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Running upgrade  -> a1, create account (") and lines[0].endswith("s)")


def test_terminal_gets_a_bar_that_ends_with_a_newline() -> None:
    out = Terminal()
    progress = Progress(2, stream=out)
    for label in ("upgrade  -> a1", "upgrade a1 -> b2"):
        progress.start(label)
        progress.done()
    text = out.getvalue()
    assert "\r[" in text and "2/2 upgrade a1 -> b2" in text and "#" * 24 in text
    assert text.endswith("\n") and text.count("\n") == 1


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    progress = Progress(1, stream=out, quiet=True)
    progress.start("x")
    progress.done()
    assert out.getvalue() == ""
