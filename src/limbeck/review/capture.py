"""One offline run of a revision range, rendered in memory and recorded.

The review commands (``sql``, ``verify``, ``lint``, ``plan``) never print
the SQL of the runs they make: they run the project's own env.py offline
through :mod:`limbeck.runtime.run`, exactly as ``upgrade --sql`` does, with
the emitter writing into a buffer and a
:class:`~limbeck.review.stream.StreamRecorder` on the stream.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from limbeck.errors import CommandError
from limbeck.review.stream import Record, StreamRecorder, unrendered
from limbeck.runtime.options import RunOptions
from limbeck.runtime.run import StepsFn, range_steps, run
from limbeck.script import ScriptDirectory

if TYPE_CHECKING:
    from collections.abc import Sequence

    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.steps import MigrationStep


@dataclass(frozen=True, slots=True)
class RevisionRange:
    """``START:END`` of a review command: upgrade from START (exclusive) to END."""

    start: str = "base"
    end: str = "heads"

    @classmethod
    def parse(cls, text: str | None) -> RevisionRange:
        """``None`` is everything; ``END`` alone starts at base; either side may be empty."""
        if not text:
            return cls()
        if ":" not in text:
            return cls("base", text)
        start, _, end = text.partition(":")
        if ":" in end:
            raise CommandError(f"revision range '{text}': expected START:END")
        return cls(start or "base", end or "heads")

    def __str__(self) -> str:
        return f"{self.start}:{self.end}"


@dataclass
class Capture:
    """What one offline run produced."""

    direction: str
    dialect: str
    script: str
    records: list[Record]
    steps: list[MigrationStep] = field(default_factory=list)

    def unrendered(self) -> list[Record]:
        return unrendered(self.records)


def script_directory(config: Config) -> ScriptDirectory:
    return ScriptDirectory.from_config(config)


def capture(
    config: Config,
    rev_range: RevisionRange,
    *,
    direction: str = "upgrade",
    dialect: str | None = None,
    per_migration: bool = False,
    keep_going: bool = False,
    locate: bool = False,
    script: ScriptDirectory | None = None,
    planned: list[MigrationStep] | None = None,
    jobs: int | None = None,
    undo: Sequence[MigrationStep] = (),
) -> Capture:
    """Render ``rev_range`` offline through env.py (``direction`` "downgrade" walks it back down).

    Raises:
        CommandError: an unknown dialect or revision, or a revision that
            cannot be rendered (unless ``keep_going``). ``planned``, when
            given, holds the steps even when the run then fails. ``jobs``, when
            given, lets the run render on several processes: the records then
            hold no SQLAlchemy constructs (``limbeck sql``'s files need only texts).
            ``undo``, for a downgrade: the upgrade's steps, which the run undoes
            all of (see :func:`rollback_steps`).
    """
    options = RunOptions(sql=True, dialect=dialect, keep_going=keep_going, jobs=jobs)
    script = script or script_directory(config)
    planned = planned if planned is not None else []
    upgrading = direction == "upgrade"
    start, destination = (rev_range.start, rev_range.end) if upgrading else (rev_range.end, rev_range.start)
    buffer = io.StringIO()
    recorder = StreamRecorder(output=buffer, locate=locate, replayable=jobs is not None)
    steps = range_steps(script, destination, downgrade=not upgrading, planned=None if undo else planned)
    if undo:
        steps = rollback_steps(script, steps, undo, planned)
    run(
        config, script, steps, options, revisions=(None if start == "base" else start, destination),
        hooks=(recorder.attach,), quiet=True, per_migration=per_migration,
    )
    return Capture(direction, recorder.dialect or (dialect or "default"), buffer.getvalue(), recorder.records, planned)


def rollback_steps(
    script: ScriptDirectory, downgrade: StepsFn, upgraded: Sequence[MigrationStep], planned: list[MigrationStep]
) -> StepsFn:
    """``downgrade`` (Alembic's ``downgrade END:START``), then what it leaves of the ``upgraded`` revisions.

    Downgrading to START undoes only START's descendants. A range that ends
    at a merge also upgraded the merge's other side, which is not one: for
    ``b2:m4`` with ``m4`` merging ``b2`` and ``c3``, ``downgrade m4:b2`` only
    unmerges and leaves ``c3`` applied. Those revisions are undone after it,
    the upgrade's order reversed (as Alembic's ``downgrade m4:c3@a1`` does, ``a1``
    the revision both sides fork from), so the
    rollback leaves the database at START.
    """
    # checkpoints builds on runtime.steps; imported here as runtime.run does
    from limbeck.runtime.checkpoints import with_checkpoints
    from limbeck.runtime.steps import RevisionStep

    def undone(step: MigrationStep) -> set[str]:
        rev = getattr(step, "revision", None)
        return {rev.revision, *(getattr(rev, "replaces", None) or ())} if rev is not None else set()

    def steps(heads: Sequence[str], context: MigrationContext) -> list[object]:
        found: list[MigrationStep] = list(downgrade(heads, context))
        covered = set().union(*map(undone, found))
        left = [s.revision for s in reversed(upgraded) if isinstance(s, RevisionStep) and not undone(s) <= covered]
        found += with_checkpoints(script.revision_map, left, False)
        planned.extend(found)
        return list(found)

    return steps
