"""Generic ``op.*`` calls: the forms Alembic's operation tests exercise, on every dialect."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import column, func, quoted_name, table, text

from corpus_common import Corpus

corpus = Corpus("ops")
add, case = corpus.add, corpus.case
I, S = sa.Integer, sa.String


def _account() -> Any:
    return table("account", column("name", S), column("id", I))


# --- tables -----------------------------------------------------------------------------------
add("rename_table", lambda op: op.rename_table("t1", "t2"))
add("rename_table_schema", lambda op: op.rename_table("t1", "t2", schema="foo"))
add("rename_table_quoted_schema", lambda op: op.rename_table("t1", "t2", schema=quoted_name("some.schema", quote=True)))
add("drop_table", lambda op: op.drop_table("tb_test"))
add("drop_table_schema", lambda op: op.drop_table("tb_test", schema="foo"))
add("drop_table_if_exists", lambda op: op.drop_table("tb_test", if_exists=True))
add("create_table_comment", lambda op: op.create_table_comment("some_table", "table comment"))
add("create_table_comment_schema", lambda op: op.create_table_comment("t2", "a comment", schema="foo"))
add("create_table_comment_existing", lambda op: op.create_table_comment("t2", "new", existing_comment="old"))
add("create_table_comment_quote", lambda op: op.create_table_comment("t2", "it's here"))
add("drop_table_comment", lambda op: op.drop_table_comment("some_table"))
add("drop_table_comment_schema", lambda op: op.drop_table_comment("t2", schema="foo", existing_comment="c"))
add("create_table_selfref", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("st_id", I, sa.ForeignKey("some_table.id"))))
add("create_table_check", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I), sa.CheckConstraint("foo_id>5", name="ck_1")))


@case()
def create_table_check_expr(op: Any) -> None:
    foo_id = sa.Column("foo_id", I)
    op.create_table("some_table", sa.Column("id", I, primary_key=True), foo_id, sa.CheckConstraint(foo_id > 5, name="ck_1"))


def _type_bound(kind: str, from_table: bool, convention: bool) -> Any:
    def fn(op: Any) -> None:
        from alembic.operations import ops as alembic_ops

        from limbeck.operations import ops as limbeck_ops

        coltype = (sa.Boolean(name="xyz", create_constraint=True) if kind == "boolean"
                   else sa.Enum("a", "b", name="xyz", native_enum=False, create_constraint=True))
        naming = {"ck": "ck_%(table_name)s_%(constraint_name)s"} if convention else {}
        if from_table:
            t = sa.Table("some_table", sa.MetaData(naming_convention=naming),
                         sa.Column("id", I, primary_key=True), sa.Column("x", coltype))
            ops = alembic_ops if type(op).__module__.startswith("alembic") else limbeck_ops
            op.invoke(ops.CreateTableOp.from_table(t))
        else:
            op.create_table("some_table", sa.Column("id", I, primary_key=True), sa.Column("x", coltype))
    return fn


for _kind in ("boolean", "enum"):
    for _from in (False, True):
        for _conv in (False, True):
            add(f"create_table_type_check_{_kind}_{'from_table' if _from else 'cols'}_{'nc' if _conv else 'plain'}",
                _type_bound(_kind, _from, _conv),
                opts={"target_metadata": sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})}
                if _conv else {})

add("create_table_unique_constraint", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I), sa.UniqueConstraint("foo_id", name="uq_1")))
add("create_table_unique_flag", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I, unique=True)))
add("create_table_index_flag", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I, index=True)))
add("create_table_index", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I), sa.Index("ix_1", "foo_id")))
add("create_table_fk_schema", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I, sa.ForeignKey("foo.id")), schema="schema"))
add("create_table_no_pk", lambda op: op.create_table("some_table", sa.Column("x", I), sa.Column("y", I), sa.Column("z", I)))
add("create_table_two_fk", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("foo_id", I, sa.ForeignKey("foo.id")),
    sa.Column("foo_bar", I, sa.ForeignKey("foo.bar"))))
add("create_table_if_not_exists", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), if_not_exists=True))


@case()
def create_and_drop_table_object(op: Any) -> None:
    t = sa.Table("tb_test", sa.MetaData(), sa.Column("c1", I, nullable=False))
    op.create_table(t)
    op.drop_table(t)


def _with_appended_column(fn: Any) -> Any:
    """Run ``fn`` while every Table named tbl_with_auto_appended_column gains a column (Alembic's col-event tests)."""
    def append(table: sa.Table, metadata: Any) -> None:
        if table.name == "tbl_with_auto_appended_column":
            table.append_column(sa.Column("bat", I))

    def run(op: Any) -> None:
        sa.event.listen(sa.Table, "after_parent_attach", append)
        try:
            fn(op)
        finally:
            sa.event.remove(sa.Table, "after_parent_attach", append)
    return run


add("create_index_table_col_event", _with_appended_column(
    lambda op: op.create_index("ik_test", "tbl_with_auto_appended_column", ["foo", "bar"])))
add("unique_table_col_event", _with_appended_column(
    lambda op: op.create_unique_constraint("ik_test", "tbl_with_auto_appended_column", ["foo", "bar"])))
add("create_table_col_event", _with_appended_column(
    lambda op: op.create_table("tbl_with_auto_appended_column", sa.Column("id", I, primary_key=True))))


@case()
def create_table_then_ddl_event(op: Any) -> None:
    t = sa.Table("tb_ev", sa.MetaData(), sa.Column("c1", I))
    sa.event.listen(t, "after_create", sa.DDL("CREATE INDEX ix_ev ON tb_ev (c1)"))
    sa.event.listen(t, "before_drop", sa.DDL("DELETE FROM tb_ev"))
    op.create_table(t)
    op.drop_table(t)


# --- columns ----------------------------------------------------------------------------------
add("add_column", lambda op: op.add_column("t1", sa.Column("c1", I, nullable=False)))
add("add_column_quoted_schema", lambda op: op.add_column(
    "somename", sa.Column("colname", S), schema=quoted_name("some.schema", quote=True)))
add("add_column_pk_default", lambda op: op.add_column("somename", sa.Column("colname", S, primary_key=True)))
add("add_column_pk_inline", lambda op: op.add_column(
    "somename", sa.Column("colname", S, primary_key=True), inline_primary_key=True))
add("add_column_pk_not_inline", lambda op: op.add_column(
    "somename", sa.Column("colname", S, primary_key=True), inline_primary_key=False))
add("add_column_inline_pk_no_pk", lambda op: op.add_column("somename", sa.Column("colname", S), inline_primary_key=True))
add("add_column_if_not_exists", lambda op: op.add_column("t1", sa.Column("c1", I, nullable=False), if_not_exists=True))
add("drop_column_if_exists", lambda op: op.drop_column("t1", "c1", if_exists=True))


@case()
def add_column_already_attached(op: Any) -> None:
    c1 = sa.Column("c1", I, nullable=False)
    sa.Table("t", sa.MetaData(), c1)
    op.add_column("t1", c1)


add("add_column_check", lambda op: op.add_column("t1", sa.Column("c1", I, sa.CheckConstraint("c1 > 5"), nullable=False)))
add("add_column_schema", lambda op: op.add_column("t1", sa.Column("c1", I, nullable=False), schema="foo"))
add("add_column_default", lambda op: op.add_column("t1", sa.Column("c1", I, nullable=False, server_default="12")))
add("add_column_index", lambda op: op.add_column("t1", sa.Column("c1", I, nullable=False, index=True)))
add("add_column_unique", lambda op: op.add_column("t1", sa.Column("c1", I, unique=True)))
add("add_column_schema_default", lambda op: op.add_column(
    "t1", sa.Column("c1", I, nullable=False, server_default="12"), schema="foo"))
add("add_column_fk", lambda op: op.add_column("t1", sa.Column("c1", I, sa.ForeignKey("c2.id"), nullable=False)))


def _dotted_referent() -> sa.Table:
    return sa.Table("my.user", sa.MetaData(), sa.Column("id", I, primary_key=True))


# a referred table whose name holds a dot, given as its Column (SQLAlchemy 2.1 refuses the dotted string)
add("create_table_fk_dotted_referent", lambda op: op.create_table(
    "t1", sa.Column("id", I, primary_key=True), sa.Column("user_id", I, sa.ForeignKey(_dotted_referent().c.id))))
add("add_column_fk_dotted_referent", lambda op: op.add_column(
    "t1", sa.Column("user_id", I, sa.ForeignKey(_dotted_referent().c.id))))
add("add_column_fk_inline", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("c2.id"), nullable=False), inline_references=True))
add("add_column_schema_fk", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("c2.id"), nullable=False), schema="foo"))
add("add_column_schema_fk_inline", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("c2.id"), nullable=False), schema="foo", inline_references=True))
add("add_column_boolean_check", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Boolean(create_constraint=True), nullable=False)))
add("add_column_boolean_check_schema", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Boolean(create_constraint=True), nullable=False), schema="foo"))
add("add_column_enum_check", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Enum("a", "b", name="e1", native_enum=False, create_constraint=True))))
add("add_column_fk_self", lambda op: op.add_column("t1", sa.Column("c1", I, sa.ForeignKey("t1.c2"), nullable=False)))
add("add_column_fk_self_inline", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("t1.c2"), nullable=False), inline_references=True))
add("add_column_schema_fk_self", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("foo.t1.c2"), nullable=False), schema="foo"))
add("add_column_fk_remote_schema", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("remote.t2.c2"), nullable=False)))
add("add_column_fk_remote_schema_inline", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("remote.t2.c2"), nullable=False), inline_references=True))
add("add_column_schema_fk_remote_schema", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.ForeignKey("remote.t2.c2"), nullable=False), schema="foo"))
for _i, _ref in enumerate(["MixedCase.id", "t2.MixedCase", "MixedCaseTable.MixedCaseColumn", "MixedSchema.t2.id",
                           "MixedSchema.MixedTable.MixedCol"]):
    add(f"add_column_fk_inline_quoting_{_i}", lambda op, r=_ref: op.add_column(
        "t1", sa.Column("c1", I, sa.ForeignKey(r), nullable=False), inline_references=True))
