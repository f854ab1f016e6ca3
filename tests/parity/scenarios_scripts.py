"""Revision files and listings: ``alembic.command.revision``/``merge``/``history``/... and friends.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
Behaviours from Alembic's test_command.py (history, current, revision, stamp, edit,
ensure_version), test_script_production.py, test_revision_create.py and test_version_table.py;
the inputs and checks are ours.
"""

from __future__ import annotations

import re

from command_harness import Stage, multi_heads, online_env, three_revs

from alembic import command
from alembic.script import ScriptDirectory


def _names(stage: Stage, label: str) -> None:
    """The versions folder's file names (dates and clock times masked, they differ run to run)."""
    names = sorted(p.relative_to(stage.home).as_posix() for p in stage.home.rglob("*.py")
                   if "__pycache__" not in p.parts and p.name != "env.py")
    stage.note(label, [re.sub(r"\d{9,}", "<EPOCH>", n) for n in names])


def scenario_history_and_current_online(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.call("history verbose", command.history, cfg, verbose=True)
    stage.call("history a:b", command.history, cfg, f"{a}:{b}", verbose=True)
    stage.call("history :b", command.history, cfg, f":{b}")
    stage.call("history a:", command.history, cfg, f"{a}:")
    stage.call("history a:+2", command.history, cfg, f"{a}:+2")
    stage.call("history -2:c", command.history, cfg, f"-2:{c}")
    stage.call("history -5:c", command.history, cfg, f"-5:{c}")
    stage.call("current (no table)", command.current, cfg)
    stage.rows()
    stage.call("stamp b", command.stamp, cfg, b)
    stage.call("history current:", command.history, cfg, "current:", verbose=True)
    stage.call("history indicate current", command.history, cfg, indicate_current=True, verbose=True)
    stage.call("history indicate current short", command.history, cfg, indicate_current=True)
    stage.call("current", command.current, cfg)
    stage.call("current verbose", command.current, cfg, verbose=True)
    stage.call("current check_heads", command.current, cfg, check_heads=True)
    stage.call("stamp base", command.stamp, cfg, "base")
    stage.call("history current: at base", command.history, cfg, "current:")
    stage.call("history bad range", command.history, cfg, "zzz:")
    stage.call("history backwards", command.history, cfg, f"{c}:{a}")
    stage.call("show b", command.show, cfg, b)
    stage.call("show head", command.show, cfg, "head")
    stage.call("show current at base", command.show, cfg, "current")
    stage.call("show unknown", command.show, cfg, "zzz")
    stage.call("heads", command.heads, cfg, verbose=True)
    stage.call("branches", command.branches, cfg)
    cfg.set_main_option("revision_environment", "true")
    stage.call("history with environment", command.history, cfg)


def scenario_current_with_dependencies(stage: Stage) -> None:
    cfg = stage.project()
    a1 = stage.revision("a1", None)
    a2 = stage.revision("a2", a1)
    a3 = stage.revision("a3", a2)
    b1 = stage.revision("b1", None)
    b2 = stage.revision("b2", b1, deps=a2)
    b3 = stage.revision("b3", b2)
    stage.call("stamp none", command.stamp, cfg, ())
    stage.call("current none", command.current, cfg)
    stage.call("stamp a3", command.stamp, cfg, a3)
    stage.call("current a3", command.current, cfg)
    stage.call("stamp none again", command.stamp, cfg, ())
    stage.call("stamp a1 b1", command.stamp, cfg, (a1, b1))
    stage.call("current a1 b1", command.current, cfg)
    stage.unordered()
    stage.call("stamp none 3", command.stamp, cfg, ())
    stage.call("stamp b2", command.stamp, cfg, (b2,))
    stage.rows()
    stage.call("current b2", command.current, cfg)
    stage.unordered()
    stage.call("upgrade b3", command.upgrade, cfg, b3)
    stage.call("current b3", command.current, cfg)
    stage.unordered()
    stage.rows()
    stage.call("heads", command.heads, cfg)
    stage.call("heads resolve", command.heads, cfg, resolve_dependencies=True)
    stage.call("history -i", command.history, cfg, indicate_current=True)
    stage.call("downgrade b1", command.downgrade, cfg, b1)
    stage.rows()
    stage.call("downgrade base", command.downgrade, cfg, "base")
    stage.rows()


TWO_DATABASES = '''\
import sqlalchemy
from alembic import context
for name in ("db1", "db2"):
    engine = sqlalchemy.create_engine(f"sqlite:///{context.config.get_main_option('here')}/{name}.sqlite")
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
'''


def scenario_history_of_two_databases(stage: Stage) -> None:
    # env.py runs twice (the multidb template's shape): a listing per database, each with its current
    import sqlite3

    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.env(TWO_DATABASES)
    stage.call("stamp c", command.stamp, cfg, c)
    with sqlite3.connect(stage.home / "db2.sqlite") as db:
        db.execute("UPDATE alembic_version SET version_num = ?", (a,))
    stage.call("history -i", command.history, cfg, indicate_current=True)
    stage.call("history :current", command.history, cfg, ":current")
    stage.call("history current:", command.history, cfg, "current:", verbose=True)


def scenario_online_stamp(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    d, e, f = multi_heads(stage, b, c)
    stage.call("stamp a", command.stamp, cfg, [a])
    stage.rows()
    stage.call("stamp e f", command.stamp, cfg, [e, f])
    stage.rows()
    stage.call("stamp c e again", command.stamp, cfg, [c, e])
    stage.rows()
    stage.call("stamp c e twice", command.stamp, cfg, [c, e])
    stage.rows()
    stage.call("stamp a (down)", command.stamp, cfg, a)
    stage.rows()
    stage.call("stamp head (ambiguous)", command.stamp, cfg, "head")
    stage.call("stamp heads", command.stamp, cfg, "heads")
    stage.rows()
    stage.call("stamp base", command.stamp, cfg, "base")
    stage.rows()
    stage.call("stamp a e f", command.stamp, cfg, [a, e, f])
    stage.rows()
    import sqlite3

    with sqlite3.connect(stage.url[len("sqlite:///"):]) as conn:
        conn.execute("UPDATE alembic_version SET version_num='fake' WHERE version_num = ?", (a,))
    stage.call("stamp over unknown row", command.stamp, cfg, [c])
    stage.call("stamp purge", command.stamp, cfg, [a, e, f], purge=True)
    stage.rows()
    stage.call("stamp purge sql", command.stamp, cfg, [c], sql=True, purge=True)
    stage.call("stamp -1 with rows", command.stamp, cfg, "-1")
    stage.call("ensure_version", command.ensure_version, cfg)
    stage.call("ensure_version twice", command.ensure_version, cfg)
    stage.rows()


def scenario_upgrade_downgrade_online(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.call("upgrade +1", command.upgrade, cfg, "+1")
    stage.rows()
    stage.call("upgrade +5", command.upgrade, cfg, "+5")
    stage.rows()
    stage.call("upgrade head", command.upgrade, cfg, "head")
    stage.rows()
    stage.call("upgrade head again", command.upgrade, cfg, "head")
    stage.call("downgrade -1", command.downgrade, cfg, "-1")
    stage.rows()
    stage.call("downgrade -5", command.downgrade, cfg, "-5")
    stage.rows()
    stage.call("downgrade head-1", command.downgrade, cfg, "head-1")
    stage.call("downgrade base+1", command.downgrade, cfg, "base+1")
    stage.rows()
    stage.call("downgrade to c (up)", command.downgrade, cfg, c)
    stage.call("upgrade to base (down)", command.upgrade, cfg, "base")
    stage.call("upgrade range online", command.upgrade, cfg, f"{a}:{c}")
    stage.call("downgrade unknown", command.downgrade, cfg, "zzzz")
    stage.call("upgrade a+1", command.upgrade, cfg, f"{a}+1")
    stage.rows()
    stage.call("downgrade base", command.downgrade, cfg, "base")
    stage.rows()


def scenario_revision_command(stage: Stage) -> None:
    cfg = stage.project()
    r1 = stage.call("plain", command.revision, cfg, message="first one", rev_id="r1")
    stage.call("second", command.revision, cfg, message="second", rev_id="r2")
    stage.call("bad rev id", command.revision, cfg, message="bad", rev_id="no-dash")
    stage.call("bad rev id at", command.revision, cfg, message="bad", rev_id="x@y")
    stage.call("splice needed", command.revision, cfg, message="s", rev_id="r3", head="r1")
    stage.call("splice", command.revision, cfg, message="spliced", rev_id="r3", head="r1", splice=True)
    stage.call("multiple heads", command.revision, cfg, message="m", rev_id="r4")
    stage.call("head unknown", command.revision, cfg, message="m", rev_id="r4", head="zzz")
    stage.call("head r2", command.revision, cfg, message="on r2", rev_id="r4", head="r2")
    stage.call("branch label", command.revision, cfg, message="new branch", rev_id="r5", head="base",
               branch_label="feature")
    stage.call("on label head", command.revision, cfg, message="on feature", rev_id="r6", head="feature@head")
    stage.call("depends on label", command.revision, cfg, message="dep", rev_id="r7", head="r4",
               depends_on="feature")
    stage.call("depends on prefix", command.revision, cfg, message="dep2", rev_id="r8", head="r7",
               depends_on=["r6", "r3"])
    stage.call("depends on invalid", command.revision, cfg, message="bad", rev_id="r9", head="r8",
               depends_on="invalid")
    stage.call("sql without env", command.revision, cfg, message="x", rev_id="r9", sql=True)
    stage.call("sql autogenerate", command.revision, cfg, message="x", rev_id="r9", sql=True, autogenerate=True)
    stage.call("merge heads", command.merge, cfg, "heads", message="merge it", rev_id="m1")
    stage.call("merge one", command.merge, cfg, "m1", message="merge one", rev_id="m2")
    stage.call("after merge", command.revision, cfg, message="after", rev_id="r10")
    stage.call("new root no label", command.revision, cfg, message="root", rev_id="r11", head="base")
    stage.call("heads", command.heads, cfg, verbose=True)
    stage.call("branches verbose", command.branches, cfg, verbose=True)
    stage.call("history", command.history, cfg)
    stage.unordered()  # README, "Commands": Alembic orders several heads' branches by a set (varies by run)
    stage.files()
    script = ScriptDirectory.from_config(cfg)
    stage.note("r7 dependencies", [script.get_revision("r7").dependencies,
                                   list(script.get_revision("r7")._resolved_dependencies)])
    stage.note("r8 dependencies", [script.get_revision("r8").dependencies,
                                   list(script.get_revision("r8")._resolved_dependencies)])
    del r1


def scenario_revision_id_already_present(stage: Stage) -> None:
    cfg = stage.project()
    stage.call("first", command.revision, cfg, message="first", rev_id="r1")
    stage.call("second", command.revision, cfg, message="second", rev_id="r2")
    stage.call("rev id exists", command.revision, cfg, message="dup", rev_id="r2")
    _names(stage, "names")


def scenario_branch_label_already_used(stage: Stage) -> None:
    cfg = stage.project()
    stage.call("first", command.revision, cfg, message="first", rev_id="r1", branch_label="feature")
    stage.call("label used", command.revision, cfg, message="x", rev_id="r2", head="base", branch_label="feature")
    _names(stage, "names")


def scenario_revision_with_environment(stage: Stage) -> None:
    cfg = stage.project(extra="revision_environment = true")
    stage.env('''\
import builtins
from alembic import context
builtins.SEEN.append(["offline", context.is_offline_mode()])
builtins.SEEN.append(["head", context.get_head_revision()])
context.configure(url="sqlite://", template_args={"extra": "from env"})
builtins.SEEN.append(["ran", True])
''')
    stage.call("revision", command.revision, cfg, message="one", rev_id="e1")
    stage.seen()
    stage.call("revision sql", command.revision, cfg, message="two", rev_id="e2", sql=True)
    stage.seen()
    # env.py reaching run_migrations(): the empty revision is rendered (Alembic's "commands auto
    # generated" lines); a hook of the command runs before env.py's
    stage.env('''\
import builtins
import sqlalchemy
from alembic import context
def hook(context, revision, directives):
    builtins.SEEN.append(["env hook", [d.rev_id for d in directives]])
with sqlalchemy.create_engine("sqlite://").connect() as connection:
    context.configure(connection=connection, process_revision_directives=hook)
    with context.begin_transaction():
        context.run_migrations()
''')

    def command_hook(context: object, revision: object, directives: list) -> None:
        import builtins

        builtins.SEEN.append(["command hook", [d.rev_id for d in directives]])

    stage.call("revision env runs", command.revision, cfg, message="three", rev_id="e3",
               process_revision_directives=command_hook)
    stage.seen()
    stage.call("depends on one in a list", command.revision, cfg, message="four", rev_id="e4", depends_on=["e1"])
    stage.files()


def scenario_file_template_and_slug(stage: Stage) -> None:
    cfg = stage.project(extra="file_template = %%(year)d_%%(rev)s_%%(slug)s\ntruncate_slug_length = 12")
    stage.call("long message", command.revision, cfg, message="This is a Long message; with: punct!", rev_id="t1")
    stage.call("no message", command.revision, cfg, rev_id="t2")
    stage.call("unicode", command.revision, cfg, message="café crème brûlée", rev_id="t3")
    stage.call("short slug", command.revision, cfg, message="a", rev_id="t4")
    _names(stage, "names")
    cfg = stage.project(extra="file_template = %%(rev)s_%%(epoch)s\ntimezone = UTC")
    stage.call("epoch utc", command.revision, cfg, message="x", rev_id="t5")
    _names(stage, "names 2")
    cfg = stage.project(extra="timezone = Not/AZone")
    stage.call("bad timezone", command.revision, cfg, message="x", rev_id="t6")
    cfg = stage.project(extra="file_template = %%(rev)s_%%(nope)s")
    stage.call("bad token", command.revision, cfg, message="x", rev_id="t7")
    cfg = stage.project(extra="file_template = %%(rev)s/%%(slug)s")
    stage.call("subfolder template", command.revision, cfg, message="in folder", rev_id="t8")
    _names(stage, "names 3")
    cfg = stage.project(extra="truncate_slug_length = 0")  # 0 is the default, 40
    stage.call("slug length 0", command.revision, cfg, message="add a column to the users table", rev_id="t9")
    _names(stage, "names 4")


def scenario_version_locations(stage: Stage) -> None:
    extra = ("version_locations = %(here)s/scripts/versions %(here)s/other\n"
             "path_separator = space")
    cfg = stage.project(extra=extra)
    (stage.home / "other").mkdir()
    stage.call("needs version path", command.revision, cfg, message="x", rev_id="v1", head="base")
    stage.call("version path", command.revision, cfg, message="x", rev_id="v1", head="base",
               version_path=str(stage.home / "other"))
    stage.call("unknown version path", command.revision, cfg, message="x", rev_id="v2", head="base",
               version_path=str(stage.home / "nowhere"))
    stage.call("follows its head", command.revision, cfg, message="y", rev_id="v2")
    stage.call("branch in main", command.revision, cfg, message="z", rev_id="v3", head="base",
               version_path=str(stage.home / "scripts" / "versions"), branch_label="main")
    stage.call("heads", command.heads, cfg)
    _names(stage, "names")
    (stage.home / "other" / "sub").mkdir()
    stage.revision("v9", "v2", folder=stage.home / "other" / "sub")
    stage.call("history without recursion", command.history, cfg)
    cfg = stage.project(extra=extra + "\nrecursive_version_locations = true")
    stage.call("history with recursion", command.history, cfg)
    stage.call("revision follows sub", command.revision, cfg, message="w", rev_id="v10", head="v9")
    _names(stage, "names 2")


def scenario_edit_errors(stage: Stage) -> None:
    cfg = stage.project()
    three_revs(stage)
    stage.call("edit base", command.edit, cfg, "base")
    stage.call("edit current (none)", command.edit, cfg, "current")
    stage.call("edit unknown", command.edit, cfg, "zzz")
    import os
    import sys

    log = stage.home / "edited.txt"
    (stage.home / "editor.py").write_text(
        f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1] + chr(10))\n", encoding="utf-8")
    saved = {k: os.environ.pop(k, None) for k in ("EDITOR", "VISUAL")}
    try:
        os.environ["EDITOR"] = f"{sys.executable} {stage.home / 'editor.py'}"
        stage.call("edit head", command.edit, cfg, "head")
        stage.call("edit prefix", command.edit, cfg, "bbbb")
        stage.call("stamp b", command.stamp, cfg, "bbbb33334444")
        stage.call("edit current", command.edit, cfg, "current")
        stage.note("edited", stage.clean(log.read_text(encoding="utf-8")))
        # no editor anywhere (PATH emptied, or a default editor would open for real)
        os.environ["EDITOR"] = "/no/such/editor --flag"
        saved["PATH"] = os.environ.get("PATH")
        os.environ["PATH"] = str(stage.home / "no-bin")
        stage.call("edit with a missing editor", command.edit, cfg, "head")
        from alembic import util

        bin_dir = stage.home / "bin"
        bin_dir.mkdir()
        (bin_dir / "myeditor").write_text(f"#!/bin/sh\necho \"$@\" >> {log}\n", encoding="utf-8")
        (bin_dir / "myeditor").chmod(0o755)
        stage.call("open_in_editor on the given PATH", util.open_in_editor, "myfile",
                   {"EDITOR": "myeditor", "PATH": str(bin_dir)})
        stage.call("open_in_editor VISUAL", util.open_in_editor, "visual-file",
                   {"VISUAL": "myeditor", "PATH": str(bin_dir)})
        stage.call("open_in_editor none", util.open_in_editor, "myfile", {"PATH": str(bin_dir / "none")})
        stage.note("edited on PATH", stage.clean(log.read_text(encoding="utf-8")))
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value


def scenario_init_and_templates(stage: Stage) -> None:
    from alembic.config import Config

    cfg = Config(str(stage.home / "alembic.ini"))
    stage.call("init", command.init, cfg, str(stage.home / "mig"))
    stage.unordered()  # README, "Tools built on Alembic": init lists its files in sorted order
    stage.call("init again", command.init, cfg, str(stage.home / "mig"))
    (stage.home / "mig3").mkdir()
    stage.call("init into empty", command.init, cfg, str(stage.home / "mig3"), package=True)
    stage.unordered()
    stage.note("package files", sorted(p.name for p in (stage.home / "mig3").rglob("__init__.py")))
    stage.note("mig3 versions", sorted(p.name for p in (stage.home / "mig3" / "versions").iterdir()))
    # a program reading the Config's stdout (list_templates, history) gets none of init's
    # lines: the closing "Please edit" is on the console, with the status lines
    import contextlib
    import io

    cfg = Config(str(stage.home / "other.ini"))
    cfg.stdout = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()) as console:
        command.init(cfg, str(stage.home / "mig4"))
    stage.note("init: the Config's stdout", cfg.stdout.getvalue())
    stage.note("init: last console line", stage.clean(console.getvalue().splitlines()[-1]))


_APPEND = "import sys; open(sys.argv[-1], 'a').write(chr(35) + ' hooked ' + ' '.join(sys.argv[1:-1]) + chr(10))"


def scenario_post_write_hooks(stage: Stage) -> None:
    import sys

    from alembic.script import write_hooks

    hook = f"{sys.executable} -c \"{_APPEND}\""
    cases = [
        ("exec", f"hooks = h1\nh1.type = exec\nh1.executable = {sys.executable}\n"
                 f"h1.options = -c \"{_APPEND}\" first REVISION_SCRIPT_FILENAME"),
        ("exec without token", f"hooks = h1\nh1.type = exec\nh1.executable = {sys.executable}\n"
                               f"h1.options = -c \"{_APPEND}\" second"),
        ("two hooks", f"hooks = h1, h2\nh1.type = exec\nh1.executable = {sys.executable}\n"
                      f"h1.options = -c \"{_APPEND}\" one REVISION_SCRIPT_FILENAME\n"
                      f"h2.type = exec\nh2.executable = {sys.executable}\n"
                      f"h2.options = -c \"{_APPEND}\" two REVISION_SCRIPT_FILENAME"),
        ("custom", "hooks = mine\nmine.type = my_formatter\nmine.arg = 42"),
        ("missing type", "hooks = h1\nh1.executable = x"),
        ("unknown type", "hooks = h1\nh1.type = nope"),
        ("exec missing executable", "hooks = h1\nh1.type = exec"),
        ("unknown entrypoint", "hooks = h1\nh1.type = console_scripts\nh1.entrypoint = no_such_entrypoint_x"),
        ("console_scripts missing entrypoint", "hooks = h1\nh1.type = console_scripts"),
        ("empty hooks", "hooks ="),
    ]
    del hook

    @write_hooks.register("my_formatter")
    def my_formatter(path: str, options: dict[str, str]) -> None:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"# custom {sorted(options.items())}\n")

    for i, (label, hooks) in enumerate(cases):
        cfg = stage.project(extra=f"[post_write_hooks]\n{hooks}")
        stage.call(label, command.revision, cfg, message=label, rev_id=f"h{i}", head="base")
    stage.files()


