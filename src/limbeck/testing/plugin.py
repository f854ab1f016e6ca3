"""The pytest plugin (entry point ``pytest11: limbeck``): fixtures and ready-made migration checks.

pytest imports every installed ``pytest11`` plugin in every run of every
project, so this module imports nothing of limbeck's runtime, nor
SQLAlchemy, at module level; until a project turns a check on, each hook
below costs one cached ini lookup.

Fixtures, for a project's own tests: ``limbeck_config`` (the project's
Config), ``limbeck_sql`` (a :class:`~limbeck.testing.render.MigrationRenderer`
shared by the session), ``limbeck_stairway`` and ``limbeck_drift`` (run
those checks).

Ready-made checks, turned on by pytest ini options: with
``limbeck_snapshot_dialects`` every revision's upgrade and downgrade SQL is
compared, per dialect, with a file under ``limbeck_snapshot_dir`` through
pytest-snapshot (its ``Snapshot``, as its fixture uses it), and files left by removed or renamed
revisions are reported; ``limbeck_stairway = true`` adds the stairway and
``limbeck_drift = true`` the model drift check. The
checks are items of the project's limbeck config file (``limbeck.ini::...``):
``pytest limbeck.ini`` runs only them, and a run that collects a directory
(``pytest``, ``pytest tests``) gets them even when that file lies outside it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from limbeck.errors import ConfigError, LimbeckError

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.script import Script
    from limbeck.testing.render import MigrationRenderer

#: where the snapshot files go, relative to the pytest configuration file's folder
DEFAULT_SNAPSHOT_DIR = "snapshots/migrations"
SNAPSHOT_MARK = "limbeck_snapshot"
STAIRWAY_MARK = "limbeck_stairway"
DRIFT_MARK = "limbeck_drift"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "limbeck_config",
        "limbeck/Alembic config file of the project (limbeck.ini, alembic.ini or pyproject.toml), relative to "
        "this file; default: found as the limbeck command finds it",
        default="",
    )
    parser.addini(
        "limbeck_snapshot_dialects",
        "dialects whose per-revision SQL is snapshot-tested (e.g. postgresql mssql); empty: no snapshot checks",
        type="args",
        default=[],
    )
    parser.addini("limbeck_snapshot_dir", f"folder of the migration snapshots (default {DEFAULT_SNAPSHOT_DIR})", default="")
    parser.addini("limbeck_stairway", "run the stairway check (upgrade, downgrade, upgrade each revision)", type="bool", default=False)
    parser.addini("limbeck_drift", "check that the migrations build what env.py's target_metadata describes", type="bool", default=False)
    parser.addini(
        "limbeck_database_url", "empty database for the stairway and drift checks (default: a temporary SQLite file)", default=""
    )
    group = parser.getgroup("limbeck", "limbeck migrations")
    group.addoption(
        "--limbeck-database-url",
        dest="limbeck_database_url",
        default=None,
        help="empty database for the limbeck stairway and drift checks (overrides the limbeck_database_url ini option)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{SNAPSHOT_MARK}: a migration snapshot check of the limbeck plugin")
    config.addinivalue_line("markers", f"{STAIRWAY_MARK}: the limbeck stairway check")
    config.addinivalue_line("markers", f"{DRIFT_MARK}: the limbeck model drift check")


# -- session state ----------------------------------------------------------------------------
class _State:
    """What the session knows: where the project is, and one renderer per project."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        inipath = config.inipath
        self.base = inipath.parent if inipath is not None else config.rootpath
        self._checks_path: Path | None = None
        self._renderers: dict[tuple[Any, ...], MigrationRenderer] = {}
        self._checks_renderer: MigrationRenderer | None = None

    @property
    def dialects(self) -> list[str]:
        return list(self.config.getini("limbeck_snapshot_dialects"))

    @property
    def stairway(self) -> bool:
        return bool(self.config.getini("limbeck_stairway"))

    @property
    def drift(self) -> bool:
        return bool(self.config.getini("limbeck_drift"))

    @property
    def enabled(self) -> bool:
        return bool(self.dialects) or self.stairway or self.drift

    @property
    def snapshot_dir(self) -> Path:
        return self.base / (str(self.config.getini("limbeck_snapshot_dir")) or DEFAULT_SNAPSHOT_DIR)

    def config_paths(self) -> tuple[str | None, str | None]:
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.config import resolve_config_paths

        given = str(self.config.getini("limbeck_config"))
        if given and not (self.base / given).is_file():
            raise ConfigError(f"limbeck_config = {given}: no such file in {self.base}")
        return resolve_config_paths([given] if given else [], cwd=self.base)

    def checks_path(self) -> Path:
        """The file the ready-made checks belong to: the limbeck config file (found once)."""
        if self._checks_path is None:
            try:
                ini, toml = self.config_paths()
            except Exception:  # noqa: BLE001 - make_config() reports it, from within a check
                ini, toml = str(self.config.getini("limbeck_config")) or None, None
            found = ini or toml
            self._checks_path = (self.base / found if found else self.base / "limbeck.ini").resolve()
        return self._checks_path

    def make_config(self) -> Config:
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.config import Config

        ini, toml = self.config_paths()
        if ini is None and toml is None:
            raise ConfigError(
                f"limbeck pytest plugin: no limbeck.ini, alembic.ini or pyproject.toml in {self.base}; "
                "set the limbeck_config ini option"
            )
        return Config(ini, toml)

    def renderer(self, config: Config) -> MigrationRenderer:
        """The session's renderer for ``config``'s project (one loaded script directory each)."""
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.testing.render import MigrationRenderer

        location = config.get_script_settings().resolve_script_location()
        key = (config.config_file_name, config.toml_file_name, config.config_ini_section, location)
        renderer = self._renderers.get(key)
        if renderer is None:
            renderer = self._renderers[key] = MigrationRenderer(config)
        return renderer

    def checks_renderer(self) -> MigrationRenderer:
        """The renderer the ready-made snapshot checks share (one Config for all of them, not one per check)."""
        if self._checks_renderer is None:
            self._checks_renderer = self.renderer(self.make_config())
        return self._checks_renderer

    def close(self) -> None:
        for renderer in self._renderers.values():
            renderer.close()

    def rendering_ahead(self) -> bool:
        """Whether snapshot children are still rendering (nothing is started for that)."""
        return self._checks_renderer is not None and self._checks_renderer.rendering_ahead

    def database_url(self) -> str | None:
        return self.config.getoption("limbeck_database_url") or str(self.config.getini("limbeck_database_url")) or None


