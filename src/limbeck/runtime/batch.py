"""Running a batch (``op.batch_alter_table()``): alter the table in place, or rebuild it.

Where the database can make every queued change with ALTER (and ``recreate``
is not ``"always"``), each queued record runs through its plain
implementation, as if called outside the batch. Otherwise the table is rebuilt
by "move and copy": the compiler plans the statements
(:func:`limbeck.compiler.batch.plan_move_and_copy`) from the table as it is,
reflected here through the migration context's connection online, or the
``copy_from`` table offline; the context emits them like any others.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import DefaultClause, MetaData, Table, text
from sqlalchemy.schema import DropTable
from sqlalchemy.sql.elements import TextClause

from limbeck.compiler.batch import ops_needing_recreate, plan_move_and_copy
from limbeck.compiler.batch_objects import unnamed_only
from limbeck.compiler.statement import Statement, ddl
from limbeck.errors import (
    CommandError,
    LimbeckWarning,
    OfflineNotSupported,
    UnsupportedOperation,
)
from limbeck.operations.columns import AddColumnOp
from limbeck.operations.written_ddl import reflect_quietly, restore_reflected

if TYPE_CHECKING:
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.operations.base import OperationsBase
    from limbeck.operations.records import MigrateOperation
    from limbeck.operations.tables import BatchAlterTableOp
    from limbeck.runtime.migration import MigrationContext


def _describe(op: MigrateOperation) -> str:
    """``alter_column('x')``-style name of a record for messages."""
    name = type(op).__name__.removesuffix("Op")
    snake = "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in name).lstrip("_")
    target = getattr(op, "column_name", None) or getattr(op, "constraint_name", None) or getattr(op, "index_name", None)
    if target is None and isinstance(op, AddColumnOp):
        target = op.column.name
    return f"{snake}('{target}')" if target else f"{snake}()"


def _placement(op: MigrateOperation) -> bool:
    return isinstance(op, AddColumnOp) and bool(op.kw.get("insert_before") or op.kw.get("insert_after"))


def _plain(op: MigrateOperation) -> MigrateOperation:
    """``op`` without the batch-only placement keywords, for its plain implementation."""
    if isinstance(op, AddColumnOp) and op.kw:
        kw = {k: v for k, v in op.kw.items() if k not in ("insert_before", "insert_after")}
        return AddColumnOp(op.table_name, op.column, schema=op.schema, if_not_exists=op.if_not_exists, **kw)
    return op


IN_PLACE_REMEDY = "use recreate='auto' (or 'always') so the table is rebuilt"


def _refuse_in_place(where: str, op: MigrateOperation, behaviour: DialectBehaviour) -> None:
    """The database's own refusal of ``op`` altered in place (Alembic's words), said of the batch."""
    lowering = behaviour.lowering_for(type(op))
    try:
        if lowering is not None:
            lowering(op, behaviour)
    except UnsupportedOperation as refused:
        # the same class (a CompileError where Alembic's is one), said of the batch; a rebuild is the
        # remedy where the plain operation's was batch mode (a comment SQLite never stores keeps its own)
        remedy = IN_PLACE_REMEDY if "batch" in (refused.remedy or "batch") else refused.remedy
        raise type(refused)(where, behaviour.name, refused.reason, remedy,
                            alembic=refused.alembic_text is not None) from None


def _should_recreate(context: MigrationContext, batch: BatchAlterTableOp) -> bool:
    behaviour = context.behaviour
    if batch.recreate == "always":
        return True
    blocking = ops_needing_recreate(batch.ops, behaviour, never=batch.recreate == "never")
    if batch.recreate == "never":
        if blocking:
            where = f"batch_alter_table('{batch.table_name}', recreate='never'): {_describe(blocking[0])}"
            _refuse_in_place(where, _plain(blocking[0]), behaviour)
            raise UnsupportedOperation(where, behaviour.name, "the database cannot do it with ALTER TABLE", IN_PLACE_REMEDY)
        return False
    return bool(blocking)


def _source_table(context: MigrationContext, batch: BatchAlterTableOp) -> Table:
    """The table as it is: ``copy_from``, or reflected through the context's connection."""
    if batch.copy_from is not None:
        return batch.copy_from
    if context.as_sql:
        alembic = (
            f"This operation cannot proceed in --sql mode; batch mode with dialect {context.behaviour.name} requires "
            f'a live database connection with which to reflect the table "{batch.table_name}". To generate a batch '
            'SQL migration script using table "move and copy", a complete Table object should be passed to the '
            '"copy_from" argument of the batch_alter_table() method so that table reflection can be skipped.'
        )
        raise OfflineNotSupported(
            f"{context.describe_current()}: batch_alter_table('{batch.table_name}'): {alembic}", alembic
        )
    convention = unnamed_only(batch.naming_convention)
    metadata = MetaData(naming_convention=convention) if convention else MetaData()
    query = context.behaviour.catalog.ddl_text_query
    table: Table
    if query is None:
        table = Table(
            batch.table_name, metadata, *batch.reflect_args, schema=batch.schema,
            autoload_with=context.bind, **batch.reflect_kwargs,
        )
    else:
        # the rebuilt table keeps the expression indexes, DESC orders, COLLATE and AUTOINCREMENT reflection loses
        table = reflect_quietly(
            Table, batch.table_name, metadata, *batch.reflect_args, schema=batch.schema,
            autoload_with=context.bind, **batch.reflect_kwargs,
        )
        restore_reflected(context.bind, table, query, rebuild=True,
                          autoincrement_kwarg=context.behaviour.catalog.autoincrement_kwarg)
    _reflected_defaults(table, context.behaviour)
    return table


