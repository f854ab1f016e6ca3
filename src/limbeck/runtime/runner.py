"""The loop that runs a list of steps inside a migration context.

Kept apart from :mod:`limbeck.runtime.migration` so the context stays a small
facade: this is where a step is framed (transaction, ``-- Running`` comment,
version-table statements, ``on_version_apply``), timed, and where a failure
is turned into one line naming the revision file.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement
from limbeck.errors import (
    AlembicWorded,
    LimbeckError,
    MigrationFailed,
    MigrationInterrupted,
    OfflineNotSupported,
    combined,
)
from limbeck.operations import Operations
from limbeck.runtime.gcpolicy import before_steps
from limbeck.runtime.offline import capture_print
from limbeck.runtime.progress import Progress
from limbeck.runtime.steps import MigrationInfo, RevisionStep, is_base_start

if TYPE_CHECKING:
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.steps import MigrationStep
    from limbeck.runtime.version_table import Heads


def _quiet(ctx: MigrationContext) -> bool:
    if ctx.opts.get("quiet_progress"):  # review commands render in memory, several runs each
        return True
    config = ctx.config
    if config is None:
        return True
    messaging = getattr(config, "messaging_opts", None) or {}
    if messaging.get("quiet"):
        return True
    return bool(getattr(getattr(config, "cmd_opts", None), "quiet", False))


def _needs_version_table(ctx: MigrationContext, steps: Sequence[MigrationStep]) -> bool:
    """Offline only: the script creates the table in the first step's transaction. Online,
    ``MigrationContext.run_migrations`` made it before any step, as Alembic does."""
    return bool(steps) and ctx.as_sql and is_base_start(ctx.starting_rev) and steps[0].is_upgrade


@contextlib.contextmanager
def bound_operations(ctx: MigrationContext) -> Iterator[None]:
    """``op`` points at ``ctx``; offline, ``print()`` writes into the stream (see runtime.offline)."""
    with Operations.context(ctx):
        if not ctx.as_sql:
            yield
            return
        writer, done = capture_print(ctx)
        saved = sys.stdout
        sys.stdout = writer
        try:
            yield
        finally:
            sys.stdout = saved
            done()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def run_steps(ctx: MigrationContext, heads: Sequence[str], steps: Sequence[MigrationStep], kw: Mapping[str, Any]) -> None:
    """Run ``steps`` on ``ctx``, one transaction each where the run is per migration.

    Offline, a long range may be rendered on several cores (see
    :mod:`limbeck.runtime.parallel`); the script is the same either way.
    """
    from limbeck.runtime.parallel import jobs_for, run_parallel

    loop = StepLoop(ctx, heads, steps, kw)
    _import_revisions(ctx, steps)
    before_steps()
    jobs = jobs_for(ctx, steps)
    if jobs > 1:
        run_parallel(loop, steps, jobs)
        return
    for step in steps:
        loop.run(step)


class StepLoop:
    """The body of a run, one step at a time, and the state that crosses steps.

    That state is the version rows as the steps move them and whether the
    version table's CREATE is still to come; :meth:`skip` advances it for
    a step rendered elsewhere (a worker of a parallel offline run), so the
    steps after it come out as if this loop had run it.
    """

    def __init__(self, ctx: MigrationContext, heads: Sequence[str], steps: Sequence[MigrationStep], kw: Mapping[str, Any]) -> None:
        self.ctx = ctx
        self.kw = kw
        self.state: Heads = ctx.version_heads(heads)
        self.create = _needs_version_table(ctx, steps)
        self.revision_map = ctx.script.revision_map if ctx.script is not None else None
        self.progress = Progress(len(steps), quiet=_quiet(ctx))

    @staticmethod
    def label(step: MigrationStep) -> str:
        return f"{step.name} {step.short_log}"

    def run(self, step: MigrationStep) -> None:
        """Frame, run and record ``step``."""
        ctx = self.ctx
        # the step is current before its transaction begins, so a per-revision
        # BEGIN/COMMIT and the version table's CREATE carry its revision too
        with ctx.running(step):
            with ctx.begin_transaction(_per_migration=True):
                if self.create:
                    ctx.create_version_table()
                    self.create = False
                label = self.label(step)
                ctx.emit(Statement(Kind.COMMENT, f"-- Running {label}"))
                self.progress.start(f"{label}, {step.doc}" if step.doc else label)
                rendered = True
                if ctx.as_sql and ctx.opts.get("keep_going"):
                    rendered = _run_step_or_mark(ctx, step, self.kw)
                else:
                    _run_step(ctx, step, self.kw)
                versions = step.version_statements(self.state, self.revision_map)
                if rendered:  # a script never records a revision it does not contain
                    ctx.emit_all(versions)
                info = None
                for callback in ctx.on_version_apply_callbacks:
                    info = info or MigrationInfo(self.revision_map, step)
                    callback(ctx=ctx, step=info, heads=set(self.state.heads), run_args=dict(self.kw))
            ctx.commit_if_split()
        self.progress.done()

    def skip(self, step: MigrationStep) -> None:
        """``step`` was rendered elsewhere: move the state on as :meth:`run` would have."""
        label = self.label(step)
        self.progress.start(f"{label}, {step.doc}" if step.doc else label)
        self.create = False
        step.version_statements(self.state, self.revision_map)
        self.progress.done()


def _import_revisions(ctx: MigrationContext, steps: Sequence[MigrationStep]) -> None:
    """Import the revision files before the first step, as Alembic does: all of them, in its order.

    Alembic imports every revision file of the script directory when it
    builds its revision map, which upgrade, downgrade and stamp do at this
    point (after env.py's ``configure()`` and the version-table read, before
    the first statement of the run), once per script directory, in file
    order (:meth:`ScriptDirectory.revision_scripts`). What a file does when
    imported (a ``@compiles`` override, a registered type or event, a
    ``print()``) therefore applies to the whole run, whichever revisions it
    runs; limbeck reads headers without importing, so it imports them here,
    each file once (the code comes from the code cache). Online this also
    means a file that cannot be imported stops the run before anything is
    committed. Without a script directory, the steps' own files. A run
    without steps (``current``, an upgrade with nothing to do) writes and
    executes nothing that an import could change, and imports nothing.
    """
    if not steps:
        return
    runs = [step for step in steps if isinstance(step, RevisionStep)]
    scripts: list[Any] = ctx.script.revision_scripts() if ctx.script is not None else []
    pending = [s for s in [*scripts, *(step.revision for step in runs)] if not getattr(s, "module_loaded", True)]
    if pending:
        with bound_operations(ctx):  # as under Alembic: op is bound, offline print() joins the script
            for script in dict.fromkeys(pending):
                step = RevisionStep(script, True)
                step.name = "import"  # how a failure names what was being done
                with ctx.running(step), _located(ctx):
                    _module = script.module  # the property imports the file
    if ctx.as_sql:
        _templates_unless_registering(ctx, scripts or [step.revision for step in runs])
        return
    for step in runs:  # online, a missing upgrade()/downgrade() too stops the run before it starts
        with ctx.running(step), _located(ctx):
            _function = step.migration_fn


def _templates_unless_registering(ctx: MigrationContext, scripts: Sequence[Any]) -> None:
    """Offline DDL templates stay off when a revision function registers compile hooks at run time."""
    templates = ctx.impl.ddl_templates
    if templates is None or not templates.enabled:
        return
    from limbeck.runtime.ddl_templates import registers_at_run_time

    # by identity, each once: the names every file imports (``Union``, ``Sequence``, ...) are the
    # same objects in all of them, and reading ``__code__`` off a typing form raises inside
    functions: dict[int, Any] = {}
    for script in scripts:
        module = script.module if getattr(script, "module_loaded", False) else None
        if module is not None:
            for value in vars(module).values():
                if id(value) not in functions and callable(value):
                    functions[id(value)] = value
    if registers_at_run_time(functions.values()):
        templates.turn_off()


@contextlib.contextmanager
def _located(ctx: MigrationContext) -> Iterator[None]:
    """Any failure inside becomes one line naming the running revision's file (and line, for its own errors)."""
    try:
        yield
    except LimbeckError as err:
        if isinstance(err, AlembicWorded):
            err.escaped = True  # out of the revision: limbeck's one line, not the text it showed the revision
        if getattr(err, "located", False):
            raise
        # the line of the revision that asked for it, when it came from the revision's own code
        message = f"{ctx.describe_current(line=ctx.revision_line(err.__traceback__))}: {err}"
        # one that is also the class Alembic raises there (KeyError, OperationalError...) stays one through the command
        raise (MigrationFailed.of(err, message) if combined(err) else MigrationFailed(message)) from err
    except Exception as err:
        # not limbeck's own: the revision's code (or what it called) failed; say on which line
        where = ctx.describe_current(line=ctx.revision_line(err.__traceback__))
        if ctx.as_sql and _reflecting(err.__traceback__):
            # an Inspector made without sqlalchemy.inspect() (Inspector.from_engine(bind), the
            # deprecated Inspector(bind)) is not refused where it is made: it fails in the dialect
            raise OfflineNotSupported(
                f"{where}: reflection (sqlalchemy Inspector) needs a live database and cannot be rendered with --sql"
            ) from err
        raise MigrationFailed.of(err, f"{where}: {_first_line(err)}") from err
    except KeyboardInterrupt as err:
        if isinstance(err, MigrationInterrupted):
            raise
        raise MigrationInterrupted(f"{ctx.describe_current()}: interrupted (Ctrl-C)") from err


