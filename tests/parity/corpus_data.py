"""``bulk_insert``, ``execute`` and naming-convention calls, as Alembic's data and naming tests make them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import column, table, text

from corpus_common import Corpus

corpus = Corpus("data")
add, case = corpus.add, corpus.case
I, S = sa.Integer, sa.String
ROWS = [{"id": i, "v1": f"row v{i}", "v2": f"row v{i + 4}"} for i in range(1, 5)]


def _lite() -> Any:
    return table("ins_table", column("id", I), column("v1", S()), column("v2", S()))


def _big() -> sa.Table:
    return sa.Table("ins_table", sa.MetaData(), sa.Column("id", I, primary_key=True), sa.Column("v1", S()),
                    sa.Column("v2", S()))


for _multi in (True, False):
    for _lb in (True, False):
        _sfx = f"{'multi' if _multi else 'single'}_{'literal' if _lb else 'binds'}"
        add(f"bulk_rows_{_sfx}", lambda op, m=_multi: op.bulk_insert(_lite(), ROWS, multiinsert=m), opts={"literal_binds": _lb})
        add(f"bulk_one_row_{_sfx}", lambda op, m=_multi: op.bulk_insert(_lite(), ROWS[:1], multiinsert=m),
            opts={"literal_binds": _lb})
        add(f"bulk_big_table_{_sfx}", lambda op, m=_multi: op.bulk_insert(_big(), ROWS[:1], multiinsert=m),
            opts={"literal_binds": _lb})
add("bulk_no_rows", lambda op: op.bulk_insert(_lite(), []))
add("bulk_wrong_cols", lambda op: op.bulk_insert(_lite(), [{"v1": "row v1"}]))
add("bulk_unknown_col", lambda op: op.bulk_insert(_lite(), [{"id": 1, "zz": 2}]))  # Alembic: KeyError('zz') from table.c
add("bulk_not_a_list", lambda op: op.bulk_insert(_lite(), {"id": 5}))
add("bulk_tuples", lambda op: op.bulk_insert(_lite(), [(5,)]))
add("bulk_none_value", lambda op: op.bulk_insert(_lite(), [{"id": 1, "v1": None, "v2": "x"}]))
add("bulk_quote_value", lambda op: op.bulk_insert(_lite(), [{"id": 1, "v1": "it's", "v2": "a\nb"}]))


@case()
def bulk_inline_literal_custom_type(op: Any) -> None:
    class MyType(sa.types.TypeEngine[Any]):
        pass

    t = table("t", column("id", I), column("data", MyType()))
    op.bulk_insert(t, [{"id": 1, "data": op.inline_literal("d1")}, {"id": 2, "data": op.inline_literal("d2")}])


@case()
def bulk_into_new_table(op: Any) -> None:
    t = op.create_table("ins_table", sa.Column("id", I), sa.Column("v1", S()), sa.Column("v2", S()))
    op.bulk_insert(t, ROWS[:2])


@case()
def bulk_typed_values(op: Any) -> None:
    import datetime
    import decimal

    t = table("t", column("d", sa.Date), column("dt", sa.DateTime), column("n", sa.Numeric(10, 2)), column("b", sa.Boolean),
              column("f", sa.Float))
    op.bulk_insert(t, [{"d": datetime.date(2024, 5, 1), "dt": datetime.datetime(2024, 5, 1, 10, 0),
                        "n": decimal.Decimal("1.50"), "b": True, "f": 2.5}])


# op.execute() of a Table's INSERT: SQLAlchemy's key-fetching clause (RETURNING / OUTPUT inserted)
add("execute_table_insert_new_key", lambda op: op.execute(_big().insert().values(v1="a", v2="b")))
add("execute_table_insert_given_key", lambda op: op.execute(_big().insert().values(id=7, v1="a", v2="b")))
add("execute_table_insert_returning", lambda op: op.execute(_big().insert().values(v1="a").returning(_big().c.v2)))
add("execute_lite_insert", lambda op: op.execute(_lite().insert().values(id=1, v1="a")))


def _defaults() -> sa.Table:
    return sa.Table("t", sa.MetaData(), sa.Column("id", I, primary_key=True), sa.Column("v", S(10)),
                    sa.Column("n", I, default=5, onupdate=7), sa.Column("at", sa.DateTime, default=sa.func.now()))


# a column's Python-side default: SQLAlchemy fills it at execution; a script has no execution
add("bulk_scalar_default", lambda op: op.bulk_insert(_defaults(), [{"v": "a"}, {"v": "b", "n": 1}]))
add("execute_insert_scalar_default", lambda op: op.execute(_defaults().insert().values(v="a")))
add("execute_insert_explicit_none", lambda op: op.execute(_defaults().insert().values(v="a", n=None)))


@case()
def execute_update_scalar_onupdate(op: Any) -> None:
    t = _defaults()
    op.execute(t.update().where(t.c.id == 1).values(v="q"))

add("bulk_identity_mssql_style", lambda op: op.bulk_insert(_big(), [{"id": 1, "v1": "a", "v2": "b"}, {"id": 2, "v1": "c", "v2": "d"}]))
add("bulk_no_identity_value", lambda op: op.bulk_insert(_big(), [{"v1": "a", "v2": "b"}]))

# values SQLAlchemy cannot render as literals of the column's type: both refuse, with SQLAlchemy's CompileError
add("execute_insert_text_into_integer", lambda op: op.execute(
    table("t", column("id", I), column("name", S(20))).insert().values(id="plain", name="x")))
add("execute_update_int_into_string", lambda op: op.execute(
    table("t", column("id", I), column("name", S(20))).update().where(column("id") == 1).values(name=7)))

# --- naming conventions (target_metadata) ---------------------------------------------------
NC = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "ck": "ck_%(table_name)s_%(constraint_name)s",
      "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


def _nc() -> dict[str, Any]:
    return {"target_metadata": sa.MetaData(naming_convention=NC)}


add("nc_add_check", lambda op: op.create_check_constraint("foo", "user_table", column("name") != "x"), opts=_nc())
add("nc_add_check_f", lambda op: op.create_check_constraint(op.f("ck_bar_foo"), "user_table", "x > 5"), opts=_nc())
add("nc_add_check_none", lambda op: op.create_check_constraint(None, "user_table", "x > 5"), opts=_nc())
add("nc_add_unique", lambda op: op.create_unique_constraint(None, "t1", ["foo", "bar"]), opts=_nc())
add("nc_add_fk", lambda op: op.create_foreign_key(None, "t1", "t2", ["foo"], ["bat"]), opts=_nc())
add("nc_add_pk", lambda op: op.create_primary_key(None, "t1", ["foo"]), opts=_nc())
add("nc_add_index", lambda op: op.create_index(None, "t1", ["foo"]), opts=_nc())
# a text() element is a column named by its text for the convention, wherever it stands
add("nc_add_index_text", lambda op: op.create_index(None, "t1", [text("lower(name)")]), opts=_nc())
add("nc_add_index_text_first", lambda op: op.create_index(None, "t1", [text("lower(name)"), "foo"], schema="s1"),
    opts=_nc())
add("nc_add_index_expr_then_text", lambda op: op.create_index(
    None, "t1", [column("x").desc(), text("coalesce(a, 0)")], unique=True), opts=_nc())
add("nc_add_column_boolean", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Boolean(name="foo", create_constraint=True), nullable=False)), opts=_nc())
add("nc_add_column_boolean_unnamed", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Boolean(create_constraint=True), nullable=False)), opts=_nc())
add("nc_add_column_enum", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Enum("a", "b", "c", name="foo", native_enum=False, create_constraint=True))), opts=_nc())
add("nc_create_table_boolean", lambda op: op.create_table(
    "some_table", sa.Column("x", sa.Boolean(name="foo", create_constraint=True))), opts=_nc())
add("nc_create_table_check", lambda op: op.create_table(
    "some_table", sa.Column("x", I), sa.CheckConstraint("x > 5", name="foo")), opts=_nc())
add("nc_create_table_unnamed", lambda op: op.create_table(
    "some_table", sa.Column("id", I, primary_key=True), sa.Column("x", I, unique=True, index=True),
    sa.Column("y", I, sa.ForeignKey("other.id"))), opts=_nc())
add("nc_drop_constraint_f", lambda op: op.drop_constraint(op.f("uq_t1_foo"), "t1", type_="unique"), opts=_nc())
add("nc_alter_to_boolean", lambda op: op.alter_column(
    "t1", "c1", type_=sa.Boolean(name="foo", create_constraint=True), existing_type=I, existing_nullable=True),
    opts=_nc())

# Alembic's AutoNamingConventionTest forms: one convention each, string column arguments, op.f() names
def _conv(**convention: str) -> dict[str, Any]:
    return {"target_metadata": sa.MetaData(naming_convention=convention)}


CK_NAMED = {"ck": "ck_%(table_name)s_%(constraint_name)s"}
add("nc_only_ck_fixed_name_none", lambda op: op.create_check_constraint(
    None, "user_table", sa.func.len(column("name")) > 5), opts=_conv(ck="ck_%(table_name)s_foo"))
add("nc_only_uq_string_column", lambda op: op.create_unique_constraint(None, "user_table", "x"),
    opts=_conv(uq="uq_%(table_name)s_foo"))
add("nc_only_ix_string_column", lambda op: op.create_index(None, "user_table", "x"),
    opts=_conv(ix="ix_%(table_name)s_foo"))
add("nc_table_check_f", lambda op: op.create_table(
    "some_table", sa.Column("x", I), sa.CheckConstraint("im a constraint", name=op.f("ck_some_table_cc1"))),
    opts=_conv(**CK_NAMED))
add("nc_column_check", lambda op: op.create_table(
    "some_table", sa.Column("x", I, sa.CheckConstraint("im a constraint", name="cc1"))), opts=_conv(**CK_NAMED))
add("nc_column_check_f", lambda op: op.create_table(
    "some_table", sa.Column("x", I, sa.CheckConstraint("im a constraint", name=op.f("ck_q_cc1")))),
    opts=_conv(**CK_NAMED))
add("nc_add_column_boolean_f", lambda op: op.add_column(
    "t1", sa.Column("c1", sa.Boolean(name=op.f("foo"), create_constraint=True), nullable=False)), opts=_conv(**CK_NAMED))


@case(opts=_conv(**CK_NAMED))
def nc_check_named_by_another_table(op: Any) -> None:
    # the CHECK was already named by the convention of the table it was first attached to
    ck = sa.CheckConstraint("im a constraint", name="cc1")
    sa.Table("t", sa.MetaData(naming_convention=CK_NAMED), sa.Column("x"), ck)
    op.create_table("some_table", sa.Column("x", I, ck))


# --- context options ------------------------------------------------------------------------
for _name, _opts in [("transactional_ddl_on", {"transactional_ddl": True}), ("transactional_ddl_off", {"transactional_ddl": False}),
                     ("no_literal_binds", {"literal_binds": False})]:
    add(f"opts_{_name}", lambda op: (op.create_table("t", sa.Column("id", I, primary_key=True)),
                                     op.execute(_lite().insert().values(id=1, v1="a")),
                                     op.add_column("t", sa.Column("x", S(5), server_default="q"))), opts=_opts)

CASES = corpus.cases
