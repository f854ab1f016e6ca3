"""Stand-ins for the host application's modules that revision files import.

Revision files import names from the project they belong to (custom column
types, constants, helper functions) and from libraries the suite does not
install. Neither is under test, and both tools must see the same thing, so
the suite answers those imports with generated modules of its own:

- a module is a package of stubs whose attributes are made on first access,
  by rules on the attribute's name (:func:`stub_value`), so no module or
  name has to be listed in advance;
- a few names need a specific stand-in (a column type that must compile on
  MySQL, say); a project lists those in ``Project.stubs`` as small
  factories, see ``projects.py``.

The rules, in order, for a name ``N`` looked up in a stub module:

0. A name that is exactly an SQLAlchemy type's (``UUID``, ``JSON``,
   ``TIMESTAMP``) is that type (rule 2).
1. Other ``UPPER_CASE`` names are constants: lengths and bounds (``*_SIZE``,
   ``*_LEN``, ``*_LENGTH``, ``MIN_*``, ``MAX_*``, ``*_MTU``) are ``255``,
   ``CONF``-like objects (``CONF``, ``*_CONF``) are a :class:`Stub`, anything
   else the string of its lower-cased name (so a ``WHERE status = X``
   renders as a readable literal).
2. A ``CamelCase`` name ending in an SQLAlchemy type's name (``UtcDateTime``,
   ``StringID``, ``ExtendedJSON``, ``MediumText``) is a ``TypeDecorator`` over
   that type; one with ``JSON``/``Json`` in it or ending in ``Dict`` is a
   ``TypeDecorator`` over ``Text`` (the usual JSON-in-text column).
3. Another ``CamelCase`` name is a :class:`Stub` standing for a class. Its
   upper-case attributes follow rule 1 (``RunStatus.FAILED``), its other
   attributes are columns, ``sa.column(attr)`` (ORM models: ``SqlRun.status``
   in a CHECK constraint), which called as methods return their first
   argument (``RunStatus.to_string(RunStatus.FAILED)`` is ``"failed"``).
4. A lower-case name is a stub module below this one (``from nova.db import
   types`` imports a submodule; ``from x import helper`` gets the same object,
   which is callable like a :class:`Stub`).

A :class:`Stub` (and a stub module) is callable, attribute-able, iterable
(empty), falsy, sized (0), a context manager, and a pass-through decorator.
Helper functions that would call ``op.*`` themselves therefore do nothing;
the revision's own operations still run in both tools.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import re
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

__all__ = ["Stub", "stub_value", "stubbed_imports"]

_LENGTH = re.compile(r"(^|_)(SIZE|LEN|LENGTH|MTU)$|^(MIN|MAX)_")
#: SQLAlchemy types a stubbed name may end with, longest first so that
#: ``BigInteger`` wins over ``Integer``
_TYPES = sorted(
    (name for name in ("BigInteger", "Boolean", "DateTime", "Date", "Enum", "Float", "Integer", "JSON",
                       "LargeBinary", "Numeric", "String", "Text", "Time", "TIMESTAMP", "UUID", "ID",
                       "Decimal", "Binary", "Timestamp")),
    key=len,
    reverse=True,
)
#: the SQLAlchemy type a name ending in a non-SQLAlchemy suffix decorates
_ALIASES = {"ID": "String", "Decimal": "Numeric", "Binary": "LargeBinary", "Timestamp": "TIMESTAMP"}


class _Behaviour:
    """What a stub does when used; ``_stub_path`` is its dotted name."""

    _stub_path: str

    def __call__(self, *args: Any, **kw: Any) -> Any:
        if len(args) == 1 and not kw and isinstance(args[0], (types.FunctionType, type)):
            return args[0]  # used as a decorator: keep the function it decorates
        return Stub(f"{self._stub_path}()")

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<stub {self._stub_path}>"

    def __str__(self) -> str:
        return self._stub_path.rsplit(".", 1)[-1]


class Stub(_Behaviour):
    """Whatever the revision does with a name the host application would supply."""

    def __init__(self, path: str) -> None:
        self._stub_path = path

    def __getattr__(self, name: str) -> Any:
        # private and dunder names are not there: SQLAlchemy and Python probe
        # for them (``_sqla_type``, ``__clause_element__``) to classify objects
        if name == "__tablename__" and _CLASS.fullmatch(str(self)):
            return re.sub(r"(?<!^)(?=[A-Z])", "_", str(self)).lower()  # an ORM model's table
        if name.startswith("_"):
            raise AttributeError(name)
        path = f"{self._stub_path}.{name}"
        if _CLASS.fullmatch(str(self)):  # rule 3: a class of the application
            return _Attribute(name) if name[:1].islower() else stub_value(path)
        return Stub(path)

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        return (object,)


class _Attribute(sa.sql.expression.ColumnClause):  # type: ignore[type-arg]
    """A model class's attribute: a column in SQL, a method when called."""

    inherit_cache = True

    def __call__(self, *args: Any, **kw: Any) -> Any:
        return args[0] if args else Stub(f"{self.name}()")


