"""Autogenerate on real applications' models, against real Alembic 1.20.1 on the same database.

The models come from pinned PyPI wheels at test time (``real_models.py``); Alembic runs in a
subprocess (``real_models_alembic.py``), limbeck here, each loading the same models the same
way. For each project and database:

- an empty database: the same ``compare_metadata`` entries and the same ``render_python_code``
  text, upgrade and downgrade, character for character;
- then each tool runs its own rendered upgrade (one database each) and both compare again:
  the same findings (nothing, or the same residue);
- a database that drifted from the models (a column gone, a type, a nullability and a server
  default changed, an index gone, a table the models lack): the same findings and code.

Where limbeck departs from Alembic on purpose (README, "Autogenerate"), :data:`DEPARTURES` says
which departure and checks it precisely: the rest of the output must still be the same.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.autogenerate import compare_metadata, produce_migrations, render_python_code
from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext

from .real_models import MODELS, Tool, autogenerate, load_metadata, perturbed, upgrade

ROOT = Path(__file__).resolve().parents[2]
BY_KEY = {m.key: m for m in MODELS}
LIMBECK = Tool(MigrationContext, Operations, compare_metadata, produce_migrations, render_python_code)


class Alembic:
    """The Alembic subprocess of this worker: one request, one answer."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("real_models_alembic.py")), str(ROOT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        assert "error" not in answer, answer.get("traceback", answer)
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="session")
def alembic() -> Iterator[Alembic]:
    import importlib.util

    if importlib.util.find_spec("alembic") is None:  # the test extra installs it; never imported here
        pytest.skip("Alembic is not installed (pip install -e .[test])")
    server = Alembic()
    try:
        yield server
    finally:
        server.close()


def _models(key: str) -> None:
    from tests.realworld.fetch import FetchError

    try:
        load_metadata(key)
    except FetchError as exc:
        from tests.realworld.conftest import IN_CI

        if IN_CI:
            pytest.fail(str(exc))
        pytest.skip(f"cannot download: {exc}")


