"""Fixtures of the CLI tests: the fixture projects, recorded Alembic output, a click runner."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner, Result

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


def _load_fixture_projects() -> ModuleType:
    name = "limbeck_tests_cli_fixture_projects"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "fixture_projects.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses need the module registered while executing
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fp() -> ModuleType:
    """``tests/cli/fixture_projects.py``: project builders and the output normaliser."""
    return _load_fixture_projects()


@pytest.fixture(scope="session")
def recorded() -> dict[str, Any]:
    """What Alembic printed on the fixture projects (tests/parity/record_cli.py)."""
    data: dict[str, Any] = json.loads(
        (FIXTURES / "cli_outputs.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="session")
def format_matrix() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (FIXTURES / "format_matrix.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture
def make_project(fp: ModuleType, tmp_path: Path) -> Callable[..., Path]:
    """Build a fixture project by name in this test's temp dir; optionally set DB heads."""

    def build(name: str, db_heads: tuple[str, ...] | None = None) -> Path:
        home: Path = fp.build_project(fp.PROJECTS[name], tmp_path)
        if db_heads is not None:
            fp.set_database_heads(home, tuple(db_heads))
        return home

    return build


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the limbeck CLI in-process in a given folder (``invoke(home, "heads", "-v")``)."""
    from limbeck.cli import cli

    monkeypatch.delenv("LIMBECK_CONFIG", raising=False)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def run(cwd: Path, *args: str, **kw: Any) -> Result:
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(
            cli, list(args), prog_name="limbeck", catch_exceptions=False, **kw
        )

    return run


def _new_project(root: Path, template: str = "generic", revisions: dict[str, str] | None = None, doc: str = "") -> Path:
    """``limbeck init`` in ``root``, then one revision file per ``{id: upgrade body}``."""
    from limbeck import command
    from limbeck.config import Config

    command.init(Config(str(root / "limbeck.ini")), str(root / "migrations"), template=template)
    down = None
    for rev, body in (revisions or {}).items():
        (root / "migrations" / "versions" / f"{rev}_r.py").write_text(
            f'"""{rev} {doc}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
            f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n    {body}\n\n\ndef downgrade():\n    pass\n",
            encoding="utf-8",
        )
        down = rev
    return root


@pytest.fixture
def limbeck_project() -> Callable[..., Path]:
    """``limbeck_project(root, template="generic", revisions={"a1": "upgrade body"}, doc="")``:
    a project made by ``limbeck init`` with a linear chain of one-line revisions."""
    return _new_project


def has_runtime() -> bool:
    """Whether the runtime (EnvironmentContext) exists: commands that read the database need it."""
    try:
        return importlib.util.find_spec("limbeck.runtime.environment") is not None
    except ModuleNotFoundError:
        return False
