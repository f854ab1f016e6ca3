"""MySQL-family operations on the real MariaDB server: CHANGE/MODIFY, defaults, constraint drops, IF EXISTS.

The URL is ``mysql+pymysql://``: SQLAlchemy's dialect is "mysql" with
``is_mariadb`` set, and limbeck picks its MariaDB behaviour from that.
"""

from __future__ import annotations

from collections.abc import Iterator

import limbeck_online as online
import pytest
import sqlalchemy as sa

from limbeck.operations import Operations

pytestmark = pytest.mark.mariadb

run, rows, columns, shape = online.run, online.rows, online.columns, online.shape


@pytest.fixture
def engine(mariadb_engine: sa.Engine) -> Iterator[sa.Engine]:
    def setup(op: Operations) -> None:
        op.create_table(
            "parent", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)),
            mysql_engine="InnoDB",
        )
        op.create_table(
            "child",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_parent")),
            sa.Column("qty", sa.Integer, nullable=False, server_default="1", comment="how many"),
            sa.UniqueConstraint("parent_id", "qty", name="uq_child"),
            sa.CheckConstraint("qty > 0", name="ck_qty"),
            mysql_engine="InnoDB",
            comment="children",
        )
        op.bulk_insert(
            sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String)),
            [{"id": 1, "name": "a"}, {"id": 2}],
        )
        op.bulk_insert(sa.table("child", sa.column("parent_id"), sa.column("qty")), [{"parent_id": 1, "qty": 5}])

    run(mariadb_engine, setup)
    yield mariadb_engine


def test_setup_is_what_create_table_asked_for(engine: sa.Engine) -> None:
    inspector = sa.inspect(engine)
    assert inspector.get_table_comment("child")["text"] == "children"
    assert columns(engine, "child")["qty"]["comment"] == "how many"
    assert rows(engine, "SELECT id, name FROM parent ORDER BY id") == [(1, "a"), (2, None)]
    assert rows(engine, "SELECT parent_id, qty FROM child") == [(1, 5)]


def test_alter_column_restates_the_column(engine: sa.Engine) -> None:
    def change(op: Operations) -> None:
        op.alter_column(
            "child", "qty", new_column_name="amount", type_=sa.BigInteger, existing_type=sa.Integer,
            existing_nullable=False, existing_server_default="1", existing_comment="how many",
        )

    def not_null(op: Operations) -> None:
        op.alter_column("parent", "name", nullable=False, server_default="?", existing_type=sa.String(20),
                        existing_nullable=True, comment="the name")

    run(engine, change)
    amount = columns(engine, "child")["amount"]
    assert (str(amount["type"]), amount["nullable"], amount["default"], amount["comment"]) == (
        "BIGINT", False, "1", "how many",
    )
    with pytest.raises((sa.exc.IntegrityError, sa.exc.DataError)):
        # parent 2 has no name: the database refuses NOT NULL for the existing row
        run(engine, not_null)
    run(engine, lambda op: op.execute("UPDATE parent SET name = 'b' WHERE id = 2"))
    run(engine, not_null)
    name = columns(engine, "parent")["name"]
    assert (name["nullable"], name["default"], name["comment"]) == (False, "'?'", "the name")


