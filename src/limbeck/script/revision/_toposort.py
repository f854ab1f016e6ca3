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

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from limbeck.script.revision._errors import RevisionError
from limbeck.script.revision._node import Revision

if TYPE_CHECKING:
    from limbeck.script.revision._map import RevisionMap, RevisionOrBase

#: ``blocker(index, candidate)``: the index of the first other head that
#: must be emitted before *candidate*, or None if *candidate* may go now.
_Blocker = Callable[[int, str], "int | None"]


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
    if _is_closed_range(rmap, todo, starts, downs):
        blocker_factory = _CountingBlocker
    else:
        blocker_factory = _AncestorBlocker
    return _run(rmap, todo, starts, blocker_factory(rmap, todo, downs))


def _downs(map_: dict, rid: str) -> tuple[str, ...]:  # type: ignore[type-arg]
    rev = map_[rid]
    return rev._normalized_down_revisions if rev is not None else ()


def _run(rmap: RevisionMap, todo: set[str], starts: list[str], blocker: _BlockerBase) -> list[str]:
    """The walk over the head list described in the module docstring."""
    map_ = rmap._revision_map
    heads = list(starts)
    blocker.heads = heads
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
        blocker.emitted(candidate)
        rev = map_[candidate]
        assert rev is not None
        additions = [p for p in dict.fromkeys(rev._normalized_down_revisions) if p in todo and p not in in_heads]
        in_heads.discard(candidate)
        if not additions:
            del heads[index]
            index = max(index - 1, 0)
        else:
            heads[index] = additions[0]
            heads.extend(additions[1:])
            in_heads.update(additions)
    if todo:
        raise RevisionError(
            f"Revisions {', '.join(sorted(todo))} are not below any of the heads the range starts from"
        )
    return output


class _BlockerBase:
    heads: list[str]

    def first_blocker(self, index: int, candidate: str) -> int | None:
        raise NotImplementedError

    def emitted(self, rid: str) -> None:
        """Hook: *rid* has just been emitted."""


class _CountingBlocker(_BlockerBase):
    """Valid for closed ranges: blocked exactly while a child in range is pending."""

    def __init__(self, rmap: RevisionMap, todo: set[str], downs: dict[str, tuple[str, ...]]) -> None:
        self.todo = todo
        self.children: dict[str, list[str]] = {rid: [] for rid in todo}
        for rid, parents in downs.items():
            for parent in dict.fromkeys(parents):
                if parent in self.children:
                    self.children[parent].append(rid)
        self.pending = {rid: len(kids) for rid, kids in self.children.items()}
        self.downs = downs

    def emitted(self, rid: str) -> None:
        for parent in dict.fromkeys(self.downs[rid]):
            if parent in self.pending:
                self.pending[parent] -= 1

    def first_blocker(self, index: int, candidate: str) -> int | None:
        if not self.pending[candidate]:
            return None
        # Which heads sit above the candidate: search the pending revisions above it.
        head_index = {h: i for i, h in enumerate(self.heads)}
        best: int | None = None
        seen = {candidate}
        stack = [candidate]
        while stack:
            for child in self.children[stack.pop()]:
                if child in seen or child not in self.todo:
                    continue
                seen.add(child)
                stack.append(child)
                i = head_index.get(child)
                if i is not None and i != index and (best is None or i < best):
                    best = i
        return best


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
