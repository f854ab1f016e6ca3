"""Comparison cases from the parts of Alembic's autogenerate tests the other corpus files leave out.

Behaviours from Alembic's ``alembic/testing/suite`` (alter_column's ``existing_*`` and
``autoincrement``), ``test_autogen_diffs.py`` (variants, column keys, composite keys, version tables,
several MetaData, foreign keys to filtered tables, mixed-case key names, the default schema),
``test_autogen_composition.py`` (ModelOne in a schema, the naming-convention model, added columns'
order) and the server default round trips of ``test_sqlite.py``, ``test_postgresql.py`` and
``test_mysql.py``. The tables and values are ours; both libraries run against the same database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .agcorpus_common import BACKENDS, FIXTURE_OPTS, CompareCase, CompareCorpus

corpus = CompareCorpus("compare_suite")
pair = corpus.on
PG = ("postgresql",)
PG_MARIADB = ("postgresql", "mariadb")
OTHER = "test_schema"


# --- alter_column's existing_* and autoincrement (Alembic's testing suite) ------------------------
for _pk in (True, False):
    _k = "pk" if _pk else "plain"

    @pair(f"existing_comment_added_{_k}", dialects=PG_MARIADB)
    def _comment_added(m: MetaData, model: bool, pk: bool = _pk) -> None:
        Table("a", m, Column("x", Integer, primary_key=pk, **({"comment": "x"} if model else {})))

    @pair(f"existing_not_null_comment_added_{_k}", dialects=PG_MARIADB)
    def _not_null(m: MetaData, model: bool, pk: bool = _pk) -> None:
        Table("a", m, Column("x", Integer, nullable=False, primary_key=pk, **({"comment": "x"} if model else {})))

    @pair(f"existing_comment_changed_{_k}", dialects=PG_MARIADB)
    def _comment_changed(m: MetaData, model: bool, pk: bool = _pk) -> None:
        Table("a", m, Column("x", Integer, primary_key=pk, comment="new" if model else "old"))

    @pair(f"existing_server_default_{_k}", dialects=PG_MARIADB)
    def _existing_default(m: MetaData, model: bool, pk: bool = _pk) -> None:
        Table("a", m, Column("x", Integer, server_default="5", primary_key=pk, **({"comment": "new"} if model else {})))


_AUTOINCREMENT: dict[str, tuple[dict[str, Any], bool]] = {
    "pk_false": ({"primary_key": True, "autoincrement": False}, False),
    "pk_implicit": ({"primary_key": True}, False),
    "pk_explicit_true": ({"primary_key": True, "autoincrement": True}, False),
    "nonpk_false": ({"autoincrement": False}, True),
    "nonpk_implicit": ({}, True),
    "nonpk_explicit_true": ({"autoincrement": True}, True),
}
for _name, (_kw, _extra_pk) in _AUTOINCREMENT.items():
    def _autoinc(m: MetaData, model: bool, kw: dict[str, Any] = _kw, extra_pk: bool = _extra_pk) -> None:
        pk = [Column("id", Integer, primary_key=True, autoincrement=False if kw.get("autoincrement") else "auto")]
        Table("a", m, *(pk if extra_pk else []), Column("x", BigInteger if model else Integer, **kw))
    corpus.pair(f"autoincrement_{_name}_type_changed", _autoinc, dialects=BACKENDS)


@pair("autoincrement_not_in_nullable_change")
def _autoinc_nullable(m: MetaData, model: bool) -> None:
    Table("a", m, Column("x", Integer, nullable=model))


# --- test_autogen_diffs: one-off comparisons ------------------------------------------------------
@pair("variant_type_no_change")
def _variant(m: MetaData, model: bool) -> None:
    Table("sometable", m, Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
          Column("value", String(50)))


@pair("composite_pk_no_autoincrement_no_change")
def _composite_pk(m: MetaData, model: bool) -> None:
    Table("person_to_role", m, Column("person_id", Integer, autoincrement=False),
          Column("role_id", Integer, autoincrement=False), PrimaryKeyConstraint("person_id", "role_id"))


@pair("column_keys")
def _keys(m: MetaData, model: bool) -> None:
    if model:
        Table("sometable", m, Column("id", Integer, primary_key=True), Column("value", Integer, key="someotherkey"))
    Table("someothertable", m, Column("id", Integer, primary_key=True), Column("value", Integer, key="somekey"),
          *([Column("othervalue", Integer, key="otherkey")] if model else []))


@pair("parent_then_child_added")
def _order(m: MetaData, model: bool) -> None:
    if model:
        Table("parent", m, Column("id", Integer, primary_key=True))
        Table("child", m, Column("parent_id", Integer, ForeignKey("parent.id")))


def _columns_added(m: MetaData, model: bool) -> None:
    Table("user", m, Column("id", Integer, primary_key=True), Column("name", String(50)),
          *([Column("username", String(50)), Column("password_hash", String(32)), Column("timestamp", DateTime)]
            if model else []))


corpus.pair("columns_added_keep_model_order", _columns_added, dialects=BACKENDS)


# --- the version table: never reported, whatever its name and schema ------------------------------
def _version_table(name: str, schema: str | None, in_model: bool) -> Callable[[MetaData, bool], None]:
    def tables(m: MetaData, model: bool) -> None:
        if not model or in_model:
            Table(name, m, Column("x", Integer), schema=schema)
    return tables


for _name, _schema, _dialects in (("alembic_version", None, BACKENDS), ("my_version_table", None, BACKENDS),
                                  ("alembic_version", OTHER, PG), ("my_version_table", OTHER, PG)):
    _opts: dict[str, Any] = {"version_table": _name}
    if _schema:
        _opts.update(version_table_schema=_schema, include_schemas=True)
    for _in_model in (False, True):
        corpus.pair(f"version_table_{_name}_{_schema or 'default'}_{'in_model' if _in_model else 'database_only'}",
                    _version_table(_name, _schema, _in_model), dialects=_dialects, opts=_opts)


# --- several MetaData as target_metadata ----------------------------------------------------------
class Several:
    """A sequence of MetaData that ``create_all`` creates together, as a case's database."""

    def __init__(self, metadatas: Sequence[MetaData]) -> None:
        self.metadatas = metadatas

    def create_all(self, conn: Any) -> None:
        for m in self.metadatas:
            m.create_all(conn)


