"""limbeck.script.formatting against Alembic's recorded renderings (format_matrix.json).

The matrix holds, for three revision shapes x every combination of the graph properties
(head, real head, branch point, merge point) x the ``(current)`` marker, what Alembic's
``Script.cmd_format`` (every flag combination), ``Script._head_only`` (which adds
``head_indicators``) and ``Script.log_entry`` return. Here the same inputs go through
limbeck's functions on a plain object: no script directory involved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from limbeck.script import formatting


@dataclass
class FakeScript:
    """Exactly the attributes formatting reads; graph properties set by hand."""

    revision: str
    down_revision: Any
    dependencies: Any
    branch_labels: set[str]
    nextrev: frozenset[str]
    longdoc: str
    is_head: bool = False
    _is_real_head: bool = False
    is_branch_point: bool = False
    is_merge_point: bool = False
    path: str = "/scripts/r0.py"
    _db_current_indicator: bool | None = None

    @property
    def doc(self) -> str:
        return self.longdoc.split("\n\n", 1)[0]


def _script(
    shape: dict[str, Any], graph: dict[str, bool], current: bool | None
) -> FakeScript:
    down = shape["down_revision"]
    deps = shape["dependencies"]
    return FakeScript(
        revision="r0",
        down_revision=tuple(down) if isinstance(down, list) else down,
        dependencies=tuple(deps) if isinstance(deps, list) else deps,
        branch_labels=set(shape["branch_labels"]),
        nextrev=frozenset(shape["nextrev"]),
        longdoc=(shape["doc"] or "").strip(),
        _db_current_indicator=current,
        is_head=graph["is_head"],
        _is_real_head=graph["_is_real_head"],
        is_branch_point=graph["is_branch_point"],
        is_merge_point=graph["is_merge_point"],
    )


def _render(script: FakeScript, key: str) -> str:
    if key == "log_entry":
        return formatting.log_entry(script)
    kind, _, flags = key.partition(":")
    kw = {
        name: bool(int(value))
        for name, value in (item.split("=") for item in flags.split(","))
    }
    # Alembic's _head_only is cmd_format with a head_indicators switch; limbeck's
    # cmd_format takes that switch directly (default True = Alembic's cmd_format).
    assert kind in ("cmd_format", "head_only")
    return formatting.cmd_format(script, False, **kw)


def test_matrix_is_large_enough(format_matrix: dict[str, Any]) -> None:
    # 3 shapes x 16 graph combinations x 3 current states; 1 + 16 + 32 renderings each
    assert len(format_matrix["rows"]) == 144
    assert len(format_matrix["keys"]) == 49


def test_every_rendering_matches_alembic(format_matrix: dict[str, Any]) -> None:
    mismatches = []
    for row in format_matrix["rows"]:
        script = _script(
            format_matrix["shapes"][row["shape"]], row["graph"], row["current"]
        )
        for key, index in zip(format_matrix["keys"], row["outputs"]):
            expected = format_matrix["strings"][index]
            got = _render(script, key)
            if got != expected:
                mismatches.append(
                    (row["shape"], row["graph"], row["current"], key, expected, got)
                )
    assert not mismatches, json.dumps(mismatches[:5], indent=1)


def test_sets_print_sorted_whatever_the_insertion_order() -> None:
    script = FakeScript(
        "r1",
        "p",
        None,
        {"zeta", "alpha", "mid"},
        frozenset({"n3", "n1", "n2"}),
        "doc",
        is_branch_point=True,
    )
    assert (
        formatting.cmd_format(script, False, include_branches=True)
        == "r1 (alpha, mid, zeta) (branchpoint)"
    )
    entry = formatting.log_entry(script)
    assert "Branches into: n1, n2, n3\n" in entry
    assert "Branch names: alpha, mid, zeta\n" in entry


def test_dependencies_keep_file_order() -> None:
    script = FakeScript("r1", None, ["d2", "d1"], set(), frozenset(), "doc")
    assert (
        formatting.cmd_format(script, False, include_parents=True)
        == "<base> (d2, d1) -> r1"
    )


def test_branch_child_line_is_indented_by_parent_id_width() -> None:
    parent = FakeScript(
        "abc", None, None, set(), frozenset({"c1"}), "", is_branch_point=True
    )
    child = FakeScript(
        "c1",
        "abc",
        None,
        {"lbl"},
        frozenset(),
        "child doc",
        is_head=True,
        _is_real_head=True,
    )
    assert (
        formatting.branch_children_line(parent, child, False)
        == "    -> c1 (lbl) (head)"
    )
    assert (
        formatting.branch_children_line(parent, child, True)
        == "    -> c1 (lbl) (head), child doc"
    )


def test_revision_record_shape() -> None:
    script = FakeScript(
        "r2",
        ("a", "b"),
        "d",
        {"y", "x"},
        frozenset(),
        "Merge\n\nmore",
        is_head=True,
        is_merge_point=True,
    )
    record = formatting.revision_record(script)
    assert record == {
        "revision": "r2",
        "down_revisions": ["a", "b"],
        "next_revisions": [],
        "dependencies": ["d"],
        "branch_labels": ["x", "y"],
        "is_head": True,
        "is_branch_point": False,
        "is_merge_point": True,
        "is_current": None,
        "path": "/scripts/r0.py",
        "doc": "Merge",
        "tags": [],
        "checkpoint": None,
    }
    assert formatting.revision_record(script, current=("r2",))["is_current"] is True
    assert formatting.revision_record(script, current=())["is_current"] is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ()), ("a", ("a",)), (["a", "b"], ("a", "b")), (("a",), ("a",))],
)
def test_to_tuple(value: Any, expected: tuple[str, ...]) -> None:
    assert formatting.to_tuple(value) == expected
