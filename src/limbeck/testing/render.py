"""A project's offline SQL, rendered in process for tests and snapshots.

Snapshot suites render the same project many times (every dialect, every
revision, both directions). Going through the CLI would start a process per
render, and even ``limbeck.command.upgrade`` builds a new script directory
per call, which re-reads every revision file and re-executes every
``upgrade()`` module. A :class:`MigrationRenderer` keeps one loaded
:class:`~limbeck.script.ScriptDirectory` for all its renders.

Nothing here renders SQL itself. Each render is one offline run of the
project's own ``env.py`` through the command machinery (the capture the
review commands use), so the text is exactly what ``upgrade --sql`` writes.
Per-revision SQL is not a run per revision: one run up and one run down per
dialect, each with a transaction per revision, and the recorded stream is
cut at its revision tags. Every revision's text is then what that revision
contributes to a full run, framing and version-table statements included.

:meth:`MigrationRenderer.prefetch` renders dialects in forked children while
the parent does something else (the pytest plugin runs the stairway
meanwhile, which keeps one CPU busy, so on two CPUs one child renders every
dialect in turn); the children inherit the revision map and the render's
modules (:mod:`limbeck.testing.forked`: each result is written as it is done,
without waiting for the parent). The parent takes each result when first
asked for it; while it would wait, it renders the dialects no child has
started yet itself; and it renders in process when a child failed, so errors
read exactly as without it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from limbeck.errors import CommandError
from limbeck.script import ScriptDirectory
from limbeck.testing.forked import Child, frozen

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.review.capture import Capture
    from limbeck.review.stream import Record
    from limbeck.script import Script

__all__ = ["MigrationRenderer", "RevisionSQL"]


@dataclass(frozen=True, slots=True)
class RevisionSQL:
    """One revision's offline SQL for one dialect, both directions."""

    revision: str
    #: limbeck's name of the dialect rendered (``mariadb`` apart from ``mysql``)
    dialect: str
    #: the revision file
    path: str
    #: the first paragraph of the revision's docstring (its ``-m`` message)
    doc: str
    #: what the revision adds to a full upgrade run: BEGIN ... COMMIT, version table included
    upgrade: str
    #: what the revision adds to a full downgrade run
    downgrade: str
    #: why parts could not be rendered offline (the ``--keep-going`` markers); empty when all did
    problems: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """The revision file's name, without its folder."""
        return os.path.basename(self.path)


class _Rendered:
    """The per-revision texts of one dialect: the result of one run up and one run down."""

    def __init__(self, order: list[str], by_revision: dict[str, RevisionSQL]) -> None:
        self.order = order
        self.by_revision = by_revision


