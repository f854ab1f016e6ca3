"""limbeck's autogenerate against what Alembic produced for the same scenario.

``alembic_facts.json`` holds Alembic's rendering of each scenario of
``scenarios.py`` (recorded by ``record_alembic.py``). The rendered code is
compared as Python syntax trees, so quoting and line layout (ours is what
ruff writes; Alembic's is not) do not count, while every call, argument and
value does. Deliberate differences are listed in :data:`DIFFERENCES` with
the reason; a listed scenario must still differ, so the list stays true.
"""

from __future__ import annotations

import ast
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.autogenerate import (
    compare_metadata,
    produce_migrations,
    render_python_code,
)
from limbeck.runtime.migration import MigrationContext

from .scenarios import BY_NAME, Scenario, prepare

HERE = Path(__file__).resolve().parent
FACTS: dict[str, Any] = json.loads((HERE / "alembic_facts.json").read_text())

#: scenario -> why limbeck deliberately renders something else
DIFFERENCES = {
    "pg_deviations": "limbeck adds and drops named check constraints (Alembic ignores them)",
    "keep_same": "SQLite reports an INTEGER PRIMARY KEY (the rowid) as nullable; Alembic proposes "
    "alter_column(nullable=False) for it, limbeck knows it can never be NULL",
}


def _tree(code: str) -> str:
    body = "\n".join("    " + line if i else line for i, line in enumerate(code.splitlines()))
    module = ast.parse(f"def f():\n    {body}\n")
    return ast.dump(module, include_attributes=False)


def _limbeck(scenario: Scenario, connection: sa.Connection) -> dict[str, Any]:
    metadata = scenario.models()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(connection, opts={"target_metadata": metadata, **scenario.opts})
        script = produce_migrations(context, metadata)
        diffs = compare_metadata(context, metadata)
        kw = {"render_as_batch": scenario.render_as_batch, "migration_context": context}
        return {
            "upgrade": render_python_code(script.upgrade_ops, **kw),
            "downgrade": render_python_code(script.downgrade_ops, **kw),
            "diff_kinds": [[d[0] for d in diff] if isinstance(diff, list) else diff[0] for diff in diffs],
        }


def _run(scenario: Scenario, request: pytest.FixtureRequest) -> dict[str, Any]:
    if scenario.dialect == "sqlite":
        engine = sa.create_engine("sqlite://")
    else:
        engine = sa.create_engine(request.getfixturevalue("pg_url"))
    with engine.begin() as connection:
        prepare(connection, scenario)
    with engine.connect() as connection:
        return _limbeck(scenario, connection)


@pytest.mark.parametrize("name", sorted(n for n in BY_NAME if n in FACTS))
def test_same_operations_as_alembic(name: str, request: pytest.FixtureRequest) -> None:
    ours = _run(BY_NAME[name], request)
    theirs = FACTS[name]
    same = all(_tree(ours[key]) == _tree(theirs[key]) for key in ("upgrade", "downgrade"))
    if name in DIFFERENCES:
        assert not same, f"{name} now renders like Alembic: drop it from DIFFERENCES"
        return
    assert ours["diff_kinds"] == theirs["diff_kinds"]
    assert ours["upgrade"].splitlines()[0] == theirs["upgrade"].splitlines()[0]
    for key in ("upgrade", "downgrade"):
        assert _tree(ours[key]) == _tree(theirs[key]), f"{key}:\n{ours[key]}\n--- alembic ---\n{theirs[key]}"