for _i, _kw in enumerate([{"ondelete": "SET NULL"}, {"onupdate": "CASCADE"}, {"ondelete": "SET NULL", "onupdate": "CASCADE"},
                          {"deferrable": True, "initially": "DEFERRED"}, {"deferrable": False}, {"match": "FULL"}]):
    add(f"add_column_fk_inline_actions_{_i}", lambda op, k=_kw: op.add_column(
        "t1", sa.Column("c1", I, sa.ForeignKey("c2.id", **k), nullable=True), inline_references=True))
    add(f"add_column_fk_actions_{_i}", lambda op, k=_kw: op.add_column(
        "t1", sa.Column("c1", I, sa.ForeignKey("c2.id", **k), nullable=True)))
add("add_column_two_fks_inline", lambda op: op.add_column("t1", sa.Column(
    "c1", I, sa.ForeignKey("t2.id"), sa.ForeignKey("t3.id"), nullable=False), inline_references=True))
add("add_column_comment", lambda op: op.add_column("t1", sa.Column("c1", I, comment="a comment")))
add("add_column_computed", lambda op: op.add_column("t1", sa.Column("c1", I, sa.Computed("foo * 5"))))
add("add_column_computed_stored", lambda op: op.add_column("t1", sa.Column("c1", I, sa.Computed("foo * 5", persisted=True))))
add("add_column_computed_virtual", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.Computed("foo * 5", persisted=False))))
add("add_column_identity", lambda op: op.add_column("t1", sa.Column("c1", I, sa.Identity())))
add("add_column_identity_args", lambda op: op.add_column(
    "t1", sa.Column("c1", I, sa.Identity(always=True, start=3, increment=2))))