class MigrationRenderer:
    """Offline SQL of one project, for as many dialects and ranges as a test session asks.

    Args:
        config: the project's configuration.
        script: an already loaded script directory to reuse; by default one is
            built from ``config`` on first use and kept.
    """

    def __init__(self, config: Config, script: ScriptDirectory | None = None) -> None:
        self.config = config
        self._script = script
        #: dialect (None: the one env.py configures) -> its revisions, or the error rendering raised
        self._revisions: dict[str | None, _Rendered | Exception] = {}
        #: dialect -> the forked child rendering it (see :meth:`prefetch`)
        self._children: dict[str | None, Child[_Rendered]] = {}

    @property
    def script(self) -> ScriptDirectory:
        """The one script directory every render of this renderer uses."""
        if self._script is None:
            self._script = ScriptDirectory.from_config(self.config)
        return self._script

    def upgrade_order(self) -> list[Script]:
        """Every revision, base first: the order a full upgrade runs them in.

        Reads only the revision files' headers (no SQLAlchemy, no revision
        code), so a pytest plugin can name its checks cheaply at collection.
        """
        return list(reversed(list(self.script.walk_revisions())))

    # -- ranges ---------------------------------------------------------------------------
    def upgrade(self, revision: str = "heads", dialect: str | None = None, *, transaction_per_migration: bool = False) -> str:
        """The script ``upgrade REVISION --sql [--dialect DIALECT]`` writes.

        ``revision`` is ``END`` (from base) or ``START:END``, as on the command
        line; ``transaction_per_migration`` has the effect of env.py passing
        it to ``configure()``.

        Raises:
            CommandError: an unknown revision or dialect, or a revision that
                cannot be rendered offline (the message names its file).
        """
        start, end = _split(revision)
        return self._range(start, end, "upgrade", dialect, transaction_per_migration)

    def downgrade(self, revision: str, dialect: str | None = None, *, transaction_per_migration: bool = False) -> str:
        """The script ``downgrade START:END --sql [--dialect DIALECT]`` writes.

        Raises:
            CommandError: ``revision`` is not a ``START:END`` range, or as for
                :meth:`upgrade`.
        """
        start, end = _split(revision)
        if start is None:
            raise CommandError(f"downgrade {revision!r}: offline downgrades need a <fromrev>:<torev> range")
        return self._range(end, start, "downgrade", dialect, transaction_per_migration)

    def _range(self, low: str | None, high: str, direction: str, dialect: str | None, per_migration: bool) -> str:
        # the capture (and SQLAlchemy) only for a render: the plugin and upgrade_order() import this module
        from limbeck.review.capture import RevisionRange, capture

        rev_range = RevisionRange(low or "base", high)
        result = capture(
            self.config, rev_range, direction=direction, dialect=dialect, per_migration=per_migration, script=self.script
        )
        return result.script

    # -- per revision ---------------------------------------------------------------------
    def revisions(self, dialect: str | None = None) -> list[RevisionSQL]:
        """Every revision's SQL for ``dialect``, base first (two runs, cached on this renderer).

        A revision that cannot be rendered offline does not stop the others:
        its :attr:`RevisionSQL.problems` say why.

        Raises:
            CommandError: an unknown dialect, or env.py failed.
        """
        rendered = self._rendered(dialect)
        return [rendered.by_revision[rev] for rev in rendered.order]

    def revision(self, revision: str, dialect: str | None = None) -> RevisionSQL:
        """One revision's SQL for ``dialect`` (a partial id or a label is resolved first).

        Raises:
            CommandError: an unknown revision, or as for :meth:`revisions`.
        """
        rev_id = self.script.get_revision(revision).revision
        return self._rendered(dialect).by_revision[rev_id]

    def prefetch(self, dialects: Iterable[str | None], processes: int | None = None) -> int:
        """Start rendering ``dialects`` (those not rendered yet) in forked children; how many dialects went.

        ``processes`` children at most (default: one per CPU), each rendering
        its share of the dialects one after the other and sending each as it
        is done (a dialect no child has started when the parent would wait is
        rendered by the parent instead); a caller that keeps a CPU busy itself
        (the stairway) asks for one fewer than there are CPUs, so the children
        do not take its turn.
        Only where it can pay: the platform forks, there is more than one CPU,
        and no other thread runs in this process (a fork copies none of them).
        Call :meth:`close` when done; results nobody asked for are dropped.
        """
        cpus = os.cpu_count() or 1
        if not hasattr(os, "fork") or cpus < 2 or threading.active_count() > 1:
            return 0
        todo = [d for d in dict.fromkeys(dialects) if d not in self._revisions and d not in self._children]
        count = min(len(todo), cpus if processes is None else processes)
        if count < 1:
            return 0
        self._inheritable()
        started = 0
        for share in (todo[i::count] for i in range(count)):
            child: Child[_Rendered] | None = Child.start(share, self._render_revisions)
            if child is not None:
                self._children.update(dict.fromkeys(child.share, child))
                started += len(child.share)
        return started

    @property
    def rendering_ahead(self) -> bool:
        """Whether a child of :meth:`prefetch` still owes results (it shares this process's pages)."""
        return bool(self._children)

    def close(self) -> None:
        """Stop and reap the children of :meth:`prefetch` whose results were not taken."""
        children, self._children = self._children, {}
        for child in dict.fromkeys(children.values()):
            child.stop()

    def _inheritable(self) -> None:
        """What every child would otherwise make for itself: the revision map, and the render's modules."""
        self.script.revision_map  # noqa: B018 - built once, here, so every child inherits it
        # the capture (and SQLAlchemy) only for a render: the plugin and upgrade_order() import this module
        import limbeck.review.capture  # noqa: F401

    def _rendered(self, dialect: str | None) -> _Rendered:
        cached = self._revisions.get(dialect)
        if cached is None:
            child = self._children.get(dialect)
            if child is not None:
                self._collect(child, dialect)
            cached = self._revisions.get(dialect)
        if cached is None:
            cached = self._revisions[dialect] = self._render_here(dialect)
        if isinstance(cached, Exception):
            raise cached
        return cached

    def _collect(self, child: Child[_Rendered], dialect: str | None) -> None:
        """Wait for ``dialect`` from ``child``, rendering what it has not started meanwhile (work stealing).

        Afterwards ``dialect`` is in ``_revisions``, or nobody renders it
        (the child failed there, or died): the caller renders it in process.
        """
        while self._children.get(dialect) is child:
            for done, rendered in child.received(wait=False):
                self._receive(child, done, rendered)
            if self._children.get(dialect) is not child:
                break
            stolen = child.take()
            if stolen is not None:
                self._children.pop(stolen, None)
                self._revisions[stolen] = self._render_here(stolen)
            elif child.ended:  # what it still owes is rendered in process, when asked for
                for owed in [d for d, owner in self._children.items() if owner is child]:
                    del self._children[owed]
            else:
                for done, rendered in child.received(wait=True):
                    self._receive(child, done, rendered)
        if child not in self._children.values():
            child.stop()

    def _receive(self, child: Child[_Rendered], dialect: str | None, rendered: _Rendered | None) -> None:
        if self._children.get(dialect) is child:
            del self._children[dialect]
        if isinstance(rendered, _Rendered):
            self._revisions.setdefault(dialect, rendered)

    def _render_here(self, dialect: str | None) -> _Rendered | Exception:
        """Render in this process, with the collector as a render child has it (see :func:`frozen`)."""
        try:
            with frozen(render=True):
                return self._render_revisions(dialect)
        except Exception as exc:  # noqa: BLE001 - every check of this dialect reports it; render it once
            return exc

    def _render_revisions(self, dialect: str | None) -> _Rendered:
        # the capture (and SQLAlchemy) only for a render: the plugin and upgrade_order() import this module
        from limbeck.review.capture import RevisionRange, capture

        script = self.script
        whole = RevisionRange()
        up = capture(self.config, whole, dialect=dialect, per_migration=True, keep_going=True, script=script)
        down = capture(
            self.config, whole, direction="downgrade", dialect=dialect, per_migration=True, keep_going=True, script=script
        )
        ups, downs = _by_revision(up), _by_revision(down)
        # once each: a multi-database env.py runs every revision once per database
        order = list(dict.fromkeys(step.revision.revision for step in up.steps if step.revision is not None))
        by_revision: dict[str, RevisionSQL] = {}
        for rev in order:
            found = script.get_revision(rev)
            records = ups.get(rev, []) + downs.get(rev, [])
            by_revision[rev] = RevisionSQL(
                revision=rev,
                dialect=up.dialect,
                path=found.path,
                doc=found.doc,
                upgrade=_text(ups.get(rev, [])),
                downgrade=_text(downs.get(rev, [])),
                problems=tuple(_problems(records)),
            )
        return _Rendered(order, by_revision)


def _split(revision: str) -> tuple[str | None, str]:
    if ":" not in revision:
        return None, revision
    start, _, end = revision.partition(":")
    return start or None, end or "heads"


def _by_revision(run: Capture) -> dict[str, list[Record]]:
    """The run's records grouped by revision tag (env.py's own output belongs to none)."""
    groups: dict[str, list[Record]] = {}
    for record in run.records:
        if record.revision is not None:
            groups.setdefault(record.revision, []).append(record)
    return groups


def _text(records: list[Record]) -> str:
    return "".join(chunk for record in records for chunk in record.chunks)


def _problems(records: list[Record]) -> list[str]:
    # loaded by the render that made the records
    from limbeck.review.stream import UNRENDERED

    return [str(record.info[UNRENDERED]) for record in records if UNRENDERED in record.info]
