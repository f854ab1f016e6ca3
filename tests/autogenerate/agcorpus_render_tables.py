"""Rendering of tables, columns, types, server defaults, comments and generated columns.

Alembic's tests call private helpers for a column, a type or a default; the
same facts are reached here through the public records (``AddColumnOp``,
``CreateTableOp``, ``AlterColumnOp``), which is where a revision meets them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    CHAR,
    VARCHAR,
    BigInteger,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.dialects import mssql, mysql, oracle, postgresql, sqlite

from .agcorpus_common import Api, Corpus

corpus = Corpus("render")
add, case = corpus.add, corpus.case


def _table_case(id: str, make: Callable[[], Table], attrs: dict[str, Any] | None = None, **kw: Any) -> None:
    def fn(ns: Api) -> Any:
        op = ns.ops.CreateTableOp.from_table(make())
        for key, value in (attrs or {}).items():
            setattr(op, key, value)
        return op
    add(id, fn, **kw)


def _t(*args: Any, name: str = "test", metadata: MetaData | None = None, **kw: Any) -> Callable[[], Table]:
    return lambda: Table(name, metadata if metadata is not None else MetaData(), *args, **kw)


def _cols(*extra: Any) -> list[Any]:
    return [Column("id", Integer, primary_key=True), *extra]


# --- create_table ---------------------------------------------------------------------------------
_table_case("create_table_upgrade", lambda: Table(
    "test", MetaData(), Column("id", Integer, primary_key=True), Column("name", sa.Unicode(255)),
    Column("address_id", Integer, ForeignKey("address.id")), Column("timestamp", sa.DATETIME, server_default="NOW()"),
    Column("amount", sa.Numeric(5, 2)), UniqueConstraint("name", name="uq_name"), UniqueConstraint("timestamp")))
_table_case("create_table_schema", lambda: Table(
    "test", MetaData(), *_cols(Column("q", Integer, ForeignKey("address.id"))), schema="foo"))
_table_case("create_table_system_column", lambda: Table(
    "sometable", MetaData(), *_cols(Column("xmin", Integer, system=True, nullable=False))))
_table_case("create_table_unicode_name", lambda: Table("\u0411\u0435\u0437", MetaData(), *_cols()))
_table_case("create_table_unicode_schema", lambda: Table("test", MetaData(), *_cols(), schema="\u0411\u0435\u0437"))
_table_case("create_table_fk_schema", lambda: Table(
    "test", MetaData(), *_cols(Column("q", Integer, ForeignKey("foo.address.id")))))
_table_case("create_table_metadata_schema", lambda: Table(
    "test", MetaData(schema="foo"), *_cols(Column("q", Integer, ForeignKey("address.id")))))
_table_case("create_table_metadata_schema_override", lambda: Table(
    "test", MetaData(schema="foo"), *_cols(Column("q", Integer, ForeignKey("bar.address.id")))))
_table_case("create_table_prefixes", lambda: Table("test", MetaData(), *_cols(), prefixes=["TEST", "PREFIXES"]))
_table_case("create_table_prefixes_schema", lambda: Table(
    "test", MetaData(schema="foo"), *_cols(), prefixes=["TEST", "PREFIXES"]))
_table_case("create_table_dialect_args", lambda: Table(
    "test", MetaData(), *_cols(Column("q", Integer, ForeignKey("bar.address.id"))),
    sqlite_autoincrement=True, mysql_engine="InnoDB"))
_table_case("create_table_if_not_exists", lambda: Table("test", MetaData(), *_cols(Column("a", sa.Boolean()))),
            attrs={"if_not_exists": True})
_table_case("create_table_comment", lambda: Table(
    "test", MetaData(), *_cols(Column("q", Integer, ForeignKey("address.id"))), comment="test comment"))
_table_case("create_table_empty_comment", lambda: Table(
    "test", MetaData(), Column("id", Integer, primary_key=True, comment=""), comment=""))
_table_case("create_table_info", lambda: Table(
    "test", MetaData(), *_cols(Column("q", Integer, ForeignKey("address.id"))),
    info={"oracle_partition": "PARTITION BY ..."}))
_table_case("create_table_pk_key_vs_name", lambda: Table("t1", MetaData(), Column("x", Integer, key="y",
                                                                                  primary_key=True)))
_table_case("create_table_no_pk", lambda: Table("t1", MetaData(), Column("x", Integer)))
_table_case("create_table_autoincrement", lambda: Table(
    "test", MetaData(), Column("id1", Integer, primary_key=True),
    Column("id2", Integer, primary_key=True, autoincrement=True)))
_table_case("create_table_autoincrement_false", lambda: Table(
    "test", MetaData(), Column("id", Integer, primary_key=True, autoincrement=False)))
_table_case("create_table_named_pk", lambda: Table(
    "test", MetaData(), Column("a", Integer), Column("b", Integer), sa.PrimaryKeyConstraint("a", "b", name="pk_ab")))
_table_case("create_table_implicit_plus_explicit_check", lambda: Table(
    "test", MetaData(),
    Column("x", sa.Enum("a", "b", name="x_enum", native_enum=False, create_constraint=True)),
    sa.CheckConstraint("x != 'c'", name="ck_explicit")))
_table_case("create_table_fk_ck_dialect_kwargs", lambda: Table(
    "test", _ADDRESS_MD(), *_cols(Column("x", Integer),
                                  Column("address_id", Integer, ForeignKey("address.id", postgresql_not_valid=True))),
    ForeignKeyConstraint(["x"], ["address.id"], name="fk_x", postgresql_not_valid=True),
    sa.CheckConstraint("x > 5", name="ck_x", postgresql_not_valid=True)))
_table_case("create_table_multi_col_fk", lambda: Table(
    "test", MetaData(), *_cols(Column("a", Integer), Column("b", Integer)),
    ForeignKeyConstraint(["a", "b"], ["r.x", "r.y"], name="fk_ab", ondelete="CASCADE")))
_table_case("create_table_fk_options", lambda: Table(
    "test", MetaData(), *_cols(Column("a", Integer, ForeignKey("r.x", onupdate="CASCADE", deferrable=True,
                                                               initially="DEFERRED", match="FULL")))))
_table_case("create_table_fk_use_alter", lambda: Table(
    "t2", MetaData(), Column("c_rem", Integer, ForeignKey("t.c", name="fk1", use_alter=True))))
_table_case("create_table_unique_options", lambda: Table(
    "t", MetaData(), Column("c", Integer), UniqueConstraint("c", name="uq_1", deferrable="XYZ")))
_table_case("create_table_check_sqlexpr", lambda: Table(
    "t", MetaData(), Column("c", Integer),
    sa.CheckConstraint(sa.and_(sa.column("c") > sa.literal_column("5"), sa.column("c") < sa.literal_column("10")))))
_table_case("create_table_check_literal_binds", lambda: Table(
    "t", MetaData(), Column("c", Integer), sa.CheckConstraint(sa.and_(sa.column("c") > 5, sa.column("c") < 10))))
_table_case("create_table_check_dialect_kwargs_named", lambda: Table(
    "t", MetaData(), Column("c", Integer), sa.CheckConstraint("im a constraint", name="cc1", postgresql_not_valid=True)))
_table_case("create_table_check_dialect_kwargs_unnamed", lambda: Table(
    "t", MetaData(), Column("c", Integer), sa.CheckConstraint("im a constraint", postgresql_not_valid=True)))
_table_case("create_table_many_columns", lambda: Table(
    "wide", MetaData(), *[Column(f"c{i}", Integer) for i in range(300)]))


class _CustomConstraint(sa.sql.schema.ColumnCollectionConstraint):
    """A constraint class no renderer knows (Alembic's test_render_table_w_unsupported_constraint)."""

    __visit_name__ = "some_custom"


_table_case("create_table_unsupported_constraint", lambda: Table(
    "t", MetaData(), Column("id", Integer), _CustomConstraint("id")))

_table_case("create_table_index_flag", lambda: Table("t", MetaData(), *_cols(Column("a", Integer, index=True))))
_table_case("create_table_unique_flag", lambda: Table("t", MetaData(), *_cols(Column("a", Integer, unique=True))))
_table_case("create_table_column_dialect_kw", lambda: Table(
    "t", MetaData(), *_cols(Column("a", Integer, mysql_charset="utf8"))))
_table_case("create_table_mssql_identity_pk", lambda: Table(
    "t", MetaData(), Column("id", Integer, sa.Identity(start=1), primary_key=True)), dialect="mssql")


def _ADDRESS_MD() -> MetaData:
    m = MetaData()
    Table("address", m, Column("id", Integer, primary_key=True))
    return m


for _kind in ("boolean", "enum"):
    for _cc in ("default", "true", "false"):
        for _named in (False, True):
            def _make(kind: str = _kind, cc: str = _cc, named: bool = _named) -> Table:
                kw: dict[str, Any] = {} if cc == "default" else {"create_constraint": cc == "true"}
                if named:
                    kw["name"] = "ck_x"
                coltype = sa.Boolean(**kw) if kind == "boolean" else sa.Enum("a", "b", native_enum=False, **kw)
                return Table("test", MetaData(), Column("x", coltype))
            _table_case(f"create_table_type_check_{_kind}_{_cc}_{'named' if _named else 'unnamed'}", _make)


# --- add / drop column ----------------------------------------------------------------------------
def _col_case(id: str, column: Callable[[], Column[Any]], table: bool = False, **kw: Any) -> None:
    """``add_column`` of a column (built afresh for each library); ``table``: attached to a Table first."""
    def fn(ns: Api) -> Any:
        col = column()
        if table:
            Table("foo", MetaData(), col)
            return ns.ops.AddColumnOp.from_column(col)
        return ns.ops.AddColumnOp("foo", col)
    add(id, fn, **kw)


_col_case("add_column", lambda: Column("x", Integer, server_default="5"))
_col_case("add_column_custom_kwarg", lambda: Column("x", Integer, server_default="5", somedialect_foobar="option"),
          table=True)
_col_case("add_column_system", lambda: Column("xmin", Integer, system=True))
_col_case("add_column_comment", lambda: Column("x", Integer, comment="This is a Column"))
_col_case("add_column_empty_comment", lambda: Column("x", Integer, comment=""))
_col_case("add_column_comment_quote", lambda: Column("some_key", Integer, comment="This is a john's comment"))
_col_case("add_column_comment_both_quotes", lambda: Column("k", Integer, comment="john's \"comment\""))
_col_case("add_column_autoinc_false", lambda: Column("some_key", Integer, primary_key=True, autoincrement=False),
          table=True)
_col_case("add_column_not_null", lambda: Column("x", String(10), nullable=False))
_col_case("add_column_quoted_default", lambda: Column(
    "x", Integer, server_default="nextval('group_to_perm_group_to_perm_id_seq'::regclass)"))
_col_case("add_column_unicode_default", lambda: Column("x", sa.Unicode, server_default=sa.text(
    "\u0411\u0435\u0437 \u043d\u0430\u0437\u0432\u0430\u043d\u0438\u044f")))
_col_case("add_column_default_with_double_quotes", lambda: Column(
    "updated_at", sa.TIMESTAMP(), server_default='TIMEZONE("utc", CURRENT_TIMESTAMP)', nullable=False))
_col_case("add_column_default_text", lambda: Column("u", sa.TIMESTAMP(), server_default=sa.text("now()"),
                                                    nullable=False))
_col_case("add_column_default_false", lambda: Column("u", sa.Boolean(), server_default=sa.false(), nullable=False))
_col_case("add_column_default_true", lambda: Column("u", sa.Boolean(), server_default=sa.true(), nullable=False))
_col_case("add_column_default_func", lambda: Column("u", sa.TIMESTAMP(), server_default=sa.func.now(),
                                                    nullable=False))
_col_case("add_column_default_int_string", lambda: Column("value", Integer, server_default="0"))
_col_case("add_column_default_fetched", lambda: Column("value", Integer, server_default=sa.FetchedValue()))
_col_case("add_column_default_func_sqlite", lambda: Column("x", sa.DateTime(), server_default=sa.func.now()),
          dialect="sqlite")
_col_case("add_column_default_func_postgresql", lambda: Column("x", sa.DateTime(), server_default=sa.func.now()),
          dialect="postgresql")
_col_case("add_column_default_func_mysql", lambda: Column("x", sa.DateTime(), server_default=sa.func.now()),
          dialect="mysql")
_col_case("add_column_default_text_sqlite", lambda: Column("x", Integer, server_default=sa.text("5 + 1")),
          dialect="sqlite")
_col_case("add_column_default_literal_sqlite", lambda: Column("x", Integer, server_default=sa.literal_column("7")),
          dialect="sqlite")
_col_case("add_column_default_expr", lambda: Column("x", Integer, server_default=sa.literal_column("1") + 2))
_col_case("add_column_computed", lambda: Column("x", Integer, sa.Computed("5")))
_col_case("add_column_computed_persisted", lambda: Column("x", Integer, sa.Computed("5", persisted=True)))
_col_case("add_column_computed_virtual", lambda: Column("x", Integer, sa.Computed("5", persisted=False)))
_col_case("add_column_computed_expr", lambda: Column("x", Integer, sa.Computed(sa.column("a") * 2)))
_col_case("add_column_computed_quote", lambda: Column("x", String(5), sa.Computed("'it''s'")))

_IDENTITIES: dict[str, dict[str, Any]] = {
    "default": {}, "always_none": {"always": None}, "always": {"always": True},
    "options": {"always": False, "start": 2, "increment": 4, "minvalue": -3, "maxvalue": 99, "nominvalue": True,
                "nomaxvalue": True, "cycle": True, "cache": 42},
    "oracle": {"start": 42, "oracle_on_null": True, "oracle_order": False},
}
for _name, _kw in _IDENTITIES.items():
    _col_case(f"add_column_identity_{_name}", lambda kw=_kw: Column("x", Integer, sa.Identity(**kw)))
    add(f"alter_column_add_identity_{_name}", lambda ns, kw=_kw: ns.ops.AlterColumnOp(
        "foo", "x", existing_type=Integer(), existing_server_default=None, modify_server_default=sa.Identity(**kw)))
add("alter_column_drop_identity", lambda ns: ns.ops.AlterColumnOp(
    "foo", "x", existing_type=Integer(), existing_server_default=sa.Identity(), modify_server_default=None))
add("add_column_if_not_exists", lambda ns: ns.ops.AddColumnOp(
    "foo", Column("x", Integer, server_default="5", nullable=True), if_not_exists=True))
add("add_column_if_not_exists_batch", lambda ns: ns.ops.AddColumnOp(
    "foo", Column("x", Integer, server_default="5", nullable=True), if_not_exists=True), batch=True)
add("add_column_schema", lambda ns: ns.ops.AddColumnOp("bar", Column("x", Integer, server_default="5"), schema="foo"))
add("drop_column", lambda ns: ns.ops.DropColumnOp.from_column_and_tablename(None, "foo", Column("x", Integer)))
add("drop_column_schema", lambda ns: ns.ops.DropColumnOp.from_column_and_tablename("foo", "bar", Column("x", Integer)))


@case()
def drop_column_if_exists(ns: Api) -> Any:
    op = ns.ops.DropColumnOp.from_column_and_tablename(None, "foo", Column("x", Integer, server_default="5"))
    op.if_exists = True
    return op


add("drop_column_if_exists_batch", drop_column_if_exists, batch=True)
add("drop_column_reversed", lambda ns: ns.ops.DropColumnOp.from_column_and_tablename(
    None, "foo", Column("x", String(5), server_default="a", comment="c")).reverse())
add("add_column_reversed", lambda ns: ns.ops.AddColumnOp("foo", Column("x", Integer), schema="s").reverse())


# --- types --------------------------------------------------------------------------------------
def _type_case(id: str, type_: Callable[[], Any], **kw: Any) -> None:
    add(f"type_{id}", lambda ns: ns.ops.AddColumnOp("t", Column("x", type_())), **kw)


_TYPES: dict[str, Callable[[], Any]] = {
    "integer": Integer, "big_integer": BigInteger, "small_integer": sa.SmallInteger, "string": String,
    "string_length": lambda: String(50), "string_collation": lambda: String(50, collation="utf8_bin"),
    "text": sa.Text, "unicode": lambda: sa.Unicode(30), "unicode_text": sa.UnicodeText,
    "char": lambda: CHAR(10), "varchar": lambda: VARCHAR(10), "numeric": lambda: sa.Numeric(10, 2),
    "numeric_asdecimal": lambda: sa.Numeric(10, 2, asdecimal=False), "float": sa.Float,
    "float_precision": lambda: sa.Float(precision=53), "double": sa.Double, "boolean": sa.Boolean,
    "date": sa.Date, "datetime": sa.DateTime, "datetime_tz": lambda: sa.DateTime(timezone=True),
    "time": sa.Time, "interval": sa.Interval, "large_binary": sa.LargeBinary, "json": sa.JSON, "uuid": sa.Uuid,
    "uuid_str": lambda: sa.Uuid(as_uuid=False), "timestamp": sa.TIMESTAMP, "TEXT": sa.TEXT,
    "enum": lambda: sa.Enum("one", "two", "three", name="myenum"), "enum_unnamed": lambda: sa.Enum("one", "two"),
    "enum_non_native": lambda: sa.Enum("one", "two", "three", native_enum=False),
    "enum_quotes": lambda: sa.Enum("it's", 'say "x"', name="q"),
    "enum_length": lambda: sa.Enum("a", "b", name="e", native_enum=False, length=20),
    "array": lambda: sa.ARRAY(Integer), "array_datetime_tz": lambda: sa.ARRAY(sa.DateTime(timezone=True)),
    "array_dims": lambda: sa.ARRAY(String(5), dimensions=2),
    "variant": lambda: String(5).with_variant(VARCHAR(10), "mysql").with_variant(CHAR(15), "oracle"),
    "reverse_variant": lambda: mysql.LONGTEXT().with_variant(String(10), "oracle"),
    "variant_dialect_types": lambda: sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
    "mysql_varchar": lambda: mysql.VARCHAR(20, charset="utf8", national=True),
    "mysql_integer_display": lambda: mysql.INTEGER(display_width=11, unsigned=True),
    "mysql_tinyint": lambda: mysql.TINYINT(1), "mysql_enum": lambda: mysql.ENUM("a", "b"),
    "mysql_set": lambda: mysql.SET("a", "b"), "mysql_longtext": mysql.LONGTEXT,
    "mysql_datetime_fsp": lambda: mysql.DATETIME(fsp=6), "mysql_bit": lambda: mysql.BIT(8),
    "pg_jsonb": postgresql.JSONB, "pg_json": postgresql.JSON, "pg_uuid": postgresql.UUID,
    "pg_array": lambda: postgresql.ARRAY(String(5)), "pg_array_of_pg": lambda: postgresql.ARRAY(postgresql.INET()),
    "pg_enum": lambda: postgresql.ENUM("a", "b", name="pge"),
    "pg_enum_no_create": lambda: postgresql.ENUM("a", "b", name="pge", create_type=False),
    "pg_inet": postgresql.INET, "pg_tsvector": postgresql.TSVECTOR, "pg_interval": lambda: postgresql.INTERVAL(
        fields="DAY"), "pg_timestamp_tz": lambda: postgresql.TIMESTAMP(timezone=True, precision=3),
    "pg_hstore": postgresql.HSTORE, "pg_bytea": postgresql.BYTEA, "pg_int4range": postgresql.INT4RANGE,
    "pg_double": postgresql.DOUBLE_PRECISION, "pg_money": postgresql.MONEY, "pg_bit": lambda: postgresql.BIT(3),
    "sqlite_datetime": lambda: sqlite.DATETIME(truncate_microseconds=True), "sqlite_json": sqlite.JSON,
    "mssql_nvarchar": lambda: mssql.NVARCHAR(30), "mssql_bit": mssql.BIT, "mssql_uniqueidentifier":
    mssql.UNIQUEIDENTIFIER, "mssql_datetime2": lambda: mssql.DATETIME2(precision=3),
    "oracle_number": lambda: oracle.NUMBER(10, 2), "oracle_varchar2": lambda: oracle.VARCHAR2(20),
    "oracle_raw": lambda: oracle.RAW(16),
}
for _name, _type in _TYPES.items():
    _type_case(_name, _type)
_type_case("pg_domain", lambda: postgresql.DOMAIN("email", postgresql.CITEXT(), check=r"value ~ '^my_.*$'"))
_type_case("pg_domain_full", lambda: postgresql.DOMAIN("mydom", String(), collation="C", default="x", not_null=True))
_type_case("pg_array_user_inner", lambda: postgresql.ARRAY(String), opts={"render_item": lambda type_, obj, ctx: (
    "foobar.MYVARCHAR" if type_ == "type" and isinstance(obj, String) else False)})
_type_case("pg_jsonb_on_postgresql", postgresql.JSONB, dialect="postgresql")
_type_case("pg_array_on_postgresql", lambda: postgresql.ARRAY(Integer), dialect="postgresql")
_type_case("mysql_varchar_on_mysql", lambda: mysql.VARCHAR(20, charset="utf8"), dialect="mysql")
_type_case("user_prefix", lambda: _UserType(), opts={"user_module_prefix": "user."})
_type_case("user_prefix_none", lambda: _UserType(), opts={"user_module_prefix": None})
_type_case("user_type_variant", lambda: _UserType().with_variant(String(), "mysql"), opts={"user_module_prefix": None})
_type_case("sa_prefix_custom", lambda: String(5), opts={"sqlalchemy_module_prefix": "sqlalchemy."})
_type_case("sa_prefix_empty", lambda: String(5), opts={"sqlalchemy_module_prefix": ""})
_type_case("type_decorator", lambda: _Decorated(), opts={"user_module_prefix": "types."})


class _UserType(sa.types.UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "MYTYPE"


class _Decorated(sa.types.TypeDecorator[Any]):
    impl = String(20)
    cache_ok = True


class _UserArray(sa.types.UserDefinedType[Any]):
    """A user's type holding a SQLAlchemy type (Alembic's test_external_dialect.py EXT_ARRAY)."""

    cache_ok = True

    def __init__(self, item_type: Any) -> None:
        self.item_type = item_type() if isinstance(item_type, type) else item_type

    def get_col_spec(self, **kw: Any) -> str:
        return "MYARRAY"


_type_case("user_type_nested_sa_type", lambda: _UserArray(sa.DateTime(timezone=True)),
           opts={"user_module_prefix": "user."})


# --- alter_column -------------------------------------------------------------------------------
_ALTERS: dict[str, dict[str, Any]] = {
    "modify_name": {"modify_name": "newcolumnname"},
    "modify_type": {"modify_type": CHAR(10), "existing_type": CHAR(20)},
    "modify_type_schema": {"modify_type": CHAR(10), "existing_type": CHAR(20), "schema": "foo"},
    "modify_nullable": {"existing_type": Integer(), "modify_nullable": True},
    "modify_nullable_false": {"existing_type": Integer(), "modify_nullable": False},
    "modify_nullable_no_existing_type": {"modify_nullable": True},
    "modify_nullable_schema": {"existing_type": Integer(), "modify_nullable": True, "schema": "foo"},
    "modify_type_autoincrement": {"modify_type": Integer(), "existing_type": BigInteger(), "autoincrement": True},
    "modify_nullable_existing_default": {"existing_type": Integer(), "existing_server_default": "5",
                                         "modify_nullable": True},
    "modify_nullable_reflected_default": {"existing_type": Integer(),
                                          "existing_server_default": sa.DefaultClause(sa.text("5")),
                                          "modify_nullable": True},
    "modify_comment": {"modify_comment": "This is a comment"},
    "existing_comment": {"existing_comment": "This is a comment"},
    "drop_comment": {"existing_comment": "This is a comment", "modify_comment": None},
    "modify_comment_with_existing": {"existing_comment": "old", "modify_comment": "new"},
    "computed_modify_default": {"modify_server_default": sa.Computed("7")},
    "computed_existing_default": {"existing_server_default": sa.Computed("42")},
    "computed_modify_persisted": {"modify_server_default": sa.Computed("7", persisted=True)},
    "computed_modify_virtual": {"modify_server_default": sa.Computed("7", persisted=False)},
    "computed_existing_persisted": {"existing_server_default": sa.Computed("42", persisted=True)},
    "computed_existing_virtual": {"existing_server_default": sa.Computed("42", persisted=False)},
    "modify_default": {"existing_type": Integer(), "modify_server_default": "7"},
    "modify_default_text": {"existing_type": Integer(), "modify_server_default": sa.text("7")},
    "drop_default": {"existing_type": Integer(), "existing_server_default": "7", "modify_server_default": None},
    "modify_default_existing": {"existing_server_default": "5", "modify_server_default": "7"},
    "everything": {"modify_name": "n", "modify_type": String(10), "existing_type": String(5), "modify_nullable": False,
                   "existing_nullable": True, "modify_server_default": "x", "existing_server_default": "y",
                   "modify_comment": "c", "existing_comment": "d", "schema": "s"},
    "existing_nullable_only": {"existing_type": Integer(), "existing_nullable": False, "modify_comment": "c"},
    "dialect_kw": {"modify_type": Integer(), "mysql_charset": "utf8"},
    "postgresql_using": {"modify_type": Integer(), "existing_type": String(), "postgresql_using": "x::integer"},
    "enum_type": {"modify_type": sa.Enum("a", "b", name="e"), "existing_type": sa.Enum("a", name="e")},
    "pg_type": {"modify_type": postgresql.JSONB(), "existing_type": sa.JSON()},
}
for _name, _kw in _ALTERS.items():
    for _batch in (False, True):
        add(f"alter_column_{_name}{'_batch' if _batch else ''}",
            lambda ns, kw=_kw: ns.ops.AlterColumnOp("sometable", "somecolumn", **kw), batch=_batch)
    add(f"alter_column_{_name}_reversed",
        lambda ns, kw=_kw: ns.ops.AlterColumnOp("sometable", "somecolumn", **kw).reverse())


# --- render_item ----------------------------------------------------------------------------------
class _Special(Integer):
    pass


def _render_item(type_: str, obj: Any, context: Any) -> Any:
    if type_ == "foreign_key":
        return None
    if type_ == "column":
        if obj.name == "y":
            return None
        if obj.name == "q":
            return False
        return f"col({obj.name})"
    if type_ == "type" and isinstance(obj, _Special):
        context.imports.add("from mypackage import MySpecialType")
        return "MySpecialType()"
    return f"render_{type_}()"


add("render_item_table", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "t", MetaData(), Column("x", Integer), Column("y", Integer), Column("q", _Special()),
    sa.PrimaryKeyConstraint("x"), ForeignKeyConstraint(["x"], ["remote.y"]))),
    opts={"render_item": _render_item, "alembic_module_prefix": "sa."})