def scenario_generate_revision_api(stage: Stage) -> None:
    cfg = stage.project()
    script = ScriptDirectory.from_config(cfg)
    stage.call("heads empty", script.get_heads)
    stage.call("base empty", script.get_base)
    first = stage.call("first", script.generate_revision, "abc111", "this is a message", refresh=True)
    stage.note("first module", [callable(getattr(first.module, "upgrade", None)), first.doc])
    stage.call("second", script.generate_revision, "def222", "this is the next rev", refresh=True)
    stage.call("nextrev", lambda: sorted(script.get_revision("abc111").nextrev))
    long = "this is a really long name with lots of characters and also I'd like it to\nhave\nnewlines"
    stage.call("long name", script.generate_revision, "ghi333", long)
    script.truncate_slug_length = 60
    stage.call("long name 60", script.generate_revision, "jkl444", long)
    stage.call("fresh directory heads", lambda: ScriptDirectory.from_config(cfg).get_heads())
    _names(stage, "names")


def scenario_timezones(stage: Stage) -> None:
    # a blank timezone: README, "Configuration" (local time; Alembic's ZoneInfo("") raises)
    for i, zone in enumerate(("EST5EDT", "est5edt", "utc", "Europe/Berlin", "fake")):
        cfg = stage.project(extra=f"timezone = {zone}")
        stage.call(f"timezone {zone!r}", command.revision, cfg, message="tz", rev_id=f"tz{i}", head="base")
    stage.files()


