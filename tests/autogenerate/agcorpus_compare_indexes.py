"""Comparison of indexes and unique constraints: the database and model pairs of Alembic's index tests.

Each case is one function building the database's tables (``model=False``)
or the models' (``model=True``); most differ in one detail.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
)
from sqlalchemy import UniqueConstraint as UQ

from .agcorpus_common import BACKENDS, CompareCorpus

corpus = CompareCorpus("compare")


pair = corpus.on


def same(id: str, *cols: Any, name: str = "nothing_changed", **kw: Any) -> None:
    """Database and models the same: nothing to report."""
    corpus.pair(id, lambda m, model: Table(name, m, *[c() for c in cols], mysql_engine="InnoDB"),
                **{"dialects": BACKENDS, **kw})


_IX_UQ = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(column_0_label)s"}
_LONG = {"ix": "index_%(table_name)s_%(column_0_label)s", "uq": "unique_%(table_name)s_%(column_0_label)s"}


def _pk(name: str = "id") -> Any:
    return lambda: Column(name, Integer, primary_key=True)


same("uq_nothing_changed_flags", lambda: Column("x", String(20), unique=True, index=True))
same("uq_nothing_changed_implicit_naming_convention", _pk("id1"), _pk("id2"),
     lambda: Column("x", String(20), unique=True), convention=_IX_UQ)
same("uq_nothing_changed_mixed_case_convention", _pk(), lambda: Column("XCol", Integer), lambda: UQ("XCol"),
     name="NothingChanged", convention=_LONG)
same("uq_nothing_changed_mixed_case_name", _pk(), lambda: Column("x", Integer), lambda: UQ("x", name="SomeConstraint"))
same("uq_nothing_changed_colkeys", lambda: Column("x", String(20), key="nx"), lambda: UQ("nx"))
same("uq_nothing_changed_cols_unsorted", _pk(), lambda: Column("sid", Integer, nullable=False),
     lambda: Column("label", String(30), nullable=False), lambda: Column("fid", Integer, nullable=False),
     lambda: UQ("sid", "label"), lambda: UQ("sid", "fid"))
same("uq_unique_index_nothing_changed", _pk(), lambda: Column("x", String(20)), lambda: Index("x", "x", unique=True),
     name="unq_idx")
same("ix_nothing_changed_flag", lambda: Column("x", String(20), index=True))
same("ix_nothing_changed_mixed_case_name", _pk(), lambda: Column("x", Integer), lambda: Index("SomeIndex", "x"))
same("ix_nothing_changed_mixed_case_convention", _pk(), lambda: Column("XCol", Integer, index=True),
     name="NothingChanged", convention=_LONG)
same("ix_nothing_changed_colkeys", lambda: Column("x", String(20), key="nx"), lambda: Index("foobar", "nx"))
same("ix_nothing_changed_named_as_column", _pk("id1"), _pk("id2"), lambda: Column("x", String(20)),
     lambda: Index("x", "x"))
same("ix_nothing_changed_multi_column", _pk(), lambda: Column("a", Integer), lambda: Column("b", String(10)),
     lambda: Index("ix_ab", "a", "b"))
same("ix_nothing_changed_unique_multi", _pk(), lambda: Column("a", Integer), lambda: Column("b", String(10)),
     lambda: Index("ix_ab", "b", "a", unique=True))
# a unique index beside a named unique constraint on the same column is an index of its own (it was
# taken for the constraint's backing index and reported as added on every run; found by a fuzz)
same("ix_uq_nothing_changed_unique_index_beside_constraint", _pk(), lambda: Column("x", Integer),
     lambda: UQ("x", name="uq_t_x"), lambda: Index("ix_t_x", "x", unique=True))


@pair("ix_uq_column_dropped_with_unique_index_beside_constraint")
def _dropped_under_both(m: MetaData, model: bool) -> None:
    cols = [Column("id", Integer, primary_key=True)]
    if not model:
        cols += [Column("x", Integer), UQ("x", name="uq_t_x"), Index("ix_t_x", "x", unique=True)]
    Table("t", m, *cols, mysql_engine="InnoDB")


# names longer than the database allows (63 on PostgreSQL, 64 on MariaDB): a convention's or a conv()
# name is cut and hashed when created, and the database's cut name is the model's (Alembic's
# test_nothing_ix_changed_labels_were_truncated, TruncatedIdxTest)
same("ix_uq_nothing_changed_names_truncated", _pk(),
     lambda: Column("a_particularly_long_column_name", String(20), index=True),
     lambda: Column("another_particularly_long_column_name", String(20), unique=True),
     lambda: Column("data", Integer),
     lambda: Index(sa.sql.elements.conv("idx_" + "data_" * 14), "data"),
     name="a_table_with_a_rather_long_name", convention=_LONG)


@pair("uq_nothing_changed_with_fk")
def _uq_with_fk(m: MetaData, model: bool) -> None:
    Table("nothing_changed", m, _pk("id1")(), _pk("id2")(), Column("x", String(20), unique=True), mysql_engine="InnoDB")
    Table("nothing_changed_related", m, Column("id1", Integer), Column("id2", Integer),
          ForeignKeyConstraint(["id1", "id2"], ["nothing_changed.id1", "nothing_changed.id2"]), mysql_engine="InnoDB")


@pair("ix_flag_becomes_named_unique_constraint")
def _flag_to_uq(m: MetaData, model: bool) -> None:
    Table("user", m, _pk()(), Column("name", String(50), nullable=False, index=not model),
          Column("a1", String(10), server_default="x"), *([UQ("name", name="uq_user_name")] if model else []))


@pair("uq_added")
def _uq_added(m: MetaData, model: bool) -> None:
    Table("address", m, _pk()(), Column("email_address", String(100), nullable=False),
          Column("qpr", String(10), index=True), *([UQ("email_address", name="uq_email_address")] if model else []))


@pair("ix_becomes_unique")
def _ix_unique(m: MetaData, model: bool) -> None:
    Table("order", m, Column("order_id", Integer, primary_key=True), Column("amount", Numeric(10, 2), nullable=True),
          Column("user_id", Integer), UQ("order_id", "user_id", name="order_order_id_user_id_unique"),
          Index("order_user_id_amount_idx", "user_id", "amount", unique=model))


@pair("uq_db_named_vs_column_flag")
def _db_named(m: MetaData, model: bool) -> None:
    if model:
        Table("item", m, Column("x", Integer, unique=True))
    else:
        Table("item", m, Column("x", Integer), UQ("x", name="db_generated_name"))


@pair("uq_named_columns_changed")
def _named_cols(m: MetaData, model: bool) -> None:
    Table("col_change", m, Column("x", Integer), Column("y", Integer), UQ("x", *(["y"] if model else []), name="nochange"))


@pair("uq_unnamed_columns_changed", dialects=("sqlite", "postgresql"))
def _unnamed_cols(m: MetaData, model: bool) -> None:
    Table("col_change", m, Column("x", Integer), Column("y", Integer), UQ("x", *(["y"] if model else [])))


@pair("uq_removed_unnamed")
def _remove_uq(m: MetaData, model: bool) -> None:
    Table("something_changed", m, _pk()(), Column("sid", Integer, nullable=False),
          Column("label", String(30), nullable=False), Column("fid", Integer, nullable=False),
          *([] if model else [UQ("sid", "label")]), UQ("sid", "fid"))


@pair("uq_casing_changed")
def _uq_casing(m: MetaData, model: bool) -> None:
    Table("new_idx", m, _pk("id1")(), Column("x", String(20)),
          UQ("x", name="somecasingconvention" if model else "SomeCasingConvention"))


@pair("uq_table_dropped")
def _drop_table_uq(m: MetaData, model: bool) -> None:
    if not model:
        Table("some_table", m, _pk()(), Column("x", String(20)), Column("y", String(20)), UQ("y", name="uq_y"))


@pair("uq_unique_index_removed")
def _remove_unique_index(m: MetaData, model: bool) -> None:
    Table("remove_idx", m, Column("x", Integer), *([] if model else [Index("xidx", "x", unique=True)]))


@pair("uq_named_removed")
def _remove_named_uq(m: MetaData, model: bool) -> None:
    Table("remove_idx", m, Column("x", Integer), *([] if model else [UQ("x", name="xidx")]))


@pair("uq_not_added_on_table_create")
def _uq_on_create(m: MetaData, model: bool) -> None:
    if model:
        Table("no_uq", m, Column("x", String(50), unique=True))


@pair("uq_not_added_on_table_drop")
def _uq_on_drop(m: MetaData, model: bool) -> None:
    if not model:
        Table("no_uq", m, Column("x", String(50), unique=True))


@pair("uq_ix_on_table_create")
def _uq_ix_create(m: MetaData, model: bool) -> None:
    if model:
        Table("add_ix", m, Column("x", String(50), unique=True, index=True))


@pair("ix_new_table")
def _ix_new_table(m: MetaData, model: bool) -> None:
    if model:
        Table("extra", m, Column("foo", Integer, index=True), Column("bar", Integer), Index("newtable_idx", "bar"))


@pair("ix_implicit_fk_index_named")
def _fk_index(m: MetaData, model: bool) -> None:
    Table("nothing_changed", m, _pk()(),
          Column("other_id", ForeignKey("nc2.id", name="fk_my_table_other_table"), nullable=False),
          Column("foo", Integer), mysql_engine="InnoDB")
    Table("nc2", m, _pk()(), mysql_engine="InnoDB")


@pair("ix_added")
def _ix_added(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), Column("y", Integer),
          *([Index("ix_t_xy", "x", "y")] if model else []))


@pair("ix_removed")
def _ix_removed(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), *([] if model else [Index("ix_t_x", "x")]))


@pair("ix_columns_changed")
def _ix_cols(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), Column("y", Integer),
          Index("ix_t", "x", *(["y"] if model else [])))


@pair("ix_becomes_unique_on_another_column")
def _ix_unique_moved(m: MetaData, model: bool) -> None:
    # the log line names the uniqueness only where Alembic's comparison stops at it (PostgreSQL)
    Table("t", m, _pk()(), Column("a", Integer), Column("b", Integer),
          Index("ix_t_a", "b" if model else "a", unique=model))


@pair("ix_column_order_changed")
def _ix_order(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), Column("y", Integer),
          Index("ix_t", *(["y", "x"] if model else ["x", "y"])))


@pair("ix_removed_changed_and_added")
def _ix_mixed(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("a", Integer), Column("b", Integer), Column("c", Integer),
          *([Index("ix_t_b", "b"), Index("ix_t_c", "c", "b"), UQ("b", "c", name="uq_t_bc")] if model else
            [UQ("a", name="uq_t_a"), Index("ix_t_b", "b"), Index("ix_t_c", "c")]))


@pair("ix_renamed")
def _ix_renamed(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), Index("ix_new" if model else "ix_old", "x"))


@pair("ix_unique_becomes_plain")
def _ix_unique_plain(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), Index("ix_t_x", "x", unique=not model))


@pair("ix_on_new_column")
def _ix_new_column(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), *([Column("x", String(20), index=True)] if model else []))


@pair("ix_on_dropped_column")
def _ix_dropped_column(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), *([] if model else [Column("x", String(20), index=True)]))


@pair("uq_on_new_column")
def _uq_new_column(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), *([Column("x", String(20)), UQ("x", name="uq_t_x")] if model else []))


@pair("uq_becomes_unique_index")
def _uq_to_index(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)),
          Index("uq_t_x", "x", unique=True) if model else UQ("x", name="uq_t_x"))


@pair("uq_unique_index_becomes_constraint")
def _index_to_uq(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)),
          UQ("x", name="uq_t_x") if model else Index("uq_t_x", "x", unique=True))


@pair("ix_and_uq_same_columns")
def _ix_and_uq(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(20)), UQ("x", name="uq_t_x"),
          *([Index("ix_t_x", "x")] if model else []))


@pair("ix_two_tables_changed")
def _two_tables(m: MetaData, model: bool) -> None:
    Table("a", m, _pk()(), Column("x", Integer), *([Index("ix_a_x", "x")] if model else []))
    Table("b", m, _pk()(), Column("y", Integer), *([] if model else [Index("ix_b_y", "y")]))


@pair("ix_quoted_names")
def _quoted(m: MetaData, model: bool) -> None:
    Table("order", m, _pk()(), Column("select", String(20)), Column("from", Integer),
          *([Index("ix_order_select", "select", "from")] if model else []))


@pair("ix_mixed_case_table_and_column")
def _mixed(m: MetaData, model: bool) -> None:
    Table("MixedTable", m, _pk()(), Column("MixedCol", Integer), *([Index("IxMixed", "MixedCol")] if model else []))


@pair("ix_naming_convention_added", convention={"ix": "ix_%(table_name)s_%(column_0_name)s"})
def _ix_convention(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", Integer, index=model))


@pair("uq_naming_convention_added", convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
def _uq_convention(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", Integer), *([UQ("x")] if model else []))


@pair("ix_dropped_with_table")
def _ix_table_drop(m: MetaData, model: bool) -> None:
    if not model:
        Table("gone", m, _pk()(), Column("x", Integer, index=True), Index("ix_gone_multi", "id", "x"))


@pair("ix_expression_added", dialects=("sqlite", "postgresql"))
def _ix_expression(m: MetaData, model: bool) -> None:
    t = Table("t", m, _pk()(), Column("x", String(20)))
    if model:
        Index("ix_lower_x", sa.func.lower(t.c.x))


@pair("ix_expression_kept", dialects=("sqlite", "postgresql"))
def _ix_expression_kept(m: MetaData, model: bool) -> None:
    t = Table("t", m, _pk()(), Column("x", String(20)))
    Index("ix_lower_x", sa.func.lower(t.c.x))


@pair("ix_expression_removed", dialects=("sqlite", "postgresql"))
def _ix_expression_removed(m: MetaData, model: bool) -> None:
    t = Table("t", m, _pk()(), Column("x", String(20)))
    if not model:
        Index("ix_lower_x", sa.func.lower(t.c.x))


@pair("ix_desc_kept", dialects=("sqlite", "postgresql"))
def _ix_desc(m: MetaData, model: bool) -> None:
    t = Table("t", m, _pk()(), Column("x", Integer))
    Index("ix_x_desc", t.c.x.desc())


@pair("ix_postgresql_where_kept", dialects=("postgresql",))
def _ix_partial(m: MetaData, model: bool) -> None:
    t = Table("t", m, _pk()(), Column("x", Integer))
    Index("ix_partial", t.c.x, postgresql_where=t.c.x > 5)


@pair("ix_postgresql_include_kept", dialects=("postgresql",))
def _ix_include(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", Integer), Column("y", Integer), Index("ix_inc", "x", postgresql_include=["y"]))


@pair("ix_postgresql_using_kept", dialects=("postgresql",))
def _ix_using(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", Integer), Index("ix_hash", "x", postgresql_using="hash"))


@pair("ix_postgresql_nulls_not_distinct", dialects=("postgresql",))
def _uq_nulls(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", Integer),
          *([UQ("x", name="uq_x", postgresql_nulls_not_distinct=True)] if model else [UQ("x", name="uq_x")]))


@pair("ix_mysql_length_kept", dialects=("mariadb",))
def _ix_length(m: MetaData, model: bool) -> None:
    Table("t", m, _pk()(), Column("x", String(200)), Index("ix_len", "x", mysql_length=10), mysql_engine="InnoDB")


@pair("ix_sqlite_where_added", dialects=("sqlite",))
def _ix_sqlite_where(m: MetaData, model: bool) -> None:
    t = Table("t", m, _pk()(), Column("x", Integer))
    if model:
        Index("ix_partial", t.c.x, sqlite_where=t.c.x > 5)


CASES = corpus.cases


# --- MySQL's own indexes for foreign keys, by Alembic's rule (found by the MariaDB autogenerate fuzz) ----
# An index MySQL may have made for a key is one named after one of its columns or after a key on them;
# limbeck also took any index on a key's columns for one, so a named index there was never dropped.
def _fk_index_tables(m: MetaData, model: bool, indexes: tuple[str, ...], unique: bool = False) -> None:
    Table("p", m, Column("id", Integer, primary_key=True), mysql_engine="InnoDB")
    t = Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer),
              ForeignKeyConstraint(["x"], ["p.id"], name="fk_x"), *([UQ("x", name="uq_x")] if unique else []),
              mysql_engine="InnoDB")
    for name in indexes:
        Index(name, t.c.x)


@pair("fk_column_named_index_removed", dialects=BACKENDS)
def _fk_ix_removed(m: MetaData, model: bool) -> None:
    _fk_index_tables(m, model, () if model else ("ix_x",), unique=True)


@pair("fk_column_named_index_renamed", dialects=BACKENDS)
def _fk_ix_renamed(m: MetaData, model: bool) -> None:
    _fk_index_tables(m, model, ("ix_x2", "ix_x_b") if model else ("ix_x", "ix_x_b"))


@pair("fk_column_named_index_table_dropped", dialects=BACKENDS)
def _fk_ix_table_dropped(m: MetaData, model: bool) -> None:
    if model:
        Table("p", m, Column("id", Integer, primary_key=True), mysql_engine="InnoDB")
    else:
        _fk_index_tables(m, model, ("ix_x",))


@pair("fk_unnamed_removed_its_index_stays", dialects=BACKENDS)
def _fk_unnamed_removed(m: MetaData, model: bool) -> None:
    Table("p", m, Column("id", Integer, primary_key=True), mysql_engine="InnoDB")
    Table("t", m, Column("id", Integer, primary_key=True),
          Column("x", Integer, *([] if model else [ForeignKey("p.id")])), mysql_engine="InnoDB")


# two unique constraints on one column: matched by name first, so the unnamed one is not taken for the
# named one (limbeck's answer once followed the set order of the table's constraints)
@pair("unique_column_and_named_unique_on_it", dialects=BACKENDS)
def _two_uniques(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("flag", sa.Boolean, nullable=False, unique=True),
          UQ("flag", name="uq_t_flag"))


def _no_unique_constraint_uq_x(name: Any, type_: str, parent_names: Any) -> bool:
    return not (type_ == "unique_constraint" and name == "uq_x")


# include_name rejecting a reflected unique constraint keeps MySQL's unique index of its name
@pair("include_name_rejects_reflected_unique", dialects=BACKENDS, opts={"include_name": _no_unique_constraint_uq_x})
def _uq_rejected(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), UQ("x", name="uq_x"))
