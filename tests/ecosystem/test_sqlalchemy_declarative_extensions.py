"""sqlalchemy-declarative-extensions 0.17 on limbeck: comparators and renderers for views, schemas, grants, rows.

The tool registers schema-level comparators (``comparators.dispatch_for("schema")``),
renderers (``renderers.dispatch_for(Op)``), ``Rewriter._traverse`` entries and
operations (``Operations.register_operation`` / ``implementation_for``) for the
objects a model declares beside its tables (``@declarative_database``); env.py
calls ``register_alembic_events(...)``. A project declaring a view (SQLite and
PostgreSQL) and, on PostgreSQL, a schema, default grants to a role and seed
rows, is migrated twice (Alembic, then ``LIMBECK_AS_ALEMBIC=1``): autogenerate
after each change of the models, ``--sql``, upgrade, downgrade; revision files,
scripts and catalogs must match. The tool is installed at test time
(:func:`installed_tool`). Its sdist's tests (pytester runs of pytest-alembic
projects on pytest-mock-resources' Docker PostgreSQL/MySQL) are not run here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from limbeck_ecosystem_harness import (
    Pair,
    alembic_project,
    installed_tool,
    twin_projects,
)

DECLARATIVE_EXTENSIONS = "sqlalchemy-declarative-extensions==0.17.0"

#: ``register_alembic_events()`` registers its operations with ``Rewriter._traverse.dispatch_for(op)`` in env.py:
#: every command runs through it (limbeck lacked ``_traverse``, and env.py failed before any command ran).

MODELS = '''
import os

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

from sqlalchemy_declarative_extensions import Row, Rows, Schemas, View, Views, declarative_database

STAGE = int(os.environ.get("STAGE", "1"))
PG = os.environ["ECO_URL"].startswith("postgresql")


@declarative_database
class Base(DeclarativeBase):
    # on SQLite the tool reads every existing view as changed (it compares its CREATE VIEW text with
    # the reflected one) and its downgrade wraps one CREATE VIEW in another, with Alembic as well:
    # there a view comes only in the last stage
    if PG:
        views = Views().are(
            *([View("active_users", "SELECT id, name FROM users WHERE active")] if STAGE in (1, 2) else []),
            *([View("named_users", "SELECT id, name FROM users WHERE name IS NOT NULL")] if STAGE == 2 else []),
            *([View("active_users", "SELECT id, name, active FROM users WHERE active")] if STAGE == 3 else []),
        )
    else:
        views = Views().are(*([View("active_users", "SELECT id, name FROM users WHERE active")] if STAGE == 3 else []))
    rows = Rows().are(
        *([Row("users", id=1, name="admin", active=True)] if STAGE >= 1 else []),
        *([Row("users", id=2, name="guest" if STAGE == 2 else "visitor", active=False)] if STAGE >= 2 else []),
    )
    if PG:
        from sqlalchemy_declarative_extensions import Grants
        from sqlalchemy_declarative_extensions.dialects.postgresql import DefaultGrant

        schemas = Schemas().are(*(["reports"] if STAGE >= 1 else []), *(["archive"] if STAGE >= 2 else []))
        grants = Grants(ignore_unspecified=True).are(
            *([DefaultGrant.on_tables_in_schema("reports").grant("select", to="eco_reader")] if STAGE >= 1 else []),
            *([DefaultGrant.on_sequences_in_schema("reports").grant("usage", to="eco_reader")] if STAGE >= 2 else []),
        )


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50))
    active = sa.Column(sa.Boolean, nullable=False, server_default=sa.true())
'''

CATALOG_PG = [
    (
        "SELECT table_name, regexp_replace(view_definition, '\\s+', ' ', 'g') FROM information_schema.views"
        " WHERE table_schema = 'public' ORDER BY 1"
    ),
    "SELECT nspname FROM pg_namespace WHERE nspname IN ('reports', 'archive') ORDER BY 1",
    (
        "SELECT n.nspname, d.defaclobjtype, d.defaclacl::text FROM pg_default_acl d"
        " JOIN pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1, 2"
    ),
    "SELECT id, name, active FROM users ORDER BY id",
]
CATALOG_SQLITE = [
    "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY 1",
    "SELECT id, name, active FROM users ORDER BY id",
]


@pytest.fixture(scope="module")
def declarative_extensions() -> Path:
    return installed_tool(DECLARATIVE_EXTENSIONS)


def _pair(tmp_path: Path, tool: Path, urls: tuple[str, str] | None = None) -> Pair:
    files = alembic_project(
        MODELS,
        imports="import models\nfrom sqlalchemy_declarative_extensions import register_alembic_events",
        code="target_metadata = models.Base.metadata\nregister_alembic_events()",
    )
    return twin_projects(tmp_path, files, urls=urls, tool_path=tool)


def _migrate(pair: Pair, catalog: list[str], *, offline: bool = True) -> None:
    """The table, then three stages of the objects beside it, then back to base: the same files, scripts and
    catalogs after each step. (The tool's comparators run before the tables': its seed rows and views go in
    a revision after the one creating their table, as its documentation says.)"""
    down = "base"
    for stage, rev_id in ((0, "a0"), (1, "a1"), (2, "b2"), (3, "c3")):
        pair.env["STAGE"] = str(stage)
        written = pair.autogenerate(rev_id, f"stage {stage}")
        assert ("op.execute(" if stage else "op.create_table(") in written, written
        if offline or stage:
            pair.same_sql("alembic", "upgrade", f"{down}:{rev_id}")
        pair.both("alembic", "upgrade", "head")
        pair.schemas(catalog)
        down = rev_id
    # the tool compares a view's text as written with the database's, so `check` still finds the
    # changed view (on PostgreSQL its own to_diff_tuple raises): both fail; limbeck lists the changes
    # one a line and exits 1 where Alembic exits 255 (README, documented departures)
    real = pair.alembic.run("alembic", "check", extra_env=pair.env)
    ours = pair.limbeck.run("alembic", "check", extra_env=pair.env)
    assert real.returncode != 0 and ours.returncode != 0, ours.output
    pair.same_sql("alembic", "downgrade", "c3:a0")
    pair.both("alembic", "downgrade", "a1")
    pair.schemas(catalog)
    pair.both("alembic", "downgrade", "base")
    assert list(pair.schemas()) == ["alembic_version"]
    pair.check_answered()


def test_views_and_rows_on_sqlite_match_alembic(tmp_path: Path, declarative_extensions: Path) -> None:
    _migrate(_pair(tmp_path, declarative_extensions), CATALOG_SQLITE)


@pytest.fixture
def reader_role(postgresql_server: Any) -> Iterator[None]:
    """The role the default grants name (roles are the server's, shared by both twins' databases)."""
    with postgresql_server.admin.connect() as conn:
        conn.exec_driver_sql("DROP ROLE IF EXISTS eco_reader")
        conn.exec_driver_sql("CREATE ROLE eco_reader")
    yield
    import sqlalchemy as sa

    with postgresql_server.admin.connect() as conn:
        databases = [row[0] for row in conn.exec_driver_sql("SELECT datname FROM pg_database WHERE starts_with(datname, 'eco_')")]
    for database in databases:  # the default privileges granted to it, in each twin's database
        engine = sa.create_engine(f"{postgresql_server.url}/{database}", poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP OWNED BY eco_reader")
        engine.dispose()
    with postgresql_server.admin.connect() as conn:
        conn.exec_driver_sql("DROP ROLE IF EXISTS eco_reader")


@pytest.mark.postgresql
def test_schemas_grants_views_rows_on_postgresql_match_alembic(
    tmp_path: Path, declarative_extensions: Path, pg_databases: Any, reader_role: None
) -> None:
    pair = _pair(tmp_path, declarative_extensions, urls=(pg_databases(), pg_databases()))
    _migrate(pair, CATALOG_PG, offline=True)


def test_rewriter_traverse_registers_as_alembic(tmp_path: Path, declarative_extensions: Path) -> None:
    """The call ``register_rewriter_dispatcher`` makes, and the rewrite it must leave working."""
    probe = (
        "from alembic.autogenerate.rewriter import Rewriter\n"
        "from alembic.operations import ops\n"
        "from sqlalchemy_declarative_extensions import View\n"
        "from sqlalchemy_declarative_extensions.view.compare import CreateViewOp\n"
        "Rewriter._traverse.dispatch_for(CreateViewOp)(lambda self, context, revision, directive: None)\n"
        "writer = Rewriter()\n"
        "@writer.rewrites(ops.AddColumnOp)\n"
        "def keep(context, revision, op):\n"
        "    return op\n"
        "script = ops.MigrationScript('a1', ops.UpgradeOps(ops=[CreateViewOp(View('v', 'SELECT 1'))]), ops.DowngradeOps(ops=[]))\n"
        "directives = [script]\n"
        "writer(None, None, directives)\n"
        "print(type(directives[0].upgrade_ops.ops[0]).__name__)\n"
    )
    pair = twin_projects(tmp_path, {"probe.txt": ""}, tool_path=declarative_extensions)
    real, ours = pair.both("python", "-c", probe)
    assert ours == real == "CreateViewOp\n"
