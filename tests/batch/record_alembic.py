"""Record what Alembic does in batch mode: the facts ``test_alembic_parity.py`` checks.

Alembic is run as a black box (its public Operations API, offline, into a
buffer); its source is not read. Run from the repository root with Alembic
installed, then review the diff of ``tests/batch/alembic_facts/``::

    .venv/bin/python tests/batch/record_alembic.py

Facts:
- ``sqlite/<scenario>.sql``: the offline SQLite script of each scenario;
- ``ordering.json``: the column order of the rebuilt table per ordering case
  (``null`` where Alembic fails);
- ``alembic_version.txt``: the Alembic version the facts come from.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FACTS = HERE / "alembic_facts"


def _scenarios() -> Any:
    spec = importlib.util.spec_from_file_location("batch_scenarios", HERE / "scenarios.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _render(dialect: str, fn: Any) -> str:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer})
    fn(Operations(context))
    return buffer.getvalue().strip() + "\n"


def main() -> None:
    import alembic

    if "limbeck" in getattr(alembic, "__file__", ""):
        sys.exit("the 'alembic' import resolves to limbeck: run with the real Alembic installed")
    scenarios = _scenarios()
    (FACTS / "sqlite").mkdir(parents=True, exist_ok=True)
    for name, fn in scenarios.SCENARIOS.items():
        (FACTS / "sqlite" / f"{name}.sql").write_text(_render("sqlite", fn))
    ordering: dict[str, list[str] | None] = {}
    for name, (partial, steps) in scenarios.ORDERING_CASES.items():
        try:
            sql = _render("sqlite", scenarios.ordering_scenario(partial, steps))
        except Exception:  # noqa: BLE001 - that Alembic fails (any error) is the fact recorded
            ordering[name] = None
        else:
            ordering[name] = scenarios.created_columns(sql)
    (FACTS / "ordering.json").write_text(json.dumps(ordering, indent=1, sort_keys=True) + "\n")
    (FACTS / "alembic_version.txt").write_text(alembic.__version__ + "\n")


if __name__ == "__main__":
    main()
