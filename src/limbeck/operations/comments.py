"""Table comment operations: set and remove a table's comment.

Column comments are part of ``alter_column(comment=...)``. Both records keep
the comment the table has now (``existing_comment``): autogenerate needs it
to reverse the change, and SQL Server needs it to choose between adding and
updating the extended property that holds the comment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from limbeck.operations.records import AlterTableOp, operation_method, schema_objects

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.operations.base import OperationsBase
    from limbeck.operations.protocols import BatchTarget, RunningContext


def _comment_table(table_name: str, schema: str | None, comment: str | None, context: RunningContext | None) -> Table:
    return schema_objects(context).table(table_name, schema=schema, comment=comment)


class CreateTableCommentOp(AlterTableOp):
    """Set a table's comment (replacing ``existing_comment``, if any)."""

    op_name = "create_table_comment"

    def __init__(
        self, table_name: str, comment: str | None, *, schema: str | None = None, existing_comment: str | None = None
    ) -> None:
        super().__init__(table_name, schema=schema)
        self.comment = comment
        self.existing_comment = existing_comment

    def reverse(self) -> CreateTableCommentOp | DropTableCommentOp:
        if self.existing_comment is None:
            return DropTableCommentOp(self.table_name, existing_comment=self.comment, schema=self.schema)
        return CreateTableCommentOp(
            self.table_name, self.existing_comment, existing_comment=self.comment, schema=self.schema
        )

    def to_table(self, migration_context: RunningContext | None = None) -> Table:
        return _comment_table(self.table_name, self.schema, self.comment, migration_context)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_table_comment", self.to_table(), self.existing_comment)

    @classmethod
    def create_table_comment(
        cls, operations: OperationsBase, table_name: str, comment: str | None, *,
        existing_comment: str | None = None, schema: str | None = None,
    ) -> None:
        """Set a table comment; pass ``existing_comment`` when the table has one already.

        SQL Server keeps comments as extended properties: with
        ``existing_comment`` the property is updated, without it added.
        """
        operations.invoke(cls(table_name, comment, existing_comment=existing_comment, schema=schema))

    @classmethod
    def batch_create_table_comment(
        cls, operations: BatchTarget, comment: str | None, *, existing_comment: str | None = None
    ) -> None:
        """Set the batch's table's comment."""
        operations.invoke(cls(operations.table_name, comment, existing_comment=existing_comment, schema=operations.schema))


class DropTableCommentOp(AlterTableOp):
    """Remove a table's comment."""

    op_name = "drop_table_comment"

    def __init__(self, table_name: str, *, schema: str | None = None, existing_comment: str | None = None) -> None:
        super().__init__(table_name, schema=schema)
        self.existing_comment = existing_comment

    def reverse(self) -> CreateTableCommentOp:
        return CreateTableCommentOp(self.table_name, self.existing_comment, schema=self.schema)

    def to_table(self, migration_context: RunningContext | None = None) -> Table:
        return _comment_table(self.table_name, self.schema, None, migration_context)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_table_comment", self.to_table())

    @classmethod
    def drop_table_comment(
        cls, operations: OperationsBase, table_name: str, *, existing_comment: str | None = None,
        schema: str | None = None,
    ) -> None:
        """Remove a table comment (``existing_comment`` only serves autogenerate's reverse)."""
        operations.invoke(cls(table_name, existing_comment=existing_comment, schema=schema))

    @classmethod
    def batch_drop_table_comment(cls, operations: BatchTarget, *, existing_comment: str | None = None) -> None:
        """Remove the batch's table's comment."""
        operations.invoke(cls(operations.table_name, existing_comment=existing_comment, schema=operations.schema))


class CommentOperations:
    """``op.create_table_comment``, ``op.drop_table_comment``."""

    create_table_comment = operation_method(CreateTableCommentOp.create_table_comment)
    drop_table_comment = operation_method(DropTableCommentOp.drop_table_comment)
