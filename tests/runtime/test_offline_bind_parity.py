"""Offline ``op.get_bind()`` writes what Alembic 1.20.1 writes, on every dialect.

One Alembic-style project uses the bind the ways real histories do: facts
(``name``, ``engine.name``, ``dialect.name``), ``Enum.create(bind)`` and
``drop(bind)``, PostgreSQL ``ENUM(create_type=False).create(bind,
checkfirst=False)``, ``table.create(bind)``, ``Index.create(bind)``,
``Sequence.create(bind)``, ``metadata.create_all(bind)`` / ``drop_all(bind)``
with DDL events on the table and the metadata, and statements executed on it
(``text()`` UPDATE and SELECT, ``update()``, ``delete()``, ``insert()``,
``select()``, ``WITH ... UPDATE``, ``if result:``), plus ``print()``.

Real Alembic renders it in a subprocess (a black box: only its output is
read) and limbeck renders it here; the scripts must be equal byte for byte
except, on Oracle, the version-table ``INSERT``'s ``RETURNING ... INTO :ret_0``,
a documented departure. ``print()`` is compared with ``offline_print = raw``
(Alembic's form); limbeck's default, the comment form, is the golden script
in ``snapshots/offline/<dialect>/get_bind_*.sql``.

Statements executed with parameters are a deliberate departure (Alembic drops
the parameters): that test checks Alembic still loses them, so the departure
stays justified, and snapshots limbeck's text.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.dialects import KNOWN_DIALECTS
from tests.sqlalchemy_facts import RecordedOn2_1

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots" / "offline"

ENV = '''
from alembic import context

config = context.config
context.configure(
    url=config.get_main_option("sqlalchemy.url"),
    target_metadata=None,
    literal_binds=True,
    dialect_opts={"paramstyle": "named"},
)
with context.begin_transaction():
    context.run_migrations()
'''

PREAMBLE = '''
note = sa.table("note", sa.column("id", sa.Integer), sa.column("body", sa.String))
thing = sa.Table(
    "thing", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(40), index=True),
    sa.Column("kind", sa.Enum("a", "b", name="thing_kind", create_constraint=True)),
)
sa.event.listen(thing, "after_create", sa.DDL("COMMENT ON TABLE thing IS 'made offline'").execute_if(dialect="postgresql"))
sa.event.listen(thing, "after_create", sa.DDL("INSERT INTO thing (id, label) VALUES (0, 'seed')"))
sa.event.listen(thing, "before_drop", sa.DDL("DELETE FROM thing"))
meta = sa.MetaData()
parent = sa.Table(
    "parent", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("flag", sa.Boolean, server_default=sa.false())
)
child = sa.Table(
    "child", meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.ForeignKey("parent.id", ondelete="CASCADE"), nullable=False),
    sa.Column("size", sa.Enum("s", "m", name="child_size")),
    sa.Column("made", sa.DateTime, server_default=sa.func.now()),
    sa.UniqueConstraint("parent_id", "size", name="uq_child"),
    sa.CheckConstraint("id > 0", name="ck_child_id"),
)
sa.Index("ix_child_made", child.c.made.desc())
sa.event.listen(meta, "before_create", sa.DDL("UPDATE note SET body = 'before'"))
sa.event.listen(meta, "after_drop", sa.DDL("UPDATE note SET body = 'after'"))
'''

#: revision -> (upgrade body, downgrade body); a linear history in this order
REVISIONS: dict[str, tuple[str, str]] = {
    "r01_facts": ('''
        bind = op.get_bind()
        assert bind is op.get_bind() and bind.engine is bind and bind.connect() is bind
        name = bind.engine.dialect.name
        bind.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text(f"UPDATE note SET body = '{bind.name}/{bind.engine.name}/{bind.dialect.name}/{name}'")
        )
        if bind.dialect.name == "postgresql":
            op.execute("UPDATE note SET body = 'pg'")
        elif bind.engine.name in ("mysql", "mariadb"):
            op.execute("UPDATE note SET body = 'my'")
        else:
            op.execute("UPDATE note SET body = 'other'")
        ''', "pass"),
    "r02_table": ('''
        op.get_bind().execute(sa.text("SELECT 1"))
        thing.create(op.get_bind())
        sa.Index("ix_thing_label_id", thing.c.label, thing.c.id).create(op.get_bind())
        ''', '''
        sa.Index("ix_thing_label_id", thing.c.label, thing.c.id).drop(op.get_bind())
        thing.drop(op.get_bind())
        '''),
    "r03_metadata": ("meta.create_all(op.get_bind())", "meta.drop_all(op.get_bind())"),
    "r04_enum": ('''
        bind = op.get_bind()
        sa.Enum("happy", "sad", name="mood").create(bind)
        sa.Enum("happy", "sad", name="mood2").create(bind, checkfirst=True)
        ''', '''
        sa.Enum("happy", "sad", name="mood2").drop(op.get_bind(), checkfirst=True)
        sa.Enum("happy", "sad", name="mood").drop(op.get_bind())
        '''),
    "r05_statements": ('''
        conn = op.get_bind()
        conn.execute(sa.text("UPDATE note SET body = 'x' WHERE id = 1"))
        conn.execute(note.update().where(note.c.id == 2).values(body="it's"))
        conn.execute(note.delete().where(note.c.id > 10))
        conn.execute(note.insert().values(id=3, body="three"))
        result = conn.execute(sa.text("SELECT id FROM note WHERE body IS NULL"))
        rows = result.fetchall() if result else []
        for row in rows:
            op.execute(f"DELETE FROM note WHERE id = {row[0]}")
        found = conn.execute(sa.select(note.c.id).where(note.c.body == "x"))
        if not found:
            op.execute("UPDATE note SET body = 'none found'")
        conn.execute(sa.text(
            "WITH old AS (SELECT id FROM note WHERE id < 5) UPDATE note SET body = 'old' WHERE id IN (SELECT id FROM old)"
        ))
        ''', 'op.get_bind().execute(sa.text("DELETE FROM note WHERE id = 3"))'),
    "r06_pg_types": ('''
        bind = op.get_bind()
        if bind.dialect.name != "postgresql":
            return
        status = postgresql.ENUM("new", "done", name="status", create_type=False)
        status.create(bind, checkfirst=False)
        postgresql.ENUM("a", "b", name="letters").create(bind)
        sa.Sequence("ticket_seq", start=100).create(bind)
        op.create_table("ticket", sa.Column("id", sa.Integer, primary_key=True), sa.Column("status", status))
        ''', '''
        bind = op.get_bind()
        if bind.dialect.name != "postgresql":
            return
        op.drop_table("ticket")
        sa.Sequence("ticket_seq").drop(bind)
        postgresql.ENUM(name="letters").drop(bind)
        postgresql.ENUM(name="status").drop(bind, checkfirst=False)
        '''),
    "r07_print": ('''
        print("moving notes\\nthis may take a while", 3, "steps")
        print()
        print("half a line", end="")
        op.execute("UPDATE note SET body = 'printed'")
        op.get_context().impl.static_output("-- static output stays raw")
        ''', 'print("undoing r07")'),
}

#: statements given parameters: limbeck writes each row's values, Alembic drops them
PARAMETERS: dict[str, tuple[str, str]] = {
    "p01_parameters": ('''
        conn = op.get_bind()
        conn.execute(sa.text("UPDATE note SET body = :body WHERE id = :id"), {"body": "it's", "id": 1})
        conn.execute(note.insert(), [{"id": 2, "body": "two"}, {"id": 3, "body": None}])
        conn.execute(
            note.update().where(note.c.id == sa.bindparam("_id")).values(body=sa.bindparam("b")),
            [{"_id": 4, "b": "four"}, {"_id": 5, "b": "five"}],
        )
        conn.execute(note.update().where(note.c.id == 6), {"body": "six"})
        ''', "pass"),
}

HEADER = '''"""{name}"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None
{preamble}

