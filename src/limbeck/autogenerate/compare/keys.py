"""A primary key whose columns changed (Alembic never looks): dropped and created again.

The columns are compared in order (the key's index follows it). The drop
goes before the table's column changes, so a column leaving the key can
become nullable, and the new key after them, so a column joining it is
already there and NOT NULL; columns the models drop go last. A model table
without a primary key is left alone, whatever the database has: that is
more often a model that does not declare its key than a key to drop.

The new key keeps the model's name, or the database's one when the model
names none (PostgreSQL's ``<table>_pkey``, which it would choose again), so
the downgrade can drop it by name; the old key is dropped by the database's
name, or the model's where the database reports none (MySQL, whose key is
always ``PRIMARY``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import ArgumentError

from limbeck.autogenerate.compare.forms import object_name
from limbeck.operations import ops

if TYPE_CHECKING:
    from sqlalchemy import PrimaryKeyConstraint, Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import ModifyTableOps


def compare_primary_key(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    meta_key, conn_key = meta_table.primary_key, conn_table.primary_key
    meta_cols = _created_order(meta_key)
    conn_cols = [c.name for c in conn_key.columns]
    if not meta_cols or meta_cols == conn_cols:
        return
    name = meta_key.name if object_name(meta_key) else None
    if not ctx.run_object_filters(meta_key, object_name(meta_key), "primary_key", False, conn_key if conn_cols else None):
        return
    if conn_cols:
        drop = ops.DropConstraintOp.from_constraint(conn_key)
        # MySQL reports no name (its key is always PRIMARY, and DROP PRIMARY KEY needs none)
        drop.constraint_name = drop.constraint_name or name
        first_alter = next((i for i, op in enumerate(modify.ops) if isinstance(op, ops.AlterColumnOp)), len(modify.ops))
        modify.ops.insert(first_alter, drop)
        name = name or conn_key.name
    modify.ops.append(ops.CreatePrimaryKeyOp(name, tname, meta_cols, schema=schema))


def _created_order(key: PrimaryKeyConstraint) -> list[str]:
    """The key's columns in the order ``CREATE TABLE`` writes them.

    A key made of ``primary_key=True`` flags is written with its
    ``autoincrement=True`` column first (SQLAlchemy's compiler does so), so the
    database holds ``(x, id)`` for a model declaring ``id`` then ``x``: that is
    no change. An explicit ``PrimaryKeyConstraint`` is written as declared.
    """
    columns = list(key.columns)
    if getattr(key, "_implicit_generated", False):
        try:
            columns = list(key.columns_autoinc_first)
        except ArgumentError:  # autoincrement=True on a column that cannot have it: CREATE TABLE fails too
            pass
    return [c.name for c in columns]


__all__ = ["compare_primary_key"]
