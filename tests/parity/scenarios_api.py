"""``Config``, ``ScriptDirectory``, ``MigrationContext`` and ``EnvironmentContext`` used directly.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
Behaviours from Alembic's test_config.py, test_script_consumption.py, test_environment.py,
test_version_table.py, test_versioning.py and test_revision.py, and the ``Rewriter`` and
registries of test_script_production.py and test_op.py, reached the way tools reach
them (pytest-alembic, Flask-Migrate); the inputs and checks are ours.
"""

from __future__ import annotations

import io
import sqlite3

from command_harness import Stage, multi_heads, online_env, three_revs

from alembic import command


class _Sink:
    """A stdout with a chosen ``encoding`` that records what is written to it."""

    def __init__(self, encoding: str | None) -> None:
        self.encoding = encoding
        self.written: list[str] = []

    def write(self, text: str) -> None:
        self.written.append(text)

    def flush(self) -> None:
        pass


def scenario_config_values(stage: Stage) -> None:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("foob", "a %% percent")
    stage.call("percent main", cfg.get_main_option, "foob")
    cfg.set_section_option("some_section", "foob", "a %% percent")
    stage.call("percent section", cfg.get_section_option, "some_section", "foob")
    cfg.set_section_option("some_section", "foo", "foo_value")
    cfg.set_section_option("some_section", "bar", "bar with %(foo)s")
    stage.call("interpolation", cfg.get_section_option, "some_section", "bar")
    stage.call("single percent", cfg.set_main_option, "bad", "100%")
    stage.call("missing section", cfg.get_section_option, "nowhere", "x")
    stage.call("missing section default", cfg.get_section_option, "nowhere", "x", "dflt")
    stage.call("get_section missing", cfg.get_section, "nowhere")
    stage.call("get_section missing default", cfg.get_section, "nowhere", {"a": "b"})
    stage.call("no script_location", _script, cfg)
    stage.ini.write_text("[alembic]\nmigrations = %(base_path)s/db/migrations\n", encoding="utf-8")
    cfg = Config(str(stage.ini), config_args={"base_path": "/home/alembic"})
    stage.call("config_args", cfg.get_section_option, "alembic", "migrations")
    stage.call("here", cfg.get_main_option, "here")
    cfg = Config(attributes={"m1": 1})
    cfg.attributes["connection"] = 2
    stage.note("attributes", dict(cfg.attributes))
    stage.note("config_file_name default", Config().config_file_name)
    stage.note("config_ini_section", Config(ini_section="other").config_ini_section)


def _script(cfg: object) -> object:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(cfg)


def scenario_print_stdout_encoding(stage: Stage) -> None:
    from alembic.config import Config

    for encoding in ("latin-1", None, "utf-8", "ascii"):
        for text, args in (("test %s %s", ("x", "y")), ("méil %s %s", ("x", "y")), ("test 3%", ())):
            sink = _Sink(encoding)
            cfg = Config(stdout=sink)
            cfg.print_stdout(text, *args)
            stage.note(f"print_stdout {encoding} {text!r}", sink.written)


def scenario_script_output_encoding(stage: Stage) -> None:
    cfg = stage.project()
    stage.note("default", _script(cfg).output_encoding)  # type: ignore[attr-defined]
    cfg.set_main_option("output_encoding", "latin-1")
    stage.note("setting", _script(cfg).output_encoding)  # type: ignore[attr-defined]
    cfg = stage.project(extra="version_path_separator = |\nversion_locations = /a|/b")
    stage.call("bad version_path_separator", _script, cfg)
    cfg = stage.project(extra="path_separator = |\nversion_locations = /a|/b")
    stage.call("bad path_separator", _script, cfg)
    cfg = stage.project(extra="path_separator = newline\nversion_locations =\n  %(here)s/a\n  %(here)s/b ")
    stage.note("newline locations", _script(cfg).version_locations)  # type: ignore[attr-defined]
    cfg = stage.project(extra="version_path_separator = :\nversion_locations = %(here)s/Project A:%(here)s/B")
    stage.note("colon locations", _script(cfg).version_locations)  # type: ignore[attr-defined]
    cfg = stage.project(extra="version_locations = %(here)s/a %(here)s/b")
    stage.note("legacy locations", _script(cfg).version_locations)  # type: ignore[attr-defined]