def _several(id: str, build: Callable[[bool], Sequence[MetaData]], *, as_tuple: bool = False, **kw: Any) -> None:
    def models() -> Any:
        return tuple(build(True)) if as_tuple else list(build(True))
    corpus.cases.append(CompareCase(f"{corpus.prefix}.{id}", lambda: Several(build(False)), models,
                                    opts={**FIXTURE_OPTS, **kw.pop("opts", {})}, **{"dialects": BACKENDS, **kw}))


def _three(model: bool) -> list[MetaData]:
    a, b, c = MetaData(), MetaData(), MetaData()
    Table("a", a, Column("id", Integer, primary_key=True), *([Column("q", Integer)] if model else []))
    Table("b1", b, Column("id", Integer, primary_key=True))
    if not model:
        Table("b2", b, Column("id", Integer, primary_key=True))
    Table("c1", c, Column("id", Integer, primary_key=True), *([] if model else [Column("x", Integer)]))
    if model:
        Table("c2", c, Column("id", Integer, primary_key=True))
    return [a, b, c]


def _two(model: bool) -> list[MetaData]:
    a, b = MetaData(), MetaData()
    Table("a", a, Column("id", Integer, primary_key=True))
    Table("b", b, Column("id", Integer, primary_key=True), *([Column("q", Integer)] if model else []))
    return [a, b]


def _duplicates(model: bool) -> list[MetaData]:
    a, b = MetaData(), MetaData()
    Table("a", a, Column("id", Integer, primary_key=True))
    for name in ("b1", "b2", "b3"):
        Table(name, b, Column("id", Integer, primary_key=True))
    if model:
        Table("a", b, Column("id", Integer, primary_key=True), extend_existing=True)
        Table("b2", a, Column("id", Integer, primary_key=True))
        b.remove(b.tables["b3"])
    return [a, b]


_several("several_metadata", _three)
_several("several_metadata_tuple", _two, as_tuple=True)
_several("several_metadata_empty", lambda model: [])
_several("several_metadata_duplicate_tables_refused", _duplicates, dialects=("sqlite",))


