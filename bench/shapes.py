"""Revision-graph shapes for the benchmark generator.

A shape is only the graph: which revision follows which, where branches
start, where they merge and which branches carry a label. Revision ids and
DDL are chosen elsewhere, so the same shape code serves every style.

The graph is built in *lanes*: a lane is a run of revisions where each one's
down_revision is the previous one of the lane. A branch opens a lane from the
parent of another lane's head (so that parent becomes a branch point); a merge
closes a lane into another. Revisions are numbered in generation order, which
is always a topological order (parents come first).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Chances per revision in the branchy shape. About one branch point per 25
# revisions and slightly fewer merges keeps 2-5 lanes open most of the time,
# which is what long-lived projects with feature branches look like.
BRANCH_CHANCE = 0.04
MERGE_CHANCE = 0.035
LABEL_CHANCE = 0.15
MAX_OPEN_LANES = 5


@dataclass(frozen=True)
class Step:
    """One revision of the graph.

    Attributes:
        index: position in generation order (0-based).
        lane: the lane this revision continues or opens.
        parents: indices of the down revisions (empty for the root).
        merged_lanes: lanes closed by this merge; their schema folds into ``lane``.
        label: a branch label given to the first revision of a new lane.
    """

    index: int
    lane: int
    parents: tuple[int, ...]
    merged_lanes: tuple[int, ...] = ()
    label: str | None = None

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def linear(count: int) -> list[Step]:
    """A single chain: each revision revises the previous one."""
    return [Step(i, 0, (i - 1,) if i else ()) for i in range(count)]


class _Branchy:
    """Builds a branchy graph step by step; see :func:`branchy`."""

    def __init__(self, count: int, heads_left: int, rng: random.Random) -> None:
        self.count = count
        self.heads_left = heads_left
        self.rng = rng
        self.steps: list[Step] = [Step(0, 0, ())]
        self.open: dict[int, int] = {0: 0}  # lane -> index of its head
        self.next_lane = 1

    def build(self) -> list[Step]:
        for index in range(1, self.count):
            self.steps.append(self._next(index))
        return self.steps

    def _next(self, index: int) -> Step:
        remaining = self.count - index  # including this one
        deficit = self.heads_left - len(self.open)
        if remaining == 1 and deficit < 0:
            return self._merge(index, sorted(self.open)[: 1 - deficit])
        if deficit > 0 and remaining <= deficit + 1:
            return self._branch(index)
        roll = self.rng.random()
        if roll < BRANCH_CHANCE and len(self.open) < MAX_OPEN_LANES and remaining > 3:
            return self._branch(index)
        if roll < BRANCH_CHANCE + MERGE_CHANCE and len(self.open) >= 2 and remaining > 2:
            return self._merge(index, self.rng.sample(sorted(self.open), 2))
        return self._extend(index, self.rng.choice(sorted(self.open)))

    def _extend(self, index: int, lane: int) -> Step:
        step = Step(index, lane, (self.open[lane],))
        self.open[lane] = index
        return step

    def _branch(self, index: int) -> Step:
        # Fork from the parent of a lane's head: the fork point has two
        # children at once, so both the lane and the new one count as heads
        # even if the old lane never moves again.
        origins = sorted(lane for lane, head in self.open.items() if self.steps[head].parents)
        if not origins:
            return self._extend(index, sorted(self.open)[0])
        origin_head = self.steps[self.open[self.rng.choice(origins)]]
        lane = self.next_lane
        self.next_lane += 1
        label = f"feature_{lane}" if self.rng.random() < LABEL_CHANCE else None
        step = Step(index, lane, (origin_head.parents[0],), label=label)
        self.open[lane] = index
        return step

    def _merge(self, index: int, lanes: list[int]) -> Step:
        keep, closed = lanes[0], tuple(lanes[1:])
        parents = tuple(self.open[lane] for lane in lanes)
        for lane in closed:
            del self.open[lane]
        self.open[keep] = index
        return Step(index, keep, parents, merged_lanes=closed)


def branchy(count: int, heads_left: int, rng: random.Random) -> list[Step]:
    """A graph with branch points, labelled branches and merges.

    It ends with exactly ``heads_left`` heads: surplus lanes are joined by one
    final merge revision, and missing ones are opened near the end.
    """
    if count < 1:
        raise ValueError("a history needs at least one revision")
    if heads_left < 1 or heads_left > max(1, count // 2):
        raise ValueError(f"--heads-left must be between 1 and {max(1, count // 2)} for {count} revisions")
    return _Branchy(count, heads_left, rng).build()

