"""The autogenerate corpus against real Alembic 1.20.1, run at test time.

Rendering cases (``agcorpus_render_*.py``) build operation records as
Alembic's own rendering tests do and render them with both libraries in this
process; the two must be the same code with the same imports (see
``agcorpus_common``), or the case names the README departure it shows, and
then it must still differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import agcorpus_common as common
from . import (
    agcorpus_compare_checks,
    agcorpus_compare_columns,
    agcorpus_compare_indexes,
    agcorpus_compare_keys,
    agcorpus_compare_plugins,
    agcorpus_compare_schemas,
    agcorpus_compare_suite,
    agcorpus_compare_types,
    agcorpus_compare_unreflected,
    agcorpus_render_dialects,
    agcorpus_render_ops,
    agcorpus_render_tables,
)
from . import agcorpus_departures as departures

#: the dialects whose cases need a database server (a pytest mark of that name); the others run in memory
_SERVERS = ("postgresql", "mariadb")
RENDER = [*agcorpus_render_ops.CASES, *agcorpus_render_tables.CASES, *agcorpus_render_dialects.CASES]
COMPARE = [*agcorpus_compare_indexes.CASES, *agcorpus_compare_keys.CASES, *agcorpus_compare_columns.CASES,
           *agcorpus_compare_schemas.CASES, *agcorpus_compare_checks.CASES, *agcorpus_compare_suite.CASES,
           *agcorpus_compare_types.CASES, *agcorpus_compare_unreflected.CASES,
           *agcorpus_compare_plugins.CASES]
COMPARE_PARAMS = [
    pytest.param(case, dialect, marks=[getattr(pytest.mark, dialect)] if dialect in _SERVERS else [],
                 id=f"{case.id}-{dialect}")
    for case in COMPARE for dialect in case.dialects
]


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in [*RENDER, *COMPARE]]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_listed_departures_name_cases() -> None:
    from fnmatch import fnmatchcase

    ids = [c.id for c in RENDER] + [f"{c.id}-{d}" for c in COMPARE for d in c.dialects]
    stale = [p for p in departures.LISTED if not any(fnmatchcase(i, p) for i in ids)]
    assert not stale, f"departures listed for no case: {stale}"


@pytest.mark.parametrize("case", RENDER, ids=[c.id for c in RENDER])
def test_renders_what_alembic_renders(case: Any) -> None:
    pytest.importorskip("alembic")
    theirs = common.render(common.alembic_api(), case)
    ours = common.render(common.limbeck_api(), case)
    difference = common.compare(theirs, ours)
    why = departures.reason(case.id)
    if why is None:
        assert difference is None, difference
    else:
        assert difference is not None, f"listed as a departure ({why}) but limbeck now renders what Alembic does"


def _shared_database(server: Any) -> Iterator[str]:
    """One database for all the cases on a server, emptied before each (a new database each is slower)."""
    import uuid

    name = f"agcorpus_{uuid.uuid4().hex[:10]}"
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield f"{server.url}/{name}"
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture(scope="module")
def agcorpus_pg(postgresql_server: Any) -> Iterator[str]:
    yield from _shared_database(postgresql_server)


@pytest.fixture(scope="module")
def agcorpus_mariadb(mariadb_server: Any) -> Iterator[str]:
    yield from _shared_database(mariadb_server)


#: what empties the shared database of one server
_EMPTY = {
    "postgresql": ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public", "DROP SCHEMA IF EXISTS test_schema CASCADE",
                   "CREATE SCHEMA test_schema"],
    "mariadb": ["DROP DATABASE {db}", "CREATE DATABASE {db}", "USE {db}"],
}


_ENGINES: dict[str, Any] = {}


def _connection(dialect: str, request: pytest.FixtureRequest) -> Any:
    import sqlalchemy as sa

    if dialect == "sqlite":
        return sa.create_engine("sqlite://").connect()
    if dialect == agcorpus_compare_unreflected.UNREFLECTING:
        return agcorpus_compare_unreflected.connect()
    url = request.getfixturevalue(f"agcorpus_{'pg' if dialect == 'postgresql' else 'mariadb'}")
    if url not in _ENGINES:
        _ENGINES[url] = sa.create_engine(url, poolclass=sa.pool.NullPool)
    conn = _ENGINES[url].connect()
    for statement in _EMPTY[dialect]:
        conn.exec_driver_sql(statement.format(db=url.rsplit("/", 1)[-1]))
    conn.commit()
    return conn


@pytest.mark.parametrize(("case", "dialect"), COMPARE_PARAMS)
def test_compares_what_alembic_compares(case: Any, dialect: str, request: pytest.FixtureRequest) -> None:
    pytest.importorskip("alembic")
    conn = _connection(dialect, request)
    try:
        case.db().create_all(conn)
        conn.commit()
        theirs = common.run_compare(common.alembic_api(), conn, case)
        ours = common.run_compare(common.limbeck_api(), conn, case)
    finally:
        conn.close()
    difference = common.compare_compared(theirs, ours)
    why = departures.reason(f"{case.id}-{dialect}")
    if why is None:
        assert difference is None, difference
    else:
        assert difference is not None, f"listed as a departure ({why}) but limbeck now does what Alembic does"
