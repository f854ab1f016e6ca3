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
has an un-emitted child in the range", a counter; the first head above it is
found by a search over the un-emitted revisions above it. Any other input
falls back to the direct simulation, with ancestor sets cached per revision.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from heapq import heapify, heappop, heappush
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
        blocker = _CountingBlocker(rmap, todo, downs)
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


_NO_HEAD = float("inf")


class _CountingBlocker(_BlockerBase):
    """Valid for closed ranges, where every pending revision lies below a head.

    A candidate is blocked exactly while it has a pending child. For each
    pending revision ``lowest[v]`` holds the smallest slot key of the heads
    at or above it, so the first head above a blocked candidate is the
    smallest ``lowest`` among its pending children. Emitting a head can only
    raise those values (slots vanish, or reappear with larger keys), and
    only below the emitted revision's other parents, so they are repaired
    by a search that stops wherever a value does not change, highest
    revisions first.
    """

    def __init__(self, rmap: RevisionMap, todo: set[str], downs: dict[str, tuple[str, ...]]) -> None:
        self.todo = todo
        self.children: dict[str, list[str]] = {rid: [] for rid in todo}
        self.parents: dict[str, list[str]] = {}
        for rid, parents in downs.items():
            inside = [p for p in dict.fromkeys(parents) if p in self.children]
            self.parents[rid] = inside
            for parent in inside:
                self.children[parent].append(rid)
        self.rank = rmap._ranks()
        self.slot_of: dict[str, float] = {}
        self.lowest: dict[str, float] = {}

    def start(self, heads: list[str], keys: list[int]) -> None:
        super().start(heads, keys)
        self.slot_of = dict(zip(heads, keys))
        self.ready = False

    def _fill(self) -> None:
        """Compute ``lowest`` for every pending revision, highest first.

        Deferred until a candidate is first blocked: a plain line of history
        never needs it.
        """
        for rid in sorted(self.todo, key=self.rank.__getitem__, reverse=True):
            self.lowest[rid] = self._recompute(rid)
        self.ready = True

    def _recompute(self, rid: str) -> float:
        best = self.slot_of.get(rid, _NO_HEAD)
        lowest, todo = self.lowest, self.todo
        for child in self.children[rid]:
            if child in todo and lowest[child] < best:
                best = lowest[child]
        return best

    def first_blocker(self, index: int, candidate: str) -> int | None:
        todo = self.todo
        if not any(child in todo for child in self.children[candidate]):
            return None
        if not self.ready:
            self._fill()
        best = _NO_HEAD
        for child in self.children[candidate]:
            if child in self.todo and self.lowest[child] < best:
                best = self.lowest[child]
        if best == _NO_HEAD:
            return None
        return bisect_left(self.keys, best)

    def emitted(self, rid: str, slot_key: int, additions: list[str], new_keys: list[int]) -> None:
        del self.slot_of[rid]
        if additions:
            self.slot_of[additions[0]] = slot_key
            self.slot_of.update(zip(additions[1:], new_keys))
        if not self.ready:
            return
        del self.lowest[rid]
        # The first new head keeps the slot key, so nothing at or below it
        # changes; only the other parents' lines can lose this slot.
        kept = additions[0] if additions else None
        heap: list[tuple[int, str]] = []
        queued: set[str] = set()
        for parent in self.parents[rid]:
            if parent != kept and parent in self.todo and parent not in queued:
                queued.add(parent)
                heap.append((-self.rank[parent], parent))
        if len(heap) > 1:
            heapify(heap)
        while heap:
            _, node = heappop(heap)
            queued.discard(node)
            value = self._recompute(node)
            if value == self.lowest[node]:
                continue
            self.lowest[node] = value
            for parent in self.parents[node]:
                if parent in self.todo and parent not in queued:
                    queued.add(parent)
                    heappush(heap, (-self.rank[parent], parent))


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
