"""MigrationContext: a dialect, an emitter and a version table, running steps.

This is the object Alembic's documentation calls the migration context and
what ``op.get_context()`` returns. It decides transaction boundaries (one
for the run, or one per revision: :mod:`limbeck.runtime.framing`), creates the version table when needed,
runs each step's function with ``op`` bound to it, records each step in the
version table, and hands every resulting statement to its one emitter.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from dataclasses import replace
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from limbeck.compiler.data import classify_sql
from limbeck.compiler.statement import Kind, Statement
from limbeck.dialects import behaviour_for
from limbeck.errors import AlembicWorded, CommandError, LimbeckError, MigrationFailed, MigrationInterrupted, also_as
from limbeck.operations import Operations
from limbeck.runtime.batch import refuse_placement_in_place
from limbeck.runtime.emitter import Emitter
from limbeck.runtime.framing import TransactionFraming
from limbeck.runtime.invoke import run_operation
from limbeck.runtime.locking import RunLock
from limbeck.runtime.offline import offline_bind, print_mode
from limbeck.runtime.progress import context_opened
from limbeck.runtime.runner import run_steps
# Alembic's module also holds the step classes (pytest-alembic imports RevisionStep from it)
from limbeck.runtime.steps import MigrationInfo, MigrationStep, RevisionStep, StampStep, offline_start, stamp_steps
from limbeck.runtime.version_table import VERSION_NUM_LENGTH, Heads, VersionTable, build_table

#: what stops an online run: a failed revision or Ctrl-C
_Stopped = TypeVar("_Stopped", MigrationFailed, MigrationInterrupted)
#: version writes whose row count is checked online (as Alembic: exactly one row)
_COUNTED_ACTIONS = frozenset({"update", "delete"})

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Dialect

    from limbeck.config import Config
    from limbeck.operations.base import OperationsBase
    from limbeck.operations.records import MigrateOperation
    from limbeck.operations.tables import BatchAlterTableOp
    from limbeck.runtime.environment import EnvironmentContext
    from limbeck.runtime.steps import MigrationStep

log = logging.getLogger(__name__)


class MigrationContext(TransactionFraming):
    """The database (or script) a migration runs against."""

    def __init__(
        self,
        dialect: "Dialect",
        connection: "Connection | None",
        opts: Mapping[str, Any],
        environment_context: "EnvironmentContext | None" = None,
    ) -> None:
        self.environment_context = environment_context
        self.opts = dict(opts)
        self.dialect = dialect
        self.script = self.opts.get("script")
        self.as_sql = bool(self.opts.get("as_sql", False))
        if self.opts.get("literal_binds") and not self.as_sql:
            # as Alembic: an env.py passing it online is refused, not quietly run
            raise CommandError("Can't use literal_binds setting without as_sql mode")
        self._connection = None if self.as_sql else connection
        self._migrations_fn: Callable[..., Any] | None = self.opts.get("fn")
        self._start_from_rev: str | None = self.opts.get("starting_rev")
        self._transaction_per_migration = bool(self.opts.get("transaction_per_migration", False))
        self.behaviour = behaviour_for(dialect, self.opts)
        if self.as_sql and connection is None:
            self.behaviour.prepare_offline()
        self.output_buffer = self.opts.get("output_buffer")
        #: the one emitter of this context (Alembic calls it ``impl``)
        self.impl = Emitter(
            self.behaviour,
            connection=self._connection,
            as_sql=self.as_sql,
            output_buffer=self.output_buffer,
            literal_binds=bool(self.opts.get("literal_binds", False)),
            output_encoding=self.opts.get("output_encoding"),
        )
        self.impl.context_execute = self.execute
        # a command's offline script waits for the run to succeed; a program's context writes as it goes
        self._holds_output = environment_context is not None and environment_context.command_run
        context_opened(self.behaviour.alembic_impl, self.as_sql, self.impl.transactional_ddl)
        self.version_table = self.opts.get("version_table", "alembic_version")
        self.version_table_schema = self.opts.get("version_table_schema")
        self._version = VersionTable(
            build_table(self.version_table, self.version_table_schema, self.opts.get("version_table_pk", True)),
            insert_returning=self.behaviour.implicit_returning,
            render=None if self.as_sql else self.impl.literal_templates.prepared,
        )
        callbacks = self.opts.get("on_version_apply") or ()
        self.on_version_apply_callbacks = tuple(callbacks) if not callable(callbacks) else (callbacks,)
        self._outer_transaction = False
        self._current_step: "MigrationStep | None" = None
        self._autocommit_depth = 0
        self._offline_bind: Any = None
        #: the version write being emitted whose row count its sender checks later (it holds it back)
        self.row_check_taken: Statement | None = None
        #: offline, what ``print()`` in a revision becomes: ``comment`` lines or ``raw`` text
        self.offline_print = _offline_print(self.opts, environment_context) if self.as_sql else None
        #: one online run at a time per database and version table (see runtime.locking)
        self.run_lock = RunLock(self)
        #: what env.py passed to run_migrations() (the multidb template names its database:
        #: engine_name=...); None until it runs the migrations on this context
        self.run_arguments: dict[str, Any] | None = None
        # review tools (limbeck.review) watch the whole stream, env.py's own statements included
        for attach in self.opts.get("stream_hooks") or ():
            attach(self)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def configure(
        cls,
        connection: "Connection | None" = None,
        url: Any = None,
        dialect_name: str | None = None,
        dialect: "Dialect | None" = None,
        environment_context: "EnvironmentContext | None" = None,
        dialect_opts: Mapping[str, Any] | None = None,
        opts: Mapping[str, Any] | None = None,
    ) -> "MigrationContext":
        """Create a context from a connection, a URL, a dialect name or a ``Dialect``."""
        opts = dict(opts or {})
        dialect_opts = dict(dialect_opts or {})
        if opts.get("as_sql"):
            # offline scripts carry no parameters: named style never doubles '%'
            dialect_opts.setdefault("paramstyle", "named")
        owner = getattr(connection, "offline_context", None)
        if isinstance(owner, cls):
            # a context made on an offline run's bind (a revision building its own Operations, as
            # some do): that run's context, so the statements join the script where they are made,
            # as Alembic's mock connection writes them there
            return owner
        if connection is not None:
            if not hasattr(connection, "dialect") or not hasattr(connection, "execute"):
                raise CommandError(
                    "'connection' argument to configure() is expected to be a "
                    f"sqlalchemy.engine.Connection instance, got {connection!r}"
                )
            dialect = connection.dialect
        elif dialect is not None:
            pass
        elif url is not None or dialect_name:
            dialect = _dialect_from(url, dialect_name, dialect_opts)
        else:
            raise CommandError("Connection, url, or dialect_name is required.")
        return cls(dialect, connection, opts, environment_context)

    # -- what env.py and scripts ask -------------------------------------------------------
    @property
    def bind(self) -> Any:
        """The connection online; offline, a stand-in that writes what it executes (see runtime.offline)."""
        if self.as_sql:
            if self._offline_bind is None:
                self._offline_bind = offline_bind(self)
            return self._offline_bind
        return self._connection

    @property
    def connection(self) -> "Connection | None":
        """The connection online; offline, the same stand-in as :attr:`bind`, as in Alembic.

        Revisions read it (invenio-accounts' f2522cdd5fcd:
        ``op.get_context().connection.engine.name``); offline there is no connection to be ``None``.
        """
        return self.bind if self.as_sql else self._connection

    @property
    def config(self) -> "Config | None":
        env = self.environment_context
        return env.config if env is not None else None

    def running_revision(self) -> bool:
        """Whether a revision's function is running now (not env.py, not between steps)."""
        step = self._current_step
        return step is not None and getattr(step, "revision", None) is not None

    def describe_current(self, line: int | None = None) -> str:
        """``<file>[:<line>] (revision <id>, <direction>)`` for error messages."""
        step = self._current_step
        rev = step.revision if step is not None else None
        if step is None or rev is None:
            return "env.py"
        where = getattr(rev, "path", None) or rev.revision
        if line:
            where = f"{where}:{line}"
        return f"{where} (revision {rev.revision}, {step.name})"

    def revision_line(self, tb: TracebackType | None = None) -> int | None:
        """The line of the running revision's file that is executing.

        The innermost frame of that file in ``tb`` (where an exception came
        from), else on the current call stack (what asked for a refusal).
        """
        path = getattr(getattr(self._current_step, "revision", None), "path", None)
        if not path:
            return None
        target = _norm_path(path)
        if tb is not None:
            line = None
            while tb is not None:
                if _norm_path(tb.tb_frame.f_code.co_filename) == target:
                    line = tb.tb_lineno
                tb = tb.tb_next
            return line
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if _norm_path(frame.f_code.co_filename) == target:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def get_current_heads(self) -> tuple[str, ...]:
        """The revisions the database is at (offline: the range's start)."""
        if self.as_sql:
            start = self._start_from_rev
            if start in (None, "base"):
                return ()
            if self.script is not None:
                return offline_start(self.script.revision_map, start)
            return tuple(start.split(",")) if isinstance(start, str) else tuple(start)
        if self._start_from_rev:
            # a starting point stands for the version table offline only: online the table is read
            raise CommandError("Can't specify current_rev to context when using a database connection")
        if self._connection is None:
            raise CommandError("no database connection to read the version table from")
        return self._version.read(self._connection)

    @property
    def version_table_object(self) -> "Table":
        """The version table as a SQLAlchemy ``Table`` (what ``--guard`` reads)."""
        return self._version.table

    def ensure_version_table(self) -> None:
        """Create the version table if it is missing (``limbeck ensure_version``)."""
        self._ensure_version_table()

    def get_current_revision(self) -> str | None:
        heads = self.get_current_heads()
        if not heads:
            return None
        if len(heads) > 1:
            raise CommandError(
                "Version table '%s' has more than one head present; please use get_current_heads()"
                % self.version_table
            )
        return heads[0]

    # -- the stream --------------------------------------------------------------------
    def stream_tags(self) -> tuple[str | None, str | None]:
        """The revision and direction :meth:`emit` gives a statement emitted now (None outside a step).

        A statement made with them already (offline DDL from a template) is
        not copied again to carry them.
        """
        step = self._current_step
        if step is None:
            return None, None
        rev = getattr(step, "revision", None)
        return (rev.revision if rev is not None else ",".join(step.to_revisions)), step.name

    def emit(self, stmt: Statement) -> Any:
        """Tag ``stmt`` with the running revision and hand it to the emitter."""
        if stmt.revision is None and self._current_step is not None:
            revision, direction = self.stream_tags()
            # ``dataclasses.replace`` spelled out: one per statement of a long offline run
            stmt = Statement(
                stmt.kind, stmt.element, revision, direction, stmt.source, stmt.multiparams, stmt.params,
                stmt.execution_options, stmt.autocommit, stmt.info,
            )
        if self._autocommit_depth and not stmt.autocommit and stmt.is_executable:
            stmt = replace(stmt, autocommit=True)
        result = self.impl.emit(stmt)
        if stmt.kind is Kind.VERSION and not self.as_sql:
            if self.row_check_taken is stmt:
                self.row_check_taken = None
            elif result is not None and self.rows_counted(stmt):
                self.check_version_rows(stmt, result.rowcount)
        return result

    def rows_counted(self, stmt: Statement) -> bool:
        """Whether the version write ``stmt``'s row count is checked: an update or delete, where the driver counts rows."""
        if stmt.info.get("action") not in _COUNTED_ACTIONS:
            return False
        return bool(getattr(self.dialect, "supports_sane_rowcount", False))

    def check_version_rows(self, stmt: Statement, rowcount: int) -> None:
        """As Alembic: online, a version row updated or deleted must be exactly one row.

        More (a version table without primary key holding a row twice) or none (a row
        changed behind the run's back) stops the run, which rolls back what it can.
        Public for whoever sends the statement later and reads its count then
        (the stairway's held text: :attr:`row_check_taken`).
        """
        action = stmt.info.get("action")
        if action not in _COUNTED_ACTIONS or rowcount == 1:
            return
        table = self._version.table.name
        info = stmt.info
        if action == "update":
            what = f"updating {info.get('frm')!r} to {info.get('to')!r}"
        else:
            what = f"deleting {info.get('frm')!r}"
        raise CommandError(f"Online migration expected to match one row when {what} in {table!r}; {rowcount} found")

    def emit_all(self, stmts: Sequence[Statement]) -> Any:
        """Emit an operation's statements; offline all are rendered before any is written,
        so one that cannot be rendered leaves none of the others in the script."""
        if len(stmts) > 1 and self.impl.as_sql:
            with self.impl.staged():
                return self._emit_each(stmts)
        return self._emit_each(stmts)

    def _emit_each(self, stmts: Sequence[Statement]) -> Any:
        result = None
        for stmt in stmts:
            result = self.emit(stmt)
        return result

    def run_operation(self, operation: MigrateOperation, operations: OperationsBase | None = None) -> Any:
        """Run an operation record: lower it for this database and emit its statements.

        The one way a record runs: ``Operations.invoke`` comes here unless a
        user implementation is registered for the record's class. A batch the
        database can alter in place sends each of its records back through
        ``operations.invoke`` (a plain ``Operations`` on this context when not
        given), so user implementations apply inside a batch as outside.
        """
        if operations is None:
            operations = Operations(self)
        try:
            return run_operation(self, operation, operations)
        except LimbeckError as refused:
            if isinstance(refused, AlembicWorded) and self.running_revision():
                refused.inside_revision()  # a revision that catches it reads Alembic's words
            raise

    def check_queued(self, batch: BatchAlterTableOp, operation: MigrateOperation) -> None:
        """Refuse, as Alembic's batch does at the call, an ``add_column`` placed in a table altered in place."""
        refuse_placement_in_place(self, batch, operation)

    def execute(self, sql: Any, execution_options: Mapping[str, Any] | None = None) -> Any:
        """Run (online) or render (offline) a SQL construct or plain string."""
        return self.emit(Statement(classify_sql(sql), sql, execution_options=execution_options))

    def static_output(self, text: str) -> None:
        self.impl.static_output(text)

    # -- running -----------------------------------------------------------------------
    def run_migrations(self, **kw: Any) -> None:
        """Run the steps the command asked for; see the module docstring."""
        if self._migrations_fn is None:
            raise CommandError("run_migrations() called on a context that has no migration function")
        self.run_arguments = dict(kw)
        held_already = self.impl.hold() if self._holds_output else False
        # the heads are read under the lock: a run that waited sees what the other one did
        with self.run_lock.hold():
            try:
                heads = self.get_current_heads()
                if not heads and not self.as_sql and not self.opts.get("dont_mutate"):
                    # as Alembic: an online run leaves the version table behind even with nothing
                    # to run (autogenerate, check, upgrade of an empty history); `current` does not
                    self._ensure_version_table()
                if self.opts.get("purge"):
                    self._ensure_version_table(purge=True)
                    heads = ()
                steps = list(self._migrations_fn(heads, self))
                _check_revision_lengths(steps)
                run_steps(self, heads, steps, kw)
            except MigrationFailed as err:
                self.impl.rollback()
                raise self._after_rollback(err) from err.__cause__
            except KeyboardInterrupt as err:
                self.impl.rollback()
                if not isinstance(err, MigrationInterrupted):
                    err = MigrationInterrupted("interrupted (Ctrl-C)")
                raise self._after_rollback(err) from err.__cause__
            except BaseException:
                self.impl.rollback()
                raise
            self.impl.finish()
        if not held_already or not self._outer_transaction:
            # env.py's own transaction (still open) releases the text at its COMMIT
            self.impl.release()

    def _after_rollback(self, err: _Stopped) -> _Stopped:
        """Say where the database stands after a failed online run.

        The progress lines already printed may name revisions whose work was
        just rolled back; the error line says what actually committed.
        """
        if self.as_sql or self._connection is None or self.impl.in_caller_transaction:
            return err
        try:
            heads = self._version.read(self._connection)
            self.impl.finish()
        except Exception:  # the connection may be unusable after the failure
            return err
        where = ", ".join(heads) if heads else "base (empty version table)"
        # the same class (a failure is also an instance of the revision's own exception class,
        # see MigrationFailed.of) and attributes, with the database's position added
        restated: _Stopped = type(err).__new__(type(err))
        restated.__dict__.update(err.__dict__)
        restated.args = (f"{err}; the database is at {where}",)
        return restated

    def stamp(self, script_directory: Any, revision: str) -> None:
        """Stamp the version table with ``revision`` (Alembic's ``MigrationContext.stamp``).

        As Alembic: only the version-table statements, on the caller's connection and in its
        transaction (no framing, no ``-- Running`` comment); online the table is created
        first when the database has no version rows, offline it is assumed to exist.
        """
        heads = self.get_current_heads()
        if not self.as_sql and not heads:
            self._ensure_version_table()
        state = self.version_heads(heads)
        for step in stamp_steps(script_directory.revision_map, [revision], heads):
            self.emit_all(step.version_statements(state, script_directory.revision_map))

    # -- what the step runner (runtime.runner) asks -----------------------------------------
    @property
    def starting_rev(self) -> str | None:
        """Where an offline run starts (``start:end``); ``None`` online."""
        return self._start_from_rev

    @property
    def runs_migrations(self) -> bool:
        """Whether ``run_migrations()`` has steps to run (``configure(fn=...)``, as commands do)."""
        return self._migrations_fn is not None

    @contextlib.contextmanager
    def running(self, step: MigrationStep) -> Iterator[None]:
        """``step`` is the running one: statements are tagged with it, errors name its file."""
        self._current_step = step
        try:
            yield
        finally:
            self._current_step = None

    def run_state(self) -> tuple[Any, ...]:
        """What a revision could change here that the revisions after it would see.

        The options (``op.get_context().opts``), the transaction framing and
        the ``print()`` mode; a parallel offline run (see
        :mod:`limbeck.runtime.parallel`) compares it around each step a worker
        renders and renders a step that changed it in order instead.
        """
        impl = self.impl
        return (
            {key: id(value) for key, value in self.opts.items()},
            self._transaction_per_migration, self._outer_transaction, self._autocommit_depth, self.offline_print,
            impl.in_transaction, impl.literal_binds, id(impl.output_buffer),
        )

    def version_heads(self, heads: Sequence[str]) -> Heads:
        """The version table's rows from ``heads`` on, as the steps of a run change them."""
        return Heads(self._version, heads)

    def create_version_table(self) -> None:
        """Emit the version table's CREATE TABLE."""
        self.emit(self._version.create())

    def _ensure_version_table(self, purge: bool = False) -> None:
        """Create the version table if it is missing (offline: always render it)."""
        if self.as_sql:
            self.emit(self._version.create())
        elif self._connection is not None and not self._version.exists(self._connection):
            self.emit(self._version.create())
        if purge:
            self.emit(self._version.delete_all())


