"""``limbeck init``: what it creates and prints, against what ``alembic init`` did.

limbeck's config file is ``limbeck.ini`` and its templates are its own, so the recorded
Alembic output is compared after renaming ``alembic.ini`` to ``limbeck.ini``, and as a set
of lines (Alembic copies template files in directory-listing order; limbeck sorts them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

Invoke = Callable[..., Result]

INIT_CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "cli_outputs.json").read_text(
        encoding="utf-8"
    )
)["init"]


def _as_limbeck(text: str) -> str:
    return text.replace("alembic.ini", "limbeck.ini")


def _tree(home: Path) -> list[str]:
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if "__pycache__" not in p.parts
    )


@pytest.mark.parametrize("case", INIT_CASES, ids=lambda c: c["name"])
def test_init_like_alembic(
    case: dict[str, Any], invoke: Invoke, tmp_path: Path
) -> None:
    home = tmp_path / case["name"]
    home.mkdir()
    if case["pyproject"] is not None:
        (home / "pyproject.toml").write_text(case["pyproject"], encoding="utf-8")
    result = invoke(home, *case["args"])
    assert result.exit_code == 0, result.stderr
    got = result.stdout.replace(str(home), "<ROOT>")
    assert sorted(got.splitlines()) == sorted(_as_limbeck(case["stdout"]).splitlines())
    assert got.splitlines()[-1] == _as_limbeck(case["stdout"]).splitlines()[-1]
    assert _tree(home) == sorted(_as_limbeck(f) for f in case["files"])
    if case["pyproject"] is not None:
        after = (home / "pyproject.toml").read_text(encoding="utf-8")
        if case["name"] == "pyproject_has_table":
            assert after == case["pyproject"]
            return  # its script_location points nowhere, as the user wrote it
        assert after.startswith(case["pyproject"] + "\n\n[tool.limbeck]")
    # the environment works straight away
    assert invoke(home, "heads").exit_code == 0
    made = invoke(home, "revision", "-m", "first")
    assert made.exit_code == 0, made.stderr
    assert invoke(home, "heads").stdout.endswith(" (head)\n")


@pytest.mark.parametrize("case", INIT_CASES, ids=lambda c: c["name"])
def test_init_as_alembic_writes_alembic_files(
    case: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Alembic's own command landing on limbeck (``LIMBECK_AS_ALEMBIC=1 alembic init``) writes
    Alembic's file and section names, so real Alembic runs the project as it is."""
    from click.testing import CliRunner

    from limbeck.cli import cli

    monkeypatch.delenv("LIMBECK_CONFIG", raising=False)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    home = tmp_path / case["name"]
    home.mkdir()
    if case["pyproject"] is not None:
        (home / "pyproject.toml").write_text(case["pyproject"], encoding="utf-8")
    monkeypatch.chdir(home)
    result = CliRunner().invoke(cli, list(case["args"]), prog_name="alembic", catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    got = result.stdout.replace(str(home), "<ROOT>")
    assert sorted(got.splitlines()) == sorted(case["stdout"].splitlines())
    assert _tree(home) == sorted(case["files"])
    if case["name"] == "pyproject_has_table":
        return  # its script_location points nowhere, as the user wrote it
    alembic_config = pytest.importorskip("alembic.config")
    alembic_script = pytest.importorskip("alembic.script")
    ini = home / "alembic.ini"
    if ini.exists():
        assert re.search(r"^\[alembic\]$", ini.read_text(encoding="utf-8"), re.MULTILINE)
    toml = home / "pyproject.toml"
    if "pyproject" in case["args"]:
        assert "[tool.alembic]" in toml.read_text(encoding="utf-8")
    env_py = (home / "migrations" / "env.py").read_text(encoding="utf-8")
    assert "\nfrom alembic import context\n" in env_py and "from limbeck import" not in env_py
    # real Alembic reads what was written
    config = alembic_config.Config(str(ini), toml_file=str(toml) if toml.exists() else None)
    assert alembic_script.ScriptDirectory.from_config(config).get_heads() == []


def test_script_location_is_relative_to_the_config_file(
    invoke: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "conf").mkdir()
    result = invoke(tmp_path, "-c", "conf/x.ini", "init", "scripts")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "conf" / "x.ini").read_text(encoding="utf-8")
    assert re.search(r"^script_location = %\(here\)s/\.\./scripts$", text, re.MULTILINE)
    assert invoke(tmp_path, "-c", "conf/x.ini", "heads").exit_code == 0


def test_absolute_directory_stays_absolute(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "abs" / "mig"
    result = invoke(tmp_path, "init", str(target))
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "limbeck.ini").read_text(encoding="utf-8")
    assert re.search(
        rf"^script_location = {re.escape(target.as_posix())}$", text, re.MULTILINE
    )


def test_existing_empty_directory_is_used(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "mig").mkdir()
    result = invoke(tmp_path, "init", "mig")
    assert result.exit_code == 0, result.stderr
    assert f"Creating directory {tmp_path / 'mig'} " not in result.stdout
    assert (
        f"Creating directory {tmp_path / 'mig' / 'versions'} ...  done" in result.stdout
    )


def test_existing_config_is_not_overwritten(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "limbeck.ini").write_text(
        "[limbeck]\nscript_location = elsewhere\n", encoding="utf-8"
    )
    result = invoke(tmp_path, "init", "mig")
    assert result.exit_code == 0, result.stderr
    assert f"File {tmp_path / 'limbeck.ini'} already exists, skipping" in result.stdout
    assert (
        (tmp_path / "limbeck.ini").read_text(encoding="utf-8").endswith("elsewhere\n")
    )


def test_quiet_init(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(tmp_path, "-q", "init", "mig")
    assert (result.exit_code, result.stdout) == (0, "")
    assert (tmp_path / "mig" / "env.py").is_file()


@pytest.mark.parametrize(
    ("setup", "args", "words"),
    [
        ("nonempty", ["init", "mig"], ["mig", "not empty"]),
        ("none", ["init", "-t", "nope", "mig"], ["nope", "generic", "pyproject"]),
        ("badtoml", ["init", "-t", "pyproject", "mig"], ["pyproject.toml"]),
    ],
)
def test_init_errors_create_nothing(
    invoke: Invoke, tmp_path: Path, setup: str, args: list[str], words: list[str]
) -> None:
    if setup == "nonempty":
        (tmp_path / "mig").mkdir()
        (tmp_path / "mig" / "keep.txt").write_text("x", encoding="utf-8")
    if setup == "badtoml":
        (tmp_path / "pyproject.toml").write_text(
            "[project\nname = 1\n", encoding="utf-8"
        )
    before = _tree(tmp_path)
    result = invoke(tmp_path, *args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("FAILED: ")
    for word in words:
        assert word in result.stderr
    assert _tree(tmp_path) == before