_CLASS = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")


def _type_stub(name: str, suffix: str) -> type:
    base = getattr(sa, _ALIASES.get(suffix, suffix))

    def __init__(self: Any, *args: Any, **kw: Any) -> None:
        # the host type's own arguments mean nothing to its stand-in, except
        # a length or an Enum's values, which the underlying type takes too
        kept = {k: v for k, v in kw.items() if k in ("length", "timezone", "precision", "scale")}
        try:
            sa.types.TypeDecorator.__init__(self, *args, **kept)
        except TypeError:
            sa.types.TypeDecorator.__init__(self)

    return type(name, (sa.types.TypeDecorator,), {"impl": base, "cache_ok": True, "__init__": __init__})


def stub_value(path: str) -> Any:
    """The stand-in for the attribute at dotted ``path`` (rules in the module docstring)."""
    name = path.rsplit(".", 1)[-1]
    if name in _TYPES and name.isupper():
        return _type_stub(name, name)
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        if _LENGTH.search(name):
            return 255
        return Stub(path) if name == "CONF" or name.endswith("_CONF") else name.lower()
    if name[:1].isupper():
        for suffix in _TYPES:
            if name.endswith(suffix):
                return _type_stub(name, suffix)
        if "JSON" in name or "Json" in name or name.endswith("Dict"):
            return _type_stub(name, "Text")
    return Stub(path)


class _StubModule(_Behaviour, types.ModuleType):
    def __init__(self, name: str, overrides: Mapping[str, Callable[[], Any]]) -> None:
        types.ModuleType.__init__(self, name)
        self.__path__: list[str] = []
        self._stub_path = name
        self._overrides = overrides

    def __getattr__(self, name: str) -> Any:
        path = f"{self.__name__}.{name}"
        factory = self._overrides.get(path)  # a listed name may be private (an i18n ``_``)
        if factory is None and name.startswith("_"):
            raise AttributeError(name)
        if factory is not None:
            value = factory()
        elif name[:1].islower():
            value = importlib.import_module(path)  # rule 4: a submodule (or a helper)
        else:
            value = stub_value(path)
        setattr(self, name, value)
        return value


class _Loader(importlib.abc.Loader):
    def __init__(self, overrides: Mapping[str, Callable[[], Any]]) -> None:
        self.overrides = overrides

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _StubModule(spec.name, self.overrides)

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, roots: frozenset[str], overrides: Mapping[str, Callable[[], Any]]) -> None:
        self.roots = roots
        self.loader = _Loader(overrides)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", 1)[0] not in self.roots:
            return None
        return importlib.machinery.ModuleSpec(fullname, self.loader, is_package=True)


@contextmanager
def stubbed_imports(roots: frozenset[str], overrides: Mapping[str, Callable[[], Any]]) -> Iterator[None]:
    """Answer imports of the packages ``roots`` (and below) with stubs, for the block.

    The finder goes first on ``sys.meta_path`` so an installed package of the
    same name is not used; whatever ``sys.modules`` held under those names is
    set aside and put back afterwards.
    """

    def ours(name: str) -> bool:
        return name.split(".", 1)[0] in roots

    saved = {name: mod for name, mod in sys.modules.items() if ours(name)}
    for name in saved:
        del sys.modules[name]
    finder = _Finder(roots, overrides)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if ours(n)]:
            del sys.modules[name]
        sys.modules.update(saved)
