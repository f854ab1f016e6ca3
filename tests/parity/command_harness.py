"""Run command scenarios under real Alembic and under limbeck-as-``alembic``, in child processes.

A scenario module (``tests/parity/scenarios_*.py``) holds functions named ``scenario_*`` that
take a :class:`Stage` and drive ``alembic.command``, ``ScriptDirectory``, ``EnvironmentContext``
and ``Config`` the way a user's tool does: they import ``alembic`` only. Each child process
imports the module once and runs every scenario in a fresh folder; one child runs with the real
Alembic 1.20.1 and one with ``LIMBECK_AS_ALEMBIC=1``, so the same code meets each tool, and what
each observes (printed output, offline SQL, exceptions, return values, files written, version
table rows, what env.py saw) is returned as JSON for the tests to compare.

Two child processes for a whole module keep the cost to about a second of start-up per tool.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["Stage", "online_env", "run_module", "three_revs", "multi_heads"]

INI = """\
[alembic]
script_location = %(here)s/scripts
sqlalchemy.url = {url}
{extra}
"""

#: env.py: offline with literal binds on the URL's dialect, online on the URL's database
ENV = '''\
from alembic import context
from sqlalchemy import create_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    engine.dispose()
'''


REVISION = '''\
"""{message}"""
from alembic import op

revision = {rev!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {deps!r}


def upgrade():
    op.execute("CREATE TABLE step_{name} (id INTEGER)")


def downgrade():
    op.execute("DROP TABLE step_{name}")
'''


ONLINE_ENV = '''\
from alembic import context
from sqlalchemy import create_engine
{preamble}
engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, {options})
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
engine.dispose()
'''


def online_env(options: str = "", preamble: str = "") -> str:
    """An online-only env.py: ``configure(connection=..., <options>)`` after ``preamble``."""
    return ONLINE_ENV.format(options=options, preamble=preamble)


class Stage:
    """One scenario's folder, its project and what it observed."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.steps: list[dict[str, Any]] = []
        self.ini = home / "alembic.ini"
        self.versions = home / "scripts" / "versions"

    # -- project ---------------------------------------------------------------------------
    def project(self, url: str = "sqlite:///db.sqlite", extra: str = "", env: str = ENV,
                mako: str | None = None) -> Any:
        """Write alembic.ini, env.py, script.py.mako and an empty versions folder; return a Config."""
        (self.home / "scripts").mkdir(exist_ok=True)
        self.versions.mkdir(exist_ok=True)
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            url = "sqlite:///" + str(self.home / url[len("sqlite:///"):])
        self.url = url
        self.ini.write_text(INI.format(url=url, extra=extra), encoding="utf-8")
        (self.home / "scripts" / "env.py").write_text(env, encoding="utf-8")
        (self.home / "scripts" / "script.py.mako").write_text(mako or _generic_mako(), encoding="utf-8")
        return self.config()

    def config(self, **kw: Any) -> Any:
        from alembic.config import Config

        return Config(str(self.ini), stdout=_Out(), **kw)

    def env(self, body: str) -> None:
        (self.home / "scripts" / "env.py").write_text(body, encoding="utf-8")

    def revision(self, rev: str, down: Any = None, name: str | None = None, labels: Any = None,
                 deps: Any = None, message: str = "rev", folder: Path | None = None) -> str:
        """Write a revision file that creates table ``step_<name>`` (and drops it going down)."""
        (folder or self.versions).mkdir(parents=True, exist_ok=True)
        (folder or self.versions).joinpath(f"{rev}_.py").write_text(
            REVISION.format(rev=rev, down=down, labels=labels, deps=deps, name=name or rev,
                            message=message),
            encoding="utf-8",
        )
        return rev

    # -- observing -------------------------------------------------------------------------
    def call(self, label: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Run ``fn``; record what it printed (stdout and the Config's stdout), returned or raised."""
        out = _Out()
        cfg = next((a for a in args if hasattr(a, "file_config")), None)
        if cfg is not None:
            cfg.stdout = _Out()
        step: dict[str, Any] = {"call": label}
        result = None
        err = _Out()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                result = fn(*args, **kw)
            except Exception as exc:  # noqa: BLE001 - the exception is the observation
                step["exc"] = self.exception(exc)
            except SystemExit as exc:  # a command line's main(): its status and all it wrote
                step["exit"] = exc.code not in (None, 0)
        text = out.getvalue() + (cfg.stdout.getvalue() if cfg is not None else "")
        if "exit" in step:
            # Alembic writes its FAILED line on stdout, limbeck on stderr (README, "Commands")
            text += err.getvalue()
        step["out"] = self.clean(text)
        step["ret"] = self.value(result)
        self.steps.append(step)
        return result

    def probe(self, label: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """:meth:`call`, then record what env.py saw during it (:meth:`seen`)."""
        result = self.call(label, fn, *args, **kw)
        self.seen()
        return result

    def unordered(self) -> None:
        """The last step printed lines in a set's order (Alembic's varies run to run): sort them."""
        self.steps[-1]["out"] = "\n".join(sorted(self.steps[-1]["out"].splitlines()))

    def note(self, label: str, value: Any) -> None:
        self.steps.append({"call": label, "value": self.value(value)})

    def exception(self, exc: BaseException) -> list[Any]:
        from alembic import util

        classes = [c.__name__ for c in type(exc).__mro__]
        return [type(exc).__name__, isinstance(exc, util.CommandError), self.clean(str(exc)), classes]

    def clean(self, text: str) -> str:
        text = text.replace(str(self.home), "<HOME>").replace(os.path.realpath(self.home), "<HOME>")
        text = re.sub(r"(?<!\d)1\d{9}(?!\d)", "<EPOCH>", text)  # %(epoch)s in a file name: seconds apart
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+", "<DATE>", text)

    def value(self, value: Any) -> Any:
        """A JSON-able picture of a return value (a Script by its headers and file name)."""
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, str):
            return self.clean(value)
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if isinstance(value, (set, frozenset)):
            return sorted(self.value(v) for v in value)
        if isinstance(value, dict):
            return {str(k): self.value(v) for k, v in sorted(value.items())}
        if hasattr(value, "revision") and hasattr(value, "down_revision"):
            return {
                "revision": value.revision,
                "down_revision": self.value(value.down_revision),
                "branch_labels": sorted(value.branch_labels or ()),
                "dependencies": self.value(value.dependencies),
                "path": self.clean(str(getattr(value, "path", ""))),
            }
        return type(value).__name__

    def files(self, label: str = "files", root: Path | None = None) -> None:
        """Record every file under ``root`` (default: the versions folder) with its text."""
        root = root or self.versions
        found = {}
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path.relative_to(self.home))] = self.clean(path.read_text(encoding="utf-8"))
        self.steps.append({"call": label, "files": found})

    def rows(self, label: str = "rows", table: str = "alembic_version") -> None:
        """Record the version table's rows (sorted) in the project's SQLite file, or None."""
        db = self.url[len("sqlite:///"):]
        try:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                rows = sorted(r[0] for r in conn.execute(f"SELECT version_num FROM {table}"))
        except sqlite3.OperationalError:
            rows = None
        self.steps.append({"call": label, "rows": rows})

    def seen(self, label: str = "env") -> None:
        """Record what env.py put in ``builtins.SEEN`` since the last call, then clear it."""
        import builtins

        self.steps.append({"call": label, "seen": self.value(list(builtins.SEEN))})
        builtins.SEEN.clear()


