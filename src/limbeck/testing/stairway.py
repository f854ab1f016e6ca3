"""The stairway test: every revision upgraded, downgraded and upgraded again on a real database.

A downgrade that forgets something (an index, a column, a type, a row in the
version table) goes unnoticed until somebody rolls back in production;
upgrading the same revision again right after its downgrade makes the
database say so: the second upgrade fails on what the downgrade left behind.

The walk goes up to the heads one revision at a time (each ``upgrade()``
once, base first), then back down to base one revision at a time, heads
first: each revision's ``downgrade()`` runs from the state a real rollback
starts from (everything after it applied, then downgraded), its
``upgrade()`` runs again on what the downgrade left, and that second upgrade
is undone. A failure names the revision and the move (``upgrade``,
``downgrade``, ``upgrade again``, ``downgrade again``) with its file.

Undoing the second upgrade: where a rollback undoes the DDL the step has
run so far (PostgreSQL; SQLite, whose DDL runs in the BEGIN limbeck sends
before a revision's first statement, although Alembic calls it
non-transactional for its offline scripts), the second upgrade runs after a
savepoint and is rolled back to it: the database drops nothing, the client
runs no migration code. Elsewhere (MySQL, whose DDL commits), when the
downgrade sent nothing yet (SQLite: no BEGIN, so a savepoint would open the
transaction and its release commit it), or when the second upgrade itself
commits (an ``autocommit_block``), the revision's ``downgrade()`` runs
again. Where DDL is held back and sent as one text (see
:mod:`limbeck.testing.batching`), the downgrade's DDL, the savepoint, the
second upgrade's DDL and the rollback travel together; a failure in that
text is the downgrade's if the savepoint was not reached (a rollback to it
fails), else the second upgrade's. Where the driver can, each move's text is
sent ahead: the server runs it while the walk prepares the next move, and a
failure is reported once its answer is taken, as the failure of the move
that sent it. So the walk makes 3N migration calls for
N revisions on PostgreSQL and SQLite, as many as pytest-alembic's
``test_up_down_consistency`` (up, down to the first, up again), and 4N on
MySQL; an earlier version walked up in round trips (up, down, up) and then
down to base, 4N everywhere, with the same findings. The database's state
after a step is the same either way (the downgrade's), and a second
upgrade that fails does so before the undo.

The whole walk is one online run of the project's env.py (one connection,
one migration lock, the script directory the caller loaded): its step list
is ``[upgrade of each revision, base first] + [downgrade and check of each
revision, heads first]``, one step (and version-table change) each; each
move used to be a run of env.py of its own. Revisions execute as
``limbeck upgrade``/``downgrade`` execute them: the same step runner, the
same per-revision transactions where the database's DDL is not
transactional, one transaction for the run where it is (PostgreSQL: a
failed walk rolls back to the empty database it started from).

Why a second upgrade and not a schema comparison (reflect before the upgrade
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

from sqlalchemy.engine.default import DefaultDialect

from limbeck.errors import CommandError, MigrationFailed
from limbeck.runtime.parallel import PURE_CACHES
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

#: the moves, as failures name them: up to the heads; then, on the way down, each revision's
#: downgrade, its second upgrade, and (where no savepoint undoes that) its second downgrade
UPGRADE, DOWNGRADE, UPGRADE_AGAIN, DOWNGRADE_AGAIN = "upgrade", "downgrade", "upgrade again", "downgrade again"
#: the savepoint set before each second upgrade (released after the rollback to it)
SAVEPOINT = "limbeck_stairway"
#: SQLAlchemy's savepoint statements: each executes one clause of the savepoint's name, nothing else
_SAVEPOINT_METHODS = frozenset(
    (DefaultDialect.do_savepoint, DefaultDialect.do_rollback_to_savepoint, DefaultDialect.do_release_savepoint)
)


class StairwayFailed(CommandError):
    """A revision's upgrade, downgrade or second upgrade failed; the message names its file."""

    located = True

    def __init__(self, message: str, revision: str | None = None, path: str | None = None, phase: str | None = None) -> None:
        super().__init__(message)
        self.revision = revision
        self.path = path
        self.phase = phase