def scenario_script_directory_api(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    script = _script(cfg)
    stage.call("get_current_head", script.get_current_head)  # type: ignore[attr-defined]
    stage.call("get_heads", script.get_heads)  # type: ignore[attr-defined]
    stage.call("get_base", script.get_base)  # type: ignore[attr-defined]
    stage.call("get_bases", script.get_bases)  # type: ignore[attr-defined]
    stage.call("walk", lambda: [s.revision for s in script.walk_revisions()])  # type: ignore[attr-defined]
    stage.call("walk b:head", lambda: [s.revision for s in script.walk_revisions(b, "head")])  # type: ignore[attr-defined]
    stage.call("iterate c to a", lambda: [s.revision for s in script.iterate_revisions(c, a)])  # type: ignore[attr-defined]
    stage.call("as_revision_number head", script.as_revision_number, "head")  # type: ignore[attr-defined]
    stage.call("as_revision_number heads", script.as_revision_number, "heads")  # type: ignore[attr-defined]
    stage.call("as_revision_number base", script.as_revision_number, "base")  # type: ignore[attr-defined]
    stage.call("as_revision_number prefix", script.as_revision_number, b[:5])  # type: ignore[attr-defined]
    stage.call("get_revision prefix", script.get_revision, b[:5])  # type: ignore[attr-defined]
    stage.call("get_revision unknown", script.get_revision, "zzz")  # type: ignore[attr-defined]
    stage.call("get_revisions heads", script.get_revisions, "heads")  # type: ignore[attr-defined]
    stage.call("doc", lambda: [script.get_revision(x).doc for x in (a, b, c)])  # type: ignore[attr-defined]
    stage.call("longdoc", lambda: script.get_revision(a).longdoc)  # type: ignore[attr-defined]
    stage.call("is_head", lambda: [script.get_revision(x).is_head for x in (a, b, c)])  # type: ignore[attr-defined]
    stage.call("is_base", lambda: [script.get_revision(x).is_base for x in (a, b, c)])  # type: ignore[attr-defined]
    stage.call("nextrev", lambda: [sorted(script.get_revision(x).nextrev) for x in (a, b, c)])  # type: ignore[attr-defined]
    stage.call("log_entry", lambda: script.get_revision(b).log_entry)  # type: ignore[attr-defined]
    stage.call("cmd_format", lambda: script.get_revision(b).cmd_format(True))  # type: ignore[attr-defined]
    d, e, f = multi_heads(stage, b, c)
    script = _script(cfg)
    stage.call("get_current_head multiple", script.get_current_head)  # type: ignore[attr-defined]
    stage.call("get_heads multiple", lambda: sorted(script.get_heads()))  # type: ignore[attr-defined]
    stage.call("get_revision head", script.get_revision, "head")  # type: ignore[attr-defined]
    stage.call("get_revisions head", script.get_revisions, "head")  # type: ignore[attr-defined]
    stage.call("branch point", lambda: script.get_revision(b).is_branch_point)  # type: ignore[attr-defined]
    stage.call("upgrade_revs", lambda: [s.revision.revision for s in script._upgrade_revs("heads", (b,))])  # type: ignore[attr-defined]
    stage.call("downgrade_revs", lambda: [s.revision.revision for s in script._downgrade_revs(a, (c, e))])  # type: ignore[attr-defined]


def scenario_migration_context_api(stage: Stage) -> None:
    from sqlalchemy import create_engine

    from alembic.migration import MigrationContext

    cfg = stage.project()
    a, b, c = three_revs(stage)
    script = _script(cfg)
    engine = create_engine(stage.url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        stage.call("current revision (no table)", ctx.get_current_revision)
        stage.call("current heads (no table)", ctx.get_current_heads)
        ctx.stamp(script, b)
        stage.call("after stamp", ctx.get_current_revision)
        ctx.stamp(script, "heads")
        stage.call("after stamp heads", ctx.get_current_heads)
        conn.commit()
        ctx2 = MigrationContext.configure(conn, opts={"version_table": "other_version"})
        stage.call("other table", ctx2.get_current_heads)
        stage.note("dialect", ctx.dialect.name)
        stage.note("as_sql", ctx.as_sql)
    stage.rows()
    with sqlite3.connect(stage.url[len("sqlite:///"):]) as db:
        db.execute("INSERT INTO alembic_version VALUES ('aaaa11112222')")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        stage.call("two rows current revision", ctx.get_current_revision)
        stage.call("two rows heads", lambda: sorted(ctx.get_current_heads()))
    buf = io.StringIO()
    ctx = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, "output_buffer": buf})
    stage.call("offline current heads", ctx.get_current_heads)
    ctx.stamp(script, b)
    stage.note("offline stamp", buf.getvalue())
    engine.dispose()


