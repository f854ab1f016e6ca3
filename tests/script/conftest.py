"""Fixtures for the script-directory tests: throwaway migration environments."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "limbeck" / "script" / "templates"


def revision_source(
    rev: str,
    down: object = None,
    *,
    doc: str | None = None,
    labels: object = None,
    depends_on: object = None,
    body: str = "",
) -> str:
    """The text of a small revision file with literal headers."""
    doc_text = f'"""{doc if doc is not None else "rev " + rev}\n"""\n'
    return (
        doc_text
        + f"revision = {rev!r}\n"
        + f"down_revision = {down!r}\n"
        + f"branch_labels = {labels!r}\n"
        + f"depends_on = {depends_on!r}\n"
        + "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
        + textwrap.dedent(body)
    )


@pytest.fixture
def script_dir(tmp_path: Path) -> Path:
    """An empty environment: the generic script.py.mako and a versions/ folder."""
    env = tmp_path / "migrations"
    (env / "versions").mkdir(parents=True)
    shutil.copy(TEMPLATES / "generic" / "script.py.mako", env / "script.py.mako")
    return env


@pytest.fixture
def write_rev(script_dir: Path) -> Callable[..., Path]:
    """Write a revision file into ``versions/`` (or ``folder=``) and return its path."""

    def write(filename: str, rev: str, down: object = None, folder: Path | None = None, **kw: object) -> Path:
        path = (folder or script_dir / "versions") / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(revision_source(rev, down, **kw), encoding="utf-8")  # type: ignore[arg-type]
        return path

    return write


@pytest.fixture
def read_only(project: Path) -> Iterator[Path]:
    """The module's ``project`` made read-only: immutable folders as root (root ignores modes), else no
    write bit."""
    folders = [project, *(p for p in project.rglob("*") if p.is_dir())]
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(project)], capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot make a folder read-only for root here (chattr +i)")
        subprocess.run([chattr, "+i", *map(str, folders[1:])], check=True)
        undo = [chattr, "-i", *map(str, folders)]
    else:
        for folder in folders:
            folder.chmod(0o555)
        undo = ["chmod", "-R", "u+w", str(project)]
    try:
        yield project
    finally:
        subprocess.run(undo, check=True)
