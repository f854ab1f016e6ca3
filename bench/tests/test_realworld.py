"""bench/realworld.py: which commands it times on a history, and the child it times them in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import realworld

ALEMBIC = Path(sys.executable).parent / "alembic"


def _history(dialects: tuple[str, ...], skipped: dict[tuple[str, str], bool], *, sql: bool = True,
             downgrade: bool = True) -> SimpleNamespace:
    return SimpleNamespace(key="main", dialects=dialects, sql=sql, downgrade=downgrade,
                           skipped=lambda direction, dialect: skipped.get((direction, dialect), False))


def test_ranges_go_to_the_first_database_alembic_renders_whole() -> None:
    project = SimpleNamespace(name="p")
    history = _history(("postgresql", "mysql"), {("upgrade", "postgresql"): True, ("downgrade", "postgresql"): True,
                                                 ("downgrade", "mysql"): True})
    cases = realworld._cases(project, history)
    assert [(c.args, c.dialect, c.cold) for c in cases] == [
        (("heads",), "postgresql", True), (("heads",), "postgresql", False),
        (("history",), "postgresql", True), (("history",), "postgresql", False),
        (("upgrade", "base:heads", "--sql"), "mysql", True), (("upgrade", "base:heads", "--sql"), "mysql", False),
    ]
    online_only = _history(("sqlite",), {}, sql=False)
    assert {c.args[0] for c in realworld._cases(project, online_only)} == {"heads", "history"}
    # a history the suite runs online on SQLite: `upgrade heads` into a file, cold and warm
    online = realworld._cases(SimpleNamespace(name="optuna"), online_only)
    assert [(c.args, c.dialect, c.online) for c in online if c.online] == [(("upgrade", "heads"), "sqlite", True)] * 2
    assert not any(c.online for c in cases)


@pytest.mark.skipif(not ALEMBIC.exists(), reason="alembic (the bench extra) is not installed")
def test_the_child_stubs_application_imports_only_when_a_revision_makes_one(tmp_path: Path) -> None:
    """Alembic's `heads` imports the revisions (stubs needed); limbeck's imports none (nor SQLAlchemy)."""
    from tests.realworld.harness import Workspace, history_folders
    from tests.realworld.projects import PROJECTS

    project = next(p for p in PROJECTS if p.name == "sahara")
    history = project.histories[0]
    workspace = Workspace(tmp_path / "w", project, history, history_folders(project, history))
    program = tmp_path / "child.py"
    program.write_text(realworld.CHILD, encoding="utf-8")
    heads = {}
    for tool in ("alembic", "limbeck"):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", str(program), tool, str(realworld.ROOT),
             ",".join(sorted(project.stub_roots)), project.name, "heads"],
            cwd=workspace.root, capture_output=True, text=True,
        )
        assert done.returncode == 0, done.stderr[-1500:]
        heads[tool] = done.stdout
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        assert ("tests.realworld.stubs" in imported) == (tool == "alembic")
        assert ("sqlalchemy" in imported) == (tool == "alembic")
    assert heads["alembic"] == heads["limbeck"] != ""
