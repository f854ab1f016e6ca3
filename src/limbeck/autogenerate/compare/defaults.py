"""Is a column's server default in the database the one its model says?

The model's default is compiled the way ``CREATE TABLE`` would write it;
the database reports its own text. Both are normalised before comparing:
outer parentheses and PostgreSQL casts (``'x'::character varying``) go,
case and spacing do not count outside string literals, niladic functions
lose their parentheses (MariaDB's ``current_timestamp()`` is
``CURRENT_TIMESTAMP``), and on a numeric or boolean column quoted numbers
compare as numbers (``'0'`` = ``0.00``). A string literal is the value
itself: ``'abc'`` and ``'ABC'``, ``'007'`` and ``'7'``, ``'a b'`` and
``'a  b'`` are different defaults (as in Alembic); on a string column a
default given bare (``text("5")``) is the literal the database reports
(``'5'``). A serial column's ``nextval(...)`` default never gets here (the
reflection forgets it, see ``tables._forget_serial_defaults``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.engine import Dialect

_CAST = re.compile(r"::\s*[a-z_][a-z0-9_ ]*(\(\d+(,\s*\d+)?\))?(\[\])?", re.IGNORECASE)
_NILADIC = re.compile(r"\b(current_timestamp|current_date|current_time|localtimestamp|localtime|now)\s*\(\s*\)",
                      re.IGNORECASE)
_SYNONYMS = {"now": "current_timestamp", "true": "1", "false": "0", "'t'": "1", "'f'": "0"}


def meta_default_text(dialect: Dialect, column: Column[Any]) -> str | None:
    """The model's server default as ``CREATE TABLE`` would write it, or ``None``."""
    if column.server_default is None:
        return None
    # SQLAlchemy types the statement as required; None (no statement) is how a bare DDL compiler is made
    compiler = dialect.ddl_compiler(dialect, None)  # type: ignore[arg-type]
    try:
        text = compiler.get_column_default_string(column)
    except Exception:  # noqa: BLE001 - an expression the dialect cannot render: compare as unknown
        return None
    return None if text is None else str(text)


def conn_default_text(column: Column[Any]) -> str | None:
    default = column.server_default
    if default is None:
        return None
    arg = getattr(default, "arg", None)
    return str(getattr(arg, "text", arg)) if arg is not None else None


def normalize(text: str, numbers: bool = True, affinity: str = "numeric") -> str:
    """The comparable form of a default's SQL text.

    ``numbers=False`` keeps a number as written, unquoted. ``affinity`` is
    the column's kind: ``numeric`` (numbers, booleans: a quoted number is
    that number), ``string`` (a lone literal is its text, exactly), or
    ``other`` (literals compared exactly, quotes kept).
    """
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    text = _outside_literals(text, lambda part: _CAST.sub("", part)).strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    text = _outside_literals(text, _fold).strip()
    literal = _LITERAL.fullmatch(text) is not None
    if affinity == "string":
        return text[1:-1] if literal else text
    if affinity != "numeric" and literal:
        return text
    text = _SYNONYMS.get(text, text)
    number = _number(text)
    if number is not None and not numbers:
        return text[1:-1] if text[0] == text[-1] == "'" else text
    return number if number is not None else text


#: a SQL string literal ('' is a quote inside it)
_LITERAL = re.compile(r"'(?:[^']|'')*'")


def _fold(part: str) -> str:
    """Case, spacing and niladic parentheses of SQL outside string literals."""
    return " ".join(_NILADIC.sub(lambda m: m.group(1), part).split()).lower()


def _outside_literals(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to what lies between its string literals (kept as they are)."""
    out, end = [], 0
    for match in _LITERAL.finditer(text):
        out += [change(text[end : match.start()]), match.group(0)]
        end = match.end()
    out.append(change(text[end:]))
    return "".join(out)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _number(text: str) -> str | None:
    bare = text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "'" else text
    try:
        return str(Decimal(bare).normalize())
    except InvalidOperation:
        return None


def defaults_differ(
    dialect: Dialect, conn_col: Column[Any], meta_col: Column[Any], conn_text: str | None, meta_text: str | None,
    numbers_as_written: bool = False,
) -> bool:
    if conn_text is None or meta_text is None:
        return (conn_text is None) != (meta_text is None)
    numbers = not numbers_as_written
    affinity = _affinity(meta_col)
    return normalize(conn_text, numbers, affinity) != normalize(meta_text, numbers, affinity)


def _affinity(column: Column[Any]) -> str:
    """How the column's literals compare: as numbers, as text, or as written."""
    from sqlalchemy import types

    kind = getattr(column.type, "_type_affinity", None)
    if isinstance(kind, type) and issubclass(kind, (types.Integer, types.Numeric, types.Float, types.Boolean)):
        return "numeric"
    if isinstance(kind, type) and issubclass(kind, types.String):
        return "string"
    return "other"


__all__ = ["conn_default_text", "defaults_differ", "meta_default_text", "normalize"]
