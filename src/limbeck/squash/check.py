"""Proving a checkpoint: the same database from the checkpoint as from the files it replaces.

On one empty scratch database: the checkpoint builds it and is dumped; its
``downgrade()`` must leave nothing behind; the replaced revisions (their own
files, never the checkpoint) build it again and are dumped; the two dumps
must be equal. With a database of the user's (``--url``), the checkpoint's
``downgrade()`` then empties it again. Every step runs through the
project's env.py, online. (squash, whose scratch database the replaced
revisions have just built, starts from there: see :func:`verify`.)
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

    *built* is the dump of the database squash has just built at *url* from
    the replaced revisions: the checkpoint's ``downgrade()`` empties it,
    then its ``upgrade()`` builds it again. Without it the database must be
    empty: the checkpoint builds it first and empties it, then the replaced
    revisions build it (so what only they build shows as a difference, not
    as a downgrade that cannot drop a table a view depends on). *clean* ends
    with the checkpoint's ``downgrade()`` when both ways agree.
    """
    outcome = Outcome(url)
    names: list[str] = []
    rmap = script.revision_map
    tip = checkpoint.revision
    if built is None:
        ours = _run_and_dump(config, script, url, schemas, checkpoint_steps(checkpoint, True), names, fresh=True)
        left = _run_and_dump(config, script, url, schemas, checkpoint_steps(checkpoint, False), names)
        if not left:
            built = _run_and_dump(config, script, url, schemas, plain_upgrade(rmap, tip), names)
    else:
        left = _run_and_dump(config, script, url, schemas, checkpoint_steps(checkpoint, False), names)
        if not left:
            ours = _run_and_dump(config, script, url, schemas, checkpoint_steps(checkpoint, True), names)
    outcome.dialect = names[-1]
    if left:
        outcome.left = left
        return outcome
    outcome.lines = len(ours)
    outcome.only_files = sorted((Counter(built) - Counter(ours)).elements())
    outcome.only_checkpoint = sorted((Counter(ours) - Counter(built)).elements())
    if clean and outcome.same:
        run_on(config, script, url, lambda heads, ctx: checkpoint_steps(checkpoint, False))
    return outcome


def _run_and_dump(
    config: Config, script: ScriptDirectory, url: str, schemas: Sequence[str], steps: list[Any], names: list[str],
    fresh: bool = False,
) -> list[str]:
    """Run *steps* on *url* through env.py, then dump what the database holds."""
    run_on(config, script, url, lambda heads, ctx: steps, fresh=fresh)
    lines: list[str] = []
    run_on(config, script, url, _collect(lines, schemas, names))
    return lines
