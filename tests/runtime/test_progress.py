"""Per-revision progress: plain lines in logs, a bar fitted to the terminal, log records for programs."""

from __future__ import annotations

import io
import logging

import pytest

from limbeck.runtime import progress as progress_module
from limbeck.runtime.progress import (
    Progress,
    bar_frame,
    cut_to_width,
    display_width,
    reporting_to,
)


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


def test_terminal_gets_a_bar_that_ends_with_a_newline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    out = Terminal()
    progress = Progress(2, stream=out)
    for label in ("upgrade  -> a1", "upgrade a1 -> b2"):
        progress.start(label)
        progress.done()
    text = out.getvalue()
    assert "\r[" in text and "2/2 upgrade a1 -> b2" in text and "#" * 24 in text
    assert text.endswith("\n") and text.count("\n") == 1


@pytest.mark.parametrize("columns", [20, 60, 80, 120])
def test_a_frame_never_reaches_the_last_column(columns: int) -> None:
    label = "upgrade a1 -> b2, " + "a very long revision message " * 6
    for elapsed in (None, 12.345):
        frame = bar_frame(1, 3, 2, label, elapsed, columns)
        assert display_width(frame) <= columns - 1
        assert frame.startswith("[") and "2/3 upgra" in frame
        if columns >= 60:
            assert "2/3 upgrade a1 -> b2" in frame
        if elapsed is not None and columns >= 60:
            assert frame.endswith("... 12.345s")


def test_wide_characters_count_twice_and_line_breaks_become_spaces() -> None:
    assert display_width("表") == 2 and display_width("e\u0301") == 1
    cut = cut_to_width("表" * 20, 11)
    assert display_width(cut) <= 11 and cut.endswith("...")
    assert cut_to_width("two\nlines", 20) == "two lines"


def test_a_shorter_frame_blanks_what_the_longer_one_drew(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    progress = Progress(2, stream=out)
    progress.start("upgrade  -> a1, " + "long " * 10)
    progress.done()
    before = out.getvalue().split("\r")[-1]
    progress.start("upgrade a1 -> b2")
    after = out.getvalue().split("\r")[-1]
    assert len(after) == len(before) and after.rstrip(" ") != after


def test_closing_the_cli_sink_ends_the_bar_line_mid_run() -> None:
    out = Terminal()
    with pytest.raises(RuntimeError), reporting_to(out):
        progress = Progress(3)
        progress.start("upgrade  -> a1")
        raise RuntimeError("a revision failed")
    assert out.getvalue().endswith("\n") and out.getvalue().count("\n") == 1
    assert progress_module._cli_sink is None


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    progress = Progress(1, stream=out, quiet=True)
    progress.start("x")
    progress.done()
    assert out.getvalue() == ""


def test_without_the_cli_progress_is_logged_on_the_limbeck_logger(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # an env.py run earlier in this process may have called fileConfig(), which disables
    # the loggers that exist at that moment (for Alembic's loggers too)
    monkeypatch.setattr(logging.getLogger("limbeck.runtime.migration"), "disabled", False)
    caplog.set_level(logging.INFO, logger="limbeck")
    progress = Progress(1)
    progress.start("upgrade  -> a1, create account")
    progress.done()
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("limbeck.runtime.migration", logging.INFO, "Running upgrade  -> a1, create account")
    ]
    assert capsys.readouterr().err == ""
