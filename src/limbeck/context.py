"""``from limbeck import context``: the running EnvironmentContext, as a module.

env.py files call ``context.configure(...)``, ``context.run_migrations()`` and
so on at module level. Each name is looked up on the EnvironmentContext that
the current command entered (PEP 562 ``__getattr__``); outside a command the
lookup fails with a message saying so.
"""

from __future__ import annotations

from typing import Any

_current: list[Any] = []


def _install(env: Any) -> int:
    """Make ``env`` the target; returns a token for :func:`_restore`."""
    _current.append(env)
    return len(_current) - 1


def _restore(token: int | None) -> None:
    if token is not None:
        del _current[token:]


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    if not _current:
        raise AttributeError(
            f"limbeck.context.{name}: no EnvironmentContext is active; context is only "
            "usable inside env.py run by a limbeck (or alembic-compatible) command"
        )
    return getattr(_current[-1], name)
