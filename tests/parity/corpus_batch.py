"""``batch_alter_table`` blocks: the table shapes and changes Alembic's batch tests use, offline with ``copy_from``.

Each block runs with ``recreate="auto"`` (a rebuild on SQLite, ALTERs elsewhere)
and ``recreate="always"`` (a rebuild everywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import column, text

from corpus_common import Corpus

corpus = Corpus("batch")
add, case = corpus.add, corpus.case
I, S = sa.Integer, sa.String


def _t(*items: Any, name: str = "tname", schema: str | None = None, metadata: sa.MetaData | None = None) -> sa.Table:
    return sa.Table(name, metadata or sa.MetaData(), *items, schema=schema)


def _id() -> sa.Column[Any]:
    return sa.Column("id", I, primary_key=True)


FIXTURES: dict[str, Callable[[], sa.Table]] = {
    "simple": lambda: _t(_id(), sa.Column("x", S(10)), sa.Column("y", I)),
    "uq": lambda: _t(_id(), sa.Column("x", S()), sa.Column("y", I), sa.UniqueConstraint("y", name="uq1")),
    "named_ck_table": lambda: _t(_id(), sa.Column("x", S()), sa.Column("y", I), sa.CheckConstraint("y > 5", name="ck1")),
    "named_ck_col": lambda: _t(_id(), sa.Column("x", S()), sa.Column("y", I, sa.CheckConstraint("y > 5", name="ck1"))),
    "ix": lambda: _t(_id(), sa.Column("x", S()), sa.Column("y", I), sa.Index("ix1", "y")),
    "pk": lambda: _t(sa.Column("id", I), sa.Column("x", S()), sa.Column("y", I), sa.PrimaryKeyConstraint("id", name="mypk")),
    "composite_pk": lambda: _t(sa.Column("id", I), sa.Column("k", I), sa.Column("x", I),
                               sa.PrimaryKeyConstraint("id", "k", name="mypk")),
    "composite_pk_convention": lambda: _t(sa.Column("id", I, primary_key=True), sa.Column("k", I, primary_key=True),
                                          sa.Column("x", I), metadata=sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"})),
    "literal_ck": lambda: _t(_id(), sa.Column("email", S()), sa.CheckConstraint("email LIKE '%@%'")),
    "fk": lambda: _t(_id(), sa.Column("email", S()), sa.Column("user_id", I, sa.ForeignKey("user.id"))),
    "named_fk": lambda: _t(_id(), sa.Column("email", S()), sa.Column("user_id", I, sa.ForeignKey("user.id", name="ufk"))),
    "selfref_fk": lambda: _t(_id(), sa.Column("parent_id", I, sa.ForeignKey("tname.id")), sa.Column("data", S)),
    "multi_fk": lambda: _t(
        _id(), sa.Column("email", S()), sa.Column("user_id_1", I, sa.ForeignKey("user.id")),
        sa.Column("user_id_2", I, sa.ForeignKey("user.id")), sa.Column("user_id_3", I), sa.Column("user_id_version", I),
        sa.ForeignKeyConstraint(["user_id_3", "user_id_version"], ["user.id", "user.id_version"])),
    "multi_fk_schema": lambda: _t(
        _id(), sa.Column("email", S()), sa.Column("user_id_1", I, sa.ForeignKey("foo_schema.user.id")),
        sa.Column("user_id_2", I, sa.ForeignKey("foo_schema.user.id")), sa.Column("user_id_3", I),
        sa.Column("user_id_version", I),
        sa.ForeignKeyConstraint(["user_id_3", "user_id_version"], ["foo_schema.user.id", "foo_schema.user.id_version"]),
        schema="foo_schema"),
    "boolean": lambda: _t(_id(), sa.Column("flag", sa.Boolean(create_constraint=True))),
    "boolean_named": lambda: _t(_id(), sa.Column("flag", sa.Boolean(create_constraint=True, name="ck_flag"))),
    "boolean_no_ck": lambda: _t(_id(), sa.Column("flag", sa.Boolean(create_constraint=False))),
    "enum": lambda: _t(_id(), sa.Column("thing", sa.Enum("a", "b", "c", create_constraint=True, name="thing_enum"))),
    "server_default": lambda: _t(_id(), sa.Column("thing", S(), server_default="")),
    "datatypes": lambda: _t(_id(), sa.Column("data", S(50)), sa.Column("x", I), sa.Column("toj", sa.Text),
                            sa.Column("fromj", sa.JSON)),
}


def _sql_ck() -> sa.Table:
    t = _t(_id(), sa.Column("email", S()))
    t.append_constraint(sa.CheckConstraint(t.c.email.like("%@%"), name="ck_email"))
    return t


FIXTURES["sql_ck"] = _sql_ck


def _dotted_fk() -> sa.Table:
    """Alembic's test_regen_fk_dotted_referent_name: the dot is part of the referred table's name."""
    m = sa.MetaData()
    referent = sa.Table("my.user", m, sa.Column("id", I, primary_key=True))
    return _t(_id(), sa.Column("user_id", I, sa.ForeignKey(referent.c.id)), sa.Column("data", S), metadata=m)


FIXTURES["dotted_fk"] = _dotted_fk

#: (fixture, change name, what the batch does)
CHANGES: list[tuple[str, str, Callable[[Any], None]]] = [
    ("simple", "change_type", lambda b: b.alter_column("x", type_=I, existing_type=S(10))),
    ("simple", "rename_col", lambda b: b.alter_column("x", new_column_name="q", existing_type=S(10))),
    ("simple", "comment_col", lambda b: b.alter_column("x", comment="some comment", existing_type=S(10))),
    ("simple", "add_col_comment", lambda b: b.add_column(sa.Column("q", I, comment="some comment"))),
    ("simple", "add_col", lambda b: b.add_column(sa.Column("g", I))),
    ("simple", "add_col_not_null_default", lambda b: b.add_column(sa.Column("g", I, nullable=False, server_default="0"))),
    ("simple", "add_col_insert_before", lambda b: b.add_column(sa.Column("g", I), insert_before="x")),
    ("simple", "add_col_insert_before_first", lambda b: b.add_column(sa.Column("g", I), insert_before="id")),
    ("simple", "add_col_insert_after", lambda b: b.add_column(sa.Column("g", I), insert_after="x")),
    ("simple", "add_col_insert_after_last", lambda b: b.add_column(sa.Column("g", I), insert_after="y")),
    ("simple", "add_two_cols_chained", lambda b: (b.add_column(sa.Column("g", I), insert_after="id"),
                                                   b.add_column(sa.Column("h", I), insert_after="g"))),
    ("simple", "add_server_default", lambda b: b.alter_column("y", server_default="10", existing_type=I)),
    ("simple", "not_null", lambda b: b.alter_column("y", nullable=False, existing_type=I)),
    ("simple", "drop_col", lambda b: b.drop_column("x")),
    ("simple", "rename_pk_col", lambda b: b.alter_column("id", new_column_name="foobar", existing_type=I)),
    ("simple", "add_fk", lambda b: b.create_foreign_key("fk1", "user", ["y"], ["id"])),
    ("simple", "add_uq", lambda b: b.create_unique_constraint("uq1", ["y"])),
    ("simple", "add_ck", lambda b: b.create_check_constraint("ck1", "y > 5")),
    ("simple", "add_ck_unnamed_expr", lambda b: b.create_check_constraint("ck2", column("y") > 0)),
    ("simple", "create_index", lambda b: b.create_index("ix1", ["y"])),
    ("simple", "create_unique_index", lambda b: b.create_index("ix2", ["x", "y"], unique=True)),
    ("simple", "create_index_and_type", lambda b: (b.alter_column("x", type_=I, existing_type=S(10)),
                                                    b.create_index("ix_x", ["x"], unique=True))),
    ("simple", "table_comment", lambda b: b.create_table_comment("a table")),
    ("simple", "drop_table_comment", lambda b: b.drop_table_comment(existing_comment="a table")),
    ("uq", "rename_col_w_uq", lambda b: b.alter_column("y", new_column_name="q", existing_type=I)),
    ("uq", "drop_uq", lambda b: b.drop_constraint("uq1", type_="unique")),
    ("ix", "rename_col_w_index", lambda b: b.alter_column("y", new_column_name="q", existing_type=I)),
    ("ix", "drop_index", lambda b: b.drop_index("ix1")),
    ("ix", "drop_col_w_index", lambda b: b.drop_column("x")),
    ("named_ck_table", "drop_ck_table", lambda b: b.drop_constraint("ck1", type_="check")),
    ("named_ck_col", "drop_ck_col", lambda b: b.drop_constraint("ck1", type_="check")),
    ("named_ck_table", "change_type_w_ck", lambda b: b.alter_column("x", type_=S(20), existing_type=S())),
    ("pk", "drop_pk", lambda b: b.drop_constraint("mypk", type_="primary")),
    ("pk", "rename_col_named_pk", lambda b: b.alter_column("x", new_column_name="z", existing_type=S())),
    ("literal_ck", "rename_col_literal_ck", lambda b: b.alter_column("email", new_column_name="emol", existing_type=S())),
    ("sql_ck", "rename_col_sql_ck", lambda b: b.alter_column("email", new_column_name="emol", existing_type=S())),
    ("sql_ck", "change_type_sql_ck", lambda b: b.alter_column("email", type_=S(100), existing_type=S())),
    ("fk", "rename_col_fk", lambda b: b.alter_column("email", new_column_name="emol", existing_type=S())),
    ("fk", "drop_col_keep_fk", lambda b: b.drop_column("email")),
    ("named_fk", "drop_fk", lambda b: b.drop_constraint("ufk", type_="foreignkey")),
    ("selfref_fk", "drop_col_selfref", lambda b: b.drop_column("data")),
    ("multi_fk", "regen_multi_fk", lambda b: b.alter_column("email", new_column_name="emol", existing_type=S())),
    ("boolean", "rename_col_boolean", lambda b: b.alter_column("flag", new_column_name="bflag", existing_type=sa.Boolean)),
    ("boolean_named", "boolean_to_int", lambda b: b.alter_column(
        "flag", type_=I, existing_type=sa.Boolean(create_constraint=True, name="ck_flag"))),
    ("boolean_no_ck", "rename_col_boolean_no_ck", lambda b: b.alter_column(
        "flag", new_column_name="bflag", existing_type=sa.Boolean)),
    ("enum", "rename_col_enum", lambda b: b.alter_column(
        "thing", new_column_name="thang", existing_type=sa.Enum("a", "b", "c", name="thing_enum"))),
    ("server_default", "drop_server_default", lambda b: b.alter_column(
        "thing", server_default=None, existing_type=S())),
    ("datatypes", "change_types_json", lambda b: (b.alter_column("data", type_=I, existing_type=S(50)),
                                                  b.alter_column("toj", type_=sa.JSON, existing_type=sa.Text),
                                                  b.alter_column("fromj", type_=sa.Text, existing_type=sa.JSON))),
    # more of Alembic's BatchApplyTest: placement, dropped key columns, keys added with their column
    ("simple", "add_col_insert_before_middle", lambda b: b.add_column(sa.Column("g", I), insert_before="y")),
    ("simple", "add_col_insert_after_first", lambda b: b.add_column(sa.Column("g", I), insert_after="id")),
    ("simple", "add_col_placed_then_unplaced", lambda b: (b.add_column(sa.Column("g", I), insert_after="id"),
                                                          b.add_column(sa.Column("q", I)))),
    ("simple", "add_col_unplaced_then_placed", lambda b: (b.add_column(sa.Column("q", I)),
                                                          b.add_column(sa.Column("g", I), insert_after="id"))),
    ("simple", "add_col_before_another_added", lambda b: (b.add_column(sa.Column("g", I), insert_after="id"),
                                                          b.add_column(sa.Column("q", I), insert_before="g"))),
    ("simple", "drop_pk_col", lambda b: b.drop_column("id")),
    ("simple", "drop_readd_pk_col", lambda b: (b.drop_column("id"), b.add_column(sa.Column("id", I, primary_key=True)))),
    ("simple", "drop_readd_col_new_pk", lambda b: (b.drop_column("id"), b.add_column(sa.Column("id", I)),
                                                   b.create_primary_key("newpk", ["id"]))),
    ("simple", "add_col_then_fk", lambda b: (b.add_column(sa.Column("user_id", I)),
                                             b.create_foreign_key("fk1", "user", ["user_id"], ["id"]))),
    ("fk", "drop_col_w_fk", lambda b: b.drop_column("user_id")),
    ("multi_fk_schema", "regen_multi_fk_schema", lambda b: b.alter_column(
        "email", new_column_name="emol", existing_type=S())),
    ("datatypes", "int_to_boolean_named", lambda b: b.alter_column(
        "x", type_=sa.Boolean(create_constraint=True, name="ck1"), existing_type=I)),
    # add_column's inline_primary_key / inline_references, as batch_op.add_column takes them
    ("simple", "drop_readd_pk_col_inline_pk", lambda b: (b.drop_column("id"), b.add_column(
        sa.Column("id", I, primary_key=True), inline_primary_key=True))),
    ("simple", "add_pk_col_inline_pk", lambda b: b.add_column(sa.Column("q", I, primary_key=True), inline_primary_key=True)),
    ("simple", "add_pk_col_not_inline_pk", lambda b: b.add_column(
        sa.Column("q", I, primary_key=True), inline_primary_key=False)),
    ("simple", "add_fk_col_inline_references", lambda b: b.add_column(
        sa.Column("user_id", I, sa.ForeignKey("user.id")), inline_references=True)),
    ("simple", "add_fk_col_not_inline_references", lambda b: b.add_column(
        sa.Column("user_id", I, sa.ForeignKey("user.id")), inline_references=False)),
    # named constraints on a dropped column: PostgreSQL's rebuild drops them by name first, as the kept ones
    ("uq", "drop_col_w_named_uq", lambda b: b.drop_column("y")),
    ("named_fk", "drop_col_w_named_fk", lambda b: b.drop_column("user_id")),
    ("pk", "drop_named_pk_col", lambda b: b.drop_column("id")),
    ("uq", "drop_col_and_its_uq_by_name", lambda b: (b.drop_column("y"), b.drop_constraint("uq1", type_="unique"))),
    # an added primary_key=True column makes the key only where the table has none left
    ("pk", "add_pk_col_named_pk", lambda b: b.add_column(sa.Column("q", I, primary_key=True))),
    ("simple", "drop_pk_col_add_other_pk_col", lambda b: (b.drop_column("id"),
                                                          b.add_column(sa.Column("q", I, primary_key=True)))),
    ("simple", "add_pk_col_then_create_pk", lambda b: (b.add_column(sa.Column("q", I, primary_key=True)),
                                                       b.create_primary_key("newpk", ["id", "q"]))),
    ("pk", "drop_pk_then_add_pk_col", lambda b: (b.drop_constraint("mypk", type_="primary"),
                                                 b.add_column(sa.Column("q", I, primary_key=True)))),
    # the CHECK of a Boolean a column is altered to comes after the table's named constraints, as Alembic adds it
    ("named_ck_table", "alter_to_named_boolean", lambda b: b.alter_column(
        "y", type_=sa.Boolean(create_constraint=True, name="ck_yb"), existing_type=I)),
    # a constraint of a name the table has takes the old one's place among the constraints
    ("uq", "recreate_named_uq_in_place", lambda b: (b.create_check_constraint("ck_new", "y > 0"),
                                                    b.create_unique_constraint("uq1", ["x"]))),
    # a primary key that loses a column goes, with its name: the columns' flags make the key
    ("simple", "create_pk_then_drop_its_col", lambda b: (b.create_primary_key("pk2", ["id", "x"]), b.drop_column("x"))),
    ("pk", "create_pk_then_drop_its_col_named_pk", lambda b: (b.create_primary_key("pk2", ["id", "x"]),
                                                              b.drop_column("x"))),
    # PostgreSQL: the old primary key's name is dropped before the rebuild also when the new one has another
    ("pk", "create_pk_other_name", lambda b: b.create_primary_key("pk2", ["id", "x"])),
    # a referred table whose name holds a dot (SQLAlchemy 2.1 refuses its dotted target string)
    ("dotted_fk", "regen_fk_dotted_referent", lambda b: b.drop_column("data")),
]


def _block(fixture: str, change: Callable[[Any], None], recreate: str, **kw: Any) -> Callable[[Any], None]:
    def fn(op: Any) -> None:
        table = FIXTURES[fixture]()
        with op.batch_alter_table("tname", copy_from=table, recreate=recreate, schema=table.schema, **kw) as b:
            change(b)
    return fn


for _fixture, _name, _change in CHANGES:
    for _recreate in ("auto", "always"):
        add(f"{_name}_{_recreate}", _block(_fixture, _change, _recreate))

add("partial_reordering", _block("simple", lambda b: b.add_column(sa.Column("g", I)), "always",
                                  partial_reordering=[("x", "id")]))
add("partial_reordering_auto", _block("simple", lambda b: b.alter_column("x", type_=I, existing_type=S(10)), "auto",
                                       partial_reordering=[("y", "x")]))
add("table_kwargs_always", _block("simple", lambda b: b.add_column(sa.Column("g", I)), "always",
                                   table_kwargs={"sqlite_autoincrement": True}))
add("partial_reordering_added_col", _block("simple", lambda b: b.add_column(sa.Column("g", I)), "always",
                                            partial_reordering=[("id", "x", "g", "y")]))
add("table_kwargs_mysql_engine", _block("simple", lambda b: b.add_column(sa.Column("g", I)), "always",
                                        table_kwargs={"mysql_engine": "InnoDB"}))
add("literal_ck_renamed_through_table_args", lambda op: _literal_ck_workaround(op))
# the table's own primary key loses a column: it keeps its name and stays the key (Alembic's rule)
for _recreate in ("auto", "always"):
    add(f"composite_pk_drop_col_{_recreate}", _block("composite_pk", lambda b: b.drop_column("k"), _recreate))
    add(f"composite_pk_convention_drop_col_{_recreate}", _block(
        "composite_pk_convention", lambda b: b.drop_column("k"), _recreate))
    add(f"composite_pk_drop_col_add_pk_flag_{_recreate}", _block("composite_pk", lambda b: (
        b.drop_column("k"), b.add_column(sa.Column("z", I, primary_key=True))), _recreate))


def _literal_ck_workaround(op: Any) -> None:
    # Alembic's documented workaround: copy_from without the CHECK, the renamed CHECK in table_args
    with op.batch_alter_table("tname", copy_from=_t(_id(), sa.Column("email", S)),
                              table_args=[sa.CheckConstraint("emol LIKE '%@%'")]) as b:
        b.alter_column("email", new_column_name="emol", existing_type=S())


add("legacy_name_keyword_always", _block("simple", lambda b: b.alter_column("x", name="q", existing_type=S(10)), "always"))


@case()
def never_keys_and_checks(op: Any) -> None:
    # Alembic's BatchAPITest: recreate="never" passes these through as plain operations
    with op.batch_alter_table("tname", recreate="never", schema="foo") as b:
        b.create_foreign_key("myfk", "user", ["x"], ["y"])
        b.create_primary_key("pk1", ["a", "b"])
        b.create_check_constraint("ck1", text("a > b"))
        b.drop_constraint("uq1")
        b.drop_column("q")


add("table_args_ck_always", _block("simple", lambda b: b.add_column(sa.Column("g", I)), "always",
                                    table_args=(sa.CheckConstraint("y > 0", name="ck_y"),)))
# table_args' constraints, built before the batch's table, come ahead of the CHECK a Boolean makes
add("table_args_ck_before_type_ck_always", _block("boolean_named", lambda b: b.add_column(sa.Column("g", I)), "always",
                                                  table_args=(sa.CheckConstraint("id > 0", name="ck_id"),)))


@case()
def schema_drop_col_auto(op: Any) -> None:
    with op.batch_alter_table("tname", schema="s", copy_from=_t(_id(), sa.Column("x", I), schema="s")) as b:
        b.drop_column("x")


@case()
def schema_alter_always(op: Any) -> None:
    with op.batch_alter_table("tname", schema="s", recreate="always",
                              copy_from=_t(_id(), sa.Column("x", I), schema="s")) as b:
        b.alter_column("x", type_=S(5), existing_type=I)


@case()
def never_add_drop_rename(op: Any) -> None:
    with op.batch_alter_table("tname", recreate="never") as b:
        b.add_column(sa.Column("q", I))
        b.drop_column("x")
        b.alter_column("y", new_column_name="z")


@case()
def never_alter_type(op: Any) -> None:
    with op.batch_alter_table("tname", recreate="never") as b:
        b.alter_column("y", type_=S(10), existing_type=I)


@case()
def never_constraints_indexes(op: Any) -> None:
    with op.batch_alter_table("tname", recreate="never") as b:
        b.create_index("ix_a", ["a"])
        b.drop_index("ix_b")
        b.create_unique_constraint("uq_a", ["a"])


@case()
def no_copy_from_add_only(op: Any) -> None:
    with op.batch_alter_table("tname") as b:
        b.add_column(sa.Column("q", I))
        b.create_index("ix_q", ["q"])


@case()
def no_copy_from_drop_index(op: Any) -> None:
    with op.batch_alter_table("tname") as b:
        b.drop_index("ix_q")


@case()
def index_only_always_with_existing_index(op: Any) -> None:
    t = FIXTURES["simple"]()
    sa.Index("ix_data", t.c.x, unique=True)
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.drop_index("ix_data")


@case()
def drop_index_then_change_type(op: Any) -> None:
    t = FIXTURES["simple"]()
    sa.Index("ix_data", t.c.x, unique=True)
    with op.batch_alter_table("tname", copy_from=t) as b:
        b.drop_index("ix_data")
        b.alter_column("x", type_=S, existing_type=S(10))


@case()
def variant_type_rename(op: Any) -> None:
    t = _t(_id(), sa.Column("y", sa.Text().with_variant(sa.Text(10000), "mysql")))
    with op.batch_alter_table("tname", copy_from=t) as b:
        b.alter_column("y", new_column_name="q", existing_type=sa.Text().with_variant(sa.Text(10000), "mysql"))


# naming conventions: the batch names unnamed constraints from the convention
NC = {"ck": "ck_%(table_name)s_%(column_0_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
      "uq": "uq_%(table_name)s_%(column_0_name)s", "ix": "ix_%(column_0_label)s", "pk": "pk_%(table_name)s"}


def _nc_block(change: Callable[[Any], None], recreate: str = "auto") -> Callable[[Any], None]:
    def fn(op: Any) -> None:
        t = sa.Table("tname", sa.MetaData(naming_convention=NC), _id(), sa.Column("x", I), sa.Column("flag", sa.Boolean))
        with op.batch_alter_table("tname", copy_from=t, naming_convention=NC, recreate=recreate) as b:
            change(b)
    return fn


for _recreate in ("auto", "always"):
    add(f"nc_add_uq_{_recreate}", _nc_block(lambda b: b.create_unique_constraint(None, ["x"]), _recreate))
    add(f"nc_add_fk_{_recreate}", _nc_block(lambda b: b.create_foreign_key(None, "other", ["x"], ["id"]), _recreate))
    add(f"nc_add_boolean_{_recreate}", _nc_block(
        lambda b: b.add_column(sa.Column("b2", sa.Boolean(create_constraint=True))), _recreate))
    add(f"nc_add_enum_{_recreate}", _nc_block(
        lambda b: b.add_column(sa.Column("e2", sa.Enum("p", "q", native_enum=False, create_constraint=True))), _recreate))
    add(f"nc_drop_col_{_recreate}", _nc_block(lambda b: b.drop_column("x"), _recreate))

add("expression_default_always", lambda op: _expression_default(op))

# a "ck" convention naming by %(constraint_name)s: drop_constraint("ck_0") names ck_tname_ck_0, in batch mode too
CK_NAMED = {"ck": "ck_%(table_name)s_%(constraint_name)s"}


def _drop_check_named_by_convention(name: str) -> Callable[[Any], None]:
    def fn(op: Any) -> None:
        t = sa.Table("tname", sa.MetaData(naming_convention=CK_NAMED), _id(), sa.Column("x", I),
                     sa.CheckConstraint("x > 0", name="ck_0"))
        with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
            b.drop_constraint(name, type_="check")
    return fn


add("nc_drop_check_by_its_name", _drop_check_named_by_convention("ck_0"), opts={
    "target_metadata": sa.MetaData(naming_convention=CK_NAMED)})
add("nc_drop_check_by_the_full_name", _drop_check_named_by_convention("ck_tname_ck_0"), opts={
    "target_metadata": sa.MetaData(naming_convention=CK_NAMED)})
add("drop_missing_index", lambda op: _drop_missing(op, lambda b: b.drop_index("ix_nope")))
add("drop_missing_constraint", lambda op: _drop_missing(op, lambda b: b.drop_constraint("nope", type_="unique")))


def _plain_copy_with_convention(change: Callable[[Any], None]) -> Callable[[Any], None]:
    """A copy_from table without names, and a batch convention: Alembic applies it only when it reflects."""
    def fn(op: Any) -> None:
        t = _t(_id(), sa.Column("x", I, unique=True), sa.Column("y", I))
        with op.batch_alter_table("tname", copy_from=t, recreate="always", naming_convention=NC) as b:
            change(b)
    return fn


add("nc_copy_from_unnamed_stay_unnamed", _plain_copy_with_convention(lambda b: b.drop_column("y")))
add("nc_copy_from_drop_by_convention_name", _plain_copy_with_convention(
    lambda b: b.drop_constraint("uq_tname_x", type_="unique")))


def _add_marked_column(recreate: str, make: Callable[[], sa.Column[Any]]) -> Callable[[Any], None]:
    """add_column of a column carrying ForeignKey / unique=True, under the target metadata's convention."""
    def fn(op: Any) -> None:
        with op.batch_alter_table("tname", copy_from=FIXTURES["named_ck_table"](), recreate=recreate) as b:
            b.add_column(make())
            b.create_check_constraint("ck_g", "g > 0")
    return fn


