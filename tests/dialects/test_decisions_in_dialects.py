"""Dialect decisions live in ``src/limbeck/dialects/``: nothing else compares or spells a dialect name.

Everywhere else reads a flag or hook of the database's behaviour
(:class:`limbeck.dialects.base.DialectBehaviour`), so a new database is a new
module there, not a hunt through the compiler, the runtime and the review
tools. This fails, outside ``dialects/``, on:

- a comparison (``==``, ``!=``, ``in``, ``not in``) of a dialect's or
  behaviour's ``name``, of a ``dialect_name``, or of ``behaviour_name()``;
- a table lookup keyed by such a name (``TABLE[dialect.name]``,
  ``TABLE.get(behaviour.name)``);
- a string constant that is a dialect name (``"postgresql"``, a set of names,
  ``@compiles(X, "mssql")``) outside a docstring, unless :data:`ALLOWED` lists
  it with the reason it is data rather than a decision;
- the lines issue 13's grep and ``structure.py`` find.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

import limbeck
from limbeck.dialects import KNOWN_DIALECTS

SRC = Path(limbeck.__file__).resolve().parent
NAMES = frozenset(KNOWN_DIALECTS)

#: (module under src/limbeck, dialect-name constant) -> (how often, why it is no decision)
ALLOWED: dict[tuple[str, str], tuple[int, str]] = {
    ("config/urls.py", "mariadb"): (
        1, "SQLAlchemy registers MariaDB inside its mysql package: the names it knows, for 'did you mean' on a URL",
    ),
    ("autogenerate/compare/tables.py", "mysql"): (
        1, "a schema name (MySQL's system schema) in the system schemas skipped on every database",
    ),
    ("review/execute_check.py", "sqlite"): (
        4, "the label of the judge, Python's sqlite3 engine, in verdicts ('executed (sqlite)')",
    ),
    ("review/lint/reading.py", "postgresql"): (
        1, "SQLAlchemy's keyword namespace of postgresql_concurrently / postgresql_not_valid, as the script wrote them",
    ),
    ("cli/failures.py", "mysql"): (1, "a driver's module name ('import mysql' is mysql-connector-python)"),
    ("cli/failures.py", "mariadb"): (2, "a driver's module name and its pip package (MariaDB Connector/Python)"),
    ("compiler/batch_checks.py", "sqlite"): (
        1, "sqlglot's SQLite tokenizer knows every quoting style: it finds column names in any database's CHECK text",
    ),
}

#: issue 13's grep, and the pattern of /work/shared/tools/structure.py
LINE_PATTERNS = [
    re.compile(r"(dialect|behaviour)\.name *(==|in)"),
    re.compile(
        r"\b(dialect|behaviour|dialect_name|behaviour_name\([^)]*\))\.?(name)?\s*(==|!=|\bin\b|\bnot in\b)\s*"
        r"[\"'(\[{]|behaviour_name\("
    ),
]

_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)
_NAME_FUNCTIONS = frozenset({"behaviour_name", "registry_name"})


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "dialects" not in p.relative_to(SRC).parts[:1])


def _rel(path: Path, root: Path = SRC) -> str:
    return path.relative_to(root).as_posix()


def _ends_with(node: ast.expr, *words: str) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name.endswith(words)


def _is_dialect_name(node: ast.expr) -> bool:
    """``dialect.name``, ``ctx.behaviour.name``, ``dialect_name``, ``behaviour_name(d)``."""
    if isinstance(node, ast.Attribute) and node.attr == "name":
        return _ends_with(node.value, "dialect", "behaviour")
    if isinstance(node, (ast.Name, ast.Attribute)):
        return _ends_with(node, "dialect_name")
    if isinstance(node, ast.Call):
        return _ends_with(node.func, *_NAME_FUNCTIONS)
    return False


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def decisions(path: Path, root: Path = SRC) -> list[str]:
    """Every dialect-name comparison or lookup in ``path``, as ``file:line: what``."""
    tree = ast.parse(path.read_text(), str(path))
    where = _rel(path, root)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, _COMPARE_OPS) for op in node.ops):
            if any(_is_dialect_name(side) for side in (node.left, *node.comparators)):
                found.append(f"{where}:{node.lineno}: compares a dialect name: {ast.unparse(node)}")
        elif _keyed_by_name(node, where):
            found.append(f"{where}:{node.lineno}: table keyed by a dialect name: {ast.unparse(node)}")
    return found


def _keyed_by_name(node: ast.AST, where: str) -> bool:
    """``TABLE[dialect.name]`` or ``TABLE.get(dialect.name, ...)``."""
    if isinstance(node, ast.Subscript):
        return _is_dialect_name(node.slice)
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
        and bool(node.args) and _is_dialect_name(node.args[0]) and not _sqlalchemy_variant(where, node)
    )


def _sqlalchemy_variant(where: str, node: ast.Call) -> bool:
    """SQLAlchemy's ``with_variant()`` mapping is keyed by ``dialect.name``: looking it up is what SQLAlchemy does."""
    return where == "autogenerate/compare/types.py" and ast.unparse(node.func) == "variants.get"


def name_constants(path: Path) -> Counter[str]:
    """How often each dialect name is a string constant in ``path`` (docstrings aside)."""
    tree = ast.parse(path.read_text(), str(path))
    skip = _docstrings(tree)
    return Counter(
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in NAMES and id(node) not in skip
    )


def test_no_dialect_name_is_compared_or_looked_up_outside_dialects() -> None:
    found = [hit for path in _modules() for hit in decisions(path)]
    assert not found, "read a flag or hook of DialectBehaviour instead:\n" + "\n".join(found)


def test_no_dialect_name_is_spelled_outside_dialects_but_the_listed_data() -> None:
    found = {(_rel(path), name): count for path in _modules() for name, count in name_constants(path).items()}
    unexplained = {key: count for key, count in found.items() if ALLOWED.get(key, (0, ""))[0] != count}
    assert not unexplained, (
        "a dialect name outside src/limbeck/dialects (file, name) -> count; move the decision onto the "
        f"behaviour, or list it in ALLOWED with the reason it is data: {unexplained}"
    )
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"ALLOWED lists what no longer exists: {stale}"


def test_the_issue_grep_finds_nothing() -> None:
    found = [
        f"{_rel(path)}:{n}: {line.strip()}"
        for path in _modules()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if not line.lstrip().startswith("#") and any(p.search(line) for p in LINE_PATTERNS)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "source, caught",
    [
        ('if dialect.name == "postgresql":\n    pass\n', True),
        ("x = behaviour.name in IDENTITY_INSERT\n", True),
        ("x = self.context.dialect.name != other\n", True),
        ("x = behaviour_name(context.dialect) not in GUARDED\n", True),
        ("x = TABLE[compiler.dialect.name]\n", True),
        ("x = TABLE.get(ctx.behaviour.name, {})\n", True),
        ("x = dialect_name in ('mysql', 'mariadb')\n", True),
        ("x = behaviour.serial_sequences\n", False),
        ("x = f'on {behaviour.name}'\n", False),
        ("x = behaviour.name\n", False),
    ],
)
def test_the_check_catches_each_form(tmp_path: Path, source: str, caught: bool) -> None:
    """The checks above cannot pass vacuously: each form of decision is caught, a plain read is not."""
    module = tmp_path / "m.py"
    module.write_text(source)
    assert bool(decisions(module, tmp_path)) is caught


def test_constants_in_docstrings_do_not_count_and_elsewhere_do(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Per database: "postgresql"."""\n\n@compiles(X, "mssql")\ndef f():\n    """sqlite"""\n')
    assert name_constants(module) == Counter({"mssql": 1})
