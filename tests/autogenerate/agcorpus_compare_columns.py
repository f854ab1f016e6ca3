"""Comparison of tables, columns, types, server defaults and nullability: Alembic's diff tests' pairs."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    BIGINT,
    DECIMAL,
    INTEGER,
    VARCHAR,
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
)

from .agcorpus_common import BACKENDS, CompareCorpus

corpus = CompareCorpus("compare")


pair = corpus.on


# --- types: the database's type (created) against the model's ------------------------------------
_TYPES: list[tuple[str, Any, Any]] = [
    ("varchar_string_same_length", VARCHAR(30), String(30)),
    ("varchar_string_longer", VARCHAR(30), String(40)),
    ("varchar_integer", VARCHAR(30), Integer()),
    ("text_string", Text(), String(255)),
    ("decimal_scale_changed", DECIMAL(10, 5), DECIMAL(10, 6)),
    ("decimal_scale_dropped", DECIMAL(10, 5), DECIMAL(10)),
    ("decimal_numeric_same", DECIMAL(10, 5), Numeric(10, 5)),
    ("decimal_numeric_precision", DECIMAL(10, 5), Numeric(12, 5)),
    ("decimal_datetime", DECIMAL(10, 5), DateTime()),
    ("integer_integer", INTEGER(), Integer()),
    ("bigint_integer", BIGINT(), Integer()),
    ("bigint_biginteger", BIGINT(), BigInteger()),
    ("bigint_smallinteger", BIGINT(), SmallInteger()),
    ("integer_smallinteger", INTEGER(), SmallInteger()),
    ("integer_string", Integer(), String(20)),
    ("boolean_same", sa.Boolean(), sa.Boolean()),
    ("boolean_integer", sa.Boolean(), Integer()),
    ("datetime_date", DateTime(), sa.Date()),
    ("datetime_same", DateTime(), DateTime()),
    ("float_same", sa.Float(), sa.Float()),
    ("float_numeric", sa.Float(), Numeric(10, 2)),
    ("string_text", String(50), Text()),
    ("text_same", Text(), Text()),
    ("string_unicode", String(50), sa.Unicode(50)),
    ("enum_same", sa.Enum("a", "b", name="e1"), sa.Enum("a", "b", name="e1")),
    ("large_binary_same", sa.LargeBinary(), sa.LargeBinary()),
    ("numeric_float", Numeric(10, 2), sa.Float()),
    ("smallint_integer", SmallInteger(), Integer()),
    ("time_same", sa.Time(), sa.Time()),
    ("date_datetime", sa.Date(), DateTime()),
]
for _name, _conn_type, _meta_type in _TYPES:
    def _types(m: MetaData, model: bool, conn_type: Any = _conn_type, meta_type: Any = _meta_type) -> None:
        Table("t", m, Column("id", Integer, primary_key=True), Column("x", meta_type if model else conn_type))
    corpus.pair(f"type_{_name}", _types, dialects=BACKENDS)
    corpus.pair(f"type_{_name}_compare_type_off", _types, opts={"compare_type": False})


# --- server defaults ------------------------------------------------------------------------------
_DEFAULTS: list[tuple[str, Any, Any, Any, tuple[str, ...]]] = [
    ("text_quoted", VARCHAR(30), sa.text("'some default'"), sa.text("'some new default'"), BACKENDS),
    ("plain_string", VARCHAR(30), "some default", "some new default", BACKENDS),
    ("slashes", VARCHAR(30), sa.text("'//slash'"), sa.text("'s//l//ash'"), BACKENDS),
    ("integer_text", Integer(), sa.text("15"), sa.text("20"), BACKENDS),
    ("integer_string", Integer(), "15", "20", BACKENDS),
    ("same_text_quoted", VARCHAR(30), sa.text("'some default'"), sa.text("'some default'"), BACKENDS),
    ("same_plain_string", VARCHAR(30), "some default", "some default", BACKENDS),
    ("same_slashes", VARCHAR(30), sa.text("'//slash'"), sa.text("'//slash'"), BACKENDS),
    ("same_quote_inside", VARCHAR(30), sa.text("'has '' quote'"), sa.text("'has '' quote'"), BACKENDS),
    ("same_function", VARCHAR(30), sa.func.substring("name", 1, 3), sa.func.substring("name", 1, 3), ("postgresql",)),
    ("same_substring_no_space", VARCHAR(30), sa.text("substring('name',1,3)"), sa.text("substring('name',1,3)"),
     ("postgresql",)),
    ("same_substring_spaces", VARCHAR(30), sa.text("substring('name', 1, 3)"), sa.text("substring('name', 1, 3)"),
     ("postgresql",)),
    ("same_now", DateTime(), sa.text("(now())"), sa.text("(now())"), ("sqlite", "postgresql")),
    ("same_integer_text", Integer(), sa.text("15"), sa.text("15"), BACKENDS),
    ("same_integer_string", Integer(), "15", "15", BACKENDS),
    ("added", Integer(), None, "5", BACKENDS),
    ("removed", Integer(), "5", None, BACKENDS),
    ("boolean_false_true", sa.Boolean(), sa.false(), sa.true(), ("sqlite", "postgresql")),
    ("same_boolean_false", sa.Boolean(), sa.false(), sa.false(), ("sqlite", "postgresql")),
    ("current_timestamp_added", DateTime(), None, sa.func.current_timestamp(), BACKENDS),
    ("same_current_timestamp", DateTime(), sa.func.current_timestamp(), sa.func.current_timestamp(), BACKENDS),
    ("numeric_same", Numeric(10, 2), "1.50", "1.50", BACKENDS),
    ("numeric_changed", Numeric(10, 2), "1.50", "2.50", BACKENDS),
]
for _name, _type, _old, _new, _dialects in _DEFAULTS:
    def _defaults(m: MetaData, model: bool, type_: Any = _type, old: Any = _old, new: Any = _new) -> None:
        value = new if model else old
        Table("t1", m, Column("id", Integer, primary_key=True),
              Column("x", type_, **({"server_default": value} if value is not None else {})))
    corpus.pair(f"default_{_name}", _defaults, dialects=_dialects)
    corpus.pair(f"default_{_name}_compare_off", _defaults, opts={"compare_server_default": False})


def _user_default(answer: Any) -> Any:
    def compare(context: Any, inspected_col: Any, metadata_col: Any, inspected_default: Any, metadata_default: Any,
                rendered_metadata_default: Any) -> Any:
        return answer
    return compare


for _answer, _new in ((False, "different"), (True, "original"), (None, "different")):
    def _user(m: MetaData, model: bool, new: str = _new) -> None:
        Table("t1", m, Column("id", Integer, primary_key=True),
              Column("x", VARCHAR(30), server_default=sa.text(f"'{new if model else 'original'}'")))
    corpus.pair(f"default_user_compare_returns_{_answer}", _user,
                opts={"compare_server_default": _user_default(_answer)})


def _user_type(answer: Any) -> Any:
    def compare(context: Any, inspected_column: Any, metadata_column: Any, inspected_type: Any,
                metadata_type: Any) -> Any:
        return answer
    return compare


for _answer in (True, False, None):
    def _user_t(m: MetaData, model: bool) -> None:
        Table("t1", m, Column("id", Integer, primary_key=True), Column("x", String(30) if model else String(20)))
    corpus.pair(f"type_user_compare_returns_{_answer}", _user_t, opts={"compare_type": _user_type(_answer)})


# --- nullability, columns, tables -----------------------------------------------------------------
@pair("nullable_to_not_null")
def _not_null(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("x", String(10), nullable=not model))


@pair("not_null_to_nullable")
def _nullable(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("x", String(10), nullable=model))


@pair("not_null_with_default_and_type_change")
def _everything(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True),
          Column("x", String(20) if model else String(10), nullable=not model, server_default="a" if model else "b"))


@pair("pk_column_not_null_unchanged")
def _pk_nullable(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True, nullable=model))


@pair("column_added")
def _col_added(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True),
          *([Column("x", String(10), nullable=False, server_default="a", comment="c")] if model else []))


@pair("columns_added_in_order")
def _cols_order(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True),
          *([Column("c", Integer), Column("a", Integer), Column("b", Integer)] if model else []))


@pair("column_removed")
def _col_removed(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), *([] if model else [Column("x", String(10))]))


@pair("table_added")
def _table_added(m: MetaData, model: bool) -> None:
    if model:
        Table("new_t", m, Column("id", Integer, primary_key=True), Column("name", String(50), nullable=False),
              Column("amount", Numeric(10, 2), server_default="0"), sa.UniqueConstraint("name", name="uq_new_t_name"),
              sa.CheckConstraint("amount >= 0", name="ck_amount"))


@pair("table_removed")
def _table_removed(m: MetaData, model: bool) -> None:
    if not model:
        Table("old_t", m, Column("id", Integer, primary_key=True), Column("name", String(50), nullable=False),
              Column("flag", String(1), server_default="y"))


@pair("tables_added_with_dependency")
def _tables_dep(m: MetaData, model: bool) -> None:
    if model:
        Table("child", m, Column("id", Integer, primary_key=True), Column("p", sa.ForeignKey("parent.id")))
        Table("parent", m, Column("id", Integer, primary_key=True))


# (tables removed with a dependency between them: Alembic drops them in the order of a set, which varies
# from run to run, so no case can compare it; limbeck drops the referencing table first)


@pair("nothing_changed_model_one")
def _model_one(m: MetaData, model: bool) -> None:
    Table("user", m, Column("id", Integer, primary_key=True), Column("name", String(50)),
          Column("a1", Text, server_default="x"), Column("pw", String(50)), sa.Index("pw_idx", "pw"))
    Table("address", m, Column("id", Integer, primary_key=True), Column("email_address", String(100), nullable=False))
    Table("order", m, Column("order_id", Integer, primary_key=True),
          Column("amount", Numeric(8, 2), nullable=False, server_default=sa.text("0")),
          sa.CheckConstraint("amount >= 0", name="ck_order_amount"))


@pair("model_one_to_two")
def _model_two(m: MetaData, model: bool) -> None:
    """Alembic's ModelOne database against its ModelTwo models: most kinds of change at once."""
    if model:
        Table("user", m, Column("id", Integer, primary_key=True), Column("name", String(50), nullable=False),
              Column("a1", Text, server_default="x"))
        Table("address", m, Column("id", Integer, primary_key=True), Column("email_address", String(100), nullable=False),
              Column("street", String(50)), sa.UniqueConstraint("email_address", name="uq_email"))
        Table("order", m, Column("order_id", Integer, primary_key=True),
              Column("amount", Numeric(10, 2), nullable=True, server_default=sa.text("0")),
              Column("user_id", Integer, sa.ForeignKey("user.id")),
              sa.CheckConstraint("amount > -1", name="ck_order_amount"))
        Table("item", m, Column("id", Integer, primary_key=True), Column("description", String(100)),
              Column("order_id", Integer, sa.ForeignKey("order.order_id")),
              sa.CheckConstraint("len(description) > 5"))
    else:
        Table("user", m, Column("id", Integer, primary_key=True), Column("name", String(50)),
              Column("a1", Text), Column("pw", String(50)), sa.Index("pw_idx", "pw"))
        Table("address", m, Column("id", Integer, primary_key=True), Column("email_address", String(100), nullable=False))
        Table("order", m, Column("order_id", Integer, primary_key=True),
              Column("amount", Numeric(8, 2), nullable=False, server_default=sa.text("0")),
              sa.CheckConstraint("amount >= 0", name="ck_order_amount"))
        Table("extra", m, Column("x", sa.CHAR), Column("uid", Integer, sa.ForeignKey("user.id")))


