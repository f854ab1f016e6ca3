"""Recording the statement stream of an offline run.

A :class:`StreamRecorder` is attached to every migration context a command
creates (the ``stream_hooks`` option) and keeps each statement with the
texts the emitter rendered for it and the chunks those texts became in the
script. Everything the review tools know about a run comes from these
records.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from limbeck.compiler.statement import Kind, Statement, filled_through_slots
from limbeck.dialects import behaviour_class
from limbeck.review.describe import RevisionNames

if TYPE_CHECKING:
    from limbeck.runtime.emitter import Emitter
    from limbeck.runtime.migration import MigrationContext

#: ``Statement.info`` key of the comment block ``--keep-going`` puts where a revision could not be rendered
UNRENDERED = "unrendered"


@filled_through_slots
@dataclass(frozen=True, slots=True)
class Record:
    """One statement of the stream as an offline run rendered it."""

    statement: Statement
    #: the SQL texts, without terminators (empty for markers the dialect does not render)
    texts: tuple[str, ...]
    #: the texts as they landed in the script (terminator, blank line, separator)
    chunks: tuple[str, ...]
    #: limbeck's dialect name (``mariadb`` apart from ``mysql``)
    dialect: str
    transactional_ddl: bool
    #: whether a transaction was open when the statement ran: the framing's, or a COMMIT / BEGIN
    #: the revision wrote as SQL (see :class:`TransactionReading`)
    in_transaction: bool
    #: the emitter's terminator and batch separator (what the script is cut at)
    terminator: str = ";"
    separator: str | None = None
    #: which migration context of the run (a multi-database env.py configures several)
    context: int = 0
    #: line of the revision file that issued the statement, when the recorder locates them
    line: int | None = None

    @property
    def kind(self) -> Kind:
        return self.statement.kind

    @property
    def revision(self) -> str | None:
        return self.statement.revision

    @property
    def source(self) -> Any:
        return self.statement.source

    @property
    def info(self) -> Any:
        return self.statement.info

    @property
    def ends_transaction(self) -> bool:
        """The framing's COMMIT, or a COMMIT / ROLLBACK the revision wrote as SQL (``SET LOCAL`` ends here)."""
        if self.kind is Kind.COMMIT:
            return True
        if self.kind is Kind.BEGIN:
            return False
        controls = [transaction_control(text, self.dialect) for text in self.texts]
        return any(c is not None and not c.startswith(_OPENING) for c in controls)


class StreamRecorder:
    """Observer of every migration context of one command run.

    ``output``, when given, replaces the emitter's output: the review
    commands render in memory and decide themselves where the text goes.
    ``locate`` finds the revision-file line of each statement (lint).
    """

    def __init__(
        self, *, output: TextIO | None = None, locate: bool = False, replayable: bool = False
    ) -> None:
        self.output = output
        self.locate = locate
        #: the records may hold statements rendered by a worker process, without their
        #: SQLAlchemy construct (see limbeck.runtime.parallel)
        self.replayable = replayable and not locate
        self.records: list[Record] = []
        self.contexts: list[MigrationContext] = []
        #: called with each new record as it arrives (validation checks statements one by one)
        self.listeners: list[Callable[[Record], None]] = []
        self._names: dict[int, RevisionNames] = {}
        #: id(statement) -> (statement, line) between emission and observation; the
        #: statement is kept so its id is not reused while it waits
        self._lines: dict[int, tuple[Statement, int | None]] = {}

    def context_opts(self) -> dict[str, Any]:
        """What a command passes to its EnvironmentContext to be recorded."""
        return {"stream_hooks": [self.attach]}

    def attach(self, context: MigrationContext) -> None:
        """Subscribe to ``context``'s emitter; called when env.py configures it."""
        self.contexts.append(context)
        emitter = context.impl
        if self.output is not None:
            emitter.output_buffer = self.output
        emitter.observers.append(self._observer(context, emitter))
        if self.locate:
            emitter.emit_listeners.append(lambda stmt: self._note_line(context, stmt))

    def _observer(self, context: MigrationContext, emitter: Emitter) -> Callable[[Statement, list[str] | None], None]:
        dialect = context.behaviour.dialect_name
        index = len(self.contexts) - 1
        # fixed for the run: read once, not per statement
        transactional_ddl, terminator, separator = emitter.transactional_ddl, emitter.terminator, emitter.batch_separator
        reading = TransactionReading(dialect)

        def observe(stmt: Statement, texts: list[str] | None) -> None:
            if texts is None:  # online: nothing was rendered
                return
            line = self._lines.pop(id(stmt), (None, None))[1] if self.locate else None
            record = Record(
                stmt, tuple(texts), tuple(emitter.published_chunks), dialect, transactional_ddl,
                reading.open_at(stmt, texts, emitter.in_transaction), terminator, separator, index, line,
            )
            self.records.append(record)
            for listener in self.listeners:
                listener(record)

        observe.replayable = self.replayable  # type: ignore[attr-defined]
        return observe

    # -- what the records say -------------------------------------------------------------
    @property
    def script(self) -> str:
        """The script the run wrote: every chunk, in order (what the emitter flushed)."""
        return "".join(chunk for record in self.records for chunk in record.chunks)

    @property
    def dialect(self) -> str | None:
        if not self.contexts:
            return None
        return self.contexts[-1].behaviour.dialect_name

    def unrendered(self) -> list[Record]:
        return unrendered(self.records)

    # -- locating statements in revision files --------------------------------------------
    def _note_line(self, context: MigrationContext, stmt: Statement) -> None:
        self._lines[id(stmt)] = (stmt, self._line(context, stmt))

    def _line(self, context: MigrationContext, stmt: Statement) -> int | None:
        path = self._path(context, stmt.revision)
        if path is None:
            return None
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if _same_file(frame.f_code.co_filename, path):
                return frame.f_lineno
            frame = frame.f_back
        return None

    def _path(self, context: MigrationContext, revision: str | None) -> str | None:
        names = self._names.get(id(context))
        if names is None:
            names = self._names[id(context)] = RevisionNames(context.script)
        return names.path(revision)


