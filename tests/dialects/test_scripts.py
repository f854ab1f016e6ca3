"""Whole offline scripts: terminators and batch separators around limbeck's statements, and determinism.

The tables elsewhere compare statements; here the exact text shows how
multi-line statements (SQL Server's T-SQL blocks) sit in a script and that
the same operations always give the same bytes.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from limbeck.operations import Operations
from limbeck.testing import compile_ops


def test_mssql_tsql_block_is_one_batch() -> None:
    out = compile_ops("mssql", lambda op: op.drop_column("t", "c", mssql_drop_default=True))
    assert out == (
        "declare @const_name varchar(256)\n"
        "select @const_name = QUOTENAME([name]) from sys.default_constraints\n"
        "where parent_object_id = object_id('t')\n"
        "and col_name(parent_object_id, parent_column_id) = 'c'\n"
        "exec('alter table t drop constraint ' + @const_name);\n\n"
        "GO\n\n"
        "ALTER TABLE t DROP COLUMN c;\n\n"
        "GO"
    )


def test_oracle_statements_end_with_a_slash_line() -> None:
    def fn(op: Operations) -> None:
        op.alter_column("t", "c", comment="x", new_column_name="d")

    assert compile_ops("oracle", fn) == "COMMENT ON COLUMN t.c IS 'x'\n\n/\n\nALTER TABLE t RENAME COLUMN c TO d\n\n/"


def test_custom_batch_separator() -> None:
    out = compile_ops("mssql", lambda op: op.rename_table("t", "u"), mssql_batch_separator="GO 1")
    assert out == "EXEC sp_rename 't', u;\n\nGO 1"


def _everything(op: Operations) -> None:
    op.create_table(
        "t",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer, index=True, unique=True),
        sa.Column("b", sa.Integer, sa.ForeignKey("o.id"), sa.ForeignKey("p.id"), index=True),
        sa.Column("c", sa.String(5), sa.ForeignKey("q.code"), comment="c"),
        sa.Index("ix_ab", "a", "b"),
        sa.Index("ix_bc", "b", "c"),
        sa.UniqueConstraint("b", "c"),
        sa.CheckConstraint("a > 0"),
        comment="t",
    )
    op.add_column("t", sa.Column("d", sa.Integer, sa.ForeignKey("o.id"), sa.ForeignKey("p.id"), unique=True, index=True))
    op.bulk_insert(sa.table("t", sa.column("id"), sa.column("a")), [{"id": 1, "a": 2}, {"a": 3, "id": 4}])


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql", "oracle"])
def test_same_operations_same_bytes(dialect: str) -> None:
    # schema objects keep constraints and indexes in sets: repeated builds must not reorder them
    outputs = {compile_ops(dialect, _everything) for _ in range(12)}
    assert len(outputs) == 1
