"""Real Alembic 1.20.1 (run as a black box) on a squashed project: before and after the old files go.

While the replaced files are in versions/, Alembic never sees the checkpoint (it lives in
checkpoints/): heads, history and upgrades are what they were before the squash. Once the
replaced files are deleted and the checkpoint is moved into versions/, it is a plain base
revision to Alembic (``replaces`` is just a module attribute it ignores), with the id the
later revisions already name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from .conftest import BRANCHY, Project

MakeProject = Callable[..., Project]


def _alembic(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALEMBIC_CONFIG", "LIMBECK_CONFIG")}
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(project.root / "alembic.ini"), *args],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def _alembic_project(project: Project) -> Project:
    """The same history as an Alembic project (alembic.ini, env.py and revisions importing alembic)."""
    migrations = project.root / "migrations"
    (project.root / "limbeck.ini").rename(project.root / "alembic.ini")
    project.config_name = "alembic.ini"
    ini = project.root / "alembic.ini"
    ini.write_text(ini.read_text().replace("[limbeck]", "[alembic]"))
    for path in [migrations / "env.py", migrations / "script.py.mako", *project.versions.glob("*.py")]:
        text = path.read_text().replace("from limbeck import", "from alembic import")
        path.write_text(text.replace('"from " + package + " import op"', '"from alembic import op"'))
    return project


def _schema(url: str) -> list[tuple[str, list[str]]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        tables = sorted(t for t in inspector.get_table_names() if t != "alembic_version")
        found = [(t, [f"{c['name']} {c['type']}" for c in inspector.get_columns(t)]) for t in tables]
    engine.dispose()
    return found


def _squashed(project: Project) -> Project:
    project = _alembic_project(project)
    before = (_alembic(project, "heads").stdout, _alembic(project, "history").stdout)
    out = project.run("squash", "base:e5", message="checkpoint")
    assert "builds the same database" in out
    assert "from alembic import op" in project.checkpoint_file().read_text()
    assert (_alembic(project, "heads").stdout, _alembic(project, "history").stdout) == before
    return project


def test_alembic_runs_the_old_files_while_they_are_there(make_project: MakeProject, tmp_path: Path) -> None:
    project = _squashed(make_project())
    result = _alembic(project, "upgrade", "head")
    assert result.returncode == 0, result.stderr
    assert _heads(project.url) == ["f6"]
    theirs = _schema(project.url)
    ours_url = f"sqlite:///{tmp_path / 'ours.db'}"
    project.run("upgrade", "head", db_url=ours_url)
    assert _schema(ours_url) == theirs


def test_alembic_takes_the_checkpoint_as_a_plain_revision_once_the_old_files_are_gone(make_project: MakeProject) -> None:
    project = _squashed(make_project())
    at_e5 = f"sqlite:///{project.root / 'at_e5.db'}"
    assert _alembic(project, "upgrade", "e5").returncode == 0  # the old files, into app.db
    shutil.copy(project.url.removeprefix("sqlite:///"), at_e5.removeprefix("sqlite:///"))
    checkpoint = project.checkpoint_file()
    for rev in BRANCHY[:5]:
        (project.versions / f"{rev.rev}_revision.py").unlink()
    shutil.rmtree(project.versions / "__pycache__", ignore_errors=True)
    checkpoint.rename(project.versions / checkpoint.name)
    heads = _alembic(project, "heads")
    assert heads.returncode == 0 and heads.stdout == "f6 (head)\n"
    history = _alembic(project, "history")
    assert history.stdout == "e5 -> f6 (head), add done\n<base> -> e5, checkpoint\n"
    assert project.run("history") == history.stdout  # limbeck reads it the same way
    assert _alembic(project, "upgrade", "head").returncode == 0  # app.db was at e5: it carries on
    assert _heads(project.url) == ["f6"]
    fresh = project.root / "fresh.db"
    result = _alembic_at(project, f"sqlite:///{fresh}", "upgrade", "head")
    assert result.returncode == 0, result.stderr
    assert _heads(f"sqlite:///{fresh}") == ["f6"]
    assert _schema(f"sqlite:///{fresh}") == _schema(project.url)
    assert _alembic_at(project, f"sqlite:///{fresh}", "downgrade", "base").returncode == 0
    assert _schema(f"sqlite:///{fresh}") == []


def _heads(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = sorted(r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version")))
    engine.dispose()
    return rows


def _alembic_at(project: Project, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    ini = project.root / "alembic.ini"
    original = ini.read_text()
    lines = [f"sqlalchemy.url = {url}" if line.startswith("sqlalchemy.url") else line for line in original.splitlines()]
    ini.write_text("\n".join(lines) + "\n")
    try:
        return _alembic(project, *args)
    finally:
        ini.write_text(original)