class TransactionReading:
    """Whether a transaction is open at each statement of one context's script, as the database has it.

    The emitter knows only its own framing (BEGIN, COMMIT, ``autocommit_block``);
    a COMMIT or BEGIN a revision writes as SQL changes that behind its back
    until the framing's next BEGIN or COMMIT, after which the two agree again.
    """

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        #: the state a revision's own COMMIT / BEGIN left (``None``: the emitter's holds)
        self._written: bool | None = None

    def open_now(self, framed: bool) -> bool:
        """Whether a transaction is open after the statements read so far (``framed``: the emitter's state)."""
        return framed if self._written is None else self._written

    def open_at(self, stmt: Statement, texts: Sequence[str], framed: bool) -> bool:
        """Whether a transaction is open when ``stmt`` runs (``framed``: the emitter's state then)."""
        if stmt.kind is Kind.BEGIN or stmt.kind is Kind.COMMIT:
            self._written = None
            return framed
        state = self.open_now(framed)
        for text in texts:
            control = transaction_control(text, self.dialect)
            if control is not None:
                self._written = opens_transaction(control)
        return state


def light_statement(stmt: Statement) -> Statement:
    """``stmt`` without its construct and source (the texts are recorded beside it)."""
    info = {UNRENDERED: stmt.info[UNRENDERED]} if UNRENDERED in stmt.info else {}
    return Statement(stmt.kind, None, revision=stmt.revision, direction=stmt.direction, info=info)


def unrendered(records: list[Record]) -> list[Record]:
    """The comment blocks ``--keep-going`` left where a revision could not be rendered."""
    return [r for r in records if r.kind is Kind.COMMENT and UNRENDERED in r.info]


def _same_file(a: str, b: str) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


#: a whole statement that ends or opens a transaction, written as text (``op.execute("COMMIT")``),
#: after any comments, with the options the databases take (``AND CHAIN``, ``ISOLATION LEVEL ...``)
_TRANSACTION_CONTROL = re.compile(
    r"""(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*
    (?P<verb>COMMIT|ROLLBACK|END|ABORT|BEGIN|START\s+TRANSACTION)(?:\s+(?:WORK|TRANSACTION|TRAN))?
    (?P<options>(?:\s*,?\s*(?:AND\s+(?:NO\s+)?CHAIN|(?:NO\s+)?RELEASE|(?:NOT\s+)?DEFERRABLE|READ\s+(?:WRITE|ONLY)
        |ISOLATION\s+LEVEL\s+(?:SERIALIZABLE|REPEATABLE\s+READ|READ\s+COMMITTED|READ\s+UNCOMMITTED)
        |WITH\s+CONSISTENT\s+SNAPSHOT))*)
    \s*;?\s*$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


#: how a statement that opens a transaction starts (the others end one)
_OPENING = ("BEGIN", "START")
#: the words that end a transaction on some databases only (``DialectBehaviour.transaction_end_words``)
_END_WORDS = frozenset({"END", "ABORT"})


#: a word a transaction statement starts with, anywhere in a text (what is worth cutting it for)
_CONTROL_WORD = re.compile(r"\b(?:COMMIT|ROLLBACK|END|ABORT|BEGIN|START)\b", re.IGNORECASE)


def transaction_control(text: str | None, dialect: str | None = None) -> str | None:
    """``COMMIT`` / ``BEGIN`` ... when ``text`` is one, or holds one, written by a revision as plain SQL.

    limbeck's own framing is made of statements of its own kinds; one of these
    in a revision's text ends (or opens) a transaction behind the tools' back:
    a guard must follow it, a validation that rolls its one transaction
    back cannot run past it, and lint reads what follows it as outside a
    transaction (``CONCURRENTLY``). With ``dialect``, a text of several
    statements (``"UPDATE ...; COMMIT"``) is cut as the client cuts it
    (:mod:`limbeck.review.script_check`) and the last such statement in it
    is the answer: the client runs each, and the database its COMMIT.
    """
    match = _TRANSACTION_CONTROL.match(text) if text else None
    if match is not None:
        return " ".join(f"{match.group('verb')} {match.group('options')}".upper().replace(",", " ").split())
    if not text or dialect is None or ";" not in text or _CONTROL_WORD.search(text) is None:
        return None
    # the script check's cut reads Records of this module: imported when a text is worth cutting
    from limbeck.review.script_check import Dialect, cut_script, statements

    pieces = statements(cut_script(text, Dialect.of(dialect)))
    found = [transaction_control(piece) for piece in pieces] if len(pieces) > 1 else []
    # a piece "END" is a block's end but where the database reads it as COMMIT
    words = behaviour_class(dialect).transaction_end_words
    counted = [c for c in found if c is not None and (c.split()[0] in words or c.split()[0] not in _END_WORDS)]
    return counted[-1] if counted else None


def opens_transaction(control: str) -> bool:
    """Whether a transaction is open after ``control`` (``BEGIN``, ``COMMIT AND CHAIN``...) ran."""
    return control.startswith(_OPENING) or control.endswith(" AND CHAIN")