def test_default_alone_and_table_comment(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.alter_column("child", "qty", server_default="3")
        op.create_table_comment("child", "kids", existing_comment="children")

    run(engine, fn)
    assert columns(engine, "child")["qty"]["default"] == "3"
    assert sa.inspect(engine).get_table_comment("child")["text"] == "kids"

    def undo(op: Operations) -> None:
        op.alter_column("child", "qty", server_default=None)
        op.drop_table_comment("child")

    run(engine, undo)
    assert columns(engine, "child")["qty"]["default"] is None
    assert sa.inspect(engine).get_table_comment("child")["text"] is None


def test_drop_each_kind_of_constraint(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.drop_constraint("ck_qty", "child", type_="check")
        op.drop_constraint("fk_parent", "child", type_="foreignkey")
        op.drop_constraint("fk_parent", "child", type_="foreignkey", if_exists=True)
        op.drop_constraint("uq_child", "child", type_="unique")
        op.drop_constraint("uq_child", "child", type_="unique", if_exists=True)

    run(engine, fn)
    inspector = sa.inspect(engine)
    assert inspector.get_check_constraints("child") == []
    assert inspector.get_foreign_keys("child") == []
    assert inspector.get_unique_constraints("child") == []

    def add_back(op: Operations) -> None:
        op.create_foreign_key("fk_parent", "child", "parent", ["parent_id"], ["id"], ondelete="CASCADE")
        op.create_unique_constraint("uq_child", "child", ["parent_id", "qty"])
        op.create_check_constraint("ck_qty", "child", "qty > 0")

    run(engine, add_back)
    inspector = sa.inspect(engine)
    assert [fk["options"] for fk in inspector.get_foreign_keys("child")] == [{"ondelete": "CASCADE"}]
    assert [u["name"] for u in inspector.get_unique_constraints("child")] == ["uq_child"]


def test_columns_and_indexes_with_if_exists(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.add_column("parent", sa.Column("code", sa.String(50)), if_not_exists=True)
        op.add_column("parent", sa.Column("code", sa.String(50)), if_not_exists=True)
        op.create_index("ix_code", "parent", ["code"], mysql_length=10, if_not_exists=True)
        op.create_index("ix_code", "parent", ["code"], if_not_exists=True)

    run(engine, fn)
    assert [(i["name"], i["column_names"]) for i in sa.inspect(engine).get_indexes("parent")] == [
        ("ix_code", ["code"])
    ]

    def drop(op: Operations) -> None:
        op.drop_index("ix_code", table_name="parent")
        op.drop_index("ix_code", table_name="parent", if_exists=True)
        op.drop_column("parent", "code")
        op.drop_column("parent", "code", if_exists=True)

    run(engine, drop)
    assert list(columns(engine, "parent")) == ["id", "name"]


def test_rename_table_and_quoted_names(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        op.rename_table("parent", "Par ent")
        op.add_column("Par ent", sa.Column("select", sa.Integer))
        op.alter_column("Par ent", "select", new_column_name="it's", existing_type=sa.Integer, existing_nullable=True)

    run(engine, fn)
    assert list(columns(engine, "Par ent")) == ["id", "name", "it's"]


def test_function_defaults_and_on_update_restate_the_column(mariadb_engine: sa.Engine) -> None:
    """MySQL-family date/time columns: ``CHANGE c c`` with the whole column, as Alembic writes it.

    ``ON UPDATE`` only exists in a column definition: the ``SET DEFAULT`` form
    Alembic writes when it does not restate the column is rejected.
    """
    run(mariadb_engine, lambda op: op.create_table(
        "ev", sa.Column("id", sa.Integer, primary_key=True), sa.Column("at", sa.DateTime),
        sa.Column("seen", sa.TIMESTAMP, nullable=True), sa.Column("n", sa.Integer), mysql_engine="InnoDB",
    ))
    with pytest.raises(sa.exc.ProgrammingError, match="ON UPDATE"):
        run(mariadb_engine, lambda op: op.execute(
            "ALTER TABLE ev ALTER COLUMN seen SET DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"
        ))

    def change(op: Operations) -> None:
        op.alter_column("ev", "at", server_default=sa.text("NOW()"), existing_type=sa.DateTime(), existing_nullable=True)
        op.alter_column("ev", "at", nullable=False, existing_type=sa.DateTime(), existing_server_default=sa.text("NOW()"))
        op.alter_column(
            "ev", "seen", server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
            existing_type=sa.TIMESTAMP, existing_nullable=True,
        )

    run(mariadb_engine, change)
    cols = columns(mariadb_engine, "ev")
    assert (cols["at"]["nullable"], cols["at"]["default"]) == (False, "current_timestamp()")
    assert cols["seen"]["default"] == "current_timestamp() ON UPDATE current_timestamp()"
    run(mariadb_engine, lambda op: op.execute("INSERT INTO ev (id, seen, n) VALUES (1, '2001-01-01 00:00:00', 1)"))
    run(mariadb_engine, lambda op: op.execute("UPDATE ev SET n = 2"))
    assert rows(mariadb_engine, "SELECT YEAR(seen) > 2001, at IS NOT NULL FROM ev") == [(1, 1)]


def test_type_checks_follow_the_type(mariadb_engine: sa.Engine) -> None:
    """To a Boolean / non-native Enum: its CHECK is added; away from one: the old CHECK is dropped."""
    run(mariadb_engine, lambda op: op.create_table(
        "f", sa.Column("id", sa.Integer, primary_key=True), sa.Column("flag", sa.Integer),
        sa.Column("kind", sa.String(5)), mysql_engine="InnoDB",
    ))
    flag = sa.Boolean(create_constraint=True, name="ck_flag")
    kind_ab = sa.Enum("a", "b", name="ck_kind", create_constraint=True, native_enum=False)
    kind_abc = sa.Enum("a", "b", "c", name="ck_kind3", create_constraint=True, native_enum=False)

    def to_checked(op: Operations) -> None:
        op.alter_column("f", "flag", type_=flag, existing_type=sa.Integer(), existing_nullable=True)
        op.alter_column("f", "kind", type_=kind_ab, existing_type=sa.String(5), existing_nullable=True)

    run(mariadb_engine, to_checked)
    assert sorted(k["name"] for k in sa.inspect(mariadb_engine).get_check_constraints("f")) == ["ck_flag", "ck_kind"]
    for bad in ("INSERT INTO f (id, flag) VALUES (1, 2)", "INSERT INTO f (id, kind) VALUES (1, 'c')"):
        with pytest.raises(sa.exc.OperationalError, match="CONSTRAINT"):
            run(mariadb_engine, lambda op, bad=bad: op.execute(bad))

    def away(op: Operations) -> None:
        op.alter_column("f", "flag", type_=sa.Integer(), existing_type=flag, existing_nullable=True)
        op.alter_column("f", "kind", type_=kind_abc, existing_type=kind_ab, existing_nullable=True)

    run(mariadb_engine, away)
    assert [k["name"] for k in sa.inspect(mariadb_engine).get_check_constraints("f")] == ["ck_kind3"]
    run(mariadb_engine, lambda op: op.execute("INSERT INTO f (id, flag, kind) VALUES (1, 2, 'c')"))
    assert rows(mariadb_engine, "SELECT flag, kind FROM f") == [(2, "c")]


def test_table_ddl_events_run(mariadb_engine: sa.Engine) -> None:
    """DDL attached to a table's create/drop events runs where Alembic runs it."""
    listeners = [
        ("before_create", sa.DDL("CREATE TABLE log (what VARCHAR(40))")),
        ("after_create", sa.DDL("INSERT INTO %(table)s (id) VALUES (7)")),
        ("before_drop", sa.DDL("INSERT INTO log VALUES ('dropping %(table)s')")),
        ("after_drop", sa.DDL("INSERT INTO log VALUES ('dropped %(table)s')")),
    ]
    run(mariadb_engine, lambda op: op.create_table("ev", sa.Column("id", sa.Integer), listeners=listeners))
    assert rows(mariadb_engine, "SELECT id FROM ev") == [(7,)]
    run(mariadb_engine, lambda op: op.drop_table("ev", listeners=listeners))
    assert rows(mariadb_engine, "SELECT what FROM log") == [("dropping ev",), ("dropped ev",)]


def test_bulk_insert_with_inline_literals(engine: sa.Engine) -> None:
    """``op.inline_literal()`` values (Alembic's offline remedy) work online too, next to plain values."""
    table = sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String))

    def fn(op: Operations) -> None:
        op.bulk_insert(table, [
            {"id": op.inline_literal(3), "name": "c"}, {"id": 4, "name": op.inline_literal("d'd")}, {"id": 5},
        ])

    run(engine, fn)
    assert rows(engine, "SELECT id, name FROM parent WHERE id > 2 ORDER BY id") == [(3, "c"), (4, "d'd"), (5, None)]
