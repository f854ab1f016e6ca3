"""The pieces of a checkpoint body: portable types, seeded values, what cannot be listed."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from limbeck.autogenerate.render.source import flat
from limbeck.errors import CommandError
from limbeck.squash.build import (
    UNKNOWN,
    Body,
    hidden_objects,
    portable_type,
    value_node,
)
from limbeck.squash.render import Header, checkpoint_source


class _Ctx:
    def __init__(self, dialect: sa.engine.Dialect) -> None:
        self.dialect = dialect


@pytest.mark.parametrize(
    ("dialect", "reflected", "expected"),
    [
        (sqlite.dialect(), sqlite.DATETIME(), sa.DateTime),  # SQLite writes DATETIME for both
        (sqlite.dialect(), sa.VARCHAR(32), sa.String),
        (postgresql.dialect(), postgresql.TIMESTAMP(), sa.DateTime),
        (postgresql.dialect(), postgresql.JSONB(), postgresql.JSONB),  # no generic JSONB: kept
        (mysql.dialect(), mysql.TINYINT(display_width=1), mysql.TINYINT),  # generic would be SMALLINT: kept
        (mysql.dialect(), mysql.DECIMAL(12, 2), mysql.DECIMAL),  # generic NUMERIC is written differently
    ],
)
def test_a_type_becomes_generic_only_where_its_database_writes_both_alike(
    dialect: sa.engine.Dialect, reflected: sa.types.TypeEngine[object], expected: type,
) -> None:
    assert type(portable_type(reflected, _Ctx(dialect))) is expected  # type: ignore[arg-type]


def test_seeded_values_are_written_as_python_source() -> None:
    table = sa.table("t")
    imports: set[str] = set()
    values = [1, 2.5, "x'y", True, None, b"\x00", decimal.Decimal("12.50"), datetime.datetime(2024, 1, 2, 3, 4, 5),
              datetime.date(2024, 1, 2), uuid.UUID(int=1), {"a": [1]}]
    rendered = [flat(value_node(v, table, "c", imports)) for v in values]  # type: ignore[arg-type]
    assert rendered == ["1", "2.5", '"x\'y"', "True", "None", "b'\\x00'", 'decimal.Decimal("12.50")',
                        "datetime.datetime(2024, 1, 2, 3, 4, 5)", "datetime.date(2024, 1, 2)",
                        'uuid.UUID("00000000-0000-0000-0000-000000000001")', '{"a": [1]}']
    assert imports == {"import datetime", "import decimal", "import uuid"}
    with pytest.raises(CommandError, match="table t, column c: a seeded value of type object cannot be written"):
        value_node(object(), table, "c", imports)  # type: ignore[arg-type]


def test_a_database_without_a_catalog_query_says_what_it_cannot_list() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER)")
        conn.exec_driver_sql("CREATE VIEW v AS SELECT id FROM t")
        found = hidden_objects(conn, None, "Example DB")
    assert found == [("view", "v"), (UNKNOWN, "limbeck cannot list triggers, functions or grants on Example DB")]
    header = Header("r1", "msg", ["r1"], [], "a database", datetime.datetime(2024, 1, 1), "limbeck", {})
    text = checkpoint_source(header, Body(hidden=found))
    assert "#   view v\n#   (limbeck cannot list triggers, functions or grants on Example DB: check by hand)\n" in text
