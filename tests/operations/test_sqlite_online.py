"""Every operation on a real SQLite database: what it can do, and clean refusals for the rest."""

from __future__ import annotations

import re

from collections.abc import Callable
from pathlib import Path
from typing import Any

import limbeck_online as online
import pytest
import sqlalchemy as sa

from limbeck.errors import CommandError, LimbeckWarning, UnsupportedOperation
from limbeck.operations import Operations

run, rows, columns, tables, shape = online.run, online.rows, online.columns, online.tables, online.shape


def _parent_child(op: Operations) -> None:
    op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE"), nullable=False),
        sa.Column("qty", sa.Integer, server_default="1"),
        sa.UniqueConstraint("parent_id", "qty", name="uq_child"),
        sa.CheckConstraint("qty > 0", name="ck_qty"),
        sa.Index("ix_child_qty", "qty"),
        if_not_exists=True,
    )


def test_create_table_with_every_constraint_kind(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)
    inspector = sa.inspect(sqlite_engine)
    assert tables(sqlite_engine) == ["child", "parent"]
    assert inspector.get_pk_constraint("child")["constrained_columns"] == ["id"]
    fks = inspector.get_foreign_keys("child")
    assert [(fk["constrained_columns"], fk["referred_table"], fk["options"].get("ondelete")) for fk in fks] == [
        (["parent_id"], "parent", "CASCADE")
    ]
    assert [u["name"] for u in inspector.get_unique_constraints("child")] == ["uq_child"]
    assert [c["name"] for c in inspector.get_check_constraints("child")] == ["ck_qty"]
    assert [i["name"] for i in inspector.get_indexes("child")] == ["ix_child_qty"]
    # if_not_exists: a second run is harmless
    run(sqlite_engine, lambda op: op.create_table("child", sa.Column("id", sa.Integer), if_not_exists=True))


