"""Property tests: random histories against brute-force reference answers.

The reference implementations below are deliberately naive (fixpoint
closures over the whole graph) so that they are obviously right; the
revision map must agree with them on every random DAG hypothesis builds.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from limbeck.script.revision import Revision, RevisionMap
from limbeck.script.revision import _toposort

Spec = list[tuple[str, tuple[str, ...], tuple[str, ...]]]


@st.composite
def histories(draw: Any, max_size: int = 18) -> Spec:
    """A random DAG: each revision picks its parents and dependencies among earlier ones."""
    size = draw(st.integers(min_value=1, max_value=max_size))
    spec: Spec = []
    for i in range(size):
        name = f"r{i:03d}x"
        earlier = [s[0] for s in spec]
        parents: tuple[str, ...] = ()
        deps: tuple[str, ...] = ()
        if earlier and draw(st.integers(0, 9)) > 0:
            parents = tuple(draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True)))
        if earlier and draw(st.integers(0, 5)) == 0:
            deps = (draw(st.sampled_from(earlier)),)
        spec.append((name, parents, deps))
    order = draw(st.permutations(range(size)))
    return [spec[i] for i in order]


def build(spec: Spec) -> RevisionMap:
    revs = [Revision(name, parents or None, deps or None) for name, parents, deps in spec]
    return RevisionMap(lambda: revs)


def closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    """Everything reachable from *start* (included), by repeating until nothing changes."""
    found = set(start)
    changed = True
    while changed:
        changed = False
        for node in list(found):
            new = edges.get(node, set()) - found
            if new:
                found |= new
                changed = True
    return found


def edge_maps(spec: Spec) -> dict[str, dict[str, set[str]]]:
    down_v = {name: set(parents) for name, parents, _ in spec}
    down_a = {name: set(parents) | set(deps) for name, parents, deps in spec}
    up_v: dict[str, set[str]] = {name: set() for name, _, _ in spec}
    up_a: dict[str, set[str]] = {name: set() for name, _, _ in spec}
    for name, parents, deps in spec:
        for p in parents:
            up_v[p].add(name)
            up_a[p].add(name)
        for d in deps:
            up_a[d].add(name)
    return {"down_v": down_v, "down_a": down_a, "up_v": up_v, "up_a": up_a}


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(histories())
def test_heads_and_bases_match_reference(spec: Spec) -> None:
    rmap = build(spec)
    edges = edge_maps(spec)
    names = [name for name, _, _ in spec]
    assert rmap.heads == tuple(n for n in names if not edges["up_v"][n])
    assert rmap.real_heads == tuple(n for n in names if not edges["up_a"][n])
    assert rmap.bases == tuple(n for n, parents, _ in spec if not parents)
    assert rmap.real_bases == tuple(n for n, parents, deps in spec if not parents and not deps)


@SETTINGS
@given(histories(), st.data())
def test_ancestors_and_descendants_match_reference(spec: Spec, data: Any) -> None:
    rmap = build(spec)
    edges = edge_maps(spec)
    names = [name for name, _, _ in spec]
    picked = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    revs = [rmap.get_revision(n) for n in picked]
    for deps, down, up in ((False, "down_v", "up_v"), (True, "down_a", "up_a")):
        below = {r.revision for r in rmap._get_ancestor_nodes(revs, include_dependencies=deps)}
        above = {r.revision for r in rmap._get_descendant_nodes(revs, include_dependencies=deps)}
        assert below == closure(set(picked), edges[down])
        assert above == closure(set(picked), edges[up])


@SETTINGS
@given(histories())
def test_full_history_is_a_topological_order(spec: Spec) -> None:
    rmap = build(spec)
    order = [r.revision for r in rmap.iterate_revisions("heads", "base", inclusive=True)]
    assert sorted(order) == sorted(name for name, _, _ in spec)
    position = {name: i for i, name in enumerate(order)}
    for name, parents, deps in spec:
        for below in set(parents) | set(deps):
            assert position[name] < position[below], f"{name} listed after {below}"


@SETTINGS
@given(histories(), st.data())
def test_upgrade_set_is_ancestry_difference(spec: Spec, data: Any) -> None:
    """``upgrade target`` from ``current`` runs ancestors(target) minus ancestors(current)."""
    rmap = build(spec)
    edges = edge_maps(spec)
    names = [name for name, _, _ in spec]
    target = data.draw(st.sampled_from(names))
    current = data.draw(st.sampled_from(names))
    steps = {r.revision for r in rmap.iterate_revisions(target, current, implicit_base=True)}
    expected = closure({target}, edges["down_a"]) - closure({current}, edges["down_a"])
    assert steps == expected


@SETTINGS
@given(histories(max_size=24), st.data())
def test_incremental_sort_equals_direct_simulation(spec: Spec, data: Any) -> None:
    """The counting fast path orders every closed range exactly as the direct rule does."""
    rmap = build(spec)
    names = [name for name, _, _ in spec]
    upper = tuple(data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)))
    lower = data.draw(st.sampled_from([None, *names]))
    downgrade = data.draw(st.booleans())
    collect = rmap._collect_downgrade_revisions if downgrade else rmap._collect_upgrade_revisions
    try:
        revisions, heads = collect(upper, lower, inclusive=False, implicit_base=True, assert_relative_length=True)
    except Exception:  # noqa: BLE001 - only valid ranges are compared
        return
    todo = {r.revision for r in revisions}
    map_ = rmap._revision_map
    position = {key: i for i, key in enumerate(map_)}
    starts = sorted({h.revision for h in heads if h.revision in todo}, key=position.__getitem__)
    downs = {rid: map_[rid]._normalized_down_revisions for rid in todo}
    assert _toposort._is_closed_range(rmap, todo, starts, downs)
    # Each run consumes the set it is given, which its blocker must share.
    fast_todo, slow_todo = set(todo), set(todo)
    fast = _toposort._run(fast_todo, starts, downs, _toposort._ConeBlocker(rmap, fast_todo, downs))
    slow = _toposort._run(slow_todo, starts, downs, _toposort._AncestorBlocker(rmap, slow_todo, downs))
    assert fast == slow
