"""The floor program runs the scripts' own code and the finished SQL, nothing else.

It times nothing here: it checks that the program really executes every
revision's ``upgrade()`` (both the compiling and the precompiled variant)
and, online, leaves a database with the tables the migrations create.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import floor
from generate import generate



def _tree(tmp_path: Path, count: int) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    generate(project, count, "linear", "alembic", portable=True, url="sqlite:///%(here)s/bench.db")
    return project


def test_floor_program_runs_every_upgrade_both_ways(tmp_path: Path) -> None:
    project = _tree(tmp_path, 12)
    versions = project / "migrations" / "versions"
    probe = tmp_path / "visited.txt"
    for path in versions.glob("*.py"):  # each upgrade() leaves a line in the probe file
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("def upgrade() -> None:\n", "def upgrade() -> None:\n    open(__import__('os').environ['FLOOR_PROBE'], 'a').write('x\\n')\n"), encoding="utf-8")
    program = tmp_path / "floor_program.py"
    program.write_text(floor.FLOOR_PROGRAM, encoding="utf-8")
    codes = floor._precompile(versions, tmp_path)
    for extra in ("", str(codes)):
        probe.unlink(missing_ok=True)
        subprocess.run([sys.executable, str(program), str(versions), "", extra, "upgrade"], check=True,
                       env={"FLOOR_PROBE": str(probe), "PATH": ""})
        assert probe.read_text().count("x") == 12


def test_floor_program_runs_every_downgrade(tmp_path: Path) -> None:
    project = _tree(tmp_path, 6)
    versions = project / "migrations" / "versions"
    probe = tmp_path / "visited.txt"
    for path in versions.glob("*.py"):  # each downgrade() writes its revision id
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("def downgrade() -> None:\n", "def downgrade() -> None:\n    open(__import__('os').environ['FLOOR_PROBE'], 'a').write(revision + '\\n')\n"), encoding="utf-8")
    program = tmp_path / "floor_program.py"
    program.write_text(floor.FLOOR_PROGRAM, encoding="utf-8")
    subprocess.run([sys.executable, str(program), str(versions), "", "", "downgrade"], check=True,
                   env={"FLOOR_PROBE": str(probe), "PATH": ""})
    visited = probe.read_text().split()
    assert len(visited) == 6 and {p.name.split("_")[0] for p in versions.glob("*.py")} == set(visited)


def test_online_floor_executes_the_rendered_sql(tmp_path: Path) -> None:
    project = _tree(tmp_path, 8)
    script = tmp_path / "up.sql"
    with open(script, "wb") as fh:
        subprocess.run([str(Path(sys.executable).parent / "limbeck"), "-c", "alembic.ini", "upgrade", "head", "--sql"],
                       cwd=project, stdout=fh, check=True)
    program = tmp_path / "floor_program.py"
    program.write_text(floor.FLOOR_PROGRAM, encoding="utf-8")
    versions = project / "migrations" / "versions"
    subprocess.run([sys.executable, str(program), str(versions), str(script), "", "upgrade"], check=True)
    with sqlite3.connect(project / "floor.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "alembic_version" in tables and len(tables) > 1
