"""Split an offline script into the statements a database client would send.

An offline script is only trustworthy if a client can cut it at the right
places: at a statement terminator (``;``) or a batch separator line (``GO``,
``/``), but never inside a string literal, a quoted identifier, a comment or
a PostgreSQL dollar-quoted body, where hostile values put ``;`` and blank
lines of their own. This splitter follows those quoting rules per dialect
(MySQL and MariaDB read backslash escapes inside strings; PostgreSQL only in
``E'...'``), so the tests can check that it cuts the script into exactly the
statements the emitter produced, and then run them one by one.
"""

from __future__ import annotations

import re

#: dialect -> (terminator, batch separator line or None)
FRAMING: dict[str, tuple[str, str | None]] = {
    "sqlite": (";", None),
    "postgresql": (";", None),
    "mysql": (";", None),
    "mariadb": (";", None),
    "mssql": (";", "GO"),
    "oracle": ("", "/"),
}

_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$")


class SplitError(ValueError):
    """The script ends inside a string, identifier, comment or dollar quote."""


def _closing_quote(text: str, start: int, quote: str, backslashes: bool) -> int:
    """Index just past the quote that closes the one at ``start``."""
    i = start + 1
    n = len(text)
    while i < n:
        ch = text[i]
        if backslashes and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if i + 1 < n and text[i + 1] == quote:  # doubled: an escaped quote
                i += 2
                continue
            return i + 1
        i += 1
    raise SplitError(f"unterminated {quote} quote starting at offset {start}")


def _skip(text: str, i: int, dialect: str) -> int | None:
    """If a quoted or commented span starts at ``i``, the index past it."""
    ch = text[i]
    mysql = dialect in ("mysql", "mariadb")
    if ch == "'":
        escaped = mysql or (dialect == "postgresql" and i > 0 and text[i - 1] in "eE" and not _word_char(text, i - 2))
        return _closing_quote(text, i, "'", escaped)
    if ch == '"':
        return _closing_quote(text, i, '"', mysql)
    if ch == "`" and mysql:
        return _closing_quote(text, i, "`", False)
    if ch == "[" and dialect in ("mssql", "sqlite"):
        end = text.find("]", i + 1)
        while end != -1 and text.startswith("]]", end):
            end = text.find("]", end + 2)
        if end == -1:
            raise SplitError(f"unterminated [ identifier at offset {i}")
        return end + 1
    if text.startswith("--", i) or (mysql and ch == "#"):
        end = text.find("\n", i)
        return len(text) if end == -1 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        if end == -1:
            raise SplitError(f"unterminated /* comment at offset {i}")
        return end + 2
    if ch == "$" and dialect == "postgresql" and not _word_char(text, i - 1):
        match = _DOLLAR.match(text, i)
        if match:
            end = text.find(match.group(0), match.end())
            if end == -1:
                raise SplitError(f"unterminated dollar quote at offset {i}")
            return end + len(match.group(0))
    return None


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def _separator_at(text: str, i: int, separator: str | None) -> int | None:
    """If a batch separator line starts at ``i`` (a line start), the index past it."""
    if separator is None or (i > 0 and text[i - 1] != "\n"):
        return None
    end = text.find("\n", i)
    end = len(text) if end == -1 else end
    return end if text[i:end].strip() == separator else None


def _meaningful(piece: str, dialect: str) -> str | None:
    """``piece`` without surrounding blanks, or None if it is only comments and space."""
    i, n = 0, len(piece)
    while i < n:
        if piece[i].isspace():
            i += 1
            continue
        skipped = _skip(piece, i, dialect) if piece.startswith(("--", "/*"), i) else None
        if skipped is None:
            return _strip_leading_comments(piece, dialect)
        i = skipped
    return None


def _strip_leading_comments(piece: str, dialect: str) -> str:
    while True:
        piece = piece.strip()
        if dialect == "oracle" and piece.upper().startswith("SET SQLBLANKLINES ON\n"):
            piece = piece.split("\n", 1)[1]  # a SQL*Plus command line, not a statement
            continue
        if piece.startswith(("--", "/*")):
            end = _skip(piece, 0, dialect)
            assert end is not None
            piece = piece[end:]
            continue
        return piece


def split_script(text: str, dialect: str) -> list[str]:
    """The statements of ``text``, without terminators, comments or blank pieces."""
    terminator, separator = FRAMING[dialect]
    statements: list[str] = []
    start = i = 0
    n = len(text)

    def cut(end: int) -> None:
        statement = _meaningful(text[start:end], dialect)
        if statement is not None:
            statements.append(statement)

    while i < n:
        past_separator = _separator_at(text, i, separator)
        if past_separator is not None:
            cut(i)
            start = i = past_separator
            continue
        skipped = _skip(text, i, dialect)
        if skipped is not None:
            i = skipped
            continue
        if terminator and text.startswith(terminator, i):
            cut(i)
            start = i = i + len(terminator)
            continue
        i += 1
    cut(n)
    return statements
