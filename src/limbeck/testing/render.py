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

:meth:`MigrationRenderer.prefetch` renders dialects in forked children, one
per dialect, while the parent does something else (the pytest plugin runs
the stairway meanwhile, which mostly waits for the database); the parent
takes each result when first asked for it, and renders in process itself
when a child failed, so errors read exactly as without it.
"""

from __future__ import annotations

import functools
import os
import pickle
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from limbeck.errors import CommandError
from limbeck.script import ScriptDirectory

if TYPE_CHECKING:
    from collections.abc import Callable

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
        self._children: dict[str | None, _Child] = {}

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

    def prefetch(self, dialects: Iterable[str | None]) -> int:
        """Start rendering ``dialects`` (those not rendered yet) in forked children; how many started.

        Only where it can pay: the platform forks, there is more than one CPU,
        and no other thread runs in this process (a fork copies none of them).
        Call :meth:`close` when done; results nobody asked for are dropped.
        """
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
            return 0
        started = 0
        self.script.revision_map  # noqa: B018 - built once, here, so every child inherits it
        for dialect in dict.fromkeys(dialects):
            if dialect in self._revisions or dialect in self._children:
                continue
            child = _Child.start(functools.partial(self._render_revisions, dialect))
            if child is not None:
                self._children[dialect] = child
                started += 1
        return started

    def close(self) -> None:
        """Stop and reap the children of :meth:`prefetch` whose results were not taken."""
        children, self._children = self._children, {}
        for child in children.values():
            child.stop()

    def _rendered(self, dialect: str | None) -> _Rendered:
        cached = self._revisions.get(dialect)
        child = self._children.pop(dialect, None) if cached is None else None
        if child is not None:
            cached = child.result()
            if cached is not None:
                self._revisions[dialect] = cached
        if cached is None:
            try:
                cached = self._render_revisions(dialect)
            except Exception as exc:  # noqa: BLE001 - every check of this dialect reports it; render it once
                cached = exc
            self._revisions[dialect] = cached
        if isinstance(cached, Exception):
            raise cached
        return cached

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
        order = [step.revision.revision for step in up.steps if step.revision is not None]
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


class _Child:
    """A forked process rendering one dialect, its pickled result coming through a pipe."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe

    @classmethod
    def start(cls, render: "Callable[[], _Rendered]") -> "_Child | None":
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:
            return None
        if pid:
            os.close(write)
            return cls(pid, read)
        os.close(read)  # the child: render, send, and leave without running the parent's exit handlers
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            data = pickle.dumps(render(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)

    def result(self) -> "_Rendered | None":
        """The child's rendering; None when it failed (the caller then renders in process)."""
        try:
            with os.fdopen(self.pipe, "rb") as pipe:
                data = pipe.read()
            rendered = pickle.loads(data) if data else None
        except Exception:  # noqa: BLE001 - a partial or garbled result: render again in process
            rendered = None
        self._reap()
        return rendered if isinstance(rendered, _Rendered) else None

    def stop(self) -> None:
        try:
            os.close(self.pipe)  # a child still writing gets EPIPE and leaves
        except OSError:
            pass
        self._reap()

    def _reap(self) -> None:
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


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
    from limbeck.review.stream import UNRENDERED  # loaded by the render that made the records

    return [str(record.info[UNRENDERED]) for record in records if UNRENDERED in record.info]