def upgrade():
{up}


def downgrade():
{down_body}
'''


def write_project(root: Path, revisions: dict[str, tuple[str, str]]) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV)
    ini = root / "alembic.ini"
    ini.write_text("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite://\n")
    down = None
    for name, (up, down_body) in revisions.items():
        rev = name.split("_")[0]

        def body(text: str) -> str:
            return textwrap.indent(textwrap.dedent(text).strip(), "    ")

        source = HEADER.format(name=name, rev=rev, down=down, preamble=PREAMBLE, up=body(up), down_body=body(down_body))
        (versions / f"{name}.py").write_text(source)
        down = rev
    return ini


#: run in a subprocess: real Alembic renders each (key, ini, url, command, range) and prints JSON
ALEMBIC = '''
import contextlib, io, json, sys
from alembic import command
from alembic.config import Config

out = {}
for key, ini, url, cmd, rev in json.loads(sys.argv[1]):
    config = Config(ini)
    config.set_main_option("sqlalchemy.url", url)
    buffer = io.StringIO()  # Alembic writes the script and print() to stdout: capture both, as a shell would
    with contextlib.redirect_stdout(buffer):
        getattr(command, cmd)(config, rev, sql=True)
    out[key] = buffer.getvalue()
json.dump(out, sys.stdout)
'''

DIRECTIONS = {"upgrade": "base:head", "downgrade": "head:base"}


def _url(dialect: str) -> str:
    return f"{dialect}://"


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("offline_bind")
    return {
        "bind": write_project(root / "bind", REVISIONS),
        "parameters": write_project(root / "parameters", PARAMETERS),
    }


@pytest.fixture(scope="module")
def alembic_scripts(projects: dict[str, Path]) -> dict[str, str]:
    if importlib.util.find_spec("alembic") is None:  # the test extra installs it; never imported here
        pytest.skip("real Alembic is not installed (pip install -e '.[test]')")
    runs = [
        [f"bind/{dialect}/{cmd}", str(projects["bind"]), _url(dialect), cmd, rev]
        for dialect in KNOWN_DIALECTS
        for cmd, rev in DIRECTIONS.items()
    ] + [[f"parameters/{d}/upgrade", str(projects["parameters"]), _url(d), "upgrade", "base:head"] for d in KNOWN_DIALECTS]
    done = subprocess.run(
        [sys.executable, "-c", ALEMBIC, json.dumps(runs)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    scripts: dict[str, str] = json.loads(done.stdout)
    return scripts


def limbeck_script(ini: Path, dialect: str, cmd: str, rev: str, **options: str) -> str:
    config = Config(str(ini), stdout=io.StringIO())
    config.set_main_option("sqlalchemy.url", _url(dialect))
    for key, value in options.items():
        config.set_main_option(key, value)
    buffer = io.StringIO()
    config.output_buffer = buffer
    getattr(command, cmd)(config, rev, sql=True)
    return buffer.getvalue()


#: Oracle's version-table INSERT clause, which limbeck leaves out (README): not valid in a script
_RETURNING_INTO = re.compile(
    r"^(INSERT INTO alembic_version \(version_num\) VALUES \('[^']*'\)) RETURNING [\w.]+ INTO :ret_0$",
    re.MULTILINE,
)


def without_returning_into(alembic_text: str) -> str:
    return _RETURNING_INTO.sub(r"\1", alembic_text)


@pytest.mark.parametrize("cmd", sorted(DIRECTIONS))
@pytest.mark.parametrize("dialect", KNOWN_DIALECTS)
def test_same_script_as_alembic(projects: dict[str, Path], alembic_scripts: dict[str, str], dialect: str, cmd: str) -> None:
    theirs = alembic_scripts[f"bind/{dialect}/{cmd}"]
    ours = limbeck_script(projects["bind"], dialect, cmd, DIRECTIONS[cmd], offline_print="raw")
    assert ours == without_returning_into(theirs)
    # the comparison is not empty: every bind pattern reached the script
    if cmd == "upgrade":
        for text in ("CREATE TABLE thing", "CREATE TABLE child", "INSERT INTO thing (id, label) VALUES (0, 'seed')",
                     "UPDATE note SET body = 'before'", "SELECT id FROM note WHERE body IS NULL", "WITH old AS",
                     f"UPDATE note SET body = '{dialect}/{dialect}/{dialect}/{dialect}'", "none found",
                     "moving notes\nthis may take a while 3 steps\n"):
            assert text in ours, text


@pytest.mark.parametrize("cmd", sorted(DIRECTIONS))
@pytest.mark.parametrize("dialect", KNOWN_DIALECTS)
def test_golden_script(projects: dict[str, Path], snapshot: Any, dialect: str, cmd: str) -> None:
    """limbeck's default output (``print()`` as comments), reviewed as a snapshot."""
    snapshot.snapshot_dir = SNAPSHOTS / dialect
    snapshot.assert_match(limbeck_script(projects["bind"], dialect, cmd, DIRECTIONS[cmd]), f"get_bind_{cmd}.sql")


def test_postgresql_types_through_the_bind(projects: dict[str, Path]) -> None:
    up = limbeck_script(projects["bind"], "postgresql", "upgrade", "base:head")
    down = limbeck_script(projects["bind"], "postgresql", "downgrade", "head:base")
    for text in ("CREATE TYPE mood AS ENUM ('happy', 'sad');", "CREATE TYPE mood2 AS ENUM ('happy', 'sad');",
                 "CREATE TYPE status AS ENUM ('new', 'done');", "CREATE TYPE thing_kind AS ENUM ('a', 'b');",
                 "CREATE SEQUENCE ticket_seq START WITH 100;", "COMMENT ON TABLE thing IS 'made offline';"):
        assert text in up, text
    for text in ("DROP TYPE status;", "DROP TYPE letters;", "DROP TYPE mood;", "DROP TYPE mood2;", "DROP SEQUENCE ticket_seq;"):
        assert text in down, text


@pytest.mark.parametrize("dialect", KNOWN_DIALECTS)
def test_parameters_are_written_where_alembic_drops_them(
    projects: dict[str, Path], alembic_scripts: dict[str, str], snapshot: Any, dialect: str
) -> None:
    theirs = alembic_scripts[f"parameters/{dialect}/upgrade"]
    ours = limbeck_script(projects["parameters"], dialect, "upgrade", "base:head")
    values = ("'it''s'", "'two'", "'four'", "'five'", "'six'")
    assert not any(value in theirs for value in values), "Alembic now writes parameters: drop the departure"
    assert all(value in ours for value in values)
    snapshot = RecordedOn2_1(snapshot, dialect)
    snapshot.snapshot_dir = SNAPSHOTS / dialect
    snapshot.assert_match(ours, "get_bind_parameters.sql")
