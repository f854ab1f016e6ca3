"""The Operations API: ``limbeck.operations.Operations`` and what ``op`` points at.

``Operations`` is composed from one mixin per family of operations (tables,
table comments, columns, constraints, indexes, data), each defined beside
its operation records, on top of
:class:`~limbeck.operations.base.OperationsBase` (invoke, custom operations,
the ``op`` proxy).
"""

from __future__ import annotations

from limbeck.operations.base import OperationsBase
from limbeck.operations.batch import BatchOperations, BatchOperationsMixin
from limbeck.operations.columns import ColumnOperations
from limbeck.operations.comments import CommentOperations
from limbeck.operations.constraints import ConstraintOperations
from limbeck.operations.containers import MigrationScript
from limbeck.operations.data import DataOperations
from limbeck.operations.indexes import IndexOperations
from limbeck.operations.records import MigrateOperation
from limbeck.operations.tables import TableOperations


class AbstractOperations(OperationsBase):
    """Alembic's name for the base shared by Operations and BatchOperations."""


class Operations(
    BatchOperationsMixin,
    TableOperations,
    CommentOperations,
    ColumnOperations,
    ConstraintOperations,
    IndexOperations,
    DataOperations,
    AbstractOperations,
):
    """What ``op`` is inside ``upgrade()`` / ``downgrade()``.

    Create one around any migration context::

        context = MigrationContext.configure(connection)
        op = Operations(context)
        op.alter_column("t", "c", nullable=True)
    """


__all__ = ["AbstractOperations", "BatchOperations", "MigrateOperation", "MigrationScript", "Operations"]
