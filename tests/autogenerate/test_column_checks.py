"""A CHECK declared on a column, as real models write it (phoenix's ``mapped_column(CheckConstraint(...))``).

SQLAlchemy keeps such a constraint on the column, not in ``Table.constraints``; Alembic's
``create_table`` leaves it out, so the new table lacks the CHECK (README, "Autogenerate").
limbeck writes it into ``create_table`` as the table's constraint, so a second autogenerate after
the upgrade finds nothing (it used to report the check as missing, each run).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

from .conftest import compare, produce


def _models() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("evaluators", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("kind", sa.String(10), sa.CheckConstraint("kind IN ('LLM', 'CODE')", name="valid_kind"),
                       nullable=False),
             sa.Column("n", sa.Integer, sa.CheckConstraint("n > 0")))
    return m


def _run(engine: Any, code: str) -> None:
    source = "\n".join(line.removeprefix("    ") for line in code.splitlines())
    with engine.begin() as conn:
        exec(source, {"op": Operations(MigrationContext.configure(conn)), "sa": sa})  # noqa: S102


def test_column_checks_are_created_with_the_table(any_db: Any) -> None:
    upgrade, _ = produce(any_db, _models())
    assert """sa.CheckConstraint("kind IN ('LLM', 'CODE')", name="valid_kind")""" in upgrade
    assert 'sa.CheckConstraint("n > 0")' in upgrade
    _run(any_db, upgrade)
    assert compare(any_db, _models()) == []
    with any_db.connect() as conn:
        names = {c["name"] for c in sa.inspect(conn).get_check_constraints("evaluators")}
    assert "valid_kind" in names
