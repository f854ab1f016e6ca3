"""Every error the revision graph raises: its class, attributes and one-line message.

Messages are Alembic's wording (recorded from Alembic 1.20, see
``tests/parity/record_revisions.py``) where Alembic has one; the others are
limbeck's, for cases where Alembic fails with an internal assertion.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import pytest

from limbeck.errors import LimbeckError, LimbeckWarning
from limbeck.script.revision import (
    CycleDetected,
    DependencyCycleDetected,
    DependencyLoopDetected,
    LoopDetected,
    MissingRevisionError,
    MultipleHeads,
    RangeNotAncestorError,
    ResolutionError,
    Revision,
    RevisionError,
    RevisionMap,
)

ALL_ERRORS = [
    RevisionError,
    RangeNotAncestorError,
    MultipleHeads,
    ResolutionError,
    CycleDetected,
    DependencyCycleDetected,
    LoopDetected,
    DependencyLoopDetected,
    MissingRevisionError,
]


def make(*revs: tuple[Any, ...]) -> RevisionMap:
    built = [Revision(*r) for r in revs]
    return RevisionMap(lambda: built)


def branchy() -> RevisionMap:
    """a -> b -> {c1 -> c2 (label L), d1 (label D)}; x (label X) depends on b."""
    return make(
        ("aaaa1", None),
        ("bbbb1", "aaaa1"),
        ("cccc1", "bbbb1"),
        ("cccc2", "cccc1", None, "L"),
        ("dddd1", "bbbb1", None, "D"),
        ("xxxx1", None, "bbbb1", "X"),
    )


def build(rmap: RevisionMap) -> None:
    rmap.heads


def one_line(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text and text
    return text


@pytest.mark.parametrize("error", ALL_ERRORS)
def test_every_error_is_a_limbeck_error(error: type[Exception]) -> None:
    assert issubclass(error, LimbeckError)
    assert issubclass(error, RevisionError)


def test_hierarchy_matches_alembic() -> None:
    assert DependencyLoopDetected.__mro__[1:5] == (
        DependencyCycleDetected,
        LoopDetected,
        CycleDetected,
        RevisionError,
    )
    assert issubclass(MissingRevisionError, KeyError)


# ---- Revision construction ----------------------------------------------


@pytest.mark.parametrize(
    ("rev_id", "shown"),
    [("a-b", "-"), ("a+b", "+"), ("a@b", "@"), ("a:b", ":"), ("a-b+c@d", "+, -, @")],
)
def test_illegal_characters(rev_id: str, shown: str) -> None:
    with pytest.raises(RevisionError) as err:
        Revision(rev_id, None)
    assert one_line(err.value) == f"Character(s) '{shown}' not allowed in revision identifier '{rev_id}'"


def test_self_loop() -> None:
    with pytest.raises(LoopDetected) as err:
        Revision("aaaa", ("bbbb", "aaaa"))
    assert err.value.revisions == ["aaaa"]
    assert one_line(err.value) == "Self-loop is detected in revisions (aaaa)"


def test_dependency_self_loop() -> None:
    with pytest.raises(DependencyLoopDetected) as err:
        Revision("aaaa", None, dependencies=("x", "aaaa"))
    assert err.value.revisions == ["aaaa"]
    assert one_line(err.value) == "Dependency self-loop is detected in revisions (aaaa)"


# ---- building the map --------------------------------------------------


def test_cycle_lists_the_stranded_revisions_sorted() -> None:
    rmap = make(("x000", None), ("b000", "a000"), ("a000", ("b000", "x000")), ("c000", "x000"))
    with pytest.raises(CycleDetected) as err:
        build(rmap)
    assert type(err.value) is CycleDetected
    assert err.value.revisions == ["a000", "b000"]
    assert one_line(err.value) == "Cycle is detected in revisions (a000, b000)"


def test_cycle_without_any_base_lists_everything() -> None:
    rmap = make(("bbbb", "aaaa"), ("aaaa", "bbbb"))
    with pytest.raises(CycleDetected) as err:
        build(rmap)
    assert err.value.revisions == ["bbbb", "aaaa"]


def test_cycle_reached_from_both_ends_is_still_a_cycle() -> None:
    rmap = make(("x000", None), ("y000", ("x000", "z000")), ("z000", "y000"), ("h000", "z000"))
    with pytest.raises(CycleDetected) as err:
        build(rmap)
    assert err.value.revisions == ["y000", "z000"]


def test_dependency_cycle() -> None:
    rmap = make(("z000", None), ("q000", None, "r000"), ("r000", None, "s000"), ("s000", None, "q000"))
    with pytest.raises(DependencyCycleDetected) as err:
        build(rmap)
    assert one_line(err.value) == "Dependency cycle is detected in revisions (q000, r000, s000)"


def test_dangling_down_revision() -> None:
    rmap = make(("aaaa", None), ("bbbb", "zzzz"))
    with pytest.raises(MissingRevisionError) as err:
        build(rmap)
    assert one_line(err.value) == "Revision zzzz referenced from bbbb is not present"
    assert err.value.argument == "zzzz"
    assert err.value.referenced_from == "bbbb"
    with pytest.raises(KeyError):  # code written for Alembic catches KeyError
        make(("aaaa", None), ("bbbb", "zzzz")).heads


def test_dangling_dependency() -> None:
    with pytest.raises(MissingRevisionError, match="Revision zzzz referenced from bbbb is not present"):
        build(make(("aaaa", None), ("bbbb", "aaaa", "zzzz")))


def test_down_revision_cannot_name_a_branch_label() -> None:
    with pytest.raises(MissingRevisionError, match="Revision L referenced from bbbb"):
        build(make(("aaaa", None, None, "L"), ("bbbb", "L")))


@pytest.mark.parametrize(
    ("revs", "message"),
    [
        ([("aaaa", None, None, "L"), ("bbbb", "aaaa", None, "L")], "Branch name 'L' in revision bbbb already used by revision aaaa"),
        ([("aaaa", None, None, "bbbb"), ("bbbb", "aaaa")], "Branch name 'bbbb' in revision aaaa already used by revision bbbb"),
        ([("aaaa", None, None, ("q", "q"))], "Branch name 'q' in revision aaaa already used by revision aaaa"),
    ],
)
def test_duplicate_branch_label(revs: list[tuple[Any, ...]], message: str) -> None:
    with pytest.raises(RevisionError) as err:
        build(make(*revs))
    assert one_line(err.value) == message


def test_duplicate_revision_warns() -> None:
    with pytest.warns(LimbeckWarning, match="Revision aaaa is present more than once"):
        build(make(("aaaa", None), ("aaaa", None), ("bbbb", "aaaa")))


# ---- resolving identifiers ---------------------------------------------


def test_multiple_heads() -> None:
    rmap = branchy()
    with pytest.raises(MultipleHeads) as err:
        rmap.get_revision("head")
    assert err.value.heads == ("cccc2", "dddd1", "xxxx1")
    assert err.value.argument == "head"
    assert one_line(err.value) == "Multiple heads are present for given argument 'head'; cccc2, dddd1, xxxx1"


def test_multiple_heads_on_a_branch() -> None:
    with pytest.raises(MultipleHeads) as err:
        branchy().get_current_head("aaaa1")
    assert err.value.argument == "aaaa1@head"


def test_get_revision_of_several_ids() -> None:
    with pytest.raises(MultipleHeads) as err:
        branchy().get_revision(("cccc1", "dddd1"))  # type: ignore[arg-type]
    assert err.value.heads == ("cccc1", "dddd1")


def test_unknown_revision_short_prefix_hint() -> None:
    with pytest.raises(ResolutionError) as err:
        branchy().get_revision("zz")
    assert err.value.argument == "zz"
    assert one_line(err.value) == (
        "No such revision or branch 'zz'; please ensure at least four characters are present "
        "for partial revision identifier matches"
    )


def test_unknown_revision_long() -> None:
    with pytest.raises(ResolutionError, match=r"^No such revision or branch 'zzzzzz'$"):
        branchy().get_revision("zzzzzz")


def test_ambiguous_prefix_lists_candidates() -> None:
    rmap = make(("abc111", None), ("abc222", "abc111"), ("abc2229", "abc222"), ("abd333", "abc222"))
    with pytest.raises(ResolutionError) as err:
        rmap.get_revision("abc")
    assert one_line(err.value) == "Multiple revisions start with 'abc': 'abc111', 'abc222', 'abc2229'..."
    assert rmap.get_revision("abd").revision == "abd333"  # type: ignore[union-attr]


def test_empty_identifier() -> None:
    with pytest.raises(ResolutionError, match="No such revision or branch ''"):
        branchy().get_revision("")


def test_revision_not_on_branch() -> None:
    with pytest.raises(ResolutionError) as err:
        branchy().get_revision("L@dddd1")
    assert one_line(err.value) == "Revision dddd1 is not a member of branch 'L'"


def test_no_such_branch() -> None:
    with pytest.raises(ResolutionError) as err:
        branchy().get_revision("nolabel@cccc1")
    assert err.value.argument == "nolabel"
    assert one_line(err.value) == "No such branch: 'nolabel'"


@pytest.mark.parametrize("bad", [5, b"aaaa1", ["aaaa1"]])
def test_identifier_not_a_string(bad: object) -> None:
    with pytest.raises(RevisionError, match="is not a string; ensure database driver settings are correct"):
        branchy().get_revision(bad)  # type: ignore[arg-type]


# ---- walking and ranges --------------------------------------------------


def test_ambiguous_walk() -> None:
    with pytest.raises(RevisionError, match="^Ambiguous walk$"):
        branchy()._walk("bbbb1", 1)


def test_relative_upgrade_too_far() -> None:
    with pytest.raises(RevisionError) as err:
        list(make(("aaaa", None), ("bbbb", "aaaa")).iterate_revisions("+3", "aaaa"))
    assert one_line(err.value) == "Relative revision +3 didn't produce 3 migrations"


def test_relative_upgrade_from_several_heads() -> None:
    with pytest.raises(RevisionError, match="^Ambiguous upgrade from multiple current revisions$"):
        list(branchy().iterate_revisions("+1", ("cccc1", "dddd1")))


def test_relative_downgrade_too_far() -> None:
    with pytest.raises(RevisionError, match="^Relative revision -3 didn't produce 3 migrations$"):
        list(make(("aaaa", None), ("bbbb", "aaaa")).iterate_revisions("bbbb", "-3", select_for_downgrade=True))


def test_downgrade_relative_to_a_revision_walks_too_far() -> None:
    rmap = make(("aaaa", None), ("bbbb", "aaaa"))
    with pytest.raises(RevisionError, match="^Walked too far$"):
        list(rmap.iterate_revisions("bbbb", "aaaa-3", select_for_downgrade=True))


def test_upgrade_target_walks_off_the_graph() -> None:
    # Alembic trips an internal assertion here; limbeck names the identifier.
    rmap = make(("aaaa", None), ("bbbb", "aaaa"))
    with pytest.raises(RevisionError, match="Relative revision bbbb\\+5 walks past the end"):
        list(rmap.iterate_revisions("bbbb+5", "base"))


def test_downgrade_plus_without_revision() -> None:
    with pytest.raises(RevisionError, match="^Relative revision \\+1 didn't produce 1 migrations$"):
        list(branchy().iterate_revisions("cccc2", "+1", select_for_downgrade=True))


def test_range_not_ancestor() -> None:
    with pytest.raises(RangeNotAncestorError) as err:
        list(branchy().iterate_revisions("cccc2", "dddd1"))
    assert (err.value.lower, err.value.upper) == ("dddd1", "cccc2")
    assert one_line(err.value) == "Revision dddd1 is not an ancestor of revision cccc2"


def test_range_not_ancestor_base_wording() -> None:
    assert str(RangeNotAncestorError(None, None)) == "Revision base is not an ancestor of revision base"


def test_nothing_to_drop() -> None:
    with pytest.raises(RangeNotAncestorError) as err:
        list(branchy().iterate_revisions("dddd1", "cccc2", select_for_downgrade=True))
    assert err.value.lower == "Nothing to drop"


def test_overlapping_targets() -> None:
    rmap = branchy()
    revs = [rmap.get_revision("cccc2"), rmap.get_revision("aaaa1")]
    with pytest.raises(RevisionError) as err:
        list(rmap._get_ancestor_nodes(revs, check=True))
    assert one_line(err.value) == "Requested revision cccc2 overlaps with other requested revisions aaaa1"


def test_traversal_rejects_non_revisions() -> None:
    with pytest.raises(RevisionError, match="Expected a revision"):
        list(branchy()._get_ancestor_nodes(["aaaa1"]))  # type: ignore[list-item]


def test_broken_map_passed_in() -> None:
    rmap = branchy()
    start = rmap.get_revision("bbbb1")
    broken: dict[Any, Any] = {"aaaa1": rmap.get_revision("cccc1")}
    with pytest.raises(RevisionError, match="^Dependency resolution failed; broken map$"):
        list(rmap._get_ancestor_nodes([start], map_=broken))


def test_topological_sort_needs_covering_heads() -> None:
    rmap = branchy()
    revs = [rmap.get_revision(r) for r in ("cccc1", "dddd1")]
    with pytest.raises(RevisionError, match="not below any of the heads"):
        rmap._topological_sort(revs, [revs[0]])  # type: ignore[arg-type]


def test_downgrade_on_branch_with_no_matching_roots() -> None:
    rmap = make(("aaaa", None), ("bbbb", "aaaa", None, "B"), ("cccc", "aaaa", None, "C"), ("dddd", None, None, "D"))
    with pytest.raises(RevisionError, match="^Not a valid downgrade target from current heads$"):
        list(rmap.iterate_revisions(("bbbb", "cccc"), "D@aaaa", select_for_downgrade=True))


def test_downgrade_minus_one_from_several_heads_warns() -> None:
    rmap = branchy()
    with pytest.warns(LimbeckWarning, match="downgrade -1 from multiple heads is ambiguous"):
        list(rmap.iterate_revisions(("cccc2", "dddd1"), "-1", select_for_downgrade=True))


# ---- growing a built map ----------------------------------------------------


def test_add_revision_replace_missing() -> None:
    rmap = branchy()
    with pytest.raises(RevisionError, match="^revision eeee1 not in map$"):
        rmap.add_revision(Revision("eeee1", "cccc2"), _replace=True)


def test_add_revision_dangling() -> None:
    rmap = branchy()
    with pytest.raises(MissingRevisionError, match="Revision nope referenced from eeee1"):
        rmap.add_revision(Revision("eeee1", "nope"))


def test_add_revision_duplicate_warns() -> None:
    rmap = branchy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rmap.add_revision(Revision("aaaa1", None))
    assert [str(w.message) for w in caught] == ["Revision aaaa1 is present more than once"]


def _ids(revs: Iterable[Any]) -> list[str]:
    return [r.revision for r in revs]
