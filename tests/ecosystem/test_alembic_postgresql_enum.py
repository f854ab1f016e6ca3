"""alembic-postgresql-enum 1.11 on limbeck: autogenerate of enum value changes and its operations.

On PostgreSQL, twice (Alembic, then ``LIMBECK_AS_ALEMBIC=1``): a table with an
enum column (``sa.Enum(...).create(op.get_bind())``, ``create_type=False``),
then values added (``op.add_enum_value``), then a value removed and a second
table on the same enum (``op.sync_enum_values``); each step online and as
``--sql``, then downgrade to base. Revision files, scripts and the catalog
(enum labels, tables) must match after every step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from limbeck_ecosystem_harness import Pair, alembic_project, twin_projects

pytestmark = pytest.mark.postgresql

MODELS = '''
import os

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

STAGE = int(os.environ.get("STAGE", "1"))
STATES = {1: ["new", "active"], 2: ["new", "active", "shipped", "done"], 3: ["new", "active", "done"]}[STAGE]
state = sa.Enum(*STATES, name="order_state")


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id = sa.Column(sa.Integer, primary_key=True)
    state = sa.Column(state, nullable=False, server_default="new")


if STAGE == 3:
    class Shipment(Base):
        __tablename__ = "shipment"
        id = sa.Column(sa.Integer, primary_key=True)
        state = sa.Column(state)
'''

CATALOG = [
    "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder",
]


def _step(pair: Pair, rev_id: str, message: str, down: str) -> str:
    """Autogenerate, compare the files, compare the --sql scripts, upgrade, compare the catalogs."""
    written = pair.autogenerate(rev_id, message)
    pair.same_sql("alembic", "upgrade", f"{down}:{rev_id}")
    pair.both("alembic", "upgrade", "head")
    pair.schemas(CATALOG)
    return written


def _labels(pair: Pair) -> list[str]:
    return [label for _name, label in pair.schemas(CATALOG)[CATALOG[0]]]


def test_enum_changes_match_alembic(tmp_path: Path, pg_databases: Any) -> None:
    files = alembic_project(
        MODELS, imports="import alembic_postgresql_enum\nimport models", code="target_metadata = models.Base.metadata"
    )
    pair = twin_projects(tmp_path, files, urls=(pg_databases(), pg_databases()))

    pair.env["STAGE"] = "1"
    assert "create_type=False" in _step(pair, "a1", "orders", "base")
    pair.env["STAGE"] = "2"
    assert "op.add_enum_value(" in _step(pair, "b2", "more_states", "a1")
    pair.env["STAGE"] = "3"
    assert "op.sync_enum_values(" in _step(pair, "c3", "no_shipped", "b2")
    assert _labels(pair) == ["new", "active", "done"]

    pair.same_sql("alembic", "downgrade", "c3:base")
    pair.both("alembic", "downgrade", "a1")
    assert _labels(pair) == ["new", "active"]
    pair.both("alembic", "downgrade", "base")
    assert _labels(pair) == []
    pair.check_answered()
