"""Run Alembic and limbeck on one downloaded history, in this process, as their CLIs would.

Each tool gets the same scratch folder: an ``alembic.ini`` naming our
``env.py`` (``env_template.py``) as the script location and the extracted
folders as ``version_locations``, exactly what ``alembic -c alembic.ini ...``
and ``limbeck -c alembic.ini ...`` read. Both are called through their
command-line entry points (Alembic's ``CommandLine.main``, limbeck's
``cli.main``) with the argument list a shell would pass, standard output and
error going to UTF-8 text streams as on a terminal, so option parsing,
config discovery, env.py execution and output formatting are the CLIs'
own. Running them in-process rather than as two interpreters per command
saves SQLAlchemy's import each time; the host application's modules are
stubbed only for the duration of a call (``stubs.stubbed_imports``).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Alembic's own @compiles overrides of SQLAlchemy constructs (its MySQL DROP CONSTRAINT refusing a
# constraint of no kind), registered before any run so that _compilers_restored keeps them: made
# during a run, they were undone with the revisions' after it, for every later Alembic run and
# test in this process (the op corpus's drop_constraint_schema on the same xdist worker)
import alembic.ddl  # noqa: F401

# the databases' dialect modules, loaded as in the applications' own processes: some revision
# files use sqlalchemy.dialects.mysql without importing it (zun's 33cdd98bb9b2), which then
# works or not depending on what ran before in this shared process
import sqlalchemy.dialects.mysql
import sqlalchemy.dialects.postgresql
import sqlalchemy.dialects.sqlite  # noqa: F401
import sqlalchemy.ext.compiler

from .fetch import archive_folders, extract_folders, fetch_release
from .projects import History, Project
from .stubs import stubbed_imports

__all__ = ["Outcome", "Workspace", "history_folders", "run_tool"]

ENV_TEMPLATE = Path(__file__).with_name("env_template.py")


@dataclass(frozen=True)
class Outcome:
    """What one command printed and how it exited."""

    code: int
    stdout: str
    stderr: str
    seconds: float


def history_folders(project: Project, history: History) -> list[Path]:
    """The version folders of ``history``, downloaded and extracted if not cached.

    Each folder comes from the one release of the project whose archive holds it.
    """
    located: dict[str, Path] = {}
    for release in project.releases:
        archive = fetch_release(release.name, release.version, release.filename, release.sha256)
        mine = history.folders if len(project.releases) == 1 else archive_folders(archive, history.folders)
        if mine:
            root = extract_folders(archive, release.sha256, mine)
            located.update({folder: root / folder for folder in mine})
    missing = [folder for folder in history.folders if folder not in located]
    assert not missing, f"{project.name}: no release holds {missing}"
    folders = [located[folder] for folder in history.folders]
    if history.nested:
        folders = sorted({path.parent for folder in folders for path in folder.rglob("*.py")})
    return folders


class Workspace:
    """The scratch project for one history: ``alembic.ini`` + our ``env.py``."""

    def __init__(self, root: Path, project: Project, history: History, folders: list[Path]) -> None:
        self.root = root
        self.project = project
        self.history = history
        self.folders = folders
        root.mkdir(parents=True, exist_ok=True)
        (root / "env.py").write_text(ENV_TEMPLATE.read_text())
        self.ini = root / "alembic.ini"
        self.write_ini(history.dialects[0] + "://")

    def write_ini(self, url: str, offline_print: str = "raw") -> None:
        """Point ``sqlalchemy.url`` at ``url`` (for ``--sql`` it only names the dialect).

        ``offline_print`` is limbeck's own option (Alembic ignores it): a
        revision's ``print()`` output is written raw, as Alembic writes it,
        for the byte-for-byte comparison; ``comment``, limbeck's default and
        a documented departure, is checked on its own (``test_offline.py``).
        """
        lines = [
            "[alembic]",
            f"script_location = {self.root}",
            "path_separator = os",
            f"version_locations = {os.pathsep.join(str(f) for f in self.folders)}",
            f"sqlalchemy.url = {url}",
            f"realworld_configure = {json.dumps(self.history.configure)}",
            f"offline_print = {offline_print}",
            "",
        ]
        self.ini.write_text("\n".join(lines))


def _stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)


def _read(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


def _fresh_proxies() -> None:
    """Put ``alembic.op`` / ``alembic.context`` back as a new ``alembic`` process has them.

    Before any run their functions raise ``NameError`` ("proxy object has not
    yet been established"); after a run in this process Alembic leaves
    ``_proxy = None`` behind, and they raise ``AttributeError`` instead.
    Revision files that call ``op.get_bind()`` at import time and catch the
    ``NameError`` (fittrackee's c59425f77851, for ``history``) would
    otherwise crash depending on what ran before them.
    """
    from alembic.util.langhelpers import ModuleClsProxy

    for _, modules in ModuleClsProxy._setups.values():
        for globals_, _ in modules:
            if globals_.get("_proxy", False) is None:
                del globals_["_proxy"]


def _alembic_main(argv: list[str]) -> None:
    import alembic.config

    _fresh_proxies()

    base = alembic.config.Config

    class Config(base):  # type: ignore[misc, valid-type]
        # Alembic's Config takes ``stdout=sys.stdout`` as a default bound at
        # import time; a fresh ``alembic`` process would print to the stdout
        # it has now, which here is the capture stream.
        def __init__(self, *args: Any, **kw: Any) -> None:
            kw.setdefault("stdout", sys.stdout)
            super().__init__(*args, **kw)

    alembic.config.Config = Config  # type: ignore[misc]
    try:
        alembic.config.CommandLine(prog="alembic").main(argv=argv)
    finally:
        alembic.config.Config = base  # type: ignore[misc]


def _limbeck_main(argv: list[str]) -> None:
    from limbeck.cli import main

    thresholds = gc.get_threshold()
    try:
        main(argv, prog="limbeck")
    finally:
        gc.set_threshold(*thresholds)  # the CLI tunes gc for a short-lived process


_MAINS = {"alembic": _alembic_main, "limbeck": _limbeck_main}

#: packages that extend whichever Alembic imports them first (their operations register on its
#: ``Operations``): each run imports them afresh, as its own process would (dstack's revisions
#: import alembic_postgresql_enum for ``op.sync_enum_values``)
PLUGINS = ("alembic_postgresql_enum", "alembic_utils")


@contextlib.contextmanager
def _plugins_forgotten() -> Iterator[None]:
    def plugin(name: str) -> bool:
        return name.split(".", 1)[0] in PLUGINS

    saved = {name: module for name, module in sys.modules.items() if plugin(name)}
    for name in saved:
        del sys.modules[name]
    try:
        yield
    finally:
        for name in [n for n in sys.modules if plugin(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


@contextlib.contextmanager
def _hooks_restored() -> Iterator[None]:
    """Undo the comparators and renderers a run's plugins register on limbeck's autogenerate.

    A plugin a history's env.py or revisions import (alembic_postgresql_enum's enum comparators)
    registers for the whole process; a separate process forgets it when it exits, in this shared
    test process it compared every later test's enums on the same worker. limbeck's own
    registrations made during the run (on first use) stay.
    """
    from limbeck.autogenerate.compare import comparators
    from limbeck.autogenerate.render import renderers

    saved = [(d, {key: list(entries) for key, entries in d._registry.items()}) for d in (comparators, renderers)]
    alembic_saved = _alembic_hooks()
    try:
        yield
    finally:
        for dispatcher, before in saved:
            made = {key: [e for e in entries if e.builtin and e not in before.get(key, [])]
                    for key, entries in dispatcher._registry.items()}
            dispatcher._registry.clear()
            dispatcher._registry.update(before)
            for key, entries in made.items():
                if entries:
                    dispatcher._registry.setdefault(key, []).extend(entries)
        _restore_alembic_hooks(alembic_saved)


def _alembic_hooks() -> list[tuple[Any, dict[Any, Any]]]:
    """Alembic's autogenerate comparators and renderers as they are: the same plugins register there
    (with Alembic answering ``import alembic``), and broke a later Alembic comparison of a tuple of
    MetaData on the same worker (the op corpus's ``several_metadata_tuple``)."""
    import alembic.autogenerate.compare
    import alembic.autogenerate.render

    dispatchers = (alembic.autogenerate.compare.comparators, alembic.autogenerate.render.renderers)
    return [(d, {key: list(value) if isinstance(value, list) else value for key, value in d._registry.items()})
            for d in dispatchers]


def _restore_alembic_hooks(saved: list[tuple[Any, dict[Any, Any]]]) -> None:
    """Drop what was registered since :func:`_alembic_hooks`, but for Alembic's own (made on first use)."""

    def own(fn: Any) -> bool:
        return str(getattr(fn, "__module__", "")).split(".")[0] == "alembic"

    for dispatcher, before in saved:
        for key, value in list(dispatcher._registry.items()):
            if isinstance(value, list):  # PriorityDispatcher: (fn, subgroup) entries
                kept = [e for e in value if e in before.get(key, ()) or own(e[0])]
                if kept:
                    dispatcher._registry[key] = kept
                else:
                    del dispatcher._registry[key]
            elif before.get(key) is not value and not own(value):
                if key in before:
                    dispatcher._registry[key] = before[key]
                else:
                    del dispatcher._registry[key]


def run_tool(tool: str, workspace: Workspace, *args: str) -> Outcome:
    """Run ``<tool> -c alembic.ini <args>`` and capture what it printed."""
    argv = ["-c", str(workspace.ini), *args]
    out, err = _stream(), _stream()
    code = 0
    started = time.perf_counter()
    cwd = os.getcwd()
    writes_bytecode = sys.dont_write_bytecode
    try:
        os.chdir(workspace.root)
        # the revision files' bytecode is kept beside them (in the download cache): each of the
        # thousands of runs imports a history's files afresh, and under PYTHONDONTWRITEBYTECODE
        # Alembic compiled every one of them again each time (a third of the real-world suite)
        sys.dont_write_bytecode = False
        with stubbed_imports(workspace.project.stub_roots, workspace.project.stubs), _compilers_restored(), \
                _plugins_forgotten(), _hooks_restored(), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            try:
                _MAINS[tool](argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception as exc:  # noqa: BLE001 - a crash is an outcome to compare, not a test error
                code = 99
                err.write(_crash(exc))
    finally:
        sys.dont_write_bytecode = writes_bytecode
        os.chdir(cwd)
    return Outcome(code, _read(out), _read(err), time.perf_counter() - started)


_DISPATCH = ("_compiler_dispatcher", "_compiler_dispatch")

#: during a run: each SQLAlchemy class given to ``@compiles``, with its dispatch state from before that
_TOUCHED: dict[type, tuple[dict[str, Any], dict[str, Any]]] | None = None


def _specs(cls: type) -> dict[str, Any]:
    dispatcher = cls.__dict__.get("_compiler_dispatcher")
    return dict(getattr(dispatcher, "specs", {}))


def _recording(real: Any) -> Any:
    """``sqlalchemy.ext.compiler.compiles``, noting each class before its first registration of a run."""

    @functools.wraps(real)
    def compiles(class_: type, *specs: Any) -> Any:
        if _TOUCHED is not None and class_ not in _TOUCHED and class_.__module__.startswith("sqlalchemy."):
            _TOUCHED[class_] = ({k: class_.__dict__[k] for k in _DISPATCH if k in class_.__dict__}, _specs(class_))
        return real(class_, *specs)

    return compiles


# every ``from sqlalchemy.ext.compiler import compiles`` made from now on (revision files, the
# modules they import, plugins imported afresh by each run) gets the recording one; what was
# imported before (SQLAlchemy, Alembic, limbeck) registers unrecorded, and stays
sqlalchemy.ext.compiler.compiles = _recording(sqlalchemy.ext.compiler.compiles)


def _from_revision(fn: Any) -> bool:
    code = getattr(fn, "__code__", None)
    if code is None or str(getattr(fn, "__module__", "")).split(".")[0] in ("alembic", "limbeck"):
        return False
    return "/limbeck/" not in code.co_filename.replace(os.sep, "/")


@contextlib.contextmanager
def _compilers_restored() -> Iterator[None]:
    """Undo the ``@compiles`` overrides a history's revision files register on SQLAlchemy's classes.

    Some histories change how SQLAlchemy compiles a construct for the whole
    process when a revision module is imported (nova's initial revision
    drops the name of every PostgreSQL foreign key). A separate ``alembic``
    process forgets that when it exits; in this shared test process it
    would leak into the next tool, the next history and the rest of the
    suite. limbeck's own registrations (made on first use) stay. Only the
    classes given to ``@compiles`` during the run are looked at: reading
    every SQLAlchemy class before and after each of the suite's thousands
    of runs took a fifth of its time.
    """
    global _TOUCHED
    _TOUCHED = touched = {}
    try:
        yield
    finally:
        _TOUCHED = None
        for cls, (saved, specs) in touched.items():
            added = {d: fn for d, fn in _specs(cls).items() if specs.get(d) is not fn}
            if not any(_from_revision(fn) for fn in added.values()):
                continue
            for key in _DISPATCH:
                if key in saved:
                    setattr(cls, key, saved[key])
                elif key in cls.__dict__:
                    delattr(cls, key)
            if specs and "_compiler_dispatcher" in saved:
                saved["_compiler_dispatcher"].specs.clear()
                saved["_compiler_dispatcher"].specs.update(specs)


def _crash(exc: BaseException) -> str:
    """An uncaught exception as one line, with the revision file line it came from."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/versions/" in f.filename]
    where = f" [{Path(frames[-1].filename).name}:{frames[-1].lineno}]" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}\n"


def describe(outcome: Any) -> str:
    """A short failure description for assertion messages."""
    tail = outcome.stderr.strip().splitlines()[-3:]
    return f"exit {outcome.code}: " + " | ".join(tail)