def scenario_template_without_branch_labels(stage: Stage) -> None:
    old = (
        "<%text>#</%text> ${message}\nrevision = ${repr(up_revision)}\n"
        "down_revision = ${repr(down_revision)}\n\ndef upgrade():\n    ${upgrades if upgrades else 'pass'}\n\n"
        "def downgrade():\n    ${downgrades if downgrades else 'pass'}\n"
    )
    cfg = stage.project(mako=old)
    stage.call("no labels", command.revision, cfg, message="plain", rev_id="o1")
    stage.call("labels", command.revision, cfg, message="labelled", rev_id="o2", branch_label="foobar")
    stage.files()


def scenario_process_revision_directives(stage: Stage) -> None:
    extra = ("version_locations = %(here)s/model1 %(here)s/model2\npath_separator = space\n"
             "revision_environment = true")
    cfg = stage.project(extra=extra)
    for name in ("model1", "model2"):
        (stage.home / name).mkdir()
        stage.revision(f"{name}base", None, name, labels=(name,), folder=stage.home / name)
    stage.env('''\
import os
from alembic import context
from alembic.operations import ops

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def process_revision_directives(context, rev, directives):
    directives[:] = [
        ops.MigrationScript(
            "pr" + name[-1], ops.UpgradeOps(), ops.DowngradeOps(),
            message="for " + name, version_path=os.path.join(here, name), head=name + "@head",
        )
        for name in ("model1", "model2")
    ]


context.configure(url="sqlite://", process_revision_directives=process_revision_directives)
''')
    stage.call("revision", command.revision, cfg, message="ignored", rev_id="zz")
    stage.call("heads", command.heads, cfg)
    stage.files(root=stage.home / "model1")
    stage.files(root=stage.home / "model2")