_STATE = pytest.StashKey[_State]()


def _state(config: pytest.Config) -> _State:
    state = config.stash.get(_STATE, None)
    if state is None:
        state = config.stash[_STATE] = _State(config)
    return state


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def limbeck_config(request: pytest.FixtureRequest) -> Config:
    """A fresh Config of the project (the ``limbeck_config`` ini option, or the usual discovery)."""
    return _state(request.config).make_config()


@pytest.fixture
def limbeck_sql(request: pytest.FixtureRequest, limbeck_config: Config) -> MigrationRenderer:
    """Offline SQL of the project, rendered in process; one renderer per project for the session."""
    return _state(request.config).renderer(limbeck_config)


@pytest.fixture
def limbeck_stairway(request: pytest.FixtureRequest, limbeck_config: Config) -> Callable[..., list[str]]:
    """``limbeck_stairway(url=None)`` walks the stairway; the URL defaults to the options, then SQLite."""
    state = _state(request.config)

    def run(url: str | None = None) -> list[str]:
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.testing.stairway import run_stairway

        script = state.renderer(limbeck_config).script
        return run_stairway(limbeck_config, url or state.database_url(), script=script)

    return run


@pytest.fixture
def limbeck_drift(request: pytest.FixtureRequest, limbeck_config: Config) -> Callable[..., None]:
    """``limbeck_drift(url=None)`` fails if the migrated schema differs from env.py's ``target_metadata``."""
    state = _state(request.config)

    def run(url: str | None = None) -> None:
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.testing.drift import check_model_drift

        script = state.renderer(limbeck_config).script
        check_model_drift(limbeck_config, url or state.database_url(), script=script)

    return run


