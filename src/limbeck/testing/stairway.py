"""The stairway test: every revision upgraded, downgraded and upgraded again on a real database.

A downgrade that forgets something (an index, a column, a row in the version
table) goes unnoticed until somebody rolls back in production; upgrading the
same revision again right after its downgrade makes the database say so: the
second upgrade fails on what the downgrade left behind. Walking the
revisions in upgrade order, one revision at a time, pins the failure to the
first revision whose round trip breaks. Walking back down to base, revision
by revision, then leaves the database empty and runs every downgrade once more
from the state a real rollback starts from (all heads applied).

The whole walk is one online run of the project's env.py (one connection,
one migration lock, the script directory the caller loaded): its step list
is ``[round trip of each revision, base first] + [downgrade of each revision,
heads first]``. A round trip is one step: the revision's ``upgrade()``,
``downgrade()`` and ``upgrade()`` again, in the step's transaction, then its
version-table change; so 2N transactions for N revisions where each move
used to be a run of env.py of its own (a process of env.py, a connection, a
version-table read and a commit each, 4N of them). Revisions execute as
``limbeck upgrade``/``downgrade`` execute them: the same step runner, the
same per-revision transactions where the database's DDL is not
transactional, one transaction for the run where it is (PostgreSQL: a
failed walk rolls back to the empty database it started from).

Why the round trip and not a schema comparison (reflect before the upgrade
and after the downgrade, compare, and skip the second upgrade): the second
upgrade is the database's own answer, and it also catches what reflection
does not see (rows left in a table that survives, a function, type or
trigger made by ``op.execute``). It is also the cheaper one where it counts:
on PostgreSQL, reflecting just two tables (columns, indexes, keys,
constraints, with SQLAlchemy's batched ``get_multi_*``) plus the table,
sequence and type lists took about 40 ms when measured for this design,
where running a generated revision's ``upgrade()`` again takes a few
milliseconds (see bench/README.md, "The migration test loop").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError, MigrationFailed
from limbeck.runtime.steps import RevisionStep
from limbeck.script import Script, ScriptDirectory
from limbeck.testing.batching import HeldDDL, batches_ddl
from limbeck.testing.scratch import (
    ScratchDatabaseError,
    reason,
    require_empty,
    run_online,
    safe_url,
    scratch_database,
)

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext

__all__ = ["StairwayFailed", "run_stairway"]

#: the three moves of a revision's round trip, in order: (phase, the function it calls)
PHASES: tuple[tuple[str, str], ...] = (("upgrade", "upgrade"), ("downgrade", "downgrade"), ("upgrade again", "upgrade"))
#: the phase of the walk back down to base
FINAL_PHASE = "downgrade to base"


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
            file and the move that failed), the first downgrade on the way
            back to base that fails, or a database that is not empty.
    """
    if script is None:
        script = ScriptDirectory.from_config(config)
    order: list[Script] = list(reversed(list(script.walk_revisions())))
    try:
        with scratch_database(config, script, url, check_empty=False) as db_url:
            walk = _Walk(order, db_url)
            try:
                run_online(config, script, walk.steps, "heads")
            except ScratchDatabaseError:
                raise
            except Exception as exc:
                raise walk.failure(exc) from exc
            finally:
                walk.close()
    except ScratchDatabaseError as exc:
        raise StairwayFailed(f"stairway {exc}") from exc
    return [revision.revision for revision in order]


class _Walk:
    """The step list of the walk, and where it is (to name the revision and move that failed)."""

    def __init__(self, order: Sequence[Script], url: str) -> None:
        self.order = order
        self.url = url
        #: env.py called the migration function: the version table could be read
        self.started = False
        #: the revision and the move running now (the last one begun, after a failure)
        self.revision: Script | None = None
        self.phase: str | None = None
        #: the DDL held back to be sent as one text (see limbeck.testing.batching)
        self.held: HeldDDL | None = None

    def steps(self, heads: Sequence[str], context: MigrationContext) -> list[Any]:
        self.started = True
        require_empty(heads, self.url)
        _scratch_session(context)
        if batches_ddl(context):
            self.held = HeldDDL(context).__enter__()
        walk: list[Any] = [_RoundTrip(revision, self) for revision in self.order]
        walk += [_Downgrade(revision, self) for revision in reversed(self.order)]
        return walk

    def at(self, revision: Script, phase: str) -> None:
        if self.held is not None:
            self.held.flush()  # the last move's statements fail as that move's
        self.revision, self.phase = revision, phase

    def call(self, function: Callable[..., None], kw: dict[str, Any]) -> None:
        """Run a migration function; its DDL may be held back until the next statement that needs an answer."""
        held = self.held
        if held is None:
            function(**kw)
            return
        held.armed = True
        try:
            function(**kw)
        finally:
            held.armed = False

    def close(self) -> None:
        if self.held is not None:
            self.held.__exit__(None, None, None)
            self.held = None

    def failure(self, exc: BaseException) -> StairwayFailed:
        revision, phase = self.revision, self.phase
        if revision is None or phase is None:
            if not self.started:
                return StairwayFailed(f"stairway could not read the version table of {safe_url(self.url)}: {reason(exc)}")
            # before the first move: a revision file that cannot be imported (the message names it), or env.py
            return StairwayFailed(f"stairway failed: {reason(exc, located=True)}")
        cause = reason(exc) if isinstance(exc, MigrationFailed) else reason(exc, located=True)
        return StairwayFailed(
            f"stairway failed at revision {revision.revision} ({revision.path}) on {phase}: {cause}",
            revision.revision, revision.path, phase,
        )


def _scratch_session(context: MigrationContext) -> None:
    """The database's settings for a throwaway session (SQLite: no fsync per COMMIT), where they can be set.

    Outside a transaction only (SQLite refuses to change them inside one);
    the run's connection keeps them until it closes, which env.py's
    ``with connectable.connect()`` does at the end of the walk.
    """
    connection = context.connection
    if connection is None or getattr(connection.connection.dbapi_connection, "in_transaction", False):
        return
    for sql in context.impl.behaviour.scratch_session_sql:
        connection.exec_driver_sql(sql)


class _RoundTrip(RevisionStep):
    """One revision's upgrade, downgrade and upgrade again, as one step (one transaction, one version-table change)."""

    def __init__(self, revision: Script, walk: _Walk) -> None:
        super().__init__(revision, True)
        self.script = revision
        self.walk = walk

    def run(self, **kw: Any) -> None:
        revision = self.script
        functions = {"upgrade": self.migration_fn, "downgrade": RevisionStep(revision, False).migration_fn}
        try:
            for phase, function in PHASES:
                self.walk.at(revision, phase)
                self.name = function  # what a failure's "(revision ..., downgrade)" says
                self.walk.call(functions[function], kw)
        finally:
            self.name = "upgrade"


class _Downgrade(RevisionStep):
    """One revision's downgrade on the way back to base."""

    def __init__(self, revision: Script, walk: _Walk) -> None:
        super().__init__(revision, False)
        self.script = revision
        self.walk = walk

    def run(self, **kw: Any) -> None:
        self.walk.at(self.script, FINAL_PHASE)
        self.walk.call(super().run, kw)
