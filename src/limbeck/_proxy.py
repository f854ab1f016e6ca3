"""The mechanism behind ``limbeck.op`` and ``limbeck.context``.

Both are modules whose attributes resolve on an object a command makes
current (PEP 562 ``__getattr__``); this keeps the stack of current objects
so nested runs restore the outer one, and no globals are rewritten.
"""

from __future__ import annotations

from typing import Any, Callable


class CurrentStack:
    """The objects a proxy module has pointed at, innermost last."""

    def __init__(self, module: str, inactive: str) -> None:
        self._items: list[Any] = []
        self._module = module
        self._inactive = inactive

    def install(self, target: Any) -> int:
        """Make ``target`` current; returns a token for :meth:`restore`."""
        self._items.append(target)
        return len(self._items) - 1

    def restore(self, token: int | None) -> None:
        if token is not None:
            del self._items[token:]

    def __bool__(self) -> bool:
        return bool(self._items)

    def __getitem__(self, index: int) -> Any:
        return self._items[index]

    def getattr_hook(self) -> Callable[[str], Any]:
        """The module-level ``__getattr__`` of the proxy module."""

        def __getattr__(name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            if not self._items:
                raise AttributeError(f"{self._module}.{name}: {self._inactive}")
            if name == "_proxy":
                # the current object itself, under the name Alembic's proxy modules give it
                # (invenio-db's dbdbc1b19cf2 reads op._proxy.migration_context.dialect)
                return self._items[-1]
            return getattr(self._items[-1], name)

        return __getattr__
