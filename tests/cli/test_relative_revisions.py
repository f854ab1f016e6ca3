"""``downgrade -1``: a negative number is a value wherever Alembic's argparse reads it as one.

Each case runs the real ``alembic`` command (1.20.1, the ``test`` extra) on one copy of
a fixture project and ``limbeck`` on another, from the same database state, and
compares whether the command line was accepted, the exit status, stdout, and the
version table afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import Result

HEADS = ("3c2e2d3a4f5b",)

CASES: list[tuple[str, ...]] = [
    ("downgrade", "-1"),
    ("downgrade", "-2"),
    ("downgrade", "-1", "--sql"),  # Alembic's own error: --sql needs a range
    ("upgrade", "+1"),
    ("show", "-1"),
    ("history", "-r", "-1"),
    ("history", "-r-2:current"),
    ("history", "--rev-range=-1:current"),
    ("merge", "-1", "-2"),
    ("revision", "--head", "-1", "-m", "x"),
    ("downgrade", "--", "-1"),
    ("downgrade", "-1.5"),  # a negative number to argparse, then an unknown revision
    ("downgrade", "-x1"),  # an option, unknown to both
]


def _versions(home: Path) -> list[str]:
    with sqlite3.connect(home / "app.db") as conn:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    return sorted(row[0] for row in rows)


def _alembic(home: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALEMBIC_CONFIG", "LIMBECK_CONFIG")}
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args], cwd=home, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_negative_numbers_parse_where_alembic_parses_them(
    args: tuple[str, ...], fp: ModuleType, tmp_path: Path, invoke: Callable[..., Result],
) -> None:
    theirs_home = fp.build_project(fp.PROJECTS["linear"], tmp_path / "alembic")
    ours_home = fp.build_project(fp.PROJECTS["linear"], tmp_path / "limbeck")
    for home in (theirs_home, ours_home):
        fp.set_database_heads(home, HEADS)
    theirs = _alembic(theirs_home, args)
    ours = invoke(ours_home, *args)
    usage = "No such option" in ours.stderr or ours.exit_code == 2
    assert usage == (theirs.returncode == 2), (theirs.stderr, ours.stderr)
    assert (ours.exit_code == 0) == (theirs.returncode == 0), (theirs.stderr, ours.stderr)
    # Alembic prints its FAILED line on stdout, limbeck on stderr; new files get new ids
    if ours.exit_code == 0 and "merge" not in args and "revision" not in args:
        root_theirs, root_ours = str(theirs_home.parent), str(ours_home.parent)
        assert fp.normalise_output(ours.stdout, root_ours) == fp.normalise_output(theirs.stdout, root_theirs)
    assert _versions(ours_home) == _versions(theirs_home)


def test_a_range_option_value_may_start_with_a_number_alembic_cannot_read(
    make_project: Callable[..., Path], invoke: Callable[..., Result],
) -> None:
    """``history -r -2:current``: argparse takes ``-2:current`` for an option; click reads the value."""
    home = make_project("linear", HEADS)
    result = invoke(home, "history", "-r", "-2:current")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2b1d1c2f3e4a -> 3c2e2d3a4f5b, add an index\n"


def test_a_choice_error_shows_the_value_as_typed(
    make_project: Callable[..., Path], invoke: Callable[..., Result],
) -> None:
    result = invoke(make_project("linear"), "history", "--format", "-1")
    assert result.exit_code == 2
    assert "'-1' is not one of 'text', 'json'" in result.stderr and "\\x00" not in result.stderr
