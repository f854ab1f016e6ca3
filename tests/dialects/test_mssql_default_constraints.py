"""When SQL Server's default constraint of a column is dropped first: what the README says.

Each case is rendered by limbeck and by real Alembic 1.20.1; they agree except where
limbeck departs on purpose (a type change of a column with a known default, which SQL
Server refuses while the default is bound to the column).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.testing.compile import compile_ops

FINDS_DEFAULT = "from sys.default_constraints"

Case = Callable[[Any], None]

CASES: dict[str, tuple[Case, bool]] = {
    # name: (operation, does it drop the default constraint first?)
    "plain drop_column": (lambda op: op.drop_column("t", "c"), False),
    "drop_column mssql_drop_default": (lambda op: op.drop_column("t", "c", mssql_drop_default=True), True),
    "remove the server default": (
        lambda op: op.alter_column("t", "c", server_default=None, existing_type=sa.String(10)), True),
    "new default, existing unknown": (
        lambda op: op.alter_column("t", "c", server_default="y", existing_type=sa.String(10)), False),
    "new default, existing known": (
        lambda op: op.alter_column("t", "c", server_default="y", existing_server_default="x",
                                   existing_type=sa.String(10)), True),
    "nullability only, existing known": (
        lambda op: op.alter_column("t", "c", nullable=False, existing_server_default="x",
                                   existing_type=sa.String(10)), False),
    "type change, existing unknown": (
        lambda op: op.alter_column("t", "c", type_=sa.String(20), existing_type=sa.String(10),
                                   existing_nullable=True), False),
}


def _alembic(fn: Case) -> str:
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name="mssql", opts={"as_sql": True, "output_buffer": buffer})
    fn(Operations(context))
    return buffer.getvalue()


@pytest.mark.parametrize("name", CASES)
def test_default_constraint_dropped_exactly_when_the_readme_says(name: str) -> None:
    fn, drops = CASES[name]
    ours = compile_ops("mssql", fn)
    assert (FINDS_DEFAULT in ours) == drops
    assert ours.strip() == _alembic(fn).strip()


def test_type_change_of_a_column_with_a_known_default_puts_the_default_back() -> None:
    """The departure: Alembic writes only the ALTER COLUMN, which SQL Server refuses."""

    def fn(op: Any) -> None:
        op.alter_column("t", "c", type_=sa.String(20), existing_type=sa.String(10),
                        existing_nullable=True, existing_server_default="x")

    ours = compile_ops("mssql", fn)
    assert FINDS_DEFAULT not in _alembic(fn)
    drop, alter, add = (ours.index(FINDS_DEFAULT), ours.index("ALTER COLUMN c VARCHAR(20)"),
                        ours.index("ADD DEFAULT 'x' FOR c"))
    assert drop < alter < add
