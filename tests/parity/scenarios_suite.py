"""Post-write hooks, the editor and the version table's options, as far as Alembic's own tests pin them.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
Behaviours from Alembic's test_post_write.py (the ``module`` runner, ``cwd``, missing executables
and modules, ``%(here)s`` in options), test_editor.py (which editor is chosen) and
test_version_table.py (``version_table_pk``, a custom table name, ``starting_rev`` online and
offline); the inputs and checks are ours.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys

from command_harness import Stage, three_revs

from alembic import command

_WHERE = "import os, sys; open(sys.argv[-1], 'a').write(chr(35) + ' ran in ' + os.path.basename(os.getcwd()) + chr(10))"


def scenario_post_write_runners(stage: Stage) -> None:
    (stage.home / "work").mkdir()
    exe = sys.executable
    cases = [
        ("module", "hooks = m\nm.type = module\nm.module = py_compile\nm.options = REVISION_SCRIPT_FILENAME"),
        ("module without token", "hooks = m\nm.type = module\nm.module = py_compile"),
        ("module missing option", "hooks = m\nm.type = module"),
        ("module not found", "hooks = m\nm.type = module\nm.module = no_such_module_for_hooks"),
        ("exec with cwd", f"hooks = e\ne.type = exec\ne.executable = {exe}\ne.cwd = %(here)s/work\n"
                          f"e.options = -c \"{_WHERE}\" REVISION_SCRIPT_FILENAME"),
        ("exec with a missing cwd", f"hooks = e\ne.type = exec\ne.executable = {exe}\ne.cwd = %(here)s/nowhere\n"
                                    f"e.options = -c \"{_WHERE}\" REVISION_SCRIPT_FILENAME"),
        ("exec missing executable", "hooks = e\ne.type = exec\ne.executable = no_such_executable_for_hooks"),
        ("exec here in options", f"hooks = e\ne.type = exec\ne.executable = {exe}\n"
                                 f"e.options = -c \"{_WHERE}\" %(here)s/unused REVISION_SCRIPT_FILENAME"),
        ("console_scripts with cwd", "hooks = c\nc.type = console_scripts\nc.entrypoint = pip\n"
                                     "c.options = --version\nc.cwd = %(here)s/work"),
    ]
    for i, (label, hooks) in enumerate(cases):
        cfg = stage.project(extra=f"[post_write_hooks]\n{hooks}")
        stage.call(label, command.revision, cfg, message=label, rev_id=f"p{i}", head="base")
    stage.files()


def scenario_editor_choice(stage: Stage) -> None:
    from alembic import util

    log = stage.home / "edited.txt"
    bin_dir = stage.home / "bin"
    bin_dir.mkdir()
    for name in ("myvim", "myvisual", "vim"):
        (bin_dir / name).write_text(f"#!/bin/sh\necho {name} \"$@\" >> {log}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    path = str(bin_dir)
    cases = [
        ("EDITOR before VISUAL", {"EDITOR": "myvim", "VISUAL": "myvisual", "PATH": path}),
        ("EDITOR missing, VISUAL found", {"EDITOR": "nosuch", "VISUAL": "myvisual", "PATH": path}),
        ("absolute EDITOR", {"EDITOR": str(bin_dir / "myvisual"), "PATH": "/nowhere"}),
        ("absolute EDITOR missing", {"EDITOR": "/no/such/dir/myvim", "PATH": path}),
        ("EDITOR with arguments", {"EDITOR": "myvim --wait", "PATH": path}),
        ("default editor on PATH", {"PATH": os.pathsep.join(["/nowhere", path])}),
    ]
    for label, environ in cases:
        stage.call(label, util.open_in_editor, "the-file", environ)
        stage.note(f"{label}: ran", log.read_text(encoding="utf-8") if log.exists() else "")
        log.unlink(missing_ok=True)


def _table_sql(stage: Stage, name: str) -> str | None:
    with sqlite3.connect(stage.url[len("sqlite:///"):]) as db:
        row = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return None if row is None else " ".join(str(row[0]).split())


def scenario_version_table_options(stage: Stage) -> None:
    from sqlalchemy import create_engine

    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = stage.project()
    a, b, c = three_revs(stage)
    script = ScriptDirectory.from_config(cfg)
    engine = create_engine(stage.url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table_pk": False, "version_table": "v_nopk"})
        stage.call("no pk: heads before", ctx.get_current_heads)
        stage.note("no pk: table before stamp", _table_sql(stage, "v_nopk"))
        stage.call("no pk: stamp", ctx.stamp, script, b)
        conn.commit()
        stage.note("no pk: table", _table_sql(stage, "v_nopk"))
        ctx = MigrationContext.configure(conn, opts={"version_table": "v_pk"})
        stage.call("pk: stamp heads", ctx.stamp, script, "heads")
        conn.commit()
        stage.note("pk: table", _table_sql(stage, "v_pk"))
        ctx = MigrationContext.configure(conn, opts={"version_table": "v_pk", "starting_rev": a})
        stage.call("online with starting_rev: revision", ctx.get_current_revision)
        stage.call("online with starting_rev: heads", ctx.get_current_heads)
    engine.dispose()
    # (a start of several revisions, "a,b", is a README departure, shown in scenarios_traversal)
    for starting in (a, None, "base"):
        buf = io.StringIO()
        ctx = MigrationContext.configure(dialect_name="sqlite", opts={
            "as_sql": True, "output_buffer": buf, "starting_rev": starting})
        stage.call(f"offline starting_rev={starting}: revision", ctx.get_current_revision)
        stage.call(f"offline starting_rev={starting}: heads", ctx.get_current_heads)


_BEGINS = '''\
"""rev b"""
from alembic import op

revision = "bbbb33334444"
down_revision = "aaaa11112222"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE step_2 (id INTEGER)")
    op.get_bind().begin()  # a transaction is open already: SQLAlchemy refuses


def downgrade():
    op.execute("DROP TABLE step_2")
'''


def scenario_revision_begins_a_transaction(stage: Stage) -> None:
    """A revision calling ``connection.begin()`` inside the run's transaction (test_script_consumption)."""
    from command_harness import online_env

    for label, options in (("per run, ddl not transactional", "transactional_ddl=False"),
                           ("per migration, ddl not transactional",
                            "transactional_ddl=False, transaction_per_migration=True"),
                           ("per run, transactional ddl", "transactional_ddl=True")):
        (stage.home / "db.sqlite").unlink(missing_ok=True)
        cfg = stage.project(env=online_env(options))
        a, b, c = three_revs(stage)
        (stage.versions / f"{b}_.py").write_text(_BEGINS, encoding="utf-8")
        stage.call(f"{label}: upgrade", command.upgrade, cfg, c)
        stage.rows(f"{label}: rows")
    outer = '''\
from alembic import context
from sqlalchemy import create_engine

engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    with connection.begin():
        context.configure(connection=connection, transactional_ddl=False, transaction_per_migration=False)
        with context.begin_transaction():
            context.run_migrations()
engine.dispose()
'''
    (stage.home / "db.sqlite").unlink(missing_ok=True)
    cfg = stage.project(env=outer)
    three_revs(stage)
    stage.call("transaction opened by env.py: stamp", command.stamp, cfg, "cccc55556666")
    stage.rows("transaction opened by env.py: rows")
