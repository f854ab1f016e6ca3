"""Batch mode's copy on SQLite keeps every value, for every pair of common types.

For each (old type, new type) a real SQLite table gets one value written by
SQLAlchemy, limbeck changes the column's type online (the table reflected,
as in a migration), and the stored value must still be there: the same
bytes, or the same number. Where limbeck's copy differs from the one real
Alembic renders (it leaves out a CAST), Alembic's script is run on the same
table too and must lose the value: each departure is there because
SQLite's CAST destroys data (``CAST('{"a": 1}' AS JSON)`` is 0).
"""

from __future__ import annotations

import datetime
import decimal
import io
import uuid
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext
from limbeck.testing.compile import compile_ops

#: name -> (type, a value SQLAlchemy stores for it); text values are not numbers
TYPES: dict[str, tuple[Callable[[], Any], Any]] = {
    "Integer": (sa.Integer, 7),
    "BigInteger": (sa.BigInteger, 7),
    "Float": (sa.Float, 2.0),
    "Numeric": (lambda: sa.Numeric(10, 2), decimal.Decimal("3.00")),
    "Boolean": (sa.Boolean, True),
    "String": (lambda: sa.String(50), "abc"),
    "Text": (sa.Text, "hello world"),
    "Unicode": (lambda: sa.Unicode(20), "héllo"),
    "Enum": (lambda: sa.Enum("a", "b", native_enum=False, create_constraint=False), "a"),
    "Uuid": (sa.Uuid, uuid.UUID("a3bb189e-8bf9-3888-9912-ace4e6543002")),
    "JSON": (sa.JSON, {"a": [1, 2], "b": "x"}),
    "DateTime": (sa.DateTime, datetime.datetime(2024, 5, 1, 10, 30)),
    "Date": (sa.Date, datetime.date(2024, 5, 1)),
    "Time": (sa.Time, datetime.time(10, 30)),
    "Interval": (sa.Interval, datetime.timedelta(days=1, hours=2)),
    "LargeBinary": (sa.LargeBinary, b"\x00\xffab"),
}

PAIRS = [(old, new) for old in TYPES for new in TYPES if old != new]


def _table(old: str) -> sa.Table:
    return sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("c", TYPES[old][0]()))


def _database(old: str) -> tuple[sa.Engine, Any]:
    """An in-memory database with ``t`` holding one value of type ``old``, and its raw value."""
    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    table = _table(old)
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert().values(id=1, c=TYPES[old][1]))
    return engine, _stored(engine)


def _stored(engine: sa.Engine) -> tuple[str, str, Any]:
    """(storage class, hex of the bytes, the number if it is one) of the value in ``t.c``."""
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT typeof(c), hex(c), CASE WHEN typeof(c) IN ('integer', 'real') THEN c END FROM t"
        ).one()
    return row[0], row[1], row[2]


def _kept(before: tuple[str, str, Any], after: tuple[str, str, Any]) -> bool:
    """The same bytes (text <-> blob, '12' <-> 12), or the same number (2.0 <-> 2)."""
    if before[1] == after[1]:
        return True
    return before[2] is not None and after[2] is not None and float(before[2]) == float(after[2])


def _retype(new: str) -> Callable[[Any], None]:
    def fn(op: Any) -> None:
        with op.batch_alter_table("t", recreate="always") as batch_op:
            batch_op.alter_column("c", type_=TYPES[new][0]())

    return fn


def _offline(old: str, new: str) -> Callable[[Any], None]:
    def fn(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=_table(old), recreate="always") as batch_op:
            batch_op.alter_column("c", type_=TYPES[new][0]())

    return fn


def _alembic_script(old: str, new: str) -> str:
    from alembic.migration import MigrationContext as AlembicContext
    from alembic.operations import Operations as AlembicOperations

    buffer = io.StringIO()
    context = AlembicContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": buffer})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _offline(old, new)(AlembicOperations(context))
    return buffer.getvalue()


def _copy_select(script: str) -> str:
    return next(line for line in script.splitlines() if line.startswith("INSERT INTO _alembic_tmp_t"))


@pytest.mark.parametrize("old", list(TYPES))
def test_every_type_change_keeps_the_value_and_every_departure_is_a_loss_in_alembic(old: str) -> None:
    departures = []
    for new in (n for n in TYPES if n != old):
        engine, before = _database(old)
        with engine.begin() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _retype(new)(Operations(MigrationContext.configure(conn)))
        after = _stored(engine)
        assert _kept(before, after), f"{old} -> {new}: {before} became {after}"

        theirs = _alembic_script(old, new)
        if _copy_select(theirs) != _copy_select(compile_ops("sqlite", _offline(old, new))):
            departures.append(new)
            engine, before = _database(old)
            engine.raw_connection().driver_connection.executescript(theirs)
            lost = _stored(engine)
            assert not _kept(before, lost), f"{old} -> {new}: Alembic's CAST keeps {before} too; match its text"
    # a text-holding column is copied as is into a number-affinity type; numbers keep Alembic's CASTs
    if TYPES[old][0]()._type_affinity in (sa.Integer, sa.Float, sa.Numeric, sa.Boolean):
        assert departures == []