AUTOGEN_ENV = """\
from sqlalchemy import Column, Integer, MetaData, Table

metadata = MetaData()
{tables}
"""


def scenario_autogenerate_guards_and_check(stage: Stage) -> None:
    cfg = stage.project()
    stage.env(online_env("target_metadata=metadata", AUTOGEN_ENV.format(tables="")))
    stage.call("autogenerate on empty", command.revision, cfg, message="empty", rev_id="g1", autogenerate=True)
    stage.call("not up to date", command.revision, cfg, message="x", rev_id="g2", autogenerate=True)
    stage.call("upgrade", command.upgrade, cfg, "head")
    stage.call("check no changes", command.check, cfg)
    things = "Table('things', metadata, Column('id', Integer, primary_key=True))"
    stage.env(online_env("target_metadata=metadata", AUTOGEN_ENV.format(tables=things)))
    stage.call("check with changes", command.check, cfg)
    stage.call("plain second", command.revision, cfg, message="second", rev_id="g3")
    stage.call("plain splice", command.revision, cfg, message="branch", rev_id="g4", head="g1", splice=True)
    stage.call("autogenerate multiple heads", command.revision, cfg, message="x", rev_id="g5", autogenerate=True)
    stage.call("plain multiple heads", command.revision, cfg, message="x", rev_id="g5")
    stage.call("upgrade heads", command.upgrade, cfg, "heads")
    stage.call("merge", command.merge, cfg, "heads", message="merge", rev_id="g6")
    stage.call("autogenerate after unapplied merge", command.revision, cfg, message="x", rev_id="g7",
               autogenerate=True)
    stage.call("upgrade merge", command.upgrade, cfg, "heads")
    stage.call("autogenerate after merge", command.revision, cfg, message="things", rev_id="g7", autogenerate=True)
    stage.files()


def scenario_revision_file_without_revision(stage: Stage) -> None:
    """Alembic's test_error_on_new_with_missing_revision: a revision file that assigns no ``revision``.

    Named by anything but an id, listing the scripts fails, naming the file; named by its id
    alone (the revision files of Alembic 0.1), the id is the file's name.
    """
    cfg = stage.project()
    body = "down_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"
    (stage.versions / "abcd12345678.py").write_text(body, encoding="utf-8")
    stage.call("named by its id", command.heads, cfg)
    stage.call("history", command.history, cfg)
    (stage.versions / "foobar_e339618a3921.py").write_text(body, encoding="utf-8")
    stage.call("named otherwise", command.heads, cfg)
