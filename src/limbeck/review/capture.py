"""One offline run of a revision range, rendered in memory and recorded.

The review commands (``sql``, ``verify``, ``lint``, ``plan``) never print
the SQL of the runs they make: they run the project's own env.py offline
through :mod:`limbeck.runtime.run`, exactly as ``upgrade --sql`` does, with
the emitter writing into a buffer and a
:class:`~limbeck.review.stream.StreamRecorder` on the stream.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from limbeck.errors import CommandError
from limbeck.review.stream import Record, StreamRecorder, unrendered
from limbeck.runtime.options import RunOptions
from limbeck.runtime.run import StepsFn, range_steps, run
from limbeck.script import ScriptDirectory

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.steps import MigrationStep

#: what may not stand in a database's folder name
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
#: the env.py output files a command's warning has named already (a command makes several runs)
_WARNED: weakref.WeakKeyDictionary[Config, set[str]] = weakref.WeakKeyDictionary()


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


@dataclass(frozen=True)
class Database:
    """One migration context env.py ran: a multi-database env.py runs one per database.

    The review tools keep each database's statements apart (its own files,
    its own counts): they run on different databases.
    """

    #: the context's index in the run (:attr:`Record.context`)
    context: int
    #: what names it in file paths and plans: the ``engine_name`` env.py passes to
    #: ``run_migrations()`` (the multidb template), else the stem of the file env.py opened as
    #: its output, else ``database<N>``
    name: str
    dialect: str
    steps: list[MigrationStep]
    #: the file env.py opened as this context's ``output_buffer``: the review run writes its
    #: text elsewhere, so env.py's ``open(..., "w")`` leaves that file empty
    output: str | None = None


@dataclass
class Capture:
    """What one offline run produced."""

    direction: str
    dialect: str
    script: str
    records: list[Record]
    steps: list[MigrationStep] = field(default_factory=list)
    #: the contexts env.py ran migrations on, in order (one for a single-database project)
    databases: list[Database] = field(default_factory=list)

    @property
    def several(self) -> bool:
        """Whether env.py ran the migrations on more than one database (the multidb template)."""
        return len(self.databases) > 1

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
    warn: bool = True,
    undo: Sequence[MigrationStep] = (),
) -> Capture:
    """Render ``rev_range`` offline through env.py (``direction`` "downgrade" walks it back down).

    Raises:
        CommandError: an unknown dialect or revision, or a revision that
            cannot be rendered (unless ``keep_going``). ``planned``, when
            given, holds the steps even when the run then fails. ``jobs``, when
            given, lets the run render on several processes: the records then
            hold no SQLAlchemy constructs (``limbeck sql``'s files need only texts).
            ``warn``: say that env.py's own output files were emptied (off where the
            caller puts them back, see :func:`kept_outputs`). ``undo``, for a
            downgrade: the upgrade's steps, which the run undoes all of (see
            :func:`rollback_steps`).
    """
    options = RunOptions(sql=True, dialect=dialect, keep_going=keep_going, jobs=jobs)
    script = script or script_directory(config)
    planned = planned if planned is not None else []
    upgrading = direction == "upgrade"
    start, destination = (rev_range.start, rev_range.end) if upgrading else (rev_range.end, rev_range.start)
    buffer = io.StringIO()
    recorder = StreamRecorder(output=buffer, locate=locate, replayable=jobs is not None)
    # where each context's steps start in ``planned``: a context plans its steps when env.py runs
    # it, after configuring it and before configuring the next
    starts: list[int] = []
    steps = range_steps(script, destination, downgrade=not upgrading, planned=None if undo else planned)
    if undo:
        steps = rollback_steps(script, steps, undo, planned)
    run(
        config, script, steps, options, revisions=(None if start == "base" else start, destination),
        hooks=(recorder.attach, lambda _: starts.append(len(planned))), quiet=True, per_migration=per_migration,
    )
    databases = _databases(recorder.contexts, [planned[a:b] for a, b in zip(starts, [*starts[1:], len(planned)])])
    if warn:
        _warn_emptied(config, databases)
    return Capture(
        direction, recorder.dialect or (dialect or "default"), buffer.getvalue(), recorder.records, planned, databases
    )


def rollback_steps(
    script: ScriptDirectory, downgrade: StepsFn, upgraded: Sequence[MigrationStep], planned: list[MigrationStep]
) -> StepsFn:
    """``downgrade`` (Alembic's ``downgrade END:START``), then what it leaves of the ``upgraded`` revisions.

    Downgrading to START undoes only START's descendants. A range that ends
    at a merge also upgraded the merge's other side, which is not one: for
    ``b2:m4`` with ``m4`` merging ``b2`` and ``c3``, ``downgrade m4:b2`` only
    unmerges and leaves ``c3`` applied. Those revisions are undone after it,
    the upgrade's order reversed (as Alembic's ``downgrade m4:c3@a1`` does, ``a1``
    the revision both sides fork from), so the rollback leaves the database at
    START. Each database of a multi-database env.py runs the same revisions:
    one is undone once.
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
        left = {
            s.revision.revision: s.revision
            for s in reversed(upgraded) if isinstance(s, RevisionStep) and not undone(s) <= covered
        }
        found += with_checkpoints(script.revision_map, list(left.values()), False)
        planned.extend(found)
        return list(found)

    return steps


