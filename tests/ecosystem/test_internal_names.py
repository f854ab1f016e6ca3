"""Every name the tools take from Alembic resolves on limbeck.

The installed tools' sources are read (not imported) for ``from alembic.x
import y``, ``import alembic.x`` and ``alembic.x.y`` attribute chains; a fresh
interpreter resolves each on Alembic and, switched on, on limbeck. A name
real Alembic lacks is one the tool only uses for older Alembic releases
(behind a version check), and is not asked of limbeck. What is left must
resolve: names limbeck cannot provide would be listed in the README
("Tools built on Alembic") with the reason, and here in ``NOT_PROVIDED``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = ("flask_migrate", "pytest_alembic", "alembic_utils", "alembic_postgresql_enum", "sqlalchemy_utils")

#: Alembic names a tool uses that limbeck does not provide, with the reason (README).
NOT_PROVIDED: dict[str, str] = {}

_RESOLVE = """
import importlib, json, sys
found = {}
for dotted in json.load(sys.stdin):
    parts = dotted.split(".")
    obj, error = None, None
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError as err:
            error = f"{type(err).__name__}: {err}"
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
            error = None
        except AttributeError as err:
            error = f"AttributeError: {err}"
        break
    found[dotted] = error
json.dump(found, sys.stdout)
"""


def _dotted_names(source: str) -> set[str]:
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "alembic" and not node.level:
            names.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.split(".")[0] == "alembic")
        elif isinstance(node, ast.Attribute):
            chain = []
            current: ast.AST = node
            while isinstance(current, ast.Attribute):
                chain.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name) and current.id == "alembic":
                names.add(".".join(["alembic", *reversed(chain)]))
    return names


def _used_names() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for tool in TOOLS:
        spec = importlib.util.find_spec(tool)
        if spec is None or not spec.submodule_search_locations:
            pytest.skip(f"{tool} is not installed (the test extra pins it)")
        for path in sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.py")):
            for name in _dotted_names(path.read_text(encoding="utf-8")):
                used.setdefault(name, []).append(f"{tool}/{path.name}")
    return used


def _resolve(names: list[str], switch: bool) -> dict[str, str | None]:
    env = {k: v for k, v in os.environ.items() if k != "LIMBECK_AS_ALEMBIC"}
    if switch:
        env["LIMBECK_AS_ALEMBIC"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _RESOLVE], input=json.dumps(names), env=env, capture_output=True, text=True,
        timeout=300, check=True,
    )
    answers: dict[str, str | None] = json.loads(done.stdout)
    return answers


def _unresolved_on_limbeck(used: dict[str, list[str]]) -> tuple[dict[str, str], int]:
    """The names Alembic resolves and limbeck does not (with where they are used), and how many Alembic resolves."""
    names = sorted(used)
    on_alembic = _resolve(names, switch=False)
    on_limbeck = _resolve(names, switch=True)
    missing = {
        name: f"{on_limbeck[name]} (used in {', '.join(sorted(set(used[name])))})"
        for name in names
        if on_alembic[name] is None and on_limbeck[name] is not None and name not in NOT_PROVIDED
    }
    return missing, sum(1 for name in names if on_alembic[name] is None)


def test_every_name_the_tools_use_resolves_on_limbeck() -> None:
    used = _used_names()
    assert "alembic.autogenerate.render._render_cmd_body" in used  # the scan sees private names too
    names = sorted(used)
    missing, resolved_on_alembic = _unresolved_on_limbeck(used)
    assert missing == {}
    assert resolved_on_alembic >= 40


#: tools installed at test time (``installed_tool``): requirement, package
INSTALLED_TOOLS = [
    pytest.param("flask-alembic==3.3.0", "flask_alembic"),
    pytest.param("advanced-alchemy==1.12.0", "advanced_alchemy"),
    pytest.param("sqlalchemy-declarative-extensions==0.17.0", "sqlalchemy_declarative_extensions"),
]


@pytest.mark.parametrize(("requirement", "package"), INSTALLED_TOOLS)
def test_every_name_an_installed_tool_uses_resolves_on_limbeck(requirement: str, package: str) -> None:
    """The same scan for the tools the test extra does not hold (their module attribute chains on
    instances, ``Rewriter._traverse``, ``c._get_file_separator_char``, are their own tests')."""
    from limbeck_ecosystem_harness import installed_tool

    used: dict[str, list[str]] = {}
    for path in sorted((installed_tool(requirement) / package).rglob("*.py")):
        for name in _dotted_names(path.read_text(encoding="utf-8")):
            used.setdefault(name, []).append(f"{package}/{path.name}")
    assert used
    missing, _ = _unresolved_on_limbeck(used)
    assert missing == {}
