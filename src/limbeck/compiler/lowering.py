"""The default lowering table: operation record type -> lowering function.

Dialects start from this table and override entries
(``LOWERINGS = {**DEFAULT_LOWERINGS, AlterColumnOp: lower_alter_column_mysql}``).
Lookup walks the record class's MRO, so a subclass of a built-in record
lowers like its base unless registered itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from limbeck.compiler import ansi  # noqa: F401  (registers the generic @compiles)
from limbeck.compiler.alter_column import lower_alter_column
from limbeck.compiler.columns import lower_add_column, lower_drop_column
from limbeck.compiler.constraints import (
    lower_add_constraint,
    lower_create_exclude_constraint,
    lower_drop_constraint,
)
from limbeck.compiler.data import lower_bulk_insert, lower_execute
from limbeck.compiler.indexes import lower_create_index, lower_drop_index
from limbeck.compiler.tables import (
    lower_create_table,
    lower_create_table_comment,
    lower_drop_table,
    lower_drop_table_comment,
    lower_rename_table,
)
from limbeck.operations import ops

DEFAULT_LOWERINGS: Mapping[type, Callable[..., Any]] = {
    ops.CreateTableOp: lower_create_table,
    ops.DropTableOp: lower_drop_table,
    ops.RenameTableOp: lower_rename_table,
    ops.CreateTableCommentOp: lower_create_table_comment,
    ops.DropTableCommentOp: lower_drop_table_comment,
    ops.AddColumnOp: lower_add_column,
    ops.DropColumnOp: lower_drop_column,
    ops.AlterColumnOp: lower_alter_column,
    ops.AddConstraintOp: lower_add_constraint,
    ops.CreatePrimaryKeyOp: lower_add_constraint,
    ops.CreateUniqueConstraintOp: lower_add_constraint,
    ops.CreateForeignKeyOp: lower_add_constraint,
    ops.CreateCheckConstraintOp: lower_add_constraint,
    ops.CreateExcludeConstraintOp: lower_create_exclude_constraint,
    ops.DropConstraintOp: lower_drop_constraint,
    ops.CreateIndexOp: lower_create_index,
    ops.DropIndexOp: lower_drop_index,
    ops.ExecuteSQLOp: lower_execute,
    ops.BulkInsertOp: lower_bulk_insert,
}
