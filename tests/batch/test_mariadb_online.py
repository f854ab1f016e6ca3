"""Batch mode on the real MariaDB server: a ``recreate="always"`` rebuild keeps CHECKs and renames inside them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from limbeck_batch_scenarios import JSON_DOCUMENTS, checked_table, json_documents, text_documents, text_to_json

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

pytestmark = pytest.mark.mariadb


@pytest.fixture
def engine(mariadb_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(mariadb_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


def _checked_table() -> sa.Table:
    # MariaDB takes a named CHECK only at table level
    return checked_table(column_check_name=None, table_check_name="ck_order")


def test_copy_from_keeps_unnamed_checks_and_renames_inside_them(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        _checked_table().create(conn)
        conn.exec_driver_sql("INSERT INTO ck VALUES (1, 2, 3)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck", copy_from=_checked_table(), recreate="always") as b:
            b.alter_column("lo", new_column_name="low", existing_type=sa.Integer)

    with engine.begin() as conn:
        fn(Operations(MigrationContext.configure(conn)))
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.exec_driver_sql("SELECT id, low, hi FROM ck")] == [(1, 2, 3)]
    for bad in ("(2, -1, 3)", "(3, 1, 5000)", "(4, 9, 8)"):
        with pytest.raises(sa.exc.OperationalError, match="CONSTRAINT"), engine.begin() as conn:
            conn.exec_driver_sql(f"INSERT INTO ck VALUES {bad}")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO ck VALUES (5, 1, 2)")


def test_text_to_json_keeps_the_documents(engine: sa.Engine) -> None:
    """MariaDB has no CAST(x AS JSON), which Alembic writes: the copy goes as is, its JSON column checks it."""
    with pytest.raises(sa.exc.ProgrammingError, match="syntax"), engine.begin() as conn:
        conn.exec_driver_sql("""SELECT CAST('{"a": 1}' AS JSON)""")
    with engine.begin() as conn:
        text_documents(conn)
    with engine.begin() as conn:
        text_to_json(Operations(MigrationContext.configure(conn)))
    with engine.connect() as conn:
        assert json_documents(conn) == list(JSON_DOCUMENTS.values())
    with pytest.raises(sa.exc.OperationalError, match="CONSTRAINT"), engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO doc VALUES (9, 'not json')")  # the JSON column still checks