# Alembic's add_column adds the column's constraints as the batch's own, named by the target
# metadata's convention, in the batch's order (a unique=True also leaves an unnamed UNIQUE)
for _recreate in ("auto", "always"):
    add(f"target_nc_add_fk_col_{_recreate}", _add_marked_column(
        _recreate, lambda: sa.Column("g", I, sa.ForeignKey("other.id"))),
        opts={"target_metadata": sa.MetaData(naming_convention=NC)})
    add(f"target_nc_add_unique_col_{_recreate}", _add_marked_column(
        _recreate, lambda: sa.Column("g", I, unique=True)),
        opts={"target_metadata": sa.MetaData(naming_convention=NC)})
    add(f"target_nc_add_boolean_col_{_recreate}", _add_marked_column(
        _recreate, lambda: sa.Column("g", sa.Boolean(create_constraint=True))),
        opts={"target_metadata": sa.MetaData(naming_convention=NC)})


@case()
def function_default_always(op: Any) -> None:
    # a server_default that is an expression, not text (it has no truth value)
    t = _t(_id(), sa.Column("ts", sa.DateTime, server_default=sa.func.now()), sa.Column("n", I))
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.alter_column("n", type_=S(10), existing_type=I)


@case()
def schema_fk_default_schema_target_always(op: Any) -> None:
    # a table in schema s whose foreign key names no schema: the target stays in the default schema
    t = _t(_id(), sa.Column("x", I, sa.ForeignKey("other.id")), schema="s")
    with op.batch_alter_table("tname", schema="s", copy_from=t, recreate="always") as b:
        b.alter_column("x", nullable=False, existing_type=I)


