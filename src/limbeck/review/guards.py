"""``--guard``: the offline script checks that the database is where it starts, at every transaction segment.

A script rendered for ``b2:head`` is only right for a database at ``b2``.
The guard is the first statement after env.py's own framing: it reads the
version table and stops the script with an error when the rows are not
exactly the range's start (for a range from base: when a version table
already exists, since the script creates it).

A client that does not stop at the first error (``psql`` without
``ON_ERROR_STOP``) carries on after a failed guard: the rest of that
transaction fails with it, but after its COMMIT (an ``autocommit_block``, the
next revision with ``transaction_per_migration``) statements would run on a
database at the wrong revision. So the guard is repeated at the start of
every transaction segment, expecting the version rows the script has
written by then; on PostgreSQL a guard outside a transaction (where raising
stops nothing) first makes the session read-only (``SET SESSION
CHARACTERISTICS AS TRANSACTION READ ONLY`` and ``COMMIT`` inside the ``DO``
block, PostgreSQL 11+), so every later statement of the script fails too.

Per database (``version_guard`` of its behaviour, in :mod:`limbeck.dialects`):
PostgreSQL a ``DO`` block that raises; SQL Server ``IF ... THROW``; Oracle an
anonymous PL/SQL block calling ``RAISE_APPLICATION_ERROR``; MySQL/MariaDB a
``SELECT`` whose ``CASE`` falls into a subquery of two rows (error 1242)
because neither has a conditional error outside stored programs. SQLite
cannot stop a script on a condition outside a trigger: it gets a comment
saying what to check.
Clients should still stop at the first error: ``psql -v ON_ERROR_STOP=1``,
``sqlcmd -b``, SQL*Plus ``WHENEVER SQLERROR EXIT FAILURE``, and the
``mysql`` client without ``--force`` (SQL Server, Oracle and MySQL have no
way to stop the statements after a failed guard otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from limbeck.compiler.statement import EXECUTABLE_KINDS, Kind, Statement
from limbeck.review.lint.text_facts import text_of
from limbeck.review.stream import TransactionReading, transaction_control

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.dialects.base import VersionGuardSQL
    from limbeck.runtime.migration import MigrationContext


class VersionGuard(Executable, ClauseElement):
    """Stop unless ``table`` holds exactly ``expected`` (``None``: unless the table is absent)."""

    __visit_name__ = "limbeck_version_guard"
    inherit_cache = False

    def __init__(
        self,
        table: Table,
        expected: tuple[str, ...] | None,
        outside_transaction: bool = False,
        again: bool = False,
        sql: VersionGuardSQL | None = None,
    ) -> None:
        self.table = table
        self.expected = expected
        #: the database's guard SQL (``None``: it has none, and the guard stays a comment)
        self.sql = sql
        #: rendered where no transaction is open: raising alone would stop nothing after it
        self.outside_transaction = outside_transaction
        #: a re-check further down the script (its rows are those the script wrote by then)
        self.again = again

    @property
    def message(self) -> str:
        name = self.table.fullname
        if self.again:
            if self.expected is None:
                return f"limbeck guard: {name} already exists; the script does not create it until here"
            return f"limbeck guard: {name} must hold exactly {', '.join(self.expected) or 'nothing'} here; an earlier part of the script failed or the database moved"
        if self.expected is None:
            return f"limbeck guard: {name} already exists; this script starts from an empty database"
        if not self.expected:
            return f"limbeck guard: {name} must be empty; this script starts from base"
        return f"limbeck guard: {name} must hold exactly {', '.join(self.expected)}; this script starts there"


def expectation(guard: VersionGuard) -> str:
    """The guard's condition in words, for the comment above it."""
    if guard.expected is None:
        return f"the database has no {guard.table.fullname} table yet"
    if not guard.expected:
        return f"{guard.table.fullname} is empty"
    return f"{guard.table.fullname} holds exactly: {', '.join(guard.expected)}"


