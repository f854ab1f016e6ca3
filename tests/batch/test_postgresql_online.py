"""Batch mode on the real PostgreSQL server: ``recreate="always"`` and plain ALTERs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from limbeck_batch_scenarios import JSON_DOCUMENTS, checked_table, json_documents, text_documents, text_to_json

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

pytestmark = pytest.mark.postgresql

SETUP = [
    "CREATE TABLE bar (id SERIAL PRIMARY KEY)",
    "INSERT INTO bar DEFAULT VALUES",
    "INSERT INTO bar DEFAULT VALUES",
    (
        "CREATE TABLE foo (id SERIAL NOT NULL, x VARCHAR(50), y INTEGER DEFAULT 7, z INTEGER, "
        "CONSTRAINT pk_foo PRIMARY KEY (id), CONSTRAINT uq_x UNIQUE (x), CONSTRAINT ck_y CHECK (y > 5), "
        "CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id))"
    ),
    "CREATE INDEX ix_y ON foo (y)",
    "COMMENT ON TABLE foo IS 'the foo'",
    "INSERT INTO foo (x, y, z) VALUES ('a', 6, 1), ('b', 8, NULL), (NULL, 9, 2)",
]


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for sql in SETUP:
            conn.exec_driver_sql(sql)
    yield engine
    engine.dispose()


def plain_indexes(engine: sa.Engine) -> list[tuple[str, list[str]]]:
    """Indexes other than those backing a constraint (which reflection also lists)."""
    indexes = sa.inspect(engine).get_indexes("foo")
    return sorted((i["name"], i["column_names"]) for i in indexes if not i.get("duplicates_constraint"))


def run(engine: sa.Engine, fn: Callable[[Operations], Any]) -> None:
    with engine.begin() as conn:
        fn(Operations(MigrationContext.configure(conn)))


def test_recreate_always_keeps_rows_constraints_indexes_and_sequence(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="always") as b:
            b.alter_column("x", type_=sa.Text, nullable=True)
            b.add_column(sa.Column("q", sa.Integer, comment="the q"), insert_after="x")

    run(engine, fn)
    inspector = sa.inspect(engine)
    assert [c["name"] for c in inspector.get_columns("foo")] == ["id", "x", "q", "y", "z"]
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, x, q, y, z FROM foo ORDER BY id").all()
    assert [tuple(r) for r in rows] == [(1, "a", None, 6, 1), (2, "b", None, 8, None), (3, None, None, 9, 2)]
    assert inspector.get_pk_constraint("foo")["name"] == "pk_foo"
    assert [u["name"] for u in inspector.get_unique_constraints("foo")] == ["uq_x"]
    assert [c["name"] for c in inspector.get_check_constraints("foo")] == ["ck_y"]
    fks = inspector.get_foreign_keys("foo")
    assert [(f["name"], f["constrained_columns"], f["referred_table"]) for f in fks] == [("fk_z", ["z"], "bar")]
    assert plain_indexes(engine) == [("ix_y", ["y"])]
    assert inspector.get_table_comment("foo")["text"] == "the foo"
    assert {c["name"]: c["comment"] for c in inspector.get_columns("foo")}["q"] == "the q"
    assert "_alembic_tmp_foo" not in inspector.get_table_names()
    # the new serial continues after the copied ids (Alembic leaves it at 1)
    with engine.begin() as conn:
        new_id = conn.exec_driver_sql("INSERT INTO foo (x) VALUES ('new') RETURNING id").scalar_one()
    assert new_id == 4


def test_recreate_always_drops_a_column_and_renames_another(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="always") as b:
            b.drop_constraint("ck_y", type_="check")
            b.drop_column("y")
            b.alter_column("z", new_column_name="bar_id")

    run(engine, fn)
    inspector = sa.inspect(engine)
    assert [c["name"] for c in inspector.get_columns("foo")] == ["id", "x", "bar_id"]
    fks = inspector.get_foreign_keys("foo")
    assert [(f["name"], f["constrained_columns"]) for f in fks] == [("fk_z", ["bar_id"])]
    assert plain_indexes(engine) == []
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, x, bar_id FROM foo ORDER BY id").all()
    assert [tuple(r) for r in rows] == [(1, "a", 1), (2, "b", None), (3, None, 2)]


def test_auto_uses_plain_alters(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("q", sa.Integer, server_default="3"))
            b.alter_column("x", type_=sa.String(80), existing_type=sa.String(50))
            b.create_index("ix_q", ["q"])

    with engine.connect() as conn:
        oid_before = conn.exec_driver_sql("SELECT 'foo'::regclass::oid").scalar_one()
    run(engine, fn)
    with engine.connect() as conn:
        oid_after = conn.exec_driver_sql("SELECT 'foo'::regclass::oid").scalar_one()
        rows = conn.exec_driver_sql("SELECT id, q FROM foo ORDER BY id").all()
    # same table (altered in place, not rebuilt)
    assert oid_before == oid_after
    assert [tuple(r) for r in rows] == [(1, 3), (2, 3), (3, 3)]
    assert plain_indexes(engine) == [("ix_q", ["q"]), ("ix_y", ["y"])]


def test_a_failing_copy_raises_the_databases_error(engine: sa.Engine) -> None:
    # README: the rows break the new NOT NULL; Alembic's cleanup DROP TABLE in the aborted transaction
    # replaces that error with "current transaction is aborted" (InternalError); found by online fuzzing
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="always") as b:
            b.alter_column("x", nullable=False, existing_type=sa.String(50))

    with pytest.raises(sa.exc.IntegrityError, match="NotNullViolation"):
        run(engine, fn)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM foo").scalar_one() == 3


def test_text_to_json_keeps_the_documents(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        text_documents(conn)
    run(engine, text_to_json)
    with engine.connect() as conn:
        assert json_documents(conn) == list(JSON_DOCUMENTS.values())


def test_copy_from_keeps_unnamed_checks_and_renames_inside_them(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        checked_table().create(conn)
        conn.exec_driver_sql("INSERT INTO ck VALUES (1, 2, 3)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck", copy_from=checked_table(), recreate="always") as b:
            b.alter_column("lo", new_column_name="low")

    run(engine, fn)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.exec_driver_sql("SELECT id, low, hi FROM ck")] == [(1, 2, 3)]
    checks = {c["name"]: c["sqltext"] for c in sa.inspect(engine).get_check_constraints("ck")}
    assert checks["ck_lo"] == "low >= 0"
    assert sorted(checks.values()) == ["hi < 1000", "low <= hi", "low >= 0"]
    for bad in ("(2, -1, 3)", "(3, 1, 5000)", "(4, 9, 8)"):
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql(f"INSERT INTO ck VALUES {bad}")
