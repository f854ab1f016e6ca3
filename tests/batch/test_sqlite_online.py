"""Batch mode online on SQLite: every operation keeps every row, value, index and key.

Each test builds a real SQLite database, runs a batch through limbeck's
Operations on a live connection (reflection included) and then reads the
database back: rows, ``PRAGMA foreign_key_list`` / ``index_list``, reflected
constraints, and what the constraints still enforce.
"""

from __future__ import annotations

import datetime
import decimal
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from limbeck_batch_scenarios import JSON_DOCUMENTS, json_documents, text_documents, text_to_json

from limbeck.errors import LimbeckWarning
from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

SETUP = [
    "CREATE TABLE bar (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(20))",
    (
        "CREATE TABLE foo (id INTEGER NOT NULL, name VARCHAR(50) NOT NULL DEFAULT 'anon', "
        "score NUMERIC(10, 2), seen DATETIME, bar_id INTEGER, flag BOOLEAN, note TEXT, "
        "PRIMARY KEY (id), CONSTRAINT uq_name UNIQUE (name), CONSTRAINT ck_score CHECK (score >= 0), "
        "FOREIGN KEY(bar_id) REFERENCES bar (id), UNIQUE (note))"
    ),
    "CREATE INDEX ix_score ON foo (score)",
    "CREATE INDEX ix_seen_bar ON foo (seen, bar_id)",
    "CREATE TABLE child (id INTEGER PRIMARY KEY, foo_id INTEGER REFERENCES foo (id))",
    "INSERT INTO bar VALUES (1, 'one'), (2, 'two')",
    (
        "INSERT INTO foo VALUES (1, 'ann', 1.50, '2024-01-02 03:04:05.000000', 1, 1, 'héllo'), "
        "(2, 'bob', NULL, NULL, NULL, 0, NULL), (3, 'cy''s', 99999999.99, '1999-12-31 23:59:59.000000', 2, NULL, '')"
    ),
    "INSERT INTO child VALUES (10, 1), (11, 3)",
]

FOO_COLUMNS = ["id", "name", "score", "seen", "bar_id", "flag", "note"]
ORIGINAL_ROWS = [
    (1, "ann", decimal.Decimal("1.50"), datetime.datetime(2024, 1, 2, 3, 4, 5), 1, True, "héllo"),
    (2, "bob", None, None, None, False, None),
    (3, "cy's", decimal.Decimal("99999999.99"), datetime.datetime(1999, 12, 31, 23, 59, 59), 2, None, ""),
]


@pytest.fixture
def engine(sqlite_engine: sa.Engine) -> sa.Engine:
    with sqlite_engine.begin() as conn:
        for sql in SETUP:
            conn.exec_driver_sql(sql)
    return sqlite_engine


def run(engine: sa.Engine, fn: Callable[[Operations], Any], **opts: Any) -> None:
    with engine.begin() as conn:
        fn(Operations(MigrationContext.configure(conn, opts=opts)))


def rows(engine: sa.Engine, table: str = "foo", columns: list[str] | None = None) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        t = sa.Table(table, sa.MetaData(), autoload_with=conn)
        cols = [t.c[name] for name in (columns or [c.name for c in t.c])]
        return [tuple(r) for r in conn.execute(sa.select(*cols).order_by(cols[0]))]


def pragma(engine: sa.Engine, what: str, table: str = "foo") -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(f'PRAGMA {what}("{table}")')]


def foreign_keys(engine: sa.Engine, table: str = "foo") -> set[tuple[str, str, str]]:
    """(from column, referenced table, referenced column) per PRAGMA foreign_key_list."""
    return {(r[3], r[2], r[4]) for r in pragma(engine, "foreign_key_list", table)}


def index_columns(engine: sa.Engine) -> dict[str, tuple[list[str], bool]]:
    inspector = sa.inspect(engine)
    return {ix["name"]: (list(ix["column_names"]), bool(ix["unique"])) for ix in inspector.get_indexes("foo")}


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def column_names(engine: sa.Engine) -> list[str]:
    return [c["name"] for c in sa.inspect(engine).get_columns("foo")]


def assert_intact(engine: sa.Engine, dropped: tuple[str, ...] = ()) -> None:
    """Every row and value of the columns that remain, every index and key."""
    keep = [c for c in FOO_COLUMNS if c not in dropped]
    positions = [FOO_COLUMNS.index(c) for c in keep]
    typed = rows_typed(engine, keep)
    assert typed == [tuple(row[i] for i in positions) for row in ORIGINAL_ROWS]
    assert not any(name.startswith("_alembic_tmp_") for name in table_names(engine))
    assert foreign_keys(engine, "child") == {("foo_id", "foo", "id")}