# --- foreign keys: names in mixed case, keys to tables the filters leave out ----------------------
for _upper in (True, False):
    for _convention in (True, False):
        _fk_name = f"{'FK' if _upper else 'fk'}_child_parent_id_parent"

        def _mixed(m: MetaData, model: bool, name: str = _fk_name, convention: bool = _convention) -> None:
            Table("parent", m, Column("id", Integer, primary_key=True), Column("name", String(50)))
            key = [] if model else [ForeignKeyConstraint(["parent_id"], ["parent.id"],
                                                         **({} if convention else {"name": name}))]
            Table("child", m, Column("id", Integer, primary_key=True), Column("name", String(50)),
                  Column("parent_id", Integer), *key)
        corpus.pair(f"fk_mixed_case_removed_{'upper' if _upper else 'lower'}_{'convention' if _convention else 'named'}",
                    _mixed, dialects=BACKENDS,
                    convention={"fk": _fk_name.replace("child_parent_id_parent",
                                                       "%(table_name)s_%(column_0_name)s_%(referred_table_name)s")}
                    if _convention else None)


def _not_table(*names: str, prefix: str | None = None) -> Any:
    def include_name(name: Any, type_: str, parent_names: Any) -> bool:
        if type_ != "table":
            return True
        return name not in names and not (prefix and name.startswith(prefix))
    return include_name


def _not_partition_fks(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "foreign_key_constraint" and obj.referred_table.name.startswith("parent_partition"))


@pair("fk_to_filtered_table_removed", opts={"include_name": _not_table("parent")})
def _fk_filtered(m: MetaData, model: bool) -> None:
    if not model:
        Table("parent", m, Column("id", Integer, primary_key=True), Column("data", String(50)))
    Table("child", m, Column("id", Integer, primary_key=True), Column("parent_id", Integer),
          *([] if model else [ForeignKeyConstraint(["parent_id"], ["parent.id"], name="fk_child_parent")]))


