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
from limbeck.runtime.run import run_range
from limbeck.script import ScriptDirectory

if TYPE_CHECKING:
    from limbeck.config import Config
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
) -> Capture:
    """Render ``rev_range`` offline through env.py (``direction`` "downgrade" walks it back down).

    Raises:
        CommandError: an unknown dialect or revision, or a revision that
            cannot be rendered (unless ``keep_going``). ``planned``, when
            given, holds the steps even when the run then fails.
    """
    options = RunOptions(sql=True, dialect=dialect, keep_going=keep_going)
    script = script or script_directory(config)
    planned = planned if planned is not None else []
    upgrading = direction == "upgrade"
    start, destination = (rev_range.start, rev_range.end) if upgrading else (rev_range.end, rev_range.start)
    buffer = io.StringIO()
    recorder = StreamRecorder(output=buffer, locate=locate)
    run_range(
        config, script, None if start == "base" else start, destination, options, downgrade=not upgrading,
        hooks=(recorder.attach,), quiet=True, per_migration=per_migration, planned=planned,
    )
    return Capture(direction, recorder.dialect or (dialect or "default"), buffer.getvalue(), recorder.records, planned)
