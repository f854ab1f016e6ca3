"""The README's tour runs as written.

The commands are read from the ``sh`` block under ``## A tour`` in README.md and run
one by one with a shell, in a fresh folder, with the ``limbeck`` console script of
this environment first on ``PATH``: a command that fails, or prints a ``FAILED:``
line, fails the test. Then the state they leave is checked against what the
comments in the tour promise.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def tour_commands() -> list[str]:
    """The tour's command lines, without their comments."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## A tour\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "no ```sh block under '## A tour'"
    commands = [re.sub(r"\s+#\s.*$", "", line).strip() for line in block.group(1).splitlines()]
    return [command for command in commands if command]


def _versions(home: Path) -> list[str]:
    with sqlite3.connect(home / "app.db") as conn:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    return [row[0] for row in rows]


def test_the_tour_is_the_one_checked_here() -> None:
    commands = tour_commands()
    assert commands[0].startswith("limbeck init ") and commands[-1] == "limbeck downgrade -1"
    assert all(command.startswith("limbeck ") for command in commands)


def test_the_readme_tour_runs_as_written(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "limbeck").exists():
        pytest.fail(f"no limbeck console script beside {sys.executable}: install the project (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if k not in ("LIMBECK_CONFIG", "ALEMBIC_CONFIG")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    revision: re.Match[str] | None = None
    for command in tour_commands():
        run = subprocess.run(
            ["sh", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
        )
        assert run.returncode == 0 and "FAILED" not in run.stderr, (command, run.stdout, run.stderr)
        if command.startswith("limbeck revision"):
            revision = re.search(r"versions/(\w+?)_", run.stdout)
            assert revision is not None, run.stdout
        if command == "limbeck upgrade head":
            assert revision is not None and _versions(tmp_path) == [revision.group(1)]
        if command == "limbeck current":
            assert revision is not None and run.stdout.startswith(revision.group(1))
        if command == "limbeck history -i":
            assert "(current)" in run.stdout and "create account table" in run.stdout
    assert (tmp_path / "limbeck.ini").exists() and (tmp_path / "migrations" / "env.py").exists()
    script = (tmp_path / "change.sql").read_text(encoding="utf-8")
    assert "CREATE TABLE alembic_version" in script and "-- Running upgrade  -> " in script
    assert _versions(tmp_path) == []  # the last line took the one revision back down
