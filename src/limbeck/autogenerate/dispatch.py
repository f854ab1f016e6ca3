"""Extension registries: ``renderers`` and ``comparators`` (Alembic's ``Dispatcher``).

Both are explicit dictionaries filled by a decorator, looked up by key (a
record class along its MRO, or a string such as ``"table"``), with an
optional qualifier (a dialect name) that falls back to ``"default"``.

Comparators also take a ``priority`` (``DispatchPriority.FIRST``, ``MEDIUM``,
``LAST``), as in Alembic 1.18 and later, and run in this order: by priority,
then a dialect's own before the default ones, then in the order registered,
with limbeck's built-in comparators after the user ones of their priority.
A comparator that returns ``PriorityDispatchResult.STOP`` ends its level.
Tools rely on that order: alembic-postgresql-enum registers at ``LAST`` to
see the tables the built-in comparison adds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from limbeck.util import DispatchPriority, PriorityDispatchResult

_F = TypeVar("_F", bound=Callable[..., Any])

_sequence = itertools.count()


class _Entry(NamedTuple):
    priority: int
    builtin: bool
    order: int
    fn: Callable[..., Any]


class Dispatcher:
    """Functions registered per target (a class or a name) and qualifier."""

    def __init__(self, uselist: bool = False) -> None:
        self.uselist = uselist
        self._registry: dict[tuple[Any, str], list[_Entry]] = {}

    def dispatch_for(
        self,
        target: Any,
        qualifier: str = "default",
        replace: bool = False,
        *,
        priority: int = DispatchPriority.MEDIUM,
    ) -> Callable[[_F], _F]:
        """Decorator: register ``fn`` for ``target`` (and ``qualifier``, e.g. a dialect name)."""
        return self._register(target, qualifier, replace, priority, builtin=False)

    def _register(self, target: Any, qualifier: str, replace: bool, priority: int, *, builtin: bool) -> Callable[[_F], _F]:
        def register(fn: _F) -> _F:
            key = (target, qualifier)
            entry = _Entry(int(priority), builtin, next(_sequence), fn)
            if self.uselist and not replace:
                self._registry.setdefault(key, []).append(entry)
            else:
                self._registry[key] = [entry]
            return fn

        return register

    def _keys(self, obj: Any) -> list[Any]:
        if isinstance(obj, str):
            return [obj]
        cls = obj if isinstance(obj, type) else type(obj)
        return list(cls.__mro__)

    def find(self, obj: Any, qualifier: str = "default") -> list[Callable[..., Any]]:
        """Every function for ``obj``, in the order they run (see the module docstring)."""
        for key in self._keys(obj):
            ranked: list[tuple[tuple[int, bool, bool, int], Callable[..., Any]]] = []
            for qual in {qualifier, "default"}:
                for entry in self._registry.get((key, qual), ()):
                    rank = (-entry.priority, entry.builtin, qual == "default", entry.order)
                    ranked.append((rank, entry.fn))
            if ranked:
                return [fn for _rank, fn in sorted(ranked, key=lambda item: item[0])]
        return []

    def dispatch(self, obj: Any, qualifier: str = "default") -> Callable[..., Any]:
        """The function for ``obj``: the qualifier's if there is one, else the default.

        As Alembic's: a registry of lists (comparators) gives one callable that runs
        every function registered for ``obj`` in order (none: it does nothing; one that
        returns ``PriorityDispatchResult.STOP`` ends the run); any other raises
        ``ValueError`` when nothing is registered.

        Raises:
            ValueError: no function for ``obj`` (a registry of single functions).
        """
        if self.uselist:
            found = self.find(obj, qualifier)

            def go(*args: Any, **kw: Any) -> None:
                for fn in found:
                    if fn(*args, **kw) is PriorityDispatchResult.STOP:
                        return

            return go
        fn = self.lookup(obj, qualifier)
        if fn is None:
            raise ValueError(f"no dispatch function for object: {obj}")
        return fn

    def lookup(self, obj: Any, qualifier: str = "default") -> Callable[..., Any] | None:
        """The function :meth:`dispatch` gives for ``obj``, or None where it would raise."""
        for key in self._keys(obj):
            for qual in (qualifier, "default"):
                entries = self._registry.get((key, qual))
                if entries:
                    return entries[0].fn
        return None

    def branch(self) -> Dispatcher:
        """A copy that can be extended without changing this one."""
        copy = Dispatcher(self.uselist)
        copy._registry = {key: list(entries) for key, entries in self._registry.items()}
        return copy


__all__ = ["Dispatcher"]
