"""Every operation on the real PostgreSQL server of the test suite, checked by reflection."""

from __future__ import annotations

from collections.abc import Iterator

import limbeck_online as online
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

pytestmark = pytest.mark.postgresql

run, rows, columns, tables, shape = online.run, online.rows, online.columns, online.tables, online.shape


@pytest.fixture
def engine(pg_engine: sa.Engine) -> Iterator[sa.Engine]:
    """The database with schema ``s`` and a parent table ``s.parent`` holding two rows."""

    def setup(op: Operations) -> None:
        op.execute("CREATE SCHEMA s")
        op.create_table(
            "parent",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(20), nullable=False),
            schema="s",
        )
        op.bulk_insert(
            sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String), schema="s"),
            [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}],
        )

    run(pg_engine, setup)
    yield pg_engine


def _child(op: Operations) -> sa.Table:
    return op.create_table(
        "child",
        sa.Column("id", sa.Integer, sa.Identity(start=10), primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("s.parent.id", ondelete="CASCADE"), nullable=False),
        sa.Column("qty", sa.Integer, server_default="1", comment="how many"),
        sa.Column("kind", sa.Enum("x", "y", name="kind")),
        sa.Column("double", sa.Integer, sa.Computed("qty * 2", persisted=True)),
        sa.UniqueConstraint("parent_id", "qty", name="uq_child"),
        sa.CheckConstraint("qty > 0", name="ck_qty"),
        sa.Index("ix_child_kind", "kind"),
        comment="children",
    )


