"""Scenarios on operation records, run against Alembic's ``ops`` and limbeck's alike.

Each scenario is a function of an ``ops`` module (``alembic.operations.ops``
or ``limbeck.operations.ops``) returning a value; :func:`normalize` turns the
SQLAlchemy objects and records in it into plain data that compares across
the two libraries. ``record_alembic_facts.py`` stores Alembic's results;
``test_records.py`` checks limbeck's against them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa


def normalize(value: Any) -> Any:
    """Plain, comparable data for records, schema objects, types and containers."""
    if isinstance(value, (list, tuple)):
        # columns keep their order; constraints (a set in SQLAlchemy) are sorted
        items = [normalize(v) for v in value]
        columns = [i for i in items if not (isinstance(i, list) and i and str(i[0]).endswith("Constraint"))]
        constraints = [i for i in items if i not in columns]
        return columns + sorted(constraints, key=repr)
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, sa.Table):
        return ["Table", value.name, value.schema, [c.name for c in value.columns]]
    if isinstance(value, sa.Column):
        return ["Column", value.name, repr(value.type), value.nullable]
    if isinstance(value, sa.Index):
        return ["Index", value.name, [getattr(e, "name", str(e)) for e in value.expressions], bool(value.unique)]
    if isinstance(value, sa.ForeignKeyConstraint):
        return ["ForeignKeyConstraint", value.name, [c.name for c in value.columns],
                [el._get_colspec() for el in value.elements], value.ondelete, value.onupdate]
    if isinstance(value, sa.CheckConstraint):
        return ["CheckConstraint", value.name, str(value.sqltext)]
    if isinstance(value, sa.Constraint):
        cols = [c.name for c in getattr(value, "columns", [])]
        return [type(value).__name__, value.name, cols]
    if isinstance(value, sa.types.TypeEngine):
        return repr(value)
    if isinstance(value, sa.sql.elements.TextClause):
        return ["text", value.text]
    if type(value).__name__.endswith("Op"):
        fields = {k: v for k, v in vars(value).items() if not k.startswith("_")}
        if "_info" in vars(value):
            # limbeck keeps MigrateOperation.info behind a property
            fields["info"] = value.info
        return [type(value).__name__, normalize(fields)]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _table() -> sa.Table:
    md = sa.MetaData()
    sa.Table("o", md, sa.Column("id", sa.Integer, primary_key=True), schema="r")
    return sa.Table(
        "t", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer),
        sa.UniqueConstraint("a", name="uq_a"),
        sa.CheckConstraint("a > 0", name="ck"),
        sa.ForeignKeyConstraint(["a"], ["r.o.id"], name="fk_a", ondelete="CASCADE"),
        schema="s",
        comment="c",
    )


def _constraint(kind: type) -> sa.Constraint:
    table = _table()
    if kind is sa.PrimaryKeyConstraint:
        return table.primary_key
    return next(c for c in table.constraints if type(c) is kind)


def _index() -> sa.Index:
    table = _table()
    return sa.Index("ix_a", table.c.a, unique=True, postgresql_using="btree")


def _alter(ops: Any, **kw: Any) -> Any:
    base: dict[str, Any] = {
        "schema": "s", "existing_type": sa.Integer(), "existing_nullable": True, "existing_server_default": "x",
        "existing_comment": "ec", "modify_nullable": False, "modify_type": sa.String(), "modify_server_default": "y",
        "modify_comment": "nc",
    }
    base.update(kw)
    return ops.AlterColumnOp("t", "c", **base)


SCENARIOS: dict[str, Callable[[Any], Any]] = {
    "create_table.diff": lambda ops: ops.CreateTableOp.from_table(_table()).to_diff_tuple(),
    "create_table.reverse": lambda ops: ops.CreateTableOp.from_table(_table()).reverse(),
    "create_table.from_table.columns": lambda ops: ops.CreateTableOp.from_table(_table()).columns,
    "create_table.kw": lambda ops: ops.CreateTableOp(
        "t", [sa.Column("a", sa.Integer)], schema="s", comment="x", info={"a": 1}, prefixes=["TEMPORARY"],
        mysql_engine="InnoDB"),
    "drop_table.from_table": lambda ops: ops.DropTableOp.from_table(_table()),
    "drop_table.diff": lambda ops: ops.DropTableOp.from_table(_table()).to_diff_tuple(),
    "drop_table.reverse": lambda ops: ops.DropTableOp.from_table(_table()).reverse(),
    "drop_table.bare.diff": lambda ops: ops.DropTableOp("t").to_diff_tuple(),
    "table_comment.diff": lambda ops: ops.CreateTableCommentOp("t", "new", existing_comment="old", schema="s").to_diff_tuple(),
    "table_comment.reverse": lambda ops: ops.CreateTableCommentOp("t", "new", existing_comment="old", schema="s").reverse(),
    "table_comment.reverse_new": lambda ops: ops.CreateTableCommentOp("t", "new").reverse(),
    "drop_table_comment.diff": lambda ops: ops.DropTableCommentOp("t", existing_comment="old").to_diff_tuple(),
    "drop_table_comment.reverse": lambda ops: ops.DropTableCommentOp("t", existing_comment="old").reverse(),
    "add_column.diff": lambda ops: ops.AddColumnOp("t", sa.Column("c", sa.Integer, nullable=False), schema="s").to_diff_tuple(),
    "add_column.reverse": lambda ops: ops.AddColumnOp("t", sa.Column("c", sa.Integer), schema="s").reverse(),
    "add_column.from_column": lambda ops: ops.AddColumnOp.from_column(_table().c.a),
    "add_column.inline": lambda ops: ops.AddColumnOp("t", sa.Column("c", sa.Integer), inline_references=True),
    "drop_column.bare.diff": lambda ops: ops.DropColumnOp("t", "c").to_diff_tuple(),
    "drop_column.from_column.diff": lambda ops: ops.DropColumnOp.from_column_and_tablename(
        "s", "t", sa.Column("c", sa.Integer, nullable=False)).to_diff_tuple(),
    "drop_column.from_column.reverse": lambda ops: ops.DropColumnOp.from_column_and_tablename(
        "s", "t", sa.Column("c", sa.Integer)).reverse(),
    "drop_column.kw": lambda ops: ops.DropColumnOp("t", "c", mssql_drop_default=True),
    "alter_column.diff": lambda ops: _alter(ops).to_diff_tuple(),
    "alter_column.diff_none": lambda ops: ops.AlterColumnOp("t", "c", modify_name="d").to_diff_tuple(),
    "alter_column.reverse_minimal": lambda ops: ops.AlterColumnOp("t", "c", modify_nullable=False).reverse(),
    "alter_column.kw": lambda ops: ops.AlterColumnOp("t", "c", modify_nullable=False, autoincrement=True),
    "alter_column.has_changes": lambda ops: [
        ops.AlterColumnOp("t", "c").has_changes(), ops.AlterColumnOp("t", "c", modify_comment=None).has_changes()],
    "create_index.from_index": lambda ops: ops.CreateIndexOp.from_index(_index()),
    "create_index.diff": lambda ops: ops.CreateIndexOp.from_index(_index()).to_diff_tuple(),
    "create_index.reverse": lambda ops: ops.CreateIndexOp.from_index(_index()).reverse(),
    "drop_index.from_index": lambda ops: ops.DropIndexOp.from_index(_index()),
    "drop_index.diff": lambda ops: ops.DropIndexOp.from_index(_index()).to_diff_tuple(),
    "drop_index.reverse": lambda ops: ops.DropIndexOp.from_index(_index()).reverse(),
    "unique.from_constraint": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.UniqueConstraint)),
    "unique.diff": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.UniqueConstraint)).to_diff_tuple(),
    "unique.reverse": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.UniqueConstraint)).reverse(),
    "check.from_constraint": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.CheckConstraint)),
    "check.reverse": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.CheckConstraint)).reverse(),
    "primary.from_constraint": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.PrimaryKeyConstraint)),
    "primary.diff": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.PrimaryKeyConstraint)).to_diff_tuple(),
    "primary.reverse": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.PrimaryKeyConstraint)).reverse(),
    "foreign_key.from_constraint": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.ForeignKeyConstraint)),
    "foreign_key.diff": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.ForeignKeyConstraint)).to_diff_tuple(),
    "foreign_key.reverse": lambda ops: ops.AddConstraintOp.from_constraint(_constraint(sa.ForeignKeyConstraint)).reverse(),
    "drop_constraint.from_fk": lambda ops: ops.DropConstraintOp.from_constraint(_constraint(sa.ForeignKeyConstraint)),
    "drop_constraint.fk.diff": lambda ops: ops.DropConstraintOp.from_constraint(
        _constraint(sa.ForeignKeyConstraint)).to_diff_tuple(),
    "drop_constraint.unique.diff": lambda ops: ops.DropConstraintOp.from_constraint(
        _constraint(sa.UniqueConstraint)).to_diff_tuple(),
    "drop_constraint.unique.reverse": lambda ops: ops.DropConstraintOp.from_constraint(
        _constraint(sa.UniqueConstraint)).reverse(),
    "create_foreign_key.vars": lambda ops: ops.CreateForeignKeyOp(
        "fk", "t", "o", ["a"], ["id"], onupdate="CASCADE", source_schema="s", referent_schema="r", match="FULL"),
    "create_foreign_key.diff": lambda ops: ops.CreateForeignKeyOp("fk", "t", "o", ["a"], ["id"]).to_diff_tuple(),
    "create_unique.vars": lambda ops: ops.CreateUniqueConstraintOp("uq", "t", ["a"], schema="s", deferrable=True),
    "create_check.diff": lambda ops: ops.CreateCheckConstraintOp("ck", "t", "a > 0", schema="s").to_diff_tuple(),
    "create_primary_key.diff": lambda ops: ops.CreatePrimaryKeyOp("pk", "t", ["a"], schema="s").to_diff_tuple(),
    "constraint_types": lambda ops: [
        ops.CreateUniqueConstraintOp.constraint_type, ops.CreateForeignKeyOp.constraint_type,
        ops.CreatePrimaryKeyOp.constraint_type, ops.CreateCheckConstraintOp.constraint_type],
    "execute.diff": lambda ops: ops.ExecuteSQLOp("select 1").to_diff_tuple(),
}
