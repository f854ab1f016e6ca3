"""Column order of a table recreated by batch mode.

Batch mode keeps columns where they were, appends new ones, and honours
``insert_before`` / ``insert_after`` and ``partial_reordering``. Alembic
expresses all of these as pairs "x comes before y" and sorts the columns in
layers (every column whose predecessors are placed joins the next layer, in
the table's own order). limbeck computes the same pairs, so a script ported
from Alembic gets the same column order; the rules below were recorded by
running Alembic (``tests/batch/record_alembic.py``, ``ordering`` facts).

Where Alembic fails with a bare ``KeyError`` (placing a column next to one
that was added without a position) limbeck places it instead. The anchors
given here are known columns (the model checks them first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from limbeck.errors import CommandError

Pair = tuple[str, str]


class ColumnOrder:
    """The ordering facts a batch accumulates, and the order they give."""

    def __init__(self, table_name: str, existing: Sequence[str], partial: Iterable[Sequence[str]] | None) -> None:
        self.table_name = table_name
        #: columns of the old table still present, in their order
        self.existing = list(existing)
        #: ``partial_reordering``: when given it replaces the existing order
        self.partial = [tuple(group) for group in partial or ()]
        #: pairs added by add_column
        self.pairs: list[Pair] = []

    def drop(self, key: str) -> None:
        if key in self.existing:
            self.existing.remove(key)

    def add(self, name: str, before: str | None, after: str | None) -> None:
        """Record where the new column ``name`` goes.

        Without partial_reordering a column placed after X also goes before
        X's old neighbour (and the mirror for before), so two columns placed
        after the same X keep the order in which they were added.
        """
        if not self.partial:
            if after and not before:
                before = self._neighbour(after, +1)
            if before and not after:
                after = self._neighbour(before, -1)
        if before:
            self.pairs.append((name, before))
        if after:
            self.pairs.append((after, name))
        if not self.partial and not before and not after and self.existing:
            self.pairs.append((self.existing[-1], name))

    def _neighbour(self, anchor: str, step: int) -> str | None:
        if anchor in self.existing:
            index = self.existing.index(anchor) + step
            return self.existing[index] if 0 <= index < len(self.existing) else None
        # a column added in this batch: its neighbour is the one it was placed against
        found = None
        for first, second in self.pairs:
            if step > 0 and first == anchor:
                found = second
            elif step < 0 and second == anchor:
                found = first
        return found

    def all_pairs(self) -> list[Pair]:
        base: list[Pair] = []
        groups: Sequence[Sequence[str]] = self.partial if self.partial else [self.existing]
        for group in groups:
            base.extend(pairwise(group))
        return base + self.pairs

    def sort(self, items: Sequence[str]) -> list[str]:
        """``items`` (the table's columns in model order) sorted by the pairs."""
        return layered_sort(self.all_pairs(), items, self.table_name)


def layered_sort(pairs: Sequence[Pair], items: Sequence[str], table_name: str) -> list[str]:
    """Topological sort in layers; ties keep the order of ``items``.

    Pairs naming items that are not present (dropped columns, unknown names
    in partial_reordering) constrain nothing.
    """
    parents: dict[str, set[str]] = {item: set() for item in items}
    for parent, child in pairs:
        if child in parents and parent in parents and parent != child:
            parents[child].add(parent)
    todo = list(items)
    placed: list[str] = []
    while todo:
        remaining = set(todo)
        layer = [item for item in todo if not parents[item] & remaining]
        if not layer:
            cycle = ", ".join(sorted(remaining))
            raise CommandError(
                f"batch_alter_table('{table_name}'): column ordering is circular among: {cycle}; "
                "check partial_reordering / insert_before / insert_after"
            )
        placed.extend(layer)
        done = set(layer)
        todo = [item for item in todo if item not in done]
    return placed
