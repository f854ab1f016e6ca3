"""The whole-script check: does the rendered script cut back into the stream?

A client (psql, mysql, sqlite3, sqlcmd, SQL*Plus) runs a script by cutting
it into statements: at the terminator outside literals and comments, at
batch separator lines (``GO``), which sqlcmd recognises whatever surrounds
them, and for SQL*Plus line by line (:mod:`limbeck.dialects.sqlplus`). If
that cut does not give back exactly the statements of the stream, the script
would not run as reviewed: a separator inside a literal, a terminator hidden
in a trailing comment, a statement SQL*Plus would run twice, text that
escaped a comment. Every ``--sql``, ``sql`` and ``plan`` run checks itself
this way; the scan jumps from one quote, comment or terminator to the next,
so it costs a few per cent of the run.

Empty statements (``;;``) are not counted: psql, mysql, sqlite3 and sqlcmd
all accept them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from limbeck.compiler.statement import Kind
from limbeck.dialects import behaviour_class
from limbeck.dialects.base import DOLLAR_NAME, DOLLAR_TAG, ClientSyntax
from limbeck.dialects.sqlplus import SQLPREFIX_LINE, SUBSTITUTION, read_as_block
from limbeck.review.stream import Record

#: how a piece of script ended
TERMINATOR, SEPARATOR, END = "terminator", "separator", "end"


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    boundary: str


@dataclass(frozen=True)
class Dialect:
    """The rules a client uses to cut a script: the emitter's terminator and separator, the client's syntax."""

    name: str
    terminator: str = ";"
    separator: str | None = None
    syntax: ClientSyntax = field(default_factory=ClientSyntax)

    @classmethod
    def of(cls, name: str, terminator: str = ";", separator: str | None = None) -> Dialect:
        """The rules of limbeck dialect ``name`` (its behaviour's :class:`ClientSyntax`)."""
        return cls(name, terminator, separator, behaviour_class(name).client_syntax)

    @classmethod
    def for_record(cls, record: Record) -> Dialect:
        return cls.of(record.dialect, record.terminator, record.separator)


# -- terminator clients (psql, mysql, sqlite3, sqlcmd) -------------------------------------
def _token_pattern(dialect: Dialect) -> re.Pattern[str]:
    syntax = dialect.syntax
    parts = [r"--", r"/\*", r"'", r'"']
    if dialect.terminator:
        parts.append(re.escape(dialect.terminator))
    if syntax.dollar_quotes:
        parts += [DOLLAR_NAME, DOLLAR_TAG]  # a name that holds "$x$" first: no quote opens inside it
    if syntax.bracket_identifiers:
        parts.append(r"\[")
    if syntax.backtick_identifiers:
        parts.append(r"`")
    if syntax.hash_comments:
        parts.append(r"\#")
    return re.compile("|".join(parts))


#: a statement psql reads block by block (``routine_blocks``): it starts by creating a function or procedure
_ROUTINE = re.compile(
    r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b", re.I | re.S
)
_ROUTINE_WORD = re.compile(r"\b(?:FUNCTION|PROCEDURE)\b", re.I)
#: what hides a word from psql: comments, literals, quoted names, dollar-quoted strings, and
#: names holding a "$" (``begin$x`` is no BEGIN)
_HIDDEN = re.compile(rf"{DOLLAR_NAME}|--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|({DOLLAR_TAG}).*?\1", re.S)
_BLOCK_WORD = re.compile(r"[()]|\b(?:BEGIN|CASE|END)\b", re.I)


def _inside_block(body: str) -> bool:
    """Whether a routine's text so far is inside a ``BEGIN ... END`` block, as psql counts it.

    Outside parentheses, ``BEGIN`` opens a block, ``END`` closes one, and a
    ``CASE`` inside a block opens one too (it ends with ``END``). Checked
    with psql 15: ``BEGIN ATOMIC ... CASE ... END; ...; END`` is one statement,
    a parameter named ``begin`` opens nothing.
    """
    depth = parens = 0
    for m in _BLOCK_WORD.finditer(_HIDDEN.sub(" ", body)):
        word = m.group().upper()
        if word == "(":
            parens += 1
        elif word == ")":
            parens = max(0, parens - 1)
        elif parens:
            continue
        elif word == "BEGIN":
            depth += 1
        elif word == "CASE":
            depth += depth > 0
        elif depth:
            depth -= 1
    return depth > 0


_TRIGGER = re.compile(r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\b", re.I | re.S)
_ENDS_WITH_END = re.compile(r";\s*END\s*$", re.I)


def _close_quote(text: str, start: int, quote: str, escapes: bool) -> int:
    """Index just past the literal opened at ``start`` (``len(text)`` when unterminated)."""
    i = start + 1
    n = len(text)
    while True:
        j = text.find(quote, i)
        if escapes:
            slash = text.find("\\", i, j if j >= 0 else n)
            if slash >= 0:
                i = slash + 2
                continue
        if j < 0:
            return n
        if text.startswith(quote, j + 1) and quote != "]":  # a doubled quote stays inside
            i = j + 2
            continue
        if quote == "]" and text.startswith("]]", j):
            i = j + 2
            continue
        return j + 1


#: the mysql client's ``DELIMITER x`` command, alone on its line where a statement would start
_DELIMITER_LINE = re.compile(r"[ \t]*DELIMITER[ \t]+(\S+)[ \t]*(?:\r?\n|\Z)", re.IGNORECASE)


def _delimiter_at(text: str, pos: int) -> re.Match[str] | None:
    """A ``DELIMITER`` line after the blanks at ``pos`` (at the start of its line), else None."""
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    line = text.rfind("\n", 0, pos) + 1
    if text[line:pos].strip():
        return None
    return _DELIMITER_LINE.match(text, line)


def _cut_batch(text: str, dialect: Dialect, pattern: re.Pattern[str], pieces: list[Piece]) -> None:
    """Cut one batch (text between separator lines) at the terminator outside quotes and comments."""
    syntax = dialect.syntax
    term = dialect.terminator
    start = pos = 0
    n = len(text)
    # mysql: where a statement would start (nothing but blanks and comments since the last one), a
    # DELIMITER line changes the terminator; the client takes the line, the server never sees it
    fresh = syntax.delimiter_command
    while pos < n:
        if fresh:
            found = _delimiter_at(text, pos)
            if found is not None:
                term = found.group(1)
                pattern = _token_pattern(replace(dialect, terminator=term))
                start = pos = found.end()
                continue
        m = pattern.search(text, pos)
        if m is None:
            break
        token = m.group()
        at = m.start()
        fresh = fresh and token in ("--", "#", "/*") and not text[pos:at].strip()
        if token == term:
            body = text[start:at]
            if syntax.trigger_bodies and _TRIGGER.match(body) and not _ENDS_WITH_END.search(body):
                pos = m.end()  # inside a trigger body only "; END ;" ends the statement
                continue
            if syntax.routine_blocks and _ROUTINE.match(body) and _inside_block(body):
                pos = m.end()  # inside a routine's BEGIN ... END block
                continue
            pieces.append(Piece(body, TERMINATOR))
            start = pos = m.end()
            fresh = syntax.delimiter_command
        elif token == "--":
            if syntax.hash_comments and not (at + 2 >= n or text[at + 2].isspace()):
                pos = at + 2  # MySQL: "--x" is two minus signs
                fresh = False
                continue
            end = text.find("\n", at)
            pos = n if end < 0 else end
        elif token == "#":
            end = text.find("\n", at)
            pos = n if end < 0 else end
        elif token == "/*":
            end = text.find("*/", at + 2)
            pos = n if end < 0 else end + 2
        elif token in ("'", '"'):
            escapes = syntax.backslash_escapes or (
                token == "'" and syntax.dollar_quotes and at > 0 and text[at - 1] in "Ee"
                and not (at > 1 and (text[at - 2].isalnum() or text[at - 2] in "_$"))  # a name's last letter
            )
            pos = _close_quote(text, at, token, escapes)
        elif token == "[":
            pos = _close_quote(text, at, "]", False)
        elif token == "`":
            pos = _close_quote(text, at, "`", False)
        elif token[0] != "$":  # a name holding "$": nothing opens inside it
            pos = m.end()
        else:  # a dollar-quote tag
            end = text.find(token, m.end())
            pos = n if end < 0 else end + len(token)
    pieces.append(Piece(text[start:], END))


def _statement_pattern(dialect: Dialect) -> re.Pattern[str]:
    """One statement and what ends it (the terminator, group ``end``, or the end of the text).

    The same cut as :func:`_cut_batch`'s token walk, with each literal,
    comment and dollar-quoted string consumed whole by the regular expression
    engine instead of one Python step per token: :func:`_fast_cut` says when
    it applies (a one-character terminator, no backslash where one could
    escape, no trigger, not MySQL's comment rules).
    """
    syntax = dialect.syntax
    term = re.escape(dialect.terminator)
    starts = ["'", '"', "-", "/", dialect.terminator]
    tokens = [
        r"'[^']*(?:''[^']*)*(?:'|\Z)",
        r'"[^"]*(?:""[^"]*)*(?:"|\Z)',
        r"--[^\n]*",
        r"/\*(?s:.*?)(?:\*/|\Z)",
    ]
    if syntax.dollar_quotes:
        starts.append("$")
        tokens.append(rf"(?P<tag>{DOLLAR_TAG})(?s:.*?)(?:(?P=tag)|\Z)")
    if syntax.bracket_identifiers:
        starts.append("[")
        tokens.append(r"\[[^\]]*(?:\]\][^\]]*)*(?:\]|\Z)")
    if syntax.backtick_identifiers:
        starts.append("`")
        tokens.append(r"`[^`]*(?:``[^`]*)*(?:`|\Z)")
    special = "".join(re.escape(c) for c in dict.fromkeys(starts))
    single = "".join(re.escape(c) for c in dict.fromkeys(starts) if c not in "'\"" + dialect.terminator)
    # with dollar quotes, plain text up to a word's start, then words whole: a name (one holding "$x$"
    # too, as DOLLAR_NAME) is read before its "$" could open a quote; after a number one can
    plain = [f"[^{special}]*[^{special}\\w]", r"[^\W\d]\w*(?:\$[\w$]*)?", r"\w+"] if syntax.dollar_quotes else [f"[^{special}]+"]
    body = "|".join([*plain, *tokens, f"[{single}]"])
    return re.compile(f"(?P<body>(?:{body})*)(?:(?P<end>{term})|\\Z)")


def _fast_cut(text: str, dialect: Dialect) -> bool:
    """Whether :func:`_statement_pattern` cuts ``text`` exactly as :func:`_cut_batch` would."""
    syntax = dialect.syntax
    if len(dialect.terminator) != 1 or dialect.terminator in "'\"-/$[`#\\" or syntax.hash_comments:
        return False
    if (syntax.backslash_escapes or syntax.dollar_quotes) and "\\" in text:
        return False  # which literals a backslash escapes in depends on what stands before them
    return not (syntax.trigger_bodies and _TRIGGER_WORD.search(text)) and not (
        syntax.routine_blocks and _ROUTINE_WORD.search(text)
    )


_TRIGGER_WORD = re.compile("trigger", re.I)


def _cut_statements(text: str, pattern: re.Pattern[str], pieces: list[Piece]) -> None:
    """:func:`_cut_batch`'s pieces of ``text``, one regular expression match per statement."""
    match = pattern.match
    pos = 0
    while True:
        m = match(text, pos)
        assert m is not None  # every character is part of a body, a terminator or the end
        if m.group("end") is None:
            pieces.append(Piece(text[pos:], END))
            return
        pieces.append(Piece(text[pos : m.end("body")], TERMINATOR))
        pos = m.end()


def _separator_pattern(separator: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*{re.escape(separator.strip())}[ \t]*\r?$", re.I | re.M)


def _cut_terminated(script: str, dialect: Dialect) -> list[Piece]:
    pieces: list[Piece] = []
    if _fast_cut(script, dialect):
        fast = _statement_pattern(dialect)

        def cut(text: str) -> None:
            _cut_statements(text, fast, pieces)
    else:
        pattern = _token_pattern(dialect)

        def cut(text: str) -> None:
            _cut_batch(text, dialect, pattern, pieces)

    if not dialect.separator:
        cut(script)
        return pieces
    pos = 0
    for m in _separator_pattern(dialect.separator).finditer(script):
        cut(script[pos : m.start()])
        pieces[-1] = Piece(pieces[-1].text, SEPARATOR)
        pos = m.end()
    cut(script[pos:])
    return pieces


# -- SQL*Plus ------------------------------------------------------------------------------
#: first words of SQL*Plus's own commands (not sent to the database)
_SQLPLUS_COMMANDS = frozenset(
    "SET PROMPT PRO WHENEVER SPOOL SPO DEFINE DEF UNDEFINE COLUMN COL EXIT QUIT CONNECT CONN SHOW SHO "
    "ACCEPT ACC VARIABLE VAR PRINT PAUSE REMARK REM TIMING TTITLE BTITLE BREAK COMPUTE CLEAR CL "
    "DESCRIBE DESC HOST START @ @@".split()
)
#: ``SET`` followed by one of these is SQL, not a SQL*Plus command
_SQL_SETS = frozenset({"TRANSACTION", "ROLE", "CONSTRAINT", "CONSTRAINTS"})


def _sqlplus_command(line: str) -> str | None:
    """The command word when ``line`` (at the start of a statement) is a SQL*Plus command."""
    words = line.split(None, 2)
    if not words:
        return None
    first = words[0].upper()
    if first.startswith("@"):
        return "@"
    if first not in _SQLPLUS_COMMANDS:
        return None
    if first == "SET" and len(words) > 1 and words[1].upper() in _SQL_SETS:
        return None
    return first


class _SqlPlus:
    """SQL*Plus reading a script line by line; ``pieces`` are the statements it runs."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.buffer: str | None = None  # the SQL buffer ("/" runs it, again if it already ran)
        self.lines: list[str] | None = None  # the statement being entered
        self.plsql = False
        self.blank_lines = False  # SET SQLBLANKLINES
        self.define = True  # SET DEFINE: '&name' is substituted before the line is read

    def run(self, text: str) -> None:
        self.pieces.append(Piece(text, TERMINATOR))

    def end_statement(self, execute: bool, last: str | None = None) -> None:
        lines = self.lines or []
        if last is not None:
            lines.append(last)
        self.buffer = "\n".join(lines)
        self.lines = None
        if execute:
            self.run(self.buffer)

    def feed(self, lines: Sequence[str]) -> None:
        for index, line in enumerate(lines):
            if self.define and "&" in line:
                # what reaches the server has no '&name' (SQL*Plus asks for a value; none is modelled)
                line = SUBSTITUTION.sub("", line)
            stripped = line.strip()
            if SQLPREFIX_LINE.match(line):
                # SQLPREFIX: SQL*Plus runs the line as its own command, in or between statements
                self._command(stripped[1:].strip())
                continue
            if self.lines is None:  # between statements
                if not stripped or stripped.startswith("--") or stripped == ".":
                    continue
                if stripped == "/":
                    if self.buffer is not None:
                        self.run(self.buffer)
                    continue
                command = _sqlplus_command(stripped)
                if command is not None:
                    self._command(stripped)
                    continue
                self.lines = []
                self.plsql = read_as_block("\n".join(lines[index : index + 4]))
            if stripped == "/":
                self.end_statement(execute=True)
            elif stripped == ".":
                self.end_statement(execute=False)
            elif self.plsql:
                self.lines.append(line)
            elif not stripped and not self.blank_lines:
                self.end_statement(execute=False)
            elif stripped.endswith(";"):
                self.end_statement(execute=True, last=line.rstrip()[:-1])
            else:
                self.lines.append(line)

    def _command(self, line: str) -> None:
        words = line.upper().split()
        if words[:2] == ["SET", "SQLBLANKLINES"] or words[:2] == ["SET", "SQLBL"]:
            self.blank_lines = len(words) > 2 and words[2] == "ON"
        elif words[:2] in (["SET", "DEFINE"], ["SET", "DEF"]):
            self.define = len(words) > 2 and words[2] != "OFF"


def _cut_sqlplus(script: str) -> list[Piece]:
    reader = _SqlPlus()
    reader.feed(script.splitlines())
    return reader.pieces  # a statement nothing ended is never run


# -- the check -----------------------------------------------------------------------------
def cut_script(script: str, dialect: Dialect) -> list[Piece]:
    """The pieces a client would send, in order (empty ones included)."""
    if dialect.syntax.sqlplus:
        return _cut_sqlplus(script)
    return _cut_terminated(script, dialect)


def normalize(text: str, terminator: str = "") -> str:
    """A statement as compared: no leading comment lines, no outer blanks or terminators."""
    out = text.strip()
    if out.startswith("--"):
        lines = out.splitlines()
        while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
            lines.pop(0)
        out = "\n".join(lines).strip()
    while terminator and out.endswith(terminator):
        out = out[: -len(terminator)].rstrip()
    return out


def statements(pieces: Iterable[Piece]) -> list[str]:
    """Statement texts of ``pieces``: empty ones (``;;``, comments only) are left out."""
    out = []
    for piece in pieces:
        text = normalize(piece.text)
        if text:
            out.append(text)
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
    dialect = Dialect.for_record(records[0])
    expected: list[str] = []
    revisions: list[str | None] = []
    reading = behaviour_class(dialect.name).client_reads_differently
    unreadable: tuple[int, str] | None = None
    for record in records:
        start = len(expected)
        added = add_expected(expected, record.statement.kind, record.texts, record.chunks, dialect)
        if added:
            revisions += [record.revision] * added
            if unreadable is None and _written_as_text(record):  # what limbeck renders never holds these
                why = next(filter(None, map(reading, record.texts)), None)
                unreadable = None if why is None else (start, why)
    found = found_statements(script, dialect)
    if unreadable is not None:  # what follows cannot be checked: not "cuts back", whatever the cut gives
        index, why = unreadable
        where = f"statement {index + 1}" + (f" (revision {revisions[index]})" if revisions[index] else "")
        return ScriptCheck(len(expected), len(found), f"{_short(expected[index])!r} at {where}: {why}", revisions[index])
    return compare_statements(found, expected, revisions, dialect)


def _written_as_text(record: Record) -> bool:
    """A statement a revision wrote as SQL text (``op.execute("...")``, ``print()`` in raw mode)."""
    element = record.statement.element
    return record.kind is Kind.TEXT or isinstance(element, str) or isinstance(getattr(element, "text", None), str)


def compare_statements(found: list[str], expected: list[str], revisions: Sequence[str | None],
                       dialect: Dialect) -> ScriptCheck:
    """The check's outcome: the statements the cut ``found`` against those ``expected`` (each
    issued by the revision at the same index of ``revisions``)."""
    if expected == found:  # the usual answer, without a step per statement
        return ScriptCheck(len(found), len(found))
    index = 0
    while index < len(expected):
        want = expected[index]
        got = found[index] if index < len(found) else None
        if got == want:
            index += 1
            continue
        revision = revisions[index]
        cut_inside = got is not None and want.startswith(got) and want[len(got):].lstrip().startswith(";")
        several = _several_statements(want, dialect) if cut_inside else None
        if several is not None:  # expected from here on as the client runs it: one by one
            expected = [*expected[:index], *several, *expected[index + 1:]]
            revisions = [*revisions[:index], *[revision] * len(several), *revisions[index + 1:]]
            continue
        where = f"statement {index + 1}"
        if revision:
            where += f" (revision {revision})"
        shown = "nothing" if got is None else repr(_short(got))
        problem = f"cutting the script gives {shown} where the stream has {_short(want)!r} at {where}"
        if cut_inside:
            # the usual cause, said: one op.execute() text holding several statements (which this
            # database's own parser did not confirm), or a procedure body written without its
            # client's delimiter
            problem += (": the client ends a statement at a ';' inside that one (several statements in one "
                        "text, or a body that needs its client's own delimiter)")
        return ScriptCheck(len(expected), len(found), problem, revision)
    if len(found) > len(expected):
        extra = found[len(expected)]
        problem = f"cutting the script gives an extra statement {_short(extra)!r} after the stream's last"
        return ScriptCheck(len(expected), len(found), problem)
    return ScriptCheck(len(expected), len(found))


def _several_statements(text: str, dialect: Dialect) -> list[str] | None:
    """The statements the client cuts one stream statement into, where the database reads exactly
    those (:meth:`~limbeck.dialects.base.DialectBehaviour.reads_as`).

    Then running the pieces one by one, as the client does, is running the text: several
    statements written in one ``op.execute()`` text. A client that sends whole batches (sqlcmd)
    cuts nothing at a ``;``: the pieces are the check's own lining up, and the text reaches the
    server as written (a T-SQL trigger or procedure body). A body the client cuts apart (a procedure
    without its client's delimiter) is no statement to the database's grammar; where nothing answers
    for the grammar, None.
    """
    pieces = statements(cut_script(text, dialect))
    if len(pieces) < 2:
        return None
    if dialect.syntax.batches_only:  # the cut was the check's own, not the client's: nothing was cut apart
        return pieces
    return pieces if behaviour_class(dialect.name).reads_as(text, pieces) else None


def add_expected(out: list[str], kind: Kind, texts: Sequence[str], chunks: Sequence[str], dialect: Dialect) -> int:
    """Append the statements one stream statement must give back to ``out``; how many.

    Every rendered text in its normal form (:func:`normalize`), and raw text cut on its own; a
    text that is already stripped, starts with no comment and ends with no terminator is its
    own normal form, so most take no call.
    """
    if kind is Kind.COMMENT:
        return 0
    before = len(out)
    if kind is Kind.TEXT:
        for chunk in chunks:
            out += statements(cut_script(chunk, dialect))
        return len(out) - before
    term = dialect.terminator
    for text in texts:
        if not text or text[0].isspace() or text[-1].isspace() or text.startswith("--") or (term and text.endswith(term)):
            text = normalize(text, term)
            if not text:
                continue
        out.append(text)
    return len(out) - before


def found_statements(script: str, dialect: Dialect) -> list[str]:
    """``statements(cut_script(script, dialect))``, without a :class:`Piece` per statement where the
    regular expression cut applies (an empty body the cut adds at the end is left out as empty)."""
    if dialect.syntax.sqlplus or dialect.separator or not _fast_cut(script, dialect):
        return statements(cut_script(script, dialect))
    out = []
    for groups in _statement_pattern(dialect).findall(script):
        text = groups[0].strip()  # the body (a dollar quote's tag and the terminator follow)
        if text.startswith("--"):
            text = normalize(text)
        if text:
            out.append(text)
    return out


def check_records(records: Sequence[Record]) -> list[ScriptCheck]:
    """One whole-script check per migration context of a run (a multi-database env.py has several)."""
    contexts: dict[int, list[Record]] = {}
    for record in records:
        contexts.setdefault(record.context, []).append(record)
    return [check_script("".join(c for r in group for c in r.chunks), group) for group in contexts.values()]


def first_failure(checks: Iterable[ScriptCheck]) -> ScriptCheck | None:
    return next((check for check in checks if not check.ok), None)


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
