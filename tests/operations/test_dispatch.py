"""Records describe; the migration context runs them.

``Operations.invoke`` hands a record to a user implementation registered for
its class (nearest in its MRO), else to ``MigrationContext.run_operation``,
the one entry that lowers a record and emits its statements. The facts the
records package keeps about the runtime without importing it (which records
limbeck runs itself, which ones a batch queues) are checked against the
runtime's tables here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from limbeck.compiler.batch_model import appliers
from limbeck.compiler.lowering import DEFAULT_LOWERINGS
from limbeck.operations import MigrateOperation, Operations, ops
from limbeck.operations.base import BUILTIN_RECORDS
from limbeck.operations.batch import QUEUED
from limbeck.operations.records import AlterTableOp
from limbeck.operations.tables import BatchAlterTableOp
from limbeck.testing import compile_ops, offline_context


def test_the_builtin_records_are_those_limbeck_lowers_or_rebuilds() -> None:
    assert BUILTIN_RECORDS == set(DEFAULT_LOWERINGS) | {BatchAlterTableOp, MigrateOperation}


def test_a_batch_queues_what_batch_mode_can_apply() -> None:
    can_apply = set(appliers())
    assert all(issubclass(k, QUEUED) for k in can_apply)
    # every queued kind is applied to a rebuilt table, but a constraint batch mode cannot rebuild
    assert {k for k in QUEUED if k is not ops.AddConstraintOp} <= can_apply
    assert not issubclass(ops.CreateExcludeConstraintOp, tuple(can_apply))


def test_run_operation_is_the_entry() -> None:
    context, buffer = offline_context("postgresql")
    context.run_operation(ops.CreateIndexOp("ix", "t", ["a"]))
    assert buffer.getvalue().strip() == "CREATE INDEX ix ON t (a);"


def test_a_user_implementation_on_a_base_class_leaves_batch_mode_alone() -> None:
    """As before the move: the batch's own rebuild is nearer in its MRO than AlterTableOp."""
    seen: list[str] = []

    def altering(operations: Operations, operation: Any) -> None:
        seen.append(type(operation).__name__)

    Operations.implementation_for(AlterTableOp)(altering)
    try:
        table = sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer))

        def fn(op: Any) -> None:
            with op.batch_alter_table("t", copy_from=table, recreate="always") as batch_op:
                batch_op.add_column(sa.Column("b", sa.Integer))
            op.add_column("t", sa.Column("c", sa.Integer))

        sql = compile_ops("sqlite", fn)
    finally:
        del Operations._to_impl[AlterTableOp]
    assert seen == ["AddColumnOp"]
    assert "CREATE TABLE _alembic_tmp_t" in sql
