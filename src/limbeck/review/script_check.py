"""The whole-script check: does the rendered script cut back into the stream?

A client (psql, mysql, sqlcmd, SQL*Plus) runs a script by cutting it into
statements: at the terminator outside literals and comments, and at batch
separator lines (``GO``, ``/``), which those tools recognise line by line
whatever surrounds them. If that cut does not give back exactly the
statements of the stream, the script would not run as reviewed: a separator
inside a literal, a terminator hidden in a trailing comment, a ``;;``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from limbeck.compiler.statement import Kind
from limbeck.review.stream import Record

#: how a piece of script ended
TERMINATOR, SEPARATOR, END = "terminator", "separator", "end"


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    boundary: str


@dataclass(frozen=True, slots=True)
class Dialect:
    """The rules a client uses to cut a script."""

    name: str
    terminator: str = ";"
    separator: str | None = None

    @property
    def backslash_escapes(self) -> bool:
        return self.name in ("mysql", "mariadb")

    @property
    def dollar_quotes(self) -> bool:
        return self.name == "postgresql"

    @property
    def brackets(self) -> bool:
        return self.name == "mssql"


class _Lexer:
    """Cuts text at the terminator outside literals, identifiers and comments."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.pieces: list[Piece] = []
        self.buf: list[str] = []
        #: what ends the literal or comment being read: a quote, "]", "*/", a $tag$, or "--" (end of line)
        self.quote: str | None = None

    def feed(self, text: str) -> None:
        i, n = 0, len(text)
        term = self.dialect.terminator
        while i < n:
            if self.quote is not None:
                i = self._in_quote(text, i)
                continue
            opener = self._opener(text, i)
            if opener is not None:
                self.quote, token = opener
                self.buf.append(token)
                i += len(token)
            elif term and text.startswith(term, i):
                self.cut(TERMINATOR)
                i += len(term)
            else:
                self.buf.append(text[i])
                i += 1

    def _opener(self, text: str, i: int) -> tuple[str, str] | None:
        """(what closes it, the opening token) when a literal or comment starts at ``i``."""
        ch = text[i]
        if text.startswith("--", i):
            return "--", "--"
        if text.startswith("/*", i):
            return "*/", "/*"
        if ch in "'\"":
            return ch, ch
        if ch == "[" and self.dialect.brackets:
            return "]", "["
        if ch == "$" and self.dialect.dollar_quotes:
            tag = _dollar_tag(text, i)
            if tag:
                return tag, tag
        return None

    def _in_quote(self, text: str, i: int) -> int:
        closer = self.quote
        assert closer is not None
        if closer == "--":  # a line comment ends before the newline
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            self.buf.append(text[i:end])
            if end < len(text):
                self.quote = None
            return end
        if closer in ("'", '"') and self.dialect.backslash_escapes and text[i] == "\\":
            self.buf.append(text[i : i + 2])
            return i + 2
        if text.startswith(closer, i):
            if closer in ("'", '"') and text.startswith(closer * 2, i):
                self.buf.append(closer * 2)  # a doubled quote stays inside the literal
                return i + 2
            self.buf.append(closer)
            self.quote = None
            return i + len(closer)
        self.buf.append(text[i])
        return i + 1

    def cut(self, boundary: str) -> None:
        self.pieces.append(Piece("".join(self.buf), boundary))
        self.buf = []
        if boundary == SEPARATOR:
            self.quote = None  # the client sends the batch, whatever was open


def _dollar_tag(text: str, i: int) -> str | None:
    end = text.find("$", i + 1)
    if end < 0:
        return None
    tag = text[i : end + 1]
    inner = tag[1:-1]
    if inner and not (inner.replace("_", "a").isalnum() and not inner[0].isdigit()):
        return None
    return tag


def _is_separator(line: str, separator: str | None) -> bool:
    if not separator:
        return False
    return line.strip().upper() == separator.strip().upper()


def cut_script(script: str, dialect: Dialect) -> list[Piece]:
    """The pieces a client would send, in order (empty ones included)."""
    lexer = _Lexer(dialect)
    for line in script.splitlines(keepends=True):
        if _is_separator(line, dialect.separator):
            lexer.cut(SEPARATOR)
        else:
            lexer.feed(line)
    lexer.cut(END)
    return lexer.pieces


def normalize(text: str, terminator: str = "") -> str:
    """A statement as compared: no leading comment lines, no outer blanks or terminator."""
    lines = text.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    out = "\n".join(lines).strip()
    if terminator and out.endswith(terminator):
        out = out[: -len(terminator)].rstrip()
    return out


def statements(pieces: Iterable[Piece]) -> list[str]:
    """Statement texts of ``pieces``; an empty piece between two terminators is kept (``;;``)."""
    out: list[str] = []
    previous = SEPARATOR
    for piece in pieces:
        text = normalize(piece.text)
        if text or (piece.boundary == TERMINATOR and previous == TERMINATOR):
            out.append(text)
        previous = piece.boundary
    return out


def expected_statements(records: Sequence[Record], dialect: Dialect) -> list[tuple[str, Record]]:
    """What the cut must give back: every rendered statement, and raw text cut on its own."""
    out: list[tuple[str, Record]] = []
    for record in records:
        if record.kind is Kind.COMMENT:
            continue
        if record.kind is Kind.TEXT:
            for chunk in record.chunks:
                out.extend((text, record) for text in statements(cut_script(chunk, dialect)))
            continue
        out.extend((normalize(text, dialect.terminator), record) for text in record.texts)
    return out


@dataclass(frozen=True, slots=True)
class ScriptCheck:
    """The outcome: ``problem`` is ``None`` when the script cuts back exactly."""

    expected: int
    found: int
    problem: str | None = None
    revision: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_script(script: str, records: Sequence[Record]) -> ScriptCheck:
    """Cut ``script`` as its client would and compare with the stream's statements."""
    if not records:
        return ScriptCheck(0, len(statements(cut_script(script, Dialect("default")))))
    first = records[0]
    dialect = Dialect(first.dialect, first.terminator, first.separator)
    expected = expected_statements(records, dialect)
    found = statements(cut_script(script, dialect))
    for index, (want, record) in enumerate(expected):
        got = found[index] if index < len(found) else None
        if got != want:
            where = f"statement {index + 1}"
            if record.revision:
                where += f" (revision {record.revision})"
            shown = "nothing" if got is None else ("an empty statement" if not got else repr(_short(got)))
            problem = f"cutting the script gives {shown} where the stream has {_short(want)!r} at {where}"
            return ScriptCheck(len(expected), len(found), problem, record.revision)
    if len(found) > len(expected):
        extra = found[len(expected)]
        problem = f"cutting the script gives an extra statement {_short(extra)!r} after the stream's last"
        return ScriptCheck(len(expected), len(found), problem)
    return ScriptCheck(len(expected), len(found))


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
