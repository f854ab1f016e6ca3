"""Record Alembic's Operations API and record behaviour, for ``test_api.py`` / ``test_records.py``.

Run by hand when scenarios change (Alembic is used as a black box: its
public signatures, its records' results)::

    .venv/bin/python tests/operations/record_alembic_facts.py
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def signature(fn: Any) -> list[list[str]]:
    """(name, kind, default) of each parameter, as strings."""
    params = inspect.signature(fn).parameters.values()
    return [[p.name, p.kind.name, "" if p.default is p.empty else repr(p.default)] for p in params]


def load_scenarios() -> Any:
    spec = importlib.util.spec_from_file_location("limbeck_record_scenarios", HERE / "record_scenarios.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_scenarios(ops: Any) -> dict[str, Any]:
    scenarios = load_scenarios()
    out: dict[str, Any] = {}
    for name, fn in scenarios.SCENARIOS.items():
        try:
            out[name] = {"value": scenarios.normalize(fn(ops))}
        except Exception as exc:  # noqa: BLE001  (the exception type is the recorded fact)
            out[name] = {"error": type(exc).__name__}
    return out


def main() -> None:
    import alembic
    from alembic.operations import Operations, ops

    methods = {
        name: signature(getattr(Operations, name))
        for name in sorted(dir(Operations))
        if not name.startswith("_") and callable(getattr(Operations, name))
    }
    records = {
        name: signature(getattr(ops, name).__init__)
        for name in sorted(dir(ops))
        if isinstance(getattr(ops, name), type) and issubclass(getattr(ops, name), ops.MigrateOperation)
    }
    from alembic.ddl.postgresql import CreateExcludeConstraintOp
    from alembic.operations import BatchOperations

    batch_methods = {
        name: signature(getattr(BatchOperations, name))
        for name in sorted(dir(BatchOperations))
        if not name.startswith("_") and callable(getattr(BatchOperations, name))
    }
    classes = [getattr(ops, name) for name in sorted(dir(ops)) if isinstance(getattr(ops, name), type)]
    batch_classmethods = {
        f"{cls.__name__}.{name}": signature(getattr(cls, name))
        for cls in [*classes, CreateExcludeConstraintOp]
        for name in sorted(vars(cls))
        if name.startswith("batch_") and name != "batch_alter_table"
    }
    facts = {
        "alembic_version": alembic.__version__,
        "operations": methods,
        "batch_operations": batch_methods,
        "batch_classmethods": batch_classmethods,
        "records": records,
        "scenarios": run_scenarios(ops),
    }
    (HERE / "alembic_facts.json").write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    print(
        f"recorded {len(methods)} methods, {len(batch_methods)} batch methods, {len(batch_classmethods)} batch "
        f"classmethods, {len(records)} records, {len(facts['scenarios'])} scenarios"
    )


if __name__ == "__main__":
    main()
