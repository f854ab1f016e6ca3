"""A database whose SQLAlchemy dialect lives outside SQLAlchemy, named in env.py as Alembic asks.

Alembic has no impl for such a dialect: the project declares one in env.py
(``class DuckDBImpl(PostgresqlImpl): __dialect__ = "duckdb"``; Snowflake,
YDB, CUBRID... subclass ``DefaultImpl``), and Alembic renders for it as for
the base. Under limbeck the same env.py runs (``alembic.ddl`` answers with
limbeck's stand-in), and the scripts are Alembic's, byte for byte. Each tool
runs as its own process on the same project.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DIALECTS = '''
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
from sqlalchemy.engine.default import DefaultDialect


class PGLike(PGDialect_psycopg2):
    """A PostgreSQL-wire database with a dialect of its own (as duckdb_engine's, CockroachDB's)."""
    name = "pglike"
    supports_statement_cache = True


class PlainSQL(DefaultDialect):
    """A database SQLAlchemy knows nothing about (as Snowflake's, YDB's dialects)."""
    name = "plainsql"
    supports_statement_cache = True
'''

ENV = '''
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sqlalchemy.dialects import registry

registry.register("pglike", "fakedialects", "PGLike")
registry.register("plainsql", "fakedialects", "PlainSQL")

from alembic import context
from alembic.ddl.impl import DefaultImpl
from alembic.ddl.postgresql import PostgresqlImpl


class PGLikeImpl(PostgresqlImpl):
    __dialect__ = "pglike"


class PlainImpl(DefaultImpl):
    __dialect__ = "plainsql"
    transactional_ddl = {transactional}
    command_terminator = "{terminator}"


context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
'''

REVISION = '''
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down!r}


def upgrade():
{body}


def downgrade():
    pass
'''

BODIES = [
    """    op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
    op.create_index("ix_account_name", "account", ["name"])""",
    """    op.alter_column("account", "name", nullable=False, existing_type=sa.String(20))
    op.alter_column("account", "name", new_column_name="title")
    op.add_column("account", sa.Column("flag", sa.Boolean, server_default=sa.false()))""",
    """    op.rename_table("account", "accounts")
    op.drop_index("ix_account_name", table_name="accounts")
    op.execute("UPDATE accounts SET flag = true")""",
]


def _project(root: Path, url: str, transactional: bool, terminator: str) -> Path:
    versions = root / "versions"
    versions.mkdir(parents=True)
    (root / "fakedialects.py").write_text(DIALECTS)
    (root / "env.py").write_text(ENV.format(transactional=transactional, terminator=terminator))
    down = None
    for i, body in enumerate(BODIES, 1):
        rev = f"r{i}"
        (versions / f"{rev}.py").write_text(REVISION.format(rev=rev, down=down, body=body))
        down = rev
    ini = root / "alembic.ini"
    ini.write_text(textwrap.dedent(f"""\
        [alembic]
        script_location = {root}
        sqlalchemy.url = {url}
        """))
    return ini


def _run(tool: str, ini: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", tool, "-c", str(ini), "upgrade", "head", "--sql"],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("url", "transactional", "terminator", "shows"), [
    ("pglike://", False, ";", "ALTER TABLE account ALTER COLUMN name SET NOT NULL;"),
    ("plainsql://", True, ";", "ALTER TABLE account RENAME name TO title;"),
    ("plainsql://", False, "", "ALTER TABLE account RENAME TO accounts\n"),
], ids=["postgresql-like", "default-transactional", "default-no-terminator"])
def test_script_is_alembics(tmp_path: Path, url: str, transactional: bool, terminator: str, shows: str) -> None:
    ini = _project(tmp_path / "project", url, transactional, terminator)
    theirs, ours = _run("alembic", ini), _run("limbeck", ini)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert shows in ours.stdout
    # the PostgreSQL-like database is transactional through its base; the other as its class says
    assert ours.stdout.startswith("BEGIN;") is (url == "pglike://" or transactional)
    assert ours.stdout == theirs.stdout
    # a class that sets only settings says nothing
    assert "LimbeckWarning" not in ours.stderr


def test_methods_of_the_class_are_named_as_not_called(tmp_path: Path) -> None:
    ini = _project(tmp_path / "project", "pglike://", False, ";")
    env = tmp_path / "project" / "env.py"
    env.write_text(env.read_text().replace('    __dialect__ = "pglike"\n', '    __dialect__ = "pglike"\n\n'
                                           '    def compare_type(self, *args):\n        return False\n'))
    ours = _run("limbeck", ini)
    assert ours.returncode == 0, ours.stderr
    assert "PGLikeImpl" in ours.stderr and "does not call its compare_type" in ours.stderr


def test_the_impl_classes_are_alembics() -> None:
    """Each database's impl class, named and derived as Alembic's, with its settings (made from the behaviours)."""
    from limbeck.alembic_modules import ddl

    assert ddl.__all__ == ["DefaultImpl", "MSSQLImpl", "MariaDBImpl", "MySQLImpl", "OracleImpl", "PostgresqlImpl",
                           "SQLiteImpl"]
    assert ddl.MariaDBImpl.__mro__[1] is ddl.MySQLImpl and ddl.PostgresqlImpl.__mro__[1] is ddl.DefaultImpl
    assert (ddl.PostgresqlImpl.transactional_ddl, ddl.MSSQLImpl.batch_separator, ddl.OracleImpl.command_terminator) \
        == (True, "GO", "")