def _databases(contexts: list[MigrationContext], steps: list[list[MigrationStep]]) -> list[Database]:
    """The contexts env.py ran migrations on (one it configured and never ran is no database)."""
    found: list[Database] = []
    for index, (context, own) in enumerate(zip(contexts, steps)):
        if context.run_arguments is None:
            continue
        output = _output_file(context.output_buffer)
        name = context.run_arguments.get("engine_name")
        if not isinstance(name, str) or not name.strip():
            name = os.path.splitext(os.path.basename(output))[0] if output else ""
        name = _UNSAFE.sub("_", name.strip()) or f"database{len(found) + 1}"
        if name in {d.name for d in found}:
            name = f"{name}_{len(found) + 1}"
        found.append(Database(index, name, context.behaviour.dialect_name, own, output))
    return found


def _warn_emptied(config: Config, databases: list[Database]) -> None:
    """Say, once per file and command, that env.py's own output file was emptied by this run.

    The multidb template's env.py opens ``<name>.sql`` for writing whenever it
    runs offline; that truncates the file before limbeck sees it, and a review
    run writes its text in memory, not there.
    """
    warned = _WARNED.setdefault(config, set())
    for database in databases:
        path = database.output
        if path is None or path in warned or config.messaging_opts.get("quiet"):
            continue
        warned.add(path)
        sys.stderr.write(
            f"WARNING: env.py opened {os.path.relpath(path)} for its own offline output, emptying it; this run "
            "renders in memory and writes nothing there (limbeck upgrade --sql writes it)\n"
        )


def _output_file(buffer: object) -> str | None:
    """The path of a file env.py opened as its output (not standard output, not a buffer in memory)."""
    name = getattr(buffer, "name", None)
    return name if isinstance(name, str) and os.path.isfile(name) else None


@contextlib.contextmanager
def kept_outputs(contexts: Sequence[MigrationContext]) -> Iterator[None]:
    """Put back, after the block, the files ``contexts``' env.py wrote its script to.

    A ``--sql --validate`` run renders the revisions before its range once more
    after its own run (:func:`limbeck.review.execute_check.prelude_for`), through
    env.py, which opens its output files for writing again (the multidb
    template's ``<name>.sql``) and so empties the script the run just wrote.
    """
    saved: dict[str, bytes] = {}
    for context in contexts:
        path = _output_file(context.output_buffer)
        if path is not None and path not in saved:
            with open(path, "rb") as handle:
                saved[path] = handle.read()
    try:
        yield
    finally:
        for path, data in saved.items():
            with open(path, "wb") as handle:
                handle.write(data)
