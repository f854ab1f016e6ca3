"""Offline runs on several cores: the steps of a long range rendered by forked workers.

An offline revision does not depend on what the database answered to the
ones before it, so ``upgrade``/``downgrade --sql`` and ``limbeck sql`` can
render the steps of a range in worker processes. The parent forks after
env.py configured the context and every revision file was imported (so a
``@compiles`` a file registers applies everywhere, as in a serial run);
each worker takes a contiguous slice of the steps and runs the very loop a
serial run runs (:class:`~limbeck.runtime.runner.StepLoop`), with its own
copy of the one emitter rendering each statement. The parent renders the
first slice itself, then takes each worker's statements, in order, and
hands them with their rendered texts to its emitter
(:meth:`~limbeck.runtime.emitter.Emitter.replay`), which frames and
publishes them exactly as :meth:`~limbeck.runtime.emitter.Emitter.emit`
does: one script, one stream for the observers.

What crosses steps is carried or checked, never guessed:

- the version rows and whether the version table is still to create: each
  worker starts from the state the steps before its slice leave;
- the run's memo of named types created so far (a PostgreSQL ``ENUM`` is
  created by the first ``create_table`` that uses it): a worker reports the
  names each step added; if one of them was already created by an earlier
  slice, the serial run would not have created it again, so the parent
  renders from that step on itself;
- anything else a revision changes that the next ones see (the context's
  options, transaction framing, the ``print()`` mode; see
  :meth:`~limbeck.runtime.migration.MigrationContext.run_state`): that step
  and all after it are rendered by the parent, in order;
- a step that fails in a worker is rendered again by the parent, in order,
  so the run stops at the first failing revision with the serial run's
  error (file and line); ``--keep-going`` blocks come from the same loop;
- what a revision leaves in the process for the ones after it (a helper
  module's set of the types it created, a ``@compiles`` or an event
  listener registered inside ``upgrade()``, a custom operation, an
  environment variable): the parent fingerprints it before the first step
  (:class:`~limbeck.runtime.carryover.Carryover`, which says what it covers
  and what it cannot see), and after its own slice; each worker after its
  slice. A slice that changed it is the last one taken as rendered: if
  the parent's, it renders all the rest itself, in order; if a worker's,
  the parent renders that slice and all after it (the change has to
  happen in the parent's process for the revisions after it to see it).

It is asked for: ``--jobs N`` / ``offline_jobs = N``, or ``0`` (:data:`AUTO`)
for the rule of :func:`jobs_for` (a long range with enough to render, on
the CPUs there are). Unset, a run is serial (:data:`DEFAULT`; see
:func:`configured_jobs` for the measurement that decided it). Without ``fork`` (Windows), with ``on_version_apply`` callbacks,
or with an observer that needs the statements' SQLAlchemy constructs
(lint, plan, ``--validate``, ``--guard``), the run is serial.

Import-light: the commands import this module to read ``--jobs``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.script.scanning import cpus, quiet_fork

if TYPE_CHECKING:
    from limbeck.compiler.statement import Statement
    from limbeck.config import Config
    from limbeck.runtime.carryover import Carryover
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.runner import StepLoop
    from limbeck.runtime.steps import MigrationStep

__all__ = ["AUTO", "DEFAULT", "MIN_CODE_PER_JOB", "MIN_STEPS_PER_JOB", "busy", "code_size", "configured_jobs", "jobs_for", "run_parallel"]

_log = logging.getLogger(__name__)

#: ``--jobs 0``: as many workers as there are CPUs, when the range has the work to gain (asked for,
#: not the default: on the 2-core reference machine it lost wall time, see configured_jobs)
AUTO = 0
#: what a run uses when neither ``--jobs`` nor ``offline_jobs`` says: one process
DEFAULT = 1
#: below this many steps per worker, forking and handing statements back cost more than
#: rendering them saves (measured in bench/, see bench/RESULTS.md)
MIN_STEPS_PER_JOB = 100
#: below this much bytecode of ``upgrade()``/``downgrade()`` functions per worker, the same (see jobs_for)
MIN_CODE_PER_JOB = 200_000
#: the context option a command sets (``RunOptions.jobs``); absent, a run is serial
OPTION = "offline_jobs"
#: ``behaviour.run_cache`` entries: the memo of named types created in the run, and pure caches
#: (which no statement depends on: the stairway keeps them from one move to the next)
_MEMO = "ddl_memo"
PURE_CACHES = frozenset({"index_stubs"})


def configured_jobs(config: Config, given: int | None) -> int:
    """``--jobs``, else ``offline_jobs`` of the config file, else :data:`DEFAULT` (one process).

    ``1`` keeps a run in one process; :data:`AUTO` (``0``) renders on the
    CPUs where the range has the work for it (see :func:`jobs_for`). Nothing
    a revision leaves for a later one can make the scripts differ unnoticed
    (the module docstring says what is checked), so the only question for a
    default is speed, and on the 2-core reference machine, idle (load
    0.6-1.7, bench/jobs.py, 2026-12-06 20:32 UTC), two processes took longer
    than one in wall time on every 1,000-revision range measured: 0.84-0.88x
    on autogenerate-shaped revisions, 0.95-0.99x on generated ones, although
    the parent's own CPU time fell by 1.10-1.25x. So the default is serial;
    parallel rendering is asked for.

    Raises:
        CommandError: a negative count, or a config value that is not a whole number.
    """
    if given is None:
        value = config.get_alembic_option("offline_jobs")
        if value is None or str(value).strip() == "":
            return DEFAULT
        try:
            given = int(str(value).strip())
        except ValueError:
            raise CommandError(f"offline_jobs in the config file: {value!r} is not a whole number") from None
        where = "offline_jobs in the config file"
    else:
        where = "--jobs"
    if given < 0:
        raise CommandError(f"{where}: {given} workers? 1 renders in this process, 0 picks by CPUs and range length")
    return given


def jobs_for(ctx: MigrationContext, steps: Sequence[MigrationStep]) -> int:
    """How many processes render ``steps``: 1 (serial) unless everything allows more.

    :data:`AUTO` takes a CPU per :data:`MIN_STEPS_PER_JOB` steps and per
    :data:`MIN_CODE_PER_JOB` bytes of the steps' ``upgrade()``/``downgrade()``
    bytecode, in a process running no other thread (forking one that does
    may copy a lock another thread holds), and not on macOS (whose system
    libraries do not survive a fork reliably; ``--jobs N`` still forks
    there, as asked), nor when the load average already fills every CPU
    (:func:`busy`: measured at load 5 to 10 on 2 cores, a worker only
    competed with the parent for a core and cost 5-20% more CPU for no
    shorter run). The bytecode is what the steps
    have to render, measured before rendering any. The thresholds come from
    an earlier measurement on the 2-core reference machine (bench/jobs.py,
    1,000 revisions), where two processes cut the parent's CPU time (then
    taken for the critical path on idle cores; wall time later said
    otherwise, see :func:`configured_jobs`) by 1.17-1.25x for ``upgrade``
    of classic generated revisions (about 700 bytes each) and of
    autogenerate-shaped ones (about 2,000), 1.17-1.23x for ``downgrade`` of
    the latter (about 1,650), and not at all for ``downgrade`` of classic
    ones (a ``drop_table``, about 150 bytes: 0.98-1.03x, rendering that
    share costs less than forking and the copied memory pages): a worker
    was expected to gain once its share is worth about a third of a
    second, about 200,000 bytes.
    """
    wanted = ctx.opts.get(OPTION)
    if wanted is None or wanted == 1 or not ctx.as_sql or not hasattr(os, "fork"):
        return 1
    if wanted == AUTO:
        import threading

        if threading.active_count() > 1 or sys.platform == "darwin" or busy():
            return 1
        jobs = min(cpus(), len(steps) // MIN_STEPS_PER_JOB)
        if jobs > 1:
            jobs = min(jobs, code_size(steps) // MIN_CODE_PER_JOB)
    else:
        jobs = min(int(wanted), len(steps))
    if jobs <= 1 or not replayable(ctx):
        return 1
    from limbeck.runtime.carryover import Carryover

    return jobs if Carryover.available() else 1


def busy() -> bool:
    """Whether the 1-minute load average already fills every CPU this process may use."""
    try:
        return os.getloadavg()[0] >= cpus()
    except (AttributeError, OSError):  # no load average here: nothing says the CPUs are busy
        return False


def code_size(steps: Sequence[MigrationStep]) -> int:
    """Bytes of bytecode of the functions ``steps`` run: how much they have to render, roughly."""
    total = 0
    for step in steps:
        try:
            fn = getattr(step, "migration_fn", None)
        except Exception:  # noqa: BLE001 - a stamp step, a file without the function: the run reports it
            continue
        code = getattr(fn, "__code__", None)
        total += len(code.co_code) if code is not None else 0
    return total


def replayable(ctx: MigrationContext) -> bool:
    """Whether the run's statements may come back from workers as texts.

    Observers see a replayed statement without its SQLAlchemy construct
    and operation record; only those that say they need neither (the script
    check of every ``--sql`` run, ``limbeck sql``'s files) allow it. An emit
    listener (lint's line finder, ``--guard``) or an ``on_version_apply``
    callback must run in this process, where the revision runs.
    """
    impl = ctx.impl
    if ctx.on_version_apply_callbacks or impl.emit_listeners:
        return False
    return all(getattr(observer, "replayable", False) for observer in impl.observers)


# -- the parent --------------------------------------------------------------------------------
def _slices(count: int, jobs: int) -> list[tuple[int, int]]:
    """``jobs`` contiguous slices of ``count`` steps, as even as can be."""
    size, extra = divmod(count, jobs)
    bounds, start = [], 0
    for index in range(jobs):
        end = start + size + (1 if index < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds


@dataclass
class _Worker:
    pid: int
    fd: int
    start: int
    end: int
    collected: bool = False

    def collect(self) -> list[Any]:
        """The worker's steps, as rendered; fewer than its slice (or none) if it stopped early."""
        chunks = []
        try:
            while True:
                data = os.read(self.fd, 1 << 20)
                if not data:
                    break
                chunks.append(data)
        finally:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)
            self.collected = True
        if status != 0 or not chunks:
            return []
        try:
            return list(pickle.loads(b"".join(chunks)))
        except Exception:  # noqa: BLE001 - a worker that could not hand back its steps: the parent renders them
            return []

    def stop(self) -> None:
        if self.collected:
            return
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        self.collected = True


def run_parallel(loop: StepLoop, steps: Sequence[MigrationStep], jobs: int) -> None:
    """Run ``steps`` through ``loop`` as a serial run would, rendering slices in ``jobs - 1`` workers."""
    from limbeck.runtime.carryover import Carryover

    bounds = _slices(len(steps), jobs)
    starts = _states_at(loop, steps, [start for start, _ in bounds[1:]])
    carryover = Carryover(loop.ctx, steps)
    before = carryover.take()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # a child must not inherit buffered output and write it again
    workers: list[_Worker] = []
    try:
        for (start, end), heads in zip(bounds[1:], starts):
            workers.append(_fork(loop, steps[start:end], heads, start, end, carryover, before))
        position = 0
        for step in steps[: bounds[0][1]]:
            loop.run(step)
            position += 1
        taken = workers
        after = carryover.take(0, bounds[0][1])
        if carryover.changed(before, after):  # the first slice left something for later revisions
            _log.debug("the first %d steps changed %s: the rest renders in this process", bounds[0][1],
                       carryover.difference(before, after))
            taken = []
        for worker in taken:
            if position != worker.start:
                break  # an earlier slice stopped short: the parent renders the rest in order
            position = _replay(loop, steps, worker.start, worker.collect())
        for step in steps[position:]:
            loop.run(step)
    finally:
        for worker in workers:
            worker.stop()


def _states_at(loop: StepLoop, steps: Sequence[MigrationStep], positions: Sequence[int]) -> list[list[str]]:
    """The version rows at each of ``positions``, as the steps before it leave them."""
    from limbeck.runtime.version_table import Heads

    state = Heads(loop.state.table, loop.state.heads)
    found, done = [], 0
    for position in positions:
        for step in steps[done:position]:
            step.version_statements(state, loop.revision_map)
        done = position
        found.append(list(state.heads))
    return found


def _replay(loop: StepLoop, steps: Sequence[MigrationStep], start: int, rendered: list[Any]) -> int:
    """Hand a worker's steps to the emitter in order; returns the position of the first one not taken."""
    from limbeck.compiler.statement import Kind, Statement

    ctx = loop.ctx
    memo = ctx.behaviour.run_cache.setdefault(_MEMO, {})
    position = start
    for records, added in rendered:
        if any(memo.get(key, ()) and set(memo[key]) & names for key, names in added.items()):
            break  # the serial run would not create this named type again: render it here
        for kind, element, revision, direction, autocommit, info, texts, in_transaction in records:
            stmt = Statement(Kind(kind), element, revision=revision, direction=direction, autocommit=autocommit, info=info)
            ctx.impl.replay(stmt, texts, in_transaction)
        for key, names in added.items():
            memo.setdefault(key, set()).update(names)
        loop.skip(steps[position])
        position += 1
    return position


# -- a worker ----------------------------------------------------------------------------------
def _fork(
    loop: StepLoop, steps: Sequence[MigrationStep], heads: list[str], start: int, end: int, carryover: Carryover, before: Any
) -> _Worker:
    import random

    read, write = os.pipe()
    seeded = random.getstate()
    # the worker takes no lock a thread may hold (every revision is imported, nothing is read from
    # disk) and leaves through os._exit
    pid = quiet_fork()
    if pid == 0:  # pragma: no cover - runs in the child (its results are what the tests compare)
        os.close(read)
        code = 1
        try:
            random.setstate(seeded)  # the random module reseeds a forked child: start where a serial run would
            rendered = _render(loop, steps, heads)
            after = carryover.take(start, end)
            if carryover.changed(before, after, start):  # the slice left something for later revisions
                _log.debug("steps %d to %d changed %s: the parent renders them", start, end - 1,
                           carryover.difference(before, after, start))
                rendered = []
            data = pickle.dumps(rendered, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            with contextlib.suppress(BaseException):  # nothing may keep the child from leaving here
                sys.stderr.flush()  # what a revision logged or warned (stdout is the parent's script)
            os._exit(code)
    os.close(write)
    return _Worker(pid, read, start, end)


def _render(loop: StepLoop, steps: Sequence[MigrationStep], heads: list[str]) -> list[Any]:
    """In the worker: run ``steps`` through the loop; each step's statements and the named types it created.

    Stops at the first step that fails or changes what the steps after it
    would see: the parent renders that one and the rest itself.
    """
    from limbeck.runtime.progress import Progress
    from limbeck.runtime.version_table import Heads

    ctx = loop.ctx
    records: list[Any] = []

    def observe(stmt: Statement, texts: list[str] | None) -> None:
        records.append((*_portable(stmt), texts, ctx.impl.in_transaction))

    ctx.impl.divert(observe)
    loop.state = Heads(loop.state.table, heads)
    loop.create = False
    loop.progress = Progress(0, quiet=True)
    cache = ctx.behaviour.run_cache
    done: list[Any] = []
    for step in steps:
        before = (ctx.run_state(), _cache_state(cache))
        records = []
        try:
            loop.run(step)
        except Exception:  # noqa: BLE001 - the parent renders this step again and reports it
            break
        added = _added(before[1], _cache_state(cache))
        if added is None or ctx.run_state() != before[0]:
            break
        done.append((records, added))
    return done


def _portable(stmt: Statement) -> tuple[Any, ...]:
    """What of ``stmt`` goes back to the parent: no SQLAlchemy construct, no operation record."""
    element = stmt.element if isinstance(stmt.element, str) else None
    info = {key: value for key, value in stmt.info.items() if isinstance(value, (str, int, float, bool, tuple, type(None)))}
    return stmt.kind.value, element, stmt.revision, stmt.direction, stmt.autocommit, info


def _cache_state(cache: dict[str, Any]) -> tuple[frozenset[str], dict[Any, frozenset[Any]] | None, Any]:
    """The run cache's keys and its memo of named types (``None``: a shape this module does not know)."""
    memo = cache.get(_MEMO)
    names: dict[Any, frozenset[Any]] | None = {}
    if memo is not None:
        if not isinstance(memo, dict) or not all(isinstance(v, set) for v in memo.values()):
            names = None
        else:
            names = {key: frozenset(value) for key, value in memo.items()}
    others = {key: id(value) for key, value in cache.items() if key != _MEMO and key not in PURE_CACHES}
    return frozenset(cache), names, others


def _added(before: Any, after: Any) -> dict[Any, set[Any]] | None:
    """The memo's new names between two states; ``None`` if anything else of the run cache changed."""
    keys, memo, others = before
    keys_after, memo_after, others_after = after
    if memo is None or memo_after is None or others != others_after:
        return None
    if (keys_after - keys) - {_MEMO} - PURE_CACHES:
        return None
    if any(key not in memo_after for key in memo):
        return None
    added = {}
    for key, names in memo_after.items():
        new = names - memo.get(key, frozenset())
        if new:
            added[key] = set(new)
        if not memo.get(key, frozenset()) <= names:
            return None
    return added
