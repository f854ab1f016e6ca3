"""How the migration context runs an operation record.

Records describe (:mod:`limbeck.operations`) and the compiler lowers them
(:mod:`limbeck.compiler`); running one happens here, behind the one entry
:meth:`MigrationContext.run_operation() <limbeck.runtime.migration.MigrationContext.run_operation>`:
the record is lowered for the target database and its statements go to the
context's emitter. A batch (``BatchAlterTableOp``) is run by
:mod:`limbeck.runtime.batch`: altered in place, or the table rebuilt.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from limbeck.errors import NoImplementation
from limbeck.operations.tables import BatchAlterTableOp

if TYPE_CHECKING:
    from limbeck.operations.base import OperationsBase
    from limbeck.operations.records import MigrateOperation
    from limbeck.runtime.migration import MigrationContext


def run_operation(context: MigrationContext, operation: MigrateOperation, operations: OperationsBase) -> Any:
    """Run ``operation`` on ``context``; ``operations`` runs the records a batch alters in place."""
    if isinstance(operation, BatchAlterTableOp):
        return _run_batch()(context, operation, operations)
    return lower_and_emit(context, operation)


@functools.cache
def _run_batch() -> Any:
    """:func:`limbeck.runtime.batch.run_batch`, imported when a migration first uses batch mode (the
    batch planner's modules load only then) and kept: an import statement per batch costs a module lookup."""
    from limbeck.runtime.batch import run_batch

    return run_batch


def lower_and_emit(context: MigrationContext, operation: MigrateOperation) -> Any:
    """Lower ``operation`` for the context's database, then emit the statements."""
    behaviour = context.behaviour
    lowering = behaviour.lowering_for(type(operation))
    if lowering is None:
        # a ValueError with the text of Alembic's dispatcher, which raises one here
        raise NoImplementation.of(operation)
    # offline, a DDL operation whose shape was compiled before is filled in from its template
    templates = context.impl.ddl_templates
    if templates is None:
        return context.emit_all(lowering(operation, behaviour))
    statements = templates.lower(operation, behaviour, lowering, context.stream_tags())
    return context.emit_all(statements)