def _render_default(type_: str, obj: Any, context: Any) -> Any:
    if type_ == "server_default":
        return "my_default()"
    if type_ == "type" and isinstance(obj, String):
        context.imports.add("import mytypes")
        return "mytypes.Str()"
    return False


add("render_item_server_default", lambda ns: ns.ops.AddColumnOp("t", Column("x", String(5), server_default="a")),
    opts={"render_item": _render_default})
add("render_item_alter_column", lambda ns: ns.ops.AlterColumnOp(
    "t", "x", modify_type=String(5), existing_type=Integer(), modify_server_default="b"),
    opts={"render_item": _render_default})
add("render_item_unique_and_check", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "t", MetaData(), Column("x", Integer), UniqueConstraint("x", name="uq"), sa.CheckConstraint("x > 1", name="ck"))),
    opts={"render_item": lambda type_, obj, ctx: f"render_{type_}()" if type_ in ("unique", "check") else False})


# --- whole bodies: render_python_code -------------------------------------------------------------
@case()
def code_user_module_type_default(ns: Api) -> Any:
    return ns.ops.UpgradeOps(ops=[ns.ops.CreateTableOp("sometable", [Column("x", _UserType())])])


add("code_user_module_type_prefix", code_user_module_type_default, opts={"user_module_prefix": "my_module."})
add("code_foreign_key_no_context", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.CreateTableOp(
    "sometable", [Column("x", Integer), Column("q", Integer, ForeignKey("othertable.id"))])]))