add("add_column_func_default", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.DateTime, server_default=func.now())))
add("add_column_text_default", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.DateTime, server_default=text("CURRENT_TIMESTAMP"))))
add("drop_column", lambda op: op.drop_column("t1", "c1"))
add("drop_column_schema", lambda op: op.drop_column("t1", "c1", schema="foo"))

# --- alter_column -----------------------------------------------------------------------------
for _schema in (None, "foo"):
    _s = "_schema" if _schema else ""
    add(f"alter_nullable{_s}", lambda op, s=_schema: op.alter_column("t", "c", nullable=True, schema=s))
    add(f"alter_not_nullable{_s}", lambda op, s=_schema: op.alter_column("t", "c", nullable=False, schema=s))
    add(f"alter_rename{_s}", lambda op, s=_schema: op.alter_column("t", "c", new_column_name="x", schema=s))
    add(f"alter_type{_s}", lambda op, s=_schema: op.alter_column("t", "c", type_=S(50), schema=s))
    add(f"alter_set_default{_s}", lambda op, s=_schema: op.alter_column("t", "c", server_default="q", schema=s))
    add(f"alter_set_func_default{_s}", lambda op, s=_schema: op.alter_column(
        "t", "c", server_default=func.utc_thing(func.current_timestamp()), schema=s))
    add(f"alter_drop_default{_s}", lambda op, s=_schema: op.alter_column("t", "c", server_default=None, schema=s))
    add(f"alter_boolean_unnamed{_s}", lambda op, s=_schema: op.alter_column(
        "t", "c", type_=sa.Boolean(create_constraint=True), existing_nullable=False, schema=s))
    add(f"alter_boolean_named{_s}", lambda op, s=_schema: op.alter_column(
        "t", "c", type_=sa.Boolean(name="xyz", create_constraint=True), existing_nullable=False, schema=s))
    add(f"alter_from_boolean_named{_s}", lambda op, s=_schema: op.alter_column(
        "t", "c", type_=S(10), existing_type=sa.Boolean(name="xyz", create_constraint=True),
        existing_nullable=False, schema=s))
    add(f"alter_from_boolean_no_const{_s}", lambda op, s=_schema: op.alter_column(
        "t", "c", type_=S(10), existing_type=sa.Boolean(), schema=s))
    add(f"alter_nullable_existing_boolean{_s}", lambda op, s=_schema: op.alter_column(
        "t", "c", nullable=False, existing_type=sa.Boolean(), schema=s))
