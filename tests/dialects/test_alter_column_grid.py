"""``alter_column`` over a grid of its arguments, against real Alembic run at test time.

The per-dialect tables hold chosen cases; this crosses the arguments that
decide MySQL's ``CHANGE`` / ``MODIFY`` / ``SET DEFAULT`` choice (nullability,
default kinds, date/time types given as instances or classes, renames,
comments) on every database with an ``ALTER COLUMN`` and requires limbeck's
statements to be Alembic's, or the difference to be one of the deliberate
departures listed in ``cases.Why`` (and in the README).
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from collections.abc import Iterator
from typing import Any

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Why

GRID: dict[str, list[Any]] = {
    "nullable": [None, False],
    "server_default": [False, None, "x", sa.text("NOW()"), sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP")],
    "type_": [None, sa.DateTime()],
    "existing_type": [None, sa.String(10), sa.DateTime(), sa.DateTime],
    "new_column_name": [None, "d"],
    "comment": [False, "cm"],
}
#: what "not given" is for each argument
UNSET: dict[str, Any] = {"server_default": False, "comment": False}


def _calls() -> Iterator[dict[str, Any]]:
    for values in itertools.product(*GRID.values()):
        yield {k: v for k, v in zip(GRID, values) if v is not UNSET.get(k)}


def _alembic() -> Any:
    spec = importlib.util.spec_from_file_location("limbeck_dialect_recorder_grid", cases.HERE / "record_alembic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.alembic_statements


def _ours(dialect: str, fn: Any) -> dict[str, Any]:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return {"sql": cases.limbeck_statements(dialect, fn)}
    except Exception as exc:  # noqa: BLE001  (a refusal is compared as a refusal)
        return {"error": type(exc).__name__}


def departure(dialect: str, kw: dict[str, Any], theirs: dict[str, Any], ours: dict[str, Any]) -> str | None:
    """The listed reason this difference is deliberate, or ``None``."""
    first = (theirs.get("sql") or [""])[0]
    if dialect == "mssql" and "comment" in kw and "error" in theirs:
        return Why.MSSQL_COMMENT
    if dialect not in ("mysql", "mariadb"):
        return None
    if " SET DEFAULT " in first and re.search(r"\bON UPDATE\b", first):
        return Why.MYSQL_ON_UPDATE
    default = kw.get("server_default")
    if dialect == "mysql" and first.endswith(f"SET DEFAULT {getattr(default, 'text', None)}"):
        return Why.MYSQL_SET_DEFAULT_EXPR
    if ours == {"sql": []} and set(kw) == {"existing_type"}:
        return Why.MYSQL_NO_CHANGE
    return None


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mariadb", "mssql", "oracle"])
def test_alter_column_grid_matches_alembic(dialect: str) -> None:
    alembic_statements = _alembic()
    unexplained = []
    for kw in _calls():
        def fn(op: Any, kw: dict[str, Any] = kw) -> None:
            op.alter_column("t", "c", existing_nullable=True, **kw)

        theirs, ours = alembic_statements(dialect, fn, {}), _ours(dialect, fn)
        same = theirs == ours or ("error" in theirs and "error" in ours)
        if not same and departure(dialect, kw, theirs, ours) is None:
            unexplained.append((kw, theirs, ours))
    assert not unexplained, f"{len(unexplained)} unexplained differences, e.g. {unexplained[:3]}"
