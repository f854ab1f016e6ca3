"""Walking the revision graph up or down from a set of starting revisions.

Every walk is iterative (no recursion limit on long histories) and visits
each revision once. The visiting order is Alembic's, a depth-first
pre-order, because callers and users see it (``_get_ancestor_nodes``
results are ordered); upward links, which Alembic iterates in set order,
are taken in id order here so results do not change between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Union

from limbeck.script.revision._build import RevisionLookup
from limbeck.script.revision._errors import RevisionError
from limbeck.script.revision._node import Revision, is_revision

if TYPE_CHECKING:
    from limbeck.script.revision._map import RevisionOrBase

Links = Callable[[Revision], Iterable[str]]


def iterate_related(
    fn: Links,
    targets: Collection[Union[RevisionOrBase, None]],
    map_: RevisionLookup,
    check: bool,
) -> Iterator[Revision]:
    """Yield each target and what *fn*'s links reach from it, each revision once.

    Raises:
        RevisionError: see :meth:`RevisionMap._iterate_related_revisions`.
    """
    given = list(targets)
    order = {id(t): i for i, t in enumerate(given) if isinstance(t, Revision)}
    seen: set[Revision] = set()
    for target in given:
        # Checked one target at a time, as Alembic does, so an overlap
        # among earlier targets is reported before a bad later one.
        start = is_revision(target)
        stack = [start]
        touched: set[Revision] = set()
        while stack:
            rev = stack.pop()
            if check:
                touched.add(rev)
            if rev in seen:
                continue
            seen.add(rev)
            stack.extend(linked(map_, fn(rev)))
            yield rev
        if check:
            overlaps = sorted((t for t in touched if id(t) in order and t is not start), key=lambda t: order[id(t)])
            if overlaps:
                raise RevisionError(
                    f"Requested revision {start.revision} overlaps with other requested "
                    f"revisions {', '.join(dict.fromkeys(r.revision for r in overlaps))}"
                )


def linked(map_: RevisionLookup, ids: Iterable[str]) -> list[Revision]:
    """The revisions *ids* name, checking each key leads to that very revision."""
    found = []
    for rid in ids:
        rev = map_.get(rid)
        if rev is None or rev.revision != rid:
            raise RevisionError("Dependency resolution failed; broken map")
        found.append(rev)
    return found


def normalized_downs(rev: Revision) -> Iterable[str]:
    return rev._normalized_down_revisions


def versioned_downs(rev: Revision) -> Iterable[str]:
    return rev._versioned_down_revisions


def all_ups(rev: Revision) -> Iterable[str]:
    return sorted(rev._all_nextrev)


def versioned_ups(rev: Revision) -> Iterable[str]:
    return sorted(rev.nextrev)


def up_links(targets: list[Union[RevisionOrBase, None]], omit_immediate: bool, include_dependencies: bool) -> Links:
    """The upward links to follow; *omit_immediate* skips mere dependents of the targets."""
    if omit_immediate:
        target_ids = {id(t) for t in targets}

        def skip_dependents(rev: Revision) -> Iterable[str]:
            return sorted(rev.nextrev if id(rev) in target_ids else rev._all_nextrev)

        return skip_dependents
    return all_ups if include_dependencies else versioned_ups
