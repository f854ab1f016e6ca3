"""Generated trees run under the real Alembic (the oracle), online and offline.

This is what proves the generator: every scenario's command must succeed on
Alembic itself before its timing means anything. Skipped where Alembic is
not installed (it is the ``bench`` extra).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generate import generate
from scenarios import heads_of, stamp

ALEMBIC = Path(sys.executable).parent / "alembic"
pytestmark = pytest.mark.skipif(not ALEMBIC.exists(), reason="alembic (the bench extra) is not installed")


def _alembic(cwd: Path, *args: str) -> str:
    proc = subprocess.run([str(ALEMBIC), "-c", "alembic.ini", *args], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_sqlite_tree_runs_online_both_ways(tmp_path: Path) -> None:
    revisions = generate(tmp_path, 150, "branchy", "alembic")
    (head,) = heads_of(revisions)
    assert _alembic(tmp_path, "heads").split()[0] == head
    assert len(_alembic(tmp_path, "history").splitlines()) == 150
    _alembic(tmp_path, "upgrade", "head")
    assert _alembic(tmp_path, "current").split()[0] == head
    _alembic(tmp_path, "downgrade", "base")
    assert _alembic(tmp_path, "current").strip() == ""


def test_postgresql_tree_renders_offline_both_ways(tmp_path: Path) -> None:
    generate(tmp_path, 150, "branchy", "alembic", portable=False, url="postgresql://localhost/bench")
    up = _alembic(tmp_path, "upgrade", "base:head", "--sql")
    assert "ALTER COLUMN" in up and "DROP COLUMN" in up and "INSERT INTO" in up
    down = _alembic(tmp_path, "downgrade", "head:base", "--sql")
    assert "DROP TABLE" in down


def test_stamped_database_reads_as_head(tmp_path: Path) -> None:
    revisions = generate(tmp_path, 60, "branchy", "alembic", heads_left=2)
    heads = heads_of(revisions)
    stamp(tmp_path, heads)
    assert sorted(line.split()[0] for line in _alembic(tmp_path, "current").splitlines()) == sorted(heads)


def test_autogenerate_shaped_tree_renders_offline_both_ways(tmp_path: Path) -> None:
    revisions = generate(tmp_path, 120, "branchy", "alembic", portable=False, url="postgresql://localhost/bench",
                         kind="autogen")
    changes = sum(1 for r in revisions if len(r.down) < 2)
    up = _alembic(tmp_path, "upgrade", "base:head", "--sql")
    assert up.count("CREATE TABLE") == changes + 1  # and the version table
    assert up.count("FOREIGN KEY") == 2 * changes and up.count("CHECK (amount >= 0)") == changes
    assert "ALTER COLUMN" in up and "TYPE VARCHAR" in up and "DROP INDEX" in up and "DROP TABLE" in up
    down = _alembic(tmp_path, "downgrade", "head:base", "--sql")
    assert down.count("DROP TABLE") == changes and "DELETE FROM" in down
