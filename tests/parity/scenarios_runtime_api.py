"""``EnvironmentContext``, ``MigrationContext`` and ``ScriptDirectory`` called by a program, edge cases.

Run in child processes by ``command_harness`` under each tool; see test_commands_vs_alembic.py.
What a program driving the runtime by hand sees: when offline text reaches its
``output_buffer`` (as each statement is produced, not when the run ends), the
transaction framing of ``autocommit_block()`` in every configuration, and which
exception class a broken revision graph raises from each ``ScriptDirectory`` method.
"""

from __future__ import annotations

import io
import re
from typing import Any

from alembic import command
from command_harness import Stage, three_revs
from scenarios_env import (
    AUTOCOMMIT,  # a revision with an autocommit_block going up and down
)


def _script(cfg: object) -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(cfg)


def scenario_autocommit_block_framings(stage: Stage) -> None:
    """env.py with and without begin_transaction(), each transaction option, offline."""
    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    (stage.versions / "dddd00000000_.py").write_text(AUTOCOMMIT, encoding="utf-8")
    configure = 'from alembic import context\ncontext.configure(url="{url}", {opts})\n'
    framed = "with context.begin_transaction():\n    context.run_migrations()\n"
    for url in ("postgresql://", "mssql://", "sqlite://", "mysql://"):
        for opts in ("", "transaction_per_migration=True", "transactional_ddl=False", "transactional_ddl=True",
                     "transaction_per_migration=True, transactional_ddl=False"):
            for frame in ("begin", "no begin"):
                stage.env(configure.format(url=url, opts=opts) + (framed if frame == "begin" else "context.run_migrations()\n"))
                stage.call(f"up {url} [{opts}] {frame}", command.upgrade, cfg, f"{b}:dddd00000000", sql=True)
                stage.call(f"down {url} [{opts}] {frame}", command.downgrade, cfg, f"dddd00000000:{b}", sql=True)


def scenario_environment_context_writes_as_it_goes(stage: Stage) -> None:
    """A program's offline EnvironmentContext: what its output_buffer holds at each point."""
    from alembic.runtime.environment import EnvironmentContext

    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    script = _script(cfg)

    def upgrade(rev: object, context: object) -> object:
        return script._upgrade_revs(c, rev)

    for opts in ({}, {"transaction_per_migration": True}, {"transactional_ddl": False}):
        for frame in (True, False):
            label = f"{sorted(opts.items())} {'begin' if frame else 'no begin'}"
            buf = io.StringIO()
            seen: list[str] = []
            with EnvironmentContext(cfg, script, fn=upgrade, as_sql=True, starting_rev=a, destination_rev=c) as env:
                env.configure(dialect_name="postgresql", output_buffer=buf, **opts)
                env.execute("SELECT 1")
                seen.append(buf.getvalue())
                env.static_output("-- static text")
                seen.append(buf.getvalue())
                if frame:
                    with env.begin_transaction():
                        env.execute("SELECT 2")
                        seen.append(buf.getvalue())
                        env.run_migrations()
                        seen.append(buf.getvalue())
                else:
                    env.run_migrations()
                seen.append(buf.getvalue())
                env.execute("SELECT 3")
                seen.append(buf.getvalue())
            seen.append(buf.getvalue())
            stage.note(label, seen)


FAILING_ENV = '''\
from alembic import context
buf = context.config.attributes["buf"]
context.configure(dialect_name="postgresql", output_buffer=buf)
context.execute("SELECT 1")
context.config.attributes["seen"].append(buf.getvalue())
with context.begin_transaction():
    context.run_migrations()
'''


def scenario_environment_context_run_env_failing(stage: Stage) -> None:
    """run_env() under a program's EnvironmentContext: a revision that fails leaves what was written."""
    from alembic.runtime.environment import EnvironmentContext

    cfg = stage.project(url="postgresql://")
    a, b, c = three_revs(stage)
    stage.env(FAILING_ENV)
    broken = stage.versions / f"{c}_.py"
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        'op.execute("CREATE TABLE step_3 (id INTEGER)")', 'op.execute("CREATE TABLE step_3 (id INTEGER)")\n    raise RuntimeError("boom")'
    ), encoding="utf-8")
    script = _script(cfg)
    buf = io.StringIO()
    seen: list[str] = []
    cfg.attributes.update(buf=buf, seen=seen)

    def upgrade(rev: object, context: object) -> object:
        return script._upgrade_revs(c, rev)

    def run() -> None:
        with EnvironmentContext(cfg, script, fn=upgrade, as_sql=True, starting_rev=None, destination_rev=c):
            script.run_env()

    stage.call("run_env", run)
    stage.note("before run_migrations", seen)
    stage.note("written", buf.getvalue())


