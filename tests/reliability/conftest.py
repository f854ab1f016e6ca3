"""Fixtures of the reliability suite: fresh databases on every real server, projects on disk.

Helper modules are loaded under stable names (pytest runs in importlib
mode, where test folders are not packages): test modules say
``import limbeck_reliability_dbtools`` and so on.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _load(name: str, filename: str) -> Any:
    full = f"limbeck_reliability_{name}"
    if full in sys.modules:
        return sys.modules[full]
    spec = importlib.util.spec_from_file_location(full, HERE / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    spec.loader.exec_module(module)
    return module


# in dependency order
_load("sqlsplit", "sqlsplit.py")
_load("dbtools", "dbtools.py")
_load("project", "project.py")
_load("histories", "histories.py")
_load("procs", "procs.py")


class Databases:
    """Makes fresh, empty databases of one kind and drops them at the end of the test."""

    def __init__(self, kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
        self.kind = kind
        self.tmp_path = tmp_path
        self.server: Any = None
        if kind == "postgresql":
            self.server = request.getfixturevalue("postgresql_server")
        elif kind == "mariadb":
            self.server = request.getfixturevalue("mariadb_server")
        self.created: list[str] = []

    def new(self) -> str:
        """The URL of a new empty database."""
        name = f"r_{uuid.uuid4().hex[:10]}"
        if self.server is None:
            return f"sqlite:///{self.tmp_path / (name + '.db')}"
        # MariaDB's default character set (latin1) cannot hold the unicode the tests write
        charset = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" if self.kind == "mariadb" else ""
        with self.server.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}{charset}")
        self.created.append(name)
        query = "?charset=utf8mb4" if self.kind == "mariadb" else ""
        return f"{self.server.url}/{name}{query}"

    def drop_all(self) -> None:
        if self.server is None:
            return
        force = " WITH (FORCE)" if self.kind == "postgresql" else ""
        with self.server.admin.connect() as conn:
            for name in self.created:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    """Fresh databases on each real database the suite runs (SQLite, PostgreSQL, MariaDB)."""
    dbs = Databases(request.param, request, tmp_path)
    try:
        yield dbs
    finally:
        dbs.drop_all()


@pytest.fixture(params=["postgresql", "mariadb"])
def server_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    """Fresh databases on the two server databases only."""
    dbs = Databases(request.param, request, tmp_path)
    try:
        yield dbs
    finally:
        dbs.drop_all()


@pytest.fixture
def make_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Databases]]:
    """``make_databases(kind)`` for tests that choose the database themselves."""
    made: list[Databases] = []

    def make(kind: str) -> Databases:
        dbs = Databases(kind, request, tmp_path)
        made.append(dbs)
        return dbs

    try:
        yield make
    finally:
        for dbs in made:
            dbs.drop_all()


@pytest.fixture
def new_project(tmp_path: Path) -> Callable[..., Any]:
    """``new_project(url, history, env_edit=None, options=None)`` -> Config of a project on disk."""
    project = sys.modules["limbeck_reliability_project"]

    def make(url: str | None, history: list[Any], **kw: Any) -> Any:
        root = tmp_path / f"proj{len(list(tmp_path.glob('proj*')))}"
        return project.write_project(root, url, history, **kw)

    return make