def scenario_environment_context_direct(stage: Stage) -> None:
    """EnvironmentContext run by hand, as pytest-alembic and Flask-Migrate do."""
    from alembic.runtime.environment import EnvironmentContext

    cfg = stage.project()
    a, b, c = three_revs(stage)
    script = _script(cfg)

    def upgrade(rev: object, context: object) -> object:
        return script._upgrade_revs(c, rev)  # type: ignore[attr-defined]

    with EnvironmentContext(cfg, script, fn=upgrade, as_sql=True, starting_rev=a, destination_rev=c, tag="t"):
        stage.call("run_env offline", script.run_env)  # type: ignore[attr-defined]

    def downgrade(rev: object, context: object) -> object:
        return script._downgrade_revs(a, rev)  # type: ignore[attr-defined]

    with EnvironmentContext(cfg, script, fn=downgrade, as_sql=True, starting_rev=c, destination_rev=a):
        stage.call("run_env offline down", script.run_env)  # type: ignore[attr-defined]
    with EnvironmentContext(cfg, script, fn=upgrade, destination_rev=c):
        stage.call("run_env online", script.run_env)  # type: ignore[attr-defined]
    stage.rows()

    def stamp(rev: object, context: object) -> object:
        return script._stamp_revs(a, rev)  # type: ignore[attr-defined]

    with EnvironmentContext(cfg, script, fn=stamp, destination_rev=a):
        stage.call("run_env stamp", script.run_env)  # type: ignore[attr-defined]
    stage.rows()
    seen: list[object] = []

    def record(rev: object, context: object) -> object:
        seen.append([list(rev), context.get_current_revision()])  # type: ignore[call-overload, attr-defined]
        return []

    with EnvironmentContext(cfg, script, fn=record):
        stage.call("run_env reads heads", script.run_env)  # type: ignore[attr-defined]
    stage.note("seen", seen)
    stage.call("command.upgrade after", command.upgrade, cfg, "head")
    stage.rows()


ON_APPLY_ENV = '''\
import builtins
from alembic import context
from sqlalchemy import create_engine

def on_apply(ctx, step, heads, run_args):
    builtins.SEEN.append([step.up_revision_id, list(step.up_revision_ids), list(step.down_revision_ids),
                          list(step.source_revision_ids), list(step.destination_revision_ids),
                          step.is_upgrade, step.is_stamp, step.is_migration, sorted(heads)])

url = context.config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, on_version_apply=on_apply)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, on_version_apply=on_apply)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
'''


def scenario_on_version_apply(stage: Stage) -> None:
    cfg = stage.project()
    a, b, c = three_revs(stage)
    d, e, f = multi_heads(stage, b, c)
    stage.env(ON_APPLY_ENV)
    _up_down_stamp(stage, cfg, b, c)
    stage.call("stamp base", command.stamp, cfg, "base")
    stage.seen()
    stage.call("offline", command.upgrade, cfg, f"{a}:{c}", sql=True)
    stage.seen()