@pair("model_one_to_two_batch", opts={"render_as_batch": True}, dialects=("sqlite",))
def _model_two_batch(m: MetaData, model: bool) -> None:
    _model_two(m, model)


# --- filters --------------------------------------------------------------------------------------
def _skip_names(name: Any, type_: str, parent_names: Any) -> bool:
    return not (type_ == "column" and name == "skipped") and not (type_ == "table" and name == "hidden")


def _skip_objects(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "column" and name == "skipped":
        return False
    if type_ == "index" and name == "ix_hidden":
        return False
    return not (type_ == "table" and name == "hidden")


def _filtered(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("kept", Integer if model else String(5)),
          *([] if model else [Column("skipped", Integer)]), *([Column("added", Integer)] if model else []))
    Table("u", m, Column("id", Integer, primary_key=True), Column("x", Integer),
          *([] if model else [sa.Index("ix_hidden", "x")]))
    if not model:
        Table("hidden", m, Column("id", Integer, primary_key=True))


corpus.pair("include_name_filters", _filtered, opts={"include_name": _skip_names})
corpus.pair("include_object_filters", _filtered, opts={"include_object": _skip_objects})
corpus.pair("no_filters", _filtered)


@pair("table_comment_and_columns_on_new_table", dialects=("postgresql", "mariadb"))
def _new_table_comments(m: MetaData, model: bool) -> None:
    if model:
        Table("t", m, Column("id", Integer, primary_key=True, comment="the key"), comment="a table")


@pair("removed_table_comment_and_server_defaults", dialects=("postgresql", "mariadb"))
def _removed_table_comments(m: MetaData, model: bool) -> None:
    if not model:
        Table("t", m, Column("id", Integer, primary_key=True, comment="the key"),
              Column("n", Integer, server_default="7"), comment="a table", mysql_engine="InnoDB")


@pair("postgresql_enum_column_added", dialects=("postgresql",))
def _pg_enum(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True),
          *([Column("mood", sa.Enum("sad", "ok", name="mood"))] if model else []))


