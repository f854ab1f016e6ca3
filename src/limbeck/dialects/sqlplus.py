"""SQL*Plus's reading of a script, which is what an Oracle offline script is written for.

SQL*Plus reads line by line. A PL/SQL block (``DECLARE``, ``BEGIN``,
``CREATE [OR REPLACE] PROCEDURE|FUNCTION|PACKAGE|TRIGGER|TYPE ...``) runs
at a ``/`` line; its ``;`` and blank lines are part of it. So does a query
whose ``WITH`` clause declares PL/SQL (``WITH FUNCTION``/``PROCEDURE``,
Oracle 12c): SQL*Plus does not end it at a ``;``. A line starting with
``#`` (the ``SQLPREFIX``) is a SQL*Plus command wherever it stands, even
inside a statement: SQL*Plus runs it and never sends it. Plain SQL ends
at a ``;`` at the end of a line (and runs), at a blank line (kept in the
buffer, not run) or at a ``/`` line (runs the buffer). So a statement text
ending in ``;`` followed by the ``/`` separator runs twice, and a blank line
inside a statement cuts it in two (unless ``SET SQLBLANKLINES ON``).
https://docs.oracle.com/en/database/oracle/oracle-database/23/sqpug/

The emitter renders each Oracle statement through :func:`script_text` (and
:func:`needs_blank_lines` for the rare statement whose blank lines are data),
and the script check cuts the script with the same rules.
"""

from __future__ import annotations

import re

#: what SQL*Plus treats as the start of a PL/SQL block (after comments)
_PLSQL = re.compile(
    r"(?:\s|--[^\n]*\n|/\*.*?\*/)*"
    r"(?:DECLARE|BEGIN|CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:NON)?EDITIONABLE\s+)?"
    r"(?:FUNCTION|PROCEDURE|PACKAGE|TRIGGER|TYPE|LIBRARY|JAVA))\b",
    re.I | re.S,
)
#: a query with PL/SQL declarations in its WITH clause, which SQL*Plus reads as a block too
#: (https://oracle-base.com/articles/12c/with-clause-enhancements-12cr1: "SQL*Plus waits for more text")
_WITH_PLSQL = re.compile(
    r"(?:\s|--[^\n]*\n|/\*.*?\*/)*WITH(?:\s|--[^\n]*\n|/\*.*?\*/)+(?:FUNCTION|PROCEDURE)\b", re.I | re.S
)
#: a line SQL*Plus runs as its own command (``SET SQLPREFIX``, default ``#``), even in a statement;
#: leading blanks as for a ``/`` line (SQL*Plus 10 and later read an indented ``/`` as the command)
SQLPREFIX_LINE = re.compile(r"^[ \t]*#", re.M)
#: string literals and quoted identifiers, where a blank line is data
_QUOTED = re.compile(
    r"[nN]?[qQ]'(?:\[.*?\]|\{.*?\}|\(.*?\)|<.*?>|(?P<d>[^\s\[{(<]).*?(?P=d))'"
    r"|'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|/\*.*?\*/",
    re.S,
)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*(?=\n)")

#: the SQL*Plus command that makes blank lines part of a statement
SQLBLANKLINES_ON = "SET SQLBLANKLINES ON"
#: the SQL*Plus command that makes ``&`` text: with DEFINE on (the default) ``&name`` is a
#: substitution variable, which SQL*Plus replaces (asking for its value) before sending the line
DEFINE_OFF = "SET DEFINE OFF"
#: a substitution variable as SQL*Plus reads one where DEFINE is on (``&name``, ``&&name``, ``&1``, an ending ``.``)
SUBSTITUTION = re.compile(r"&&?\w+\.?")


def is_plsql(text: str) -> bool:
    """Whether ``text`` is a PL/SQL block: written as it is, its ``END;`` being part of it."""
    return _PLSQL.match(text) is not None


def read_as_block(text: str) -> bool:
    """Whether SQL*Plus reads ``text`` as a block: a ``;`` at a line's end does not end it, only a ``/`` line.

    PL/SQL, and a query whose ``WITH`` clause declares functions or
    procedures (their bodies hold ``;``). The latter is written as plain SQL
    is (:func:`script_text`): without a trailing ``;`` or blank lines,
    which SQL*Plus then has no chance to read either way.
    """
    return is_plsql(text) or _WITH_PLSQL.match(text) is not None


def _literal_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text) if not m.group().startswith(("--", "/*"))]


def script_text(text: str) -> str:
    """``text`` as SQL*Plus must receive it before the ``/`` that runs it.

    PL/SQL is kept as written (its ``END;`` is part of it). Plain SQL loses
    a trailing ``;`` (with it, the ``/`` would run the statement a second
    time) and its blank lines outside literals (each would end the statement
    early); a blank line inside a literal is data and stays (see
    :func:`needs_blank_lines`).
    """
    if is_plsql(text):
        return text
    stripped = text.rstrip()
    while stripped.endswith(";"):
        stripped = stripped[:-1].rstrip()
    if "\n" not in stripped or _BLANK_LINE.search(stripped) is None:
        return stripped
    spans = _literal_spans(stripped)
    out: list[str] = []
    pos = 0
    for m in _BLANK_LINE.finditer(stripped):
        if any(start < m.start() < end for start, end in spans):
            continue
        out.append(stripped[pos : m.start()])
        pos = m.end()
    out.append(stripped[pos:])
    return "".join(out)


def needs_blank_lines(text: str) -> bool:
    """Whether ``text`` (already :func:`script_text`) keeps a blank line SQL*Plus must not end it at."""
    return "\n" in text and not is_plsql(text) and _BLANK_LINE.search(text) is not None


def settings_for(text: str) -> list[str]:
    """The SQL*Plus ``SET`` commands ``text`` (already :func:`script_text`) needs before it.

    ``SET SQLBLANKLINES ON`` for a blank line that is data; ``SET DEFINE OFF``
    where an ``&`` would be read as a substitution variable (``'R&D'`` would be
    sent as ``'R'`` and the value SQL*Plus asks for, or the script's next line).
    """
    settings = [SQLBLANKLINES_ON] if needs_blank_lines(text) else []
    if SUBSTITUTION.search(text):
        settings.append(DEFINE_OFF)
    return settings