def _url(key: str, dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database for the test, set up as the project sets up its own."""
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path}/db.sqlite"
    else:
        url = request.getfixturevalue("pg_url" if dialect == "postgresql" else "mariadb_url")
    statements = BY_KEY[key].setup.get(dialect, ())
    if statements:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        engine.dispose()
    return url


def _uncreatable(key: str, dialect: str) -> bool:
    return bool(BY_KEY[key].uncreatable) and dialect != "sqlite"


def _emptied(code: str) -> str:
    """Code whose every operation a departure took out reads as the tools write no operation."""
    lines = code.splitlines()
    return "\n".join([lines[0], "    pass", lines[-1]]) if len(lines) == 2 else code


def _same(ours: dict[str, Any], theirs: dict[str, Any], what: str) -> None:
    ours = {**ours, "upgrade": _emptied(ours["upgrade"]), "downgrade": _emptied(ours["downgrade"])}
    assert ours["diffs"] == theirs["diffs"], what
    for key in ("upgrade", "downgrade"):
        assert ours[key] == theirs[key], f"{what}, {key}:\n{ours[key]}\n--- alembic ---\n{theirs[key]}"


#: a type of the application's holding a SQLAlchemy type: README, "a type nested in a dialect
#: type keeps its module" (Alembic writes ``user.Pydantic(astext_type=Text())``, a NameError)
_NESTED = re.compile(r"(\b(?!sa\.|postgresql\.|mysql\.|sqlite\.)[a-z_]\w*(?:\.\w+)*\.[A-Z]\w*\(astext_type=)sa\.(Text\(\))")


def _nested_types(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Our code with the documented module prefix of a type nested in an application's type taken off."""
    changed = {key: _NESTED.sub(r"\1\2", ours[key]) for key in ("upgrade", "downgrade")}
    return {**ours, **changed}


def _expression_indexes(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Ours without the SQLite expression indexes Alembic skips, each with its warning (README:
    "a model's expression index on SQLite is created (Alembic skips it with a warning)")."""
    skipped = [w for w in theirs["warnings"] if "expression-based index" in w]
    names = {d[1][1] for d in ours["diffs"] if d[0] == "add_index" and d not in theirs["diffs"]}
    assert names, "no index of ours is missing from Alembic's findings"
    for name in names:
        assert any(f"'{name}'" in w or f"{name}" in w for w in skipped), (name, skipped)
    pattern = re.compile(r"\n *op\.(create|drop)_index\((op\.f\()?'(" + "|".join(map(re.escape, names)) + r")'.*")
    return {
        **ours,
        "diffs": [d for d in ours["diffs"] if not (d[0] == "add_index" and d[1][1] in names)],
        "upgrade": pattern.sub("", ours["upgrade"]),
        "downgrade": pattern.sub("", ours["downgrade"]),
    }


def _column_checks(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Ours without the named CHECKs limbeck compares and Alembic does not (README: "named check
    constraints are added and dropped"): phoenix declares them on columns
    (``mapped_column(CheckConstraint(...))``), which neither tool's ``create_table`` writes."""
    added = [d for d in ours["diffs"] if d[0] == "add_constraint" and d[1][0] == "CheckConstraint"]
    assert added, "no check constraint of ours is missing from Alembic's findings"
    assert all("`" in d[1][1] for d in added), added  # phoenix's convention: ck_<table>_`<name>`
    pattern = re.compile(r"\n *op\.(create_check_constraint|drop_constraint)\(op\.f\('ck_.*")
    return {
        **ours,
        "diffs": [d for d in ours["diffs"] if d not in added],
        "upgrade": pattern.sub("", ours["upgrade"]),
        "downgrade": pattern.sub("", ours["downgrade"]),
    }


Departure = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]

#: (project, dialect, step) -> the documented departures, each taken out of our result precisely
#: (it must be there) before the rest is compared with Alembic's
DEPARTURES: dict[tuple[str, str, str], tuple[Departure, ...]] = {
    ("prefect", "postgresql", "empty"): (_nested_types,),
    ("prefect", "sqlite", "empty"): (_expression_indexes,),
    ("prefect", "sqlite", "after alembic's upgrade"): (_expression_indexes,),
    ("phoenix", "sqlite", "empty"): (_expression_indexes,),
    ("phoenix", "sqlite", "after alembic's upgrade"): (_expression_indexes, _column_checks),
    ("phoenix", "sqlite", "after limbeck's upgrade"): (_column_checks,),
    ("phoenix", "postgresql", "after alembic's upgrade"): (_column_checks,),
    ("phoenix", "postgresql", "after limbeck's upgrade"): (_column_checks,),
}


def _compare(key: str, dialect: str, step: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    for departure in DEPARTURES.get((key, dialect, step), ()):
        ours = departure(ours, theirs)
    _same(ours, theirs, f"{key} on {dialect}, {step}")


CASES = [
    pytest.param(m.key, d, marks=[getattr(pytest.mark, d)] if d != "sqlite" else [], id=f"{m.key}-{d}")
    for m in MODELS for d in m.dialects
]


@pytest.mark.parametrize(("key", "dialect"), CASES)
def test_empty_database_then_alembic_upgrade(key: str, dialect: str, alembic: Alembic,
                                             request: pytest.FixtureRequest, tmp_path: Path) -> None:
    _models(key)
    url = _url(key, dialect, request, tmp_path)
    theirs = alembic.ask(op="autogenerate", key=key, url=url)
    ours = autogenerate(LIMBECK, key, url)
    _compare(key, dialect, "empty", ours, theirs)
    if _uncreatable(key, dialect):
        return
    alembic.ask(op="upgrade", key=key, url=url, code=theirs["upgrade"])
    _compare(key, dialect, "after alembic's upgrade", autogenerate(LIMBECK, key, url),
             alembic.ask(op="autogenerate", key=key, url=url))


@pytest.mark.parametrize(("key", "dialect"), CASES)
def test_limbeck_upgrade(key: str, dialect: str, alembic: Alembic, request: pytest.FixtureRequest,
                         tmp_path: Path) -> None:
    _models(key)
    if _uncreatable(key, dialect):
        pytest.skip(f"{key}: {BY_KEY[key].uncreatable}")
    url = _url(key, dialect, request, tmp_path)
    upgrade(LIMBECK, key, url, autogenerate(LIMBECK, key, url)["upgrade"])
    _compare(key, dialect, "after limbeck's upgrade", autogenerate(LIMBECK, key, url),
             alembic.ask(op="autogenerate", key=key, url=url))


@pytest.mark.parametrize(("key", "dialect"), CASES)
def test_drifted_database(key: str, dialect: str, alembic: Alembic, request: pytest.FixtureRequest,
                          tmp_path: Path) -> None:
    _models(key)
    if _uncreatable(key, dialect):
        pytest.skip(f"{key}: {BY_KEY[key].uncreatable}")
    url = _url(key, dialect, request, tmp_path)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    perturbed(load_metadata(key)).create_all(engine)
    engine.dispose()
    _compare(key, dialect, "drifted", autogenerate(LIMBECK, key, url), alembic.ask(op="autogenerate", key=key, url=url))
