"""The mechanism behind ``limbeck.op`` and ``limbeck.context``.

Both are modules whose attributes resolve on an object a command makes
current (PEP 562 ``__getattr__``); this keeps the stack of current objects
so nested runs restore the outer one, and no globals are rewritten.

Alembic's two modules hold a function per name, each finding the current
object when called; code written for them relies on that: ``from alembic.op
import execute`` in a helper module (imported once, used by every later run
of the process), ``hasattr(op, "execute")`` and ``mock.patch("alembic.op.execute")``
outside a run. So a name of the API fetched by an import, or outside a run, is
such a function here too; inside a run, ``op.execute`` is the current object's
method itself (the revision scripts' own, hot, path).
"""

from __future__ import annotations

import importlib
import sys
from dis import opmap
from typing import Any, Callable

#: the instruction of ``from module import name``
_IMPORT_FROM = opmap["IMPORT_FROM"]


class CurrentStack:
    """The objects a proxy module has pointed at, innermost last."""

    def __init__(self, module: str, inactive: str, api: str) -> None:
        self._items: list[Any] = []
        self._module = module
        self._inactive = inactive
        #: ``module:Class`` whose public methods are the proxy module's names
        self._api = api
        self._late: dict[str, Callable[..., Any]] = {}

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

    def _api_names(self, name: str) -> bool:
        """Whether ``name`` is a method of the object the module stands for."""
        module, _, cls = self._api.partition(":")
        return not name.startswith("_") and callable(getattr(getattr(importlib.import_module(module), cls), name, None))

    def late(self, name: str) -> Callable[..., Any]:
        """A function that calls ``name`` on whichever object is current when it is called."""
        found = self._late.get(name)
        if found is None:
            items, module, inactive = self._items, self._module, self._inactive

            def proxy(*args: Any, **kw: Any) -> Any:
                if not items:
                    raise AttributeError(f"{module}.{name}: {inactive}")
                return getattr(items[-1], name)(*args, **kw)

            proxy.__name__ = proxy.__qualname__ = name
            proxy.__module__ = module
            found = self._late[name] = proxy
        return found

    def getattr_hook(self) -> Callable[[str], Any]:
        """The module-level ``__getattr__`` of the proxy module."""

        def __getattr__(name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            if self._items:
                caller = sys._getframe(1)
                if caller.f_code.co_code[caller.f_lasti] != _IMPORT_FROM:
                    if name == "_proxy":
                        # the current object itself, under the name Alembic's proxy modules give it
                        # (invenio-db's dbdbc1b19cf2 reads op._proxy.migration_context.dialect)
                        return self._items[-1]
                    return getattr(self._items[-1], name)
            if self._api_names(name):
                return self.late(name)
            if not self._items:
                raise AttributeError(f"{self._module}.{name}: {self._inactive}")
            return self._items[-1] if name == "_proxy" else getattr(self._items[-1], name)

        return __getattr__