@case()
def identity_drop_default_always(op: Any) -> None:
    # server_default=None keeps the column's IDENTITY
    t = _t(_id(), sa.Column("n", sa.BigInteger, sa.Identity()))
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.alter_column("n", server_default=None, existing_type=sa.BigInteger)


@case()
def alter_to_same_named_enum_check_always(op: Any) -> None:
    # PostgreSQL: the old CHECK of a type the batch makes again under its name is dropped before the rebuild
    def enum() -> sa.Enum:
        return sa.Enum("a", "b", name="ck_e", native_enum=False, create_constraint=True)
    with op.batch_alter_table("tname", copy_from=_t(_id(), sa.Column("e", enum())), recreate="always") as b:
        b.alter_column("e", type_=enum(), existing_type=enum())


@case()
def computed_col_server_default_always(op: Any) -> None:
    # Alembic writes DEFAULT '7' GENERATED ALWAYS AS (id + 1), which databases reject; limbeck refuses
    t = _t(_id(), sa.Column("c", I, sa.Computed("id + 1")))
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.alter_column("c", server_default="7", existing_type=I)


@case()
def identity_col_server_default_always(op: Any) -> None:
    # Alembic silently leaves the default out of the identity column; limbeck refuses
    t = _t(_id(), sa.Column("n", sa.BigInteger, sa.Identity()))
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.alter_column("n", server_default="7", existing_type=sa.BigInteger)


