"""Every name Alembic's documentation shows at an import path imports from that path on limbeck.

``doc_paths/paths.txt`` lists the ``alembic.x.y.Name`` paths of the reference pages
(``doc_paths/record.py``). For each path real Alembic resolves, the same path must
resolve while an env.py runs (``import alembic...`` answered by limbeck), and so must
the module where Alembic defines the object (``alembic.script.ScriptDirectory`` is
defined in ``alembic.script.base``, and env.py files import it from there).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from limbeck.compat import alembic_aliases

HERE = Path(__file__).resolve().parent / "doc_paths"
DOC_PATHS = (HERE / "paths.txt").read_text(encoding="utf-8").split()

@functools.cache
def _record_module() -> Any:
    spec = importlib.util.spec_from_file_location("limbeck_tests_doc_paths_record", HERE / "record.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def alembic_answers() -> dict[str, str | None]:
    run = subprocess.run(
        [sys.executable, str(HERE / "record.py"), "--alembic"], input=json.dumps(DOC_PATHS),
        capture_output=True, text=True, check=True, timeout=120,
    )
    answers: dict[str, str | None] = json.loads(run.stdout)
    return answers


def test_the_list_is_what_the_reference_pages_show() -> None:
    record = _record_module()
    pages = record.reference_dir()
    if pages is None:
        pytest.skip("the reference pages are not beside this checkout")
    assert record.extract(pages) == DOC_PATHS, "run tests/script/doc_paths/record.py"


def test_the_list_covers_the_documented_objects(alembic_answers: dict[str, str | None]) -> None:
    assert "alembic.script.ScriptDirectory" in alembic_answers
    assert "alembic.runtime.migration.MigrationContext" in alembic_answers
    assert len(alembic_answers) >= 70


@pytest.mark.parametrize("dotted", DOC_PATHS)
def test_documented_path_imports_under_limbeck(dotted: str, alembic_answers: dict[str, str | None]) -> None:
    assert dotted in alembic_answers, f"{dotted} is no import path in Alembic: record.py's NOT_A_PATH should drop it"
    wanted = [dotted]
    defined = alembic_answers[dotted]
    if defined is not None and "<locals>" not in defined:
        wanted.append(defined)
    with alembic_aliases():
        for path in wanted:
            obj = _record_module().resolve(path)
            assert obj is not None, path
            module = getattr(obj, "__module__", "") or ""
            assert not module.startswith("alembic"), f"{path} resolved to real Alembic ({module})"


def test_an_env_py_importing_from_alembic_script_base_runs(tmp_path: Path) -> None:
    """The report that started this: ``from alembic.script.base import ScriptDirectory`` in env.py."""
    from click.testing import CliRunner

    from limbeck import command
    from limbeck.cli import cli
    from limbeck.config import Config

    command.init(Config(str(tmp_path / "limbeck.ini")), str(tmp_path / "migrations"))
    env_py = tmp_path / "migrations" / "env.py"
    env_py.write_text(
        "from alembic.script.base import ScriptDirectory\n"
        "from alembic import context\n"
        "print(ScriptDirectory.from_config(context.config).get_heads())\n"
        + env_py.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "limbeck.ini"), "current"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == "[]\n"