def _generic_mako() -> str:
    """The revision template of Alembic's ``init`` (what Alembic projects hold), read from the
    installed distribution without importing it, the same file for both tools."""
    path = importlib.metadata.distribution("alembic").locate_file("alembic/templates/generic/script.py.mako")
    return Path(str(path)).read_text(encoding="utf-8")


class _Out(io.StringIO):
    """A Config's ``stdout``: a StringIO whose ``encoding`` Alembic's ``write_outstream`` reads."""

    encoding = "utf-8"


def three_revs(stage: Stage) -> tuple[str, str, str]:
    """a -> b -> c, as Alembic's own tests build them (12-digit hex ids)."""
    a = stage.revision("aaaa11112222", None, "1", message="revision a")
    b = stage.revision("bbbb33334444", a, "2", message="revision b")
    c = stage.revision("cccc55556666", b, "3", message="revision c")
    return a, b, c


def multi_heads(stage: Stage, b: str, c: str) -> tuple[str, str, str]:
    """d after c; e and f off b (three heads: d, e, f)."""
    d = stage.revision("dddd77778888", c, "4")
    e = stage.revision("eeee9999aaaa", b, "5", message="revision e")
    f = stage.revision("ffffbbbbcccc", b, "6", message="revision f")
    return d, e, f


@contextlib.contextmanager
def _in(home: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(home)
    try:
        yield
    finally:
        os.chdir(old)


def _child(module_path: str, out: str) -> None:
    """In the child: run every scenario of the module, each in its own folder."""
    import builtins
    import importlib.util

    builtins.SEEN = []  # type: ignore[attr-defined]
    spec = importlib.util.spec_from_file_location("command_scenarios", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(n for n in dir(module) if n.startswith("scenario_")):
            home = Path(tmp) / name
            home.mkdir()
            stage = Stage(home)
            builtins.SEEN.clear()  # type: ignore[attr-defined]
            with _in(home):
                try:
                    getattr(module, name)(stage)
                except Exception:  # noqa: BLE001 - a scenario's own failure is reported, not hidden
                    stage.steps.append({"call": "SCENARIO FAILED", "tb": traceback.format_exc()})
            results[name[len("scenario_"):]] = stage.steps
            for key in [k for k in sys.modules if k.startswith(("env_py", "scripts"))]:
                del sys.modules[key]
    Path(out).write_text(json.dumps(results, indent=1), encoding="utf-8")


def run_module(module: Path, tool: str) -> dict[str, list[dict[str, Any]]]:
    """Every scenario of ``module`` run by ``tool`` (``alembic`` or ``limbeck``) in one child."""
    env = {k: v for k, v in os.environ.items() if k not in ("LIMBECK_AS_ALEMBIC", "ALEMBIC_CONFIG")}
    env["PYTHONHASHSEED"] = "0"
    env["COLUMNS"] = "200"
    if tool == "limbeck":
        env["LIMBECK_AS_ALEMBIC"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); " \
               f"import command_harness; command_harness._child({str(module)!r}, {str(out)!r})"
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              timeout=600, check=False, cwd=tmp)
        assert done.returncode == 0, done.stderr[-3000:]
        data: dict[str, list[dict[str, Any]]] = json.loads(out.read_text(encoding="utf-8"))
    return data