def scenario_on_version_apply_with_dependencies(stage: Stage) -> None:
    """A revision that depends on another branch's: its downs in MigrationInfo include the dependency."""
    cfg = stage.project()
    a = stage.revision("a0a0a0a0a0a0", None, "a")
    b1 = stage.revision("b1b1b1b1b1b1", None, "b1", labels=("other",))
    b2 = stage.revision("b2b2b2b2b2b2", b1, "b2", deps=a)
    stage.env(ON_APPLY_ENV)
    stage.call("upgrade heads", command.upgrade, cfg, "heads")
    stage.seen()
    stage.call("downgrade b1", command.downgrade, cfg, b1)
    stage.seen()
    stage.call("offline", command.upgrade, cfg, f"{b1}:{b2}", sql=True)
    stage.seen()


def _up_down_stamp(stage: Stage, cfg: object, b: str, c: str) -> None:
    """Upgrade to the heads, down to ``b``, stamp ``c``: what env.py saw after each."""
    stage.call("upgrade heads", command.upgrade, cfg, "heads")
    stage.seen()
    stage.call("downgrade b", command.downgrade, cfg, b)
    stage.seen()
    stage.call("stamp c", command.stamp, cfg, c)
    stage.seen()


def scenario_online_version_statements(stage: Stage) -> None:
    """The version table's writes as the connection receives them: text and parameters.

    Alembic writes each revision id into the text (``literal_column``): statement logs show
    it, and a driver never prepares the statement (psycopg does after five runs of one text).
    """
    cfg = stage.project()
    a, b, c = three_revs(stage)
    multi_heads(stage, b, c)
    stage.env(online_env(preamble='''\
import builtins
from sqlalchemy import event
from sqlalchemy.engine import Engine

@event.listens_for(Engine, "before_cursor_execute")
def _seen(conn, cursor, statement, parameters, context, executemany):
    if "alembic_version" in statement and not statement.lstrip().startswith(("PRAGMA", "SELECT", "CREATE")):
        builtins.SEEN.append([" ".join(statement.split()), list(parameters)])
'''))
    _up_down_stamp(stage, cfg, b, c)
    stage.call("downgrade base", command.downgrade, cfg, "base")
    stage.seen()


def scenario_messaging_and_quiet(stage: Stage) -> None:
    from argparse import Namespace

    from alembic.config import Config
    from alembic.util import obfuscate_url_pw
    from alembic.util.messaging import msg

    stage.call("obfuscate", obfuscate_url_pw, "postgresql://scott:tiger@localhost/test")
    stage.call("obfuscate no password", obfuscate_url_pw, "sqlite:///x.db")
    stage.call("msg", msg, "A" * 300)
    stage.call("msg no newline", msg, "partial", newline=False)
    stage.call("msg quiet", msg, "hidden", quiet=True)
    stage.project()
    three_revs(stage)
    quiet = Config(str(stage.ini), cmd_opts=Namespace(quiet=True, x=None))
    stage.note("messaging_opts", dict(quiet.messaging_opts))
    stage.call("quiet revision", command.revision, quiet, message="q", rev_id="q1")
    stage.call("quiet history", command.history, quiet)
    stage.call("quiet heads", command.heads, quiet)
    stage.call("quiet upgrade sql", command.upgrade, quiet, "base:head", sql=True)
    stage.call("quiet upgrade", command.upgrade, quiet, "head")
    stage.call("quiet current", command.current, quiet)
    stage.call("quiet failure", command.show, quiet, "zzz")