def run_stairway(config: Config, url: str | None = None, *, script: ScriptDirectory | None = None) -> list[str]:
    """Upgrade each revision, base first; then downgrade, upgrade again and undo that, heads first.

    Args:
        config: the project's configuration; its ``sqlalchemy.url`` is the
            stairway's database while the walk runs, then what it was.
        url: the database to walk on, which must be empty (no revision
            applied). Default: SQLite in a temporary file, removed afterwards.
        script: a loaded script directory to reuse (default: from ``config``).

    Returns:
        The revision ids walked, in order.

    Raises:
        StairwayFailed: the first upgrade on the way up that fails, or on
            the way down the first revision whose downgrade or second
            upgrade fails (with its file and the move that failed); or a
            database that is not empty.
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
        #: the run's context (set when env.py calls the migration function)
        self.context: MigrationContext | None = None
        #: the DDL held back to be sent as one text (see limbeck.testing.batching)
        self.held: HeldDDL | None = None
        #: what each savepoint statement held the last time it went through SQLAlchemy
        self._control: dict[Callable[[Any, str], None], list[str]] = {}

    def steps(self, heads: Sequence[str], context: MigrationContext) -> list[Any]:
        self.started = True
        self.context = context
        require_empty(heads, self.url)
        _scratch_session(context)
        if batches_ddl(context):
            self.held = HeldDDL(context).__enter__()
            self.held.mark = lambda: (self.revision, self.phase)
            self.held.failed = self._failed_later
            self.held.sent_failed = self._sent_failed
        walk: list[Any] = [_Upgrade(revision, self) for revision in self.order]
        walk += [_DowngradeAndCheck(revision, self) for revision in reversed(self.order)]
        return walk

    def at(self, revision: Script, phase: str, *, send: bool = True) -> None:
        """A move begins: what the last one held is sent, and lowering forgets what the last one created.

        Each move runs as a run of its own would (``limbeck upgrade +1``):
        a PostgreSQL ENUM a ``create_table`` made is made again by the
        second upgrade, and so fails there when the downgrade left it behind
        (the run's memory of it would skip the ``CREATE TYPE``, and would
        fail the second upgrade of a downgrade that did drop it). Pure
        caches (the stub tables index operations share) are kept, as a long
        run keeps them from one revision to the next.
        """
        if send and not (self.held is not None and self.held.carries_over):
            # the last move's statements fail as that move's (sent ahead: when their answer is
            # taken, see _sent_failed); its version write alone travels on with the next move's
            # text, its row count checked as the last move's (_failed_later)
            self.send()
        self.revision, self.phase = revision, phase
        if self.context is not None:
            cache = self.context.impl.behaviour.run_cache
            for key in [key for key in cache if key not in PURE_CACHES]:
                del cache[key]

    def flush(self) -> None:
        if self.held is not None:
            self.held.flush()

    def send(self, probe: str | None = None) -> None:
        """What is held leaves ahead: the server runs it while the walk prepares the next move."""
        if self.held is not None:
            self.held.send(probe)

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

    # -- undoing the second upgrade ---------------------------------------------------------
    def can_savepoint(self) -> bool:
        """Whether rolling back to a savepoint set now would undo DDL; if not, the walk downgrades again."""
        context = self.context
        assert context is not None
        impl, connection = context.impl, context.connection
        # ddl_undone_by_rollback: the step's DDL runs in a transaction the database can roll back
        # (PostgreSQL; SQLite once limbeck has sent its BEGIN), not MySQL's, which DDL commits;
        # split: the transaction ended inside this step (a commit, an autocommit_block) and none is framed now
        if connection is None or not impl.ddl_undone_by_rollback or impl.split:
            return False
        return connection.in_transaction()

    def savepoint(self) -> None:
        assert self.context is not None and self.context.connection is not None
        self._transaction_control(self.context.connection.dialect.do_savepoint)

    def reached_savepoint(self) -> bool:
        """After the second upgrade failed: whether the savepoint before it was set.

        The downgrade's DDL travels in one text with the savepoint and the
        second upgrade's DDL; if the database stopped before the savepoint,
        the downgrade's DDL is what failed. Nothing sent yet: the second
        upgrade's own code raised. Without held DDL (SQLite, other drivers)
        the savepoint was set before the second upgrade began, even if the
        database's error then rolled back the whole transaction with it.
        """
        if self.held is not None and self.held.held:
            return True
        context = self.context
        assert context is not None and context.connection is not None
        try:
            context.connection.dialect.do_rollback_to_savepoint(context.connection, SAVEPOINT)
        except Exception:  # noqa: BLE001 - whatever the database says, the savepoint was not there
            return self.held is None
        return True

    def undone_by_savepoint(self) -> bool:
        """After the second upgrade: roll back to the savepoint, unless the upgrade ended the transaction (then False)."""
        context = self.context
        assert context is not None and context.connection is not None
        if context.impl.split:  # a commit or an autocommit_block: the savepoint went with the transaction
            self.flush()
            return False
        dialect = context.connection.dialect
        # sent after the second upgrade's held DDL, in its text: a failure there stops before them
        rollback = self._transaction_control(dialect.do_rollback_to_savepoint)
        self._transaction_control(dialect.do_release_savepoint)
        # should the text fail, the same rollback right after it says whether its savepoint was set
        self.send(rollback[0] if len(rollback) == 1 else None)
        return True

    def _transaction_control(self, hook: Callable[[Any, str], None]) -> list[str]:
        """Run the dialect's savepoint statement (SQLAlchemy's text for it); held with the DDL where DDL is held.

        Returns the statements held (none where nothing is held).
        """
        context = self.context
        assert context is not None and context.connection is not None
        if self.held is None:
            hook(context.connection, SAVEPOINT)
            return []
        # SQLAlchemy's own savepoint methods execute one fixed clause: its text, once held, is held again
        known = self._control.get(hook) if getattr(hook, "__func__", None) in _SAVEPOINT_METHODS else None
        if known is not None and self.held.hold_again(known):
            return list(known)
        with self.held.holding_all() as held:
            hook(context.connection, SAVEPOINT)
        self._control[hook] = list(held)
        return held

    def close(self) -> None:
        if self.held is not None:
            self.held.__exit__(None, None, None)
            self.held = None

    def _failed_later(self, mark: Any, exc: Exception) -> Exception:
        """A version write sent with a later move's text matched no row: the failure of the move it followed."""
        self.revision, self.phase = mark
        return self.failure(exc)

    def _sent_failed(self, mark: Any, exc: Exception, reached: bool | None) -> Exception:
        """A text sent ahead failed: the failure of the move that sent it.

        The second upgrade's text begins with the downgrade's DDL: if the
        savepoint between them was never set (the rollback to it tried
        right after the failure did not work), the downgrade failed.
        """
        revision, phase = mark
        self.revision, self.phase = revision, DOWNGRADE if reached is False else phase
        return self.failure(exc)

    def failure(self, exc: BaseException) -> StairwayFailed:
        if isinstance(exc, StairwayFailed):
            return exc
        if self.held is not None:
            # a text sent ahead failed first (what failed since then may only be its consequence)
            try:
                self.held.settle()
            except StairwayFailed as earlier:
                return earlier
            if isinstance(self.held.failure_ahead, StairwayFailed):
                return self.held.failure_ahead
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


