"""The order in which a range of revisions is listed, upgraded or downgraded.

The order is Alembic's, which users see in ``history`` and in upgrade logs:
start from the heads (sorted by declaration order) and follow one head's line
down, emitting each revision once no other pending head still sits above it;
when one does, continue with the first such head in the list; when a line
runs out, fall back to the previous head. Newly reached parents of a merge
point replace the current head (first parent) or join the end of the list.

Alembic decides "another head sits above this revision" by materialising the
full ancestor set of every head and recomputing it at each merge point,
which is quadratic. For the ranges ``iterate_revisions`` produces (every
revision in the range lies below one of the heads, and no path between two
of them leaves the range), the same decision is simply "this revision still
has an un-emitted child in the range"; which head comes first above it is
answered from the set of revisions above it, computed once per revision
(see :class:`_ConeBlocker`). Any other input falls back to the direct
simulation, with ancestor sets cached per revision.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from limbeck.script.revision._build import RevisionLookup
from limbeck.script.revision._errors import RevisionError
from limbeck.script.revision._node import Revision

if TYPE_CHECKING:
    from limbeck.script.revision._map import RevisionMap, RevisionOrBase

def topological_sort(
    rmap: RevisionMap, revisions: Collection[Revision], heads: Iterable[RevisionOrBase | None]
) -> list[str]:
    """Ids of *revisions*, each after every revision above it, in Alembic's order.

    Raises:
        RevisionError: some revision is not below any of *heads*.
    """
    map_ = rmap._revision_map
    todo = {r.revision for r in revisions}
    position = {key: i for i, key in enumerate(map_)}
    starts = sorted(
        {h.revision for h in heads if isinstance(h, Revision) and h.revision in todo},
        key=position.__getitem__,
    )
    downs = {rid: _downs(map_, rid) for rid in todo}
    blocker: _BlockerBase
    if _is_closed_range(rmap, todo, starts, downs):
        blocker = _ConeBlocker(rmap, todo, downs)
    else:
        blocker = _AncestorBlocker(rmap, todo, downs)
    return _run(todo, starts, downs, blocker)


def _downs(map_: RevisionLookup, rid: str) -> tuple[str, ...]:
    rev = map_[rid]
    return rev._normalized_down_revisions if rev is not None else ()


def _run(todo: set[str], starts: list[str], downs: dict[str, tuple[str, ...]], blocker: _BlockerBase) -> list[str]:
    """The walk over the head list described in the module docstring.

    ``keys`` runs parallel to ``heads``: a slot keeps its key when its head
    is replaced by the head's first parent, and appended slots get fresh,
    larger keys, so key order is always list order.
    """
    heads = list(starts)
    keys = list(range(len(heads)))
    blocker.start(heads, keys)
    next_key = len(heads)
    in_heads = set(heads)
    output: list[str] = []
    index = 0
    while heads:
        candidate = heads[index]
        other = blocker.first_blocker(index, candidate)
        if other is not None:
            index = other
            continue
        output.append(candidate)
        todo.discard(candidate)
        additions = [p for p in downs[candidate] if p in todo and p not in in_heads]
        in_heads.discard(candidate)
        slot_key = keys[index]
        if not additions:
            del heads[index]
            del keys[index]
            index = max(index - 1, 0)
        else:
            heads[index] = additions[0]
            heads.extend(additions[1:])
            keys.extend(range(next_key, next_key + len(additions) - 1))
            next_key += len(additions) - 1
            in_heads.update(additions)
        blocker.emitted(candidate, slot_key, additions, keys[-len(additions) + 1 :] if len(additions) > 1 else [])
    if todo:
        raise RevisionError(
            f"Revisions {', '.join(sorted(todo))} are not below any of the heads the range starts from"
        )
    return output


class _BlockerBase:
    heads: list[str]
    keys: list[int]

    def start(self, heads: list[str], keys: list[int]) -> None:
        self.heads = heads
        self.keys = keys

    def first_blocker(self, index: int, candidate: str) -> int | None:
        raise NotImplementedError

    def emitted(self, rid: str, slot_key: int, additions: list[str], new_keys: list[int]) -> None:
        """Hook: *rid* left slot *slot_key* to ``additions[0]``; the rest got *new_keys*."""


class _ConeBlocker(_BlockerBase):
    """Valid for closed ranges, where every pending revision lies below a head.

    A candidate is blocked exactly while it has a pending child (a counter
    check). The first head above a blocked candidate is found by scanning
    the head list in order against the candidate's *cone*, the pending
    revisions above it, computed once per candidate: a revision stays in
    the cone until it is emitted, since nothing between it and the
    candidate can be emitted first. A slot whose head is not in the cone
    never will be (slots only move down, to a parent of their head), so
    each candidate remembers how far along the list it has ruled slots out
    and never looks at them again.
    """

    def __init__(self, rmap: RevisionMap, todo: set[str], downs: dict[str, tuple[str, ...]]) -> None:
        self.todo = todo
        self.children: dict[str, list[str]] = {rid: [] for rid in todo}
        for rid, parents in downs.items():
            for parent in dict.fromkeys(parents):
                if parent in self.children:
                    self.children[parent].append(rid)
        self.cones: dict[str, set[str]] = {}
        self.ruled_out: dict[str, int] = {}

    def _cone(self, candidate: str) -> set[str]:
        cone = self.cones.get(candidate)
        if cone is None:
            cone = set()
            stack = [candidate]
            todo, children = self.todo, self.children
            while stack:
                for child in children[stack.pop()]:
                    if child in todo and child not in cone:
                        cone.add(child)
                        stack.append(child)
            self.cones[candidate] = cone
        return cone

    def first_blocker(self, index: int, candidate: str) -> int | None:
        todo = self.todo
        if not any(child in todo for child in self.children[candidate]):
            return None
        cone = self._cone(candidate)
        heads, keys = self.heads, self.keys
        position = bisect_left(keys, self.ruled_out.get(candidate, 0))
        for i in range(position, len(heads)):
            if i != index and heads[i] in cone:
                self.ruled_out[candidate] = keys[i]
                return i
        raise AssertionError("a blocked revision must lie below another head")  # closed range


class _AncestorBlocker(_BlockerBase):
    """The direct rule, for arbitrary input: is the candidate below another head?"""

    def __init__(self, rmap: RevisionMap, todo: set[str], downs: dict[str, tuple[str, ...]]) -> None:
        self.rmap = rmap
        self.cache: dict[str, set[str]] = {}

    def _ancestors(self, rid: str) -> set[str]:
        found = self.cache.get(rid)
        if found is None:
            rev = self.rmap._revision_map[rid]
            found = {r.revision for r in self.rmap._get_ancestor_nodes([rev])}
            self.cache[rid] = found
        return found

    def first_blocker(self, index: int, candidate: str) -> int | None:
        for i, head in enumerate(self.heads):
            if i != index and candidate in self._ancestors(head):
                return i
        return None


def _is_closed_range(
    rmap: RevisionMap, todo: set[str], starts: list[str], downs: dict[str, tuple[str, ...]]
) -> bool:
    """Whether every revision of *todo* hangs below *starts* inside *todo*, with no detours.

    A detour is a path from one revision of the range down to another
    through revisions outside it; with none, "below a pending head" and
    "has a pending child in the range" mean the same thing.
    """
    reached = set(starts)
    stack = list(starts)
    while stack:
        for parent in downs[stack.pop()]:
            if parent in todo and parent not in reached:
                reached.add(parent)
                stack.append(parent)
    if len(reached) != len(todo):
        return False
    exits = {p for rid in todo for p in downs[rid] if p not in todo}
    if not exits:
        return True
    rank = rmap._ranks()
    floor = min(rank[rid] for rid in todo)
    map_ = rmap._revision_map
    seen = set(exits)
    stack = [e for e in exits if rank[e] > floor]
    while stack:
        rev = map_[stack.pop()]
        assert rev is not None
        for parent in rev._normalized_down_revisions:
            if parent in todo:
                return False
            if parent not in seen and rank[parent] > floor:
                seen.add(parent)
                stack.append(parent)
    return True
