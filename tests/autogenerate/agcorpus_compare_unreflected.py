"""Comparison on a dialect that cannot reflect unique or check constraints.

Some external dialects (warehouses) raise ``NotImplementedError`` from
``Inspector.get_unique_constraints`` / ``get_check_constraints``. SQLAlchemy's
``MetaData.reflect`` swallows it, so the tables come back without them;
Alembic asks the inspector itself and then treats the database's unique and
check constraints as unknown (its ``NoUqReflection`` tests). These cases run
both tools on SQLite seen through such a dialect (:class:`UnreflectingSQLite`,
the dialect name stays ``sqlite``), on the same pairs that, on plain SQLite,
would add or drop constraints.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Column, Index, Integer, MetaData, String, Table, UniqueConstraint
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from .agcorpus_common import CompareCorpus

#: the corpus's name for the dialect below
UNREFLECTING = "sqlite_unreflecting"


class UnreflectingSQLite(SQLiteDialect_pysqlite):
    """SQLite whose inspector cannot report unique or check constraints, as some external dialects."""

    supports_statement_cache = True

    def get_unique_constraints(self, *args: Any, **kw: Any) -> Any:
        raise NotImplementedError()

    def get_check_constraints(self, *args: Any, **kw: Any) -> Any:
        raise NotImplementedError()


def connect() -> Any:
    """A connection to an in-memory SQLite database through :class:`UnreflectingSQLite`."""
    from sqlalchemy.dialects import registry

    registry.impls[f"sqlite.{UNREFLECTING}"] = lambda: UnreflectingSQLite
    return sa.create_engine(f"sqlite+{UNREFLECTING}://").connect()


corpus = CompareCorpus("compare")
PLUGIN = {"autogenerate_plugins": ["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"]}


def case(id: str, **kw: Any) -> Any:
    return corpus.on(f"unreflected_{id}", dialects=(UNREFLECTING,), **kw)


@case("unique_constraint_same")
def _unique_same(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), Column("y", Integer),
          UniqueConstraint("x", "y", name="uq_t_x_y"), UniqueConstraint("y"))


@case("unique_constraint_added")
def _unique_added(m: MetaData, model: bool) -> None:
    extra = [UniqueConstraint("x", name="uq_t_x"), UniqueConstraint("y")] if model else []
    Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), Column("y", Integer), *extra)


@case("unique_constraint_removed")
def _unique_removed(m: MetaData, model: bool) -> None:
    extra = [] if model else [UniqueConstraint("x", name="uq_t_x")]
    Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), *extra)


@case("unique_index_removed_plain_index_removed")
def _indexes_removed(m: MetaData, model: bool) -> None:
    t = Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), Column("y", Integer))
    if not model:
        Index("ix_t_x", t.c.x, unique=True)
        Index("ix_t_y", t.c.y)


@case("index_becomes_unique")
def _index_becomes_unique(m: MetaData, model: bool) -> None:
    t = Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer))
    Index("ix_t_x", t.c.x, unique=model)


@case("unique_constraint_named_as_index")
def _constraint_named_as_index(m: MetaData, model: bool) -> None:
    t = Table("t", m, Column("id", Integer, primary_key=True), Column("x", String(20)))
    if model:
        t.append_constraint(UniqueConstraint("x", name="x_key"))
    else:
        Index("x_key", t.c.x)


@case("table_dropped_with_indexes")
def _table_dropped(m: MetaData, model: bool) -> None:
    Table("keep", m, Column("id", Integer, primary_key=True))
    if not model:
        t = Table("gone", m, Column("id", Integer, primary_key=True), Column("x", Integer), Column("y", Integer))
        Index("ix_gone_x", t.c.x, unique=True)
        Index("ix_gone_y", t.c.y)


def _checks(model_checks: list[tuple[str, str]], db_checks: list[tuple[str, str]]) -> Any:
    def tables(m: MetaData, model: bool) -> None:
        checks = [CheckConstraint(text, name=name) for text, name in (model_checks if model else db_checks)]
        Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), *checks)
    return tables


for _opts, _suffix in (({}, ""), (PLUGIN, "_plugin")):
    case(f"check_same{_suffix}", opts=_opts)(_checks([("x > 0", "ck_t_x")], [("x > 0", "ck_t_x")]))
    case(f"check_added{_suffix}", opts=_opts)(_checks([("x > 0", "ck_t_x")], []))
    case(f"check_removed{_suffix}", opts=_opts)(_checks([], [("x > 0", "ck_t_x")]))
    case(f"check_other_condition{_suffix}", opts=_opts)(_checks([("x > 5", "ck_t_x")], [("x > 0", "ck_t_x")]))

CASES = corpus.cases