# -- the ready-made checks --------------------------------------------------------------------
class MigrationChecks(pytest.File):
    """The checks the ini options ask for, as items of the project's limbeck config file."""

    def collect(self) -> Iterator[pytest.Item]:
        state = _state(self.config)
        try:
            scripts = state.renderer(state.make_config()).upgrade_order()
        except Exception as exc:  # noqa: BLE001 - a broken project fails one visible check, not the collection
            yield self._item("limbeck_config", _failing(exc))
            return
        # the database checks first: the snapshots render in forked children meanwhile (see _prefetch)
        if state.stairway:
            yield self._item("stairway", _database_check("limbeck_stairway"), STAIRWAY_MARK)
        if state.drift:
            yield self._item("model_drift", _database_check("limbeck_drift"), DRIFT_MARK)
        if state.dialects:
            # limbeck loads when a project uses it: pytest imports this plugin in every run
            from limbeck.testing.snapshots import snapshot_names

            names = snapshot_names(scripts)
            for dialect in state.dialects:
                yield from self._snapshot_items(state, dialect, scripts, names)

    def _snapshot_items(self, state: _State, dialect: str, scripts: list[Script], names: dict[str, str]) -> Iterator[pytest.Item]:
        folder = state.snapshot_dir / dialect
        for script in scripts:
            name = names[script.revision]
            item = SnapshotCheck.from_parent(
                self, name=f"snapshot[{dialect}-{Path(name).stem}]", folder=folder, dialect=dialect,
                revision=script.revision, filename=name,
            )
            item.add_marker(SNAPSHOT_MARK)
            item.stash[_DIALECT] = dialect
            yield item
        yield self._item(f"stale_snapshots[{dialect}]", _stale_check(folder), SNAPSHOT_MARK)

    def _item(self, name: str, check: Callable[..., None], mark: str | None = None) -> pytest.Item:
        item = MigrationCheck.from_parent(self, name=name, callobj=check)
        if mark is not None:
            item.add_marker(mark)
        return item


class MigrationCheck(pytest.Function):
    """A check function with fixtures, reported under the config file's name."""

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