def _placeholder_types(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Shows the key only when its stand-in referred table has the referring columns' types."""
    if type_ != "foreign_key_constraint" or not reflected:
        return True
    return {c.name: c.type._type_affinity for c in obj.referred_table.c} == {"id": Integer, "code": String}


@pair("fk_composite_to_filtered_table_removed",
      opts={"include_name": _not_table("parent"), "include_object": _placeholder_types})
def _fk_filtered_composite(m: MetaData, model: bool) -> None:
    if not model:
        Table("parent", m, Column("id", BigInteger), Column("code", String(100)), PrimaryKeyConstraint("id", "code"))
    Table("child", m, Column("id", Integer, primary_key=True), Column("parent_id", BigInteger),
          Column("parent_code", String(100)),
          *([] if model else [ForeignKeyConstraint(["parent_id", "parent_code"], ["parent.id", "parent.code"],
                                                   name="fk_child_parent")]))


@pair("fk_to_filtered_partition_hidden_by_include_object",
      opts={"include_name": _not_table(prefix="parent_partition"), "include_object": _not_partition_fks})
def _fk_partition(m: MetaData, model: bool) -> None:
    Table("parent", m, Column("id", Integer, primary_key=True))
    if not model:
        Table("parent_partition_1", m, Column("id", Integer, primary_key=True))
    Table("child", m, Column("id", Integer, primary_key=True), Column("parent_id", Integer),
          ForeignKeyConstraint(["parent_id"], ["parent.id"], name="fk_child_parent"),
          *([] if model else [ForeignKeyConstraint(["parent_id"], ["parent_partition_1.id"], name="fk_to_partition")]))


@pair("fk_to_filtered_table_in_other_schema", dialects=PG,
      opts={"include_schemas": True,
            "include_name": lambda name, type_, parents: not (type_ == "table" and name == "parent"
                                                              and parents.get("schema_name") == OTHER)})
def _fk_other_schema(m: MetaData, model: bool) -> None:
    if not model:
        Table("parent", m, Column("id", Integer, primary_key=True), schema=OTHER)
    Table("child", m, Column("id", Integer, primary_key=True), Column("parent_id", Integer),
          *([] if model else [ForeignKeyConstraint(["parent_id"], [f"{OTHER}.parent.id"], name="fk_child_parent")]))


# --- the default schema named in the models (PostgreSQL) ------------------------------------------
@pair("default_schema_named_no_change", dialects=PG, opts={"include_schemas": True})
def _default_one(m: MetaData, model: bool) -> None:
    Table("a", m, Column("x", String(50)), schema="public" if model else None)


@pair("default_schema_named_other_schema_added", dialects=PG, opts={"include_schemas": True})
def _default_two(m: MetaData, model: bool) -> None:
    Table("a", m, Column("x", String(50)), schema="public" if model else None)
    if model:
        Table("a", m, Column("y", String(50)), schema=OTHER)


@pair("default_schema_named_table_added", dialects=PG, opts={"include_schemas": True})
def _default_three(m: MetaData, model: bool) -> None:
    Table("a", m, Column("y", String(50)), schema=OTHER)
    if model:
        Table("a", m, Column("x", String(50)), schema="public")


# --- ModelOne against ModelTwo, every table in a schema (test_autogen_composition) ----------------
def _model_one_two(schema: str | None) -> Callable[[MetaData, bool], None]:
    """Alembic's ModelOne/ModelTwo, its check constraint left as it is (limbeck compares checks)."""
    s = f"{schema}." if schema else ""

    def tables(m: MetaData, model: bool) -> None:
        check = CheckConstraint("amount >= 0", name="ck_order_amount")
        Table("user", m, Column("id", Integer, primary_key=True), Column("name", String(50), nullable=not model),
              Column("a1", Text, **({"server_default": "x"} if model else {})),
              *([] if model else [Column("pw", String(50)), Index("pw_idx", "pw")]), schema=schema)
        Table("address", m, Column("id", Integer, primary_key=True),
              Column("email_address", String(100), nullable=False),
              *([Column("street", String(50)), UniqueConstraint("email_address", name="uq_email")] if model else []),
              schema=schema)
        Table("order", m, Column("order_id", Integer, primary_key=True),
              Column("amount", Numeric(10, 2) if model else Numeric(8, 2), nullable=model,
                     server_default=sa.text("0")),
              *([Column("user_id", Integer, ForeignKey(f"{s}user.id"))] if model else []), check, schema=schema)
        if model:
            Table("item", m, Column("id", Integer, primary_key=True), Column("description", String(100)),
                  Column("order_id", Integer, ForeignKey(f"{s}order.order_id")), schema=schema)
        else:
            Table("extra", m, Column("x", sa.CHAR), Column("uid", Integer, ForeignKey(f"{s}user.id")), schema=schema)
    return tables


corpus.pair("model_one_two_in_schema", _model_one_two(OTHER), dialects=PG, opts={"include_schemas": True})
corpus.pair("model_one_two_in_schema_include_symbol", _model_one_two(OTHER), dialects=PG,
            opts={"include_schemas": True,
                  "include_object": lambda obj, name, type_, reflected, compare_to:
                  type_ != "table" or name in ("user", "order", "item")})
corpus.pair("model_one_two_no_schema", _model_one_two(None), dialects=BACKENDS)
corpus.pair("model_one_two_no_schema_batch", _model_one_two(None), dialects=("sqlite",),
            opts={"render_as_batch": True})


# --- the naming-convention model (test_autogen_composition) ---------------------------------------
_CONVENTION = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(constraint_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _convention_db() -> MetaData:
    """Every constraint with a name the database could have given it."""
    m = MetaData()
    Table("x1", m, Column("q", Integer), Index("db_x1_index_q", "q"), PrimaryKeyConstraint("q", name="db_x1_primary_q"))
    Table("x2", m, Column("q", Integer), Column("p", ForeignKey("x1.q", name="db_x2_foreign_q")),
          CheckConstraint("q > 5", name="db_x2_check_q"))
    Table("x3", m, Column("q", Integer), Column("r", Integer), Column("s", Integer),
          UniqueConstraint("q", name="db_x3_unique_q"))
    Table("x4", m, Column("q", Integer), PrimaryKeyConstraint("q", name="db_x4_primary_q"))
    Table("x5", m, Column("q", Integer), Column("p", ForeignKey("x4.q", name="db_x5_foreign_q")),
          Column("r", Integer), Column("s", Integer), PrimaryKeyConstraint("q", name="db_x5_primary_q"),
          UniqueConstraint("r", name="db_x5_unique_r"), CheckConstraint("s > 5", name="db_x5_check_s"))
    Table("unnamed_sqlite", m, Column("q", Integer), Column("r", Integer), PrimaryKeyConstraint("q"),
          UniqueConstraint("r"))
    return m


def _convention_models() -> MetaData:
    from sqlalchemy.sql.naming import conv

    m = MetaData(naming_convention=_CONVENTION)
    Table("x1", m, Column("q", Integer, primary_key=True), Index(None, "q"))
    Table("x2", m, Column("q", Integer), Column("p", ForeignKey("x1.q")),
          CheckConstraint("q > 5", name="token_x2check1"))
    Table("x3", m, Column("q", Integer), Column("r", Integer), Column("s", Integer),
          UniqueConstraint("r", name="token_x3r"), UniqueConstraint("s", name=conv("userdef_x3_unique_s")))
    Table("x4", m, Column("q", Integer, primary_key=True), Index("userdef_x4_idx_q", "q"))
    Table("x6", m, Column("q", Integer, primary_key=True), Column("p", ForeignKey("x4.q")), Column("r", Integer),
          Column("s", Integer), UniqueConstraint("r", name="token_x6r"), CheckConstraint("s > 5", "token_x6check1"),
          CheckConstraint("s < 20", conv("userdef_x6_check_s")))
    return m


for _batch in (False, True):
    corpus.cases.append(CompareCase(f"{corpus.prefix}.naming_convention_model{'_batch' if _batch else ''}",
                                    _convention_db, _convention_models,
                                    opts={**FIXTURE_OPTS, **({"render_as_batch": True} if _batch else {})},
                                    dialects=("sqlite",) if _batch else BACKENDS))


# --- server defaults as each database reports them ------------------------------------------------
def _defaults(id: str, type_: Any, old: Any, new: Any = None, dialects: tuple[str, ...] = BACKENDS) -> None:
    """A column created with ``old`` as its default, compared with a model whose default is ``new`` (or ``old``)."""
    def tables(m: MetaData, model: bool) -> None:
        value = (old if new is None else new) if model else old
        Table("test", m, Column("id", Integer, primary_key=True),
              Column("somecol", type_, **({"server_default": value} if value is not None else {})))
    corpus.pair(f"server_default_{id}", tables, dialects=dialects)


_SQLITE = ("sqlite",)
_defaults("datetime_func_localtime", DateTime(), sa.func.datetime("now", "localtime"), dialects=_SQLITE)
_defaults("datetime_func_now", DateTime(), sa.func.now(), dialects=("sqlite", "postgresql"))
_defaults("datetime_text_parenthesised", DateTime(), sa.text("(datetime('now', 'localtime'))"), dialects=_SQLITE)
_defaults("integer_string", Integer(), "5")
_defaults("integer_string_changed", Integer(), "5", "7")
_defaults("integer_text", Integer(), sa.text("5"))
_defaults("integer_text_to_string", Integer(), sa.text("5"), "7")
_defaults("float_string", Float(), "5.2")
_defaults("float_string_changed", Float(), "5.2", "5.3")
_defaults("float_text", Float(), sa.text("5.2"))
_defaults("float_text_to_string", Float(), sa.text("5.2"), "5.3")
_defaults("float_text_to_same_string", Float(), sa.text("5.2"), "5.2")
_defaults("float_string_to_same_text", Float(), "5.2", sa.text("5.2"))
_defaults("float_integer_to_decimal_text", Float(), sa.text("5"), sa.text("5.0"))
_defaults("float_integer_to_decimal_string", Float(), "5", "5.0")
_defaults("float_decimal_string_same", Float(), "5.0")
_defaults("float_decimal_text_same", Float(), sa.text("5.0"))
_defaults("numeric_integer_to_decimal", Numeric(), sa.text("5"), "5.0", dialects=("sqlite", "postgresql"))
_defaults("string_literal", String(20), "im a default")
_defaults("string_literal_changed", String(20), "im a default", "me too")
_defaults("string_blank", String(8), "")
_defaults("string_text_quoted_changed", String(20), sa.text("'hello'"), sa.text("'there'"))
# a string literal is the value: its case, spacing and digits count (limbeck once folded them and missed the change)
_defaults("string_literal_case_changed", String(20), "abc", "ABC")
_defaults("string_literal_spacing_changed", String(20), "a b", "a  b")
_defaults("string_literal_digits_changed", String(20), "007", "7")
_defaults("string_literal_decimal_changed", String(20), "1.50", "1.5")
_defaults("string_literal_parentheses_changed", String(20), "now", "now()")
_defaults("string_literal_keyword_case_changed", String(30), "CURRENT_TIMESTAMP", "current_timestamp")
_defaults("text_literal_case_changed", Text(), sa.text("'abc'"), sa.text("'ABC'"), dialects=("sqlite", "postgresql"))
_defaults("interval_string", sa.Interval(), "14 days", dialects=PG)
_defaults("interval_text", sa.Interval(), sa.text("'14 days'"), dialects=PG)
_defaults("timezone_text", DateTime(), sa.text("TIMEZONE('utc', CURRENT_TIMESTAMP)"), dialects=PG)
_defaults("timezone_func_with_binds", DateTime(), sa.func.timezone("utc", sa.func.current_timestamp()), dialects=PG)


def _pg_array_default(m: MetaData, model: bool) -> None:
    from sqlalchemy.dialects.postgresql import ARRAY

    Table("test", m, Column("id", Integer, primary_key=True),
          Column("somecol", ARRAY(Integer), server_default=sa.text("(ARRAY[]::integer[])")))


corpus.pair("server_default_array_text", _pg_array_default, dialects=PG)

_MARIADB = ("mariadb",)
_defaults("mysql_boolean", sa.Boolean(), sa.text("1"), dialects=_MARIADB)
_defaults("mysql_boolean_changed", sa.Boolean(), sa.text("1"), sa.text("0"), dialects=_MARIADB)
_defaults("mysql_double", sa.Double(), sa.text("2.5"), dialects=_MARIADB)
_defaults("mysql_double_changed", sa.Double(), sa.text("2.5"), sa.text("3.5"), dialects=_MARIADB)
_defaults("mysql_numeric", Numeric(10, 2), sa.text("3.50"), dialects=_MARIADB)
_defaults("mysql_numeric_changed", Numeric(10, 2), sa.text("3.50"), sa.text("4.50"), dialects=_MARIADB)
_defaults("mysql_rand", Float(), sa.text("(rand())"), dialects=_MARIADB)
_defaults("mysql_rand_upper", Float(), sa.text("(rand())"), sa.text("(RAND())"), dialects=_MARIADB)
_defaults("mysql_rand_bare", Float(), sa.text("(rand())"), sa.text("rand()"), dialects=_MARIADB)
_defaults("mysql_rand_to_constant", Float(), sa.text("(rand())"), sa.text("1"), dialects=_MARIADB)
_defaults("mysql_timestamp_current", sa.TIMESTAMP(), sa.text("CURRENT_TIMESTAMP"), dialects=_MARIADB)
_defaults("mysql_timestamp_on_update", sa.TIMESTAMP(),
          sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"), dialects=_MARIADB)


def _mysql_default_added(m: MetaData, model: bool) -> None:
    Table("test", m, Column("id", Integer, primary_key=True),
          Column("somecol", sa.TIMESTAMP(), nullable=True,
                 **({"server_default": sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP")} if model else {})))


corpus.pair("server_default_mysql_timestamp_on_update_added", _mysql_default_added, dialects=_MARIADB)


# --- sequences as defaults, and serial columns (PostgreSQL) ---------------------------------------
def _sequence_default(schema: str | None, type_: Any, pk: bool) -> Callable[[MetaData, bool], None]:
    def tables(m: MetaData, model: bool) -> None:
        seq = sa.Sequence("x_id_seq", schema=schema, metadata=m)
        if model:
            Table("t", m, Column("x", BigInteger()), schema=schema)
        else:
            Table("t", m, Column("x", type_, server_default=seq.next_value(), primary_key=pk), schema=schema)
    return tables


for _schema in (None, OTHER):
    _opts = {"include_schemas": True} if _schema else {}
    _s = _schema or "default"
    for _type_name, _type, _pk in (("integer_pk", Integer, True), ("numeric_pk", Numeric(8, 2), True),
                                   ("numeric", Numeric(8, 2), False)):
        corpus.pair(f"sequence_default_{_type_name}_{_s}", _sequence_default(_schema, _type, _pk),
                    dialects=PG, opts=_opts)

    def _serial(m: MetaData, model: bool, schema: str | None = _schema) -> None:
        Table("t", m, Column("x", BigInteger() if model else Integer, primary_key=True), schema=schema)
    corpus.pair(f"serial_type_changed_{_s}", _serial, dialects=PG, opts=_opts)

    def _no_serial(m: MetaData, model: bool, schema: str | None = _schema) -> None:
        Table("t", m, Column("x", BigInteger() if model else Integer, primary_key=True, autoincrement=False),
              schema=schema)
    corpus.pair(f"no_serial_type_changed_{_s}", _no_serial, dialects=PG, opts=_opts)


CASES = corpus.cases
