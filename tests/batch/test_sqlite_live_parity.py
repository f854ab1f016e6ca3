"""SQLite batch rebuilds of a reflected table leave what Alembic 1.20.1 leaves, down to the text.

Found running prefect's SQLite history online with both tools
(``tests/realworld/test_online.py``). Each case creates the same table in two
in-memory databases, runs the same batch through Alembic's and limbeck's
``Operations`` on a live connection, and compares the table's definition as
SQLite keeps it (``sqlite_master``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

#: server defaults as a table may have been created with, one column each
DEFAULTS = ["0", "12", "1.5", "-1", "'abc'", "'a\nb'", "CURRENT_TIMESTAMP", "NULL", "(1 + 2)", "((1 + 2))",
            "(\n 1 + 2\n)", "(\n (\n lower(hex(randomblob(4)))\n || '-'\n )\n )", "(lower('X'))"]


def _defaults(op: Any) -> None:
    with op.batch_alter_table("t", recreate="always") as b:
        b.alter_column("q", new_column_name="r")


def _drop_column_then_its_index(op: Any) -> None:
    # prefect's b75d279ba985: the index on (name, version) is dropped after its column
    with op.batch_alter_table("t") as b:
        b.drop_column("version")
        b.drop_index("uq_t__name_version")
        b.drop_column("parent_id")
        b.drop_constraint("fk_t__parent_id", type_="foreignkey")


CASES: dict[str, tuple[list[str], Callable[[Any], None]]] = {
    "reflected defaults": (
        ["CREATE TABLE t (q INTEGER, " + ", ".join(f"c{i} VARCHAR DEFAULT {d}" for i, d in enumerate(DEFAULTS)) + ")"],
        _defaults,
    ),
    "drop a column, then its index and foreign key": (
        [
            "CREATE TABLE p (id INTEGER PRIMARY KEY)",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR, version VARCHAR, parent_id INTEGER, "
            "CONSTRAINT fk_t__parent_id FOREIGN KEY(parent_id) REFERENCES p (id))",
            "CREATE UNIQUE INDEX uq_t__name_version ON t (name, version)",
            "CREATE INDEX ix_t__name ON t (name)",
        ],
        _drop_column_then_its_index,
    ),
}


def _definitions(setup: list[str], change: Callable[[Any], None], operations: Any, context: Any) -> list[Any]:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        for sql in setup:
            conn.exec_driver_sql(sql)
        change(operations(context.configure(conn)))
        return [tuple(r) for r in conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY name")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_definitions_as_alembic(name: str) -> None:
    if importlib.util.find_spec("alembic") is None:
        pytest.skip("real Alembic is not installed (pip install -e '.[test]')")
    from alembic.migration import MigrationContext as AlembicContext
    from alembic.operations import Operations as AlembicOperations

    setup, change = CASES[name]
    theirs = _definitions(setup, change, AlembicOperations, AlembicContext)
    ours = _definitions(setup, change, Operations, MigrationContext)
    assert ours == theirs
    assert any("DEFAULT ((" in str(row[2]) for row in ours) or name != "reflected defaults"
