"""Autogenerate on real applications' models, against real Alembic 1.20.1 on the same database.

The models come from pinned PyPI wheels at test time (``real_models.py``); each tool runs in a
subprocess of its own (``real_models_child.py``: loading an application's models changes
SQLAlchemy for the whole process), each loading the same models the same way. For each project and database:

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
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .real_models import MODELS, extracted

ROOT = Path(__file__).resolve().parents[2]
BY_KEY = {m.key: m for m in MODELS}


class Child:
    """One tool's subprocess for this worker (``real_models_child.py``): one request, one answer."""

    def __init__(self, tool: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("real_models_child.py")), tool, str(ROOT)],
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
def alembic() -> Iterator[Child]:
    import importlib.util

    if importlib.util.find_spec("alembic") is None:  # the test extra installs it; never imported here
        pytest.skip("Alembic is not installed (pip install -e .[test])")
    server = Child("alembic")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def limbeck() -> Iterator[Child]:
    server = Child("limbeck")
    try:
        yield server
    finally:
        server.close()


def _models(key: str) -> None:
    """The models' wheel downloaded (the children load it from the cache)."""
    from tests.realworld.fetch import FetchError

    try:
        extracted(BY_KEY[key])
    except FetchError as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(str(exc))
        pytest.skip(f"cannot download: {exc}")


