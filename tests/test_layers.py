"""Imports follow the data: each package of ``src/limbeck`` imports only the layers below it.

The data flows one way (operation record -> statements -> the one emitter), and so must the
imports, read the way Python would run them: module-level, inside functions and under
``TYPE_CHECKING`` alike. A "package" is a top-level package or module of ``limbeck``
(``limbeck.compiler.batch`` belongs to ``compiler``, ``limbeck.util`` is ``util``).

The layers, lowest first; a package may import any package of a lower layer and none of its
own layer or above (so there is no cycle between packages either):

* foundations (``errors``, ``langhelpers``, ``compat``, ``_proxy``, ``sqla_compat`` (how each
  SQLAlchemy release spells what limbeck reads), the ``limbeck`` package itself) import nothing
  of limbeck;
* ``messaging`` (console output), ``config``, and ``op`` / ``context``: the modules scripts
  import, which only point at whatever a command made current; ``as_alembic`` (the switch that
  makes ``import alembic`` answer with limbeck, over ``compat``);
* ``script`` (revision files and their graph) beside ``operations`` (records: describe, never
  run); then ``compiler`` (records -> statements) beside ``util`` (the ``alembic.util``
  names, gathered from ``langhelpers``, ``messaging`` and ``script``); ``dialects`` (one module per database, over the compiler);
  ``runtime`` (contexts, emitter, version table: runs the records);
* ``autogenerate`` (compares models with a database through the runtime), then ``review``
  (validation, lint, plans: consumers of the stream) beside ``squash`` (checkpoints built
  from a reflected scratch database, through autogenerate's renderers);
* ``commands``, and over them ``command`` (Alembic's Python API); then the two ways in:
  ``cli`` and ``testing`` (the pytest plugin, which drives ``command`` as a project would);
  ``__main__`` beside ``alembic_modules`` (the ``alembic.config`` / ``alembic.script`` faces,
  which reach down as far as the CLI and nothing in limbeck imports).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "limbeck"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "langhelpers", "compat", "_proxy", "sqla_compat", "limbeck"}),
    frozenset({"messaging", "config", "op", "context", "as_alembic"}),
    frozenset({"script", "operations"}),
    frozenset({"util", "compiler"}),
    frozenset({"dialects"}),
    frozenset({"runtime"}),
    frozenset({"autogenerate"}),
    frozenset({"review", "squash"}),
    frozenset({"commands"}),
    frozenset({"command"}),
    frozenset({"testing", "cli"}),
    frozenset({"__main__", "alembic_modules"}),
)

def package_of(module: str) -> str:
    """``limbeck.a.b`` -> ``a``; ``limbeck`` itself -> ``limbeck``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.AST, module: str, is_package: bool, root: Path) -> Iterator[str]:
    """The limbeck modules an import statement loads (``from limbeck import op`` loads ``limbeck.op``)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if not isinstance(node, ast.ImportFrom):
        return
    base = node.module or ""
    if node.level:
        here = module.split(".") if is_package else module.split(".")[:-1]
        here = here[: len(here) - (node.level - 1)]
        base = ".".join([*here, *([node.module] if node.module else [])])
    if base != root.name:
        yield base
        return
    for alias in node.names:
        sub = root / alias.name
        yield f"{root.name}.{alias.name}" if sub.is_dir() or sub.with_suffix(".py").exists() else base


def package_imports(root: Path) -> Iterator[tuple[str, str, str]]:
    """(importing package, imported package, ``file:line``) for every import between packages."""
    for path in sorted(root.rglob("*.py")):
        if "templates" in path.relative_to(root).parts:
            continue  # files init copies into a project, not modules of limbeck
        module = _module_name(path, root)
        source = package_of(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, module, path.name == "__init__.py", root):
                if target != root.name and not target.startswith(root.name + "."):
                    continue
                imported = package_of(target)
                if imported != source:
                    yield source, imported, f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"


def layer_violations(root: Path, layers: tuple[frozenset[str], ...]) -> dict[tuple[str, str], list[str]]:
    """Imports of a package in the same or a higher layer, with where each one is."""
    rank = {name: i for i, layer in enumerate(layers) for name in layer}
    found: dict[tuple[str, str], list[str]] = {}
    for source, imported, where in package_imports(root):
        if rank.get(imported, len(layers)) >= rank.get(source, -1):
            found.setdefault((source, imported), []).append(where)
    return found


def packages(root: Path) -> set[str]:
    names = {p.stem for p in root.glob("*.py")} | {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    return (names - {"__init__"}) | {root.name}


def test_every_package_has_a_layer() -> None:
    placed = set().union(*LAYERS)
    assert packages(SRC) - placed == set(), "place the new package in LAYERS (and say why in the docstring)"
    assert placed - packages(SRC) == set(), "a package in LAYERS no longer exists"


def test_imports_go_down_the_layers() -> None:
    found = layer_violations(SRC, LAYERS)
    lines = [f"{a} imports {b}: {', '.join(where)}" for (a, b), where in sorted(found.items())]
    assert not lines, "imports against the layers:\n" + "\n".join(lines)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "limbeck"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "text",
    [
        "from limbeck.runtime.migration import MigrationContext\n",
        "def f():\n    from limbeck.runtime import migration\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..runtime.migration import MigrationContext\n",
    ],
    ids=["module level", "in a function", "relative, under TYPE_CHECKING"],
)
def test_the_check_sees_an_upward_import(tmp_path: Path, text: str) -> None:
    """Guards the test above: every way of importing is read."""
    root = _tree(
        tmp_path,
        {"__init__.py": "", "operations/__init__.py": "", "operations/base.py": text, "runtime/__init__.py": "",
         "runtime/migration.py": "from limbeck.operations import base\n"},
    )
    layers = (frozenset({"limbeck"}), frozenset({"operations"}), frozenset({"runtime"}))
    found = layer_violations(root, layers)
    assert list(found) == [("operations", "runtime")]
    assert found[("operations", "runtime")] == ["limbeck/operations/base.py:" + str(text.count("\n"))]


def test_the_check_resolves_modules_imported_from_the_package(tmp_path: Path) -> None:
    """``from limbeck import op`` imports the module ``limbeck.op``, not just the package."""
    root = _tree(tmp_path, {"__init__.py": "", "op.py": "", "operations/__init__.py": "from limbeck import op\n"})
    layers = (frozenset({"limbeck"}), frozenset({"operations"}), frozenset({"op"}))
    assert layer_violations(root, layers) == {("operations", "op"): ["limbeck/operations/__init__.py:1"]}