def _reflected_defaults(table: Table, behaviour: DialectBehaviour) -> None:
    """Each reflected text default as the database's batch writes it back (``reflected_default``)."""
    for column in table.c:
        default = column.server_default
        if isinstance(default, DefaultClause) and isinstance(default.arg, TextClause):
            wanted = behaviour.reflected_default(default.arg.text)
            if wanted != default.arg.text:
                column.server_default = DefaultClause(text(wanted))


def run_batch(context: MigrationContext, batch: BatchAlterTableOp, operations: OperationsBase) -> None:
    """Run ``batch``; records altered in place go through ``operations.invoke``, as outside a batch.

    Online on a connection that is in no transaction (``Operations`` on a
    bare ``MigrationContext.configure(connection)``, outside any run), the
    batch runs in a transaction of its own that commits when it ends, as
    Alembic's does: the rebuilt table is not rolled back with whatever
    autobegan when the connection closes. In a run, the run's transaction holds it.
    """
    connection = None if context.as_sql else context.connection
    if connection is None or connection.in_transaction():
        _run_batch(context, batch, operations)
        return
    # not `with connection.begin()`: after a failed copy the rebuild's cleanup rolls back and drops
    # the temporary table itself (_emit_recreate), which a context manager's transaction forbids
    transaction = connection.begin()
    try:
        _run_batch(context, batch, operations)
    except BaseException:
        if transaction.is_active:
            transaction.rollback()
        raise
    if transaction.is_active:
        transaction.commit()


def refuse_placement_in_place(context: MigrationContext, batch: BatchAlterTableOp, op: MigrateOperation) -> None:
    """Refuse ``op`` as it is queued, if it is an ``add_column`` placed in a table altered in place.

    Alembic's ``batch_op.add_column(..., insert_before=...)`` raises at that call, not when the
    block ends: code after it in the ``with`` block never runs, and a revision that catches the
    error around the call keeps going, as under Alembic. ``batch.ops`` holds the records queued
    before ``op``.
    """
    if _placement(op):
        _refuse_placement(context, batch, op, len(batch.ops), batch.recreate != "never")


