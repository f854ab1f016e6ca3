"""Offline SQLite batch scripts: the same as Alembic's, recorded in alembic_facts/sqlite.

Alembic's order of the constraints inside CREATE TABLE and of the CREATE
INDEX statements comes from iterating Python sets, so it changes from run to
run; limbeck's is fixed (declaration order, indexes by name). The comparison
therefore sorts those lines and keeps everything else exact.
"""

from __future__ import annotations

import limbeck_batch_scenarios as SCENARIOS
import pytest
from limbeck_batch_scenarios import FACTS

from limbeck.testing.compile import compile_ops

CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK")


def normalized(script: str) -> list[str]:
    """Statements with set-ordered parts sorted; see the module docstring."""
    statements = [s.strip() for s in script.strip().split(";") if s.strip()]
    out: list[str] = []
    indexes: list[str] = []
    for stmt in statements:
        if stmt.startswith("CREATE TABLE"):
            head, _, rest = stmt.partition("(\n")
            body, _, tail = rest.rpartition("\n)")
            lines = [line.strip().rstrip(",").strip() for line in body.splitlines() if line.strip()]
            columns = [line for line in lines if not line.startswith(CONSTRAINT_WORDS)]
            constraints = sorted(line for line in lines if line.startswith(CONSTRAINT_WORDS))
            out.append(head + "(" + " | ".join(columns + constraints) + ")" + tail)
        elif stmt.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
            indexes.append(stmt)
        else:
            out.append(stmt)
    return out + sorted(indexes)


@pytest.mark.parametrize("name", sorted(SCENARIOS.SCENARIOS))
def test_sqlite_script_matches_alembic(name: str) -> None:
    """Equal to Alembic's script, or to it with the documented departures (``DEPARTURES``) applied."""
    expected = (FACTS / "sqlite" / f"{name}.sql").read_text()
    ours = normalized(compile_ops("sqlite", SCENARIOS.SCENARIOS[name]))
    _why, replacements = SCENARIOS.DEPARTURES.get(name, ("", []))
    if replacements:
        assert ours != normalized(expected), f"{name} is listed in DEPARTURES but equals Alembic's script"
    for theirs, mine in replacements:
        assert theirs in expected, f"{name}: {theirs!r} is no longer in Alembic's script"
        expected = expected.replace(theirs, mine)
    assert ours == normalized(expected)


def test_normalized_ignores_only_set_order() -> None:
    a = "CREATE TABLE t (\n    a INTEGER, \n    UNIQUE (a), \n    CHECK (a > 0)\n);\n\nCREATE INDEX i2 ON t (a);\n\nCREATE INDEX i1 ON t (a);"
    b = "CREATE TABLE t (\n    a INTEGER, \n    CHECK (a > 0), \n    UNIQUE (a)\n);\n\nCREATE INDEX i1 ON t (a);\n\nCREATE INDEX i2 ON t (a);"
    assert normalized(a) == normalized(b)
    assert normalized(a) != normalized(a.replace("a INTEGER", "a BIGINT"))
