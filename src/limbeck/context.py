"""``from limbeck import context``: the running EnvironmentContext, as a module.

env.py files call ``context.configure(...)``, ``context.run_migrations()`` and
so on at module level. Each name is looked up on the EnvironmentContext that
the current command entered (PEP 562 ``__getattr__``); outside a command the
lookup fails with a message saying so.
"""

from __future__ import annotations

from limbeck._proxy import CurrentStack

_current = CurrentStack(
    "limbeck.context",
    "no EnvironmentContext is active; context is only usable inside env.py run by a limbeck "
    "(or alembic-compatible) command",
    "limbeck.runtime.environment:EnvironmentContext",
)
_install = _current.install
_restore = _current.restore
__getattr__ = _current.getattr_hook()