add("code_array_no_context", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.CreateTableOp(
    "sometable", [Column("x", sa.ARRAY(Integer))])]))
add("code_server_default_func", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.CreateTableOp(
    "sometable", [Column("x", sa.DateTime(), server_default=sa.func.now())])]))
add("code_server_default_func_sqlite", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.CreateTableOp(
    "sometable", [Column("x", sa.DateTime(), server_default=sa.func.now())])]), dialect="sqlite")
add("code_empty", lambda ns: ns.ops.UpgradeOps(ops=[]))
add("code_empty_downgrade", lambda ns: ns.ops.DowngradeOps(ops=[]))
add("code_empty_modify_table", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.ModifyTableOps("t", ops=[])]))
for _schema in (None, "SomeSchema"):
    _sfx = "_schema" if _schema else ""
    for _batch in (False, True):
        _bsfx = "_batch" if _batch else ""
        add(f"code_create_table_comment{_sfx}{_bsfx}", lambda ns, s=_schema: ns.ops.UpgradeOps(ops=[
            ns.ops.ModifyTableOps("table_name", schema=s, ops=[
                ns.ops.CreateTableCommentOp("table_name", "comment", schema=s)])]), batch=_batch)
        add(f"code_drop_table_comment{_sfx}{_bsfx}", lambda ns, s=_schema: ns.ops.UpgradeOps(ops=[
            ns.ops.ModifyTableOps("table_name", schema=s, ops=[
                ns.ops.DropTableCommentOp("table_name", schema=s)])]), batch=_batch)
        add(f"code_modify_table_mixed{_sfx}{_bsfx}", lambda ns, s=_schema: ns.ops.UpgradeOps(ops=[
            ns.ops.ModifyTableOps("t", schema=s, ops=[
                ns.ops.AddColumnOp("t", Column("x", Integer), schema=s),
                ns.ops.AlterColumnOp("t", "y", modify_nullable=False, existing_type=String(5), schema=s),
                ns.ops.CreateIndexOp("ix_x", "t", ["x"], schema=s),
                ns.ops.DropConstraintOp("uq_y", "t", type_="unique", schema=s),
                ns.ops.CreateUniqueConstraintOp("uq_x", "t", ["x"], schema=s),
                ns.ops.CreateForeignKeyOp("fk_x", "t", "r", ["x"], ["id"], source_schema=s, referent_schema=s),
                ns.ops.DropIndexOp("ix_y", table_name="t", schema=s),
                ns.ops.DropColumnOp("t", "z", schema=s),
            ])]), batch=_batch)
        add(f"code_two_tables{_sfx}{_bsfx}", lambda ns, s=_schema: ns.ops.UpgradeOps(ops=[
            ns.ops.CreateTableOp("a", [Column("id", Integer, primary_key=True)], schema=s),
            ns.ops.ModifyTableOps("b", schema=s, ops=[ns.ops.AddColumnOp("b", Column("a_id", Integer), schema=s)]),
            ns.ops.ModifyTableOps("c", schema=s, ops=[ns.ops.DropColumnOp("c", "q", schema=s)]),
            ns.ops.DropTableOp("d", schema=s)]), batch=_batch)