def guard_statements(
    context: MigrationContext, expected: tuple[str, ...] | None, *, again: bool = False, in_transaction: bool | None = None
) -> list[Statement]:
    """The comment and the guard statement for ``context``'s dialect (``again``: a segment's re-check).

    ``in_transaction``: whether the script has a transaction open where the
    guard goes (``None``: the emitter's framing says; a COMMIT the revision
    wrote as SQL ends one behind it).
    """
    behaviour = context.behaviour
    sql = behaviour.version_guard
    open_ = context.impl.in_transaction if in_transaction is None else in_transaction
    guard = VersionGuard(context.version_table_object, expected, not open_, again, sql)
    if sql is None:
        if again:
            return []
        text = (
            f"-- limbeck guard: {behaviour.dialect_name} cannot stop a script on a condition; "
            f"check by hand that {expectation(guard)}"
        )
        return [Statement(Kind.COMMENT, text, info={"guard": True})]
    if again:
        comment = f"-- limbeck guard, again where a new transaction segment starts: continue only if {expectation(guard)}"
    else:
        comment = f"-- limbeck guard: continue only if {expectation(guard)} ({sql.how_to_run})"
    return [
        Statement(Kind.COMMENT, comment, info={"guard": True}),
        Statement(Kind.DML, guard, info={"guard": True, "procedural": sql.procedural}),
    ]


@dataclass
class _Segments:
    """What one migration context's script has written, as far as the guard must know."""

    #: the version rows the script has written so far (``None``: no version table yet)
    rows: list[str] | None
    #: a BEGIN or COMMIT was rendered since the last guard
    new_segment: bool = False
    #: the transaction as the database has it (the framing's, and a COMMIT / BEGIN written as SQL)
    reading: TransactionReading = field(default_factory=lambda: TransactionReading(""))


class SegmentGuard:
    """``--guard`` for one run: the first guard, then one per transaction segment.

    Attached to every migration context (``stream_hooks``), it sees each
    statement as it is emitted. Before the first executable statement after
    a rendered BEGIN or COMMIT it emits the guard again, expecting the rows
    the version-table statements so far have written (committed by then).
    """

    def __init__(self) -> None:
        self._contexts: dict[int, tuple[MigrationContext, _Segments]] = {}

    def context_opts(self) -> dict[str, Any]:
        return {"stream_hooks": [self.attach]}

    def attach(self, context: MigrationContext) -> None:
        context.impl.emit_listeners.append(lambda stmt: self._before(context, stmt))

    def start(self, context: MigrationContext, heads: Sequence[str]) -> None:
        """The first guard: the database must be at the range's start."""
        start = context.opts.get("starting_rev")
        expected = None if start in (None, "base") else tuple(heads)
        reading = TransactionReading(context.behaviour.dialect_name)
        self._contexts[id(context)] = (context, _Segments(None if expected is None else list(expected), reading=reading))
        context.emit_all(guard_statements(context, expected))

    def _before(self, context: MigrationContext, stmt: Statement) -> None:
        entry = self._contexts.get(id(context))
        if entry is None or stmt.info.get("guard"):
            return
        state = entry[1]
        kind = stmt.kind
        framed = context.impl.in_transaction
        if kind is Kind.BEGIN or kind is Kind.COMMIT:
            state.new_segment = state.new_segment or context.impl.transactional_ddl
        elif kind is Kind.COMMENT and "unrendered" in stmt.info:
            state.new_segment = True  # what the failed revision emitted (a guard too) was dropped
        elif kind in EXECUTABLE_KINDS:
            if state.new_segment:
                state.new_segment = False
                expected = None if state.rows is None else tuple(state.rows)
                open_ = state.reading.open_now(framed)
                context.emit_all(guard_statements(context, expected, again=True, in_transaction=open_))
            if kind is Kind.VERSION:
                _apply(state, stmt)
            elif transaction_control(text_of(stmt.element), state.reading.dialect) is not None:
                state.new_segment = True  # a COMMIT / BEGIN the revision wrote itself: a segment starts after it
        text = text_of(stmt.element) if kind in EXECUTABLE_KINDS else None
        state.reading.open_at(stmt, [text] if text else [], framed)


def _apply(state: _Segments, stmt: Statement) -> None:
    """Move ``state.rows`` as the version-table statement ``stmt`` does."""
    info = stmt.info
    action = info.get("action")
    rows = state.rows if state.rows is not None else []
    if action in ("create", "purge"):
        rows = [] if action == "purge" or state.rows is None else rows
    elif action == "insert":
        rows = [*rows, info["to"]]
    elif action == "update":
        rows = [info["to"] if row == info["frm"] else row for row in rows]
    elif action == "delete":
        rows = [row for row in rows if row != info["frm"]]
    state.rows = rows


# -- SQL -----------------------------------------------------------------------------------
@compiles(VersionGuard)
def visit_version_guard(guard: VersionGuard, compiler: Any, **kw: Any) -> str:
    if guard.sql is None:  # never emitted: guard_statements writes a comment instead
        raise CompileError(f"{compiler.dialect.name} has no version guard")
    return guard.sql.render(guard, compiler)