for _en in (True, False, None):
    add(f"alter_boolean_unnamed_existing_nullable_{_en}", lambda op, e=_en: op.alter_column(
        "t", "c", type_=sa.Boolean(create_constraint=True), existing_nullable=e))
for _pass_existing in (True, False):
    for _change_null in (True, False):
        def _type_null(op: Any, p: bool = _pass_existing, n: bool = _change_null) -> None:
            kw: dict[str, Any] = {"type_": I}
            if p:
                kw["existing_type"] = S(15)
            if n:
                kw["nullable"] = False
            op.alter_column("t", "c", **kw)
        add(f"alter_type_nullability_{_pass_existing}_{_change_null}", _type_null)
for _i, (_sd, _esd) in enumerate([(sa.Computed("foo * 5"), None), (None, sa.Computed("foo * 5")),
                                  (sa.Computed("foo * 42"), sa.Computed("foo * 5"))]):
    add(f"alter_computed_{_i}", lambda op, a=_sd, b=_esd: op.alter_column(
        "t1", "c1", server_default=a, existing_server_default=b))
for _i, (_sd, _esd) in enumerate([(sa.Identity(), None), (None, sa.Identity()), (sa.Identity(), sa.Identity())]):
    add(f"alter_identity_{_i}", lambda op, a=_sd, b=_esd: op.alter_column(
        "t1", "c1", server_default=a, existing_server_default=b))
add("alter_comment", lambda op: op.alter_column("t", "c", comment="a comment", existing_type=I))
add("alter_comment_drop", lambda op: op.alter_column("t", "c", comment=None, existing_comment="old", existing_type=I))
add("alter_comment_schema", lambda op: op.alter_column(
    "t", "c", comment="cmt", schema="foo", existing_type=I, existing_nullable=False))
