"""``current`` and ``branches`` take ``--format json`` like ``heads`` and ``history``;
``upgrade``/``downgrade --help`` spell out the revision syntax."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

MakeProject = Callable[..., Path]
Invoke = Callable[..., Result]


def test_branches_json_lists_the_branch_points_the_text_shows(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("branchy")
    text = invoke(home, "branches")
    data = json.loads(invoke(home, "branches", "--format", "json").stdout)
    assert text.exit_code == 0 and data
    points = [line.split()[0] for line in text.stdout.splitlines() if line and not line.startswith(" ")]
    assert [record["revision"] for record in data] == points
    for record in data:
        assert record["is_branch_point"] is True
        block = text.stdout.split(record["revision"], 1)[1].split("\n\n")[0]
        assert record["next_revisions"] == sorted(re.findall(r"-> (\w+)", block))


def test_branches_json_of_a_linear_history_is_empty(make_project: MakeProject, invoke: Invoke) -> None:
    assert json.loads(invoke(make_project("linear"), "branches", "--format", "json").stdout) == []


@pytest.mark.parametrize("heads", [(), ("3c2e2d3a4f5b",)])
def test_current_json_lists_the_database_revisions(heads: tuple[str, ...], make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("linear", heads)
    result = invoke(home, "current", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [record["revision"] for record in data] == list(heads)
    assert all(record["is_current"] is True for record in data)
    if heads:
        assert data[0]["down_revisions"] == ["2b1d1c2f3e4a"] and data[0]["next_revisions"] == ["4d3f3e4b5a6c"]


def test_current_json_with_check_heads_still_fails_behind_the_head(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("linear", ("3c2e2d3a4f5b",))
    result = invoke(home, "current", "--check-heads", "--format", "json")
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr == "FAILED: Database is not on all head revisions\n"


def test_json_records_have_the_same_keys_everywhere(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("branchy", ("3f5e9b8c7d6a",))
    keys = set()
    for args in (["heads"], ["history"], ["current"], ["branches"]):
        for record in json.loads(invoke(home, *args, "--format", "json").stdout):
            keys.add(tuple(record))
    assert len(keys) == 1


@pytest.mark.parametrize("verb", ["upgrade", "downgrade"])
def test_help_explains_the_revision_syntax(verb: str, make_project: MakeProject, invoke: Invoke) -> None:
    result = invoke(make_project("linear"), verb, "--help")
    assert result.exit_code == 0
    for form in ("head", "base", "+2", "-1", "ae10+2", "branch@head", "start:end"):
        assert re.search(rf"(^|[\s,]){re.escape(form)}([\s,]|$)", result.stdout), form
