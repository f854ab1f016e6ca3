"""Offline (``--sql``) behaviour of ``alembic.command``, as Alembic's own offline tests pin it.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
Behaviours from Alembic's test_offline_environment.py, test_sql_script.py and the offline
parts of test_command.py / test_version_table.py; the inputs and checks are ours.
"""

from __future__ import annotations

from command_harness import Stage, multi_heads, three_revs

from alembic import command

# env.py that records the context's arguments, then runs (or not) the migrations
PROBE = '''\
import builtins
from alembic import context
SEEN = builtins.SEEN
SEEN.append(["offline", context.is_offline_mode()])
SEEN.append(["requires_connection", context.requires_connection()])
for name in ("get_starting_revision_argument", "get_revision_argument", "get_tag_argument",
             "get_head_revision", "get_head_revisions", "get_x_argument"):
    try:
        value = getattr(context, name)()
        if name == "get_revision_argument" and isinstance(value, tuple):
            value = sorted(value)
        if name == "get_head_revisions":
            value = sorted(value)
        SEEN.append([name, value])
    except Exception as exc:
        SEEN.append([name, type(exc).__name__, str(exc)])
{configure}
for name in ("get_starting_revision_argument", "get_revision_argument", "get_tag_argument"):
    try:
        value = getattr(context, name)()
        if isinstance(value, tuple):
            value = sorted(value)
        SEEN.append(["after " + name, value])
    except Exception as exc:
        SEEN.append(["after " + name, type(exc).__name__, str(exc)])
{run}
'''


def _probe(stage: Stage, configure: str = "", run: str = "") -> None:
    stage.env(PROBE.format(configure=configure, run=run))