class _Upgrade(RevisionStep):
    """One revision's upgrade on the way up to the heads."""

    def __init__(self, revision: Script, walk: _Walk) -> None:
        super().__init__(revision, True)
        self.script = revision
        self.walk = walk

    def run(self, **kw: Any) -> None:
        self.walk.at(self.script, UPGRADE)
        self.walk.call(super().run, kw)


class _DowngradeAndCheck(RevisionStep):
    """One revision's downgrade, then its upgrade again and that undone, as one step (one version-table change)."""

    def __init__(self, revision: Script, walk: _Walk) -> None:
        super().__init__(revision, False)
        self.script = revision
        self.walk = walk

    def run(self, **kw: Any) -> None:
        revision, walk = self.script, self.walk
        upgrade, downgrade = RevisionStep(revision, True).migration_fn, self.migration_fn
        try:
            walk.at(revision, DOWNGRADE)
            walk.call(downgrade, kw)
            saved = walk.can_savepoint()
            # with a savepoint, the downgrade's DDL is sent with the second upgrade's, one text
            walk.at(revision, UPGRADE_AGAIN, send=not saved)
            self.name = "upgrade"  # what a failure's "(revision ..., upgrade)" says
            if saved:
                walk.savepoint()
                try:
                    walk.call(upgrade, kw)
                    undone = walk.undone_by_savepoint()
                except StairwayFailed:  # an earlier move's text, sent ahead, failed (named already)
                    raise
                except Exception:
                    if not walk.reached_savepoint():
                        walk.phase = DOWNGRADE
                    raise
                if undone:
                    return
            else:
                walk.call(upgrade, kw)
            walk.at(revision, DOWNGRADE_AGAIN)
            self.name = "downgrade"
            walk.call(downgrade, kw)
        finally:
            self.name = "downgrade"
