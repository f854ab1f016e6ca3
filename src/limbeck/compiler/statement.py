"""The statement record: the unit of limbeck's one stream.

Every migration, whatever runs it, becomes an ordered sequence of
:class:`Statement` records. Lowering (operation record -> statements) builds
them; the version table and transaction framing add theirs; the emitter is
the only consumer that executes (online) or renders (offline). Validation,
per-revision files, lint and snapshots observe the same records, which is why
a statement keeps its SQLAlchemy construct (typed, inspectable) rather than
only its text.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence, TypeVar

from limbeck.compiler.support import describe

_Frozen = TypeVar("_Frozen", bound=type)


def filled_through_slots(cls: _Frozen) -> _Frozen:
    """Give a frozen dataclass with slots an ``__init__`` that fills each slot through its descriptor.

    The ``__init__`` dataclasses writes for a frozen class calls
    ``object.__setattr__`` once per field (plain assignment is what frozen
    forbids), which looks the attribute up on the class each time; the
    descriptors are known when the class is made. Same parameters, defaults
    and default factories; a class with ``__post_init__``, ``InitVar`` or
    fields left out of ``__init__`` keeps the dataclasses one. For records
    made once per statement of a long offline run (a third of their cost).
    """
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or any(not f.init for f in fields):
        return cls
    names: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    params, body = [], []
    for f in fields:
        names[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        value = f.name
        if f.default is not dataclasses.MISSING:
            names[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            names[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory_{f.name}() if {f.name} is _MISSING else {f.name}"
        else:
            params.append(f.name)
        body.append(f"    _set_{f.name}(self, {value})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["    pass"])
    exec(source, names)  # noqa: S102 - the source above, made of the class's own field names
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__dict__["__init__"].__doc__
    setattr(cls, "__init__", init)  # noqa: B010 - mypy: assigning __init__ on a type variable's class
    return cls


class Kind(str, enum.Enum):
    """What a statement is, which decides how each consumer treats it."""

    #: schema change: CREATE / ALTER / DROP and friends
    DDL = "ddl"
    #: data change or query issued by a migration (``op.execute``, ``bulk_insert``)
    DML = "dml"
    #: a write to the version table (CREATE TABLE alembic_version, INSERT/UPDATE/DELETE)
    VERSION = "version"
    #: start of a transaction; offline rendered only where DDL is transactional
    BEGIN = "begin"
    #: end of a transaction; offline rendered only where DDL is transactional
    COMMIT = "commit"
    #: a ``-- comment`` line for the reader of an offline script (ignored online)
    COMMENT = "comment"
    #: raw text for the offline script: ``static_output()`` and ``print()`` (ignored online)
    TEXT = "text"


#: kinds that carry SQL the database runs
EXECUTABLE_KINDS = frozenset({Kind.DDL, Kind.DML, Kind.VERSION})


@filled_through_slots
@dataclass(frozen=True, slots=True)
class Statement:
    """One entry of the stream.

    ``element`` is a SQLAlchemy ``ClauseElement`` for DDL, DML and version
    statements (a plain string is accepted for DDL/DML text the user wrote),
    and the text itself for COMMENT and TEXT. ``revision`` and ``direction``
    are filled in by the migration context so every consumer knows which
    revision file a statement came from.
    """

    kind: Kind
    element: Any = None
    revision: str | None = None
    direction: str | None = None
    #: the operation record (or other object) the statement was lowered from
    source: Any = None
    #: rows for an executemany online (``bulk_insert(multiinsert=True)``)
    multiparams: Sequence[Mapping[str, Any]] | None = None
    #: values for ``element``'s named bound parameters: the version table
    #: builds each of its statements once per run and gives every revision's
    #: revision ids here (offline they are rendered as literals)
    params: Mapping[str, Any] | None = None
    execution_options: Mapping[str, Any] | None = None
    #: issued inside ``autocommit_block()``: runs outside any transaction online
    autocommit: bool = False
    #: free-form facts for consumers that need more than the construct (lint, plan)
    info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_executable(self) -> bool:
        return self.kind in EXECUTABLE_KINDS


#: ``Statement.info`` key: ``((fragment, reason), ...)`` for a statement the
#: database may refuse depending on the data (SQLite adds a NOT NULL column
#: only to an empty table): when its error contains ``fragment``, the run stops
#: with ``reason`` (why, and the remedy) in one line instead of the driver's
#: error; lint warns with ``reason`` offline
FAILURE_HINTS = "failure_hints"


def explain_failure(stmt: Statement, error: BaseException) -> str | None:
    """``operation: reason (the database said: ...)`` for a refusal a lowering foresaw."""
    said = str(getattr(error, "orig", None) or error).strip()
    first = said.splitlines()[0] if said else type(error).__name__
    for fragment, reason in stmt.info.get(FAILURE_HINTS, ()):
        if fragment in said:
            return f"{describe(stmt.source)}: {reason} (the database said: {first})"
    return None


def ddl(element: Any, source: Any = None, **info: Any) -> Statement:
    """A DDL statement record; the lowering functions' shorthand."""
    return Statement(Kind.DDL, element, source=source, info=info)


def dml(element: Any, source: Any = None, **kw: Any) -> Statement:
    """A DML statement record; ``kw`` passes multiparams / execution_options."""
    return Statement(Kind.DML, element, source=source, **kw)
