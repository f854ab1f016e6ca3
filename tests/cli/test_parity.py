"""limbeck's CLI output against what Alembic printed on the same projects.

``tests/cli/fixtures/cli_outputs.json`` comes from ``tests/parity/record_cli.py``.
Successful commands must print exactly what Alembic printed (after
``fixture_projects.normalise_output``; where Alembic's own order depends on the hash
seed, any order it was seen to print is accepted). Failing commands are compared on
meaning: non-zero exit, one ``FAILED:`` line on stderr naming the thing at fault.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import Result

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "cli_outputs.json").read_text(
        encoding="utf-8"
    )
)["cases"]


def _case_id(case: dict[str, Any]) -> str:
    db = (
        ""
        if case["db_heads"] is None
        else f"[db={','.join(h[:4] for h in case['db_heads']) or 'empty'}]"
    )
    return f"{case['project']}{db}:{' '.join(case['args'])}"


def _run(
    case: dict[str, Any],
    make_project: Callable[..., Path],
    invoke: Callable[..., Result],
    tmp_path: Path,
) -> tuple[Path, Result]:
    if case["project"] == "nowhere":
        home = tmp_path / "nowhere"
        home.mkdir()
    else:
        db_heads = None if case["db_heads"] is None else tuple(case["db_heads"])
        home = make_project(case["project"], db_heads)
    return home, invoke(home, *case["args"], env={"EDITOR": "true"})


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["kind"] == "exact"], ids=_case_id
)
def test_output_matches_alembic(
    case: dict[str, Any],
    fp: ModuleType,
    make_project: Callable[..., Path],
    invoke: Callable[..., Result],
    tmp_path: Path,
) -> None:
    home, result = _run(case, make_project, invoke, tmp_path)
    assert result.exit_code == 0, result.stderr
    got = fp.normalise_output(result.stdout, str(home))
    variants = case["stdout_variants"]
    if len(variants) == 1:
        assert got == variants[0]
    else:
        assert got in variants, f"not one of Alembic's {len(variants)} orders:\n{got}"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["kind"] == "error"], ids=_case_id
)
def test_error_means_what_alembic_means(
    case: dict[str, Any],
    make_project: Callable[..., Path],
    invoke: Callable[..., Result],
    tmp_path: Path,
) -> None:
    _home, result = _run(case, make_project, invoke, tmp_path)
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("FAILED: ")
    for word in case["names"]:
        assert word in lines[0]
    assert result.stdout == ""


def test_fixture_covers_the_brief(fp: ModuleType) -> None:
    """The recorded cases exercise every range form and error kind the CLI promises."""
    ranges = {
        a.split("=", 1)[1]
        for c in CASES
        for a in c["args"]
        if a.startswith("--rev-range=")
    }
    for form in ("-3:", "current:", ":current", "base:+2", "feature@head:", "heads:"):
        assert form in ranges
    assert any(c["kind"] == "exact" and c["args"][0] == "branches" for c in CASES)
    assert {c["project"] for c in CASES} >= set(fp.PROJECTS) | {"nowhere"}
