"""Comparison across schemas (PostgreSQL): ``include_schemas`` with name and object filters, system columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table

from .agcorpus_common import CompareCorpus

corpus = CompareCorpus("compare")
#: the second schema every PostgreSQL case finds (created empty before each)
OTHER = "test_schema"


def _cross(m: MetaData, model: bool) -> None:
    if model:
        Table("t3", m, Column("q", Integer))
        Table("t4", m, Column("z", Integer), schema=OTHER)
    else:
        Table("t1", m, Column("x", Integer))
        Table("t2", m, Column("y", Integer), schema=OTHER)
    Table("t6", m, Column("u", Integer))
    Table("t7", m, Column("v", Integer), schema=OTHER)


def _tables_named(*names: str) -> Any:
    def include_object(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
        return name in names if type_ == "table" else True
    return include_object


def _table_names(*names: str) -> Any:
    def include_name(name: Any, type_: str, parent_names: Any) -> bool:
        return name in names if type_ == "table" else True
    return include_name


def _schemas(*names: Any) -> Any:
    def include_name(name: Any, type_: str, parent_names: Any) -> bool:
        return name in names if type_ == "schema" else True
    return include_name


_PG = ("postgresql",)
for _id, _opts in {
    "default_schema_only_t3": {"include_object": _tables_named("t3")},
    "other_schema_only_t4": {"include_object": _tables_named("t4")},
    "default_schema_drop_t1": {"include_object": _tables_named("t1")},
    "other_schema_drop_t2": {"include_object": _tables_named("t2")},
    "by_table_name": {"include_name": _table_names("t1", "t6")},
    "default_schema_by_schema_name": {"include_name": _schemas(None)},
    "other_schema_by_schema_name": {"include_name": _schemas(OTHER)},
    # (no filter at all: two tables removed, which Alembic orders by iterating a set: it varies from run to run)
    "all_schemas_one_removal": {"include_object": _tables_named("t1", "t3", "t4", "t6", "t7")},
}.items():
    corpus.pair(f"schemas_{_id}", _cross, dialects=_PG, opts={"include_schemas": True, **_opts})
corpus.pair("schemas_not_included", _cross, dialects=_PG)


def _default_schema_named(m: MetaData, model: bool) -> None:
    Table("a", m, Column("id", Integer, primary_key=True), Column("x", String(10)),
          schema="public" if model else None)


corpus.pair("schemas_model_names_default_schema", _default_schema_named, dialects=_PG)
corpus.pair("schemas_model_names_default_schema_included", _default_schema_named, dialects=_PG,
            opts={"include_schemas": True})


def _index_in_other_schema(m: MetaData, model: bool) -> None:
    from sqlalchemy import Index, UniqueConstraint

    Table("t", m, Column("id", Integer, primary_key=True), Column("x", Integer), Column("y", Integer),
          *([Index("ix_t_x", "x"), UniqueConstraint("y", name="uq_t_y")] if model else []), schema=OTHER)


corpus.pair("schemas_index_and_unique_added", _index_in_other_schema, dialects=_PG, opts={"include_schemas": True})


def _system_column(m: MetaData, model: bool) -> None:
    Table("sometable", m, Column("id", Integer, primary_key=True),
          *([Column("xmin", Integer, system=True)] if model else []))


corpus.pair("system_column_not_added", _system_column, dialects=_PG)


def _version_table(m: MetaData, model: bool) -> None:
    if not model:
        Table("alembic_version", m, Column("version_num", String(32), primary_key=True))
    Table("t", m, Column("id", Integer, primary_key=True))


corpus.pair("version_table_not_reported", _version_table, dialects=("sqlite", "postgresql", "mariadb"))

CASES = corpus.cases
