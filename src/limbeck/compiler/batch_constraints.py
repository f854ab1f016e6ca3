"""Constraint and table-comment records applied to a table batch mode rebuilds.

The records are Alembic's (``CreateUniqueConstraintOp``, ``CreateForeignKeyOp``,
``CreateCheckConstraintOp``, ``CreatePrimaryKeyOp``, ``DropConstraintOp``,
``CreateTableCommentOp``, ``DropTableCommentOp``), read through the attributes
Alembic documents for them. Each new constraint is built on a stub of the real
table so a naming convention names it as the models would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    UniqueConstraint,
)

from limbeck.operations import comments, constraints

if TYPE_CHECKING:
    from limbeck.compiler.batch_model import BatchTable
    from limbeck.operations.schemaobj import SchemaObjects

Applier = Callable[["BatchTable", Any, "SchemaObjects"], None]

#: keyword arguments of CreateForeignKeyOp that are not ForeignKeyConstraint's
_FK_ROUTING = ("source_schema", "referent_schema")


def _keys(model: BatchTable, names: Any, what: str) -> list[str]:
    return [model.key_for(name, what) for name in names]


def _attach(model: BatchTable, objects: SchemaObjects, keys: list[str], constraint: Any) -> None:
    model.stub(objects, keys, constraint)
    model.add_constraint(constraint)


def apply_unique(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    keys = _keys(model, op.columns, "create_unique_constraint")
    _attach(model, objects, keys, UniqueConstraint(*keys, name=op.constraint_name, **dict(op.kw)))


def apply_primary_key(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    keys = _keys(model, op.columns, "create_primary_key")
    _attach(model, objects, keys, PrimaryKeyConstraint(*keys, name=op.constraint_name, **dict(op.kw)))


def apply_check(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    _attach(model, objects, [], CheckConstraint(op.condition, name=op.constraint_name, **dict(op.kw)))


def apply_foreign_key(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    kw = dict(op.kw)
    referent_schema = kw.pop("referent_schema", None)
    for key in _FK_ROUTING:
        kw.pop(key, None)
    prefix = f"{referent_schema}." if referent_schema else ""
    keys = _keys(model, op.local_cols, "create_foreign_key")
    targets = [f"{prefix}{op.referent_table}.{col}" for col in op.remote_cols]
    _attach(model, objects, keys, ForeignKeyConstraint(keys, targets, name=op.constraint_name, **kw))


def apply_drop_constraint(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    """Drop the constraint by the name the convention gives it, as outside batch mode and as Alembic does.

    With a ``"ck"`` convention holding ``%(constraint_name)s``, ``drop_constraint("ck_0",
    type_="check")`` names ``ck_<table>_ck_0``: the name the table's CHECK got from the same convention.
    """
    named = objects.named_constraint(op.constraint_name, model.name, op.constraint_type, schema=model.schema)
    model.drop_constraint(str(named.name))


def apply_table_comment(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    model.comment = op.comment


def apply_drop_table_comment(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    model.comment = None


def appliers() -> dict[type, Applier]:
    """Record type -> applier."""
    return {
        constraints.CreateUniqueConstraintOp: apply_unique,
        constraints.CreatePrimaryKeyOp: apply_primary_key,
        constraints.CreateCheckConstraintOp: apply_check,
        constraints.CreateForeignKeyOp: apply_foreign_key,
        constraints.DropConstraintOp: apply_drop_constraint,
        comments.CreateTableCommentOp: apply_table_comment,
        comments.DropTableCommentOp: apply_drop_table_comment,
    }
