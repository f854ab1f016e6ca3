"""Values rendered as SQL literals in offline scripts.

Offline scripts carry no parameters, so every value of a ``bulk_insert`` row
and every bound value of DML rendered with ``literal_binds`` becomes a
literal. SQLAlchemy renders most types itself; where it has no renderer
(JSON, intervals on databases without an INTERVAL type) or renders
something the database rejects or misreads (bytes as a plain string, Oracle
timestamps with a time zone, SQL Server DATETIME with microseconds), the
compiler made by :func:`compile_literal` renders them instead, as the
database's behaviour says (``native_interval``, ``binary_literal``,
``datetime_literal``). A value that
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
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import CompileError
from sqlalchemy.types import NullType

from limbeck.dialects import behaviour_class_of
from limbeck.dialects.base import DialectBehaviour
from limbeck.errors import CommandError, LimbeckWarning

#: what SQLAlchemy stores a non-native Interval as: this instant plus the interval
_EPOCH = datetime.datetime.fromtimestamp(0, datetime.timezone.utc).replace(tzinfo=None)


class LiteralValueError(CommandError, CompileError):
    """A value that cannot be written as a SQL literal for the target database.

    Also SQLAlchemy's ``CompileError``: what Alembic raises for the same value,
    so migration code catching that keeps working.
    """


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


#: the types whose values :func:`_special` renders (or refuses) whatever the value's class
_SPECIAL_TYPES = (sqltypes._Binary, sqltypes.JSON)


def _special(compiler: Any, value: Any, type_: Any) -> str | None:
    """Our literal for ``value`` where SQLAlchemy has none or a wrong one; ``None`` otherwise."""
    if value is None:
        return None
    kind = type(value)
    if (kind is str or kind is int) and not isinstance(type_, _SPECIAL_TYPES):
        return None  # the common case (bulk_insert rows): none of the checks below can apply
    facts: type[DialectBehaviour] = compiler.literal_facts
    if isinstance(value, (bytes, bytearray, memoryview)) or isinstance(type_, sqltypes._Binary):
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise LiteralValueError(f"expected bytes, got {type(value).__name__}")
        return facts.binary_literal.format(hex=_hex(value))
    if isinstance(type_, sqltypes.JSON):
        if value is sqltypes.JSON.NULL:
            # the JSON ``null`` SQLAlchemy sends online; the symbol is an int, whose dump is its hash
            return str(compiler.render_literal_value("null", sqltypes.String()))
        serializer = getattr(compiler.dialect, "_json_serializer", None) or json.dumps
        try:
            text = serializer(value)
        except (TypeError, ValueError) as err:
            raise LiteralValueError(str(err)) from err
        return str(compiler.render_literal_value(text, sqltypes.String()))
    if isinstance(value, datetime.timedelta) and not facts.native_interval:
        return str(compiler.render_literal_value(_EPOCH + value, sqltypes.DateTime()))
    if isinstance(value, datetime.datetime) and not isinstance(type_, (sqltypes.Date, sqltypes.Time)):
        # a date or time column keeps SQLAlchemy's (Alembic's) literal of that part
        return facts.datetime_literal(value)
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        raise LiteralValueError("not a finite number")  # sNaN too, which math.isfinite() cannot take
    if isinstance(value, float) and not math.isfinite(value):
        raise LiteralValueError("not a finite number")
    return None


if TYPE_CHECKING:
    from sqlalchemy.sql.compiler import SQLCompiler

    #: what the mixins below are mixed into (a dialect's statement compiler), for the type checker
    CompilerMixin = SQLCompiler
else:
    CompilerMixin = object


def column_default(compiler: Any, bind: Any) -> Any:
    """The column default SQLAlchemy gives ``bind`` when the statement runs; ``None`` for an ordinary value.

    An INSERT (UPDATE) that leaves out a column with a Python-side ``default=``
    (``onupdate=``) gets a parameter of the column's name, which SQLAlchemy fills
    from the default at execution. A literal compile has no execution:
    SQLAlchemy writes ``NULL`` there, and Alembic's script inserts NULL where
    the same migration run online inserts the default.
    """
    if bind.value is not None or bind.callable is not None or not getattr(bind, "_is_crud", False):
        return None
    if compiler.isinsert:
        attr = "default"
    elif compiler.isupdate:
        attr = "onupdate"
    else:
        return None
    columns = getattr(getattr(compiler.statement, "table", None), "c", None)
    column = columns.get(bind.key) if columns is not None and hasattr(columns, "get") else None
    return getattr(column, attr, None)


class _LiteralRendering(CompilerMixin):
    """Mixed into a dialect's statement compiler for offline literal rendering."""

    #: the behaviour of the database compiled for (set on each class :func:`literal_compiler` makes)
    literal_facts: type[DialectBehaviour] = DialectBehaviour

    def render_literal_value(self, value: Any, type_: Any) -> str:
        special = _special(self, value, type_)
        if special is not None:
            return special
        return super().render_literal_value(value, type_)

    def render_literal_bindparam(self, bindparam: Any, *args: Any, **kw: Any) -> str:
        default = column_default(self, bindparam)
        if default is not None and default.is_scalar:
            # a plain value: the script writes what the online run inserts
            return self.render_literal_value(default.arg, bindparam.type)
        if default is not None and default.is_callable:
            warnings.warn(
                f"column {default.column}: its {'onupdate' if default.for_update else 'default'}= is a function, "
                "which SQLAlchemy calls when the statement runs; the script has no run and writes NULL there "
                "(as Alembic's does)",
                LimbeckWarning, stacklevel=2,
            )
        try:
            # SQLAlchemy leaves render_literal_bindparam unannotated
            return str(super().render_literal_bindparam(bindparam, *args, **kw))  # type: ignore[no-untyped-call]
        except (CompileError, LiteralValueError) as err:
            column = getattr(bindparam, "_orig_key", None) or bindparam.key
            dialect = self.dialect.name
            reason = str(err.__cause__ or err).splitlines()[0]
            if type(err) is not LiteralValueError and err.__cause__ is not None:
                # SQLAlchemy's words, which Alembic's error is, then the cause they leave out
                reason = f"{str(err).splitlines()[0]} ({reason})"
            raise LiteralValueError(
                f"cannot render {bindparam.effective_value!r} for column '{column}' ({bindparam.type}) as a {dialect} literal: {reason}"
            ) from err


def literal_compiler(dialect: Any, prefix: str = "Literal", mixins: tuple[type, ...] = ()) -> type:
    """A statement compiler class for ``dialect`` rendering values as the database reads them."""
    base = dialect.statement_compiler
    facts = behaviour_class_of(dialect)
    return type(f"{prefix}{base.__name__}", (*mixins, _LiteralRendering, base), {"literal_facts": facts})


#: (SQLAlchemy compiler class, behaviour class) -> literal compiler class
_COMPILERS: dict[tuple[type, type], type] = {}


def compile_literal(element: Any, dialect: Any) -> str:
    """``element`` compiled for ``dialect`` with every bound value rendered as a literal."""
    from sqlalchemy.sql.ddl import BaseDDLElement

    if isinstance(element, BaseDDLElement):  # DDL has its own compiler and no row values
        return str(element.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    key = (dialect.statement_compiler, behaviour_class_of(dialect))
    compiler_cls = _COMPILERS.get(key)
    if compiler_cls is None:
        compiler_cls = _COMPILERS[key] = literal_compiler(dialect)
    return str(compiler_cls(dialect, element, compile_kwargs={"literal_binds": True}))
