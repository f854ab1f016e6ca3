"""SQL text as autogenerate compares it: normalised, and ``CREATE INDEX`` taken apart.

Two spellings of one expression should compare equal when only the
writing differs: letter case outside string literals, identifier quoting
(``"name"``, `` `name` ``, ``[name]``), spacing, and parentheses around the
whole. Nothing else is rewritten: whatever a database changes beyond that
(casts, ``IN`` lists turned into ``= ANY (ARRAY[...])``) is put in the
database's own words before comparing (see :mod:`.forms`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_IDENT_QUOTES = {'"': '"', "`": "`", "[": "]"}
_CREATE_INDEX = re.compile(
    r"^\s*CREATE\s+(?P<unique>UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?.+?\s+ON\s+[^(]+?\s*\(",
    re.IGNORECASE | re.DOTALL,
)
_WHERE = re.compile(r"^\s*WHERE\s+(?P<where>.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL)
_ASC = re.compile(r"\s+asc$")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_$."


def _literal_end(text: str, start: int) -> int:
    """The index just past the string literal opening at ``start`` (``''`` is a quote inside)."""
    i = start + 1
    while i < len(text):
        if text[i] == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return len(text)


def normalize_sql(text: str) -> str:
    """The comparable form of a SQL expression (see the module docstring)."""
    out: list[str] = []
    pending_space = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            end = _literal_end(text, i)
            piece = text[i:end]
            i = end
        elif ch in _IDENT_QUOTES:
            close = text.find(_IDENT_QUOTES[ch], i + 1)
            end = len(text) if close < 0 else close
            piece = text[i + 1:end].lower()
            i = end + 1
        elif ch.isspace():
            pending_space = True
            i += 1
            continue
        else:
            piece = ch.lower()
            i += 1
        if pending_space and out and _is_word(out[-1][-1]) and _is_word(piece[0]):
            out.append(" ")
        pending_space = False
        out.append(piece)
    return strip_parentheses("".join(out))


def strip_parentheses(text: str) -> str:
    """``text`` without parentheses around the whole of it."""
    while text.startswith("(") and text.endswith(")") and _closing(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _structure(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) for the characters outside string literals."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "'":
            i = _literal_end(text, i)
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        yield i, ch, depth
        i += 1


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one at ``start`` (-1 if none)."""
    for i, ch, depth in _structure(text, start):
        if ch == ")" and depth == 0:
            return i
    return -1


def split_top_level(text: str) -> list[str]:
    """``text`` cut at the commas outside parentheses and string literals."""
    cuts = [i for i, ch, depth in _structure(text) if ch == "," and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(text)])
    return [part for a, b in bounds if (part := text[a + 1:b].strip())]


@dataclass(frozen=True)
class IndexSQL:
    """A ``CREATE INDEX`` statement taken apart, its pieces as written."""

    unique: bool
    elements: tuple[str, ...]
    where: str | None


def parse_create_index(sql: str) -> IndexSQL | None:
    """The pieces of ``CREATE [UNIQUE] INDEX name ON table (elements) [WHERE condition]``."""
    match = _CREATE_INDEX.match(sql)
    if match is None:
        return None
    open_at = match.end() - 1
    close_at = _closing(sql, open_at)
    if close_at < 0:
        return None
    rest = sql[close_at + 1:]
    where = _WHERE.match(rest)
    if rest.strip().rstrip(";").strip() and where is None:
        return None
    return IndexSQL(
        unique=bool(match.group("unique")),
        elements=tuple(split_top_level(sql[open_at + 1:close_at])),
        where=where.group("where") if where else None,
    )


def normalize_element(text: str) -> str:
    """An index element's comparable form (``ASC``, the default order, left out)."""
    return _ASC.sub("", normalize_sql(text))


__all__ = ["IndexSQL", "normalize_element", "normalize_sql", "parse_create_index", "split_top_level", "strip_parentheses"]