class SnapshotCheck(pytest.Item):
    """One revision's snapshot in one dialect, compared (or written) as pytest-snapshot's fixture would.

    A plain item, not a function with fixtures: a session runs one per
    revision and dialect, and setting up ``snapshot`` and ``request`` for
    each cost about a third of what pytest spends on such an item. The
    snapshot object is pytest-snapshot's own; what it reports when files
    were written (``--snapshot-update``) comes at teardown, as from its fixture.
    """

    def __init__(self, *, folder: Path, dialect: str, revision: str, filename: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.folder = folder
        self.dialect = dialect
        self.revision = revision
        self.filename = filename
        self._snapshot: Any = None

    def runtest(self) -> None:
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.testing.snapshots import assert_revision_snapshot

        option = self.config.option
        try:
            from pytest_snapshot.plugin import Snapshot  # type: ignore[import-untyped]  # no py.typed
        except ImportError:
            pytest.fail("limbeck_snapshot_dialects needs pytest-snapshot: pip install pytest-snapshot", pytrace=False)
        update = bool(getattr(option, "snapshot_update", False))
        self._snapshot = Snapshot(update, bool(getattr(option, "allow_snapshot_deletion", False)), self.folder).__enter__()
        try:
            renderer = _state(self.config).checks_renderer()
            assert_revision_snapshot(self._snapshot, renderer, self.revision, self.dialect, self.filename)
        except (LimbeckError, AssertionError) as exc:  # the message says it all (diff included)
            message = str(exc)
        else:
            return
        pytest.fail(message, pytrace=False)

    def teardown(self) -> None:
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is not None:
            snapshot.__exit__(None, None, None)  # "Snapshot directory was modified", as an error

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


def _failing(exc: BaseException) -> Callable[[], None]:
    def check() -> None:
        pytest.fail(f"{type(exc).__name__}: {exc}", pytrace=False)

    return check


def _stale_check(folder: Path) -> Callable[..., None]:
    def check(request: pytest.FixtureRequest) -> None:
        from limbeck.testing.snapshots import (
            SnapshotError,
            assert_no_stale_snapshots,
            snapshot_names,
        )

        scripts = _state(request.config).checks_renderer().upgrade_order()
        option = request.config.option
        try:
            assert_no_stale_snapshots(
                folder, snapshot_names(scripts), {s.revision: s.path for s in scripts},
                update=bool(getattr(option, "snapshot_update", False)),
                allow_deletion=bool(getattr(option, "allow_snapshot_deletion", False)),
            )
        except SnapshotError as exc:
            message = str(exc)
        else:
            return
        pytest.fail(message, pytrace=False)

    return check


def _database_check(fixture: str) -> Callable[..., None]:
    """A check that calls the runner ``fixture`` provides (stairway, drift) and reports its error.

    While snapshot children render beside it, what the process had when they
    forked is frozen for the check's duration (see :mod:`limbeck.testing.forked`).
    """

    def check(request: pytest.FixtureRequest) -> None:
        # limbeck loads when a project uses it: pytest imports this plugin in every run
        from limbeck.testing.forked import frozen

        ahead = _state(request.config).rendering_ahead()
        try:
            with frozen() if ahead else contextlib.nullcontext():
                request.getfixturevalue(fixture)()
        except LimbeckError as exc:
            message = str(exc)
        else:
            return
        pytest.fail(message, pytrace=False)

    return check


# -- rendering ahead ----------------------------------------------------------------------------
_DIALECT = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Render the selected snapshot checks' dialects in forked children.

    They run while the session runs its first tests (the stairway and drift
    checks, collected first); each snapshot check then takes its dialect's
    result. Those checks keep one CPU busy (the walk, or the walk and the
    database server taking turns), so the children get the other CPUs: on
    two, one child renders every dialect, one after the other. Deselected
    dialects are not rendered.
    """
    if session.config.option.collectonly:
        return
    dialects = [item.stash[_DIALECT] for item in session.items if _DIALECT in item.stash]
    if not dialects:
        return
    busy = any(isinstance(item, MigrationCheck) and item.get_closest_marker(mark) for item in session.items
               for mark in (STAIRWAY_MARK, DRIFT_MARK))
    try:
        renderer = _state(session.config).checks_renderer()
        renderer.prefetch(dialects, processes=max(1, (os.cpu_count() or 1) - 1) if busy else None)
    except Exception:  # noqa: BLE001 - the checks render in process and report it
        return


def pytest_sessionfinish(session: pytest.Session) -> None:
    state = session.config.stash.get(_STATE, None)
    if state is not None:
        state.close()


# -- collection -------------------------------------------------------------------------------
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = _state(parent.config)
    if not state.enabled or file_path.resolve() != state.checks_path():
        return None
    return MigrationChecks.from_parent(parent, path=file_path)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add the checks to a whole-suite run whose collection did not reach the config file.

    Before keyword and marker selection (``tryfirst``), so ``-k``/``-m`` apply
    to them as to any test.
    """
    state = _state(config)
    if not state.enabled or not _collects_a_directory(config):
        return
    if any(isinstance(item, MigrationCheck) for item in items):
        return
    collector = MigrationChecks.from_parent(session, path=state.checks_path())
    items.extend(collector.collect())


def _collects_a_directory(config: pytest.Config) -> bool:
    """Whether the run is a suite run (no arguments, testpaths, or a directory) and not picked tests."""
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        return True
    here = config.invocation_params.dir
    return any("::" not in arg and (here / arg).is_dir() for arg in config.args)
