"""The operation corpus: cases, the two runners, and the comparison.

A case is one function of ``op`` (the calls Alembic's own test suite makes:
``op.*`` with their arguments, ``batch_alter_table`` blocks, ``bulk_insert``
rows) and the ``configure()`` options it runs under. Every case runs on all
six dialects and SQLAlchemy's generic one offline, once through real Alembic (a black box: its
``MigrationContext`` and ``Operations``, nothing else) and once through
limbeck's, and the two scripts are compared statement by statement; where
Alembic raises, limbeck must raise an exception code written for Alembic
catches. ``Case.differs`` lists, per dialect, the deliberate departures
(README) with their reason: any other difference fails, and so does a listed
departure that no longer differs.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: the six databases limbeck has modules for, and SQLAlchemy's ``DefaultDialect``: what a
#: database without a module of its own gets (Alembic's generic ``DefaultImpl``, the one most
#: of Alembic's own operation tests run on)
ALL = ("sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle", "default")

try:
    # Alembic registers its @compiles overrides (MySQL's DROP CONSTRAINT refusal...) when
    # alembic.ddl is first imported. Importing it here, at collection, puts them in place
    # before any test runs: the real-world harness undoes registrations made while a
    # history runs, and would otherwise take Alembic's away if its first import fell there.
    import alembic.operations  # noqa: F401
except ImportError:  # the comparisons skip without Alembic
    pass


@dataclass(frozen=True)
class Case:
    id: str
    fn: Callable[[Any], Any]
    #: ``configure()`` options on top of ``as_sql`` and ``literal_binds``
    opts: Mapping[str, Any] = field(default_factory=dict)
    #: dialect(s) (space separated keys) -> why limbeck deliberately differs from Alembic there
    differs: Mapping[str, str] = field(default_factory=dict)
    dialects: tuple[str, ...] = ALL

    def departures(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, reason in self.differs.items():
            for dialect in key.split():
                assert dialect in self.dialects, f"{self.id}: departure for unknown dialect {dialect!r}"
                assert dialect not in out, f"{self.id}: {dialect!r} listed twice"
                out[dialect] = reason
        return out


class Corpus:
    """The cases of one module, registered as they are written."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.cases: list[Case] = []

    def add(self, id: str, fn: Callable[[Any], Any], **kw: Any) -> None:
        self.cases.append(Case(f"{self.prefix}.{id}", fn, **kw))

    def case(self, id: str | None = None, **kw: Any) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        def register(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
            self.add(id or fn.__name__, fn, **kw)
            return fn

        return register


def _dialect_cases() -> Any:
    """The per-dialect tables' helpers (``tests/dialects/cases.py``), under the name their conftest gives them."""
    import importlib.util
    import sys
    from pathlib import Path

    name = "limbeck_dialect_cases"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "dialects" / "cases.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def split_script(text: str) -> list[str]:
    """An offline script as its statements, cut as the per-dialect tables cut it."""
    return list(_dialect_cases().split_script(text))


@dataclass
class Outcome:
    sql: list[str] | None = None
    text: str = ""
    error: BaseException | None = None
    #: the tool's own warnings (``UserWarning``: Alembic's ``util.warn``), not SQLAlchemy's
    warned: list[str] = field(default_factory=list)

    def summary(self) -> Any:
        return {"error": f"{type(self.error).__name__}: {self.error}"[:300]} if self.error else self.sql


def _run(configure: Callable[..., Any], operations: Callable[[Any], Any], dialect: str, case: Case) -> Outcome:
    buffer = io.StringIO()
    opts = {"as_sql": True, "output_buffer": buffer, "literal_binds": True, **case.opts}
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if dialect == "default":
                from sqlalchemy.engine.default import DefaultDialect

                context = configure(dialect=DefaultDialect(), opts=opts)
            else:
                context = configure(dialect_name=dialect, opts=opts)
            operations(context, case.fn)
    except Exception as exc:  # noqa: BLE001  (a refusal is an outcome to compare)
        return Outcome(error=exc)
    text = buffer.getvalue()
    warned = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    return Outcome(sql=split_script(text), text=text.strip(), warned=warned)


def alembic_outcome(dialect: str, case: Case) -> Outcome:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    def operations(context: Any, fn: Callable[[Any], Any]) -> None:
        fn(Operations(context))

    return _run(MigrationContext.configure, operations, dialect, case)


def limbeck_outcome(dialect: str, case: Case) -> Outcome:
    from limbeck.operations import Operations
    from limbeck.runtime.migration import MigrationContext

    def operations(context: Any, fn: Callable[[Any], Any]) -> None:
        with Operations.context(context) as op:
            fn(op)
        context.impl.flush()

    return _run(MigrationContext.configure, operations, dialect, case)


def catches(theirs: BaseException, ours: BaseException) -> bool:
    """Whether ``except <Alembic's exception class>`` in migration code catches limbeck's exception."""
    import sqlalchemy.exc

    import limbeck.errors

    cls = type(theirs)
    if cls.__module__.startswith("alembic"):
        mirror = getattr(limbeck.errors, cls.__name__, None)
        return mirror is not None and isinstance(ours, mirror)
    if cls is sqlalchemy.exc.UnsupportedCompilationError:
        cls = sqlalchemy.exc.CompileError
    return isinstance(ours, cls)


def _incidental(message: str) -> bool:
    """A message no one can match on: an object's address, Python's own argument error, a crash in Alembic."""
    return " object at 0x" in message or "got multiple values for keyword argument" in message


def compare(theirs: Outcome, ours: Outcome) -> str | None:
    """``None`` when limbeck behaves as Alembic, else what differs (one line)."""
    if theirs.error is not None or ours.error is not None:
        if theirs.error is None or ours.error is None:
            return f"alembic {theirs.summary()} / limbeck {ours.summary()}"
        if not catches(theirs.error, ours.error):
            return f"both raise, but {type(theirs.error).__name__} does not catch {ours.summary()}"
        said = str(theirs.error)
        if said not in str(ours.error) and not _incidental(said):
            return f"both raise, but limbeck's message does not hold Alembic's {said!r}: {ours.summary()}"
        return None
    if theirs.sql != ours.sql:
        return f"alembic {theirs.sql} / limbeck {ours.sql}"
    if theirs.text != ours.text:
        return f"same statements, other script text: alembic {theirs.text!r} / limbeck {ours.text!r}"
    # limbeck may warn more (README: its own warnings); each of Alembic's is given in its words
    missing = [w for w in theirs.warned if w not in ours.warned]
    if missing:
        return f"alembic warns {missing} / limbeck {ours.warned}"
    return None