def scenario_pyproject_configuration(stage: Stage) -> None:
    from alembic.config import Config

    stage.project()
    (stage.home / "other").mkdir()
    stage.ini.write_text(f"[alembic]\nsqlalchemy.url = sqlite:///{stage.home / 'db.sqlite'}\n", encoding="utf-8")
    (stage.home / "pyproject.toml").write_text(
        '[tool.alembic]\nscript_location = "%(here)s/scripts"\n'
        'version_locations = ["%(here)s/scripts/versions", "%(here)s/other"]\n'
        'file_template = "%%(rev)s_%%(slug)s"\ntruncate_slug_length = 10\n'
        '[[tool.alembic.post_write_hooks]]\nname = "noop"\ntype = "exec"\n'
        f'executable = "{stage.home / "nowhere-bin"}"\n',
        encoding="utf-8",
    )
    cfg = Config(str(stage.ini), toml_file=str(stage.home / "pyproject.toml"))
    stage.call("script_location", cfg.get_alembic_option, "script_location")
    stage.call("version_locations", lambda: _script(cfg).version_locations)  # type: ignore[attr-defined]
    stage.call("hooks", cfg.get_hooks_list)
    stage.call("revision with a hook that cannot run", command.revision, cfg, message="a long message here",
               rev_id="p1", version_path=str(stage.home / "other"))
    stage.call("history", command.history, cfg)


def scenario_version_rows_out_of_step(stage: Stage) -> None:
    """Version rows that do not match what a step expects (duplicates, a row gone)."""
    cfg = stage.project()
    a, b, c = three_revs(stage)
    stage.env(online_env("version_table_pk=False"))
    db = stage.url[len("sqlite:///"):]
    stage.call("upgrade head", command.upgrade, cfg, "head")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO alembic_version VALUES (?)", (c,))
    stage.rows()
    stage.call("downgrade -1 with a duplicate row", command.downgrade, cfg, "-1")
    stage.rows()
    with sqlite3.connect(db) as conn:
        # whether the failed downgrade's DROP TABLE was rolled back is SQLite transaction
        # handling (README, "Online runs"), not what this scenario compares
        conn.execute("DROP TABLE IF EXISTS step_3")
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (b,))
        conn.execute("INSERT INTO alembic_version VALUES (?)", (b,))
    stage.call("upgrade with duplicate start", command.upgrade, cfg, "head")
    stage.rows()
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (a,))
        conn.execute("INSERT INTO alembic_version VALUES (?)", (a,))
    stage.call("downgrade base with duplicate rows", command.downgrade, cfg, "base")
    stage.rows()
    stage.call("stamp base", command.stamp, cfg, "base")
    stage.rows()


