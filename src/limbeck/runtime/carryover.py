"""What a revision can leave behind for the revisions after it, fingerprinted.

A parallel offline run (:mod:`limbeck.runtime.parallel`) renders slices of
a range in forked workers, each starting from the state the parent had
before the first step. That is the serial run's state only if no earlier
slice changed anything a later revision reads. The context's own state is
compared step by step there; this module covers what lives outside it, in
the process:

- the globals of the project's modules: every loaded revision file, the
  modules on the call stack (env.py, whatever called the command), every
  imported module that is neither standard library nor the tool chain
  (SQLAlchemy, limbeck, Alembic, their dependencies, pytest) and does not
  live in site-packages, and the site-packages packages that the revision
  files or env.py (the modules on the call stack) import themselves (the
  user's application installed as a package, a types library). Values are digested by
  structure: plain data by value, containers and the instances, classes
  and functions (defaults, closure cells, attributes) of those modules
  recursively, ``functools`` caches by their size, ``itertools.count`` by
  its next value; any other object by identity (a forked worker shares the
  addresses of everything that existed before the fork) and one level of
  its attributes (so a ``MetaData`` a helper keeps is seen to gain tables);
- ``@compiles`` registrations on any SQLAlchemy construct or type, and
  the run's dialect and compiler classes, attribute by attribute (a
  revision that patches ``visit_create_table``);
- ``sqlalchemy.event`` listeners on classes (``Table``, ``Column``, ...)
  and on objects those globals reach (the run's DDL events fire them);
- custom operations registered on ``Operations`` (``register_operation``,
  ``implementation_for``), ``os.environ`` and the ``random`` module's state.

Not seen: state a revision keeps outside Python objects (files, a
database), state of objects not reachable from those globals or hidden
in objects held there (a generator, an iterator, a C extension's
internals), attributes of library objects deeper than one level, class
attributes of libraries other than the dialect's and compilers' classes.
Where a digest cannot tell, it errs towards "changed": that costs only
speed (the parent renders the rest in order), never a different script.

Import-light: imported by :mod:`limbeck.runtime.parallel` when a run forks.
"""

from __future__ import annotations

import functools
import gc
import itertools
import os
import random
import sys
import weakref
from collections import deque
from collections.abc import Iterable, Sequence
from types import FunctionType, ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.steps import MigrationStep

__all__ = ["Carryover"]

#: packages of the tool chain itself: their state is the run's machinery, checked elsewhere or a pure cache
TOOL_PACKAGES = frozenset(
    {
        "sqlalchemy", "limbeck", "alembic", "mako", "markupsafe", "sqlglot", "click", "typing_extensions",
        "greenlet", "pytest", "_pytest", "pluggy", "pytest_snapshot", "iniconfig", "packaging", "_distutils_hack",
    }
)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset(sys.builtin_module_names)
_SCALARS = (str, int, bool, bytes, type(None), complex)
_ATOMS = frozenset(_SCALARS)
_CONTAINERS = (list, tuple, dict, set, frozenset, deque)
#: deeper than this, a value is taken by identity (a changed leaf there goes unseen)
MAX_DEPTH = 40
_WEAK = (weakref.WeakKeyDictionary, weakref.WeakValueDictionary)
_LRU = type(functools.lru_cache(maxsize=None)(lambda: None))


def _top(name: str) -> str:
    return name.partition(".")[0]


def _in_site_packages(module: ModuleType) -> bool:
    path = getattr(module, "__file__", None) or ""
    return "site-packages" in path or "dist-packages" in path


