"""Small helpers on plain values: the ``alembic.util.langhelpers`` names.

Below everything else (they import nothing of limbeck): revision headers and
the script directory use them, and :mod:`limbeck.util` offers them to scripts
under Alembic's names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

_T = TypeVar("_T")
_R = TypeVar("_R")

EMPTY_DICT: Mapping[Any, Any] = MappingProxyType({})


def immutabledict(*args: Any, **kw: Any) -> Mapping[Any, Any]:
    """A read-only mapping, for code that builds Alembic-style option dicts."""
    return MappingProxyType(dict(*args, **kw))


# ----------------------------------------------------------------------------
# identifiers and small coercions
# ----------------------------------------------------------------------------


def rev_id() -> str:
    """A new 12-hex-digit revision id, the shape Alembic's ``rev_id()`` gives.

    Random rather than time-based so two developers generating at the same
    moment on different branches do not collide.
    """
    # uuid only when an id is made: importing it (with platform) cost every listing command 2 ms
    import uuid

    return uuid.uuid4().hex[-12:]


@overload
def to_tuple(x: Any, default: tuple[Any, ...]) -> tuple[Any, ...]: ...


@overload
def to_tuple(x: Any, default: None = None) -> tuple[Any, ...] | None: ...


def to_tuple(x: Any, default: tuple[Any, ...] | None = None) -> tuple[Any, ...] | None:
    """Normalise a header value: ``None`` -> *default*, ``"a"`` -> ``("a",)``.

    Revision headers may be written as a bare string or as any sequence; the
    revision graph wants one shape.
    """
    if x is None:
        return default
    if isinstance(x, str):
        return (x,)
    if isinstance(x, Iterable):
        return tuple(x)
    return (x,)


def to_list(x: Any, default: list[Any] | None = None) -> list[Any]:
    """Like :func:`to_tuple` but a list; ``None`` gives *default* or ``[]``."""
    if x is None:
        return default if default is not None else []
    if isinstance(x, str):
        return [x]
    if isinstance(x, Iterable):
        return list(x)
    return [x]


def dedupe_tuple(tup: tuple[_T, ...]) -> tuple[_T, ...]:
    """Drop repeated entries, keeping the first occurrence's position."""
    return tuple(unique_list(tup))


def unique_list(seq: Iterable[_T], hashfunc: Callable[[_T], Any] | None = None) -> list[_T]:
    """Order-preserving de-duplication (optionally by a key function)."""
    seen: set[Any] = set()
    out: list[_T] = []
    for item in seq:
        key = hashfunc(item) if hashfunc is not None else item
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def format_as_comma(value: str | Iterable[str] | None) -> str:
    """Render a revision header for humans: ``None`` -> ``""``, tuples joined.

    ``script.py.mako`` templates call it as the ``comma`` filter on the
    ``Revises:`` line, so its output is part of every generated file.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(value)


def asbool(value: Any) -> bool:
    """Interpret ini-style booleans (``true``/``yes``/``on``/``1``)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "y", "t", "1")
    return bool(value)


def not_none(value: _T | None) -> _T:
    """Narrow an Optional for the type checker, failing loudly if it is None."""
    if value is None:
        raise ValueError("unexpected None")
    return value


class memoized_property(Generic[_T, _R]):
    """A read-only property computed once per instance and then stored.

    Kept under Alembic's name because env.py recipes occasionally import it.
    """

    def __init__(self, fget: Callable[[_T], _R]) -> None:
        self.fget = fget
        self.__doc__ = fget.__doc__
        self.__name__ = fget.__name__

    @overload
    def __get__(self, obj: None, cls: Any) -> memoized_property[_T, _R]: ...

    @overload
    def __get__(self, obj: _T, cls: Any) -> _R: ...

    def __get__(self, obj: _T | None, cls: Any) -> Any:
        if obj is None:
            return self
        result = self.fget(obj)
        obj.__dict__[self.__name__] = result
        return result