def _raised(stage: Stage, label: str, fn: Any, missing: str | None = None) -> None:
    """Which of Alembic's classes ``fn`` raises, and the revisions its message names (sorted).

    Alembic names the two revisions of a label conflict in an order that changes from one
    method to the next (limbeck: in file order). For a ``missing`` revision Alembic lets a bare
    ``KeyError`` of its id through, where limbeck's (also a ``RevisionError``) is a sentence
    naming both revisions and the file (README, "Revision identifiers"): only the ``KeyError``
    and the missing id are compared then.
    """
    from alembic.script.revision import CycleDetected, LoopDetected, RevisionError
    from alembic.util import CommandError

    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the class is the observation
        kinds: tuple[type[BaseException], ...] = (RevisionError, CommandError, KeyError, CycleDetected, LoopDetected)
        named = sorted(set(re.findall(r"[0-9a-f]{12}", str(exc))))
        if missing is not None:
            kinds, named = (CommandError, KeyError), [missing] if missing in named else named
        stage.note(label, [[isinstance(exc, kind) for kind in kinds], named, "\n" in str(exc)])
    else:
        stage.note(label, "no error")


def scenario_branch_label_declared_twice(stage: Stage) -> None:
    """The map's error from each ScriptDirectory method, each on a fresh directory, and the commands."""
    cfg = stage.project()
    stage.revision("aaaa00000001", None, "1", labels=("shared",))
    stage.revision("bbbb00000002", None, "2", labels=("shared",))
    for method, args in (("get_heads", ()), ("get_bases", ()), ("get_base", ()), ("get_current_head", ()),
                         ("get_revision", ("aaaa00000001",)), ("get_revisions", ("heads",)),
                         ("as_revision_number", ("heads",)), ("walk_revisions", ())):
        _raised(stage, method, lambda method=method, args=args: list(getattr(_script(cfg), method)(*args) or ()))
    _raised(stage, "revision_map.heads", lambda: _script(cfg).revision_map.heads)
    _raised(stage, "command.heads", lambda: command.heads(cfg))
    _raised(stage, "command.history", lambda: command.history(cfg))


def scenario_broken_graphs(stage: Stage) -> None:
    """A missing down revision, a cycle and a self-loop: the class each lookup raises."""
    cfg = stage.project()
    cases = {
        "missing down": [("aaaa00000001", "ffff00000000")],
        "cycle": [("aaaa00000001", "bbbb00000002"), ("bbbb00000002", "aaaa00000001")],
        "self-loop": [("aaaa00000001", "aaaa00000001")],
    }
    for case, revisions in cases.items():
        for path in stage.versions.glob("*.py"):
            path.unlink()
        for rev, down in revisions:
            stage.revision(rev, down)
        missing = "ffff00000000" if case == "missing down" else None
        for method in ("get_heads", "get_bases"):
            _raised(stage, f"{case}: {method}", lambda method=method: getattr(_script(cfg), method)(), missing)
        _raised(stage, f"{case}: get_revision", lambda: _script(cfg).get_revision("aaaa00000001"), missing)
        _raised(stage, f"{case}: revision_map.bases", lambda: _script(cfg).revision_map.bases, missing)


def scenario_runtime_objects_misused(stage: Stage) -> None:
    """A program's mistakes with the runtime objects: the class and words Alembic has for each."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationContext

    cfg = stage.project()
    three_revs(stage)
    env = EnvironmentContext(cfg, _script(cfg))
    for method in ("get_context", "get_bind", "get_impl", "is_transactional_ddl", "static_output", "execute"):
        args = ("SELECT 1",) if method in ("static_output", "execute") else ()
        stage.call(f"before configure: {method}", getattr(env, method), *args)
    stage.call("before configure: begin_transaction", lambda: env.begin_transaction().__enter__())
    stage.call("no dialect", MigrationContext.configure)
    stage.call("unknown dialect name", MigrationContext.configure, dialect_name="nosuch")
    stage.call("unknown dialect in url", MigrationContext.configure, url="nosuch://")
    stage.call("url not a url", MigrationContext.configure, url="not a url")
    stage.call("literal_binds online", MigrationContext.configure, url="sqlite://", opts={"literal_binds": True})


def scenario_generate_revision_checks_in_order(stage: Stage) -> None:
    """ScriptDirectory.generate_revision: which refusal comes first when several apply."""
    cfg = stage.project()
    a = three_revs(stage)[0]
    stage.revision("eeee00000001", a, "e")  # a second head
    script = _script(cfg)
    for label, kw in (("bad id, several heads", {"revid": "a@b"}), ("taken id, several heads", {"revid": a}),
                      ("bad id, unknown head", {"revid": "a:b", "head": "zzz"}),
                      ("unknown head", {"revid": "ffff00000001", "head": "zzz"}),
                      ("not a head", {"revid": "ffff00000002", "head": a})):
        stage.call(label, script.generate_revision, message="m", **kw)
    stage.files()
