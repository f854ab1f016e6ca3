"""Lowering of ``add_column`` and ``drop_column`` (the generic forms; dialects override).

``alter_column`` has its own module (:mod:`limbeck.compiler.alter_column`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ForeignKeyConstraint, PrimaryKeyConstraint
from sqlalchemy.schema import AddConstraint, CreateIndex
from sqlalchemy.types import NullType

from limbeck.compiler import constructs as c
from limbeck.compiler.constraints import check_constraint_options
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import supports_clause, warn_unknown_keywords
from limbeck.compiler.tables import require_types
from limbeck.operations.schemaobj import SchemaObjects
from limbeck.sqla_compat import fk_colspec

if TYPE_CHECKING:
    from sqlalchemy import Constraint, Table

    from limbeck.compiler.behaviour import DialectBehaviour
    from limbeck.operations.columns import AddColumnOp, DropColumnOp


class AddedColumn:
    """What one ``add_column`` brings: the column on a stub table and its satellites.

    Foreign keys, other table-level constraints (``unique=True``, the CHECK a
    ``Boolean``/``Enum`` type adds) and indexes (``index=True``) are sorted
    so the same operation always gives the same script.
    """

    def __init__(self, op: AddColumnOp, behaviour: DialectBehaviour) -> None:
        objects = SchemaObjects.for_behaviour(behaviour)
        self.table: Table = objects.column_table(op.table_name, op.column, schema=op.schema)
        self.column: Column[Any] = self.table.c[op.column.key]
        constraints = sorted(self.table.constraints, key=lambda k: str(k.name or ""))
        self.foreign_keys = sorted(
            (k for k in constraints if isinstance(k, ForeignKeyConstraint)),
            key=lambda k: ",".join(fk_colspec(el) for el in k.elements),
        )
        self.others: list[Constraint] = [
            k for k in constraints
            if not isinstance(k, (ForeignKeyConstraint, PrimaryKeyConstraint)) and applies_to(k, behaviour)
        ]
        self.indexes = sorted(self.table.indexes, key=lambda ix: str(ix.name or ""))
        require_types(op, [self.column])
        for constraint in constraints:
            check_constraint_options(op, behaviour, constraint)


def applies_to(constraint: Constraint, behaviour: DialectBehaviour) -> bool:
    """Whether this database gets ``constraint``: a type's CHECK only where the type is not native.

    ``Boolean(create_constraint=True)`` and non-native ``Enum`` attach a
    CHECK with a rule that decides per database (PostgreSQL has a real
    boolean); CREATE TABLE applies the rule itself, ADD CONSTRAINT does not.
    """
    rule = getattr(constraint, "_create_rule", None)
    if rule is None:
        return True
    return bool(rule(_RuleCompiler(behaviour.dialect)))


class _RuleCompiler:
    """What a constraint's creation rule reads of a compiler: the dialect."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect


def add_column_statements(
    op: AddColumnOp, behaviour: DialectBehaviour, added: AddedColumn, *, inline_references: bool,
    others: list[Constraint] | None = None,
) -> list[Statement]:
    """ADD COLUMN, then its foreign keys, constraints, indexes and comment."""
    if_not_exists = supports_clause(op, behaviour, "add_column", op.if_not_exists)
    # PRIMARY KEY inline only for a primary_key=True column (Alembic 1.20's contract)
    inline_primary_key = bool(op.inline_primary_key and added.column.primary_key)
    element = c.AddColumn(
        op.table_name, added.column, schema=op.schema, if_not_exists=if_not_exists,
        inline_references=inline_references, inline_primary_key=inline_primary_key,
    )
    stmts = [ddl(element, op)]
    if not inline_references:
        stmts += [ddl(AddConstraint(fk), op) for fk in added.foreign_keys]
    stmts += [ddl(AddConstraint(k), op) for k in (added.others if others is None else others)]
    stmts += [ddl(CreateIndex(ix), op) for ix in added.indexes]
    column = added.column
    if column.comment is not None and behaviour.supports_comments and not behaviour.inline_comments:
        stmts.append(ddl(c.ColumnComment(op.table_name, column.name, column.comment, on_create=True, schema=op.schema), op))
    return stmts


def lower_add_column(op: AddColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    added = AddedColumn(op, behaviour)
    # as Alembic: a column with several foreign keys gets them as separate
    # ADD constraints even with inline_references (MySQL ignores a column's
    # REFERENCES, and only one may be written inline deterministically)
    inline = bool(op.inline_references) and len(added.foreign_keys) <= 1
    return add_column_statements(op, behaviour, added, inline_references=inline)


#: ``drop_column`` keywords and the kind of constraint SQL Server drops first
MSSQL_DROP_KEYWORDS: dict[str, str] = {
    "mssql_drop_default": "default",
    "mssql_drop_check": "check",
    "mssql_drop_foreign_key": "foreignkey",
}


def drop_column_element(op: DropColumnOp, behaviour: DialectBehaviour) -> c.DropColumn:
    warn_unknown_keywords(op, behaviour, op.kw, MSSQL_DROP_KEYWORDS)
    if_exists = supports_clause(op, behaviour, "drop_column", op.if_exists)
    column = Column(op.column_name, NullType())
    return c.DropColumn(op.table_name, column, schema=op.schema, if_exists=if_exists)


def lower_drop_column(op: DropColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    return [ddl(drop_column_element(op, behaviour), op)]