@case()
def copy_from_column_index_flag_always(op: Any) -> None:
    # Column(index=True) of a copy_from table: the index is recreated (Alembic's rebuild leaves it out)
    t = _t(_id(), sa.Column("x", I, index=True), sa.Column("y", I))
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.alter_column("y", type_=S(10), existing_type=I)


def _drop_missing(op: Any, change: Callable[[Any], None]) -> None:
    with op.batch_alter_table("tname", copy_from=_t(_id(), sa.Column("x", I)), recreate="always") as b:
        change(b)


def _expression_default(op: Any) -> None:
    t = _t(_id(), sa.Column("ts", sa.DateTime, server_default=text("CURRENT_TIMESTAMP")), sa.Column("n", I))
    with op.batch_alter_table("tname", copy_from=t, recreate="always") as b:
        b.drop_column("n")


CASES = corpus.cases


# --- found by a differential fuzz: deliberate departures, each in the README --------------------
add("pk_convention_without_pk_always", lambda op: _convention_without_pk(op))
add("sqlite_autoincrement_new_pk_always", lambda op: _autoincrement_new_pk(op))

add("selfref_target_renamed_always", _block("selfref_fk", lambda b: b.alter_column("id", new_column_name="ident"),
                                          "always"))
for _recreate in ("auto", "always"):
    # two type changes of one column: the copy casts through both, as the two ALTERs would convert it
    add(f"two_type_changes_{_recreate}", _block("datatypes", lambda b: (
        b.alter_column("x", type_=sa.Float(), existing_type=I()),
        b.alter_column("x", type_=sa.Numeric(10, 2), existing_type=sa.Float())), _recreate))


def _convention_without_pk(op: Any) -> None:
    # a "pk" convention names a key the table does not have: PostgreSQL's pre-drop has nothing to drop
    table = _t(sa.Column("x", I), sa.Column("y", I), metadata=sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"}))
    with op.batch_alter_table("tname", copy_from=table, recreate="always") as b:
        b.drop_column("y")


def _autoincrement_new_pk(op: Any) -> None:
    table = sa.Table("tname", sa.MetaData(), _id(), sa.Column("g", I), sqlite_autoincrement=True)
    with op.batch_alter_table("tname", copy_from=table, recreate="always") as b:
        b.create_primary_key("pk_g", ["g"])


@case()
def never_comment_sqlite(op: Any) -> None:
    # SQLite keeps no comments: the in-place refusal is a CompileError, as Alembic's
    with op.batch_alter_table("tname", recreate="never") as b:
        b.alter_column("x", comment="a comment")
