"""Record how Alembic's Config behaves on the scenarios, into ``alembic_facts.json``.

Run with the ``bench`` extra installed (it provides Alembic, used strictly as
a black box)::

    .venv/bin/python tests/config/facts/record_alembic_facts.py

Only return values and exception class names are stored, never Alembic's
text. Re-run after changing ``scenarios.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import runner  # noqa: E402
import scenarios  # noqa: E402


def main() -> None:
    import alembic
    from alembic.config import Config

    facts: dict[str, object] = {
        "recorded_with": f"alembic {alembic.__version__}",
        "os_pathsep": os.pathsep,
        "scenarios": {},
        "split_samples": scenarios.split_samples(),
        "splits": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        for index, scenario in enumerate(scenarios.SCENARIOS):
            root = runner.scenario_root(Path(tmp), index)
            os.chdir(root)
            try:
                facts["scenarios"][scenario["id"]] = runner.run_scenario(Config, scenario, root)  # type: ignore[index]
            finally:
                os.chdir(cwd)
    for setting in scenarios.SPLIT_SETTINGS:
        facts["splits"][str(setting)] = runner.split_outcomes(  # type: ignore[index]
            Config, facts["split_samples"], setting  # type: ignore[arg-type]
        )
    facts["script_scenarios"] = _record_script_scenarios(Config)
    facts["x_arguments"] = _record_x_arguments(Config)
    out = HERE / "alembic_facts.json"
    out.write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def _record_script_scenarios(config_cls: type) -> dict[str, object]:
    from alembic.script import ScriptDirectory

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cwd, path = os.getcwd(), list(sys.path)
        for index, scenario in enumerate(scenarios.SCRIPT_SCENARIOS):
            root = runner.scenario_root(Path(tmp), index)
            runner.prepare_script_scenario(scenario, root)
            os.chdir(root)
            try:
                config = runner.build_config(config_cls, root, scenario["config"])

                def read() -> dict[str, object]:
                    script = ScriptDirectory.from_config(config)
                    return {field: getattr(script, field) for field in runner.SCRIPT_FIELDS}

                results[scenario["id"]] = runner.script_outcome(read, root)
            finally:
                os.chdir(cwd)
                sys.path[:] = path
    return results


def _record_x_arguments(config_cls: type) -> list[object]:
    from argparse import Namespace

    from alembic.runtime.environment import EnvironmentContext

    results = []
    for sample in scenarios.X_ARGUMENT_SAMPLES:
        context = EnvironmentContext(config_cls(cmd_opts=Namespace(x=sample)), None)
        results.append([context.get_x_argument(), context.get_x_argument(as_dictionary=True)])
    return results


if __name__ == "__main__":
    main()
