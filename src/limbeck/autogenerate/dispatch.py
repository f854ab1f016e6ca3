"""Extension registries: ``renderers`` and ``comparators`` (Alembic's ``Dispatcher``).

Both are explicit dictionaries filled by a decorator, looked up by key (a
record class along its MRO, or a string such as ``"table"``), with an
optional qualifier (a dialect name) that falls back to ``"default"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


class Dispatcher:
    """Functions registered per target (a class or a name) and qualifier."""

    def __init__(self, uselist: bool = False) -> None:
        self.uselist = uselist
        self._registry: dict[tuple[Any, str], list[Callable[..., Any]]] = {}

    def dispatch_for(self, target: Any, qualifier: str = "default", replace: bool = False) -> Callable[[_F], _F]:
        """Decorator: register ``fn`` for ``target`` (and ``qualifier``, e.g. a dialect name)."""

        def register(fn: _F) -> _F:
            key = (target, qualifier)
            if self.uselist and not replace:
                self._registry.setdefault(key, []).append(fn)
            else:
                self._registry[key] = [fn]
            return fn

        return register

    def _keys(self, obj: Any) -> list[Any]:
        if isinstance(obj, str):
            return [obj]
        cls = obj if isinstance(obj, type) else type(obj)
        return list(cls.__mro__)

    def find(self, obj: Any, qualifier: str = "default") -> list[Callable[..., Any]]:
        """Every function for ``obj``: the defaults first, then the qualifier's."""
        for key in self._keys(obj):
            found = list(self._registry.get((key, "default"), ()))
            if qualifier != "default":
                found += self._registry.get((key, qualifier), [])
            if found:
                return found
        return []

    def dispatch(self, obj: Any, qualifier: str = "default") -> Callable[..., Any] | None:
        """The function for ``obj``: the qualifier's if there is one, else the default."""
        for key in self._keys(obj):
            for qual in (qualifier, "default"):
                fns = self._registry.get((key, qual))
                if fns:
                    return fns[0]
        return None

    def branch(self) -> Dispatcher:
        """A copy that can be extended without changing this one."""
        copy = Dispatcher(self.uselist)
        copy._registry = {key: list(fns) for key, fns in self._registry.items()}
        return copy


__all__ = ["Dispatcher"]
