"""Golden batch scripts per dialect (snapshots/batch/<dialect>_<scenario>.sql).

SQLite rebuilds ("move and copy"); PostgreSQL, MySQL and SQL Server alter in
place unless a scenario asks for ``recreate="always"``. Update with
``pytest tests/batch/test_snapshots.py --snapshot-update`` and review the diff.
"""

from __future__ import annotations

import warnings
from typing import Any

import limbeck_batch_scenarios as SCENARIOS
import pytest
import sqlalchemy as sa

from limbeck.operations import Operations
from limbeck.testing.compile import compile_ops

DIALECTS = ("sqlite", "postgresql", "mysql", "mssql")

#: (dialect, scenario) pairs that are errors there, as in Alembic (tested in test_errors)
def render(dialect: str, name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile_ops(dialect, SCENARIOS.SCENARIOS[name]) + "\n"


@pytest.mark.parametrize("name", sorted(SCENARIOS.SCENARIOS))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_batch_script(batch_snapshot: Any, dialect: str, name: str) -> None:
    batch_snapshot.assert_match(render(dialect, name), f"{dialect}_{name}.sql")


def test_scripts_are_deterministic() -> None:
    assert render("sqlite", "foreign_keys") == render("sqlite", "foreign_keys")
    assert render("postgresql", "placed_columns") == render("postgresql", "placed_columns")


def test_schema_qualified_rebuild(batch_snapshot: Any) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", schema="app", copy_from=SCENARIOS.foo_table("app")) as b:
            b.drop_column("y")

    batch_snapshot.assert_match(compile_ops("sqlite", fn) + "\n", "sqlite_schema.sql")


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql"])
def test_batch_alters_equal_plain_operations(dialect: str) -> None:
    """Where nothing is rebuilt, a batch is exactly the plain operations on its table."""

    def batch(op: Operations) -> None:
        with op.batch_alter_table("foo", schema="app") as b:
            b.add_column(sa.Column("q", sa.Integer, server_default="1"))
            b.alter_column("x", new_column_name="ex", existing_type=sa.String(50), existing_nullable=False)
            b.drop_column("z")
            b.create_index("ix_q", ["q"])
            b.drop_index("ix_y")
            b.create_unique_constraint("uq_q", ["q"])
            b.create_check_constraint("ck_q", "q > 0")
            b.create_foreign_key("fk_q", "bar", ["q"], ["id"], referent_schema="other", ondelete="CASCADE")
            b.drop_constraint("uq_x", type_="unique")
            b.create_table_comment("foos")

    def plain(op: Operations) -> None:
        op.add_column("foo", sa.Column("q", sa.Integer, server_default="1"), schema="app")
        op.alter_column("foo", "x", new_column_name="ex", existing_type=sa.String(50), existing_nullable=False, schema="app")
        op.drop_column("foo", "z", schema="app")
        op.create_index("ix_q", "foo", ["q"], schema="app")
        op.drop_index("ix_y", table_name="foo", schema="app")
        op.create_unique_constraint("uq_q", "foo", ["q"], schema="app")
        op.create_check_constraint("ck_q", "foo", "q > 0", schema="app")
        op.create_foreign_key(
            "fk_q", "foo", "bar", ["q"], ["id"], source_schema="app", referent_schema="other", ondelete="CASCADE"
        )
        op.drop_constraint("uq_x", "foo", type_="unique", schema="app")
        op.create_table_comment("foo", "foos", schema="app")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert compile_ops(dialect, batch) == compile_ops(dialect, plain)