def rows_typed(engine: sa.Engine, columns: list[str]) -> list[tuple[Any, ...]]:
    """Rows read through the original column types (SQLite stores loosely)."""
    types = {
        "id": sa.Integer, "name": sa.String, "score": sa.Numeric(10, 2), "seen": sa.DateTime,
        "bar_id": sa.Integer, "flag": sa.Boolean, "note": sa.Text,
    }
    t = sa.table("foo", *[sa.column(c, types[c]) for c in columns])
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(*t.c).order_by(t.c[columns[0]]))]


# -- columns -----------------------------------------------------------------------------------
def test_add_column_uses_alter_and_keeps_everything(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("extra", sa.Integer, server_default="7"))
            b.create_index("ix_extra", ["extra"])

    run(engine, fn)
    assert_intact(engine)
    assert rows(engine, columns=["id", "extra"]) == [(1, 7), (2, 7), (3, 7)]
    assert index_columns(engine)["ix_extra"] == (["extra"], False)
    # ALTER TABLE ADD COLUMN keeps the original CREATE TABLE text: no rebuild
    with engine.connect() as conn:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'foo'").scalar_one()
    assert sql.startswith("CREATE TABLE foo (id INTEGER NOT NULL, name VARCHAR(50)")


def test_drop_column_rebuilds_and_drops_what_depends_on_it(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.drop_column("seen")

    run(engine, fn)
    assert_intact(engine, dropped=("seen",))
    # the two-column index on the dropped column goes with it; the others stay
    assert index_columns(engine) == {"ix_score": (["score"], False)}
    assert foreign_keys(engine) == {("bar_id", "bar", "id")}


def test_alter_column_type_nullable_default_rename(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.alter_column("score", type_=sa.Float)
            b.alter_column("bar_id", new_column_name="bar_ref")
            b.alter_column("name", server_default="nobody", type_=sa.String(80))
            b.alter_column("id", nullable=False)

    run(engine, fn)
    assert column_names(engine) == ["id", "name", "score", "seen", "bar_ref", "flag", "note"]
    assert rows(engine, columns=["id", "score", "bar_ref"]) == [(1, 1.5, 1), (2, None, None), (3, 99999999.99, 2)]
    # the foreign key and the index follow the renamed column
    assert foreign_keys(engine) == {("bar_ref", "bar", "id")}
    assert index_columns(engine)["ix_seen_bar"] == (["seen", "bar_ref"], False)
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("foo")}
    assert isinstance(columns["score"]["type"], sa.Float)
    assert columns["name"]["default"] == "'nobody'"
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO foo (id) VALUES (4)")
        assert conn.exec_driver_sql("SELECT name FROM foo WHERE id = 4").scalar_one() == "nobody"


def test_alter_column_nullable_false_enforced(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.alter_column("flag", nullable=False, server_default=sa.text("0"))

    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE foo SET flag = 0 WHERE flag IS NULL")
    run(engine, fn)
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.exec_driver_sql("INSERT INTO foo (id, name, flag) VALUES (9, 'z', NULL)")


def test_failed_copy_drops_the_temporary_table(engine: sa.Engine) -> None:
    # row 2 has score NULL: the copy into a NOT NULL column fails; SQLite DDL
    # is not rolled back here, so the temporary table must be dropped
    with (
        engine.connect() as conn,
        pytest.raises(sa.exc.IntegrityError),
        Operations(MigrationContext.configure(conn)).batch_alter_table("foo") as b,
    ):
        b.alter_column("score", nullable=False)
    assert table_names(engine) == {"bar", "foo", "child"}
    assert_intact(engine)


def test_failed_copy_after_an_update_raises_the_copys_error(engine: sa.Engine) -> None:
    # the UPDATE opens pysqlite's transaction, so the temporary table is created inside it: the cleanup
    # drops it there (as Alembic's); it rolled back first, which took the table away, and raised
    # "no such table: _alembic_tmp_foo" in place of the NOT NULL failure (found by online fuzzing)
    with engine.connect() as conn:
        op = Operations(MigrationContext.configure(conn))
        op.execute("UPDATE foo SET note = 'x' WHERE id = 1")
        with pytest.raises(sa.exc.IntegrityError, match="NOT NULL constraint failed"), \
                op.batch_alter_table("foo") as b:
            b.alter_column("score", nullable=False)
        assert "_alembic_tmp_foo" not in sa.inspect(conn).get_table_names()
        conn.rollback()
    assert table_names(engine) == {"bar", "foo", "child"}
    assert_intact(engine)


def test_add_column_with_foreign_key_rebuilds(engine: sa.Engine) -> None:
    # SQLite cannot ALTER a constraint in: limbeck rebuilds where Alembic fails
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("other_bar", sa.Integer, sa.ForeignKey("bar.id", name="fk_other")))

    run(engine, fn)
    assert_intact(engine)
    assert foreign_keys(engine) == {("bar_id", "bar", "id"), ("other_bar", "bar", "id")}


def test_insert_before_after_and_partial_reordering(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="always", partial_reordering=[("note", "name")]) as b:
            b.add_column(sa.Column("first", sa.Integer), insert_before="id")
            b.add_column(sa.Column("after_score", sa.Integer), insert_after="score")

    run(engine, fn)
    # with partial_reordering the old order no longer binds (as Alembic): only
    # the given pairs do, and columns otherwise keep their place layer by layer
    assert column_names(engine) == ["score", "seen", "bar_id", "flag", "note", "first", "id", "name", "after_score"]
    assert_intact(engine)


def test_insert_after_without_partial_reordering(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="always") as b:
            b.add_column(sa.Column("first", sa.Integer), insert_before="id")
            b.add_column(sa.Column("after_score", sa.Integer), insert_after="score")

    run(engine, fn)
    assert column_names(engine) == ["first", "id", "name", "score", "after_score", "seen", "bar_id", "flag", "note"]
    assert_intact(engine)


# -- indexes and constraints ----------------------------------------------------------------------
def test_indexes_created_and_dropped_in_a_rebuild(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.drop_index("ix_score")
            b.create_index("ix_name_score", ["name", "score"], unique=True)
            b.alter_column("note", type_=sa.String(200))

    run(engine, fn)
    assert_intact(engine)
    assert index_columns(engine) == {
        "ix_name_score": (["name", "score"], True),
        "ix_seen_bar": (["seen", "bar_id"], False),
    }


WRITTEN_INDEXES = [
    'CREATE INDEX ix_seen_desc ON foo ("seen" DESC)',
    "CREATE INDEX ix_name_nocase ON foo (name COLLATE NOCASE)",
    "CREATE INDEX ix_note_lower ON foo (lower(note))",
    "CREATE INDEX ix_flagged ON foo (id) WHERE flag = 1",
]


def written_indexes(engine: sa.Engine) -> dict[str, tuple[str, list[Any]]]:
    """Index name -> (its statement as SQLite keeps it, the table columns it indexes per PRAGMA index_info)."""
    with engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'foo' "
                                     "AND sql IS NOT NULL").all()
        return {name: (sql, [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')])
                for name, sql in found}


def test_written_indexes_follow_renamed_columns(engine: sa.Engine) -> None:
    # the DESC, COLLATE, expression and partial indexes are restored from their statements (README):
    # renamed columns are renamed in that text, or the rebuild fails ("no such column: name") or, for
    # the double-quoted "seen", SQLite silently indexes the string 'seen' (found by online fuzzing)
    with engine.begin() as conn:
        for sql in WRITTEN_INDEXES:
            conn.exec_driver_sql(sql)

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="always") as b:
            for old, new in (("seen", "seen_at"), ("name", "label"), ("note", "remark"), ("flag", "is_flagged")):
                b.alter_column(old, new_column_name=new)

    run(engine, fn)
    indexes = written_indexes(engine)
    assert {name: indexes[name] for name in ("ix_seen_desc", "ix_name_nocase", "ix_note_lower", "ix_flagged")} == {
        "ix_seen_desc": ("CREATE INDEX ix_seen_desc ON foo (seen_at DESC)", ["seen_at"]),
        "ix_name_nocase": ("CREATE INDEX ix_name_nocase ON foo (label COLLATE NOCASE)", ["label"]),
        "ix_note_lower": ("CREATE INDEX ix_note_lower ON foo (lower(remark))", [None]),
        "ix_flagged": ("CREATE INDEX ix_flagged ON foo (id) WHERE is_flagged = 1", ["id"]),
    }


def test_dropping_a_column_drops_the_written_indexes_that_name_it(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for sql in WRITTEN_INDEXES:
            conn.exec_driver_sql(sql)

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            for column in ("seen", "name", "note", "flag"):
                b.drop_column(column)

    with pytest.warns(LimbeckWarning) as caught:
        run(engine, fn)
    assert sorted(str(w.message) for w in caught) == [
        f"batch_alter_table('foo'): index {index} names the dropped column '{column}' and is dropped with it"
        for index, column in sorted([("ix_seen_desc", "seen"), ("ix_name_nocase", "name"), ("ix_note_lower", "note"),
                                     ("ix_flagged", "flag")])]
    assert not set(written_indexes(engine)) & {"ix_seen_desc", "ix_name_nocase", "ix_note_lower", "ix_flagged"}
    assert_intact(engine, dropped=("seen", "name", "note", "flag"))


def test_unique_check_and_foreign_key_constraints(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE baz (code VARCHAR(5) PRIMARY KEY)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("code", sa.String(5)))
            b.create_unique_constraint("uq_score_seen", ["score", "seen"])
            b.create_check_constraint("ck_id", "id > 0")
            b.create_foreign_key("fk_code", "baz", ["code"], ["code"], ondelete="SET NULL")
            b.drop_constraint("ck_score", type_="check")

    run(engine, fn)
    assert_intact(engine)
    inspector = sa.inspect(engine)
    uniques = {u["name"]: u["column_names"] for u in inspector.get_unique_constraints("foo")}
    assert uniques["uq_name"] == ["name"] and uniques["uq_score_seen"] == ["score", "seen"]
    assert [u["column_names"] for u in inspector.get_unique_constraints("foo") if u["name"] is None] == [["note"]]
    assert {c["name"] for c in inspector.get_check_constraints("foo")} == {"ck_id"}
    fks = {r[3]: (r[2], r[4], r[6]) for r in pragma(engine, "foreign_key_list")}
    assert fks == {"bar_id": ("bar", "id", "NO ACTION"), "code": ("baz", "code", "SET NULL")}
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.exec_driver_sql("INSERT INTO foo (id, name) VALUES (-1, 'neg')")


def test_unnamed_constraints_dropped_through_naming_convention(engine: sa.Engine) -> None:
    convention = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s"}

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", naming_convention=convention) as b:
            b.drop_constraint("fk_foo_bar_id_bar", type_="foreignkey")
            b.drop_constraint("uq_foo_note", type_="unique")

    run(engine, fn)
    assert_intact(engine)
    assert foreign_keys(engine) == set()
    assert [u["name"] for u in sa.inspect(engine).get_unique_constraints("foo")] == ["uq_name"]


def test_primary_key_replaced(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.create_primary_key("pk_foo", ["id", "name"])

    run(engine, fn)
    assert_intact(engine)
    pk = sa.inspect(engine).get_pk_constraint("foo")
    assert pk["constrained_columns"] == ["id", "name"]


def test_unnamed_check_constraint_is_omitted_with_a_warning(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE ck (id INTEGER PRIMARY KEY, v INTEGER, CHECK (v > 0))")
        conn.exec_driver_sql("INSERT INTO ck VALUES (1, 5)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck") as b:
            b.alter_column("v", type_=sa.BigInteger)

    with pytest.warns(LimbeckWarning, match=r"^Unnamed CHECK constraint on reflected table 'ck' is being omitted from the table recreate"):
        run(engine, fn)
    assert rows(engine, "ck") == [(1, 5)]



def test_unnamed_type_check_under_a_convention_needing_its_name_warns_and_stays_unnamed(engine: sa.Engine) -> None:
    """Alembic #1844: ck_%(table_name)s_%(constraint_name)s cannot name the CHECK of an unnamed Boolean."""
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE user (id INTEGER NOT NULL, is_active BOOLEAN, "
                             "CONSTRAINT pk_user PRIMARY KEY (id), CHECK (is_active IN (0, 1)))")
    t = sa.Table("user", sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"}),
                 sa.Column("id", sa.Integer, primary_key=True), sa.Column("is_active", sa.Boolean(create_constraint=True)))

    def fn(op: Operations) -> None:
        with op.batch_alter_table("user", copy_from=t, recreate="always") as b:
            b.add_column(sa.Column("y", sa.Integer))

    # Alembic's words, whole
    expected = ("The CHECK constraint generated by the type of column 'user.is_active' has no name, while the naming "
                "convention in use requires one; the constraint is emitted without a name.  Boolean and Enum "
                "datatypes should be given a name, e.g. Boolean(name='...'), in order for their CHECK constraints "
                "to participate fully in batch mode.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(engine, fn)
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == [expected]
    checks = sa.inspect(engine).get_check_constraints("user")
    assert [(c["name"], c["sqltext"]) for c in checks] == [(None, "is_active IN (0, 1)")]


def test_unnamed_check_under_a_convention_needing_its_name_is_omitted(engine: sa.Engine) -> None:
    # README: Alembic crashes ("Naming convention including %(constraint_name)s token requires that
    # constraint is explicitly named"); the rebuild leaves the unnamed CHECK out with its warning
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE ck2 (id INTEGER PRIMARY KEY, n INTEGER, CHECK (n > 0), "
                             "CONSTRAINT ck_named CHECK (n < 100))")
        conn.exec_driver_sql("INSERT INTO ck2 VALUES (1, 5)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck2", recreate="always",
                                  naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"}) as b:
            b.add_column(sa.Column("m", sa.Integer))

    with pytest.warns(LimbeckWarning, match="Unnamed CHECK constraint on reflected table 'ck2' is being omitted"):
        run(engine, fn)
    assert rows(engine, "ck2") == [(1, 5, None)]
    assert [(c["name"], c["sqltext"]) for c in sa.inspect(engine).get_check_constraints("ck2")] == [("ck_named", "n < 100")]


def test_unnamed_check_constraint_passed_in_table_args_is_kept_without_a_warning(engine: sa.Engine) -> None:
    """Alembic's rule: a CHECK in table_args says the reflected unnamed ones are accounted for."""
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE ck (id INTEGER PRIMARY KEY, v INTEGER, CHECK (v > 0))")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck", table_args=[sa.CheckConstraint("v > 0")]) as b:
            b.alter_column("v", type_=sa.BigInteger)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(engine, fn)
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.exec_driver_sql("INSERT INTO ck VALUES (1, -5)")

def test_table_args_and_reflect_args(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table(
            "foo", recreate="always", reflect_args=[sa.Column("note", sa.String(300))],
            table_args=[sa.CheckConstraint("length(name) > 0", name="ck_name")],
        ) as b:
            b.alter_column("flag", server_default=sa.text("1"))

    run(engine, fn)
    assert_intact(engine)
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("foo")}
    assert columns["note"]["type"].length == 300
    assert {c["name"] for c in sa.inspect(engine).get_check_constraints("foo")} == {"ck_score", "ck_name"}


def test_execute_runs_before_the_rebuild(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.drop_column("note")
            b.execute("UPDATE foo SET name = upper(name)")

    run(engine, fn)
    assert rows(engine, columns=["id", "name"]) == [(1, "ANN"), (2, "BOB"), (3, "CY'S")]
    assert "note" not in column_names(engine)


def test_table_comment_records_apply_without_error(engine: sa.Engine) -> None:
    # SQLite has no comments: the rebuild happens (as Alembic) and keeps everything
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.create_table_comment("people")

    run(engine, fn)
    assert_intact(engine)


def test_alter_column_placement_is_ignored_with_a_warning(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.alter_column("note", insert_before="id", type_=sa.String(10))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(engine, fn)
    assert any("insert_before is ignored" in str(w.message) for w in caught)
    assert column_names(engine)[-1] == "note"


def test_text_to_json_keeps_the_documents(engine: sa.Engine) -> None:
    # SQLite's CAST(x AS JSON) would make each document 0: the copy has no CAST
    with engine.begin() as conn:
        text_documents(conn)
    run(engine, lambda op: text_to_json(op, recreate="auto"))
    with engine.connect() as conn:
        assert isinstance(sa.Table("doc", sa.MetaData(), autoload_with=conn).c.body.type, sa.JSON)
        assert json_documents(conn) == list(JSON_DOCUMENTS.values())


def _checked_table() -> sa.Table:
    return sa.Table(
        "ck", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("lo", sa.Integer, sa.CheckConstraint("lo >= 0", name="ck_lo")),
        sa.Column("hi", sa.Integer, sa.CheckConstraint("hi < 1000")),
        sa.Column("flag", sa.Boolean(create_constraint=True, name="ck_flag")),
        sa.CheckConstraint("lo <= hi"),
    )


def check_texts(engine: sa.Engine) -> dict[str | None, str]:
    """CHECK name -> its condition, as SQLite keeps it in the table's definition."""
    return {c["name"]: c["sqltext"] for c in sa.inspect(engine).get_check_constraints("foo")}


def _violates(engine: sa.Engine, sql: str) -> bool:
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    except sa.exc.IntegrityError:
        return True
    return False


def test_copy_from_keeps_unnamed_checks_and_renames_inside_them(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        _checked_table().create(conn)
        conn.exec_driver_sql("INSERT INTO ck VALUES (1, 2, 3, 1)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck", copy_from=_checked_table()) as b:
            b.alter_column("lo", new_column_name="low")
            b.alter_column("hi", new_column_name="high")

    run(engine, fn)
    assert rows(engine, "ck") == [(1, 2, 3, True)]
    checks = {c["name"]: c["sqltext"] for c in sa.inspect(engine).get_check_constraints("ck")}
    assert checks["ck_lo"] == "low >= 0" and checks["ck_flag"] == "flag IN (0, 1)"
    assert _violates(engine, "INSERT INTO ck VALUES (2, -1, 3, 0)")  # ck_lo
    assert _violates(engine, "INSERT INTO ck VALUES (3, 1, 5000, 0)")  # unnamed, column-level
    assert _violates(engine, "INSERT INTO ck VALUES (4, 9, 8, 0)")  # unnamed, table-level
    assert _violates(engine, "INSERT INTO ck VALUES (5, 1, 2, 7)")  # the Boolean's
    assert not _violates(engine, "INSERT INTO ck VALUES (6, 1, 2, 0)")


def test_copy_from_drops_a_column_level_check_by_name(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        _checked_table().create(conn)

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck", copy_from=_checked_table()) as b:
            b.drop_constraint("ck_lo", type_="check")

    run(engine, fn)
    assert "ck_lo" not in {c["name"] for c in sa.inspect(engine).get_check_constraints("ck")}
    assert not _violates(engine, "INSERT INTO ck VALUES (1, -5, 3, 0)")
    assert _violates(engine, "INSERT INTO ck VALUES (2, 1, 5000, 0)")


def test_dropping_a_column_drops_the_checks_that_name_it(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        _checked_table().create(conn)
        conn.exec_driver_sql("INSERT INTO ck VALUES (1, 2, 3, 1)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("ck", copy_from=_checked_table()) as b:
            b.drop_column("hi")

    with pytest.warns(LimbeckWarning, match=r"CHECK constraint \(lo <= hi\) names the dropped column 'hi'"):
        run(engine, fn)
    assert rows(engine, "ck") == [(1, 2, True)]
    assert _violates(engine, "INSERT INTO ck VALUES (2, -1, 0)")


def test_reflected_named_check_follows_a_rename(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.alter_column("score", new_column_name="points")

    run(engine, fn)
    assert check_texts(engine) == {"ck_score": "points >= 0"}
    assert _violates(engine, "INSERT INTO foo (id, name, points) VALUES (9, 'neg', -1)")


def test_a_rename_finds_the_column_quoted_in_another_case(sqlite_engine: sa.Engine) -> None:
    # SQLite compares names without case, quoted or not: "Col" is column col. Left as it was, the
    # rebuilt CHECK and index would name no column, and SQLite takes a double-quoted unknown name
    # for the string 'Col': the CHECK would compare a string, the index index a constant.
    # (Alembic leaves the CHECK so, and drops the expression index it cannot reflect.)
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql('CREATE TABLE foo (id INTEGER PRIMARY KEY, col INTEGER, CONSTRAINT ck_col CHECK ("Col" > 0))')
        conn.exec_driver_sql('CREATE INDEX ix_col ON foo ("COL" + 1)')
        conn.exec_driver_sql("INSERT INTO foo VALUES (1, 5)")

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.alter_column("col", new_column_name="points")

    run(sqlite_engine, fn)
    assert check_texts(sqlite_engine) == {"ck_col": "points > 0"}
    assert _violates(sqlite_engine, "INSERT INTO foo (id, points) VALUES (9, -1)")
    assert written_indexes(sqlite_engine) == {"ix_col": ("CREATE INDEX ix_col ON foo (points + 1)", [None])}


def test_recreate_never_drops_a_column_in_place(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo", recreate="never") as b:
            b.drop_column("flag")
            b.alter_column("note", new_column_name="remark")

    run(engine, fn)
    assert column_names(engine) == ["id", "name", "score", "seen", "bar_id", "remark"]
    assert rows(engine, "foo", ["id", "name", "remark"]) == [(1, "ann", "héllo"), (2, "bob", None), (3, "cy's", "")]
    # not rebuilt: the indexes, keys and the table that references foo are untouched
    assert set(index_columns(engine)) == {"ix_score", "ix_seen_bar"}
    assert foreign_keys(engine, "child") == {("foo_id", "foo", "id")}


def test_adding_a_boolean_with_its_check_rebuilds_and_the_check_holds(engine: sa.Engine) -> None:
    """As Alembic: a column whose type makes a CHECK rebuilds the table (ADD COLUMN cannot add the CHECK)."""
    run(engine, lambda op: _add_checked_flag(op))
    assert_intact(engine)
    with pytest.raises(sa.exc.IntegrityError, match="CHECK constraint failed"):
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE foo SET checked = 7")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE foo SET checked = 1")


def _add_checked_flag(op: Any) -> None:
    with op.batch_alter_table("foo") as batch:
        batch.add_column(sa.Column("checked", sa.Boolean(create_constraint=True, name="ck_foo_checked")))


# -- a batch on a bare connection (no run, no transaction) -------------------------------------
def test_batch_on_a_connection_in_no_transaction_commits_itself(engine: sa.Engine) -> None:
    # as Alembic: Operations on MigrationContext.configure(connection), outside any run; the batch
    # opens and commits its own transaction, so closing the connection does not roll the rebuild back
    with engine.connect() as conn:
        op = Operations(MigrationContext.configure(conn))
        with op.batch_alter_table("foo") as b:
            b.alter_column("note", new_column_name="remark", existing_type=sa.Text)
        assert not conn.in_transaction()
    assert "remark" in column_names(engine)
    assert rows(engine, columns=["id", "remark"]) == [(1, "héllo"), (2, None), (3, "")]


def test_batch_in_the_callers_transaction_stays_in_it(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        trans = conn.begin()
        with Operations(MigrationContext.configure(conn)).batch_alter_table("foo", recreate="always") as b:
            b.add_column(sa.Column("q", sa.Integer))
        assert trans.is_active  # neither committed nor replaced by the batch
        trans.commit()
    assert "q" in column_names(engine)


# -- add_column's primary_key, inline_references, inline_primary_key ----------------------------
def test_added_primary_key_column_does_not_widen_the_tables_key(engine: sa.Engine) -> None:
    # as Alembic (and SQLAlchemy, which warns): the table keeps PRIMARY KEY (id)
    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.drop_column("note")
            b.add_column(sa.Column("q", sa.Integer, primary_key=True, server_default="0"))

    with pytest.warns(LimbeckWarning, match=r"primary_key=True of added column\(s\) q is ignored"):
        run(engine, fn)
    assert sa.inspect(engine).get_pk_constraint("foo")["constrained_columns"] == ["id"]
    assert_intact(engine, dropped=("note",))


def test_readded_primary_key_column_is_the_key_again(engine: sa.Engine) -> None:
    def fn(op: Operations) -> None:
        with op.batch_alter_table("child") as b:
            b.drop_column("id")
            b.add_column(sa.Column("id", sa.Integer, primary_key=True), inline_primary_key=True)

    with warnings.catch_warnings():
        warnings.simplefilter("error", LimbeckWarning)
        run(engine, fn)
    assert sa.inspect(engine).get_pk_constraint("child")["constrained_columns"] == ["id"]


def test_inline_references_adds_the_column_in_place(engine: sa.Engine) -> None:
    # as Alembic: REFERENCES in the ADD COLUMN itself, no rebuild (the table keeps its rowid order and definition)
    statements: list[str] = []

    def fn(op: Operations) -> None:
        with op.batch_alter_table("foo") as b:
            b.add_column(sa.Column("other_bar", sa.Integer, sa.ForeignKey("bar.id")), inline_references=True)

    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    run(engine, fn)
    assert [s for s in statements if not s.startswith(("PRAGMA", "SELECT"))] == [
        "ALTER TABLE foo ADD COLUMN other_bar INTEGER REFERENCES bar (id)"
    ]
    assert foreign_keys(engine) == {("bar_id", "bar", "id"), ("other_bar", "bar", "id")}
    assert_intact(engine)