def _check_revision_lengths(steps: Sequence["MigrationStep"]) -> None:
    for step in steps:
        for rev in step.to_revisions:
            if rev and len(rev) > VERSION_NUM_LENGTH:
                where = getattr(getattr(step, "revision", None), "path", None) or rev
                raise CommandError(
                    f"{where}: revision id '{rev}' is {len(rev)} characters, longer than the "
                    f"version table's version_num column ({VERSION_NUM_LENGTH})"
                )


def _norm_path(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _offline_print(opts: Mapping[str, Any], environment_context: "EnvironmentContext | None") -> str:
    return print_mode(opts, environment_context.config if environment_context is not None else None)


def _dialect_from(url: Any, dialect_name: str | None, dialect_opts: Mapping[str, Any]) -> "Dialect":
    # SQLAlchemy's error class too, which Alembic lets through (ArgumentError, NoSuchModuleError)
    try:
        parsed = make_url(url) if url is not None else make_url(f"{dialect_name}://")
    except ArgumentError as err:
        raise also_as(CommandError, err, f"could not parse database URL {str(url)!r}: {err}") from err
    try:
        dialect_cls = parsed.get_dialect()
    except NoSuchModuleError as err:
        source = "url" if url else "dialect_name"
        raise also_as(CommandError, err, f"unknown SQLAlchemy dialect '{parsed.drivername}' (from {source}): {err}") from err
    dialect: "Dialect" = dialect_cls(**dict(dialect_opts))
    return dialect


__all__ = ["LimbeckError", "MigrationContext", "MigrationInfo", "MigrationStep", "RevisionStep", "StampStep"]
