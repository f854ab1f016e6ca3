"""What an added or retyped column brings to the table batch mode rebuilds, as Alembic 1.20 brings it.

Alembic's ``add_column`` builds the column on the operation's table (named by
the migration's convention) and adds that table's constraints and indexes
to the batch one by one; its ``alter_column`` adds the CHECK of a new
Boolean / Enum type the same way. They join the batch's constraints at that
point of its order (not first, with the new table, as a type's own CHECK
would), and the column's copy makes none of them itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, MetaData, PrimaryKeyConstraint, Table
from sqlalchemy.sql.base import SchemaEventTarget

from limbeck.compiler.batch_objects import Item, copy_check, sorted_constraints

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.types import TypeEngine

    from limbeck.compiler.batch_model import BatchTable
    from limbeck.operations.schemaobj import SchemaObjects


def makes_check(type_: TypeEngine[Any]) -> bool:
    """Whether ``type_`` makes a CHECK of its own (a Boolean / Enum with ``create_constraint``)."""
    return isinstance(type_, SchemaEventTarget) and bool(getattr(type_, "create_constraint", False))


def without_type_check(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """A copy of a Boolean / Enum that makes no CHECK (the user's type object stays untouched)."""
    copy = type_.copy()
    copy.create_constraint = False  # type: ignore[attr-defined]
    return copy


def column_markers(model: BatchTable, column: Column[Any], objects: SchemaObjects | None) -> Column[Any] | None:
    """The added column without its ForeignKey / unique / index / type CHECK, which become the batch's own.

    They are built on a table of the migration's convention (``objects``)
    and added to ``model`` in its order. ``None`` when the column carries
    none of them. A ``unique=True`` also stays on the column (see
    ``BatchTable.unique_flags``): Alembic's copy keeps the flag.
    """
    type_check = makes_check(column.type)
    if objects is None or not (column.foreign_keys or column.unique or column.index or type_check):
        return None
    attached = column._copy()
    stub = objects.table(model.name, attached, schema=model.schema)
    for constraint in sorted_constraints(stub):
        if isinstance(constraint, CheckConstraint) and constraint._type_bound:
            type_check_item(model, column.name, column.name, column.type)
        elif not isinstance(constraint, PrimaryKeyConstraint):
            model.add_constraint(constraint)
    for index in sorted(stub.indexes, key=lambda ix: str(ix.name or "")):
        model.create_index(index)
    if column.unique:
        model.unique_flags.append(column.name)
    # a copy of the attached column leaves its foreign keys behind (they are the table's now)
    copy = stub.c[attached.key]._copy()
    copy.unique = None
    copy.index = None
    if type_check:
        copy.type = without_type_check(copy.type)
    return copy


def type_check_item(model: BatchTable, key: str, name: str, type_: TypeEngine[Any]) -> None:
    """Add the CHECK ``type_`` makes on column ``name`` (model key ``key``) to ``model``'s constraints.

    Named by the target metadata's convention only (the batch's does not
    name it, as in Alembic), and only where SQLAlchemy names it as the
    column is attached (a convention naming it by its column is applied
    when the table is compiled, and Alembic's new table has none), with the
    type's rule: none on a database with the type natively.
    """
    convention = model.added_check_convention
    metadata = MetaData(naming_convention=dict(convention)) if convention else MetaData()
    stub = Table(model.name, metadata, Column(name, type_.copy()), schema=model.schema)
    for check in sorted_constraints(stub):
        if isinstance(check, CheckConstraint) and check._type_bound and _made_on(check, model.dialect):
            model.constraints.append(Item(copy_check(check), (key,)))


def _made_on(check: CheckConstraint, dialect: Dialect | None) -> bool:
    """Whether the database gets the type's CHECK (not for a native BOOLEAN / ENUM), as Alembic asks its rule."""
    rule = check._create_rule
    return dialect is None or rule is None or bool(rule(dialect.statement_compiler(dialect, None)))
