"""``upgrade heads`` on the suite's real servers (and SQLite): Alembic and limbeck build the same schema.

Each tool migrates its own empty database (fixtures ``pg_url`` /
``mariadb_url`` from tests/conftest.py) through its CLI with the same
``env.py``; the schemas are then read back with SQLAlchemy's inspector
(tables, columns with type, nullability and default, keys, indexes, unique
and check constraints, PostgreSQL enums) and the version table, and must be
equal. Under CI=true the servers never skip (tests/conftest.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from .conftest import Runs, project_by_name
from .harness import describe, run_tool
from .projects import History, Project

#: (project, history, server): projects whose whole history runs on an empty database
ONLINE = (
    ("ckan", "main", "postgresql"),
    ("apache-airflow-providers-fab", "main", "postgresql"),
    ("ironic", "main", "mariadb"),
    # SQLite's batch rebuilds, reflected from the database, on prefect's SQLite history
    ("prefect", "sqlite", "sqlite"),
    # SQLite batch rebuilds of reflected tables with named and unnamed constraints, data moved
    # through the bind, expression indexes
    ("open-webui", "main", "sqlite"),
    ("conda-store-server", "main", "sqlite"),
    ("open-webui", "main", "postgresql"),
    ("conda-store-server", "main", "postgresql"),
    # data migrations through the bind with the application's values (a fixed clock here)
    ("gnocchi", "main", "postgresql"),
    # render_as_batch on SQLite, where Alembic cannot render them offline: optuna's batch rebuilds
    # and reads of the database, keylime's multidb revisions on one of its databases
    ("optuna", "main", "sqlite"),
    ("keylime", "cloud_verifier", "sqlite"),
    # SQLite batch rebuilds across a merge of two branches
    ("quetz-server", "main", "sqlite"),
    ("flaskbb", "main", "sqlite"),
    # render_as_batch and data migrations through the bind, where Alembic cannot render them offline
    ("rally", "main", "sqlite"),
    # the table prefix its env.py hands every upgrade() through run_migrations(), and its own version table
    ("zuul", "main", "postgresql"),
    # data migrations that read the rows they move (none on an empty database), offline skipped
    ("module-build-service", "main", "postgresql"),
    ("datajunction-server", "main", "postgresql"),
    # a Flask-Migrate history on SQLite, the database of its development setup
    ("odcs", "main", "sqlite"),
    # render_as_batch on SQLite, where Alembic cannot render its rebuilds offline
    ("maubot", "main", "sqlite"),
    # render_as_batch on MySQL; a MySQL history of its own
    ("mlrun", "mysql", "mariadb"),
    ("pyfunceble", "mysql", "mariadb"),
    # a data migration through the ORM (a row seeded where missing), offline skipped
    ("zou", "main", "postgresql"),
    # chosen by an online sweep of every (history, server) pair (session 20): SQLite batch rebuilds
    # with data moved through the bind and reflection (dagster, argilla-server), batch and inspection
    # on PostgreSQL (airflow's edge3 provider), MariaDB's non-transactional DDL with data migrations
    # through the bind (blazar), bulk_insert rows (networking-odl, monasca-api), render_as_batch on
    # MySQL (keylime's registrar)
    ("dagster", "main", "sqlite"),
    ("argilla-server", "main", "sqlite"),
    ("apache-airflow-providers-edge3", "main", "postgresql"),
    ("blazar", "main", "mariadb"),
    ("networking-odl", "main", "mariadb"),
    ("monasca-api", "main", "mariadb"),
    ("keylime", "registrar", "mariadb"),
    # render_as_batch on SQLite, where Alembic cannot render most of their rebuilds offline
    ("covalent", "main", "sqlite"),
    ("knowledge-repo", "main", "sqlite"),
    ("mautrix-facebook", "main", "sqlite"),
    # a data migration that inspects the database first, offline skipped
    ("nostr-relay", "main", "sqlite"),
    # MySQL histories on MariaDB (iotronic's has no downgrades)
    ("amundsen-rds", "main", "mariadb"),
    ("iotronic", "main", "mariadb"),
    # a library's tables with per-dialect branches in its revisions (taskflow), a schema of its own
    # with triggers (dbos), batch rebuilds with automap data migrations (nonebot-bison), SQLite (embedchain)
    ("taskflow", "main", "sqlite"),
    ("dbos", "main", "postgresql"),
    ("nonebot-bison", "main", "sqlite"),
    ("embedchain", "main", "sqlite"),
)


def schema(url: str, version_table: str) -> dict[str, Any]:
    """What the inspector sees in the database at ``url``, in a comparable form."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            tables: dict[str, Any] = {}
            for name in sorted(inspector.get_table_names()):
                tables[name] = {
                    "columns": [
                        (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                        for c in inspector.get_columns(name)
                    ],
                    "pk": inspector.get_pk_constraint(name),
                    "fks": sorted(map(repr, inspector.get_foreign_keys(name))),
                    "indexes": sorted(map(_text, inspector.get_indexes(name))),
                    "uniques": sorted(map(repr, inspector.get_unique_constraints(name))),
                    "checks": sorted(map(repr, inspector.get_check_constraints(name))),
                }
            result: dict[str, Any] = {"tables": tables}
            if conn.dialect.name == "postgresql":
                result["enums"] = sorted(map(repr, inspector.get_enums()))  # type: ignore[attr-defined]
            if conn.dialect.name == "sqlite":
                result["sqlite_master"] = _sqlite_master(conn)
            result["version"] = sorted(r[0] for r in conn.execute(sa.text(f"SELECT version_num FROM {version_table}")))
            return result
    finally:
        engine.dispose()


def _sqlite_master(conn: sa.Connection) -> list[Any]:
    """The SQL SQLite keeps for each table: what later batch operations reflect, text included.

    A CREATE TABLE's lines are compared as a set (trailing commas dropped):
    Alembic lists a rebuilt table's named constraints, and its unnamed ones,
    each in a set's order. Indexes are not: a rebuild by limbeck keeps
    expression indexes, ``DESC`` and ``COLLATE``, which Alembic's reflection
    drops (README, "Batch mode"); the inspector compares the rest of them.
    """
    rows = conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return sorted((kind, name, table, sorted(line.rstrip(", ") for line in (sql or "").splitlines()))
                  for kind, name, table, sql in rows)


def _text(index: dict[str, Any]) -> str:
    """An index as text; a partial index's WHERE clause (a SQL expression) by its SQL."""
    options = {k: str(v) for k, v in index.get("dialect_options", {}).items()}
    return repr({**index, "dialect_options": options})


def _migrate(tool: str, runs: Runs, project: Project, history: History, url: str) -> None:
    workspace = runs.workspace(project, history)
    workspace.write_ini(url)
    outcome = run_tool(tool, workspace, "upgrade", "heads")
    assert outcome.code == 0, f"{tool} upgrade heads on {url.split('@')[0]}: {describe(outcome)}"


@pytest.mark.parametrize("name, key, server", ONLINE, ids=[f"{n}-{k}-{s}" for n, k, s in ONLINE])
def test_online_schema(runs: Runs, request: pytest.FixtureRequest, name: str, key: str, server: str) -> None:
    project = project_by_name(name)
    history = next(h for h in project.histories if h.key == key)
    if server == "sqlite":
        tmp = request.getfixturevalue("tmp_path")
        alembic_url, limbeck_url = f"sqlite:///{tmp / 'alembic.db'}", f"sqlite:///{tmp / 'limbeck.db'}"
    else:
        alembic_url = request.getfixturevalue("pg_url" if server == "postgresql" else "mariadb_url")
        # a second fresh database for limbeck: the fixture gives one per test
        limbeck_url = _second_database(request, server)
    _migrate("alembic", runs, project, history, alembic_url)
    _migrate("limbeck", runs, project, history, limbeck_url)
    version_table = history.configure.get("version_table", "alembic_version")
    expected, got = schema(alembic_url, version_table), schema(limbeck_url, version_table)
    assert expected["tables"], "Alembic built nothing: the comparison would be empty"
    assert got["version"] == expected["version"]
    assert got == expected


def _second_database(request: pytest.FixtureRequest, server: str) -> str:
    srv = request.getfixturevalue("postgresql_server" if server == "postgresql" else "mariadb_server")
    name = f"rw_{uuid.uuid4().hex[:10]}"
    with srv.admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = f"{srv.url}/{name}"

    def drop() -> None:
        with srv.admin.connect() as conn:
            force = " WITH (FORCE)" if server == "postgresql" else ""
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")

    request.addfinalizer(drop)
    return url
