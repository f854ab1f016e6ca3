"""Rendering under a PostgreSQL, MySQL or SQLite context: the per-database rendering tests' records."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.dialects.postgresql import ExcludeConstraint

from .agcorpus_common import Api, Corpus

corpus = Corpus("render_dialect")
add, case = corpus.add, corpus.case
PG = {"dialect": "postgresql"}


def _xy(name: str = "t") -> Table:
    return Table(name, MetaData(), Column("x", String), Column("y", String))


add("pg_index_where", lambda ns: ns.ops.CreateIndexOp.from_index(
    Index("foo_idx", (t := _xy()).c.x, t.c.y, postgresql_where=(t.c.y == "something"))), **PG)
add("pg_default_native_boolean", lambda ns: ns.ops.AddColumnOp(
    "t", Column("updated_at", sa.Boolean(), server_default=sa.false(), nullable=False)), **PG)
for _name, _type in {
    "array": lambda: postgresql.ARRAY(Integer), "array_datetime_tz": lambda: postgresql.ARRAY(DateTime(timezone=True)),
    "array_bytea_dims": lambda: postgresql.ARRAY(postgresql.BYTEA, as_tuple=True, dimensions=2),
    "hstore": postgresql.HSTORE, "hstore_string": lambda: postgresql.HSTORE(text_type=String()),
    "hstore_bytea": lambda: postgresql.HSTORE(text_type=postgresql.BYTEA()),
    "generic_array": lambda: sa.ARRAY(Integer), "generic_array_bytea": lambda: sa.ARRAY(postgresql.BYTEA,
                                                                                          as_tuple=True, dimensions=2),
    "json": postgresql.JSON, "jsonb": postgresql.JSONB,
    "domain": lambda: postgresql.DOMAIN("email", postgresql.CITEXT(), check=r"value ~ '^my_.*$'"),
    "domain_full": lambda: postgresql.DOMAIN("mydom", String(), collation="C", default="x", constraint_name="ck",
                                             not_null=True, check="value > 0", schema="myschema", create_type=False),
    "enum": lambda: postgresql.ENUM("a", "b", name="e"), "interval": lambda: postgresql.INTERVAL(precision=3),
    "timestamp_tz": lambda: postgresql.TIMESTAMP(timezone=True), "uuid": lambda: postgresql.UUID(as_uuid=False),
    "tsvector": postgresql.TSVECTOR, "citext": postgresql.CITEXT,
}.items():
    add(f"pg_type_{_name}", lambda ns, t=_type: ns.ops.AddColumnOp("t", Column("x", t())), **PG)


def _string_item(type_: str, obj: Any, ctx: Any) -> Any:
    return "foobar.MYVARCHAR" if type_ == "type" and isinstance(obj, String) else False


add("pg_array_user_inner", lambda ns: ns.ops.AddColumnOp("t", Column("x", postgresql.ARRAY(String))),
    opts={"render_item": _string_item}, **PG)
add("pg_add_exclude", lambda ns: ns.ops.AddConstraintOp.from_constraint(
    ExcludeConstraint(((t := _xy()).c.x, ">"), where=t.c.x != 2, using="gist", name="t_excl_x")), **PG)
add("pg_add_exclude_case_sensitive", lambda ns: ns.ops.AddConstraintOp.from_constraint(ExcludeConstraint(
    ((t := Table("TTAble", MetaData(), Column("XColumn", String))).c.XColumn, ">"), where=t.c.XColumn != 2,
    using="gist", name="t_excl_x")), **PG)
add("pg_inline_exclude", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "t", MetaData(), Column("x", String), Column("y", String),
    ExcludeConstraint((sa.column("x"), ">"), using="gist", where="x != 2", name="t_excl_x"))), **PG)
add("pg_inline_exclude_literal_column", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "TTable", MetaData(), Column("id", String()),
    ExcludeConstraint((sa.literal_column("id + 2"), "="), name="TExclID", using="gist"))), **PG)
add("pg_inline_exclude_text", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "TTable", MetaData(), Column("id", String()),
    ExcludeConstraint((sa.text("id + 2"), "="), name="TExclID", using="gist"))), **PG)


@case(**PG)
def pg_inline_exclude_fn(ns: Api) -> Any:
    start, end = Column("effective_time", DateTime(timezone=True)), Column("expiry_time", DateTime(timezone=True))
    t = Table("TTable", MetaData(), start, end, ExcludeConstraint((sa.func.tstzrange(start, end), "&&"), using="gist"))
    return ns.ops.CreateTableOp.from_table(t)


add("pg_drop_exclude", lambda ns: ns.ops.DropConstraintOp.from_constraint(ExcludeConstraint(
    ((t := Table("TTable", MetaData(), Column("XColumn", String))).c.XColumn, ">"), where=t.c.XColumn != 2,
    using="gist", name="t_excl_x")), **PG)
add("pg_unique_nulls_not_distinct", lambda ns: ns.ops.AddConstraintOp.from_constraint(sa.UniqueConstraint(
    _xy().c.x, name="uq_x", postgresql_nulls_not_distinct=True)), **PG)
add("pg_index_nulls_not_distinct", lambda ns: ns.ops.CreateIndexOp.from_index(Index(
    "ix_x", _xy().c.x, unique=True, postgresql_nulls_not_distinct=True)), **PG)
add("pg_index_jsonb_expression", lambda ns: ns.ops.CreateIndexOp.from_index(Index(
    "ix_j", Table("t", MetaData(), Column("j", postgresql.JSONB)).c.j["k"].astext)), **PG)
add("pg_index_expr_binary", lambda ns: ns.ops.CreateIndexOp.from_index(Index(
    "ix_b", (t := _xy()).c.x + t.c.y)), **PG)
add("pg_index_expr_unary", lambda ns: ns.ops.CreateIndexOp.from_index(Index("ix_u", _xy().c.x.desc())), **PG)
add("pg_index_expr_func", lambda ns: ns.ops.CreateIndexOp.from_index(Index("ix_f", sa.func.lower(_xy().c.x))), **PG)
add("pg_index_using_ops", lambda ns: ns.ops.CreateIndexOp.from_index(Index(
    "ix_ops", _xy().c.x, postgresql_using="gin", postgresql_ops={"x": "gin_trgm_ops"})), **PG)
add("pg_index_concurrently", lambda ns: ns.ops.CreateIndexOp.from_index(Index(
    "ix_c", _xy().c.x, postgresql_concurrently=True)), **PG)
add("pg_identity_column", lambda ns: ns.ops.AddColumnOp("t", Column("id", Integer, sa.Identity(start=3))), **PG)

# --- MySQL ----------------------------------------------------------------------------------------
MY = {"dialect": "mysql"}
add("mysql_index_expr_binary", lambda ns: ns.ops.CreateIndexOp.from_index(Index("ix_b", (t := _xy()).c.x + t.c.y)),
    **MY)
add("mysql_index_expr_unary", lambda ns: ns.ops.CreateIndexOp.from_index(Index("ix_u", -Table(
    "t", MetaData(), Column("n", Integer)).c.n)), **MY)
add("mysql_index_expr_desc", lambda ns: ns.ops.CreateIndexOp.from_index(Index("ix_d", _xy().c.x.desc())), **MY)
add("mysql_index_expr_func", lambda ns: ns.ops.CreateIndexOp.from_index(Index("ix_f", sa.func.lower(_xy().c.x))), **MY)
add("mysql_index_text", lambda ns: ns.ops.CreateIndexOp("ix_t", "t", [sa.text("lower(x)")]), **MY)
add("mysql_type_varchar", lambda ns: ns.ops.AddColumnOp("t", Column("x", mysql.VARCHAR(20, charset="utf8"))), **MY)
add("mysql_type_integer_unsigned", lambda ns: ns.ops.AddColumnOp("t", Column("x", mysql.INTEGER(unsigned=True))),
    **MY)
add("mysql_default_current_timestamp", lambda ns: ns.ops.AddColumnOp("t", Column(
    "x", mysql.TIMESTAMP(), server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"))), **MY)
add("mysql_autoinc_false", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "t", MetaData(), Column("id", Integer, primary_key=True, autoincrement=False), mysql_engine="InnoDB")), **MY)

# --- SQLite ---------------------------------------------------------------------------------------
SL = {"dialect": "sqlite"}
for _name, _default in {
    "expr": lambda: sa.func.datetime("now", "localtime"), "text_expr": lambda: sa.text("datetime('now', 'localtime')"),
    "const": lambda: sa.text("5"), "const_two_digits": lambda: sa.text("42"), "quoted": lambda: sa.text("'x'"),
    "parenthesized": lambda: sa.text("(1 + 2)"), "string": lambda: "abc", "literal": lambda: sa.literal_column("3.5"),
}.items():
    add(f"sqlite_default_{_name}", lambda ns, d=_default: ns.ops.AddColumnOp(
        "t", Column("x", sa.Integer, server_default=d())), **SL)
add("sqlite_add_column_on_conflict", lambda ns: ns.ops.AddColumnOp(
    "t", Column("x", Integer, sqlite_on_conflict_not_null="FAIL", nullable=False)), **SL)
add("sqlite_table_autoincrement", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "t", MetaData(), Column("id", Integer, primary_key=True), sqlite_autoincrement=True)), **SL)

# --- naming conventions: names a convention gives are written op.f(...) ---------------------------
def _convention() -> MetaData:
    return MetaData(naming_convention={
        "ix": "ix_%(custom)s_%(column_0_label)s", "uq": "uq_%(custom)s_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(custom)s_%(table_name)s", "fk": "fk_%(custom)s_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(custom)s_%(table_name)s", "custom": lambda const, table: "ct",
    })


def _nc_table(*args: Any, **kw: Any) -> Table:
    return Table("test", _convention(), Column("id", Integer, primary_key=True), Column("active", sa.Boolean()),
                 Column("code", String(255)), *args, **kw)


for _kind in ("boolean", "enum"):
    for _conv in ("custom", "constraint_name"):
        def _type_bound(ns: Api, kind: str = _kind, conv: str = _conv) -> Any:
            m = _convention() if conv == "custom" else MetaData(naming_convention={
                "ck": "ck_%(table_name)s_%(constraint_name)s"})
            coltype = (sa.Boolean(name="xyz", create_constraint=True) if kind == "boolean"
                       else sa.Enum("a", "b", name="xyz", native_enum=False, create_constraint=True))
            return ns.ops.CreateTableOp.from_table(Table("t", m, Column("c", coltype)))
        add(f"nc_type_bound_check_{_kind}_{_conv}", _type_bound, **PG)
add("nc_schema_type_boolean", lambda ns: ns.ops.AddColumnOp.from_column(
    Table("t", _convention(), Column("c", sa.Boolean(name="xyz"))).c.c), **PG)
add("nc_explicit_unique", lambda ns: ns.ops.CreateTableOp.from_table(
    Table("t", _convention(), Column("c", Integer), sa.UniqueConstraint("c", deferrable=True))), **PG)
add("nc_explicit_named_unique", lambda ns: ns.ops.CreateTableOp.from_table(
    Table("t", _convention(), Column("c", Integer), sa.UniqueConstraint("c", name="q"))), **PG)
add("nc_add_index", lambda ns: ns.ops.CreateIndexOp.from_index(Index(None, (t := _nc_table()).c.active, t.c.code)),
    **PG)
add("nc_drop_index", lambda ns: ns.ops.DropIndexOp.from_index(Index(None, (t := _nc_table()).c.active, t.c.code)),
    **PG)
add("nc_add_index_schema", lambda ns: ns.ops.CreateIndexOp.from_index(Index(
    None, (t := _nc_table(schema="CamelSchema")).c.active, t.c.code)), **PG)
add("nc_implicit_unique", lambda ns: ns.ops.CreateTableOp.from_table(
    Table("t", _convention(), Column("c", Integer, unique=True))), **PG)
add("nc_add_implicit_unique", lambda ns: ns.ops.AddConstraintOp.from_constraint(next(
    c for c in Table("t", _convention(), Column("c", Integer, unique=True)).constraints
    if isinstance(c, sa.UniqueConstraint))), **PG)
add("nc_inline_pk", lambda ns: ns.ops.CreateTableOp.from_table(
    Table("t", _convention(), Column("c", Integer, primary_key=True))), **PG)
add("nc_inline_check", lambda ns: ns.ops.CreateTableOp.from_table(
    Table("t", _convention(), Column("c", Integer), sa.CheckConstraint("c > 5"))), **PG)
add("nc_inline_fk", lambda ns: ns.ops.CreateTableOp.from_table(
    Table("t", _convention(), Column("c", Integer, sa.ForeignKey("q.id")))), **PG)
add("nc_added_fk", lambda ns: ns.ops.AddConstraintOp.from_constraint(next(iter(
    Table("t", _convention(), Column("c", Integer, sa.ForeignKey("q.id"))).foreign_key_constraints))), **PG)
add("nc_check_renamed", lambda ns: ns.ops.CreateTableOp.from_table(Table(
    "t", MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"}), Column("x", Integer),
    sa.CheckConstraint("im a constraint", name="cc1"))), **PG)
add("nc_add_check_renamed", lambda ns: ns.ops.AddConstraintOp.from_constraint(next(
    c for c in Table("t", MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"}),
                     Column("x", Integer), sa.CheckConstraint("x > 1", name="cc1")).constraints
    if isinstance(c, sa.CheckConstraint))), **PG)
add("nc_create_table_plus_index_batch", lambda ns: ns.ops.UpgradeOps(ops=[
    ns.ops.CreateTableOp("sometable", [Column("x", Integer), Column("y", Integer)]),
    ns.ops.ModifyTableOps("sometable", ops=[ns.ops.CreateIndexOp("ix1", "sometable", ["x", "y"])])]), batch=True)

CASES = corpus.cases
