"""Rendering of index, constraint and table records: the forms Alembic's rendering tests exercise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from .agcorpus_common import Api, Corpus

corpus = Corpus("render")
add, case = corpus.add, corpus.case


def _t(*args: Any, **kw: Any) -> Table:
    """The table most rendering tests start from, plus whatever the case adds."""
    return Table("test", MetaData(), Column("id", Integer, primary_key=True), Column("active", sa.Boolean()),
                 Column("code", String(255)), *args, **kw)


def _with(op: Any, **attrs: Any) -> Any:
    for key, value in attrs.items():
        setattr(op, key, value)
    return op


# --- indexes ------------------------------------------------------------------------------------
def _index(*cols: Any, name: Any = "test_active_code_idx", **kw: Any) -> Callable[[Table], Index]:
    def build(t: Table) -> Index:
        return Index(name, *[t.c[c] if isinstance(c, str) else c(t) for c in cols], **kw)
    return build


def _index_case(id: str, make: Any, *, schema: str | None = None, extra: tuple[Any, ...] = (), drop: bool = False,
                reverse: bool = False, attrs: dict[str, Any] | None = None, **case_kw: Any) -> None:
    def fn(ns: Api) -> Any:
        t = _t(*[Column(*c) for c in extra], schema=schema)
        idx = make(t)
        op = (ns.ops.DropIndexOp if drop else ns.ops.CreateIndexOp).from_index(idx)
        op = _with(op, **(attrs or {}))
        return op.reverse() if reverse else op
    add(id, fn, **case_kw)


_OTHER = (("other", String(100)),)
for _drop in (False, True):
    _k = "drop_index" if _drop else "add_index"
    _index_case(f"{_k}", _index("active", "code"), drop=_drop)
    _index_case(f"{_k}_batch", _index("active", "code"), drop=_drop, batch=True)
    _index_case(f"{_k}_schema", _index("active", "code"), drop=_drop, schema="CamelSchema")
    _index_case(f"{_k}_schema_batch", _index("active", "code"), drop=_drop, schema="CamelSchema", batch=True)
    _index_case(f"{_k}_if_exists", _index("active", "code"), drop=_drop,
                attrs={"if_exists": True} if _drop else {"if_not_exists": True})
    _index_case(f"{_k}_text", _index("active", lambda t: sa.text("lower(code)")), drop=_drop)
    _index_case(f"{_k}_text_reversed", _index("active", lambda t: sa.text("lower(code)")), drop=_drop, reverse=True)
    _index_case(f"{_k}_func", _index(lambda t: sa.func.lower(t.c.code), name="test_lower_code_idx"), drop=_drop)
    _index_case(f"{_k}_func_reversed", _index(lambda t: sa.func.lower(t.c.code), name="test_lower_code_idx"),
                drop=_drop, reverse=True)
    _index_case(f"{_k}_custom_kwarg", _index("active", "code", name=None, somedialect_foobar="option"), drop=_drop)
    _index_case(f"{_k}_dialect_kwarg_columns_list",
                lambda t: Index("ix_inc", t.c.active, somedialect_include=[t.c.code]), drop=_drop)
    _index_case(f"{_k}_dialect_kwarg_columns_tuple",
                lambda t: Index("ix_inc", t.c.active, somedialect_include=(t.c.code,)), drop=_drop)
    _index_case(f"{_k}_unique", _index("code", unique=True), drop=_drop)
    _index_case(f"{_k}_postgresql_where", lambda t: Index("ix_w", t.c.code, postgresql_where=t.c.active.is_(True)),
                drop=_drop, dialect="postgresql")
    _index_case(f"{_k}_postgresql_using", lambda t: Index("ix_u", t.c.code, postgresql_using="gin"),
                drop=_drop, dialect="postgresql")
    _index_case(f"{_k}_mysql_length", lambda t: Index("ix_l", t.c.code, mysql_length=10), drop=_drop, dialect="mysql")
    _index_case(f"{_k}_conv_name", lambda t: Index(sa.sql.elements.conv("ix_conv"), t.c.code), drop=_drop)

_index_case("add_index_fn_concat", lambda t: Index("test_fn_idx", t.c.code + t.c.other), extra=_OTHER)
_index_case("add_index_label", lambda t: Index("test_fn_idx", (t.c.code + t.c.other).label("foo"), t.c.id.label("bar")),
            extra=_OTHER)
_index_case("add_index_cast", lambda t: Index("test_lower_code_idx", sa.cast(t.c.code, String)))
_index_case("add_index_desc", lambda t: Index("test_desc_code_idx", t.c.code.desc()))
_index_case("add_index_desc_postgresql", lambda t: Index("ix_d", t.c.code.desc(), t.c.id), dialect="postgresql")
_index_case("add_index_func_sqlite", _index(lambda t: sa.func.lower(t.c.code), name="ix_f"), dialect="sqlite")
_index_case("add_index_func_mysql", _index(lambda t: sa.func.lower(t.c.code), name="ix_f"), dialect="mysql")
_index_case("add_index_func_postgresql", _index(lambda t: sa.func.lower(t.c.code), name="ix_f"), dialect="postgresql")
_index_case("add_index_mixed_case_name", _index("code", name="IX_Mixed"))
_index_case("add_index_quote_in_name", _index("code", name="ix_it's"))


# --- unique, primary key, check, foreign key ------------------------------------------------------
def _uq(schema: str | None = None, name: Any = "uq_test_code", **kw: Any) -> Callable[[], UniqueConstraint]:
    def build() -> UniqueConstraint:
        t = _t(schema=schema)
        return UniqueConstraint(t.c.code, name=name, **kw)
    return build


def _constraint_case(id: str, make: Callable[[], Any], how: str = "add", attrs: dict[str, Any] | None = None,
                     **case_kw: Any) -> None:
    def fn(ns: Api) -> Any:
        constraint = make()
        op = (ns.ops.AddConstraintOp if how == "add" else ns.ops.DropConstraintOp).from_constraint(constraint)
        return _with(op, **(attrs or {}))
    add(id, fn, **case_kw)


for _how in ("add", "drop"):
    _constraint_case(f"{_how}_unique", _uq(), _how)
    _constraint_case(f"{_how}_unique_batch", _uq(), _how, batch=True)
    _constraint_case(f"{_how}_unique_schema", _uq("CamelSchema"), _how)
    _constraint_case(f"{_how}_unique_schema_batch", _uq("CamelSchema"), _how, batch=True)
    _constraint_case(f"{_how}_unique_unicode_schema", _uq("\u0411\u0435\u0437"), _how)
    _constraint_case(f"{_how}_unique_conv_name", _uq(name=sa.sql.elements.conv("uq_conv")), _how)
    _constraint_case(f"{_how}_unique_deferrable", _uq(deferrable=True, initially="DEFERRED"), _how)
_constraint_case("drop_unique_if_exists", _uq(), "drop", attrs={"if_exists": True})
_constraint_case("add_unique_unnamed", _uq(name=None))
_constraint_case("add_unique_dialect_kw", _uq(postgresql_nulls_not_distinct=True), dialect="postgresql")


def _pk(schema: str | None = None) -> Callable[[], Any]:
    def build() -> Any:
        t = Table("pkt", MetaData(), Column("a", Integer), Column("b", Integer), schema=schema)
        pk = sa.PrimaryKeyConstraint(t.c.a, t.c.b, name="pk_ab")
        t.append_constraint(pk)
        return pk
    return build


for _how in ("add", "drop"):
    _constraint_case(f"{_how}_primary_key", _pk(), _how)
    _constraint_case(f"{_how}_primary_key_schema", _pk("s"), _how)
    _constraint_case(f"{_how}_primary_key_batch", _pk(), _how, batch=True)


def _ck(condition: Any = "x > 5", name: Any = "ck_x", schema: str | None = None, **kw: Any) -> Callable[[], Any]:
    def build() -> Any:
        t = Table("ckt", MetaData(), Column("x", Integer), schema=schema)
        cond = condition(t) if callable(condition) else condition
        ck = sa.CheckConstraint(cond, name=name, **kw)
        t.append_constraint(ck)
        return ck
    return build


for _how in ("add", "drop"):
    _constraint_case(f"{_how}_check", _ck(), _how)
    _constraint_case(f"{_how}_check_schema", _ck(schema="s"), _how)
    _constraint_case(f"{_how}_check_batch", _ck(), _how, batch=True)
_constraint_case("add_check_sqlexpr", _ck(lambda t: t.c.x > 5))
_constraint_case("add_check_sqlexpr_and", _ck(lambda t: sa.and_(t.c.x > 5, t.c.x < 10)))
_constraint_case("add_check_literal_binds", _ck(lambda t: t.c.x.in_([1, 2, 3])))
_constraint_case("add_check_quotes", _ck("x != 'it''s'"))
_constraint_case("add_check_postgresql_kw", _ck(postgresql_not_valid=True), dialect="postgresql")
_constraint_case("add_check_sqlexpr_postgresql", _ck(lambda t: t.c.x > 5), dialect="postgresql")


def _fk(schema_a: str | None = None, schema_b: str | None = None, name: Any = "fk_a_id", **kw: Any) -> Callable[[], Any]:
    def build() -> Any:
        m = MetaData()
        Table("a", m, Column("id", Integer, primary_key=True), schema=schema_a)
        b = Table("b", m, Column("a_id", Integer), schema=schema_b)
        fk = ForeignKeyConstraint(["a_id"], [f"{schema_a}.a.id" if schema_a else "a.id"], name=name, **kw)
        b.append_constraint(fk)
        return fk
    return build


for _how in ("add", "drop"):
    _constraint_case(f"{_how}_fk", _fk(), _how)
    _constraint_case(f"{_how}_fk_batch", _fk(), _how, batch=True)
    _constraint_case(f"{_how}_fk_schema", _fk("CamelSchemaTwo", "CamelSchemaOne"), _how)
    _constraint_case(f"{_how}_fk_schema_batch", _fk("CamelSchemaTwo", "CamelSchemaOne"), _how, batch=True)
    _constraint_case(f"{_how}_fk_source_schema_only", _fk(None, "one"), _how)
    _constraint_case(f"{_how}_fk_referent_schema_only", _fk("two", None), _how)
for _kw in ({"onupdate": "CASCADE"}, {"ondelete": "CASCADE"}, {"deferrable": True}, {"deferrable": False},
            {"initially": "XYZ"}, {"match": "FULL"}, {"use_alter": True},
            {"initially": "XYZ", "ondelete": "CASCADE", "deferrable": True, "match": "FULL"}):
    _constraint_case("add_fk_" + "_".join(f"{k}_{v}" for k, v in _kw.items()).lower(), _fk(name=None, **_kw))
_constraint_case("add_fk_dialect_kwargs", _fk(postgresql_not_valid=True), dialect="postgresql")
_constraint_case("add_fk_conv_name", _fk(name=sa.sql.elements.conv("fk_conv")))


@case()
def add_fk_two_tables_columns(ns: Api) -> Any:
    m = MetaData()
    t1 = Table("t", m, Column("c", Integer), Column("d", Integer))
    t2 = Table("t2", m, Column("c_rem", Integer), Column("d_rem", Integer))
    return ns.ops.AddConstraintOp.from_constraint(ForeignKeyConstraint([t1.c.c, t1.c.d], [t2.c.c_rem, t2.c.d_rem]))


@case()
def add_fk_separate_colkeys(ns: Api) -> Any:
    m = MetaData()
    Table("a", m, Column("id", Integer, key="aid", primary_key=True))
    b = Table("b", m, Column("a_id", Integer, key="baid"))
    fk = ForeignKeyConstraint(["baid"], ["a.aid"], name="fk_a_id")
    b.append_constraint(fk)
    return ns.ops.AddConstraintOp.from_constraint(fk)


for _batch in (False, True):
    add(f"drop_constraint_unnamed{'_batch' if _batch else ''}",
        lambda ns: ns.ops.DropConstraintOp(None, "test", type_="foreignkey"), batch=_batch)
add("drop_constraint_no_type", lambda ns: ns.ops.DropConstraintOp("c1", "test"))
add("drop_constraint_schema_type", lambda ns: ns.ops.DropConstraintOp("c1", "test", type_="check", schema="s"))
add("drop_constraint_primary", lambda ns: ns.ops.DropConstraintOp("pk", "test", type_="primary"))


@case()
def drop_unique_schema_reprobj(ns: Api) -> Any:
    class SomeObj(str):
        def __repr__(self) -> str:
            return "foo.camel_schema"

    return ns.ops.DropConstraintOp("uq_test_code", "test", type_="unique", schema=SomeObj("CamelSchema"))


# --- the op constructors, as a hook or process_revision_directives writes them ------------------
add("ctor_create_unique", lambda ns: ns.ops.CreateUniqueConstraintOp("uq", "t", ["a", "b"], schema="s"))
add("ctor_create_pk", lambda ns: ns.ops.CreatePrimaryKeyOp("pk", "t", ["a"]))
add("ctor_create_fk", lambda ns: ns.ops.CreateForeignKeyOp("fk", "t", "r", ["a"], ["id"], ondelete="SET NULL"))
add("ctor_create_fk_schemas", lambda ns: ns.ops.CreateForeignKeyOp(
    "fk", "t", "r", ["a"], ["id"], source_schema="s1", referent_schema="s2"))
add("ctor_create_check_str", lambda ns: ns.ops.CreateCheckConstraintOp("ck", "t", "a > 1"))
add("ctor_create_check_expr", lambda ns: ns.ops.CreateCheckConstraintOp("ck", "t", sa.column("a") > 1))
add("ctor_create_index_strings", lambda ns: ns.ops.CreateIndexOp("ix", "t", ["a", "b"], unique=True, schema="s"))
add("ctor_create_index_text", lambda ns: ns.ops.CreateIndexOp("ix", "t", [sa.text("lower(a)")]))
add("ctor_drop_index_no_table", lambda ns: ns.ops.DropIndexOp("ix"))
add("ctor_drop_index_kw", lambda ns: ns.ops.DropIndexOp("ix", table_name="t", schema="s", postgresql_concurrently=True))
add("ctor_create_index_kw", lambda ns: ns.ops.CreateIndexOp("ix", "t", ["a"], postgresql_concurrently=True))
add("ctor_rename_table", lambda ns: ns.ops.RenameTableOp("a", "b"))
add("ctor_rename_table_schema", lambda ns: ns.ops.RenameTableOp("a", "b", schema="s"))
add("ctor_drop_table", lambda ns: ns.ops.DropTableOp("t", schema="s"))
add("ctor_drop_table_if_exists", lambda ns: ns.ops.DropTableOp("t", if_exists=False))
add("ctor_drop_column", lambda ns: ns.ops.DropColumnOp("t", "c"))
add("ctor_drop_column_kw", lambda ns: ns.ops.DropColumnOp("t", "c", schema="s", mssql_drop_check=True))
add("ctor_drop_column_batch", lambda ns: ns.ops.DropColumnOp("t", "c", schema="s"), batch=True)
add("ctor_add_column_batch", lambda ns: ns.ops.AddColumnOp("t", Column("c", Integer), schema="s"), batch=True)
add("ctor_execute_str", lambda ns: ns.ops.ExecuteSQLOp("UPDATE t SET x = 1"))
add("ctor_execute_quotes", lambda ns: ns.ops.ExecuteSQLOp("UPDATE t SET x = 'it''s' WHERE y = \"z\""))
add("ctor_execute_multiline", lambda ns: ns.ops.ExecuteSQLOp("UPDATE t\nSET x = 1"))
add("ctor_execute_text", lambda ns: ns.ops.ExecuteSQLOp(sa.text("UPDATE t SET x = 1")))
add("ctor_execute_prefix", lambda ns: ns.ops.ExecuteSQLOp("SELECT 1"), opts={"alembic_module_prefix": "custom."})
add("ctor_drop_table_prefix", lambda ns: ns.ops.DropTableOp("t"), opts={"alembic_module_prefix": "custom."})
add("ctor_create_table_comment", lambda ns: ns.ops.CreateTableCommentOp("t", "a comment"))
add("ctor_create_table_comment_quote", lambda ns: ns.ops.CreateTableCommentOp("t", "it's \"here\""))
add("ctor_create_table_comment_existing", lambda ns: ns.ops.CreateTableCommentOp("t", "new", existing_comment="old"))
add("ctor_create_table_comment_schema", lambda ns: ns.ops.CreateTableCommentOp("t", "c", schema="s"))
add("ctor_create_table_comment_batch", lambda ns: ns.ops.CreateTableCommentOp("t", "c", existing_comment="o",
                                                                              schema="s"), batch=True)
add("ctor_drop_table_comment", lambda ns: ns.ops.DropTableCommentOp("t"))
add("ctor_drop_table_comment_existing", lambda ns: ns.ops.DropTableCommentOp("t", existing_comment="it's"))
add("ctor_drop_table_comment_schema", lambda ns: ns.ops.DropTableCommentOp("t", schema="s", existing_comment="x"))
add("ctor_drop_table_comment_batch", lambda ns: ns.ops.DropTableCommentOp("t", existing_comment="x"), batch=True)
add("ctor_create_table_comment_reversed", lambda ns: ns.ops.CreateTableCommentOp("t", "new").reverse())
add("ctor_create_table_comment_existing_reversed",
    lambda ns: ns.ops.CreateTableCommentOp("t", "new", existing_comment="old").reverse())
add("ctor_drop_table_comment_reversed", lambda ns: ns.ops.DropTableCommentOp("t", existing_comment="old").reverse())
add("ctor_rename_table_unicode", lambda ns: ns.ops.RenameTableOp("\u0411\u0435\u0437", "b"))
# a render context built by hand, with no models (Alembic's test_sqlite.py): only env.py's must have them
add("ctor_drop_table_context_without_models", lambda ns: ns.ops.DropTableOp("t"), opts={"target_metadata": None})

CASES = corpus.cases
