"""Running a checkpoint in place of the revisions it replaces (see :mod:`limbeck.script.checkpoints`).

A checkpoint step is a revision step whose file is the checkpoint: its
``upgrade()`` builds, from nothing, what the replaced revisions built, and
its ``downgrade()`` removes all of it. What it records is what the replaced
revisions would have recorded: going up, the version table gets the
checkpoint's revision (the top of the range, which later revisions name as
their ``down_revision``); going down, every row of the range goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from limbeck.runtime.steps import RevisionStep

if TYPE_CHECKING:
    from limbeck.compiler.statement import Statement
    from limbeck.runtime.version_table import Heads
    from limbeck.script.revision import Revision, RevisionMap


class CheckpointStep(RevisionStep):
    """Run a checkpoint's ``upgrade()`` or ``downgrade()`` for its whole range."""

    @property
    def short_log(self) -> str:
        assert self.revision is not None
        return f"{super().short_log} (checkpoint of {len(self.revision.replaces)} revisions)"

    def version_statements(self, heads: Heads, revision_map: RevisionMap | None) -> list[Statement]:
        rev = self.revision
        assert rev is not None
        if self.is_upgrade:
            return heads.upgrade(rev.revision, ())
        replaced = set(rev.replaces)
        statements: list[Statement] = []
        for head in [h for h in heads.heads if h in replaced]:
            statements += heads.downgrade(head, ())
        return statements


def with_checkpoints(revision_map: RevisionMap, revisions: Sequence[Revision], upgrading: bool) -> list[RevisionStep]:
    """The steps of a run over *revisions* (run order), checkpoints taking the place of whole ranges."""
    from limbeck.script.checkpoints import choose

    steps: list[RevisionStep] = []
    for rev in choose(revision_map, revisions, upgrading):
        cls = CheckpointStep if rev.replaces and rev.checkpoint_path == getattr(rev, "path", None) else RevisionStep
        steps.append(cls(rev, upgrading))
    return steps