def scenario_context_arguments_before_configure(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    _probe(stage)
    stage.probe("upgrade a sql", command.upgrade, cfg, a, sql=True)
    stage.probe("downgrade b:a sql", command.downgrade, cfg, f"{b}:{a}", sql=True)
    stage.probe("upgrade x:y sql", command.upgrade, cfg, "x:y", sql=True)
    stage.probe("downgrade x:y sql", command.downgrade, cfg, "x:y", sql=True)
    stage.probe("upgrade b4:c sql", command.upgrade, cfg, f"{b[:4]}:{c}", sql=True)
    stage.probe("stamp b4:c sql", command.stamp, cfg, f"{b[:4]}:{c}", sql=True)
    stage.probe("stamp b4 sql", command.stamp, cfg, b[:4], sql=True)
    stage.probe("upgrade b tag", command.upgrade, cfg, b, sql=True, tag="hi")
    stage.probe("current", command.current, cfg)
    stage.probe("upgrade a online", command.upgrade, cfg, a)


def scenario_context_arguments_after_configure(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    _probe(stage, configure="context.configure(dialect_name='sqlite', starting_rev='x', tag='there')")
    stage.probe("upgrade a sql", command.upgrade, cfg, a, sql=True)
    stage.probe("downgrade b:a sql tag", command.downgrade, cfg, f"{b}:{a}", sql=True, tag="hi")
    stage.probe("current", command.current, cfg)
    stage.probe("stamp a", command.stamp, cfg, a)


def scenario_context_arguments_multihead(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    d, e, f = multi_heads(stage, b, c)
    _probe(stage, configure="context.configure(dialect_name='sqlite')")
    stage.probe("upgrade heads sql", command.upgrade, cfg, "heads", sql=True)
    stage.probe("upgrade e sql", command.upgrade, cfg, e, sql=True)
    stage.probe("downgrade e:b sql", command.downgrade, cfg, f"{e}:{b}", sql=True)
    stage.probe("stamp c sql", command.stamp, cfg, c, sql=True)


def scenario_current_needs_starting_revision(stage: Stage) -> None:
    cfg = stage.project()
    three_revs(stage)
    stage.env("from alembic import context\ncontext.get_starting_revision_argument()\n")
    stage.call("current", command.current, cfg)


def scenario_offline_ranges(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.call("upgrade a", command.upgrade, cfg, a, sql=True)
    stage.call("upgrade b:c", command.upgrade, cfg, f"{b}:{c}", sql=True)
    stage.call("upgrade head", command.upgrade, cfg, "head", sql=True)
    stage.call("upgrade base:head", command.upgrade, cfg, "base:head", sql=True)
    stage.call("upgrade b4:c4", command.upgrade, cfg, f"{b[:4]}:{c[:4]}", sql=True)
    stage.call("upgrade a:+1", command.upgrade, cfg, f"{a}:+1", sql=True)
    stage.call("downgrade c:base", command.downgrade, cfg, f"{c}:base", sql=True)
    stage.call("downgrade c:a", command.downgrade, cfg, f"{c}:{a}", sql=True)
    stage.call("downgrade c:-1", command.downgrade, cfg, f"{c}:-1", sql=True)
    stage.call("downgrade head:-2", command.downgrade, cfg, "head:-2", sql=True)
    stage.call("downgrade b no colon", command.downgrade, cfg, b, sql=True)
    stage.call("upgrade c:a (backwards)", command.upgrade, cfg, f"{c}:{a}", sql=True)
    stage.call("downgrade a:c (backwards)", command.downgrade, cfg, f"{a}:{c}", sql=True)
    stage.call("upgrade unknown", command.upgrade, cfg, "zzzz", sql=True)
    stage.call("upgrade unknown start", command.upgrade, cfg, "zzzz:head", sql=True)
    stage.call("upgrade head:head", command.upgrade, cfg, "head:head", sql=True)
    stage.call("upgrade relative +1 offline", command.upgrade, cfg, "+1", sql=True)
    stage.call("ensure_version sql", command.ensure_version, cfg, sql=True)


def scenario_offline_stamp(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.call("stamp head", command.stamp, cfg, "head", sql=True)
    stage.call("stamp revision kw", command.stamp, cfg, revision="head", sql=True)
    stage.call("stamp a:head", command.stamp, cfg, f"{a}:head", sql=True)
    stage.call("stamp a7:head", command.stamp, cfg, f"{a[:7]}:head", sql=True)
    stage.call("stamp c:a", command.stamp, cfg, f"{c}:{a}", sql=True)
    stage.call("stamp c:base", command.stamp, cfg, f"{c}:base", sql=True)
    stage.call("stamp base", command.stamp, cfg, "base", sql=True)
    stage.call("stamp b c", command.stamp, cfg, [b, c], sql=True)
    stage.call("stamp purge sql", command.stamp, cfg, [c], sql=True, purge=True)


def scenario_offline_stamp_multiple_heads(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    d, e, f = multi_heads(stage, b, c)
    stage.call("stamp heads", command.stamp, cfg, ["heads"], sql=True)
    stage.call("stamp a e f", command.stamp, cfg, [a, e, f], sql=True)
    stage.call("stamp base:a base:e base:f", command.stamp, cfg, [f"base:{a}", f"base:{e}", f"base:{f}"],
               sql=True)
    stage.call("stamp b:c b:e b:f", command.stamp, cfg, [f"{b}:{c}", f"{b}:{e}", f"{b}:{f}"], sql=True)
    stage.call("stamp b:heads", command.stamp, cfg, [f"{b}:heads"], sql=True)
    stage.call("stamp two starts", command.stamp, cfg, [f"{b}:{c}", f"{a}:{e}"], sql=True)
    stage.call("stamp c@head", command.stamp, cfg, [f"{c}@head"], sql=True)
    stage.call("upgrade heads", command.upgrade, cfg, "heads", sql=True)
    stage.call("upgrade head (ambiguous)", command.upgrade, cfg, "head", sql=True)
    stage.call("upgrade b:heads", command.upgrade, cfg, f"{b}:heads", sql=True)
    stage.call("downgrade heads:base", command.downgrade, cfg, "heads:base", sql=True)
    stage.call("downgrade e:b", command.downgrade, cfg, f"{e}:{b}", sql=True)


def scenario_offline_multiple_roots(stage: Stage) -> None:
    cfg = stage.project()
    a1 = stage.revision("a1a1a1a1a1a1", None, "a1")
    b1 = stage.revision("b1b1b1b1b1b1", a1, "b1")
    a2 = stage.revision("a2a2a2a2a2a2", None, "a2")
    b2 = stage.revision("b2b2b2b2b2b2", a2, "b2")
    stage.call("stamp heads", command.stamp, cfg, ["heads"], sql=True)
    stage.call("stamp b1@head", command.stamp, cfg, [f"{b1}@head"], sql=True)
    stage.call("upgrade heads", command.upgrade, cfg, "heads", sql=True)
    stage.call("upgrade base:b2", command.upgrade, cfg, f"base:{b2}", sql=True)
    stage.call("downgrade heads:base", command.downgrade, cfg, "heads:base", sql=True)
    stage.call("downgrade b1:base", command.downgrade, cfg, f"{b1}:base", sql=True)


def scenario_transaction_framing(stage: Stage) -> None:
    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    base = '''\
from alembic import context
context.configure(url="postgresql://", {opts})
with context.begin_transaction():
    context.run_migrations()
'''
    for opts in ("", "transaction_per_migration=True", "transactional_ddl=False",
                 "transactional_ddl=False, transaction_per_migration=True",
                 "version_table='my_version', version_table_schema='s'",
                 "version_table_pk=False", "include_symbol=None, starting_rev=None"):
        stage.env(base.format(opts=opts))
        stage.call(f"upgrade base:head [{opts}]", command.upgrade, cfg, "base:head", sql=True)
        stage.call(f"downgrade head:base [{opts}]", command.downgrade, cfg, "head:base", sql=True)
    stage.env(base.format(opts="transactional_ddl=True").replace('"postgresql://"', '"sqlite://"'))
    stage.call("sqlite transactional_ddl", command.upgrade, cfg, f"{a}:{c}", sql=True)
    stage.env(base.format(opts="").replace('"postgresql://"', '"mssql://"'))
    stage.call("mssql", command.upgrade, cfg, "base:head", sql=True)
    stage.env(base.format(opts="").replace('"postgresql://"', '"mysql://"'))
    stage.call("mysql", command.upgrade, cfg, "base:head", sql=True)
    # an env.py that never calls begin_transaction(): no framing at all offline
    bare = 'from alembic import context\ncontext.configure(url="{url}", {opts})\ncontext.run_migrations()\n'
    for url, opts in (("postgresql://", ""), ("postgresql://", "transaction_per_migration=True"), ("mssql://", ""),
                      ("oracle://", "transactional_ddl=True"), ("sqlite://", "")):
        stage.env(bare.format(url=url, opts=opts))
        stage.call(f"no begin_transaction [{url} {opts}]", command.upgrade, cfg, f"{a}:{c}", sql=True)


def scenario_output_buffer_and_encoding(stage: Stage) -> None:
    import io

    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    buf = io.StringIO()
    cfg2 = stage.config(output_buffer=buf)
    stage.call("upgrade to config output_buffer", command.upgrade, cfg2, "base:head", sql=True)
    stage.note("config output_buffer", buf.getvalue())
    stage.env('''\
import io, builtins
from alembic import context
buf = io.StringIO()
context.configure(url="postgresql://", output_buffer=buf)
with context.begin_transaction():
    context.run_migrations()
builtins.SEEN.append(buf.getvalue())
''')
    stage.probe("upgrade to env output_buffer", command.upgrade, cfg, "base:head", sql=True)
    stage.env('''\
import io, builtins
from alembic import context
buf = io.BytesIO()
context.configure(url="postgresql://", output_buffer=buf, output_encoding="utf-8")
with context.begin_transaction():
    context.run_migrations()
builtins.SEEN.append(buf.getvalue().decode("utf-8"))
''')
    stage.probe("output_encoding", command.upgrade, cfg, f"{a}:{b}", sql=True)


def scenario_multiline_message_not_in_comments(stage: Stage) -> None:
    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    stage.revision("dddd00001111", c, "4", message="a very long \\nand multiline\\nmessage")
    stage.call("upgrade", command.upgrade, cfg, f"{a}:dddd00001111", sql=True)


def scenario_starting_rev_abbreviated_runs(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.env('''\
from alembic import context
context.configure(dialect_name='sqlite')
context.run_migrations()
''')
    stage.call("upgrade b4:c", command.upgrade, cfg, f"{b[:4]}:{c}", sql=True)
    stage.call("downgrade b4:a", command.downgrade, cfg, f"{b[:4]}:{a}", sql=True)
    stage.call("upgrade a:b4", command.upgrade, cfg, f"{a}:{b[:4]}", sql=True)
    stage.call("stamp b4", command.stamp, cfg, b[:4], sql=True)
    stage.call("downgrade c:b4", command.downgrade, cfg, f"{c}:{b[:4]}", sql=True)


def scenario_depends_on_offline(stage: Stage) -> None:
    cfg = stage.project()
    a = stage.revision("a0a0a0a0a0a0", None, "a")
    b1 = stage.revision("b1b1b1b1b1b1", None, "b1", labels=("other",))
    b2 = stage.revision("b2b2b2b2b2b2", b1, "b2", deps=a)
    b3 = stage.revision("b3b3b3b3b3b3", b2, "b3")
    stage.call("upgrade b3", command.upgrade, cfg, b3, sql=True)
    stage.call("upgrade other@head", command.upgrade, cfg, "other@head", sql=True)
    stage.call("upgrade other@+2", command.upgrade, cfg, f"{b1}:other@+1", sql=True)
    stage.call("downgrade b3:a", command.downgrade, cfg, f"{b3}:{a}", sql=True)
    stage.call("downgrade heads:base", command.downgrade, cfg, "heads:base", sql=True)
    stage.call("downgrade other@base", command.downgrade, cfg, f"{b3}:other@base", sql=True)
    # a start takes no relative step: Alembic resolves it as one revision ("Can't locate ... '-1'")
    stage.call("upgrade other@-1:b3", command.upgrade, cfg, f"other@-1:{b3}", sql=True)
    stage.call("downgrade other@-1:base", command.downgrade, cfg, "other@-1:base", sql=True)
