"""``alembic.script.base``: ``Script`` and a ``ScriptDirectory`` with Alembic's step planners.

pytest-alembic (and env.py files copied from Alembic's internals) call
``ScriptDirectory._upgrade_revs(destination, current)`` and friends to build
the step list a migration function returns. Those steps are runtime objects,
which limbeck's own :class:`limbeck.script.ScriptDirectory` must not import;
the subclass here sits above both layers and adds the three planners.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from limbeck.script.base import Script
from limbeck.script.directory import ScriptDirectory as _LimbeckScriptDirectory

if TYPE_CHECKING:
    from limbeck.runtime.steps import RevisionStep, StampStep


def _heads(current: str | Sequence[str] | None) -> tuple[str, ...]:
    if current is None:
        return ()
    if isinstance(current, str):
        return (current,)
    return tuple(current)


class ScriptDirectory(_LimbeckScriptDirectory):
    """limbeck's script directory, with the planners Alembic's commands use.

    Each returns what the same ``alembic.command`` would run from
    ``current_rev`` (the database's heads, a string or a tuple), and raises
    :class:`~limbeck.errors.CommandError` for a destination the graph
    cannot reach, as Alembic's do.
    """

    def _upgrade_revs(self, destination: str, current_rev: str | Sequence[str] | None) -> list[RevisionStep]:
        from limbeck.runtime.steps import upgrade_steps

        return upgrade_steps(self.revision_map, destination, _heads(current_rev))

    def _downgrade_revs(self, destination: str | None, current_rev: str | Sequence[str] | None) -> list[RevisionStep]:
        from limbeck.runtime.steps import downgrade_steps

        return downgrade_steps(self.revision_map, destination, _heads(current_rev))

    def _stamp_revs(self, revision: str | Sequence[str] | None, heads: str | Sequence[str] | None) -> list[StampStep]:
        from limbeck.runtime.steps import stamp_steps

        targets = [revision] if revision is None or isinstance(revision, str) else list(revision)
        return stamp_steps(self.revision_map, targets, _heads(heads))


__all__ = ["Script", "ScriptDirectory"]
