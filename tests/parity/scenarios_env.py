"""env.py and revision-file behaviour under the commands, and the command line as a library.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
Behaviours from Alembic's test_environment.py, test_script_consumption.py and the
command-line parts of test_command.py; the inputs and checks are ours.
"""

from __future__ import annotations

import warnings
from argparse import Namespace

from command_harness import Stage, three_revs

from alembic import command

AUTOCOMMIT = '''\
"""autocommit block"""
from alembic import op

revision = "dddd00000000"
down_revision = "cccc55556666"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE before_block (id INTEGER)")
    with op.get_context().autocommit_block():
        op.execute("CREATE TABLE in_block (id INTEGER)")
    op.execute("CREATE TABLE after_block (id INTEGER)")


def downgrade():
    with op.get_context().autocommit_block():
        op.execute("DROP TABLE in_block")
    op.execute("DROP TABLE after_block")
    op.execute("DROP TABLE before_block")
'''


def scenario_autocommit_block(stage: Stage) -> None:
    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    (stage.versions / "dddd00000000_.py").write_text(AUTOCOMMIT, encoding="utf-8")
    body = '''\
from alembic import context
context.configure(url="{url}", {opts})
with context.begin_transaction():
    context.run_migrations()
'''
    for url in ("postgresql://", "sqlite://", "mssql://"):
        for opts in ("", "transaction_per_migration=True", "transactional_ddl=False"):
            stage.env(body.format(url=url, opts=opts))
            stage.call(f"up {url} [{opts}]", command.upgrade, cfg, f"{b}:dddd00000000", sql=True)
            stage.call(f"down {url} [{opts}]", command.downgrade, cfg, f"dddd00000000:{b}", sql=True)
    cfg = stage.project()
    three_revs(stage)
    (stage.versions / "dddd00000000_.py").write_text(AUTOCOMMIT, encoding="utf-8")
    stage.call("online sqlite", command.upgrade, cfg, "head")
    stage.rows()
    stage.call("online sqlite down", command.downgrade, cfg, "base")
    stage.rows()


# nonebot-plugin-user 9492159f98f7: an error raised inside the block and caught around it; the
# transaction is opened again all the same (offline: the BEGIN after the block is written)
AUTOCOMMIT_CAUGHT = AUTOCOMMIT.replace('''\
    with op.get_context().autocommit_block():
        op.execute("CREATE TABLE in_block (id INTEGER)")
    op.execute("CREATE TABLE after_block''', '''\
    try:
        with op.get_context().autocommit_block():
            op.execute("CREATE TABLE in_block (id INTEGER)")
            raise LookupError("no such constraint")
    except LookupError:
        pass
    op.execute("CREATE TABLE after_block''', 1)


def scenario_autocommit_block_left_by_a_caught_error(stage: Stage) -> None:
    assert "raise LookupError" in AUTOCOMMIT_CAUGHT
    cfg = stage.project(url="postgresql://")
    _, b, _ = three_revs(stage)
    (stage.versions / "dddd00000000_.py").write_text(AUTOCOMMIT_CAUGHT, encoding="utf-8")
    stage.call("up postgresql", command.upgrade, cfg, f"{b}:dddd00000000", sql=True)
    stage.call("down postgresql", command.downgrade, cfg, f"dddd00000000:{b}", sql=True)


#: env.py that records what get_x_argument() answers
X_ENV = '''\
import builtins
from alembic import context
builtins.SEEN.append(context.get_x_argument())
builtins.SEEN.append(context.get_x_argument(as_dictionary=True))
builtins.SEEN.append(context.config.cmd_opts is not None)
'''


def _x_run(stage: Stage, label: str, cmd_opts: Namespace | None) -> None:
    from alembic.config import Config

    cfg = Config(str(stage.ini), cmd_opts=cmd_opts)
    stage.call(label, command.upgrade, cfg, "head", sql=True)
    stage.seen()


def scenario_x_arguments(stage: Stage) -> None:
    stage.project()
    three_revs(stage)
    stage.env(X_ENV)
    _x_run(stage, "with -x", Namespace(x=["y=5", "q", "a=b=c", " k = v "]))
    _x_run(stage, "without cmd_opts", None)
    _x_run(stage, "x None", Namespace(x=None))


def scenario_x_argument_one_string(stage: Stage) -> None:
    stage.project()
    three_revs(stage)
    stage.env(X_ENV)
    _x_run(stage, "x one string", Namespace(x="y=5"))  # a program's one string, not a list


def scenario_connection_given_an_engine(stage: Stage) -> None:
    cfg = stage.project()
    three_revs(stage)
    stage.env('''\
import builtins, warnings
from alembic import context
from sqlalchemy import create_engine
engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    context.configure(connection=engine)
builtins.SEEN.append([str(w.message) for w in caught])
''')
    stage.call("engine as connection", command.current, cfg)
    stage.seen()


def scenario_command_line_as_library(stage: Stage) -> None:
    from alembic.config import CommandLine, Config, main

    stage.project()
    a, b, c = three_revs(stage)
    cfg = Config(str(stage.ini))
    cl = CommandLine()
    options = cl.parser.parse_args(["stamp", b, c, "--sql"])
    stage.call("parse stamp two revs", cl.run_cmd, cfg, options)
    options = cl.parser.parse_args(["history", "-r", f"{a}:{b}", "-v"])
    stage.call("parse history", cl.run_cmd, Config(str(stage.ini)), options)
    stage.call("main heads", main, argv=["-c", str(stage.ini), "heads", "-v"])
    # Alembic's Config prints to the sys.stdout of its import, which the harness cannot capture
    stage.steps[-1]["out"] = "<not compared>"
    stage.call("main --raiseerr", main, argv=["-c", str(stage.ini), "--raiseerr", "show", "zzz"])
    stage.call("main upgrade sql", main, argv=["-c", str(stage.ini), "upgrade", f"{a}:{c}", "--sql"])
    stage.call("main unknown revision", main, argv=["-c", str(stage.ini), "show", "zzz"])
    stage.call("main missing ini", main, argv=["-c", str(stage.home / "nope.ini"), "heads"])
    stage.call("main downgrade sql without range", main, argv=["-c", str(stage.ini), "downgrade", "-1", "--sql"])
    stage.call("main --version", CommandLine(prog="test_prog").main, argv=["--version"])
    stage.call("main no command", main, argv=["-c", str(stage.ini)])


def scenario_sourceless_revisions(stage: Stage) -> None:
    import compileall
    import os

    cfg = stage.project(extra="sourceless = true")
    a, b, c = three_revs(stage)
    compileall.compile_dir(str(stage.versions), quiet=1, legacy=True)
    os.remove(stage.versions / f"{c}_.py")  # c exists as a .pyc only
    stage.call("history", command.history, cfg)
    stage.call("upgrade", command.upgrade, cfg, "head", sql=True)
    cfg = stage.project()
    stage.call("history not sourceless", command.history, cfg)


def scenario_revision_file_encoding(stage: Stage) -> None:
    cfg = stage.project(url="postgresql://")
    (stage.versions / "e1_.py").write_text(
        '# -*- coding: latin-1 -*-\n"""Ünïcode message"""\nfrom alembic import op\n'
        'revision = "e1"\ndown_revision = None\n\n\ndef upgrade():\n'
        '    op.execute("INSERT INTO t VALUES (\'méil\')")\n\n\ndef downgrade():\n    pass\n',
        encoding="latin-1",
    )
    stage.call("history", command.history, cfg, verbose=True)
    stage.call("upgrade", command.upgrade, cfg, "head", sql=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stage.call("show", command.show, cfg, "e1")