def _reflecting(tb: TracebackType | None) -> bool:
    """Whether a failure came out of SQLAlchemy's reflection (an ``Inspector`` method)."""
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == "sqlalchemy.engine.reflection":
            return True
        tb = tb.tb_next
    return False


def _run_step(ctx: MigrationContext, step: MigrationStep, kw: Mapping[str, Any]) -> None:
    """Call the step's function; any failure becomes one line naming the revision file."""
    with _located(ctx), bound_operations(ctx):
        step.run(**kw)


def _run_step_or_mark(ctx: MigrationContext, step: MigrationStep, kw: Mapping[str, Any]) -> bool:
    """``--keep-going``: a revision that cannot be rendered offline becomes a marked comment block.

    What it emitted before failing is dropped (the emitter stages it); the
    block names the revision and the reason and carries ``info["unrendered"]``
    so the command can exit non-zero once the rest of the script is out.
    Returns whether the step was rendered: the caller then leaves out its
    version-table change, so the script never records what it does not do.
    """
    try:
        with ctx.impl.staged():
            _run_step(ctx, step, kw)
        return True
    except LimbeckError as err:
        reason = " ".join(str(err).split())
        rule = "-- " + "=" * 72
        text = "\n".join(
            [
                rule,
                f"-- NOT RENDERED: {step.name} {step.short_log} could not be rendered offline",
                f"-- {reason}",
                "-- Its statements are missing, and so is its version table change: this script does not record it.",
                rule,
            ]
        )
        ctx.emit(Statement(Kind.COMMENT, text, info={"unrendered": reason}))
        return False
