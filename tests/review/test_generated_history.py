"""lint, plan and sql on a 300-revision generated history (bench/generate.py): no crash, no failed rule."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import LintFailed

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _generate(tmp_path_factory: pytest.TempPathFactory, portable: bool) -> Path:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from generate import generate

    out = tmp_path_factory.mktemp("history")
    generate(out, 300, "branchy", "limbeck", portable=portable)
    return out


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    # not portable: alter_column and drop_column revisions too, which SQLite takes only in batch mode
    return {portable: _generate(tmp_path_factory, portable) for portable in (True, False)}


@pytest.fixture
def history(histories: dict[bool, Path], dialect: str) -> Path:
    return histories[dialect == "sqlite"]


def _config(root: Path) -> Config:
    return Config(str(root / "limbeck.ini"), stdout=io.StringIO())


def _printed(config: Config) -> str:
    stream = config.stdout
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite", "mysql"])
def test_lint_and_plan(history: Path, dialect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(history)
    config = _config(history)
    try:
        command.lint(config, None, "json", dialect)
    except LintFailed:
        pass  # error findings are a verdict, not a crash
    data = json.loads(_printed(config))
    assert not [f for f in data["findings"] if f["rule"] == "LB000"]
    assert data["stopped"] is None
    config = _config(history)
    command.plan(config, None, "json", dialect)
    plan = json.loads(_printed(config))
    assert len(plan["revisions"]) == 300
    assert plan["script_check"] == "ok"
    assert not [p for p in plan["validation_problems"] if p["verdict"] == "invalid"]
    if dialect == "postgresql":
        assert any(rev["locks"] for rev in plan["revisions"])


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_sql(history: Path, dialect: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(history)
    command.sql(_config(history), None, str(tmp_path / "out"), [dialect])
    assert len(list((tmp_path / "out" / dialect).glob("*.upgrade.sql"))) == 300
