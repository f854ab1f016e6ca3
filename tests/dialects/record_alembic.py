"""Record what Alembic renders for every case of the per-dialect tables.

Run by hand when cases change (Alembic is used as a black box: its
Operations API offline, nothing else)::

    .venv/bin/python tests/dialects/record_alembic.py

Writes ``alembic_facts.json``: case id -> dialect -> ``{"sql": [statements]}``
or ``{"error": "ExceptionType"}``. ``test_alembic_parity.py`` compares the
tables with these facts: every difference must be listed in ``Case.differs``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def load_cases() -> list[Any]:
    """Every Case of every ``test_*.py`` table here, its id prefixed with the table's name."""
    from dataclasses import replace

    if "limbeck_dialect_cases" not in sys.modules:
        spec = importlib.util.spec_from_file_location("limbeck_dialect_cases", HERE / "cases.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["limbeck_dialect_cases"] = module
        spec.loader.exec_module(module)
    found: list[Any] = []
    for path in sorted(HERE.glob("test_*.py")):
        if "\nCASES = [" not in path.read_text():
            continue
        spec = importlib.util.spec_from_file_location(f"limbeck_dialect_table_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table = path.stem.removeprefix("test_")
        found.extend(replace(case, id=f"{table}.{case.id}") for case in module.CASES)
    return found


def alembic_statements(dialect: str, fn: Any, opts: dict[str, Any]) -> dict[str, Any]:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    cases = sys.modules["limbeck_dialect_cases"]
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True, **opts}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(Operations(context))
    except Exception as exc:  # noqa: BLE001  (what Alembic raises is the fact being recorded)
        return {"error": type(exc).__name__}
    return {"sql": cases.split_script(buffer.getvalue())}


def _same_but_order(new: dict[str, Any], old: dict[str, Any] | None) -> bool:
    """Whether ``new`` is ``old`` with the statements in another order.

    Alembic orders some statements by iterating a set, which differs from
    process to process; keeping the recorded order then keeps the facts
    file (and the cases that say Alembic's order varies) stable.
    """
    if old is None or "sql" not in new or "sql" not in old:
        return False
    return bool(new["sql"] != old["sql"] and sorted(new["sql"]) == sorted(old["sql"]))


def main() -> None:
    import alembic

    path = HERE / "alembic_facts.json"
    previous: dict[str, Any] = json.loads(path.read_text())["cases"] if path.exists() else {}
    facts: dict[str, Any] = {"alembic_version": alembic.__version__, "cases": {}}
    for case in load_cases():
        recorded = {}
        for dialect in case.per_dialect():
            new = alembic_statements(dialect, case.fn, dict(case.opts))
            old = previous.get(case.id, {}).get(dialect)
            recorded[dialect] = old if _same_but_order(new, old) else new
        facts["cases"][case.id] = recorded
    path.write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(facts['cases'])} cases with Alembic {alembic.__version__}")


if __name__ == "__main__":
    main()
