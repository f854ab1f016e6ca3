"""limbeck's Config against facts recorded from Alembic's (facts/alembic_facts.json).

The recorder is facts/record_alembic_facts.py; both sides run the same
scenarios (facts/scenarios.py) through the same runner (facts/runner.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import warnings
from argparse import Namespace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from limbeck.config import Config, parse_x_arguments, x_arguments
from limbeck.errors import LimbeckError

FACTS_DIR = Path(__file__).parent / "facts"


def _load(name: str) -> ModuleType:
    # The suite runs in importlib mode, so sibling helper modules are loaded by path.
    spec = importlib.util.spec_from_file_location(f"limbeck_config_facts_{name}", FACTS_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


scenarios = _load("scenarios")
runner = _load("runner")
FACTS: dict[str, Any] = json.loads((FACTS_DIR / "alembic_facts.json").read_text(encoding="utf-8"))


def test_facts_cover_every_scenario() -> None:
    """A scenario added without re-recording would otherwise be skipped silently."""
    assert sorted(FACTS["scenarios"]) == sorted(s["id"] for s in scenarios.SCENARIOS)
    assert FACTS["split_samples"] == scenarios.split_samples()


@pytest.mark.skipif(os.pathsep != FACTS["os_pathsep"], reason="facts were recorded with another os.pathsep")
@pytest.mark.parametrize("index", range(len(scenarios.SCENARIOS)), ids=[s["id"] for s in scenarios.SCENARIOS])
def test_scenario_matches_alembic(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = scenarios.SCENARIOS[index]
    root = runner.scenario_root(tmp_path, index)
    monkeypatch.chdir(root)
    ours = runner.run_scenario(Config, scenario, root)
    theirs = FACTS["scenarios"][scenario["id"]]
    for call, mine, fact in zip(scenario["calls"], ours, theirs):
        deviation = call[2] if len(call) > 2 else None
        label = f"{call[0]}{tuple(call[1] or ())}"
        if deviation is not None:
            expected = {k: v for k, v in deviation.items() if k != "why"}
            if expected.get("error"):
                assert "error" in mine, f"{label}: expected an error ({deviation['why']})"
            else:
                assert mine.get("value") == expected["value"], f"{label}: {deviation['why']}"
            continue
        if "error" in fact:
            assert "error" in mine, f"{label}: Alembic raised {fact['error']}, limbeck returned {mine}"
            # programs catch the class Alembic lets through: limbeck's error must be one too
            assert fact["error"] in mine["error_classes"], (
                f"{label}: Alembic raised {fact['error']}, limbeck {mine['error']} ({mine['error_classes']})"
            )
        else:
            assert mine == fact, label


@pytest.mark.parametrize("index", range(len(scenarios.SCENARIOS)), ids=[s["id"] for s in scenarios.SCENARIOS])
def test_errors_are_limbeck_errors(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever limbeck raises for these inputs is a LimbeckError with a one-line message."""
    scenario = scenarios.SCENARIOS[index]
    root = runner.scenario_root(tmp_path, index)
    monkeypatch.chdir(root)
    runner.write_files(root, scenario["files"])
    try:
        config = runner.build_config(Config, root, scenario["config"])
    except Exception as exc:  # noqa: BLE001
        assert isinstance(exc, LimbeckError), f"Config() raised {type(exc).__name__}: {exc}"
        assert "\n" not in str(exc)
        return
    for step in scenario.get("setup", []):
        runner.perform(config, step)
    for call in scenario["calls"]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                runner.perform(config, call)
        except Exception as exc:  # noqa: BLE001
            assert isinstance(exc, LimbeckError), f"{call[0]} raised {type(exc).__name__}: {exc}"
            assert "\n" not in str(exc)


@pytest.mark.skipif(os.pathsep != FACTS["os_pathsep"], reason="facts were recorded with another os.pathsep")
@pytest.mark.parametrize("setting", [str(s) for s in scenarios.SPLIT_SETTINGS])
def test_path_list_splitting_matches_alembic(setting: str) -> None:
    value = None if setting == "None" else setting
    ours = runner.split_outcomes(Config, FACTS["split_samples"], value)
    mismatches = [
        (text, mine, fact) for text, mine, fact in zip(FACTS["split_samples"], ours, FACTS["splits"][setting])
        if mine != fact
    ]
    assert mismatches == []


def test_facts_cover_every_script_scenario() -> None:
    assert sorted(FACTS["script_scenarios"]) == sorted(s["id"] for s in scenarios.SCRIPT_SCENARIOS)


@pytest.mark.skipif(os.pathsep != FACTS["os_pathsep"], reason="facts were recorded with another os.pathsep")
@pytest.mark.parametrize(
    "index", range(len(scenarios.SCRIPT_SCENARIOS)), ids=[s["id"] for s in scenarios.SCRIPT_SCENARIOS]
)
def test_script_settings_match_alembic_script_directory(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = scenarios.SCRIPT_SCENARIOS[index]
    root = runner.scenario_root(tmp_path, index)
    runner.prepare_script_scenario(scenario, root)
    monkeypatch.chdir(root)
    config = runner.build_config(Config, root, scenario["config"])

    def read() -> dict[str, Any]:
        settings = config.get_script_settings()
        for path in reversed(settings.prepend_sys_path):  # what the script directory does first
            monkeypatch.syspath_prepend(path)
        fields = {name: getattr(settings, name, None) for name in runner.SCRIPT_FIELDS}
        fields["dir"] = settings.resolve_script_location()
        return fields

    ours = runner.script_outcome(read, root)
    fact = FACTS["script_scenarios"][scenario["id"]]
    deviation = scenario.get("deviation")
    if deviation is None:
        if "error" in fact:
            assert "error" in ours, f"Alembic raised {fact['error']}; limbeck returned {ours}"
            assert "ConfigError" in ours["error_classes"]
            assert fact["error"] in ours["error_classes"], f"Alembic raised {fact['error']}; limbeck {ours}"
        else:
            assert ours == fact
    elif deviation.get("error"):
        assert "error" in ours, deviation["why"]
    else:
        assert ours == {"value": {**fact["value"], **deviation["fields"]}}, deviation["why"]


@pytest.mark.parametrize("index", range(len(scenarios.X_ARGUMENT_SAMPLES)))
def test_x_arguments_match_alembic(index: int) -> None:
    sample = scenarios.X_ARGUMENT_SAMPLES[index]
    as_list, as_dict = FACTS["x_arguments"][index]
    assert x_arguments(Namespace(x=sample)) == as_list
    assert parse_x_arguments(sample) == as_dict
