"""Record what Alembic renders for each scenario of ``scenarios.py`` (black box).

Run by hand when the scenarios change::

    .venv/bin/python tests/autogenerate/record_alembic.py [POSTGRESQL_URL]

It calls Alembic's public API only (``produce_migrations``,
``render_python_code``, ``compare_metadata``) and writes
``alembic_facts.json`` next to this file: per scenario, the upgrade and
downgrade source and the kinds of the diff entries. PostgreSQL scenarios are
recorded only when a server URL (of an empty database) is given.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scenarios import SCENARIOS, Scenario, prepare


def _kinds(diffs: list[Any]) -> list[Any]:
    return [[d[0] for d in diff] if isinstance(diff, list) else diff[0] for diff in diffs]


def _reset_postgresql(connection: sa.Connection) -> None:
    connection.exec_driver_sql("DROP SCHEMA public CASCADE")
    connection.exec_driver_sql("CREATE SCHEMA public")


def record(scenario: Scenario, url: str) -> dict[str, Any]:
    from alembic.autogenerate import (
        compare_metadata,
        produce_migrations,
        render_python_code,
    )
    from alembic.migration import MigrationContext

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if scenario.dialect == "postgresql":
            _reset_postgresql(connection)
        prepare(connection, scenario)
    metadata = scenario.models()
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(connection, opts={"target_metadata": metadata, **scenario.opts})
        script = produce_migrations(context, metadata)
        diffs = compare_metadata(context, metadata)
        kw = {"render_as_batch": scenario.render_as_batch, "migration_context": context}
        return {
            "upgrade": render_python_code(script.upgrade_ops, **kw),
            "downgrade": render_python_code(script.downgrade_ops, **kw),
            "diff_kinds": _kinds(diffs),
        }


def main(argv: list[str]) -> None:
    pg_url = argv[1] if len(argv) > 1 else None
    path = HERE / "alembic_facts.json"
    facts: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    import alembic

    facts["_alembic_version"] = alembic.__version__
    for scenario in SCENARIOS:
        if scenario.dialect == "sqlite":
            facts[scenario.name] = record(scenario, "sqlite://")
        elif pg_url:
            facts[scenario.name] = record(scenario, pg_url)
    path.write_text(json.dumps(facts, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv)