add("alter_rename_and_type", lambda op: op.alter_column(
    "t", "c", new_column_name="x", type_=S(20), existing_type=S(10), existing_nullable=True))
add("alter_all", lambda op: op.alter_column(
    "t", "c", new_column_name="x", type_=S(20), nullable=False, server_default="z", existing_type=S(10)))
add("alter_autoincrement", lambda op: op.alter_column(
    "t", "c", autoincrement=True, existing_type=I, existing_nullable=False))

# --- constraints ------------------------------------------------------------------------------
add("fk", lambda op: op.create_foreign_key("fk_test", "t1", "t2", ["foo", "bar"], ["bat", "hoho"]))
add("fk_schemas", lambda op: op.create_foreign_key(
    "fk_test", "t1", "t2", ["foo", "bar"], ["bat", "hoho"], source_schema="foo2", referent_schema="bar2"))
add("fk_schemas_same_table", lambda op: op.create_foreign_key(
    "fk_test", "t1", "t1", ["foo", "bar"], ["bat", "hoho"], source_schema="foo2", referent_schema="bar2"))
for _name, _kw in [("onupdate", {"onupdate": "CASCADE"}), ("ondelete", {"ondelete": "CASCADE"}),
                   ("deferrable", {"deferrable": True}), ("not_deferrable", {"deferrable": False}),
                   ("initially", {"initially": "deferred"}), ("match", {"match": "SIMPLE"}),
                   ("ondelete_restrict_onupdate_set_null", {"ondelete": "RESTRICT", "onupdate": "SET NULL"})]:
    add(f"fk_{_name}", lambda op, k=_kw: op.create_foreign_key(
        "fk_test", "t1", "t2", ["foo", "bar"], ["bat", "hoho"], **k))
add("fk_self", lambda op: op.create_foreign_key("fk_test", "t1", "t1", ["foo"], ["bar"]))
add("fk_composite_self", lambda op: op.create_foreign_key("fk_test", "t1", "t1", ["foo", "bar"], ["bat", "bar"]))
add("fk_unnamed", lambda op: op.create_foreign_key(None, "t1", "t2", ["foo"], ["bar"]))
add("pk", lambda op: op.create_primary_key("pk_test", "t1", ["foo", "bar"]))
add("pk_schema", lambda op: op.create_primary_key("pk_test", "t1", ["foo"], schema="bar"))
add("check", lambda op: op.create_check_constraint("ck_user_name_len", "user_table", func.len(column("name")) > 5))
add("check_schema", lambda op: op.create_check_constraint(
    "ck_user_name_len", "user_table", func.len(column("name")) > 5, schema="foo"))
add("check_quoted_schema", lambda op: op.create_check_constraint(
    "ck_user_name_len", "user_table", func.len(column("name")) > 5, schema=quoted_name("some.schema", quote=True)))
add("check_text", lambda op: op.create_check_constraint("ck1", "t", "x > 5 AND y < 10"))
add("check_literal_string", lambda op: op.create_check_constraint("ck1", "t", column("name").in_(["a", "b"])))
add("unique", lambda op: op.create_unique_constraint("uk_test", "t1", ["foo", "bar"]))
add("unique_schema", lambda op: op.create_unique_constraint("uk_test", "t1", ["foo", "bar"], schema="foo"))
add("unique_deferrable", lambda op: op.create_unique_constraint(
    "uk_test", "t1", ["foo"], deferrable=True, initially="DEFERRED"))
add("unique_initially_immediate", lambda op: op.create_unique_constraint("uk_test", "t1", ["foo"], initially="IMMEDIATE"))
add("check_deferrable", lambda op: op.create_check_constraint("ck1", "t", "x > 5", deferrable=True))
add("check_not_deferrable", lambda op: op.create_check_constraint(
    "ck1", "t", "x > 5", deferrable=False, initially="IMMEDIATE"))
add("create_table_check_deferrable", lambda op: op.create_table(
    "t", sa.Column("a", I), sa.CheckConstraint("a > 0", name="ck", deferrable=True)))
