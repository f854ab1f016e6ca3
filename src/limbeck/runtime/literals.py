"""Values rendered as SQL literals in offline scripts.

Offline scripts carry no parameters, so every value of a ``bulk_insert`` row
and every bound value of DML rendered with ``literal_binds`` becomes a
literal. SQLAlchemy renders most types itself; where it has no renderer
(JSON, intervals on databases without an INTERVAL type) or renders
something the database rejects or misreads (bytes as a plain string, Oracle
timestamps with a time zone, SQL Server DATETIME with microseconds), the
compiler made by :func:`compile_literal` renders them instead. A value that
cannot be a literal at all stops with :class:`LiteralValueError` naming the
column (the running revision is added by the step runner).

A column of a lightweight ``sa.table()`` often has no type; its literal
then takes the type SQLAlchemy infers from the Python value.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import CompileError
from sqlalchemy.types import NullType

from limbeck.errors import CommandError

#: what SQLAlchemy stores a non-native Interval as: this instant plus the interval
_EPOCH = datetime.datetime.fromtimestamp(0, datetime.timezone.utc).replace(tzinfo=None)


class LiteralValueError(CommandError):
    """A value that cannot be written as a SQL literal for the target database."""


def literal_row(insert: Any, row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` as typed literals for ``insert.values(...)``, each named after its column."""
    table = insert.table
    out: dict[str, Any] = {}
    for key, value in row.items():
        column = table.c.get(key) if hasattr(table.c, "get") else None
        type_ = getattr(column, "type", None)
        if value is None:
            out[key] = None
        elif type_ is None or isinstance(type_, NullType):
            out[key] = bindparam(key, value, unique=True)
        else:
            out[key] = bindparam(key, value, type_=type_, unique=True)
    return out


# -- what SQLAlchemy does not render (right) --------------------------------------------------
def _hex(value: Any) -> str:
    return bytes(value).hex().upper()


#: databases with an INTERVAL type SQLAlchemy renders literals for
_NATIVE_INTERVAL = frozenset({"postgresql", "oracle"})

_BINARY: dict[str, Callable[[str], str]] = {
    "postgresql": lambda h: f"decode('{h}', 'hex')",
    "mssql": lambda h: f"0x{h}",
    "oracle": lambda h: f"HEXTORAW('{h}')",
}


def _standard_hex(digits: str) -> str:
    return f"X'{digits}'"


def _special(compiler: Any, value: Any, type_: Any) -> str | None:
    """Our literal for ``value`` where SQLAlchemy has none or a wrong one; ``None`` otherwise."""
    name = compiler.dialect.name
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)) or isinstance(type_, sqltypes._Binary):
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise LiteralValueError(f"expected bytes, got {type(value).__name__}")
        render: Callable[[str], str] = _BINARY.get(name, _standard_hex)
        return render(_hex(value))
    if isinstance(type_, sqltypes.JSON):
        serializer = getattr(compiler.dialect, "_json_serializer", None) or json.dumps
        try:
            text = serializer(value)
        except (TypeError, ValueError) as err:
            raise LiteralValueError(str(err)) from err
        return str(compiler.render_literal_value(text, sqltypes.String()))
    if isinstance(value, datetime.timedelta) and name not in _NATIVE_INTERVAL:
        return str(compiler.render_literal_value(_EPOCH + value, sqltypes.DateTime()))
    if isinstance(value, datetime.datetime):
        return _datetime(compiler, value, name)
    if isinstance(value, (float, decimal.Decimal)) and not math.isfinite(value):
        raise LiteralValueError("not a finite number")
    return None


def _datetime(compiler: Any, value: datetime.datetime, name: str) -> str | None:
    if name == "oracle" and value.tzinfo is not None:
        text = value.strftime("%Y-%m-%d %H:%M:%S.%f ") + value.strftime("%z")[:3] + ":" + value.strftime("%z")[3:]
        return f"TO_TIMESTAMP_TZ('{text}', 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM')"
    if name == "mssql" and value.tzinfo is None and value.microsecond % 1000:
        # DATETIME takes at most 3 fractional digits from a string; DATETIME2 converts to either
        return f"CAST('{value.isoformat(sep=' ')}' AS DATETIME2)"
    return None


class _LiteralRendering:
    """Mixed into a dialect's statement compiler for offline literal rendering."""

    def render_literal_value(self, value: Any, type_: Any) -> str:
        special = _special(self, value, type_)
        if special is not None:
            return special
        return super().render_literal_value(value, type_)  # type: ignore[misc,no-any-return]

    def render_literal_bindparam(self, bind: Any, *args: Any, **kw: Any) -> str:
        try:
            return super().render_literal_bindparam(bind, *args, **kw)  # type: ignore[misc,no-any-return]
        except (CompileError, LiteralValueError) as err:
            column = getattr(bind, "_orig_key", None) or bind.key
            dialect = self.dialect.name  # type: ignore[attr-defined]
            reason = str(err.__cause__ or err).splitlines()[0]
            raise LiteralValueError(
                f"cannot render {bind.effective_value!r} for column '{column}' ({bind.type}) as a {dialect} literal: {reason}"
            ) from err


_COMPILERS: dict[type, type] = {}


def compile_literal(element: Any, dialect: Any) -> str:
    """``element`` compiled for ``dialect`` with every bound value rendered as a literal."""
    from sqlalchemy.sql.ddl import BaseDDLElement

    if isinstance(element, BaseDDLElement):  # DDL has its own compiler and no row values
        return str(element.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    base = dialect.statement_compiler
    compiler_cls = _COMPILERS.get(base)
    if compiler_cls is None:
        compiler_cls = _COMPILERS[base] = type(f"Literal{base.__name__}", (_LiteralRendering, base), {})
    return str(compiler_cls(dialect, element, compile_kwargs={"literal_binds": True}))
