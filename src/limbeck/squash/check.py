"""Proving a checkpoint: the same database from the checkpoint as from the files it replaces.

On one empty scratch database, in this order: build it from the replaced
revisions (their own files, never the checkpoint) and dump it; run the
checkpoint's ``downgrade()``, which must leave nothing behind; run its
``upgrade()`` and dump again; the two dumps must be equal. With a database
of the user's (``--url``), the checkpoint's ``downgrade()`` then empties it
again. Every step runs through the project's env.py, online.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.squash.dump import dump
from limbeck.squash.scratch import run_on, shown

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory
    from limbeck.script.revision import Revision


@dataclass
class Outcome:
    """What one check found on one database."""

    url: str
    dialect: str = ""
    #: dump lines only the replaced revisions' database has, and only the checkpoint's
    only_files: list[str] = field(default_factory=list)
    only_checkpoint: list[str] = field(default_factory=list)
    #: what the checkpoint's downgrade left behind
    left: list[str] = field(default_factory=list)
    lines: int = 0

    @property
    def same(self) -> bool:
        return not (self.only_files or self.only_checkpoint or self.left)

    def summary(self) -> str:
        """One line: the verdict and the first difference."""
        where = f"on {self.dialect} ({shown(self.url)})"
        if self.left:
            return f"its downgrade() {where} leaves {self.left[0]!r}" + _more(self.left)
        if not self.same:
            first = (
                f"only the replaced revisions build {self.only_files[0]!r}" if self.only_files
                else f"only the checkpoint builds {self.only_checkpoint[0]!r}"
            )
            return f"differs {where}: {first}" + _more(self.only_files + self.only_checkpoint)
        return f"builds the same database {where} as its replaced revisions ({self.lines} dump lines)"


def _more(items: Sequence[str]) -> str:
    return f" (and {len(items) - 1} more differences)" if len(items) > 1 else ""


def plain_upgrade(rmap: Any, tip: str) -> list[Any]:
    """The replaced revisions' own steps from nothing to *tip*, never a checkpoint."""
    from limbeck.runtime.steps import RevisionStep

    return [RevisionStep(r, True) for r in list(rmap.iterate_revisions(tip, None, implicit_base=True))[::-1]]


def checkpoint_steps(checkpoint: Revision, upgrading: bool) -> list[Any]:
    from limbeck.runtime.checkpoints import CheckpointStep

    return [CheckpointStep(checkpoint, upgrading)]


def _collect(into: list[str], schemas: Sequence[str], names: list[str]) -> Callable[..., list[Any]]:
    def fn(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        into.extend(dump(context, schemas))
        names.append(context.behaviour.display_name)
        return []

    return fn


def verify(
    config: Config, script: ScriptDirectory, checkpoint: Revision, url: str, schemas: Sequence[str],
    built: list[str] | None = None, clean: bool = True,
) -> Outcome:
    """Compare *checkpoint* with its replaced revisions on the scratch database at *url*.

    *built* is the dump of the database already built from the replaced
    revisions at *url* (squash has just made it); without it the database
    must be empty and is built here first.
    """
    outcome = Outcome(url)
    names: list[str] = []
    rmap = script.revision_map
    if built is None:
        run_on(config, script, url, lambda heads, ctx: plain_upgrade(rmap, checkpoint.revision), fresh=True)
        built = []
        run_on(config, script, url, _collect(built, schemas, names))
    run_on(config, script, url, lambda heads, ctx: checkpoint_steps(checkpoint, False))
    left: list[str] = []
    run_on(config, script, url, _collect(left, schemas, names))
    outcome.dialect = names[-1]
    if left:
        outcome.left = left
        return outcome
    run_on(config, script, url, lambda heads, ctx: checkpoint_steps(checkpoint, True))
    again: list[str] = []
    run_on(config, script, url, _collect(again, schemas, names))
    outcome.lines = len(again)
    outcome.only_files = sorted((Counter(built) - Counter(again)).elements())
    outcome.only_checkpoint = sorted((Counter(again) - Counter(built)).elements())
    if clean and outcome.same:
        run_on(config, script, url, lambda heads, ctx: checkpoint_steps(checkpoint, False))
    return outcome
