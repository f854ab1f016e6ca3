"""Every operation record, under Alembic's import path (``alembic.operations.ops``)."""

from __future__ import annotations

from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.operations.comments import CreateTableCommentOp, DropTableCommentOp
from limbeck.operations.constraints import (
    AddConstraintOp,
    CreateCheckConstraintOp,
    CreateExcludeConstraintOp,
    CreateForeignKeyOp,
    CreatePrimaryKeyOp,
    CreateUniqueConstraintOp,
    DropConstraintOp,
)
from limbeck.operations.containers import (
    DowngradeOps,
    MigrationScript,
    ModifyTableOps,
    OpContainer,
    UpgradeOps,
)
from limbeck.operations.data import BulkInsertOp, ExecuteSQLOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.records import AlterTableOp, MigrateOperation
from limbeck.operations.tables import CreateTableOp, DropTableOp, RenameTableOp

__all__ = [
    "AddColumnOp",
    "AddConstraintOp",
    "AlterColumnOp",
    "AlterTableOp",
    "BulkInsertOp",
    "CreateCheckConstraintOp",
    "CreateExcludeConstraintOp",
    "CreateForeignKeyOp",
    "CreateIndexOp",
    "CreatePrimaryKeyOp",
    "CreateTableCommentOp",
    "CreateTableOp",
    "CreateUniqueConstraintOp",
    "DowngradeOps",
    "DropColumnOp",
    "DropConstraintOp",
    "DropIndexOp",
    "DropTableCommentOp",
    "DropTableOp",
    "ExecuteSQLOp",
    "MigrateOperation",
    "MigrationScript",
    "ModifyTableOps",
    "OpContainer",
    "RenameTableOp",
    "UpgradeOps",
]