add("create_table_unique_deferrable", lambda op: op.create_table(
    "t", sa.Column("a", I), sa.UniqueConstraint("a", name="uq", deferrable=True, initially="DEFERRED")))
add("create_table_unique_not_deferrable", lambda op: op.create_table(
    "t", sa.Column("a", I), sa.UniqueConstraint("a", name="uq", deferrable=False)))
add("create_table_fk_use_alter", lambda op: op.create_table(
    "t", sa.Column("id", I, primary_key=True), sa.Column("r", I),
    sa.ForeignKeyConstraint(["r"], ["other.id"], name="fk_r", use_alter=True)))
add("create_table_fk_use_alter_deferrable", lambda op: op.create_table(
    "t", sa.Column("id", I, primary_key=True), sa.Column("r", I, sa.ForeignKey("other.id", use_alter=True, deferrable=True))))
add("drop_constraint", lambda op: op.drop_constraint("foo_bar_bat", "t1"))
add("drop_constraint_schema", lambda op: op.drop_constraint("foo_bar_bat", "t1", schema="foo"))
add("drop_constraint_if_exists", lambda op: op.drop_constraint("foo_bar_bat", "t1", if_exists=True))
for _type in ("foreignkey", "unique", "check", "primary"):
    add(f"drop_constraint_{_type}", lambda op, t=_type: op.drop_constraint("foo_bar_bat", "t1", type_=t))
add("drop_constraint_legacy_positional_type", lambda op: op.drop_constraint("foo_bar_bat", "t1", "foreignkey"))

# --- indexes ----------------------------------------------------------------------------------
add("index", lambda op: op.create_index("ik_test", "t1", ["foo", "bar"]))
add("index_if_not_exists", lambda op: op.create_index("ik_test", "t1", ["foo", "bar"], if_not_exists=True))
add("index_unique", lambda op: op.create_index("ik_test", "t1", ["foo", "bar"], unique=True))
add("index_quote_flag", lambda op: op.create_index("ik_test", "t1", ["foo", "bar"], quote=True))
add("index_schema", lambda op: op.create_index("ik_test", "t1", ["foo", "bar"], schema="foo"))
add("index_func_expr", lambda op: op.create_index("name", "tname", [func.foo(column("x"))]))
add("index_quoting", lambda op: op.create_index("geocoded", "locations", ["IShouldBeQuoted"]))
add("index_text_expr", lambda op: op.create_index("geocoded", "locations", [text("lower(coordinates)")]))
add("index_mixed_expr", lambda op: op.create_index("ix", "t", ["a", text("lower(b)"), column("c").desc()]))
# a column named twice: Alembic's Table of the named columns refuses it (a stub table must not merge them)
add("index_repeated_name", lambda op: op.create_index("ix", "t", ["a", "b", "a"], schema="s1"))
add("index_repeated_text", lambda op: op.create_index("ix", "t", [text("lower(b)"), "a", text("lower(b)")]))
add("index_text_same_as_name", lambda op: op.create_index("ix", "t", ["x", text("x")]))
add("index_model_column_then_name", lambda op: op.create_index(
    "ix", "t", [sa.Table("t", sa.MetaData(), sa.Column("x", I)).c.x, "x"]))
add("index_name_then_model_column", lambda op: op.create_index(
    "ix", "t", ["x", sa.Table("t", sa.MetaData(), sa.Column("x", I)).c.x]))
add("index_expr_then_name", lambda op: op.create_index("ix", "t", [func.lower(column("x")), "x"]))
add("unique_repeated_name", lambda op: op.create_unique_constraint("uq", "t", ["a", "a"], schema="s1"))
add("primary_repeated_name", lambda op: op.create_primary_key("pk", "t", ["a", "b", "a"]))
add("fk_repeated_remote", lambda op: op.create_foreign_key("fk", "t", "r", ["a", "b"], ["c", "c"]))
add("fk_repeated_local", lambda op: op.create_foreign_key("fk", "t", "r", ["a", "a"], ["b", "c"]))
add("fk_self_repeated", lambda op: op.create_foreign_key("fk", "t", "t", ["a", "b"], ["a", "a"]))
add("fk_other_schema_repeated", lambda op: op.create_foreign_key(
    "fk", "t", "t", ["a", "b"], ["c", "c"], referent_schema="s1"))
