"""Turn the revisions a generator yields into a linked, checked graph.

Everything here runs once per :class:`RevisionMap` and in time linear in the
number of revisions and links (dependency normalisation adds a factor of the
number of distinct shared ``depends_on`` targets divided by the machine word,
since it works on bit sets). The steps, and the order their errors are
reported in, follow Alembic: duplicate branch labels, then unknown
``depends_on`` targets, then unknown ``down_revision`` targets, then cycles.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from limbeck.errors import LimbeckWarning
from limbeck.script.revision._errors import (
    CycleDetected,
    DependencyCycleDetected,
    MissingRevisionError,
    RevisionError,
)
from limbeck.script.revision._node import Revision, dedupe, to_tuple

#: The lookup table: revision ids and branch labels to revisions, plus the
#: ``None`` and ``()`` keys that stand for "base".
RevisionLookup = dict["str | tuple[()] | None", "Revision | None"]


class BuiltGraph(NamedTuple):
    """The result of linking: the lookup table and the graph's ends.

    A named tuple, not a dataclass: :mod:`dataclasses` imports :mod:`inspect`,
    a few milliseconds that ``heads`` would pay for nothing.
    """

    map: RevisionLookup
    heads: tuple[str, ...]
    bases: tuple[str, ...]
    real_heads: tuple[str, ...]
    real_bases: tuple[str, ...]
    revisions: list[Revision]
    #: Position of each revision id in a parents-first order over all links.
    ranks: dict[str, int]


class _IdentitySet:
    """An insertion-ordered set of revisions compared by identity.

    Alembic keeps head candidates as objects, so a revision id declared twice
    can leave the first, shadowed object behind as a head; reproducing that
    needs identity, not id, semantics.
    """

    def __init__(self) -> None:
        self._items: dict[int, Revision] = {}

    def add(self, rev: Revision) -> None:
        self._items[id(rev)] = rev

    def discard(self, rev: Revision) -> None:
        self._items.pop(id(rev), None)

    def __iter__(self) -> Iterator[Revision]:
        return iter(self._items.values())

    def __bool__(self) -> bool:
        return bool(self._items)


def build_graph(revisions: Iterable[Revision]) -> BuiltGraph:
    """Index, link and check *revisions*; see the module docstring for the order."""
    map_: RevisionLookup = {}
    declared: list[Revision] = []
    heads, real_heads = _IdentitySet(), _IdentitySet()
    bases: list[str] = []
    real_bases: list[str] = []
    for rev in revisions:
        if rev.revision in map_:
            warnings.warn(f"Revision {rev.revision} is present more than once", LimbeckWarning, stacklevel=4)
        map_[rev.revision] = rev
        declared.append(rev)
        heads.add(rev)
        real_heads.add(rev)
        if rev.is_base:
            bases.append(rev.revision)
        if rev._is_real_base:
            real_bases.append(rev.revision)
    unique = _unique_revisions(map_)

    map_branch_labels([r for r in declared if r.branch_labels], map_)
    resolve_dependencies(declared, map_)
    _link(unique, map_, heads, real_heads)
    versioned_order = topological_order(unique, map_, versioned=True)
    full_order = topological_order(unique, map_, versioned=False)
    if len(versioned_order) < len(unique) or len(full_order) < len(unique):
        _report_cycles(unique, map_, heads, bases, real_heads, real_bases, versioned_order, full_order)
    normalize_dependencies(unique, map_, versioned_order)
    map_[None] = None
    map_[()] = None
    inherit_branch_labels(unique, map_, versioned_order)
    return BuiltGraph(
        map=map_,
        heads=tuple(r.revision for r in heads),
        bases=tuple(bases),
        real_heads=tuple(r.revision for r in real_heads),
        real_bases=tuple(real_bases),
        revisions=unique,
        ranks={r.revision: i for i, r in enumerate(full_order)},
    )


def _unique_revisions(map_: RevisionLookup) -> list[Revision]:
    """The revisions a lookup table holds, once each, in declaration order."""
    return [rev for key, rev in map_.items() if rev is not None and key == rev.revision]


def map_branch_labels(revisions: Iterable[Revision], map_: RevisionLookup) -> None:
    """Make each declared branch label a key of the lookup table.

    Raises:
        RevisionError: a label is declared twice, or equals a revision id.
    """
    for rev in revisions:
        for label in rev._orig_branch_labels:
            if label in map_:
                owner = map_[label]
                raise RevisionError(
                    f"Branch name '{label}' in revision {rev.revision} already used by "
                    f"revision {owner.revision if owner is not None else label}"
                )
            map_[label] = rev


def resolve_dependencies(revisions: Iterable[Revision], map_: RevisionLookup) -> None:
    """Turn each ``depends_on`` entry (an id or a branch label) into a revision id.

    Raises:
        MissingRevisionError: an entry names nothing in the map.
    """
    for rev in revisions:
        resolved = []
        # an empty depends_on ("", as invenio-accounts' 037afe10e9ff has) declares nothing, as in Alembic
        for dep in to_tuple(rev.dependencies) if rev.dependencies else ():
            if dep not in map_:
                raise MissingRevisionError(dep, rev.revision)
            target = map_[dep]
            if target is not None:
                resolved.append(target.revision)
        rev._resolved_dependencies = tuple(resolved)


def _link(
    revisions: list[Revision], map_: RevisionLookup, heads: _IdentitySet, real_heads: _IdentitySet
) -> None:
    """Fill ``nextrev`` / ``_all_nextrev`` and drop non-heads, one pass over the links."""
    children: dict[int, list[str]] = {}
    versioned: dict[int, list[str]] = {}
    parents: dict[int, Revision] = {}
    get = map_.get
    drop_head = heads._items.pop
    drop_real_head = real_heads._items.pop
    for rev in revisions:
        downs = rev._versioned_down_revisions
        name = rev.revision
        only_downs = not rev._resolved_dependencies
        for down in downs if only_downs else rev._all_down_revisions:
            parent = get(down)
            if parent is None or parent.revision != down:
                raise MissingRevisionError(down, name)
            key = id(parent)
            siblings = children.get(key)
            if siblings is None:
                parents[key] = parent
                children[key] = [name]
            else:
                siblings.append(name)
            if only_downs or down in downs:
                siblings = versioned.get(key)
                if siblings is None:
                    versioned[key] = [name]
                else:
                    siblings.append(name)
                drop_head(key, None)
            drop_real_head(key, None)
    for key, parent in parents.items():
        parent._all_nextrev = parent._all_nextrev.union(children[key])
        if key in versioned:
            parent.nextrev = parent.nextrev.union(versioned[key])


def walk_related(
    starts: Iterable[Revision], edges: Callable[[Revision], Iterable[str]], map_: RevisionLookup
) -> set[str]:
    """Ids reachable from *starts* (included) along *edges*, iteratively."""
    seen: set[str] = set()
    stack = [r for r in starts]
    while stack:
        rev = stack.pop()
        if rev.revision in seen:
            continue
        seen.add(rev.revision)
        for nxt in edges(rev):
            if nxt not in seen:
                target = map_.get(nxt)
                if target is not None:
                    stack.append(target)
    return seen


def _report_cycles(
    revisions: list[Revision],
    map_: RevisionLookup,
    heads: _IdentitySet,
    bases: list[str],
    real_heads: _IdentitySet,
    real_bases: list[str],
    versioned_order: list[Revision],
    full_order: list[Revision],
) -> None:
    """Raise for a graph the topological sorts could not finish.

    The revisions named are Alembic's: those that no head reaches going
    down or no base reaches going up (all of them when there is no head or
    no base). A cycle that head and base both reach slips through that rule
    in Alembic; here it is reported too, naming the revisions on the cycle.

    Raises:
        CycleDetected: a ``down_revision`` cycle.
        DependencyCycleDetected: a cycle that needs a ``depends_on`` link.
    """
    ids = [r.revision for r in revisions]
    checks: list[tuple[type[CycleDetected], _IdentitySet, list[str], _Edges, _Edges, list[Revision]]] = [
        (CycleDetected, heads, bases, _versioned_downs, _versioned_ups, versioned_order),
        (DependencyCycleDetected, real_heads, real_bases, _all_downs, _all_ups, full_order),
    ]
    for error, tops, bottoms, down, up, order in checks:
        if len(order) == len(revisions):
            continue
        if not tops or not bottoms:
            raise error(ids)
        below = walk_related(tops, down, map_)
        above = walk_related((r for b in bottoms if (r := map_.get(b)) is not None), up, map_)
        stranded = sorted(set(ids) - (below & above))
        raise error(stranded or _on_cycles(revisions, map_, down))


_Edges = Callable[[Revision], Iterable[str]]


def _on_cycles(revisions: list[Revision], map_: RevisionLookup, edges: _Edges) -> list[str]:
    """Ids of the revisions lying on a cycle (strongly connected, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[str] = []
    for root in revisions:
        if root.revision in index:
            continue
        work = [(root.revision, iter(_targets(root, map_, edges)))]
        index[root.revision] = low[root.revision] = len(index)
        stack.append(root.revision)
        on_stack.add(root.revision)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    rev = map_[child]
                    assert rev is not None
                    work.append((child, iter(_targets(rev, map_, edges))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.extend(component)
    return sorted(found)


def _targets(rev: Revision, map_: RevisionLookup, edges: _Edges) -> list[str]:
    return [t for t in edges(rev) if map_.get(t) is not None]


def _versioned_downs(rev: Revision) -> Iterable[str]:
    return rev._versioned_down_revisions


def _versioned_ups(rev: Revision) -> Iterable[str]:
    return rev.nextrev


def _all_downs(rev: Revision) -> Iterable[str]:
    return rev._all_down_revisions


def _all_ups(rev: Revision) -> Iterable[str]:
    return rev._all_nextrev


def topological_order(revisions: list[Revision], map_: RevisionLookup, versioned: bool) -> list[Revision]:
    """Revisions ordered parents-first (Kahn), along ``down_revision`` or all links.

    Shorter than *revisions* exactly when the links form a cycle.
    """
    if versioned:
        pending = {id(r): len(set(r._versioned_down_revisions)) for r in revisions}
    else:
        pending = {id(r): len(set(r._all_down_revisions)) for r in revisions}
    order = [r for r in revisions if pending[id(r)] == 0]
    append = order.append
    get = map_.get
    for rev in order:  # the list grows while we walk it
        for child_id in rev.nextrev if versioned else rev._all_nextrev:
            child = get(child_id)
            if child is None:
                continue
            key = id(child)
            left = pending.get(key)
            if left is None:
                continue
            pending[key] = left - 1
            if left == 1:
                append(child)
    return order


def normalize_dependencies(revisions: list[Revision], map_: RevisionLookup, order: list[Revision]) -> None:
    """Drop each ``depends_on`` target that an ancestor already depends on.

    A dependency is redundant for revision *r* when some revision below *r*
    (along ``down_revision``) depends on the same target; what remains is
    ``_normalized_resolved_dependencies``, the dependency edges traversals
    and the upgrade order follow. Only targets shared by two or more
    revisions can be redundant, so only those get a bit in the bit sets
    propagated upward in one topological pass.
    """
    counts: dict[str, int] = {}
    for rev in revisions:
        deps = rev._resolved_dependencies
        if deps:
            for dep in set(deps):
                counts[dep] = counts.get(dep, 0) + 1
            rev._normalized_resolved_dependencies = dedupe(deps)
        else:
            rev._normalized_resolved_dependencies = ()
    bit = {dep: 1 << i for i, dep in enumerate(d for d, n in counts.items() if n > 1)}
    if not bit:
        return
    below: dict[int, int] = {}
    for rev in order:
        inherited = 0
        for down in rev._versioned_down_revisions:
            parent = map_[down]
            assert parent is not None
            inherited |= below.get(id(parent), 0)
            for dep in parent._resolved_dependencies:
                inherited |= bit.get(dep, 0)
        below[id(rev)] = inherited
        if inherited and rev._resolved_dependencies:
            rev._normalized_resolved_dependencies = tuple(
                d for d in rev._normalized_resolved_dependencies if not inherited & bit.get(d, 0)
            )


def inherit_branch_labels(revisions: list[Revision], map_: RevisionLookup, order: list[Revision]) -> None:
    """Spread each branch label over the revisions it names.

    A label applies to the revision declaring it and every revision above it
    (along ``down_revision``). When nothing branches off above the labelled
    revision, the label also runs down the plain stretch of history beneath
    it, stopping before the first branch point (counting ``depends_on``) or
    merge point. This reproduces Alembic's observable result in one
    topological pass, where Alembic walks the graph once per label.
    """
    if not any(r.branch_labels for r in revisions):
        return
    extra: dict[int, set[str]] = {}
    for top in revisions:
        if top.nextrev:
            continue
        stretch = _plain_stretch_below(top, map_)
        labels: set[str] = set()
        for rev in stretch:
            labels.update(rev._orig_branch_labels)
        if labels:
            for rev in stretch:
                extra.setdefault(id(rev), set()).update(labels)
    for rev in order:  # parents first: each parent's set is complete when its children read it
        labels = rev.branch_labels
        more = extra.get(id(rev))
        if more:
            labels.update(more)
        for down in rev._versioned_down_revisions:
            parent = map_[down]
            assert parent is not None
            if parent.branch_labels:
                labels.update(parent.branch_labels)


def _plain_stretch_below(top: Revision, map_: RevisionLookup) -> list[Revision]:
    """*top* and the revisions under it until a branch or merge point."""
    stretch = []
    node: Revision | None = top
    while node is not None and not node._is_real_branch_point and not node.is_merge_point:
        stretch.append(node)
        down = node.down_revision
        if not down or not isinstance(down, str):
            break
        node = map_.get(down)
    return stretch
