"""Documented revision-graph behaviour, on the examples of Alembic's docs, and its cost.

Exact parity with Alembic is covered by ``test_revision_parity.py``; this
module spells out the behaviours users rely on, so a failure reads as a
sentence, and checks that work grows linearly with the history (by counting
link reads, never by timing).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from limbeck.script.revision import Revision, RevisionMap


def make(*revs: tuple[Any, ...]) -> RevisionMap:
    built = [Revision(*r) for r in revs]
    return RevisionMap(lambda: built)


def ids(revs: Any) -> list[Any]:
    return [r.revision if isinstance(r, Revision) else r for r in revs]


@pytest.fixture
def branches() -> RevisionMap:
    """The "Working with Branches" history: a branch point, two heads, labels."""
    return make(
        ("1975ea83b712", None),
        ("ae1027a6acf", "1975ea83b712"),
        ("27c6a30d7c24", "1975ea83b712", None, "shoppingcart"),
        ("d747a8a8879", "27c6a30d7c24"),
        ("53fffde5ad5", "ae1027a6acf"),
    )


def test_heads_bases_and_points(branches: RevisionMap) -> None:
    assert branches.heads == ("d747a8a8879", "53fffde5ad5")
    assert branches.bases == ("1975ea83b712",)
    root = branches.get_revision("1975ea83b712")
    assert root is not None and root.is_branch_point and root.is_base and not root.is_head
    assert branches.get_revision("53fffde5ad5").is_head  # type: ignore[union-attr]


def test_history_lists_newest_first_one_branch_at_a_time(branches: RevisionMap) -> None:
    order = ids(branches.iterate_revisions("heads", "base", inclusive=True))
    assert order == ["d747a8a8879", "27c6a30d7c24", "53fffde5ad5", "ae1027a6acf", "1975ea83b712"]


def test_branch_label_covers_the_branch(branches: RevisionMap) -> None:
    labelled = {rid for rid in ids(branches.iterate_revisions("heads", "base", inclusive=True))
                if "shoppingcart" in branches.get_revision(rid).branch_labels}  # type: ignore[union-attr]
    assert labelled == {"27c6a30d7c24", "d747a8a8879"}
    assert branches.get_current_head("shoppingcart") == "d747a8a8879"
    assert ids(branches.get_revisions("shoppingcart@head")) == ["d747a8a8879"]


def test_label_runs_down_a_plain_line_to_the_base() -> None:
    rmap = make(("a000", None), ("b000", "a000"), ("c000", "b000", None, "L"), ("d000", "c000"))
    assert all("L" in rmap.get_revision(r).branch_labels for r in ("a000", "b000", "c000", "d000"))  # type: ignore[union-attr]


def test_partial_identifiers(branches: RevisionMap) -> None:
    assert ids(branches.get_revisions("ae10")) == ["ae1027a6acf"]
    assert ids(branches.get_revisions("shoppingcart@d74")) == ["d747a8a8879"]


@pytest.mark.parametrize(
    ("upper", "lower", "expected"),
    [
        ("ae1027a6acf+1", "base", ["53fffde5ad5", "ae1027a6acf", "1975ea83b712"]),
        ("shoppingcart@+1", "1975ea83b712", ["27c6a30d7c24"]),
        ("heads", "1975ea83b712", ["d747a8a8879", "27c6a30d7c24", "53fffde5ad5", "ae1027a6acf"]),
    ],
)
def test_relative_upgrades(branches: RevisionMap, upper: str, lower: str, expected: list[str]) -> None:
    assert ids(branches.iterate_revisions(upper, lower, implicit_base=True)) == expected


def test_relative_downgrade_stays_on_its_branch(branches: RevisionMap) -> None:
    heads = ("d747a8a8879", "53fffde5ad5")
    removed = ids(branches.iterate_revisions(heads, "shoppingcart@-1", select_for_downgrade=True))
    assert removed == ["d747a8a8879"]


def test_get_revisions_minus_n_walks_each_head(branches: RevisionMap) -> None:
    assert ids(branches.get_revisions("-1")) == ["27c6a30d7c24", "ae1027a6acf"]
    assert ids(branches.get_revisions("-3")) == ["base", "base"]


def test_depends_on_a_branch_label() -> None:
    rmap = make(
        ("1975ea83b712", None, None, "account"),
        ("55af2cb1c267", "1975ea83b712"),
        ("3cac04ae8714", None, None, "networking"),
        ("2a95102259be", "3cac04ae8714", "account"),
    )
    net = rmap.get_revision("2a95102259be")
    assert net is not None and net._resolved_dependencies == ("1975ea83b712",)
    # Dependencies are upgraded first, but the streams stay separate heads.
    assert ids(rmap.iterate_revisions("networking@head", "base")) == ["2a95102259be", "3cac04ae8714", "1975ea83b712"]
    assert rmap.heads == ("55af2cb1c267", "2a95102259be")
    assert rmap.real_bases == ("1975ea83b712", "3cac04ae8714")


def test_redundant_dependency_is_normalised_away() -> None:
    rmap = make(("a000", None), ("x000", None), ("b000", "a000", "x000"), ("c000", "b000", "x000"))
    c = rmap.get_revision("c000")
    assert c is not None
    assert c._resolved_dependencies == ("x000",)
    assert c._normalized_resolved_dependencies == ()
    assert c._normalized_down_revisions == ("b000",)


def test_add_revision_updates_heads(branches: RevisionMap) -> None:
    branches.heads
    branches.add_revision(Revision("ffff0001", ("d747a8a8879", "53fffde5ad5")))
    assert branches.heads == ("ffff0001",)
    merge = branches.get_revision("ffff0001")
    assert merge is not None and merge.is_merge_point


# ---- cost ---------------------------------------------------------------------


class CountingRevision(Revision):
    """Counts every read of a link tuple, the unit of work of all traversals."""

    reads = 0

    @property
    def _normalized_down_revisions(self) -> tuple[str, ...]:
        CountingRevision.reads += 1
        return super()._normalized_down_revisions

    @property
    def _versioned_down_revisions(self) -> tuple[str, ...]:
        CountingRevision.reads += 1
        return super()._versioned_down_revisions

    @property
    def _all_down_revisions(self) -> tuple[str, ...]:
        CountingRevision.reads += 1
        return super()._all_down_revisions


def branchy_history(size: int) -> list[CountingRevision]:
    """Long history with a side branch merged back every 50 revisions and a dependency every 97."""
    revs: list[CountingRevision] = []
    tip = "r0"
    revs.append(CountingRevision(tip, None))
    for i in range(1, size):
        name = f"r{i}"
        if i % 50 == 10:
            side = f"s{i}"
            revs.append(CountingRevision(side, tip))
            down: Any = (revs[-2].revision, side)
        else:
            down = tip
        deps = f"r{i - 40}" if i % 97 == 0 else None
        revs.append(CountingRevision(name, down, deps))
        tip = name
    return revs


def work_for(size: int) -> int:
    revs = branchy_history(size)
    rmap = RevisionMap(lambda: revs)
    CountingRevision.reads = 0
    assert len(rmap.heads) == 1
    history = list(rmap.iterate_revisions("heads", "base", inclusive=True))
    upgrade = list(rmap.iterate_revisions("heads", None, implicit_base=True))
    downgrade = list(rmap.iterate_revisions("heads", "base", select_for_downgrade=True))
    assert len(history) == len(upgrade) == len(downgrade) == len(revs)
    return CountingRevision.reads


def test_work_grows_linearly() -> None:
    small, large = work_for(500), work_for(4_000)
    assert large < 9 * small, (small, large)


def test_ten_thousand_revisions() -> None:
    revs = [Revision(f"c{i:05d}", f"c{i - 1:05d}" if i else None) for i in range(10_000)]
    rmap = RevisionMap(lambda: revs)
    assert rmap.heads == ("c09999",) and rmap.bases == ("c00000",)
    history = ids(rmap.iterate_revisions("heads", "base", inclusive=True))
    assert history == [f"c{i:05d}" for i in reversed(range(10_000))]
    assert ids(rmap.iterate_revisions("c05000", "c04990")) == [f"c{i:05d}" for i in range(5000, 4990, -1)]


def test_no_sqlalchemy_import() -> None:
    code = (
        "import sys, limbeck.script.revision as r;"
        "m = r.RevisionMap(lambda: [r.Revision('a', None)]); m.heads;"
        "print('sqlalchemy' in sys.modules, 'mako' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
