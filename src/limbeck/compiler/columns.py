"""Lowering of column operations (the generic forms; dialects override)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.schema import AddConstraint, SetColumnComment

from limbeck.compiler import constructs as c
from limbeck.compiler.schemaobj import SchemaObjects
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.tables import separate_comments

if TYPE_CHECKING:
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp


def lower_add_column(op: "AddColumnOp", behaviour: "DialectBehaviour") -> list[Statement]:
    objects = SchemaObjects.for_opts(behaviour.opts)
    table = objects.column_table(op.table_name, op.column, schema=op.schema)
    column = table.c[op.column.name]
    stmts = [ddl(c.AddColumn(op.table_name, column, schema=op.schema, if_not_exists=op.if_not_exists), op)]
    for fk in sorted(column.foreign_keys, key=lambda f: f._get_colspec()):
        assert fk.constraint is not None
        stmts.append(ddl(AddConstraint(fk.constraint), op))
    if column.comment is not None and separate_comments(behaviour):
        stmts.append(ddl(SetColumnComment(column), op))
    return stmts


def lower_drop_column(op: "DropColumnOp", behaviour: "DialectBehaviour") -> list[Statement]:
    from sqlalchemy import Column
    from sqlalchemy.types import NullType

    column = Column(op.column_name, NullType())
    return [ddl(c.DropColumn(op.table_name, column, schema=op.schema, if_exists=op.if_exists), op)]


def existing(op: "AlterColumnOp") -> dict[str, Any]:
    """What every AlterColumn construct carries about the column as it is."""
    return {
        "schema": op.schema,
        "existing_type": op.existing_type,
        "existing_nullable": op.existing_nullable,
        "existing_server_default": op.existing_server_default if op.existing_server_default is not False else None,
        "existing_comment": op.existing_comment,
    }


def alter_column_parts(op: "AlterColumnOp") -> dict[str, Any]:
    """One construct per requested change, keyed by the change."""
    kw = existing(op)
    t, col = op.table_name, op.column_name
    parts: dict[str, Any] = {}
    if op.modify_type is not None:
        parts["type"] = c.ColumnType(t, col, op.modify_type, using=op.kw.get("postgresql_using"), **kw)
    if op.modify_nullable is not None:
        parts["nullable"] = c.ColumnNullable(t, col, op.modify_nullable, **kw)
    if op.modify_server_default is not False:
        parts["default"] = c.ColumnDefault(t, col, op.modify_server_default, **kw)
    if op.modify_comment is not False:
        parts["comment"] = c.ColumnComment(t, col, op.modify_comment, **kw)
    if op.modify_name:
        parts["name"] = c.ColumnName(t, col, op.modify_name, **kw)
    return parts


def lower_alter_column(op: "AlterColumnOp", behaviour: "DialectBehaviour") -> list[Statement]:
    parts = alter_column_parts(op)
    order = behaviour.alter_column_order
    return [ddl(parts[key], op) for key in order if key in parts]