class _Digest:
    """One structural digest of a set of namespaces (plain tuples; compared with ``==``)."""

    def __init__(self, project: frozenset[str]) -> None:
        self.project = project  # module names whose classes, instances and functions are looked into
        self.done: dict[int, Any] = {}  # id -> its digest, for this take (every object stays alive meanwhile)
        self.reached: set[int] = set()  # identities of the library objects seen (for event targets)

    def namespace(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """A module's globals but its dunder names (``__builtins__``, ``__warningregistry__``)."""
        found: list[Any] = []
        for key, val in list(values.items()):
            if key[:2] == "__" and key[-2:] == "__":
                continue
            kind = type(val)
            if kind in _ATOMS:
                found.append((key, kind, val))
            elif kind is ModuleType:
                found.append((key, "module", val.__name__))
            elif kind is FunctionType and not (val.__defaults__ or val.__kwdefaults__ or val.__closure__ or val.__dict__):
                found.append((key, "function", id(val)))  # the common case, fast: nothing in it to change
            else:
                found.append((key, self.value(val, 0)))
        return tuple(found)

    def alone(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """:meth:`namespace` as if nothing had been digested before but what was before this call."""
        done = self.done
        self.done = _Layer(done)
        reached = set(self.reached)
        try:
            return self.namespace(values)
        finally:
            self.done, self.reached = done, reached

    def _ours(self, obj: Any) -> bool:
        return getattr(obj, "__module__", None) in self.project

    def value(self, obj: Any, depth: int) -> Any:
        kind = type(obj)
        if kind in _ATOMS or isinstance(obj, _SCALARS):
            return (kind.__name__, obj)
        if isinstance(obj, float):
            return ("float", repr(obj))  # NaN compares unequal to itself
        key = id(obj)
        opaque = _OPAQUE.get(kind)
        if opaque is None:
            opaque = _OPAQUE[kind] = _opaque(kind)
        if opaque:  # the many typing and library objects of a revision file, fast
            self.reached.add(key)
            return ("object", key)
        if key in self.done:
            return ("ref", key)
        if depth > MAX_DEPTH:
            return ("deep", key)
        self.done[key] = None  # a cycle back to here is a reference
        digest = self._compound(obj, kind, depth + 1)
        self.done[key] = digest
        return digest

    def _compound(self, obj: Any, kind: type, depth: int) -> Any:
        if isinstance(obj, ModuleType):
            return ("module", obj.__name__)
        if isinstance(obj, _CONTAINERS) and (kind.__module__ in _STDLIB or kind.__module__ == "builtins" or self._ours(kind)):
            if isinstance(obj, dict):
                items = tuple((self.value(k, depth), self.value(v, depth)) for k, v in list(obj.items()))
                return (kind.__name__, items, self._attrs(obj, depth) if self._ours(kind) else None)
            return (kind.__name__, tuple(self.value(v, depth) for v in list(obj)))
        if isinstance(obj, type):
            if not self._ours(obj):
                return ("class", id(obj))
            return ("class", id(obj), self.namespace_at(vars(obj), depth))
        if isinstance(obj, FunctionType):
            if not self._ours(obj):
                return ("function", id(obj))
            cells = tuple(self.value(_cell(c), depth) for c in obj.__closure__ or ())
            return (
                "function", id(obj), self.value(obj.__defaults__, depth), self.value(obj.__kwdefaults__, depth),
                cells, self.namespace_at(obj.__dict__, depth),
            )
        if isinstance(obj, _LRU):
            return ("cached", id(obj), obj.cache_info().currsize, self.value(getattr(obj, "__wrapped__", None), depth))
        if isinstance(obj, itertools.count):
            return ("count", id(obj), repr(obj))
        if isinstance(obj, random.Random):
            return ("random", id(obj), obj.getstate())
        if isinstance(obj, functools.partial):
            return ("partial", id(obj), self.value(obj.func, depth), self.value(obj.args, depth), self.value(obj.keywords, depth))
        if self._ours(kind):
            return ("instance", id(obj), id(kind), self._attrs(obj, depth))
        self.reached.add(id(obj))
        module = _top(getattr(kind, "__module__", "") or "")
        if module in _STDLIB or module == "builtins":
            return ("object", id(obj))
        return ("object", id(obj), _shallow(obj))

    def namespace_at(self, values: Any, depth: int) -> tuple[Any, ...]:
        return tuple(
            (key, self.value(val, depth)) for key, val in list(values.items())
            if key not in ("__dict__", "__weakref__", "__doc__", "__module__", "__qualname__")
        )

    def _attrs(self, obj: Any, depth: int) -> Any:
        kind = type(obj)
        values = {k: v for k, v in list(vars(obj).items()) if not _cached(kind, k)} if hasattr(obj, "__dict__") else {}
        found = self.namespace_at(values, depth)
        slots = [name for cls in type(obj).__mro__ for name in getattr(cls, "__slots__", ()) if isinstance(name, str)]
        return found, tuple((name, self.value(getattr(obj, name, None), depth)) for name in slots)


class _Layer(dict):  # type: ignore[type-arg]
    """A memo over another one: reads through, writes stay here (and go with it)."""

    def __init__(self, below: dict[int, Any]) -> None:
        super().__init__()
        self.below = below

    def __missing__(self, key: int) -> Any:
        return self.below[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.below


#: type -> whether its instances are taken by identity only: standard library types without anything seen inside
_OPAQUE: dict[type, bool] = {}
_LOOKED_INTO = (ModuleType, *_CONTAINERS, type, FunctionType, _LRU, itertools.count, random.Random, functools.partial)


def _opaque(kind: type) -> bool:
    module = _top(getattr(kind, "__module__", "") or "")
    return (module in _STDLIB or module == "builtins") and not issubclass(kind, _LOOKED_INTO)


def _cell(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return None


def _cached(kind: type, name: str) -> bool:
    """Whether an instance attribute ``name`` is a cached read: it shadows a non-data descriptor of the class
    (``functools.cached_property``, SQLAlchemy's ``memoized_property``), filled on first access."""
    for base in kind.__mro__:
        if name in base.__dict__:
            descriptor = type(base.__dict__[name])
            return hasattr(descriptor, "__get__") and not hasattr(descriptor, "__set__") and descriptor is not FunctionType
    return False


def _shallow(obj: Any) -> Any:
    """A library object's own attributes, one level: plain values, container sizes, identities."""
    try:
        attrs = vars(obj)
    except TypeError:
        return len(obj) if isinstance(obj, _CONTAINERS) else None
    memoized = attrs.get("_memoized_keys", ())  # SQLAlchemy fills these on first read: caches, not state
    found: list[tuple[Any, ...]] = []
    for key, val in list(attrs.items()):
        if key in memoized or key == "_memoized_keys" or isinstance(val, _WEAK) or _cached(type(obj), key):
            continue  # weak maps: caches too
        if isinstance(val, _SCALARS):
            found.append((key, val))
        elif isinstance(val, _CONTAINERS):
            found.append((key, type(val).__name__, len(val)))
        else:
            found.append((key, id(val)))
    return tuple(found)


class Carryover:
    """Fingerprints of one run's carried state; equal fingerprints: nothing seen changed in between."""

    def __init__(self, ctx: MigrationContext, steps: Sequence[MigrationStep]) -> None:
        # Garbage that is still uncollected (a class a test or a helper made and dropped, with its
        # ``@compiles`` or a listener) would be in the first take and gone from a later one when the
        # collector runs in between: a change no revision made. Collected now, it is in no take.
        gc.collect()
        self.ctx = ctx
        scripts = [getattr(step, "revision", None) for step in steps]
        #: each step's revision file (None: a stamp step, or a revision not imported): what it may change itself
        self.revision_modules: list[ModuleType | None] = [
            s.module if s is not None and getattr(s, "module_loaded", False) else None for s in scripts
        ]
        self.stack = _stack_namespaces()
        self.application = self._application()

    @staticmethod
    def available() -> bool:
        """Whether this SQLAlchemy keeps the registries read here (else a run cannot be checked: serial)."""
        try:
            from sqlalchemy.event import attr, registry
            from sqlalchemy.sql.visitors import Visitable
        except ImportError:
            return False
        return isinstance(getattr(registry, "_key_to_collection", None), dict) and hasattr(attr, "_ClsLevelDispatch") and bool(Visitable)

    def _application(self) -> frozenset[str]:
        """Site-packages packages the project imports itself (its application, installed; a types library)."""
        found: set[str] = set()
        # not what every local module imports: a test suite's modules bring hypothesis and the like, whose
        # globals move on their own (a garbage collector callback's clock) and would make every run serial
        namespaces = [vars(m) for m in self.revision_modules if m is not None] + self.stack
        for names in namespaces:
            for value in list(names.values()):
                name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
                if isinstance(name, str):
                    found.add(_top(name))
        return frozenset(found - TOOL_PACKAGES - _STDLIB)

    @staticmethod
    def _local(module: ModuleType) -> bool:
        top = _top(module.__name__)
        if not getattr(module, "__file__", None):  # built into the interpreter (``cython_runtime``), or a namespace package
            return False
        return top not in TOOL_PACKAGES and top not in _STDLIB and not top.startswith("_") and not _in_site_packages(module)

    def project_modules(self) -> list[ModuleType]:
        """The imported modules whose globals a later revision could read (sorted by name, so takes compare)."""
        found = []
        for name, module in sorted(sys.modules.copy().items(), key=lambda item: item[0]):
            if not isinstance(module, ModuleType):
                continue
            if self._local(module) or (_top(name) in self.application and _in_site_packages(module)):
                found.append(module)
        return found

    def take(self, start: int = 0, end: int | None = None) -> tuple[Any, ...]:
        """The fingerprint now, with the revision files of ``steps[start:end]`` (see :meth:`changed`).

        The cyclic collector is held meanwhile: a collection would run weak
        reference callbacks (SQLAlchemy's event registry drops the entries
        of a collected table) in the middle of reading those dictionaries.
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._take(start, end)
        finally:
            if enabled:
                gc.enable()

    def _take(self, start: int, end: int | None) -> tuple[Any, ...]:
        modules = self.project_modules()
        names = frozenset(m.__name__ for m in [*modules, *self.revision_modules] if m is not None)
        digest = _Digest(names | _stack_modules(self.stack))
        common = (
            tuple((m.__name__, digest.namespace(vars(m))) for m in modules),
            tuple(digest.namespace(names) for names in self.stack),
            _compiles(),
            self._dialect(digest),
            _operations(),
            _listeners(digest.reached),
            tuple(sorted(os.environ.items())),
            random.getstate(),
        )
        # each revision file on its own (no reference to another one's objects), so a slice's compare with a whole
        return common, tuple(digest.alone(vars(m) if m is not None else {}) for m in self.revision_modules[start:end])

    @staticmethod
    def changed(before: tuple[Any, ...], after: tuple[Any, ...], start: int = 0) -> bool:
        """Whether ``after`` (a take of the revision files from ``start`` on) differs from ``before`` (a whole take)."""
        common, revisions = after
        return bool(common != before[0] or revisions != before[1][start : start + len(revisions)])

    def difference(self, before: tuple[Any, ...], after: tuple[Any, ...], start: int = 0) -> str:
        """What :meth:`changed` found, in a few words (for the debug log of a run that went serial)."""
        parts = ("module globals", "globals on the call stack", "@compiles registrations", "the dialect's classes",
                 "custom operations", "event listeners", "the environment", "the random state")
        for name, old, new in zip(parts, before[0], after[0]):
            if old != new:
                if name == "module globals":
                    new_names = {m for m, _ in new} ^ {m for m, _ in old}
                    changed = sorted(new_names | {m for (m, a), (_, b) in zip(old, new) if a != b})
                    return f"{name}: {', '.join(changed[:3])}"
                return name
        for offset, (old, new) in enumerate(zip(before[1][start:], after[1])):
            if old != new:
                module = self.revision_modules[start + offset]
                return f"the globals of {getattr(module, '__file__', None) or 'a revision file'}"
        return "nothing"

    def _dialect(self, digest: _Digest) -> tuple[Any, ...]:
        """The run's dialect and compiler classes, attribute by attribute, and the dialect's own attributes."""
        dialect = self.ctx.dialect
        classes: list[Any] = [type(dialect)]
        for name in ("statement_compiler", "ddl_compiler", "type_compiler_cls", "preparer"):
            cls = getattr(dialect, name, None)
            if isinstance(cls, type):
                classes.append(cls)
        seen = dict.fromkeys(c for cls in classes for c in cls.__mro__ if c is not object)
        return (tuple((id(cls), tuple((k, _identity(v)) for k, v in list(vars(cls).items()))) for cls in seen), _shallow(dialect))


def _identity(value: Any) -> Any:
    """A library class attribute: its identity, and for a container (``colspecs``) its items' identities."""
    if isinstance(value, dict):
        return id(value), tuple((id(k), id(v)) for k, v in list(value.items()))
    if isinstance(value, (list, set, frozenset, tuple)):
        return id(value), tuple(id(v) for v in list(value))
    return id(value)


def _stack_namespaces() -> list[dict[str, Any]]:
    """The globals of the modules on the call stack that are the project's (env.py, a test, a script)."""
    found: dict[int, dict[str, Any]] = {}
    frame = sys._getframe(1)
    while frame is not None:
        names = frame.f_globals
        top = _top(str(names.get("__name__", "")))
        path = str(names.get("__file__", "") or "")
        if top not in TOOL_PACKAGES and top not in _STDLIB and "site-packages" not in path:
            found.setdefault(id(names), names)
        frame = frame.f_back  # type: ignore[assignment]
    return list(found.values())


def _stack_modules(stack: Iterable[dict[str, Any]]) -> frozenset[str]:
    return frozenset(str(names.get("__name__", "")) for names in stack)


def _visitables() -> list[type]:
    from sqlalchemy.sql.visitors import Visitable

    found: dict[type, None] = {}
    todo = [Visitable]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found[sub] = None
                todo.append(sub)
    return list(found)


def _compiles() -> tuple[Any, ...]:
    """Every ``@compiles`` registration: class, dispatcher, and the function per dialect."""
    found = []
    for cls in _visitables():
        dispatcher = cls.__dict__.get("_compiler_dispatcher")
        if dispatcher is not None:
            specs = getattr(dispatcher, "specs", {})
            found.append((id(cls), id(dispatcher), tuple(sorted((str(k), id(v)) for k, v in list(specs.items())))))
    return tuple(sorted(found))


def _operations() -> tuple[Any, ...]:
    """Custom operations: the methods on ``Operations`` and its subclasses, and the implementations."""
    from limbeck.operations.base import OperationsBase

    classes: list[type] = [OperationsBase]
    for cls in classes:
        subclasses: list[type] = cls.__subclasses__()
        classes.extend(sub for sub in subclasses if sub not in classes)
    return (
        tuple((id(cls), tuple((k, id(v)) for k, v in list(vars(cls).items()))) for cls in classes),
        tuple((id(k), id(v)) for k, v in list(OperationsBase._to_impl.items())),
    )


def _listeners(reached: set[int]) -> tuple[Any, ...]:
    """The ``sqlalchemy.event`` listeners on classes and on objects the project's globals reach."""
    from sqlalchemy.event import attr, registry

    found = []
    for key, owners in list(dict(registry._key_to_collection).items()):
        if key[0] in reached or any(isinstance(ref(), attr._ClsLevelDispatch) for ref in list(owners)):
            found.append(key)
    return tuple(sorted(found, key=repr))
