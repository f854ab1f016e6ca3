"""Used as a library, progress follows the program's logging, as Alembic's does.

The same fixture project is upgraded by ``alembic.command.upgrade`` and by
``limbeck.command.upgrade`` in programs that configure logging themselves; the
``Context impl ...``, ``Will assume ...`` and ``Running ...`` records must carry the same messages, on ``alembic.runtime.migration``
and ``limbeck.runtime.migration`` respectively, and nothing else may reach stderr.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixture_projects.py"

PROGRAM = """
import logging, sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(name)s|%(levelname)s|%(message)s")
from {package} import command
from {package}.config import Config
command.upgrade(Config("alembic.ini"), {up!r})
command.downgrade(Config("alembic.ini"), {down!r})
"""


def _fixture_projects() -> ModuleType:
    spec = importlib.util.spec_from_file_location("limbeck_tests_runtime_fixture_projects", FIXTURES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _run(package: str, home: Path, up: str, down: str) -> tuple[list[str], str]:
    run = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(package=package, up=up, down=down)], cwd=home,
        capture_output=True, text=True, timeout=120, check=True,
    )
    # every record of the migration logger: "Context impl ...", "Will assume ...", "Running ..."
    records = [line for line in run.stdout.splitlines() if line.split("|", 1)[0].endswith(".runtime.migration")]
    return records, run.stderr


@pytest.mark.parametrize("project, up, down", [("linear", "head", "-2"), ("branchy", "heads", "base")])
def test_progress_records_match_alembics(project: str, up: str, down: str, tmp_path: Path) -> None:
    fp = _fixture_projects()
    theirs, theirs_err = _run("alembic", fp.build_project(fp.PROJECTS[project], tmp_path / "alembic"), up, down)
    ours, ours_err = _run("limbeck", fp.build_project(fp.PROJECTS[project], tmp_path / "limbeck"), up, down)
    assert theirs and ours_err == "" and theirs_err == ""
    expected = [line.replace("alembic.runtime.migration|", "limbeck.runtime.migration|") for line in theirs]
    if project == "branchy":  # independent branches: Alembic's order follows set order
        ours, expected = sorted(ours), sorted(expected)
    assert ours == expected
