"""``from limbeck import op``: the running Operations, as a module.

Revision scripts call ``op.add_column(...)`` at will; each name resolves on
the Operations object bound to the migration context currently running
(PEP 562 ``__getattr__``), so no globals are rewritten.
"""

from __future__ import annotations

from typing import Any

_current: list[Any] = []


def _install(operations: Any) -> int:
    _current.append(operations)
    return len(_current) - 1


def _restore(token: int | None) -> None:
    if token is not None:
        del _current[token:]


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    if not _current:
        raise AttributeError(
            f"limbeck.op.{name}: no migration is running; op is only usable inside a "
            "revision's upgrade()/downgrade() (or within Operations.context())"
        )
    return getattr(_current[-1], name)
