"""Calls Alembic's per-database tests make (PostgreSQL, MySQL, SQL Server, Oracle, SQLite), run on every dialect."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.mysql import DATETIME, VARCHAR
from sqlalchemy.sql import column, func, literal_column, table, text

from corpus_common import Corpus

corpus = Corpus("dialects")
add, case = corpus.add, corpus.case
I, S = sa.Integer, sa.String

# --- PostgreSQL-flavoured -----------------------------------------------------------------------
add("index_expr_where", lambda op: op.create_index(
    "geocoded", "locations", [text("lower(coordinates)")], postgresql_where=text("locations.coordinates != Null")))
add("index_where", lambda op: op.create_index(
    "geocoded", "locations", ["coordinates"], postgresql_where=text("locations.coordinates != Null")))
add("index_where_expr", lambda op: op.create_index("ix", "t", ["x"], postgresql_where=column("y") == "something"))
add("index_concurrently", lambda op: op.create_index(
    "geocoded", "locations", ["coordinates"], postgresql_concurrently=True))
add("index_include", lambda op: op.create_index("i", "t", ["c1", "c2"], unique=False, postgresql_include=["inc"]))
add("index_using", lambda op: op.create_index("i", "t", ["c1"], postgresql_using="gin"))
add("index_ops", lambda op: op.create_index("i", "t", ["c1"], postgresql_ops={"c1": "text_pattern_ops"}))
add("index_nulls_not_distinct", lambda op: op.create_index(
    "i", "t", ["c1"], unique=True, postgresql_nulls_not_distinct=True))
add("fk_not_valid", lambda op: op.create_foreign_key("i", "t1", "t2", ["c1"], ["c2"], postgresql_not_valid=True))
add("check_not_valid", lambda op: op.create_check_constraint("ck", "t1", "c1 > 0", postgresql_not_valid=True))
add("unique_nulls_not_distinct", lambda op: op.create_unique_constraint(
    "uq_1", "tbl", ["c"], postgresql_nulls_not_distinct=True))
add("drop_index_concurrently_table", lambda op: op.drop_index(
    "geocoded", table_name="locations", postgresql_concurrently=True))
add("drop_index_concurrently", lambda op: op.drop_index("geocoded", postgresql_concurrently=True))
add("drop_index_concurrently_if_exists", lambda op: op.drop_index(
    "geocoded", table_name="t", postgresql_concurrently=True, if_exists=True))
add("alter_type_using", lambda op: op.alter_column("t", "c", type_=I, postgresql_using="c::integer"))
# USING without a new type: Alembic's PostgreSQL refuses (CommandError), the others ignore the keyword
add("alter_using_without_type", lambda op: op.alter_column("t", "c", nullable=False, postgresql_using="c::integer"))
add("alter_type_using_existing", lambda op: op.alter_column(
    "t", "c", type_=I, existing_type=S(10), existing_nullable=False, postgresql_using="c::integer"))
add("add_column_pk_serial", lambda op: op.add_column("t1", sa.Column("q", I, primary_key=True)))
add("exclude", lambda op: op.create_exclude_constraint("ex1", "t1", ("x", ">"), where="x > 5", using="gist"))
add("exclude_quoted_literal", lambda op: op.create_exclude_constraint(
    "ex1", "SomeTable", (column("SomeColumn"), ">"), where='"SomeColumn" > 5', using="gist"))
add("exclude_quoted_column", lambda op: op.create_exclude_constraint(
    "ex1", "SomeTable", (column("SomeColumn"), ">"), where=column("SomeColumn") > 5, using="gist"))
add("exclude_literal_column", lambda op: op.create_exclude_constraint(
    "TExclID", "TTable", (literal_column("id + 2"), "="), using="gist"))
add("exclude_text", lambda op: op.create_exclude_constraint(
    "ex2", "TTable", (text("tstzrange(effective_time, expiry_time)"), "&&"), using="gist"))
add("exclude_schema_deferrable", lambda op: op.create_exclude_constraint(
    "ex3", "t1", ("x", "="), ("y", "<>"), schema="s", deferrable=True, initially="DEFERRED"))
add("drop_constraint_untyped_mixed_case", lambda op: op.drop_constraint("t_excl_x", "TTable", type_=None))
add("add_column_empty_comment", lambda op: op.add_column("t", sa.Column("q", I, comment="")))
for _name, _comment in [("plain", "This is a column comment"), ("quoted", "This is a 'column' comment")]:
    add(f"alter_comment_{_name}", lambda op, c=_comment: op.alter_column(
        "t1", "c1", comment=c, existing_type=sa.Boolean(), schema="foo"))
add("alter_comment_mixed_case", lambda op: op.alter_column(
    "T1", "C1", comment="cmt", existing_type=sa.Boolean(), schema="foo"))
add("alter_comment_drop_existing", lambda op: op.alter_column(
    "t", "c", existing_type=sa.Boolean(), schema="foo", comment=None, existing_comment="This is a column comment"))
add("create_table_comment_kw", lambda op: op.create_table(
    "t2", sa.Column("c1", I, primary_key=True), sa.Column("c2", I), comment="t2 comment"))
add("create_table_column_comments", lambda op: op.create_table(
    "t2", sa.Column("c1", I, primary_key=True, comment="c1 comment"), sa.Column("c2", I, comment="c2 comment"),
    comment="This is a table comment"))
add("create_table_empty_comments", lambda op: op.create_table(
    "t2", sa.Column("c1", I, primary_key=True, comment=""), sa.Column("c2", I), comment=""))
add("create_table_comment_schema", lambda op: op.create_table_comment("t2", comment="t2 table", schema="foo"))
add("drop_table_comment_schema", lambda op: op.drop_table_comment("t2", existing_comment="t2 table", schema="foo"))
for _i, _kw in enumerate([{}, {"always": True}, {"start": 3, "increment": 33, "maxvalue": 99, "cycle": True},
                          {"on_null": True, "start": 3}]):
    add(f"add_column_identity_{_i}", lambda op, k=_kw: op.add_column("t1", sa.Column("some_column", I, sa.Identity(**k))))
    for _existing in ("omit", None, False):
        def _add_identity(op: Any, k: dict[str, Any] = _kw, e: Any = _existing) -> None:
            kw: dict[str, Any] = {"server_default": sa.Identity(**k)}
            if e != "omit":
                kw["existing_server_default"] = e
            op.alter_column("t1", "some_column", **kw)
        add(f"alter_add_identity_{_i}_{_existing}", _add_identity)
add("alter_remove_identity", lambda op: op.alter_column(
    "t1", "some_column", server_default=None, existing_server_default=sa.Identity()))
for _i, (_old, _new) in enumerate([
    ({}, {"always": True}),
    ({"always": True}, {"always": False, "start": 3}),
    ({"always": True, "start": 3, "increment": 2, "minvalue": -3, "maxvalue": 99},
     {"always": True, "start": 3, "increment": 1, "minvalue": -3, "maxvalue": 99, "cycle": True}),
    ({"always": False, "start": 3, "maxvalue": 9999, "minvalue": 0}, {"always": False, "start": 3, "cache": 2}),
    ({"always": False}, {"always": None, "minvalue": 0}),
]):
    add(f"alter_change_identity_{_i}", lambda op, a=_old, b=_new: op.alter_column(
        "t1", "some_column", server_default=sa.Identity(**b), existing_server_default=sa.Identity(**a)))


@case()
def inline_literal_percent(op: Any) -> None:
    tab = table("tab", column("col"))
    op.execute(tab.update().where(tab.c.col.like(op.inline_literal("%.%"))).values(col=op.inline_literal("new data")))


@case()
def create_table_with_named_enum(op: Any) -> None:
    op.create_table("sometable", sa.Column("data", sa.Enum("one", "two", "three", name="pgenum")))
    op.drop_table("sometable")


@case()
def create_table_enum_no_create_type(op: Any) -> None:
    from sqlalchemy.dialects.postgresql import ENUM

    op.create_table("sometable", sa.Column("data", ENUM("one", "two", name="pgenum", create_type=False)))


add("create_table_sequence_default", lambda op: op.create_table(
    "t", sa.Column("x", I, server_default=sa.Sequence("x_id_seq").next_value(), primary_key=True)))
add("create_table_no_autoincrement", lambda op: op.create_table(
    "t", sa.Column("x", I, autoincrement=False, primary_key=True), schema="test_schema"))
add("create_table_serial_schema", lambda op: op.create_table(
    "t", sa.Column("x", I, primary_key=True), schema="test_schema"))
add("create_table_numeric_pk_sequence", lambda op: op.create_table(
    "t", sa.Column("x", sa.Numeric(10), server_default=sa.Sequence("x_id_seq").next_value(), primary_key=True)))
add("create_table_false_default", lambda op: op.create_table(
    "t", sa.Column("updated_at", sa.Boolean(), server_default=sa.false(), nullable=False)))
add("create_table_array_json", lambda op: op.create_table(
    "t", sa.Column("a", sa.ARRAY(I)), sa.Column("j", sa.JSON), sa.Column("u", sa.Uuid), sa.Column("iv", sa.Interval)))

# --- MySQL-flavoured ----------------------------------------------------------------------------
add("mysql_rename_existing_type", lambda op: op.alter_column("t1", "c1", new_column_name="c2", existing_type=I))
add("mysql_rename_quoting", lambda op: op.alter_column(
    "MyTable", "ColumnOne", new_column_name="ColumnTwo", existing_type=I))
add("mysql_rename_spaces", lambda op: op.alter_column(
    "my table", "column one", new_column_name="column two", existing_type=I))
add("mysql_rename_existing_default", lambda op: op.alter_column(
    "t1", "c1", new_column_name="c2", existing_type=I, existing_server_default="q"))
add("mysql_set_func_default_existing_type", lambda op: op.alter_column(
    "t1", "c1", existing_type=I, server_default=func.utc_thing(func.current_timestamp())))
add("mysql_rename_existing_autoincrement", lambda op: op.alter_column(
    "t1", "c1", new_column_name="c2", existing_type=I, existing_autoincrement=True))
add("mysql_autoincrement_on", lambda op: op.alter_column("t1", "c1", existing_type=I, autoincrement=True))
add("mysql_autoincrement_off", lambda op: op.alter_column(
    "t1", "c1", existing_type=I, existing_autoincrement=True, autoincrement=False))
add("mysql_default_false", lambda op: op.alter_column(
    "t1", "c1", existing_type=I, existing_server_default="1", server_default=False))
add("mysql_drop_default_existing_type", lambda op: op.alter_column("t", "c", existing_type=I, server_default=None))
add("mysql_from_named_boolean_drop_default", lambda op: op.alter_column(
    "t", "c", type_=I, existing_type=sa.Boolean(create_constraint=True, name="ck1"), server_default=None))
add("mysql_set_default_plain", lambda op: op.alter_column("t", "c", server_default="1"))
add("mysql_datetime_current_timestamp", lambda op: op.alter_column(
    "t", "c", existing_type=DATETIME(), server_default=text("CURRENT_TIMESTAMP")))
add("mysql_varchar_charset_collation", lambda op: op.alter_column(
    "t1", "c1", nullable=False, existing_type=S(50),
    type_=VARCHAR(50, charset="utf8mb4", collation="utf8mb4_unicode_ci")))
add("mysql_not_null_existing_type", lambda op: op.alter_column("t1", "c1", nullable=False, existing_type=I))
add("mysql_not_null_existing_default", lambda op: op.alter_column(
    "t1", "c1", nullable=False, existing_type=I, existing_server_default="5"))
add("mysql_null_existing_type", lambda op: op.alter_column("t1", "c1", nullable=True, existing_type=I))
add("mysql_type_default_not_null", lambda op: op.alter_column("t1", "c1", nullable=False, server_default="q", type_=I))
add("mysql_type_drop_default_not_null", lambda op: op.alter_column(
    "t1", "c1", nullable=False, server_default=None, type_=I))
add("mysql_comment_existing_comment_not_null", lambda op: op.alter_column(
    "t1", "c1", nullable=False, existing_comment="existing column comment", existing_type=I))
add("mysql_rename_existing_comment", lambda op: op.alter_column(
    "t1", "c1", new_column_name="newc1", existing_nullable=False, existing_comment="existing column comment",
    existing_type=I))
add("mysql_new_comment_over_existing", lambda op: op.alter_column(
    "t1", "c1", nullable=False, comment="This is a column comment", existing_comment="existing column comment",
    existing_type=I))
add("mysql_add_column_computed", lambda op: op.add_column("t1", sa.Column("some_column", I, sa.Computed("foo * 5"))))
add("mysql_create_table_engine", lambda op: op.create_table(
    "t", sa.Column("id", I, primary_key=True), mysql_engine="InnoDB", mysql_charset="utf8mb4"))
add("mysql_index_length", lambda op: op.create_index("ix", "t", ["a", "b"], mysql_length={"a": 10}))
add("mysql_index_prefix", lambda op: op.create_index("ix", "t", ["a"], mysql_prefix="FULLTEXT"))
# a computed or identity column: Alembic refuses any change on MySQL/MariaDB, or crashes (rename, comment,
# autoincrement: AssertionError), so do not fall back to restating a column whose generation MODIFY drops
for _name, _kw in [
    ("type", {"type_": sa.BigInteger(), "existing_nullable": False, "existing_server_default": sa.Identity()}),
    ("computed_type", {"type_": sa.BigInteger(), "existing_nullable": True, "existing_server_default": sa.Computed("b * 2")}),
    ("nullable", {"nullable": False, "existing_type": I(), "existing_server_default": sa.Computed("a * 2")}),
    ("nullable_no_type", {"nullable": False, "existing_server_default": sa.Identity()}),
    ("nullable_new_computed", {"nullable": True, "existing_type": I(), "server_default": sa.Computed("a")}),
    ("rename", {"existing_type": I(), "new_column_name": "d", "existing_server_default": sa.Computed("x * 2")}),
    ("comment", {"existing_type": I(), "comment": "x", "existing_server_default": sa.Identity()}),
    ("autoincrement", {"existing_type": I(), "autoincrement": True,
                       "existing_server_default": sa.Computed("x", persisted=False)}),
    ("new_default", {"existing_type": I(), "server_default": "5", "existing_server_default": sa.Computed("a")}),
]:
    add(f"mysql_alter_generated_{_name}", lambda op, k=_kw: op.alter_column("t", "c", **k), dialects=("mysql", "mariadb"))
add("mysql_literal_column_default_number", lambda op: op.alter_column("t", "c", server_default=literal_column("42")))
add("mysql_literal_column_default_func", lambda op: op.alter_column("t", "c", server_default=literal_column("now()")))
add("mysql_index_in_create_table", lambda op: op.create_table(
    "t", sa.Column("x", sa.String(50)), sa.Index("ix", "x", mysql_prefix="FULLTEXT", mysql_length=10)))
add("mariadb_keyword_wins_in_create_table", lambda op: op.create_table(
    "t", sa.Column("x", sa.String(50)), sa.Index("ix", "x", mysql_length=10, mariadb_length=5)))
for _name, _table in [("plain", "t1"), ("mixed", "MyTable")]:
    for _type in ("foreignkey", "unique", "check", "primary"):
        add(f"drop_{_type}_{_name}", lambda op, t=_table, k=_type: op.drop_constraint(
            "MyConst" if t == "MyTable" else "f1", t, type_=k))
add("drop_constraint_unknown_type", lambda op: op.drop_constraint("f1", "t1", "typo"))


@case()
def mysql_programmatic_default_clause(op: Any) -> None:
    # Alembic's MySQL test of an AlterColumnOp built as autogenerate builds it: the defaults are DefaultClause objects
    module = "alembic" if type(op).__module__.startswith("alembic") else "limbeck"
    ops = __import__(f"{module}.operations.ops", fromlist=["AlterColumnOp"])
    op.invoke(ops.AlterColumnOp(
        "t", "c", existing_type=sa.Float(), existing_nullable=False, modify_nullable=True,
        existing_server_default=sa.DefaultClause(text("0"))))


add("drop_primary_named_primary", lambda op: op.drop_constraint("primary", "t1", type_="primary"))
add("drop_check_schema", lambda op: op.drop_constraint("ck", "t1", type_="check", schema="s"))
add("drop_fk_if_exists", lambda op: op.drop_constraint("fk", "t1", type_="foreignkey", if_exists=True))

# --- SQL Server-flavoured -----------------------------------------------------------------------
add("mssql_add_column_default", lambda op: op.add_column(
    "t1", sa.Column("c1", I, nullable=False, server_default="12")))
add("mssql_rename_fancy", lambda op: op.alter_column("t", "c", new_column_name="SomeFancyName"))
add("mssql_rename_schema", lambda op: op.alter_column("t", "c", new_column_name="x", schema="y"))
add("mssql_type_existing_nullable", lambda op: op.alter_column("t", "c", type_=S(99), existing_nullable=False))
add("mssql_type_only", lambda op: op.alter_column("t", "c", type_=S(99)))
add("mssql_boolean_not_null", lambda op: op.alter_column("tests", "col", existing_type=sa.Boolean(), nullable=False))
add("mssql_drop_index_table", lambda op: op.drop_index("my_idx", table_name="my_table"))
for _flag in ("mssql_drop_default", "mssql_drop_check", "mssql_drop_foreign_key"):
    add(f"{_flag}", lambda op, f=_flag: op.drop_column("t1", "c1", **{f: True}))
    add(f"{_flag}_schema", lambda op, f=_flag: op.drop_column("t1", "c1", schema="xyz", **{f: True}))
add("mssql_drop_check_keyword_names", lambda op: op.drop_column("table", "column", mssql_drop_check=True))
add("mssql_drop_default_alter", lambda op: op.alter_column("t", "c", server_default=None))
add("mssql_drop_default_alter_schema", lambda op: op.alter_column("t", "c", server_default=None, schema="xyz"))
add("mssql_default_false", lambda op: op.alter_column("t", "c", server_default=False))
add("mssql_null_existing_type", lambda op: op.alter_column("t", "c", nullable=True, existing_type=I))
add("mssql_not_null_existing_type", lambda op: op.alter_column("t", "c", nullable=False, existing_type=I))
add("mssql_null_type", lambda op: op.alter_column("t", "c", nullable=True, type_=I))
add("mssql_not_null_type", lambda op: op.alter_column("t", "c", nullable=False, type_=I))
add("mssql_set_default", lambda op: op.alter_column("t", "c", server_default="5"))
add("mssql_replace_default", lambda op: op.alter_column("t", "c", server_default="5", existing_server_default="6"))
add("mssql_rename_type_default", lambda op: op.alter_column(
    "t", "c", new_column_name="c2", nullable=True, type_=I, server_default="5"))
add("mssql_rename_table_mixed", lambda op: op.rename_table("TeeOne", "TeeTwo"))
add("mssql_rename_table_mixed_schema", lambda op: op.rename_table("TeeOne", "TeeTwo", schema="FooBar"))
add("mssql_index_include", lambda op: op.create_index(
    op.f("ix_mytable_a_b"), "mytable", ["col_a", "col_b"], unique=False, mssql_include=["col_c"]))
add("mssql_index_clustered", lambda op: op.create_index("ix_c", "mytable", ["col_a"], mssql_clustered=True))
add("mssql_index_where", lambda op: op.create_index("ix_w", "mytable", ["col_a"], mssql_where=text("col_a > 0")))
add("mssql_index_f", lambda op: op.create_index(op.f("ix_mytable_a_b"), "mytable", ["col_a", "col_b"], unique=False))
add("mssql_comment_string", lambda op: op.alter_column("t1", "c1", existing_type=S(50), comment="c1 comment"))
add("mssql_comment_update", lambda op: op.alter_column(
    "t1", "c1", existing_type=S(50), comment="updated comment", existing_comment="old comment"))
add("mssql_comment_schema", lambda op: op.alter_column(
    "t1", "c1", existing_type=S(50), comment="c1 comment", schema="xyz"))
add("mssql_comment_quotes_dbo", lambda op: op.alter_column(
    "user", "theme", existing_type=S(20), comment="Column comment with 'quotes'", existing_nullable=True, schema="dbo"))
add("mssql_comment_drop", lambda op: op.alter_column(
    "t1", "c1", existing_type=S(50), comment=None, existing_comment="existing comment"))
add("mssql_pk_nonclustered", lambda op: op.create_primary_key("pk", "t", ["a"], mssql_clustered=False))


# Alembic's MS-SQL type/nullability grid: with or without existing_type, the nullability changed or restated
for _pass_type in (True, False):
    for _was_null in (True, False):
        for _change in (True, False):
            def _type_grid(op: Any, p: bool = _pass_type, was: bool = _was_null, change: bool = _change) -> None:
                kw: dict[str, Any] = {"type_": I}
                if p:
                    kw["existing_type"] = S(10)
                kw["nullable" if change else "existing_nullable"] = (not was) if change else was
                op.alter_column("t", "c", **kw)
            add(f"mssql_type_null_grid_{_pass_type}_{_was_null}_{_change}", _type_grid)
for _i, _kw in enumerate([{"start": 3}, {"start": 3, "increment": 3}]):
    add(f"mssql_add_column_identity_{_i}", lambda op, k=_kw: op.add_column(
        "t1", sa.Column("some_column", I, sa.Identity(**k))))


@case()
def mssql_two_drops_with_default(op: Any) -> None:
    # each drop declares @const_name: the separator between them keeps the batch valid
    op.drop_column("t1", "c1", mssql_drop_default=True)
    op.drop_column("t1", "c2", mssql_drop_default=True)


add("mssql_custom_batch_separator", lambda op: (op.drop_column("t1", "c1", mssql_drop_check=True),
                                                op.create_table("t2", sa.Column("id", I, primary_key=True))),
    opts={"mssql_batch_separator": "BYE", "transactional_ddl": True})


@case()
def mssql_batch_drop_flags(op: Any) -> None:
    with op.batch_alter_table("t1", schema=None) as batch_op:
        batch_op.drop_column("c1", mssql_drop_default=True)
        batch_op.drop_column("c2", mssql_drop_check=True)
        batch_op.drop_column("c3", mssql_drop_foreign_key=True)


# --- Oracle-flavoured ---------------------------------------------------------------------------
add("oracle_add_column_comment", lambda op: op.add_column(
    "t1", sa.Column("c1", I, nullable=False, comment="c1 comment")))
add("oracle_rename_table_owner", lambda op: op.rename_table("s", "t", schema="myowner"))
add("oracle_type", lambda op: op.alter_column("t", "c", type_=I))
add("oracle_type_comment", lambda op: op.alter_column("t", "c", type_=I, comment="c comment"))
add("oracle_type_quoted_comment", lambda op: op.alter_column("t", "c", type_=I, comment="c 'comment'"))
add("oracle_type_drop_comment", lambda op: op.alter_column("t", "c", type_=I, comment=None))
add("oracle_remove_identity", lambda op: op.alter_column(
    "t1", "some_column", server_default=None, existing_server_default=sa.Identity()))

add("oracle_custom_batch_separator", lambda op: (op.add_column("t1", sa.Column("c1", I, server_default="12")),
                                                 op.alter_column("t", "c", nullable=True, type_=I)),
    opts={"oracle_batch_separator": "BYE", "transactional_ddl": True})
add("alter_legacy_name_keyword", lambda op: op.alter_column("t", "c", name="x"))
add("alter_unknown_keywords", lambda op: op.alter_column("t", "c", badarg1="x", badarg2="y"))

# --- SQLite-flavoured ---------------------------------------------------------------------------
add("sqlite_add_column_boolean", lambda op: op.add_column("t1", sa.Column("c1", sa.Boolean)))
add("sqlite_rename_column_kw", lambda op: op.alter_column("t1", column_name="old", new_column_name="new"))
add("sqlite_create_table_comment", lambda op: op.create_table(
    "t2", sa.Column("c1", I, primary_key=True), sa.Column("c2", I), comment="This is a table comment"))
add("sqlite_add_column_comment", lambda op: op.add_column("t1", sa.Column("c1", I, comment="c1 comment")))
add("rename_table_other_schema", lambda op: op.rename_table("old_name", "new_name", schema="my_schema"))

CASES = corpus.cases

# --- warnings Alembic gives (compared word for word, corpus_common.compare) ----------------------
add("warn_autoincrement_outside_mysql", lambda op: op.alter_column(
    "t", "c", autoincrement=True, existing_type=I), dialects=("sqlite", "postgresql", "mssql", "oracle", "default"))
add("warn_existing_autoincrement_outside_mysql", lambda op: op.alter_column(
    "t", "c", existing_autoincrement=True, server_default="5", existing_type=I),
    dialects=("postgresql", "mssql", "oracle", "default"))
add("warn_mssql_type_without_nullability", lambda op: op.alter_column("t", "c", type_=S(20)), dialects=("mssql",))
add("warn_sqlite_implicit_boolean_check", lambda op: op.add_column(
    "t", sa.Column("b", sa.Boolean(create_constraint=True))), dialects=("sqlite",))
add("warn_sqlite_implicit_enum_check", lambda op: op.add_column(
    "t", sa.Column("e", sa.Enum("a", "b", name="en", create_constraint=True))), dialects=("sqlite",))