def scenario_rewriter_and_registries(stage: Stage) -> None:
    """A ``Rewriter`` as env.py hooks use it, and the ``ValueError``s of Alembic's registries.

    From Alembic's RewriterTest (a record is rewritten once per Rewriter, also when the hook
    runs again on the same script, as the multidb template runs it once per database; a rewrite
    returning nothing removes the record), ScriptAccessorTest and CustomOpTest.
    """
    import sqlalchemy as sa

    from alembic.autogenerate import Rewriter
    from alembic.migration import MigrationContext
    from alembic.operations import MigrateOperation, Operations, ops

    def script(*names: str) -> object:
        return ops.MigrationScript(
            "abc", ops.UpgradeOps(ops=[ops.ModifyTableOps("t", ops=[
                ops.AddColumnOp("t", sa.Column(n, sa.Integer)) for n in names])]), ops.DowngradeOps(ops=[]))

    def columns(directives: list) -> list:
        return [[getattr(getattr(r, "column", None), "name", type(r).__name__) for m in u.ops for r in m.ops]
                for u in directives[0].upgrade_ops_list]

    suffix = Rewriter()

    @suffix.rewrites(ops.AddColumnOp)
    def add_suffix(context: object, revision: object, op: object) -> object:
        op.column.name += "_p"  # type: ignore[attr-defined]
        return op

    directives = [script("x")]
    suffix(None, None, directives)
    suffix(None, None, directives)
    stage.note("run twice", columns(directives))
    directives[0].upgrade_ops_list.append(ops.UpgradeOps(ops=[ops.ModifyTableOps("t2", ops=[
        ops.AddColumnOp("t2", sa.Column("y", sa.Integer))])]))
    suffix(None, None, directives)
    stage.note("again with a second database's container", columns(directives))
    stage.call("upgrade_ops of two containers", lambda: directives[0].upgrade_ops)
    stage.call("downgrade_ops of two containers", lambda: ops.MigrationScript(
        "abc", ops.UpgradeOps(ops=[]), [ops.DowngradeOps(ops=[]), ops.DowngradeOps(ops=[])]).downgrade_ops)

    drop = Rewriter()

    @drop.rewrites(ops.AddColumnOp)
    def keep_nothing(context: object, revision: object, op: object) -> None:
        return None

    directives = [script("x", "y")]
    drop(None, None, directives)
    stage.note("rewrite returning None", columns(directives))

    index = Rewriter()

    @index.rewrites(ops.AddColumnOp)
    def add_index(context: object, revision: object, op: object) -> list:
        return [op, ops.CreateIndexOp("ix_" + op.column.name, op.table_name, [op.column.name])]  # type: ignore[attr-defined]

    directives = [script("x")]
    suffix.chain(index)(None, None, directives)
    stage.note("chain", columns(directives))

    split = Rewriter()

    @split.rewrites(ops.UpgradeOps)
    def two_containers(context: object, revision: object, op: object) -> list:
        return [op, ops.UpgradeOps(ops=[])]

    stage.call("UpgradeOps rewritten into two", split, None, None, [script("x")])

    class Custom(MigrateOperation):
        def __repr__(self) -> str:
            return "Custom()"

    @split.rewrites(Custom)
    def custom(context: object, revision: object, op: object) -> object:
        return op

    stage.call("rewrites twice", lambda: split.rewrites(Custom)(custom))

    @Operations.register_operation("scenario_custom")
    class Registered(MigrateOperation):
        def __repr__(self) -> str:
            return "Registered()"

        @classmethod
        def scenario_custom(cls, operations: object) -> object:
            return operations.invoke(cls())  # type: ignore[attr-defined]

    @Operations.implementation_for(Registered)
    def run_registered(operations: object, operation: object) -> str:
        return "ran"

    stage.call("implementation_for twice", lambda: Operations.implementation_for(Registered)(run_registered))
    stage.call("implementation_for replace", lambda: Operations.implementation_for(Registered, replace=True)(
        run_registered) is run_registered)
    op = Operations(MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True,
                                                                             "output_buffer": io.StringIO()}))
    stage.call("custom op", op.scenario_custom)  # type: ignore[attr-defined]
    stage.call("invoke of an unregistered record", op.invoke, Custom())


RUNTIME_REVISION = '''"""runtime"""
import sqlalchemy as sa
from alembic import context, op

revision = "r1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # Alembic's impl API through the context, and a frame a revision opens itself
    op.get_context().impl.execute("CREATE TABLE impl_t (x INTEGER)")
    with context.begin_transaction():
        op.execute("UPDATE impl_t SET x = 9")
    opts = op.get_context().opts
    op.execute(sa.text("SELECT 1 WHERE 1 = :n").bindparams(n=int(opts["as_sql"])))
    # a context of its own on the run's bind (offline: the statements join the script)
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    Operations(MigrationContext.configure(op.get_bind())).add_column("impl_t", sa.Column("c", sa.Integer))


def downgrade():
    op.execute("DROP TABLE impl_t")
'''


def scenario_runtime_api_in_revision(stage: Stage) -> None:
    # found by a fuzz of the runtime API: impl.execute() was missing, a revision's own
    # begin_transaction() recursed offline, opts["as_sql"] was missing online
    cfg = stage.project()
    (stage.versions / "r1_runtime.py").write_text(RUNTIME_REVISION, encoding="utf-8")
    stage.call("upgrade --sql", command.upgrade, cfg, "head", sql=True)
    stage.call("upgrade online", command.upgrade, cfg, "head")
    stage.call("downgrade online", command.downgrade, cfg, "base")
