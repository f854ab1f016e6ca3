"""Offline literals SQLAlchemy cannot render (or renders wrongly), per dialect, and values no literal can hold."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.runtime.literals import LiteralValueError
from limbeck.testing import compile_ops

SIX = ["sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle"]
TZ = datetime.timezone(datetime.timedelta(hours=2))

#: (column type, value) -> the literal per dialect; "*" for every dialect not listed
CASES: list[tuple[str, Any, Any, dict[str, str]]] = [
    ("json", sa.JSON(), {"a": [1, "x'y"]}, {"*": "'{\"a\": [1, \"x''y\"]}'"}),
    ("bytes", sa.LargeBinary(), b"\x00\x01'", {
        "*": "X'000127'", "postgresql": "decode('000127', 'hex')", "mssql": "0x000127", "oracle": "HEXTORAW('000127')",
    }),
    ("interval", sa.Interval(), datetime.timedelta(days=1, seconds=5), {
        "*": "'1970-01-02 00:00:05'", "sqlite": "'1970-01-02 00:00:05.000000'",
        "postgresql": "make_interval(secs=>86405.0)", "oracle": "NUMTODSINTERVAL(86405.0, 'SECOND')",
    }),
    ("datetime", sa.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5, 6), {
        "*": "'2024-01-02 03:04:05.000006'", "mssql": "CAST('2024-01-02 03:04:05.000006' AS DATETIME2)",
        "oracle": "TO_TIMESTAMP('2024-01-02 03:04:05.000006', 'YYYY-MM-DD HH24:MI:SS.FF')",
    }),
    ("datetimetz", sa.DateTime(timezone=True), datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TZ), {
        "*": "'2024-01-02 03:04:05+02:00'", "sqlite": "'2024-01-02 03:04:05.000000'",
        "oracle": "TO_TIMESTAMP_TZ('2024-01-02 03:04:05.000000 +02:00', 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM')",
        # the wall-clock time the drivers send (MariaDB refuses the offset, MySQL would shift it)
        "mysql": "'2024-01-02 03:04:05'", "mariadb": "'2024-01-02 03:04:05'",
        # converted as psycopg's timestamptz parameter is (a plain string loses its offset in a timestamp)
        "postgresql": "CAST('2024-01-02 03:04:05+02:00' AS TIMESTAMP WITH TIME ZONE)",
    }),
    ("date", sa.Date(), datetime.date(2024, 1, 2), {"*": "'2024-01-02'", "oracle": "TO_DATE('2024-01-02', 'YYYY-MM-DD')"}),
    # a datetime in a date column: SQLAlchemy's (Alembic's) date literal, not a timestamp
    ("datetime_in_date", sa.Date(), datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TZ), {
        "*": "'2024-01-02'", "oracle": "TO_DATE('2024-01-02', 'YYYY-MM-DD')"}),
    # what SQLAlchemy sends online for JSON.NULL (the symbol is an int: json.dumps gave its hash)
    ("json_null", sa.JSON(), sa.JSON.NULL, {"*": "'null'"}),
    ("uuid", sa.Uuid(), uuid.UUID(int=5), {
        "*": "'00000000000000000000000000000005'", "postgresql": "'00000000-0000-0000-0000-000000000005'",
        "mssql": "'00000000-0000-0000-0000-000000000005'",
    }),
    ("decimal", sa.Numeric(10, 2), decimal.Decimal("1.50"), {"*": "1.50"}),
    ("boolean", sa.Boolean(), True, {"*": "1", "postgresql": "true", "mysql": "true", "mariadb": "true"}),
]


def inserted(dialect: str, table: Any, row: dict[str, Any]) -> str:
    sql = compile_ops(dialect, lambda op: op.bulk_insert(table, [row]))
    (line,) = [l for l in sql.splitlines() if l.startswith(f"INSERT INTO {table.name} ")]
    return line.split(" VALUES (", 1)[1].rstrip(";")[:-1]


@pytest.mark.parametrize("dialect", SIX)
@pytest.mark.parametrize("name, type_, value, expected", CASES, ids=[c[0] for c in CASES])
def test_typed_literal(dialect: str, name: str, type_: Any, value: Any, expected: dict[str, str]) -> None:
    table = sa.table("t", sa.column(name, type_))
    assert inserted(dialect, table, {name: value}) == expected.get(dialect, expected["*"])


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_untyped_columns_take_the_type_of_the_value(dialect: str) -> None:
    table = sa.table("t", sa.column("b"), sa.column("iv"), sa.column("u"))
    row = {"b": b"\x01", "iv": datetime.timedelta(days=1), "u": uuid.UUID(int=1)}
    text = inserted(dialect, table, row)
    if dialect == "postgresql":
        assert text == "decode('01', 'hex'), make_interval(secs=>86400.0), '00000000-0000-0000-0000-000000000001'"
    else:
        assert text == "X'01', '1970-01-02 00:00:00.000000', '00000000000000000000000000000001'"


def test_update_values_are_rendered_too() -> None:
    table = sa.table("t", sa.column("id", sa.Integer), sa.column("doc", sa.JSON), sa.column("raw", sa.LargeBinary))
    stmt = table.update().where(table.c.id == 1).values(doc={"k": True}, raw=b"\xff")
    assert compile_ops("mysql", lambda op: op.execute(stmt)) == "UPDATE t SET doc='{\"k\": true}', raw=X'FF' WHERE t.id = 1;"


@pytest.mark.parametrize(
    "type_, value, reason",
    [
        (sa.JSON(), {"tags": {"a", "b"}}, "Object of type set is not JSON serializable"),
        (sa.LargeBinary(), "not bytes", "expected bytes, got str"),
        (sa.Numeric(10, 2), decimal.Decimal("NaN"), "not a finite number"),
        (sa.Numeric(10, 2), decimal.Decimal("sNaN"), "not a finite number"),
    ],
)
def test_impossible_value_names_the_column(type_: Any, value: Any, reason: str) -> None:
    table = sa.table("t", sa.column("data", type_))
    with pytest.raises(LiteralValueError, match=rf"for column 'data' \(.*\) as a postgresql literal: {reason}"):
        compile_ops("postgresql", lambda op: op.bulk_insert(table, [{"data": value}]))


def test_impossible_value_in_a_revision_names_revision_and_column(project: Callable[..., Config]) -> None:
    history = [
        ("a1", None, 'op.create_table("doc", sa.Column("id", sa.Integer, primary_key=True), sa.Column("body", sa.JSON))'),
        ("b2", "a1", ('doc = sa.table("doc", sa.column("id", sa.Integer), sa.column("body", sa.JSON))\n'
         'op.bulk_insert(doc, [{"id": 1, "body": {"when": object()}}])')),
    ]
    with pytest.raises(CommandError, match=r"b2_revision.py:\d+ \(revision b2, upgrade\): cannot render .* for column 'body' \(JSON\)"):
        command.upgrade(project(history), "heads", sql=True)
