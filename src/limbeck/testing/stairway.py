"""The stairway test: every revision upgraded, downgraded and upgraded again on a real database.

A downgrade that forgets something (an index, a column, a row in the version
table) goes unnoticed until somebody rolls back in production; upgrading the
same revision again right after its downgrade makes the database say so: the
second upgrade fails on what the downgrade left behind. Walking the
revisions in upgrade order, one revision at a time, pins the failure to the
first revision whose round trip breaks.

Each move is one online run of the project's env.py through the command
machinery with exactly one revision step, so revisions execute the way
``limbeck upgrade``/``downgrade`` execute them (see :mod:`limbeck.testing.scratch`
for the database).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.runtime.steps import RevisionStep
from limbeck.script import Script, ScriptDirectory
from limbeck.testing.scratch import (
    ScratchDatabaseError,
    downgrade_to_base,
    reason,
    run_online,
    scratch_database,
)

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext

__all__ = ["StairwayFailed", "run_stairway"]

#: the three moves made on each revision, in order: (name, is_upgrade)
PHASES: tuple[tuple[str, bool], ...] = (("upgrade", True), ("downgrade", False), ("upgrade again", True))


class StairwayFailed(CommandError):
    """A revision's upgrade, downgrade or second upgrade failed; the message names its file."""

    located = True

    def __init__(self, message: str, revision: str | None = None, path: str | None = None, phase: str | None = None) -> None:
        super().__init__(message)
        self.revision = revision
        self.path = path
        self.phase = phase


def run_stairway(config: Config, url: str | None = None, *, script: ScriptDirectory | None = None) -> list[str]:
    """Upgrade, downgrade and upgrade again each revision, base first; then downgrade to base.

    Args:
        config: the project's configuration; its ``sqlalchemy.url`` is the
            stairway's database while the walk runs, then what it was.
        url: the database to walk on, which must be empty (no revision
            applied). Default: SQLite in a temporary file, removed afterwards.
        script: a loaded script directory to reuse (default: from ``config``).

    Returns:
        The revision ids walked, in order.

    Raises:
        StairwayFailed: the first revision whose round trip fails (with its
            file and the move that failed), or a database that is not empty.
    """
    if script is None:
        script = ScriptDirectory.from_config(config)
    order: list[Script] = list(reversed(list(script.walk_revisions())))
    try:
        with scratch_database(config, script, url):
            for revision in order:
                for phase, is_upgrade in PHASES:
                    _move(config, script, revision, phase, is_upgrade)
            _final_downgrade(config, script)
    except ScratchDatabaseError as exc:
        raise StairwayFailed(f"stairway {exc}") from exc
    return [revision.revision for revision in order]


def _move(config: Config, script: ScriptDirectory, revision: Script, phase: str, is_upgrade: bool) -> None:
    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        return [RevisionStep(revision, is_upgrade)]

    target = revision.revision if is_upgrade else _down_target(revision)
    try:
        run_online(config, script, steps, target)
    except Exception as exc:
        raise StairwayFailed(
            f"stairway failed at revision {revision.revision} ({revision.path}) on {phase}: {reason(exc)}",
            revision.revision, revision.path, phase,
        ) from exc


def _final_downgrade(config: Config, script: ScriptDirectory) -> None:
    try:
        downgrade_to_base(config, script)
    except Exception as exc:
        raise StairwayFailed(f"stairway's final downgrade to base failed: {reason(exc)}", phase="downgrade to base") from exc


def _down_target(revision: Script) -> str | None:
    """What ``get_revision_argument()`` tells env.py during a one-step downgrade."""
    downs = [d for d in (revision._versioned_down_revisions or ()) if d]
    if not downs:
        return "base"
    return downs[0] if len(downs) == 1 else None