def test_bulk_insert_into_created_table_and_cascade(sqlite_engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        _parent_child(op)
        parent = sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.bulk_insert(parent, [{"id": 1, "name": "o'brien"}, {"id": 2, "name": "100% sure"}])
        op.bulk_insert(
            sa.table("child", sa.column("parent_id", sa.Integer), sa.column("qty", sa.Integer)),
            [{"parent_id": 1, "qty": 3}, {"parent_id": 2, "qty": 4}],
            multiinsert=False,
        )
        op.execute(sa.text("DELETE FROM parent WHERE id = :i").bindparams(i=1))

    run(sqlite_engine, fn)
    assert rows(sqlite_engine, "SELECT id, name FROM parent") == [(2, "100% sure")]
    assert rows(sqlite_engine, "SELECT parent_id, qty FROM child") == [(2, 4)]


def test_rename_table_and_drop_table(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)
    run(sqlite_engine, lambda op: op.rename_table("child", "kid"))
    assert tables(sqlite_engine) == ["kid", "parent"]

    def drop(op: Operations) -> None:
        op.drop_table("kid")
        op.drop_table("kid", if_exists=True)

    run(sqlite_engine, drop)
    assert tables(sqlite_engine) == ["parent"]


def test_add_columns(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)
    run(sqlite_engine, lambda op: op.execute("INSERT INTO parent (id, name) VALUES (1, 'a')"))

    def fn(op: Operations) -> None:
        op.add_column("parent", sa.Column("flag", sa.Boolean, nullable=False, server_default=sa.false()))
        op.add_column("parent", sa.Column("note", sa.Text, comment="ignored by SQLite"))
        op.add_column("parent", sa.Column("twice", sa.Integer, sa.Computed("id * 2", persisted=False)))
        op.add_column("parent", sa.Column("friend_id", sa.Integer, sa.ForeignKey("parent.id")))
        op.add_column("parent", sa.Column("code", sa.String(5), index=True))

    run(sqlite_engine, fn)
    cols = columns(sqlite_engine, "parent")
    assert list(cols) == ["id", "name", "flag", "note", "twice", "friend_id", "code"]
    assert cols["flag"]["nullable"] is False
    assert rows(sqlite_engine, "SELECT flag, twice FROM parent") == [(0, 2)]
    fks = sa.inspect(sqlite_engine).get_foreign_keys("parent")
    assert [(fk["constrained_columns"], fk["referred_table"]) for fk in fks] == [(["friend_id"], "parent")]
    assert [i["name"] for i in sa.inspect(sqlite_engine).get_indexes("parent")] == ["ix_parent_code"]


def test_add_column_refusals_leave_the_table_alone(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)
    before = shape(sqlite_engine, "parent")
    with pytest.raises(UnsupportedOperation, match="not supported on sqlite"):
        run(sqlite_engine, lambda op: op.add_column("parent", sa.Column("b", sa.Integer, unique=True)))
    assert shape(sqlite_engine, "parent") == before


EMPTY_TABLE_ONLY = [
    pytest.param(
        lambda: sa.Column("a", sa.Integer, nullable=False),
        "add_column(parent.a): SQLite adds a NOT NULL column without a default only to an empty table; give the "
        "column a server_default, or add it nullable, fill it, and make it NOT NULL in batch mode (the database "
        "said: Cannot add a NOT NULL column with default value NULL)",
        id="not_null",
    ),
    pytest.param(
        lambda: sa.Column("a", sa.Integer, sa.Computed("id + 1", persisted=True)),
        "add_column(parent.a): SQLite adds a STORED generated column only to an empty table; use "
        "Computed(..., persisted=False), or add it in op.batch_alter_table(), which rebuilds the table (the "
        "database said: cannot add a STORED column)",
        id="stored",
    ),
]


@pytest.mark.parametrize("column, message", EMPTY_TABLE_ONLY)
def test_add_column_sqlite_takes_only_on_an_empty_table(
    sqlite_engine: sa.Engine, column: Callable[[], sa.Column[Any]], message: str
) -> None:
    # as Alembic: emitted; SQLite (3.37+) adds it to an empty table
    run(sqlite_engine, _parent_child)
    run(sqlite_engine, lambda op: op.add_column("parent", column()))
    assert "a" in columns(sqlite_engine, "parent")
    run(sqlite_engine, lambda op: op.drop_column("parent", "a"))
    # with a row SQLite refuses: one line with the remedy, the table as it was
    run(sqlite_engine, lambda op: op.execute("INSERT INTO parent (id, name) VALUES (1, 'x')"))
    before = shape(sqlite_engine, "parent")
    with pytest.raises(CommandError) as caught:
        run(sqlite_engine, lambda op: op.add_column("parent", column()))
    assert str(caught.value) == message
    assert shape(sqlite_engine, "parent") == before


def test_drop_column_and_rename_column(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)
    run(sqlite_engine, lambda op: op.execute("INSERT INTO parent (id, name) VALUES (7, 'x')"))

    def fn(op: Operations) -> None:
        op.alter_column("parent", "name", new_column_name="title")
        op.drop_column("parent", "title")

    run(sqlite_engine, fn)
    assert list(columns(sqlite_engine, "parent")) == ["id"]
    assert rows(sqlite_engine, "SELECT id FROM parent") == [(7,)]


def test_quoted_names_round_trip(sqlite_engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.create_table("Order", sa.Column("select", sa.Integer), sa.Column("it's", sa.String(5)))
        op.add_column("Order", sa.Column('em"b', sa.Integer))
        op.create_index("Ix Odd", "Order", ["select", "it's"], unique=True)
        op.alter_column("Order", "select", new_column_name="From")
        op.bulk_insert(sa.table("Order", sa.column("From"), sa.column("it's")), [{"From": 1, "it's": "a'b"}])

    run(sqlite_engine, fn)
    assert list(columns(sqlite_engine, "Order")) == ["From", "it's", 'em"b']
    assert rows(sqlite_engine, 'SELECT "From", "it\'s" FROM "Order"') == [(1, "a'b")]
    run(sqlite_engine, lambda op: op.drop_index("Ix Odd", table_name="Order"))
    assert sa.inspect(sqlite_engine).get_indexes("Order") == []


def test_indexes(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)

    def fn(op: Operations) -> None:
        op.create_index("ix_lower", "parent", [sa.text("lower(name)")])
        op.create_index("ix_partial", "parent", ["name"], unique=True, sqlite_where=sa.text("name IS NOT NULL"))
        op.create_index("ix_partial", "parent", ["name"], if_not_exists=True)

    run(sqlite_engine, fn)
    # the inspector skips expression indexes: ask the catalog
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'parent' ORDER BY name"
    assert rows(sqlite_engine, index_sql) == [
        ("ix_lower", "CREATE INDEX ix_lower ON parent (lower(name))"),
        ("ix_partial", "CREATE UNIQUE INDEX ix_partial ON parent (name) WHERE name IS NOT NULL"),
    ]

    def drop(op: Operations) -> None:
        op.drop_index("ix_lower")
        op.drop_index("ix_lower", if_exists=True)

    run(sqlite_engine, drop)
    assert [name for name, _ in rows(sqlite_engine, index_sql)] == ["ix_partial"]


@pytest.mark.parametrize(
    "call",
    [
        lambda op: op.alter_column("parent", "name", nullable=False, existing_type=sa.String(20)),
        lambda op: op.alter_column("parent", "name", type_=sa.Text),
        lambda op: op.alter_column("parent", "name", server_default="x"),
        lambda op: op.alter_column("parent", "name", comment="c"),
        lambda op: op.create_primary_key("pk", "parent", ["id"]),
        lambda op: op.create_unique_constraint("uq", "parent", ["name"]),
        lambda op: op.create_foreign_key("fk", "parent", "parent", ["id"], ["id"]),
        lambda op: op.create_check_constraint("ck", "parent", "id > 0"),
        lambda op: op.drop_constraint("uq_child", "child", type_="unique"),
        lambda op: op.create_table_comment("parent", "c"),
        lambda op: op.drop_table_comment("parent"),
        lambda op: op.create_exclude_constraint("ex", "parent", ("id", "=")),
    ],
)
def test_refused_operations_change_nothing(sqlite_engine: sa.Engine, call: object) -> None:
    run(sqlite_engine, _parent_child)
    before = shape(sqlite_engine, "parent"), sa.inspect(sqlite_engine).get_unique_constraints("child")
    with pytest.raises(UnsupportedOperation, match="not supported on sqlite"):
        run(sqlite_engine, call)  # type: ignore[arg-type]
    assert (shape(sqlite_engine, "parent"), sa.inspect(sqlite_engine).get_unique_constraints("child")) == before


def test_clauses_sqlite_lacks_warn_and_still_work(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)
    with pytest.warns(LimbeckWarning, match="if_not_exists=True ignored"):
        run(sqlite_engine, lambda op: op.add_column("parent", sa.Column("x", sa.Integer), if_not_exists=True))
    with pytest.warns(LimbeckWarning, match="if_exists=True ignored"):
        run(sqlite_engine, lambda op: op.drop_column("parent", "x", if_exists=True))
    assert list(columns(sqlite_engine, "parent")) == ["id", "name"]


def test_execute_and_inline_literal(sqlite_engine: sa.Engine) -> None:
    run(sqlite_engine, _parent_child)

    def fn(op: Operations) -> None:
        op.execute("INSERT INTO parent (id, name) VALUES (1, 'a:b 100%')")
        parent = sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.execute(parent.update().where(parent.c.id == op.inline_literal(1)).values(name=op.inline_literal("z'z")))

    run(sqlite_engine, fn)
    assert rows(sqlite_engine, "SELECT id, name FROM parent") == [(1, "z'z")]


def test_inline_literals_of_statements_of_one_shape_are_each_their_own(sqlite_engine: sa.Engine) -> None:
    # an inline literal is written into the SQL: a compilation cached for the first statement of a
    # shape must not be reused for the next (it ran the first one's values: row 2 kept 'y', the
    # second bulk_insert row got 'd1')
    run(sqlite_engine, _parent_child)
    parent = sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String))

    def fn(op: Operations) -> None:
        op.bulk_insert(parent, [{"id": 1, "name": op.inline_literal("d1")}, {"id": 2, "name": op.inline_literal("d2")}])
        op.bulk_insert(parent, [{"id": 3, "name": op.inline_literal("d3")}], multiinsert=False)
        op.execute(parent.update().where(parent.c.id == op.inline_literal(1)).values(name=op.inline_literal("a")))
        op.execute(parent.update().where(parent.c.id == op.inline_literal(2)).values(name=op.inline_literal("b")))
        op.execute(parent.delete().where(parent.c.name == op.inline_literal("d3")))
        op.execute(parent.delete().where(parent.c.name == op.inline_literal("no such name")))

    run(sqlite_engine, fn)
    assert rows(sqlite_engine, "SELECT id, name FROM parent ORDER BY id") == [(1, "a"), (2, "b")]