def _url(dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database for the test."""
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path}/db.sqlite"
    return request.getfixturevalue("pg_url" if dialect == "postgresql" else "mariadb_url")  # type: ignore[no-any-return]


def _uncreatable(key: str, dialect: str) -> bool:
    return bool(BY_KEY[key].uncreatable) and dialect != "sqlite"


def _emptied(code: str) -> str:
    """Code whose every operation a departure took out reads as the tools write no operation."""
    lines = code.splitlines()
    return "\n".join([lines[0], "    pass", lines[-1]]) if len(lines) == 2 else code


def _same(ours: dict[str, Any], theirs: dict[str, Any], what: str) -> None:
    ours, theirs = ({**r, "upgrade": _emptied(r["upgrade"]), "downgrade": _emptied(r["downgrade"])}
                    for r in (ours, theirs))
    shown = f"{what}:\n{json.dumps(ours['diffs'])}\n--- alembic ---\n{json.dumps(theirs['diffs'])}"
    assert ours["diffs"] == theirs["diffs"], shown
    for key in ("upgrade", "downgrade"):
        assert ours[key] == theirs[key], f"{what}, {key}:\n{ours[key]}\n--- alembic ---\n{theirs[key]}"


def _fk_order(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
    """Foreign keys added to one table come in the order of their columns in limbeck's findings
    (README); Alembic's follow a set's iteration and vary from run to run. Same entries, same lines."""
    assert sorted(map(json.dumps, ours["diffs"])) == sorted(map(json.dumps, theirs["diffs"]))
    moved = [d for d, e in zip(ours["diffs"], theirs["diffs"], strict=True) if d != e]
    assert all(d[0] == "add_fk" for d in moved), moved
    for part in ("upgrade", "downgrade"):
        assert sorted(ours[part].splitlines()) == sorted(theirs[part].splitlines()), part
    return theirs, theirs


def _default_misreads(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
    """Alembic's without the server defaults it reports changed on every run (README): an empty
    string on SQLite and MariaDB, ``0``/``1`` for a Boolean's ``false()``/``true()`` on MariaDB, and on
    SQLite a default whose SQL spans several lines (prefect's ``GenerateUUID()``)."""

    def misread(d: Any) -> bool:
        if not (isinstance(d, list) and d and d[0][0] == "modify_default") or d in ours["diffs"]:
            return False
        conn, meta = (x[1] if x else None for x in d[0][5:7])
        return (conn in ("('')", "''") and meta == "") or (conn, meta) in (("0", "false"), ("1", "true")) or (
            meta is not None and "\n" in meta)

    columns = [(d[0][2], d[0][3]) for d in theirs["diffs"] if misread(d)]
    assert columns, "Alembic misreads no server default"
    calls = "|".join(re.escape(f"'{t}', '{c}',") for t, c in columns)
    lines = re.compile(r"\n *op\.alter_column\((" + calls + r")[^\n]*(\n {9,}[^\n]*)*")
    return ours, _without(theirs, lines, misread)


Result = dict[str, Any]
Departure = Callable[[str, Result, Result], tuple[Result, Result]]

#: a SQLAlchemy type inside an application's type (README: "in a user's type it always writes it
#: so", ``user.Pydantic(astext_type=Text())``, a NameError); ``_OUTSIDE_POSTGRESQL`` also inside a
#: PostgreSQL type rendered outside a PostgreSQL context (``postgresql.JSON(astext_type=Text())``)
_IN_USER_TYPE = re.compile(r"(\b(?!sa\.|postgresql\.|mysql\.|sqlite\.)[a-z_]\w*(?:\.\w+)*\.[A-Z]\w*\(astext_type=)sa\.(Text\(\))")
_OUTSIDE_POSTGRESQL = re.compile(r"(\b(?!sa\.)[a-z_]\w*(?:\.\w+)*\.[A-Z]\w*\(astext_type=)sa\.(Text\(\))")


def _retyped(pattern: re.Pattern[str]) -> Departure:
    def undo(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
        changed = {part: pattern.sub(r"\1\2", ours[part]) for part in ("upgrade", "downgrade")}
        assert changed != {part: ours[part] for part in changed}, "no nested type to write Alembic's way"
        return {**ours, **changed}, theirs

    return undo


def _without(ours: Result, lines: re.Pattern[str], diffs: Callable[[Any], bool]) -> Result:
    return {
        **ours,
        "diffs": [d for d in ours["diffs"] if not diffs(d)],
        "upgrade": lines.sub("", ours["upgrade"]),
        "downgrade": lines.sub("", ours["downgrade"]),
    }


def _expression_indexes(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
    """Ours without the SQLite expression indexes Alembic skips, each with its warning (README:
    "a model's expression index on SQLite is created (Alembic skips it with a warning)")."""
    skipped = " ".join(w for w in theirs["warnings"] if "expression-based index" in w)
    names = {d[1][1] for d in ours["diffs"] if d[0] == "add_index" and d not in theirs["diffs"]}
    assert names, "no index of ours is missing from Alembic's findings"
    assert all(name in skipped for name in names), (names, skipped)
    lines = re.compile(r"\n *op\.(create|drop)_index\((op\.f\()?'(" + "|".join(map(re.escape, names)) + r")'.*")
    return _without(ours, lines, lambda d: d[0] == "add_index" and d[1][1] in names), theirs


def _desc_indexes_unread(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
    """Alembic's without the SQLite indexes with a ``DESC`` element it reports changed on every run:
    its reflection loses the order (README: "an index with a DESC element ... is not reported")."""
    removed = {d[1][1]: d[1][3] for d in theirs["diffs"] if d[0] == "remove_index"}
    added = {d[1][1]: d[1][3] for d in theirs["diffs"] if d[0] == "add_index"}
    names = {n for n in removed.keys() & added.keys()
             if any(e.endswith(" DESC") for e in added[n]) and removed[n] == [e.removesuffix(" DESC") for e in added[n]]}
    assert names, "Alembic reports no DESC index changed"
    lines = re.compile(r"\n *op\.(create|drop)_index\((op\.f\()?'(" + "|".join(map(re.escape, names)) + r")'.*")
    return ours, _without(theirs, lines, lambda d: d[0] in ("add_index", "remove_index") and d[1][1] in names)


def _column_checks_created(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
    """Ours without the CHECKs declared on columns, which limbeck's create_table writes and
    Alembic's leaves out (README: "a CHECK declared on a column")."""
    names = "|".join(map(re.escape, ours["column_checks"]))
    lines = re.compile(r"\n *sa\.CheckConstraint\(.*name=op\.f\('(" + names + r")'\)\),?")
    assert lines.search(ours["upgrade"]) and not lines.search(theirs["upgrade"])
    return _without(ours, lines, lambda d: False), theirs


def _column_checks_added(key: str, ours: Result, theirs: Result) -> tuple[Result, Result]:
    """Ours without adding the column CHECKs Alembic's create_table left out, which limbeck's
    check comparison finds missing (README: "named check constraints are added and dropped")."""
    names = ours["column_checks"]
    added = [d for d in ours["diffs"] if d[0] == "add_constraint" and d[1][0] == "CheckConstraint"]
    assert added and {d[1][1] for d in added} <= set(names), added
    pattern = "|".join(map(re.escape, names))
    lines = re.compile(r"\n *op\.(create_check_constraint|drop_constraint)\(op\.f\('(" + pattern + r")'\).*")
    return _without(ours, lines, lambda d: d in added), theirs



#: (project, dialect, step) -> the documented departures, each taken out of our result precisely
#: (it must be there) before the rest is compared with Alembic's
DEPARTURES: dict[tuple[str, str, str], tuple[Departure, ...]] = {
    ("prefect", "postgresql", "empty"): (_retyped(_IN_USER_TYPE),),
    ("prefect", "sqlite", "empty"): (_retyped(_OUTSIDE_POSTGRESQL), _expression_indexes),
    ("prefect", "sqlite", "after alembic's upgrade"): (_expression_indexes,),
    ("phoenix", "sqlite", "empty"): (_retyped(_OUTSIDE_POSTGRESQL), _expression_indexes, _column_checks_created),
    ("phoenix", "postgresql", "empty"): (_column_checks_created,),
    ("phoenix", "sqlite", "after alembic's upgrade"): (_expression_indexes, _column_checks_added),
    ("phoenix", "sqlite", "drifted"): (_desc_indexes_unread, _default_misreads),
    ("prefect", "sqlite", "drifted"): (_default_misreads,),
    ("tahrir", "mariadb", "drifted"): (_default_misreads,),
    ("dstack", "postgresql", "after alembic's upgrade"): (_fk_order,),
    ("dstack", "postgresql", "after limbeck's upgrade"): (_fk_order,),
    ("phoenix", "sqlite", "after limbeck's upgrade"): (_desc_indexes_unread,),
    ("phoenix", "postgresql", "after alembic's upgrade"): (_column_checks_added,),
}


def _compare_now(key: str, dialect: str, step: str, url: str, limbeck: Child, alembic: Child,
                 opts: dict[str, Any] | None = None) -> None:
    """Both tools' autogenerate on the database at ``url`` as it is now, compared."""
    ours, theirs = (tool.ask(op="autogenerate", key=key, url=url, opts=opts) for tool in (limbeck, alembic))
    _compare(key, dialect, step, ours, theirs)


def _compare(key: str, dialect: str, step: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    for departure in DEPARTURES.get((key, dialect, step), ()):
        ours, theirs = departure(key, ours, theirs)
    _same(ours, theirs, f"{key} on {dialect}, {step}")


CASES = [
    pytest.param(m.key, d, marks=[getattr(pytest.mark, d)] if d != "sqlite" else [], id=f"{m.key}-{d}")
    for m in MODELS for d in m.dialects
]
#: the cases whose models the database accepts: only those can be migrated (the others' uncreatable
#: reason is shown by the empty-database test, which still compares the rendered migration)
CREATABLE = [case for case in CASES if not _uncreatable(*case.values)]


@pytest.mark.parametrize(("key", "dialect"), CASES)
def test_empty_database_then_alembic_upgrade(key: str, dialect: str, alembic: Child, limbeck: Child,
                                             request: pytest.FixtureRequest, tmp_path: Path) -> None:
    _models(key)
    url = _url(dialect, request, tmp_path)
    theirs = alembic.ask(op="autogenerate", key=key, url=url)
    ours = limbeck.ask(op="autogenerate", key=key, url=url)
    _compare(key, dialect, "empty", ours, theirs)
    if _uncreatable(key, dialect):
        return
    alembic.ask(op="upgrade", key=key, url=url, code=theirs["upgrade"])
    _compare_now(key, dialect, "after alembic's upgrade", url, limbeck, alembic)


@pytest.mark.parametrize(("key", "dialect"), CREATABLE)
def test_limbeck_upgrade(key: str, dialect: str, alembic: Child, limbeck: Child, request: pytest.FixtureRequest,
                         tmp_path: Path) -> None:
    _models(key)
    url = _url(dialect, request, tmp_path)
    limbeck.ask(op="upgrade", key=key, url=url, code=limbeck.ask(op="autogenerate", key=key, url=url)["upgrade"])
    _compare_now(key, dialect, "after limbeck's upgrade", url, limbeck, alembic)


@pytest.mark.parametrize(("key", "dialect"), CREATABLE)
def test_drifted_database(key: str, dialect: str, alembic: Child, limbeck: Child, request: pytest.FixtureRequest,
                          tmp_path: Path) -> None:
    _models(key)
    url = _url(dialect, request, tmp_path)
    limbeck.ask(op="drift", key=key, url=url)
    # the drift includes a changed server default
    _compare_now(key, dialect, "drifted", url, limbeck, alembic, {"compare_server_default": True})
