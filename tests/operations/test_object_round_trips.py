"""Records made from schema objects give back fresh objects with their options, as Alembic's do.

Alembic's ``ObjectFromToTest``: ``from_index``/``from_table``/``from_constraint``
records hand back a new object from ``to_*()`` (never the one they were made
from), keep comment, ``info``, prefixes and dialect options, carry keywords
added to the record's ``kw``/``table_kw`` through ``reverse()``, and follow a
changed ``constraint_name``. Each probe runs on both libraries at test time
and the answers are compared.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa


def _libraries() -> dict[str, tuple[ModuleType, Any]]:
    from alembic.operations import ops as alembic_ops
    from alembic.operations import schemaobj as alembic_schemaobj

    from limbeck.operations import ops as limbeck_ops
    from limbeck.operations import schemaobj as limbeck_schemaobj

    return {"alembic": (alembic_ops, alembic_schemaobj.SchemaObjects()),
            "limbeck": (limbeck_ops, limbeck_schemaobj.SchemaObjects())}


def _index_fresh(ops: Any, objects: Any, record: str) -> Any:
    idx = objects.index("x", "y", ["z"])
    return getattr(ops, record).from_index(idx).to_index() is not idx


def _index_kw(ops: Any, objects: Any, record: str) -> Any:
    op = getattr(ops, record).from_index(objects.index("x", "y", ["z"]))
    op.kw["postgresql_concurrently"] = True
    return (op.to_index().dialect_kwargs["postgresql_concurrently"],
            op.reverse().to_index().dialect_kwargs["postgresql_concurrently"])


def _table_kept(ops: Any, objects: Any, record: str) -> Any:
    table = objects.table("x", sa.Column("q", sa.Integer), info={"custom": "value"}, prefixes=["FOREIGN"],
                          postgresql_partition_by="x", comment="some comment")
    back = getattr(ops, record).from_table(table).to_table()
    return (back is not table, back.comment, dict(back.info), list(back._prefixes),
            back.dialect_kwargs["postgresql_partition_by"])


def _table_kw(ops: Any, objects: Any, record: str) -> Any:
    op = getattr(ops, record).from_table(objects.table("x", sa.Column("q", sa.Integer)))
    (op.table_kw if record == "DropTableOp" else op.kw)["postgresql_partition_by"] = "x"
    return (op.to_table().dialect_kwargs["postgresql_partition_by"],
            op.reverse().to_table().dialect_kwargs["postgresql_partition_by"])


def _unique_kw(ops: Any, objects: Any, record: str) -> Any:
    const = objects.unique_constraint("x", "foobar", ["a"])
    op = getattr(ops, record).from_constraint(const)
    fresh = op.to_constraint() is not const
    op.kw["sqlite_on_conflict"] = "IGNORE"
    return fresh, op.to_constraint().dialect_kwargs["sqlite_on_conflict"], \
        op.reverse().to_constraint().dialect_kwargs["sqlite_on_conflict"]


def _renamed_drop(ops: Any, objects: Any, record: str) -> Any:
    op = ops.DropConstraintOp.from_constraint(objects.unique_constraint("x", "foobar", ["a"]))
    op.constraint_name = "my_name"
    return op.to_constraint().name, op.reverse().to_constraint().name


def _no_origin(ops: Any, objects: Any, record: str) -> Any:
    return ops.DropConstraintOp("x", "y", type_="unique").to_constraint()


PROBES: dict[str, tuple[Callable[[Any, Any, str], Any], str]] = {
    "drop_index_fresh": (_index_fresh, "DropIndexOp"),
    "create_index_fresh": (_index_fresh, "CreateIndexOp"),
    "drop_index_kw": (_index_kw, "DropIndexOp"),
    "create_index_kw": (_index_kw, "CreateIndexOp"),
    "drop_table_kept": (_table_kept, "DropTableOp"),
    "create_table_kept": (_table_kept, "CreateTableOp"),
    "drop_table_kw": (_table_kw, "DropTableOp"),
    "create_table_kw": (_table_kw, "CreateTableOp"),
    "add_unique_kw": (_unique_kw, "AddConstraintOp"),
    "drop_unique_renamed": (_renamed_drop, "DropConstraintOp"),
    "drop_constraint_without_origin": (_no_origin, "DropConstraintOp"),
}


def _answer(probe: Callable[[Any, Any, str], Any], record: str, ops: Any, objects: Any) -> Any:
    try:
        return probe(ops, objects, record)
    except Exception as exc:  # noqa: BLE001  (an error is an answer to compare)
        return (type(exc).__name__, str(exc))


@pytest.mark.parametrize("name", sorted(PROBES))
def test_record_round_trip_matches_alembic(name: str) -> None:
    pytest.importorskip("alembic")
    probe, record = PROBES[name]
    answers = {lib: _answer(probe, record, ops, objects) for lib, (ops, objects) in _libraries().items()}
    assert answers["limbeck"] == answers["alembic"]
