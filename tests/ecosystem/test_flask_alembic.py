"""Flask-Alembic 3.3 on limbeck: Alembic driven without env.py.

Flask-Alembic builds the objects an env.py would itself: a ``Config`` filled
by ``set_main_option``, ``ScriptDirectory.from_config``, an
``EnvironmentContext`` it ``configure()``s once per database and whose
``get_context()`` it keeps, ``MigrationContext.run_migrations`` called
directly under ``Operations.context``, a ``_migrations_fn`` set on the
context, ``ScriptDirectory._upgrade_revs``/``_downgrade_revs``/``_stamp_revs``
as that function, ``autogenerate.RevisionContext`` run by hand and
``produce_migrations``. The same app runs its ``flask db`` commands and the
Python API twice (Alembic, then ``LIMBECK_AS_ALEMBIC=1``); output, revision
files and databases must match. Flask-Alembic is installed at test time
(:func:`installed_tool`), its dependencies are the test extra's.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from limbeck_ecosystem_harness import (
    WHO_ANSWERS,
    Pair,
    installed_tool,
    same_python,
    twin_projects,
)

FLASK_ALEMBIC = "flask-alembic==3.3.0"


APP = '''
import os

from flask import Flask
from flask_alembic import Alembic
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["ECO_URL"]
if os.environ.get("ECO_URL2"):
    app.config["SQLALCHEMY_BINDS"] = {"audit": os.environ["ECO_URL2"]}
db = SQLAlchemy(app)
STAGE = int(os.environ.get("STAGE", "1"))


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(128), nullable=False)
    if STAGE >= 2:
        email = db.Column(db.String(200), index=True)


if STAGE >= 2:
    class Post(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
        body = db.Column(db.Text)


if os.environ.get("ECO_URL2"):
    class Event(db.Model):
        __bind_key__ = "audit"
        id = db.Column(db.Integer, primary_key=True)
        what = db.Column(db.String(50))
        if STAGE >= 2:
            at = db.Column(db.DateTime)

    metadatas = {"default": db.metadatas[None], "audit": db.metadatas["audit"]}
    alembic = Alembic(app, metadatas=metadatas)
else:
    alembic = Alembic(app)
alembic.rev_id = lambda: os.environ["REV_ID"]
'''

#: the Python API, as a script that prints what each call returns
API = '''
import sys

import sqlalchemy as sa
from app import alembic, app

with app.app_context():
    what = sys.argv[1]
    if what == "compare":
        for diff in alembic.compare_metadata():
            print(repr(diff[0]), getattr(diff[1], "name", diff[1]) if len(diff) > 1 else "")
        print("needs_revision", alembic.needs_revision(), "needs_upgrade", alembic.needs_upgrade())
    elif what == "ops":
        alembic.op.create_table("note", sa.Column("id", sa.Integer, primary_key=True), sa.Column("text", sa.Text))
        alembic.op.add_column("note", sa.Column("done", sa.Boolean))
        alembic.op.execute("INSERT INTO note (id, text, done) VALUES (1, 'hi', 1)")
        alembic.op.get_bind().commit()
        print([c["name"] for c in sa.inspect(alembic.op.get_bind()).get_columns("note")])
    elif what == "walk":
        print("current", [r.revision for r in alembic.current()])
        print("heads", [r.revision for r in alembic.heads()], [r.revision for r in alembic.heads(True)])
        print("branches", [r.revision for r in alembic.branches()])
        print("log", [r.revision for r in alembic.log()], [r.revision for r in alembic.log("current")])
        print("contexts", sorted(alembic.migration_contexts))
        print("dialect", alembic.migration_context.dialect.name, alembic.migration_context.get_current_revision())
    elif what == "upgrade":
        alembic.upgrade(sys.argv[2] if sys.argv[2:] else "heads")
        print("current", [r.revision for r in alembic.current()])
    elif what == "downgrade":
        alembic.downgrade(int(sys.argv[2]) if sys.argv[2].lstrip("-").isdigit() else sys.argv[2])
        print("current", [r.revision for r in alembic.current()])
'''


@pytest.fixture(scope="module")
def flask_alembic() -> Path:
    return installed_tool(FLASK_ALEMBIC)


def alembic_template(name: str) -> str:
    """Alembic 1.20.1's ``templates/<name>/script.py.mako`` (the installed distribution's)."""
    spec = importlib.util.find_spec("alembic")
    assert spec is not None and spec.origin is not None
    return (Path(spec.origin).parent / "templates" / name / "script.py.mako").read_text()


def _pair(tmp_path: Path, flask_alembic: Path, template: str | None = "generic") -> Pair:
    """Both projects; with ``template``, Alembic's own ``script.py.mako`` is laid in ``migrations/``
    beforehand (Flask-Alembic's mkdir keeps it): what mkdir copies itself is
    ``test_mkdir_copies_alembics_template``'s."""
    files = {"app.py": APP + WHO_ANSWERS, "api.py": API}
    if template:
        files["migrations/script.py.mako"] = alembic_template(template)
    pair = twin_projects(tmp_path, files, tool_path=flask_alembic)
    # Script.branch_labels is a set: the order `current`/`log` print a merge's labels in is the hash seed's
    pair.env.update({"FLASK_APP": "app.py", "STAGE": "1", "PYTHONHASHSEED": "0"})
    return pair


def same_migration(alembic_text: str, limbeck_text: str) -> bool:
    """The same revision file (as syntax trees)."""
    return same_python(alembic_text, limbeck_text)


def _revision(pair: Pair, rev_id: str, message: str, *extra: str) -> str:
    """``flask db revision`` (autogenerate) in both: the files must mean the same; limbeck's is returned."""
    pair.env["REV_ID"] = rev_id
    pair.both("flask", "db", "revision", message, *extra)
    path = f"migrations/{rev_id}_{message.replace(' ', '_')}.py"
    written_real, written_ours = pair.alembic.read(path), pair.limbeck.read(path)
    assert same_migration(written_real, written_ours), f"{path}:\n{written_real}\n--- limbeck:\n{written_ours}"
    return written_ours


def _same(pair: Pair, *argv: str, ok: bool = True) -> str:
    real, ours = pair.both(*argv, ok=ok)
    assert ours == real, argv
    return ours


def test_flask_db_commands_match_alembic(tmp_path: Path, flask_alembic: Path) -> None:
    pair = _pair(tmp_path, flask_alembic)
    db = ("flask", "db")
    _same(pair, *db, "mkdir")

    written = _revision(pair, "1001", "users")
    assert "branch_labels: Union[str, Sequence[str], None] = ('default',)" in written
    _same(pair, *db, "upgrade")
    for argv in (("current",), ("current", "-v"), ("heads",), ("heads", "--resolve-dependencies"), ("log",),
                 ("log", "-v"), ("show", "1001"), ("branches",), ("check",)):
        _same(pair, *db, *argv)

    pair.env["STAGE"] = "2"
    _same(pair, *db, "check", ok=False)
    _same(pair, *db, "current", "--check-heads")
    written = _revision(pair, "1002", "email and posts")
    assert '"post"' in written
    _same(pair, *db, "current", "--check-heads", ok=False)
    _same(pair, *db, "upgrade", "+1")
    assert "post" in pair.schemas()
    for argv in (("current", "-v"), ("log",), ("log", "-v"), ("heads",), ("show", "1002"), ("check",)):
        _same(pair, *db, *argv)

    # an empty revision, a second branch, a merge
    pair.env["REV_ID"] = "1003"
    _same(pair, *db, "revision", "--empty", "nothing")
    pair.env["REV_ID"] = "2001"
    _same(pair, *db, "revision", "--empty", "--branch", "other", "other start")
    for argv in (("heads",), ("branches",), ("log",)):
        _same(pair, *db, *argv)
    pair.env["REV_ID"] = "3001"
    _same(pair, *db, "merge", "-m", "join")
    for name in ("1003_nothing.py", "2001_other_start.py", "3001_join.py"):
        assert same_migration(pair.alembic.read(f"migrations/{name}"), pair.limbeck.read(f"migrations/{name}"))
    _same(pair, *db, "upgrade")
    _same(pair, *db, "current")
    pair.schemas()

    # from a merge point a relative step is ambiguous, and Flask-Alembic reads a numeric id as a
    # relative step when it is not found as written (its own ids are timestamps): both fail alike
    _same(pair, *db, "downgrade", "1002", ok=False)
    _same(pair, *db, "downgrade", ok=False)
    _same(pair, *db, "downgrade", "base")
    _same(pair, *db, "current")
    assert "post" not in pair.schemas()
    _same(pair, *db, "stamp", "1002")
    _same(pair, *db, "current")
    _same(pair, *db, "stamp", "base")
    _same(pair, *db, "current")
    pair.schemas()
    pair.check_answered()


def test_python_api_matches_alembic(tmp_path: Path, flask_alembic: Path) -> None:
    pair = _pair(tmp_path, flask_alembic)
    _same(pair, "python", "api.py", "compare")
    _revision(pair, "1001", "users")
    _same(pair, "python", "api.py", "walk")
    _same(pair, "python", "api.py", "upgrade")
    pair.env["STAGE"] = "2"
    _same(pair, "python", "api.py", "compare")
    _revision(pair, "1002", "email and posts")
    _same(pair, "python", "api.py", "upgrade", "1002")
    _same(pair, "python", "api.py", "walk")
    _same(pair, "python", "api.py", "ops")
    pair.schemas(["SELECT * FROM note"])
    _same(pair, "python", "api.py", "downgrade", "-1")
    _same(pair, "python", "api.py", "downgrade", "base")
    pair.schemas()
    pair.check_answered()


def test_two_databases_match_alembic(tmp_path: Path, flask_alembic: Path) -> None:
    """Two binds: Flask-Alembic's ``multidb`` template, one context per database, one revision for both."""
    pair = _pair(tmp_path, flask_alembic, "multidb")
    pair.alembic.env["ECO_URL2"] = f"sqlite:///{pair.alembic.root / 'audit.db'}"
    pair.limbeck.env["ECO_URL2"] = f"sqlite:///{pair.limbeck.root / 'audit.db'}"
    db = ("flask", "db")
    _same(pair, *db, "mkdir")
    written = _revision(pair, "1001", "users and events")
    assert "def upgrade_audit" in written
    _same(pair, *db, "upgrade")
    _same(pair, *db, "current")
    _same(pair, "python", "api.py", "walk")
    pair.env["STAGE"] = "2"
    _revision(pair, "1002", "stage two")
    _same(pair, *db, "upgrade")
    audit: Any = None
    for twin in (pair.alembic, pair.limbeck):
        import sqlalchemy as sa

        engine = sa.create_engine(twin.env["ECO_URL2"])
        with engine.connect() as conn:
            found = ([c["name"] for c in sa.inspect(conn).get_columns("event")],
                     conn.exec_driver_sql("SELECT version_num FROM alembic_version").all())
        engine.dispose()
        assert audit is None or found == audit
        audit = found
    assert audit[0] == ["id", "what", "at"]
    _same(pair, *db, "downgrade", "base")
    pair.schemas()
    pair.check_answered()


# --- what once differed, one test each: the API call Flask-Alembic makes, on both ----------------------

PROBES = {
    "import": "from alembic.operations import MigrationScript; print(MigrationScript.__name__)",
    "separator": (
        "from alembic.config import Config\n"
        "c = Config()\n"
        "c.set_main_option('path_separator', 'os')\n"
        "print(repr(c._get_file_separator_char('path_separator')), repr(c._get_file_separator_char('nothing')))\n"
    ),
    # Flask-Alembic's mkdir copies the template it finds there; the project's revisions then import
    # op from alembic whichever tool renders them (the templates themselves are each tool's own)
    "template": (
        "import os, shutil\n"
        "from alembic.config import Config\n"
        "from alembic.script import ScriptDirectory\n"
        "os.makedirs('m/versions')\n"
        "c = Config()\n"
        "shutil.copy(os.path.join(c.get_template_directory(), 'generic', 'script.py.mako'), 'm')\n"
        "c.set_main_option('script_location', 'm')\n"
        "script = ScriptDirectory.from_config(c).generate_revision('a1', 'x')\n"
        "print([l.split('#')[0].strip() for l in open(script.path) if 'import op' in l])\n"
    ),
    "empty_label": (
        "import os\n"
        "from alembic.config import Config\n"
        "from alembic.script import ScriptDirectory\n"
        "from alembic import command\n"
        "from alembic.autogenerate import RevisionContext\n"
        "os.makedirs('m/versions')\n"
        "open('m/script.py.mako', 'w').write(open('template.mako').read())\n"
        "c = Config()\n"
        "c.set_main_option('script_location', 'm')\n"
        "sd = ScriptDirectory.from_config(c)\n"
        "rc = RevisionContext(c, sd, {'message': 'x', 'sql': False, 'head': ['base'], 'splice': False,\n"
        "    'branch_label': [], 'version_path': sd.versions, 'rev_id': 'a1', 'depends_on': None})\n"
        "from alembic.runtime.environment import EnvironmentContext\n"
        "env = EnvironmentContext(c, sd)\n"
        "env.configure(dialect_name='sqlite')\n"
        "rc.run_no_autogenerate((), env.get_context())\n"
        "script, = rc.generate_scripts()\n"
        "print(repr(script.branch_labels), [l for l in open(script.path) if l.startswith('branch_labels')])\n"
    ),
}


@pytest.mark.parametrize(
    "probe",
    [
        pytest.param("import"),
        pytest.param("separator"),
        pytest.param("template"),
        pytest.param("empty_label"),
    ],
)
def test_api_call_answers_as_alembic(tmp_path: Path, flask_alembic: Path, probe: str) -> None:
    pair = twin_projects(tmp_path, {"template.mako": alembic_template("generic")}, tool_path=flask_alembic)
    real, ours = pair.both("python", "-c", PROBES[probe])
    assert ours == real
