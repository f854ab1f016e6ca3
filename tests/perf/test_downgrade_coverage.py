"""The rank-pruned coverage check of downgrade steps equals the full ancestry walk.

A downgrade step asks which of its down revisions another remaining head
already covers. :func:`limbeck.runtime.steps._covered` answers without
walking everything below the heads; the reference intersects the
candidates with :func:`limbeck.runtime.steps._ancestry`, the full walk the
step used before.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from limbeck.runtime.steps import _ancestry, _covered
from limbeck.script.revision import Revision, RevisionMap


@st.composite
def graphs(draw: Any) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """A random history: parents and ``depends_on`` among earlier revisions, in random file order."""
    size = draw(st.integers(1, 30))
    spec: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for i in range(size):
        earlier = [s[0] for s in spec]
        parents: tuple[str, ...] = ()
        deps: tuple[str, ...] = ()
        if earlier and draw(st.integers(0, 7)) > 0:
            parents = tuple(draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True)))
        if earlier and draw(st.integers(0, 4)) == 0:
            deps = (draw(st.sampled_from(earlier)),)
        spec.append((f"r{i:03d}", parents, deps))
    order = draw(st.permutations(range(size)))
    return [spec[i] for i in order]


@settings(max_examples=300, deadline=None)
@given(spec=graphs(), data=st.data())
def test_covered_equals_candidates_within_full_ancestry(spec: Any, data: Any) -> None:
    revisions = [Revision(name, parents or None, deps or None) for name, parents, deps in spec]
    revision_map = RevisionMap(lambda: revisions)
    names = [name for name, _, _ in spec]
    heads = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    candidates = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    expected = set(candidates) & _ancestry(revision_map, heads)
    assert _covered(revision_map, heads, candidates) == expected
