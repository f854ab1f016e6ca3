"""Issue 18 §1-4 against real Alembic 1.20.1, run at test time on the same database.

Each scenario of ``live_scenarios.py`` is set up on a fresh database; real
Alembic compares and renders it in a subprocess (a black box: only its JSON
output is read), limbeck does the same here. The diff entries must be equal
as values and the rendered code equal as Python syntax trees (quoting and
line layout aside). Where Alembic is wrong, :data:`DEPARTURES` says why and
checks that Alembic still is, so the departure stays justified.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.autogenerate import (
    compare_metadata,
    produce_migrations,
    render_python_code,
)
from limbeck.runtime.migration import MigrationContext

from .live_scenarios import BY_NAME, LIVE, Live, plain

HERE = Path(__file__).resolve().parent

ALEMBIC = """
import json, sys, warnings
sys.path.insert(0, sys.argv[1])
import sqlalchemy as sa
from live_scenarios import BY_NAME, plain
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.migration import MigrationContext

scenario, url = BY_NAME[sys.argv[2]], sys.argv[3]
engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
with engine.connect() as conn, warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    metadata = scenario.models()
    context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **scenario.opts})
    try:
        diffs, error = plain(compare_metadata(context, metadata), conn.dialect), None
    except Exception as exc:
        diffs, error = None, f"{type(exc).__name__}: {exc}"
    metadata = scenario.models()
    context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **scenario.opts})
    script = produce_migrations(context, metadata)
    result = {
        "diffs": diffs, "error": error,
        "upgrade": render_python_code(script.upgrade_ops, migration_context=context),
        "downgrade": render_python_code(script.downgrade_ops, migration_context=context),
        "warnings": [str(w.message) for w in caught],
    }
print(json.dumps(result))
"""


def _alembic(scenario: Live, url: str) -> dict[str, Any]:
    if importlib.util.find_spec("alembic") is None:  # the test extra installs it; never imported here
        pytest.skip("Alembic is not installed (pip install -e .[test])")
    done = subprocess.run(
        [sys.executable, "-c", ALEMBIC, str(HERE), scenario.name, url],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _limbeck(scenario: Live, url: str) -> dict[str, Any]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        metadata = scenario.models()
        context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **scenario.opts})
        diffs = plain(compare_metadata(context, metadata), conn.dialect)
        metadata = scenario.models()
        context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **scenario.opts})
        script = produce_migrations(context, metadata)
        return {
            "diffs": diffs,
            "upgrade": render_python_code(script.upgrade_ops, migration_context=context),
            "downgrade": render_python_code(script.downgrade_ops, migration_context=context),
        }


def _calls(code: str) -> list[ast.Call]:
    body = "\n".join("    " + line if i else line for i, line in enumerate(code.splitlines()))
    module = ast.parse(f"def f():\n    {body}\n")
    return [node.value for node in module.body[0].body if isinstance(node, ast.Expr)]  # type: ignore[attr-defined]


def _tree(code: str, drop: Callable[[ast.keyword], bool] = lambda kw: False) -> list[str]:
    calls = _calls(code)
    for call in calls:
        call.keywords = [kw for kw in call.keywords if not drop(kw)]
    return [ast.dump(c, include_attributes=False) for c in calls]


def _same_code(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    for key in ("upgrade", "downgrade"):
        assert _tree(ours[key]) == _tree(theirs[key]), f"{key}:\n{ours[key]}\n--- alembic ---\n{theirs[key]}"


def _new_sqlite_expression_index(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Alembic skips a model's expression index on SQLite (a warning): it is never created."""
    assert any("expression-based index" in w for w in theirs["warnings"])
    assert [d[1][1] for d in theirs["diffs"]] == ["ix_desc"]
    assert [d[1][1] for d in ours["diffs"]] == ["ix_desc", "ix_lower"]


def _other_schema(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Alembic reports the existing other.audit as new (its migration fails); limbeck compares it."""
    assert [d[1][2] for d in theirs["diffs"]] == ["audit", "audit_new"]
    assert [d[1][2] for d in ours["diffs"]] == ["audit_new"]


def _identity_existing_default(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Alembic's alter_column omits the identity the column has, so PostgreSQL is asked to ADD one again."""
    assert ours["diffs"] == theirs["diffs"]
    assert "existing_server_default" not in theirs["upgrade"]
    existing = lambda kw: kw.arg == "existing_server_default"
    for key in ("upgrade", "downgrade"):
        assert _tree(ours[key], existing) == _tree(theirs[key]), ours[key]
    assert ours["upgrade"].count("existing_server_default=sa.Identity(") == 2


def _identity_where_there_is_none(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """SQLite and MySQL have no identity columns: Alembic reports the model's one on every run."""
    assert [d[0][0] for d in theirs["diffs"]] == ["modify_default"]
    assert ours["diffs"] == []
    assert _tree(ours["upgrade"]) == _tree("pass")


def _column_check_kept(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Alembic's create_table leaves out a CHECK declared on a column: the table never has it."""
    assert ours["diffs"] == theirs["diffs"]
    assert "CheckConstraint" not in theirs["upgrade"]
    check = "    sa.CheckConstraint(\"kind IN ('LLM', 'CODE')\", name=op.f('ck_evaluators_`valid_kind`')),\n"
    assert check in ours["upgrade"], ours["upgrade"]
    assert ours["upgrade"].replace(check, "") == theirs["upgrade"]
    assert ours["downgrade"] == theirs["downgrade"]


def _multiline_default_unchanged(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Alembic reports a SQLite default written over several lines as changed, on every run."""
    assert [d[0][0] for d in theirs["diffs"]] == ["modify_default"]
    assert ours["diffs"] == []
    assert _tree(ours["upgrade"]) == _tree("pass")


#: (scenario, dialect) -> the check that limbeck departs from Alembic as documented
DEPARTURES: dict[tuple[str, str], Callable[[dict[str, Any], dict[str, Any]], None]] = {
    ("expression_indexes_added", "sqlite"): _new_sqlite_expression_index,
    ("other_schema", "postgresql"): _other_schema,
    ("identity_options", "postgresql"): _identity_existing_default,
    ("identity_unsupported", "sqlite"): _identity_where_there_is_none,
    ("identity_unsupported", "mariadb"): _identity_where_there_is_none,
    **{("column_check", d): _column_check_kept for d in ("sqlite", "postgresql", "mariadb")},
    ("multiline_default", "sqlite"): _multiline_default_unchanged,
}

CASES = [
    pytest.param(s.name, d, marks=[getattr(pytest.mark, d)] if d != "sqlite" else [], id=f"{s.name}-{d}")
    for s in LIVE for d in s.dialects
]


@pytest.mark.parametrize(("name", "dialect"), CASES)
def test_same_as_alembic(name: str, dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    scenario = BY_NAME[name]
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path}/db.sqlite"
    else:
        url = request.getfixturevalue("pg_url" if dialect == "postgresql" else "mariadb_url")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for statement in scenario.setup(dialect):
            conn.exec_driver_sql(statement)
    theirs = _alembic(scenario, url)
    ours = _limbeck(scenario, url)
    assert theirs["error"] is None, theirs["error"]
    departure = DEPARTURES.get((name, dialect))
    if departure is not None:
        departure(ours, theirs)
        return
    assert ours["diffs"] == theirs["diffs"]
    _same_code(ours, theirs)
