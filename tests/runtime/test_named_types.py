"""PostgreSQL named types that ``create_table`` creates are created once per run, as in Alembic.

SQLAlchemy creates a PostgreSQL ``ENUM`` (or ``DOMAIN``) from the table's
``before_create`` event and notes its name in the DDL runner's memo, so the
next table using it does not create it again. Alembic's runner lives for the
run (one ``context.configure()``): the type is created by the first
``create_table`` of the run that uses it, in whichever revision and direction,
and by no other; ``create_type=False`` neither creates nor notes it; an
explicit ``.create(bind)`` does not note it; a type bound to a ``MetaData`` is
created once as well. limbeck must write the same script (Alembic 1.20.1 runs
in a subprocess as a black box) and run the same history online on the
suite's PostgreSQL (the second ``CREATE TYPE`` would fail there).
"""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config

ENV = '''
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
options = {"transaction_per_migration": config.get_main_option("per_migration") == "true"}
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
'''

#: revision -> (upgrade, downgrade); linear in this order
REVISIONS = {
    "a1": ('''
        op.create_table("t1", sa.Column("s", sa.Enum("x", "y", name="st")))
        op.create_table("t2", sa.Column("s", sa.Enum("x", "y", name="st")))
        op.create_table("t4", sa.Column("s", postgresql.ENUM("x", "y", name="st2")))
        op.create_table("t3", sa.Column("s", postgresql.ENUM("x", "y", name="st2", create_type=False)))
        ''', '''
        op.drop_table("t4")
        op.drop_table("t3")
        op.drop_table("t2")
        op.drop_table("t1")
        op.create_table("t5", sa.Column("s", sa.Enum("x", "y", name="sd")))
        op.drop_table("t5")
        op.execute("DROP TYPE sd")
        op.execute("DROP TYPE st")
        op.execute("DROP TYPE st2")
        '''),
    "b2": ('''
        op.create_table("t6", sa.Column("s", sa.Enum("x", "y", name="st")))
        op.execute("CREATE SCHEMA other")
        op.create_table("t7", sa.Column("s", sa.Enum("x", "y", name="st", schema="other")))
        sa.Enum("p", "q", name="st3").create(op.get_bind(), checkfirst=False)
        op.create_table("t8", sa.Column("s", postgresql.ENUM("p", "q", name="st3", create_type=False)))
        m = sa.MetaData()
        e = sa.Enum("m", "n", name="st4", metadata=m)
        op.create_table("t9", sa.Column("s", e))
        op.create_table("t10", sa.Column("s", e))
        ''', '''
        op.drop_table("t6")
        op.create_table("t11", sa.Column("s", sa.Enum("x", "y", name="sd")))
        op.create_table("t12", sa.Column("s", sa.Enum("x", "y", name="sd")))
        op.drop_table("t12")
        op.drop_table("t11")
        for table in ("t10", "t9", "t8", "t7"):
            op.drop_table(table)
        op.execute("DROP SCHEMA other CASCADE")
        op.execute("DROP TYPE st3")
        op.execute("DROP TYPE st4")
        '''),
}

HEADER = '''from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = {rev!r}
down_revision = {down!r}


def upgrade():
{up}


def downgrade():
{down_body}
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("named_types")
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV)
    down = None
    for rev, (up, down_body) in REVISIONS.items():
        def body(text: str) -> str:
            return textwrap.indent(textwrap.dedent(text).strip(), "    ")

        (versions / f"{rev}_x.py").write_text(HEADER.format(rev=rev, down=down, up=body(up), down_body=body(down_body)))
        down = rev
    return root


def _ini(project: Path, url: str, per_migration: bool) -> Path:
    ini = project / f"alembic-{abs(hash((url, per_migration)))}.ini"
    ini.write_text(f"[alembic]\nscript_location = {project}/migrations\nsqlalchemy.url = {url}\n"
                   f"per_migration = {str(per_migration).lower()}\n")
    return ini


#: real Alembic in a subprocess: each (ini, command, revision, sql) of argv[1]; prints the scripts as JSON
ALEMBIC = '''
import contextlib, io, json, sys
from alembic import command
from alembic.config import Config

out = []
for ini, cmd, rev, sql in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        getattr(command, cmd)(Config(ini), rev, sql=sql)
    out.append(buffer.getvalue())
json.dump(out, sys.stdout)
'''


def alembic(*runs: tuple[Path, str, str, bool]) -> list[str]:
    if importlib.util.find_spec("alembic") is None:
        pytest.skip("real Alembic is not installed (pip install -e '.[test]')")
    done = subprocess.run([sys.executable, "-c", ALEMBIC, json.dumps([[str(i), c, r, s] for i, c, r, s in runs])],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result: list[str] = json.loads(done.stdout)
    return result


def limbeck(ini: Path, cmd: str, rev: str, sql: bool) -> str:
    config = Config(str(ini), stdout=io.StringIO())
    buffer = io.StringIO()
    config.output_buffer = buffer
    getattr(command, cmd)(config, rev, sql=sql)
    return buffer.getvalue()


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "per-migration"])
def test_offline_same_as_alembic(project: Path, per_migration: bool) -> None:
    ini = _ini(project, "postgresql://", per_migration)
    runs = [(ini, "upgrade", "base:head", True), (ini, "downgrade", "head:base", True), (ini, "upgrade", "a1:head", True)]
    theirs = alembic(*runs)
    for (_, cmd, rev, _sql), expected in zip(runs, theirs):
        ours = limbeck(ini, cmd, rev, True)
        assert ours == expected, f"{cmd} {rev}"
    up, down, second = (limbeck(ini, cmd, rev, True) for _, cmd, rev, _ in runs)
    # what the comparison covers: once per run and name, in either direction, never with create_type=False
    assert up.count("CREATE TYPE st AS") == 1 and up.count("CREATE TYPE st2 AS") == 1
    assert up.count("CREATE TYPE other.st AS") == 1 and up.count("CREATE TYPE st4 AS") == 1
    assert up.count("CREATE TYPE st3 AS") == 1  # the explicit .create(bind) only
    assert down.count("CREATE TYPE sd AS") == 1  # t11 in b2's downgrade; not t12, not t5 in a1's
    assert second.count("CREATE TYPE st AS") == 1  # a run starting at a1 creates it again (t6)


def _types(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return sorted((r[0], r[1]) for r in conn.execute(sa.text(
                "SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE t.typtype = 'e'")))
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_online_postgresql(project: Path, pg_url: str, postgresql_server: object) -> None:
    """Both tools migrate up, down and up again; a second CREATE TYPE in a run would fail."""
    second = pg_url.rsplit("/", 1)[0] + "/" + pg_url.rsplit("/", 1)[1] + "_l"
    with postgresql_server.admin.connect() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(f"CREATE DATABASE {second.rsplit('/', 1)[1]}")
    try:
        theirs, ours = _ini(project, pg_url, False), _ini(project, second, False)
        steps = [("upgrade", "head"), ("downgrade", "base"), ("upgrade", "head")]
        alembic(*[(theirs, cmd, rev, False) for cmd, rev in steps])
        for cmd, rev in steps:
            limbeck(ours, cmd, rev, False)
        assert _types(second) == _types(pg_url) == [
            ("other", "st"), ("public", "st"), ("public", "st2"), ("public", "st3"), ("public", "st4")]
    finally:
        with postgresql_server.admin.connect() as conn:  # type: ignore[attr-defined]
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {second.rsplit('/', 1)[1]} WITH (FORCE)")
