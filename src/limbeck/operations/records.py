"""Base classes of operation records.

An operation record says what a migration wants ("add column c to t"), with
the same constructor arguments Alembic's ``alembic.operations.ops`` classes
take, so ``process_revision_directives`` hooks and custom operations written
for Alembic work unchanged. Records are plain mutable objects (autogenerate
hooks edit them); how a record becomes SQL lives in :mod:`limbeck.compiler`.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from limbeck.operations.protocols import RunningContext
    from limbeck.operations.schemaobj import SchemaObjects


_R = TypeVar("_R")


def operation_method(source: Callable[..., _R], name: str | None = None) -> Callable[..., _R]:
    """``op.<name>``: the method that calls a record's classmethod ``<name>(operations, ...)``.

    The classmethod (Alembic's API for custom operations as for built-in
    ones) says the signature and the docs once; the method takes both, with
    ``self`` where the classmethod takes the operations, so ``op.add_column``
    reads as Alembic's ``Operations.add_column``. ``name`` when it differs
    from the classmethod's (``batch_op.add_column`` calls ``batch_add_column``).
    """

    def method(self: Any, *args: Any, **kw: Any) -> _R:
        try:
            return source(self, *args, **kw)
        except TypeError as err:
            if err.__traceback__ is not None and err.__traceback__.tb_next is None:
                # the call's own arguments did not fit: say so of op.<name>, as Alembic's method would
                raise TypeError(_as_method_error(str(err), source, method.__name__)) from None
            raise

    signature = inspect.signature(source)
    first, *rest = signature.parameters.values()
    this = first.replace(name="self", annotation=inspect.Parameter.empty)
    method.__dict__["__signature__"] = signature.replace(parameters=[this, *rest])
    method.__name__ = method.__qualname__ = name or source.__name__
    method.__doc__ = source.__doc__
    method.__module__ = source.__module__
    return method


_COUNTS = re.compile(r"takes (?:from (\d+) to (\d+)|(\d+)) positional arguments? but (\d+) (?:was|were) given")


def _as_method_error(message: str, source: Callable[..., Any], name: str) -> str:
    """Python's argument error for the classmethod, in the words it has for the method ``op.<name>``.

    The method takes ``self`` where the classmethod takes ``cls`` and the
    operations: one positional argument fewer on each side of the count.
    """
    qualname = getattr(source, "__qualname__", name)
    message = message.replace(f"{qualname}()", f"{name}()", 1)

    def fewer(match: re.Match[str]) -> str:
        low, high, exact, given = (int(g) - 1 if g else None for g in match.groups())
        takes = f"from {low} to {high}" if exact is None else str(exact)
        plural = "s" if (high if exact is None else exact) != 1 else ""
        return f"takes {takes} positional argument{plural} but {given} {'was' if given == 1 else 'were'} given"

    return _COUNTS.sub(fewer, message, count=1)


#: the code of every ``op.<name>`` method :func:`operation_method` makes (one function, many closures)
_METHOD_CODE = operation_method(lambda operations: None).__code__


def script_stacklevel() -> int:
    """``warnings.warn``'s ``stacklevel`` from a record's classmethod: the script's line, past ``op.<name>``."""
    return 3 if sys._getframe(2).f_code is _METHOD_CODE else 2


def script_frame(depth: int = 1) -> FrameType | None:
    """The frame that called the record's classmethod ``depth`` frames up, past ``op.<name>``'s own method."""
    frame: FrameType | None = sys._getframe(depth + 1)
    if frame is not None and frame.f_code is _METHOD_CODE:
        frame = frame.f_back
    return frame


def schema_objects(context: RunningContext | None) -> SchemaObjects:
    """What builds the SQLAlchemy objects of a record, for ``context``'s database (generic for None)."""
    # SQLAlchemy loads when a record first builds an object: `limbeck revision` imports the records without it
    from limbeck.operations.schemaobj import SchemaObjects

    return SchemaObjects.for_context(context)


class MigrateOperation:
    """Base of every operation record, built-in or user-defined."""

    @property
    def info(self) -> dict[str, Any]:
        """Free-form data for users and hooks (Alembic's ``MigrateOperation.info``)."""
        info: dict[str, Any] | None = self.__dict__.get("_info")
        if info is None:
            info = self.__dict__["_info"] = {}
        return info

    @info.setter
    def info(self, value: dict[str, Any]) -> None:
        self.__dict__["_info"] = dict(value or {})

    _mutations: frozenset[Any] = frozenset()

    def reverse(self) -> "MigrateOperation":
        raise NotImplementedError(f"{type(self).__name__} has no reverse operation")

    def to_diff_tuple(self) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        """Autogenerate's diff entry for this record (a list of them for ``alter_column``, as Alembic's)."""
        raise NotImplementedError(f"{type(self).__name__} has no diff tuple")

    def __repr__(self) -> str:
        # "is" tests: a field may hold a SQL expression, whose == builds a clause
        fields = ", ".join(
            f"{k}={v!r}"
            for k, v in vars(self).items()
            if not k.startswith("_") and v is not None and v is not False and not (isinstance(v, dict) and not v)
        )
        return f"{type(self).__name__}({fields})"


class AlterTableOp(MigrateOperation):
    """An operation on an existing table (the table name and schema are its target)."""

    def __init__(self, table_name: str, *, schema: str | None = None) -> None:
        self.table_name = table_name
        self.schema = schema
