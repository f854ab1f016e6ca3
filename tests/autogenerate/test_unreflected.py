"""How often a comparison asks whether unique and check constraints can be reflected at all.

What is compared is in the corpus (``agcorpus_compare_unreflected``, against
Alembic); here, that the question costs at most one inspector call per kind
and run, and none when the reflected tables already show such a constraint.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector

from limbeck.autogenerate import compare_metadata
from limbeck.runtime.migration import MigrationContext

from .agcorpus_compare_unreflected import connect


def _models(tables: int) -> sa.MetaData:
    m = sa.MetaData()
    for n in range(tables):
        sa.Table(f"t{n}", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer),
                 sa.UniqueConstraint("x", name=f"uq_t{n}_x"), sa.CheckConstraint("x > 0", name=f"ck_t{n}_x"))
    return m


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Calls of the inspector's per-table unique / check constraint methods (reflection uses the multi ones)."""
    calls: Counter[str] = Counter()
    for name in ("get_unique_constraints", "get_check_constraints"):
        original = getattr(Inspector, name)

        def counted(self: Inspector, *args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            calls[_name] += 1
            return _original(self, *args, **kw)

        monkeypatch.setattr(Inspector, name, counted)
    return calls


def _compare(conn: sa.Connection, metadata: sa.MetaData) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"target_metadata": metadata})
    return compare_metadata(context, metadata)


def test_unreflecting_dialect_is_asked_once_per_kind_and_run(asked: Counter[str]) -> None:
    conn = connect()
    _models(3).create_all(conn)
    assert _compare(conn, _models(3)) == []
    assert asked == {"get_unique_constraints": 1, "get_check_constraints": 1}
    assert _compare(conn, _models(3)) == []
    assert asked == {"get_unique_constraints": 2, "get_check_constraints": 2}


def test_reflected_constraints_answer_for_free(asked: Counter[str]) -> None:
    conn = sa.create_engine("sqlite://").connect()
    _models(3).create_all(conn)
    assert _compare(conn, _models(3)) == []
    assert not asked


def test_supporting_dialect_without_any_is_asked_once(asked: Counter[str]) -> None:
    conn = sa.create_engine("sqlite://").connect()
    sa.Table("t0", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer)).create(conn)
    kinds = [diff[0] for diff in _compare(conn, _models(1))]
    assert kinds == ["add_constraint", "add_constraint"]
    assert asked == {"get_unique_constraints": 1, "get_check_constraints": 1}
