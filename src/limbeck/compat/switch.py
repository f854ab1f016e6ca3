"""Turning the alias finder on: for one block, or for the whole process.

:func:`alembic_aliases` is what limbeck itself uses while it loads a project's
``env.py`` and revision files: whatever ``alembic`` entries ``sys.modules``
held before (the real package may well be installed and imported) are set
aside on entry and put back on exit, so limbeck's own process and the real
Alembic never see each other's modules.

:func:`switch_on` is the process-wide form behind ``LIMBECK_AS_ALEMBIC=1`` and
``pytest -p limbeck.as_alembic``: tools that ``import alembic`` themselves
(Flask-Migrate, pytest-alembic, alembic-utils, alembic-postgresql-enum) get
limbeck for the rest of the process, with Alembic still installed.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from limbeck.compat.aliases import ALIASES
from limbeck.compat.finder import AliasFinder, is_alembic_name

__all__ = ["alembic_aliases", "aliases_active", "logger_name", "switch_on", "switched_on"]


class _State:
    """Process-wide bookkeeping so nested and threaded use stay balanced."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0
        self.finder: AliasFinder | None = None
        self.saved_modules: dict[str, ModuleType] = {}
        self.process_finder: AliasFinder | None = None


_state = _State()


def switched_on() -> bool:
    """Whether limbeck answers ``import alembic`` for the whole process."""
    return _state.process_finder is not None


def logger_name(name: str) -> str:
    """The logger limbeck's ``limbeck.<x>`` messages go to: ``alembic.<x>`` while switched on.

    A project built for Alembic configures logging for the ``alembic`` logger
    (``[logger_alembic]`` in alembic.ini, Flask-Migrate's template included)
    and ``fileConfig`` disables every other logger that already exists. When
    limbeck stands in for Alembic its messages ("Detected added column ...")
    must reach that configuration, so they carry Alembic's logger names.
    """
    if switched_on() and name.startswith("limbeck."):
        return "alembic." + name[len("limbeck."):]
    return name


def aliases_active() -> bool:
    """Whether ``import alembic`` currently resolves to limbeck."""
    return _state.depth > 0 or switched_on()


def _alembic_modules() -> dict[str, ModuleType]:
    return {name: mod for name, mod in list(sys.modules.items()) if is_alembic_name(name)}


def switch_on() -> None:
    """Make every later ``import alembic…`` in this process resolve to limbeck.

    Idempotent. Modules of the real Alembic imported before the switch are
    dropped from ``sys.modules`` (so later imports get limbeck), but objects
    other modules already took from them stay Alembic's: a warning names
    them, since that mix is what the switch exists to prevent.
    """
    with _state.lock:
        if _state.process_finder is not None:
            return
        earlier = sorted(_alembic_modules())
        for name in earlier:
            del sys.modules[name]
        finder = AliasFinder(ALIASES)
        sys.meta_path.insert(0, finder)
        _state.process_finder = finder
    if earlier:
        warnings.warn(
            "limbeck now stands in for Alembic, but these Alembic modules were imported "
            f"before the switch and stay Alembic's where already used: {', '.join(earlier)} "
            "(set LIMBECK_AS_ALEMBIC=1 in the environment, or pass -p limbeck.as_alembic "
            "first, so the switch happens before anything imports alembic)",
            RuntimeWarning,
            stacklevel=2,
        )


def _enter() -> None:
    with _state.lock:
        _state.depth += 1
        if _state.depth > 1 or switched_on():
            return
        _state.saved_modules = _alembic_modules()
        for name in _state.saved_modules:
            del sys.modules[name]
        _state.finder = AliasFinder(ALIASES)
        sys.meta_path.insert(0, _state.finder)


def _exit() -> None:
    with _state.lock:
        _state.depth -= 1
        finder = _state.finder
        if _state.depth > 0 or finder is None:
            return
        _state.finder = None
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        finder.restore_parent_attrs()
        for name in _alembic_modules():
            del sys.modules[name]
        sys.modules.update(_state.saved_modules)
        _state.saved_modules = {}


@contextmanager
def alembic_aliases() -> Iterator[None]:
    """Let project files ``import alembic`` and get limbeck, for this block.

    Re-entrant: ``run_env`` opens it and revision modules loaded from inside
    ``env.py`` open it again; only the outermost exit restores ``sys.modules``.
    Under :func:`switch_on` it does nothing: the process already has limbeck
    as ``alembic``, and the modules' identity must not change mid-run.
    """
    _enter()
    try:
        yield
    finally:
        _exit()
