"""Comparators registered with ``priority=`` run in Alembic 1.20's order on limbeck.

alembic-postgresql-enum registers its schema comparator at
``DispatchPriority.LAST`` to see the tables the built-in comparison adds;
alembic-utils registers at the default priority and its operations come
first in the file. The same script registers comparators (priorities,
dialect qualifiers, one returning ``STOP``) and autogenerates against
SQLite, once on Alembic and once switched to limbeck; the order they ran in,
and what each saw, must be the same.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import sys

import sqlalchemy as sa
from alembic.autogenerate import comparators, produce_migrations
from alembic.migration import MigrationContext
from alembic.util import DispatchPriority, PriorityDispatchResult

calls = []


def comparator(name, result=None):
    def compare(autogen_context, upgrade_ops, schemas):
        calls.append(f"{name}:{len(upgrade_ops.ops)}")
        return result
    return compare


register = comparators.dispatch_for
register("schema", qualifier="sqlite")(comparator("sqlite_a"))
register("schema")(comparator("medium"))
register("schema", qualifier="sqlite")(comparator("sqlite_b"))
register("schema", priority=DispatchPriority.FIRST)(comparator("first"))
register("schema", qualifier="postgresql")(comparator("postgresql"))
register("schema", priority=DispatchPriority.LAST, qualifier="sqlite")(comparator("last_sqlite"))
register("schema", priority=DispatchPriority.LAST)(comparator("last"))
if sys.argv[1] == "stop":
    register("schema", priority=DispatchPriority.LAST)(comparator("stop", PriorityDispatchResult.STOP))
    register("schema", priority=DispatchPriority.LAST)(comparator("after_stop"))

metadata = sa.MetaData()
sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
with sa.create_engine("sqlite://").connect() as connection:
    produce_migrations(MigrationContext.configure(connection), metadata)
print(" ".join(calls))
"""


def _order(switch: bool, variant: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "LIMBECK_AS_ALEMBIC"}
    if switch:
        env["LIMBECK_AS_ALEMBIC"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, variant], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("variant", ["plain", "stop"])
def test_comparators_run_in_alembics_order(variant: str) -> None:
    expected = _order(False, variant)
    # facts observed on Alembic 1.20.1, asserted so that a change there is noticed
    assert expected.startswith("first:0 sqlite_a:0 sqlite_b:0 medium:0 last_sqlite:1 last:1")
    assert _order(True, variant) == expected
