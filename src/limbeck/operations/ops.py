"""Every operation record, under Alembic's import path (``alembic.operations.ops``)."""

from __future__ import annotations

from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.operations.data import BulkInsertOp, ExecuteSQLOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.records import AlterTableOp, MigrateOperation
from limbeck.operations.tables import CreateTableOp, DropTableOp, RenameTableOp

__all__ = [
    "AddColumnOp",
    "AlterColumnOp",
    "AlterTableOp",
    "BulkInsertOp",
    "CreateIndexOp",
    "CreateTableOp",
    "DropColumnOp",
    "DropIndexOp",
    "DropTableOp",
    "ExecuteSQLOp",
    "MigrateOperation",
    "RenameTableOp",
]
