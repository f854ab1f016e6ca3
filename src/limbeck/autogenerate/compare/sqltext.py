"""SQL text as autogenerate compares it: normalised.

Two spellings of one expression should compare equal when only the
writing differs: letter case outside string literals, identifier quoting
(``"name"``, `` `name` ``), spacing, and parentheses around the
whole. Nothing else is rewritten: whatever a database changes beyond that
(casts, ``IN`` lists turned into ``= ANY (ARRAY[...])``) is put in the
database's own words before comparing (see :mod:`.forms`).
"""

from __future__ import annotations

import re

from limbeck.operations.written_ddl import closing, literal_end

#: ``[name]`` is left alone: it is also PostgreSQL's array syntax
_IDENT_QUOTES = {'"': '"', "`": "`"}
_ASC = re.compile(r"\s+asc$")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_$."


def normalize_sql(text: str) -> str:
    """The comparable form of a SQL expression (see the module docstring)."""
    out: list[str] = []
    pending_space = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            end = literal_end(text, i)
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
        if not piece:
            continue
        if pending_space and out and _is_word(out[-1][-1]) and _is_word(piece[0]):
            out.append(" ")
        pending_space = False
        out.append(piece)
    return strip_parentheses("".join(out))


def strip_parentheses(text: str) -> str:
    """``text`` without parentheses around the whole of it."""
    while text.startswith("(") and text.endswith(")") and closing(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def normalize_element(text: str) -> str:
    """An index element's comparable form (``ASC``, the default order, left out)."""
    return _ASC.sub("", normalize_sql(text))


__all__ = ["normalize_element", "normalize_sql", "strip_parentheses"]