@pair("postgresql_array_and_jsonb", dialects=("postgresql",))
def _pg_types(m: MetaData, model: bool) -> None:
    from sqlalchemy.dialects import postgresql

    Table("t", m, Column("id", Integer, primary_key=True),
          *([Column("tags", postgresql.ARRAY(String(20))), Column("doc", postgresql.JSONB)] if model else []))


@pair("postgresql_types_unchanged", dialects=("postgresql",))
def _pg_same(m: MetaData, model: bool) -> None:
    from sqlalchemy.dialects import postgresql

    Table("t", m, Column("id", Integer, primary_key=True), Column("tags", postgresql.ARRAY(String(20))),
          Column("doc", postgresql.JSONB), Column("ip", postgresql.INET), Column("u", sa.Uuid),
          Column("ts", DateTime(timezone=True)))


@pair("mysql_types_unchanged", dialects=("mariadb",))
def _mysql_same(m: MetaData, model: bool) -> None:
    from sqlalchemy.dialects import mysql

    Table("t", m, Column("id", Integer, primary_key=True), Column("b", sa.Boolean), Column("t", mysql.TINYINT(1)),
          Column("e", sa.Enum("a", "b")), Column("lt", mysql.LONGTEXT), Column("d", mysql.DATETIME(fsp=6)),
          mysql_engine="InnoDB")


@pair("mysql_enum_values_changed", dialects=("mariadb",))
def _mysql_enum(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True),
          Column("e", sa.Enum("a", "b", "c") if model else sa.Enum("a", "b")), mysql_engine="InnoDB")


CASES = corpus.cases