def _refuse_placement(context: MigrationContext, batch: BatchAlterTableOp, op: MigrateOperation, index: int,
                      recreate: bool) -> None:
    if recreate and (batch.recreate == "always" or ops_needing_recreate(batch.ops[:index], context.behaviour)):
        return
    raise CommandError(
        f"batch_alter_table('{batch.table_name}'): {_describe(op)}: Can't specify insert_before or insert_after "
        f"when using ALTER; please specify recreate='always' (this batch alters {context.behaviour.name}'s "
        f"table in place{' before this call' if recreate else ''})"
    )


def _placed_before_rebuild(context: MigrationContext, batch: BatchAlterTableOp, recreate: bool) -> None:
    """Refuse an ``add_column`` with ``insert_before``/``insert_after`` in a batch that does not
    rebuild the table by then.

    Alembic decides at that call, from the operations recorded before it: under
    ``recreate="auto"`` the placement must follow an operation that makes the table rebuilt
    (a rebuild that only a later operation asks for is refused too), so a batch that runs
    under limbeck runs under Alembic. ``BatchOperations`` refuses at the call already
    (:func:`refuse_placement_in_place`); this catches records put in ``batch.ops`` otherwise.
    """
    for i, op in enumerate(batch.ops):
        if _placement(op):
            _refuse_placement(context, batch, op, i, recreate)


def _run_batch(context: MigrationContext, batch: BatchAlterTableOp, operations: OperationsBase) -> None:
    recreate = _should_recreate(context, batch)
    _placed_before_rebuild(context, batch, recreate)
    if not recreate:
        if batch.partial_reordering:
            warnings.warn(
                f"batch_alter_table('{batch.table_name}'): partial_reordering is ignored when the table "
                "is altered in place; pass recreate='always' to reorder",
                LimbeckWarning,
                # the line of the `with` block (past contextlib, the batch op, invoke and this module)
                stacklevel=8,
            )
        for op in batch.ops:
            operations.invoke(_plain(op))
        return
    statements = plan_move_and_copy(_source_table(context, batch), batch, context.behaviour)
    _emit_recreate(context, statements)


#: the rebuild's steps from the copy up to dropping the old table: if one fails
#: online, the temporary table is dropped again (as Alembic does)
_UNDONE_WITH_TEMP_TABLE = frozenset({"copy", "identity_insert", "sequence", "drop"})


def _emit_recreate(context: MigrationContext, statements: Sequence[Statement]) -> None:
    """Emit the rebuild; if copying the rows or dropping the old table fails online, drop the temporary table.

    Only where the rollback would not remove it (DDL that commits at once, or
    SQLite outside a transaction limbeck opened). The failed transaction is
    rolled back first, as the run would do anyway, so the DROP is not undone
    with it, except where DDL commits by itself (nothing of the failed
    statement is left to undo). Dropping the old table fails when another
    table's foreign key references it.
    """
    temp_table = None
    created_in_transaction = False
    for stmt in statements:
        step = stmt.info.get("batch_step")
        if step == "create" and not context.as_sql:
            # an earlier op.execute(UPDATE ...) may have opened the driver's transaction (SQLite
            # outside limbeck's BEGIN): then the temporary table is created inside it
            created_in_transaction = context.impl.driver_transaction_open
        if step == "copy":
            temp_table = stmt.info["temp_table"]
        try:
            context.emit(stmt)
        except Exception:
            if (temp_table is not None and step in _UNDONE_WITH_TEMP_TABLE and not context.as_sql
                    and not context.impl.ddl_undone_by_rollback):
                drop = ddl(DropTable(temp_table), stmt.source, batch_step="cleanup")
                if context.behaviour.ddl_commits_implicitly or created_in_transaction:
                    # the DROP commits by itself, or joins the transaction the CREATE ran in (as
                    # Alembic's): a rollback would end the transaction of a caller's
                    # ``engine.begin()`` block under it, or undo the CREATE, so the DROP would fail
                    # ("no such table") in place of the error being raised
                    context.emit(drop)
                else:
                    context.impl.rollback()
                    context.emit(drop)
                    context.impl.finish()
            raise


__all__ = ["run_batch"]