add("code_unnamed_drop_constraint_batch", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.ModifyTableOps("t", ops=[
    ns.ops.DropConstraintOp(None, "t", type_="foreignkey")])]), batch=True)
add("code_alembic_prefix", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.DropTableOp("t")]),
    opts={"alembic_module_prefix": "operations."})
add("code_alembic_prefix_batch", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.ModifyTableOps("t", ops=[
    ns.ops.DropColumnOp("t", "x")])]), opts={"alembic_module_prefix": "operations."}, batch=True)


class _SchemaConstant(str):
    """A schema name given as a constant of the user's module (Alembic's test_drop_unique_constraint_schema_reprobj)."""

    def __repr__(self) -> str:
        return "foo.camel_schema"


add("code_batch_schema_reprobj", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.ModifyTableOps(
    "test", schema=_SchemaConstant("CamelSchema"), ops=[
        ns.ops.DropConstraintOp("uq_test_code", "test", type_="unique", schema=_SchemaConstant("CamelSchema"))])]),
    batch=True)
add("code_sa_prefix", lambda ns: ns.ops.UpgradeOps(ops=[ns.ops.CreateTableOp("t", [Column("x", Integer)])]),
    opts={"sqlalchemy_module_prefix": "sqla."})
add("code_execute_and_table", lambda ns: ns.ops.UpgradeOps(ops=[
    ns.ops.ExecuteSQLOp("SELECT 1"), ns.ops.DropTableOp("t")]))
add("code_reverse_into", lambda ns: ns.ops.UpgradeOps(ops=[
    ns.ops.CreateTableOp("a", [Column("id", Integer, primary_key=True)]),
    ns.ops.ModifyTableOps("b", ops=[ns.ops.AddColumnOp("b", Column("x", String(5))),
                                    ns.ops.CreateIndexOp("ix_b_x", "b", ["x"])]),
]).reverse())

CASES = corpus.cases