def test_empty_table_only_refusal_names_the_revision_in_one_line(tmp_path: Path) -> None:
    from limbeck import command
    from limbeck.config import Config
    from limbeck.errors import MigrationFailed

    ini = tmp_path / "limbeck.ini"
    command.init(Config(str(ini)), str(tmp_path / "migrations"))
    env = tmp_path / "migrations" / "env.py"
    env.write_text(env.read_text().replace("    fileConfig(config.config_file_name)", "    pass"))
    body = """
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO t (id) VALUES (1)")
    op.add_column("t", sa.Column("total", sa.Integer, sa.Computed("id * 2", persisted=True)))
"""
    (tmp_path / "migrations" / "versions" / "a1_stored.py").write_text(
        'import sqlalchemy as sa\nfrom alembic import op\n\nrevision = "a1"\ndown_revision = None\n'
        f"branch_labels = None\ndepends_on = None\n\n\ndef upgrade():{body}\n\ndef downgrade():\n    pass\n"
    )
    config = Config(str(ini))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'app.db'}")
    with pytest.raises(MigrationFailed) as caught:
        command.upgrade(config, "head")
    message = str(caught.value)
    assert "\n" not in message
    assert re.search(r"a1_stored\.py:\d+ \(revision a1, upgrade\): add_column\(t\.total\): SQLite adds a STORED generated column", message)
    assert "(the database said: cannot add a STORED column)" in message
    assert isinstance(caught.value, sa.exc.OperationalError)  # what Alembic lets through command.upgrade()
