"""Lowering of table operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.schema import CreateIndex, CreateTable, DropTable, SetColumnComment, SetTableComment

from limbeck.compiler import constructs as c
from limbeck.compiler.schemaobj import SchemaObjects
from limbeck.compiler.statement import Statement, ddl

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.dialects.base import DialectBehaviour
    from limbeck.operations.tables import CreateTableOp, DropTableOp, RenameTableOp


def separate_comments(behaviour: "DialectBehaviour") -> bool:
    """Whether comments need their own statements (not inline in CREATE/ALTER)."""
    dialect = behaviour.dialect
    return bool(dialect.supports_comments and not dialect.inline_comments)


def comment_statements(table: "Table", behaviour: "DialectBehaviour", source: Any) -> list[Statement]:
    if not separate_comments(behaviour):
        return []
    stmts = []
    if table.comment is not None:
        stmts.append(ddl(SetTableComment(table), source))
    for column in table.columns:
        if column.comment is not None:
            stmts.append(ddl(SetColumnComment(column), source))
    return stmts


def index_statements(table: "Table", source: Any) -> list[Statement]:
    # a set in SQLAlchemy: sorted so the same table always gives the same script
    indexes = sorted(table.indexes, key=lambda ix: str(ix.name or ""))
    return [ddl(CreateIndex(ix), source) for ix in indexes]


def lower_create_table(op: "CreateTableOp", behaviour: "DialectBehaviour") -> list[Statement]:
    table = op.to_table(behaviour)  # type: ignore[arg-type]  (anything with .opts)
    create = CreateTable(table, if_not_exists=bool(op.if_not_exists))
    return [ddl(create, op), *index_statements(table, op), *comment_statements(table, behaviour, op)]


def lower_drop_table(op: "DropTableOp", behaviour: "DialectBehaviour") -> list[Statement]:
    table = SchemaObjects.for_opts(behaviour.opts).table(op.table_name, schema=op.schema, **op.table_kw)
    return [ddl(DropTable(table, if_exists=bool(op.if_exists)), op)]


def lower_rename_table(op: "RenameTableOp", behaviour: "DialectBehaviour") -> list[Statement]:
    return [ddl(c.RenameTable(op.table_name, op.new_table_name, schema=op.schema), op)]
