"""Runs the scenarios of ``scenarios.py`` on any Config class.

Shared by the recorder (Alembic's Config) and the parity test (limbeck's),
so both sides build files, construct configs and normalise results the same
way. Results are JSON-ready: the scenario directory becomes ``$DIR`` so the
facts do not depend on where they were recorded.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

DIR_TOKEN = "$DIR"


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build_config(config_cls: Callable[..., Any], root: Path, spec: dict[str, Any]) -> Any:
    """Make the Config: ``file_`` / ``toml_file`` are relative to ``root``; ``raw`` arguments are passed as given."""
    kwargs = {key: value for key, value in spec.items() if key != "raw"}
    for key in ("file_", "toml_file"):
        if key in kwargs:
            kwargs[key] = str(root / kwargs[key])
    return config_cls(**kwargs, **spec.get("raw", {}))


def normalise(value: Any, root: Path) -> Any:
    """JSON-ready copy of ``value`` with the scenario directory replaced by ``$DIR``."""
    if isinstance(value, str):
        return value.replace(str(root), DIR_TOKEN)
    if isinstance(value, (list, tuple)):
        return [normalise(item, root) for item in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): normalise(item, root) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return repr(value)


def perform(config: Any, call: tuple[Any, ...]) -> Any:
    """Make one call: a dotted attribute path, called with ``args`` unless args is None."""
    target: Any = config
    for part in call[0].split("."):
        target = getattr(target, part)
    args = call[1]
    return target if args is None else target(*args)


def error_classes(exc: BaseException) -> list[str]:
    """Names of the classes ``exc`` is an instance of, most specific first, up to ``Exception``.

    limbeck's errors stand for Alembic's under the same names (``alembic.util.CommandError`` is
    limbeck's ``CommandError`` once limbeck stands in for Alembic), and the library classes Alembic
    lets through (``configparser.NoSectionError``, ``TypeError``) must be among them.
    """
    mro = type(exc).__mro__
    return [cls.__name__ for cls in mro[: mro.index(Exception)]]


def outcome(config: Any, call: tuple[Any, ...], root: Path) -> dict[str, Any]:
    """What a call did: its value or the class of its exception, and any deprecation warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: dict[str, Any] = {"value": normalise(perform(config, call), root)}
        except Exception as exc:  # noqa: BLE001 - recording what was raised is the point
            result = {"error": type(exc).__name__, "error_classes": error_classes(exc)}
    result["deprecation"] = any(issubclass(w.category, DeprecationWarning) for w in caught)
    return result


def run_scenario(config_cls: Callable[..., Any], scenario: dict[str, Any], root: Path) -> list[dict[str, Any]]:
    """Run one scenario in ``root`` (an empty directory) and return one outcome per call.

    When making the Config fails, every call's outcome is that failure.
    """
    write_files(root, scenario["files"])
    try:
        config = build_config(config_cls, root, scenario["config"])
    except Exception as exc:  # noqa: BLE001 - recording what was raised is the point
        failed = {"error": type(exc).__name__, "error_classes": error_classes(exc), "deprecation": False}
        return [dict(failed) for _ in scenario["calls"]]
    for step in scenario.get("setup", []):
        perform(config, step)
    return [outcome(config, call, root) for call in scenario["calls"]]


def split_outcomes(config_cls: Callable[..., Any], samples: list[str], setting: str | None) -> list[Any]:
    """``[version_locations, prepend_sys_path]`` lists for each sample under one separator setting."""
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in samples:
            config = config_cls()
            config.set_main_option("version_locations", text)
            config.set_main_option("prepend_sys_path", text)
            if setting is not None:
                config.set_main_option("path_separator", setting)
            results.append([config.get_version_locations_list(), config.get_prepend_sys_paths_list()])
    return results


def scenario_root(base: Path, index: int) -> Path:
    """A fresh directory for scenario number ``index`` (ids hold characters paths cannot)."""
    root = base / f"scenario{index:03d}"
    root.mkdir(parents=True)
    return Path(os.path.realpath(root))


SCRIPT_FIELDS = (
    "dir",
    "version_locations",
    "file_template",
    "truncate_slug_length",
    "sourceless",
    "recursive_version_locations",
    "output_encoding",
    "timezone",
    "hooks",
)


def prepare_script_scenario(scenario: dict[str, Any], root: Path) -> None:
    write_files(root, scenario["files"])
    for name in scenario["dirs"]:
        (root / name).mkdir(parents=True, exist_ok=True)


def script_outcome(read: Callable[[], dict[str, Any]], root: Path) -> dict[str, Any]:
    """The script-directory fields ``read`` returns, normalised, or the class of its exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return {"value": normalise(read(), root)}
        except Exception as exc:  # noqa: BLE001 - recording what was raised is the point
            return {"error": type(exc).__name__, "error_classes": error_classes(exc)}