add("drop_index", lambda op: op.drop_index("ik_test"))
add("drop_index_table", lambda op: op.drop_index("ik_test", table_name="the_table"))
add("drop_index_table_positional", lambda op: op.drop_index("ik_test", "the_table"))
add("drop_index_schema", lambda op: op.drop_index("ik_test", schema="foo"))
add("drop_index_table_schema", lambda op: op.drop_index("ik_test", table_name="t1", schema="foo"))
add("drop_index_if_exists", lambda op: op.drop_index("ik_test", if_exists=True))
# no name: Alembic names the index by the naming convention, after DropIndexOp.to_index()'s placeholder column "x"
add("drop_index_unnamed", lambda op: op.drop_index(None, table_name="t1"))
add("drop_index_unnamed_schema", lambda op: op.drop_index(None, table_name="t1", schema="foo", if_exists=True))
add("drop_index_unnamed_no_table", lambda op: op.drop_index(None))

# --- data -------------------------------------------------------------------------------------
add("execute_delete", lambda op: op.execute(_account().delete().where(_account().c.name == "account 1")))
add("execute_insert", lambda op: op.execute(_account().insert().values(name="account 1")))
add("execute_update", lambda op: op.execute(
    _account().update().where(_account().c.name == "account 1").values({"name": "account 2"})))
add("execute_str", lambda op: op.execute("SELECT 'test'"))
add("execute_text", lambda op: op.execute(text("SELECT 'test'")))
add("execute_text_bindparams", lambda op: op.execute(text("update table set foo=:bar").bindparams(bar="bat")))


@case()
def inline_literal_update(op: Any) -> None:
    account = _account()
    op.execute(account.update().where(account.c.name == op.inline_literal("account 1"))
               .values({"name": op.inline_literal("account 2")}))
    op.execute(account.update().where(account.c.id == op.inline_literal(1)).values({"id": op.inline_literal(2)}))


for _lb in (True, False):
    add(f"execute_update_literal_binds_{_lb}", lambda op: op.execute(
        _account().update().where(_account().c.name == "a").values({"name": "b"})), opts={"literal_binds": _lb})
    add(f"create_table_literal_binds_{_lb}", lambda op: op.create_table(
        "some_table", sa.Column("id", I, primary_key=True), sa.Column("st_id", I, sa.ForeignKey("some_table.id"))),
        opts={"literal_binds": _lb})


@case()
def custom_op_executes(op: Any) -> None:
    op.execute("CREATE SEQUENCE foob")
    op.execute(table("log_table", column("action", S), column("table_name", S)).insert().values(["create", "x"]))


CASES = corpus.cases

# --- found by a differential fuzz: deliberate departures, each in the README --------------------
add("add_column_inline_references_named_fk", lambda op: op.add_column(
    "t", sa.Column("x", I, sa.ForeignKey("t1.c", name="fk_1")), inline_references=True))
add("drop_column_dotted_schema", lambda op: op.drop_column("t", "c", schema="db.dbo"))
# (where the departure is; on SQLAlchemy 2.0.0 Alembic cannot render None on PostgreSQL at all)
add("create_table_comment_none", lambda op: op.create_table_comment("t", None, schema="s"),
    dialects=("mysql", "mariadb", "mssql", "oracle"))
add("create_table_fk_to_missing_column", lambda op: op.create_table(
    "t", sa.Column("id", I, primary_key=True), sa.Column("x", I, sa.ForeignKey("t.missing"))))
add("add_column_without_type", lambda op: op.add_column("t", sa.Column("c")))


@case(opts={"target_metadata": sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})})
def alter_from_unnamed_enum_check_convention_needs_name(op: Any) -> None:
    # the convention cannot name the old type's CHECK: SQLAlchemy's InvalidRequestError, as Alembic's
    op.alter_column("t", "c", type_=I(), existing_type=sa.Enum("a", "b", native_enum=False, create_constraint=True))
