"""pytest-alembic 0.13 on limbeck: its built-in tests, on SQLite and PostgreSQL.

A project with a three-revision history runs ``pytest --test-alembic`` on
Alembic and with ``LIMBECK_AS_ALEMBIC=1``; each built-in test must end the
same way on both. A second project breaks two things on purpose (a model
column no revision creates, a downgrade that fails) so that the tests are
seen failing on limbeck exactly where they fail on Alembic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from limbeck_ecosystem_harness import WHO_ANSWERS, Twin, twin_projects

BUILTIN = ("test_model_definitions_match_ddl", "test_single_head_revision", "test_up_down_consistency", "test_upgrade")

ENV_PY = '''
from alembic import context
from sqlalchemy import engine_from_config, pool

import models

config = context.config
target_metadata = models.Base.metadata


def run(connection):
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


connectable = config.attributes.get("connection")
if connectable is None:
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
if hasattr(connectable, "connect"):
    with connectable.connect() as connection:
        run(connection)
        connection.commit()
else:
    run(connectable)
'''

MODELS = '''
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "account"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50), nullable=False)
    email = sa.Column(sa.String(200), index=True)
{extra}

class Invoice(Base):
    __tablename__ = "invoice"
    id = sa.Column(sa.Integer, primary_key=True)
    account_id = sa.Column(sa.Integer, sa.ForeignKey("account.id"), nullable=False)
    total = sa.Column(sa.Numeric(10, 2), nullable=False, server_default="0")
'''

REVISIONS = {
    "a1_account.py": '''
from alembic import op
import sqlalchemy as sa

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50), nullable=False))


def downgrade():
    op.drop_table("account")
''',
    "b2_email.py": '''
from alembic import op
import sqlalchemy as sa

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("account", sa.Column("email", sa.String(200)))
    op.create_index("ix_account_email", "account", ["email"])


def downgrade():
    op.drop_index("ix_account_email", table_name="account")
    op.drop_column("account", "{dropped}")
''',
    "c3_invoice.py": '''
from alembic import op
import sqlalchemy as sa

revision = "c3"
down_revision = "b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
        sa.Column("total", sa.Numeric(10, 2), nullable=False, server_default="0"),
    )
    op.bulk_insert(sa.table("account", sa.column("id"), sa.column("name")), [{{"id": 1, "name": "first"}}])


def downgrade():
    op.drop_table("invoice")
    op.execute("DELETE FROM account")
''',
}

CONFTEST = '''
import os
import uuid

import pytest
import sqlalchemy as sa
''' + WHO_ANSWERS + '''


@pytest.fixture
def alembic_engine(tmp_path):
    admin_url = os.environ["ECO_PG_ADMIN"] if os.environ.get("ECO_DB") == "postgresql" else None
    if admin_url is None:
        engine = sa.create_engine(f"sqlite:///{tmp_path}/test.db")
        yield engine
        engine.dispose()
        return
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"pa_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine = sa.create_engine(admin_url.rsplit("/", 1)[0] + "/" + name)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    admin.dispose()
'''


def _files(broken: bool) -> dict[str, str]:
    files = {
        "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///unused.db\n",
        "pytest.ini": "[pytest]\n",
        "migrations/env.py": ENV_PY,
        "models.py": MODELS.format(extra="    nickname = sa.Column(sa.String(20))\n" if broken else ""),
        "tests/conftest.py": CONFTEST,
    }
    for name, text in REVISIONS.items():
        files[f"migrations/versions/{name}"] = text.format(dropped="no_such_column" if broken else "email")
    return files


_OUTCOME = re.compile(r"^(PASSED|FAILED|ERROR) tests/conftest.py::pytest-alembic::(\w+)", re.MULTILINE)


def _outcomes(twin: Twin, env: dict[str, str]) -> dict[str, str]:
    done = twin.run("python", "-m", "pytest", "--test-alembic", "-p", "no:cacheprovider", "-q", "-rA", extra_env=env)
    twin.check_answered()
    found = {name: outcome for outcome, name in _OUTCOME.findall(done.stdout)}
    assert sorted(found) == sorted(BUILTIN), done.output
    return found


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def test_builtin_tests_pass_as_on_alembic(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    env = {"ECO_DB": database}
    if database == "postgresql":
        make: Callable[[], str] = request.getfixturevalue("pg_databases")
        env["ECO_PG_ADMIN"] = make().rsplit("/", 1)[0] + "/postgres"
    pair = twin_projects(tmp_path, _files(broken=False))
    expected = _outcomes(pair.alembic, env)
    assert set(expected.values()) == {"PASSED"}
    assert _outcomes(pair.limbeck, env) == expected


def test_builtin_tests_fail_where_alembic_fails(tmp_path: Path) -> None:
    pair = twin_projects(tmp_path, _files(broken=True))
    expected = _outcomes(pair.alembic, {"ECO_DB": "sqlite"})
    assert expected["test_model_definitions_match_ddl"] == "FAILED"
    assert expected["test_up_down_consistency"] == "FAILED"
    assert _outcomes(pair.limbeck, {"ECO_DB": "sqlite"}) == expected