def test_create_table_and_bulk_insert(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        table = _child(op)
        op.bulk_insert(table, [{"parent_id": 1, "qty": 2, "kind": "x"}, {"parent_id": 2, "kind": "y"}])

    run(engine, fn)
    inspector = sa.inspect(engine)
    assert rows(engine, "SELECT id, parent_id, qty, kind, double FROM child ORDER BY id") == [
        (10, 1, 2, "x", 4),
        (11, 2, 1, "y", 2),
    ]
    assert inspector.get_table_comment("child")["text"] == "children"
    assert columns(engine, "child")["qty"]["comment"] == "how many"
    fk = inspector.get_foreign_keys("child")[0]
    assert (fk["referred_schema"], fk["referred_table"], fk["options"]) == ("s", "parent", {"ondelete": "CASCADE"})
    assert [u["name"] for u in inspector.get_unique_constraints("child")] == ["uq_child"]
    assert [c["name"] for c in inspector.get_check_constraints("child")] == ["ck_qty"]
    assert [i["name"] for i in inspector.get_indexes("child") if not i.get("duplicates_constraint")] == ["ix_child_kind"]
    assert rows(engine, "SELECT typname FROM pg_type WHERE typname = 'kind'") == [("kind",)]


def test_drop_rename_and_table_comments(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.rename_table("parent", "mother", schema="s")
        op.create_table_comment("mother", "it's the mother", schema="s")

    run(engine, fn)
    assert tables(engine, schema="s") == ["mother"]
    assert sa.inspect(engine).get_table_comment("mother", schema="s")["text"] == "it's the mother"
    run(engine, lambda op: op.drop_table_comment("mother", existing_comment="it's the mother", schema="s"))
    assert sa.inspect(engine).get_table_comment("mother", schema="s")["text"] is None

    def drop(op: Operations) -> None:
        op.drop_table("mother", schema="s")
        op.drop_table("mother", schema="s", if_exists=True)

    run(engine, drop)
    assert tables(engine, schema="s") == []


def test_add_and_drop_columns(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.add_column("parent", sa.Column("flag", sa.Boolean, nullable=False, server_default=sa.true()), schema="s")
        op.add_column("parent", sa.Column("created", sa.DateTime, server_default=sa.func.now()), schema="s")
        op.add_column("parent", sa.Column("serial", sa.BigInteger, sa.Identity(always=True)), schema="s")
        op.add_column("parent", sa.Column("double", sa.Integer, sa.Computed("id * 2", persisted=True)), schema="s")
        op.add_column(
            "parent", sa.Column("friend", sa.Integer, sa.ForeignKey("s.parent.id", name="fk_friend")), schema="s"
        )
        op.add_column(
            "parent",
            sa.Column("buddy", sa.Integer, sa.ForeignKey("s.parent.id", name="fk_buddy")),
            schema="s",
            inline_references=True,
        )
        op.add_column("parent", sa.Column("code", sa.String(5), unique=True, comment="the code"), schema="s")
        op.add_column("parent", sa.Column("code", sa.String(5)), schema="s", if_not_exists=True)

    run(engine, fn)
    cols = columns(engine, "parent", schema="s")
    assert list(cols) == ["id", "name", "flag", "created", "serial", "double", "friend", "buddy", "code"]
    assert cols["code"]["comment"] == "the code"
    assert rows(engine, "SELECT id, flag, serial, double FROM s.parent ORDER BY id") == [(1, True, 1, 2), (2, True, 2, 4)]
    fks = sorted(fk["name"] for fk in sa.inspect(engine).get_foreign_keys("parent", schema="s"))
    assert fks == ["fk_buddy", "fk_friend"]

    def drop(op: Operations) -> None:
        op.drop_column("parent", "friend", schema="s")
        op.drop_column("parent", "friend", schema="s", if_exists=True)

    run(engine, drop)
    assert "friend" not in columns(engine, "parent", schema="s")


def test_alter_column_every_change(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.alter_column(
            "parent", "name", schema="s", type_=sa.Integer, existing_type=sa.String(20),
            postgresql_using="length(name)", nullable=True, server_default="7", comment="was a name",
            new_column_name="size",
        )

    run(engine, fn)
    col = columns(engine, "parent", schema="s")["size"]
    assert (str(col["type"]), col["nullable"], col["default"], col["comment"]) == ("INTEGER", True, "7", "was a name")
    assert rows(engine, "SELECT id, size FROM s.parent ORDER BY id") == [(1, 1), (2, 1)]

    def undo(op: Operations) -> None:
        op.alter_column("parent", "size", schema="s", server_default=None, comment=None, nullable=False)

    run(engine, undo)
    col = columns(engine, "parent", schema="s")["size"]
    assert (col["nullable"], col["default"], col["comment"]) == (False, None, None)


def test_alter_column_identity(engine: sa.Engine) -> None:
    run(engine, lambda op: op.execute("CREATE TABLE counter (n INTEGER NOT NULL, label TEXT)"))
    identity = sa.Identity(start=100, increment=5)
    run(engine, lambda op: op.alter_column("counter", "n", server_default=identity, existing_type=sa.Integer))
    run(engine, lambda op: op.execute("INSERT INTO counter (label) VALUES ('a')"))
    changed = sa.Identity(start=100, increment=10, always=True)
    run(engine, lambda op: op.alter_column("counter", "n", server_default=changed, existing_server_default=identity))
    run(engine, lambda op: op.execute("INSERT INTO counter (label) VALUES ('b')"))
    assert rows(engine, "SELECT n, label FROM counter ORDER BY n") == [(100, "a"), (110, "b")]
    run(engine, lambda op: op.alter_column("counter", "n", server_default="0", existing_server_default=changed))
    run(engine, lambda op: op.execute("INSERT INTO counter (label) VALUES ('c')"))
    assert rows(engine, "SELECT n FROM counter WHERE label = 'c'") == [(0,)]
    assert columns(engine, "counter")["n"].get("identity") is None


def test_constraints(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.execute("CREATE TABLE t (a INTEGER NOT NULL, b INTEGER NOT NULL, p INTEGER, during tsrange)")
        op.create_primary_key("pk_t", "t", ["a", "b"])
        op.create_unique_constraint("uq_t", "t", ["b"], deferrable=True, initially="DEFERRED")
        op.create_foreign_key(
            "fk_t", "t", "parent", ["p"], ["id"], referent_schema="s", ondelete="SET NULL", onupdate="CASCADE",
            match="FULL",
        )
        op.create_check_constraint("ck_t", "t", sa.column("a") < sa.column("b"))
        op.create_exclude_constraint("ex_t", "t", ("during", "&&"), using="gist", where=sa.text("p IS NOT NULL"))

    run(engine, fn)
    inspector = sa.inspect(engine)
    assert inspector.get_pk_constraint("t")["name"] == "pk_t"
    assert [u["name"] for u in inspector.get_unique_constraints("t")] == ["uq_t"]
    fk = inspector.get_foreign_keys("t")[0]
    assert (fk["name"], fk["options"]) == ("fk_t", {"onupdate": "CASCADE", "ondelete": "SET NULL", "match": "FULL"})
    assert [c["name"] for c in inspector.get_check_constraints("t")] == ["ck_t"]
    constraint_sql = "SELECT conname, contype FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY conname"
    assert rows(engine, constraint_sql) == [
        ("ck_t", "c"), ("ex_t", "x"), ("fk_t", "f"), ("pk_t", "p"), ("uq_t", "u"),
    ]

    def drop(op: Operations) -> None:
        op.drop_constraint("ex_t", "t")
        op.drop_constraint("ck_t", "t", type_="check")
        op.drop_constraint("fk_t", "t", type_="foreignkey")
        op.drop_constraint("uq_t", "t", type_="unique")
        op.drop_constraint("pk_t", "t", type_="primary")
        op.drop_constraint("pk_t", "t", type_="primary", if_exists=True)

    run(engine, drop)
    assert rows(engine, constraint_sql) == []


def test_indexes_including_concurrently(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.create_index("ix_lower", "parent", [sa.func.lower(sa.column("name"))], schema="s")
        op.create_index(
            "ix_partial", "parent", ["name"], schema="s", unique=True, postgresql_where=sa.text("id > 1"),
            postgresql_include=["id"],
        )
        op.create_index("ix_partial", "parent", ["name"], schema="s", if_not_exists=True)
        with op.get_context().autocommit_block():
            op.create_index("ix_conc", "parent", ["id"], schema="s", postgresql_concurrently=True)

    online.run_outside_transaction(engine, fn)
    index_sql = "SELECT indexname FROM pg_indexes WHERE schemaname = 's' AND indexname LIKE 'ix_%' ORDER BY 1"
    assert rows(engine, index_sql) == [("ix_conc",), ("ix_lower",), ("ix_partial",)]

    def drop(op: Operations) -> None:
        op.drop_index("ix_lower", schema="s")
        op.drop_index("ix_lower", schema="s", if_exists=True)
        op.drop_index("ix_partial", table_name="parent", schema="s")
        with op.get_context().autocommit_block():
            op.drop_index("ix_conc", schema="s", postgresql_concurrently=True)

    online.run_outside_transaction(engine, drop)
    assert rows(engine, index_sql) == []


def test_quoted_names(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.create_table("Order", sa.Column("select", sa.Integer, primary_key=True), sa.Column("it's", sa.Text))
        op.add_column("Order", sa.Column('em"b', sa.Integer, comment="q'uote"))
        op.create_unique_constraint("Uq Odd", "Order", ["it's"])
        op.alter_column("Order", "select", new_column_name="From")
        op.create_table_comment("Order", "it's odd")
        op.bulk_insert(sa.table("Order", sa.column("From"), sa.column("it's")), [{"From": 1, "it's": "a'b"}])

    run(engine, fn)
    assert list(columns(engine, "Order")) == ["From", "it's", 'em"b']
    assert rows(engine, 'SELECT "From", "it\'s" FROM "Order"') == [(1, "a'b")]
    run(engine, lambda op: op.drop_constraint("Uq Odd", "Order", type_="unique"))
    assert sa.inspect(engine).get_unique_constraints("Order") == []


def test_execute_inline_literal_and_jsonb(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.add_column("parent", sa.Column("data", pg.JSONB, server_default=sa.text("'{}'::jsonb")), schema="s")
        parent = sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String), schema="s")
        op.execute(parent.update().where(parent.c.id == op.inline_literal(2)).values(name=op.inline_literal("o'k")))
        op.execute("UPDATE s.parent SET name = name || ':x 100%' WHERE id = 1")

    run(engine, fn)
    assert rows(engine, "SELECT id, name, data FROM s.parent ORDER BY id") == [(1, "a:x 100%", {}), (2, "o'k", {})]


def test_failed_operation_emits_nothing(engine: sa.Engine) -> None:
    from limbeck.errors import UnsupportedOperation

    before = shape(engine, "parent", schema="s")
    with pytest.raises(UnsupportedOperation):
        run(engine, _refused)
    assert shape(engine, "parent", schema="s") == before


def _refused(op: Operations) -> None:
    # the rename would be fine alone; the computed default is refused before anything is emitted
    op.alter_column("parent", "name", schema="s", new_column_name="n2", server_default=sa.Computed("id + 1"))


def test_operations_on_a_plain_migration_context(pg_engine: sa.Engine) -> None:
    """Operations(MigrationContext.configure(connection)) outside any migration run (Alembic's documented use)."""
    with pg_engine.connect() as conn:
        op = Operations(MigrationContext.configure(conn))
        op.create_table("solo", sa.Column("id", sa.Integer))
        assert op.get_bind() is conn
        assert op.get_context().dialect.name == "postgresql"
        conn.commit()
    assert tables(pg_engine) == ["solo"]


def test_non_native_enum_checks_follow_the_type(engine: sa.Engine) -> None:
    """A non-native Enum's CHECK is added with the type and replaced when the values change."""
    ab = sa.Enum("a", "b", name="ck_kind", create_constraint=True, native_enum=False)
    abc = sa.Enum("a", "b", "c", name="ck_kind3", create_constraint=True, native_enum=False)
    run(engine, lambda op: op.alter_column("parent", "name", type_=ab, existing_type=sa.String(20), schema="s"))
    with pytest.raises(sa.exc.IntegrityError, match="ck_kind"):
        run(engine, lambda op: op.execute("INSERT INTO s.parent (id, name) VALUES (3, 'c')"))
    run(engine, lambda op: op.alter_column("parent", "name", type_=abc, existing_type=ab, schema="s"))
    run(engine, lambda op: op.execute("INSERT INTO s.parent (id, name) VALUES (3, 'c')"))
    checks = sa.inspect(engine).get_check_constraints("parent", schema="s")
    assert [k["name"] for k in checks] == ["ck_kind3"]


def test_table_ddl_events_run(engine: sa.Engine) -> None:
    """``after_create`` / ``after_drop`` DDL runs right after CREATE TABLE / DROP TABLE."""
    after = sa.DDL("COMMENT ON TABLE %(fullname)s IS 'made by an event'")
    run(engine, lambda op: op.create_table(
        "ev", sa.Column("id", sa.Integer), schema="s", listeners=[("after_create", after.execute_if(dialect="postgresql"))],
    ))
    assert sa.inspect(engine).get_table_comment("ev", schema="s")["text"] == "made by an event"
    run(engine, lambda op: op.drop_table(
        "ev", schema="s", listeners=[("after_drop", sa.DDL("CREATE TABLE s.dropped_ev (id INTEGER)"))],
    ))
    assert tables(engine, "s") == ["dropped_ev", "parent"]


def test_bulk_insert_with_inline_literals(engine: sa.Engine) -> None:
    """``op.inline_literal()`` values keep their own type: a string for a DATE, a UUID for a UUID column."""
    import datetime
    import uuid

    def fn(op: Operations) -> None:
        op.create_table("acct", sa.Column("id", pg.UUID), sa.Column("made", sa.Date), schema="s")
        acct = sa.table("acct", sa.column("id", pg.UUID), sa.column("made", sa.Date), schema="s")
        op.bulk_insert(acct, [
            {"id": op.inline_literal(uuid.UUID(int=1)), "made": op.inline_literal("2010-10-05")},
            {"id": uuid.UUID(int=2), "made": datetime.date(2007, 5, 27)},
        ])

    run(engine, fn)
    assert rows(engine, "SELECT id::text, made::text FROM s.acct ORDER BY id") == [
        ("00000000-0000-0000-0000-000000000001", "2010-10-05"),
        ("00000000-0000-0000-0000-000000000002", "2007-05-27"),
    ]
