"""The emitter: the one place that knows whether limbeck is online or offline.

Everything a migration does reaches the database or the script through
:meth:`Emitter.emit`. Online, a statement is executed on the connection and
BEGIN/COMMIT markers become real transactions. Offline, the same statement is
rendered to text with the dialect's terminator and batch separator and kept
in a buffer that is written out only when the run succeeds, so a failing
``--sql`` run never leaves half a script behind.

Observers (validation, per-revision files, lint, snapshots) subscribe to the
same stream; they receive each statement and, offline, the exact texts the
emitter rendered for it. Nothing else renders SQL.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Iterator, TextIO

from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import TextClause

from limbeck.compiler.data import ONE_ROW, unknown_keys
from limbeck.compiler.statement import Kind, Statement, explain_failure
from limbeck.dialects.sqlplus import script_text, settings_for
from limbeck.errors import CommandError, also_as
from limbeck.runtime.literal_templates import LiteralTemplates
from limbeck.runtime.literals import literal_row
from limbeck.runtime.transactions import ConnectionTransactions

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from limbeck.dialects.base import DialectBehaviour
    from limbeck.runtime.ddl_templates import DDLTemplates

#: an observer gets each statement and, offline, the SQL texts rendered for it
Observer = Callable[[Statement, "list[str] | None"], None]


#: outside quotes, the characters untab stops at: a layout tab or an opening quote
_OUTSIDE = re.compile("[\t'\"`\\[]")
_CLOSING = {"'": "'", '"': '"', "`": "`", "[": "]"}


def untab(text: str, *, backslash_escapes: bool = False) -> str:
    """SQLAlchemy's layout tabs as four spaces, leaving tabs inside quotes alone.

    A tab in a string literal or a quoted identifier is data: replacing it
    would make the script store something else than the online run does.
    Backslash escapes count in MySQL strings and PostgreSQL ``E'...'``.
    The scan jumps from one tab or quote to the next (``re`` and
    ``str.find`` at C speed) instead of looking at every character.
    """
    if "\t" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    search = _OUTSIDE.search
    while i < n:
        m = search(text, i)
        if m is None:
            out.append(text[i:])
            break
        j = m.start()
        out.append(text[i:j])
        ch = text[j]
        if ch == "\t":
            out.append("    ")
            i = j + 1
            continue
        close = _CLOSING[ch]
        escapes = ch == "'" and (backslash_escapes or text[j - 1 : j] in ("E", "e"))
        k = j + 1
        while True:
            end = text.find(close, k)
            if end < 0:
                end = n  # unterminated: the rest is inside the quote
                break
            if not escapes:
                break
            slash = text.find("\\", k, end)
            if slash < 0:
                break
            k = slash + 2  # the escaped character cannot close the quote
        out.append(text[j : end + 1])
        i = end + 1
    return "".join(out)


def comment_lines(text: str) -> str:
    """``text`` as SQL comment lines: every line starts with ``-- ``, whatever it holds.

    A comment is the one place the emitter writes text that is not a
    statement (revision ids, reasons, messages). Anything after a line break
    (``\\n``, ``\\r``, form feed, U+2028, ...) would otherwise be an executable
    line of the script that no review tool sees in the stream, so each line
    not already a comment gets the marker (``-- `` with its space: MySQL
    needs whitespace after ``--``).
    """
    lines = text.splitlines()
    if len(lines) == 1 and (text.startswith("-- ") or text == "--"):
        return text  # the common case: one comment line, nothing to do
    return "\n".join(line if line.startswith("-- ") or line == "--" else f"-- {line}" for line in lines or [""])


class Emitter:
    """Executes (online) or renders (offline) the statement stream."""

    def __init__(
        self,
        behaviour: "DialectBehaviour",
        *,
        connection: "Connection | None" = None,
        as_sql: bool = False,
        output_buffer: TextIO | None = None,
        literal_binds: bool = False,
        output_encoding: str | None = None,
    ) -> None:
        self.behaviour = behaviour
        self.dialect = behaviour.dialect
        self.connection = connection
        self.as_sql = as_sql
        self.output_buffer = output_buffer
        # the standard output of the moment the context is made, as Alembic's: a revision's
        # print() swaps sys.stdout for a writer into the stream (runtime.offline), which text
        # written while the revision runs must not go through
        self._stdout = sys.stdout
        self.literal_binds = literal_binds
        self.output_encoding = output_encoding
        self.observers: list[Observer] = []
        #: called the moment a statement is emitted, before :meth:`staged` may hold it
        #: back (lint finds the revision-file line on the call stack then)
        self.emit_listeners: list[Callable[[Statement], None]] = []
        self._pending: list[str] = []
        self._literal_templates: LiteralTemplates | None = None
        self._ddl_templates: DDLTemplates | None = None
        #: statements held by :meth:`staged` (with the transaction state they were emitted in)
        self._staged: list[tuple[Statement, list[str], bool]] | None = None
        #: while a run is in progress offline text is held back (see :meth:`hold`)
        self._holding = False
        #: online: whose transaction the connection is in, asked at each marker
        self.transactions: ConnectionTransactions | None = None
        if connection is not None and not as_sql:
            self.transactions = ConnectionTransactions(connection, behaviour)
        #: True between a rendered/executed BEGIN and its COMMIT
        self.in_transaction = False
        #: offline, while observers see a statement: the chunks its texts become in the script
        self.published_chunks: list[str] = []
        #: the migration context's ``execute`` (set by it): where :meth:`execute` sends a statement
        self.context_execute: Callable[..., Any] | None = None

    # -- the facts callers ask about -------------------------------------------------
    @property
    def transactional_ddl(self) -> bool:
        return self.behaviour.transactional_ddl

    @property
    def in_caller_transaction(self) -> bool:
        """Online: the connection is still in a transaction env.py opened before ``configure()``."""
        return self.transactions is not None and self.transactions.in_caller_transaction

    @property
    def split(self) -> bool:
        """Online: the transaction of the last BEGIN ended before its COMMIT (see runtime.transactions)."""
        return self.transactions is not None and self.transactions.split

    @property
    def ddl_undone_by_rollback(self) -> bool:
        """Online: whether :meth:`rollback` now would undo the DDL run since the last BEGIN."""
        return self.transactions is not None and self.transactions.ddl_undone_by_rollback

    @property
    def driver_transaction_open(self) -> bool:
        """Online: whether the driver's transaction is open now (see ``ConnectionTransactions``)."""
        return self.transactions is not None and self.transactions.driver_transaction_open

    @property
    def terminator(self) -> str:
        return self.behaviour.statement_terminator

    @property
    def batch_separator(self) -> str | None:
        return self.behaviour.batch_separator

    # -- the stream ---------------------------------------------------------------------
    def emit(self, stmt: Statement) -> Any:
        """Consume one statement: render it offline, run it online."""
        for listener in self.emit_listeners:
            listener(stmt)
        if self.as_sql:
            texts = self.statement_texts(stmt)
            if self._staged is not None:
                self._staged.append((stmt, texts, self.in_transaction))
            else:
                self._publish(stmt, texts)
            if stmt.kind is Kind.BEGIN:
                self.in_transaction = True
            elif stmt.kind is Kind.COMMIT:
                self.in_transaction = False
            return None
        for observer in self.observers:
            observer(stmt, None)
        try:
            return self._execute(stmt)
        except Exception as err:
            explained = explain_failure(stmt, err)
            if explained is None:
                raise
            # still the database's error class: a revision written for Alembic catches what it raises
            raise also_as(CommandError, err, explained) from err

    def _publish(self, stmt: Statement, texts: list[str]) -> None:
        chunks = [self.format_chunk(stmt, text) for text in texts]
        self.published_chunks = chunks
        for observer in self.observers:
            observer(stmt, texts)
        self._pending.extend(chunks)
        if not self._holding:
            self.flush()

    @contextlib.contextmanager
    def staged(self) -> Iterator[None]:
        """Offline: keep what the block emits from observers and output until it succeeds.

        ``--keep-going`` renders each revision this way, so a revision that
        fails leaves nothing of itself in the script or the stream; each
        operation's statements are staged too (``MigrationContext.emit_all``).
        Inside another staged block, what succeeded joins that block's
        statements, in order.
        """
        saved, self._staged = self._staged, []
        in_transaction = self.in_transaction
        try:
            yield
        except BaseException:
            self._staged = saved
            self.in_transaction = in_transaction
            raise
        staged, self._staged = self._staged, saved
        if saved is not None:
            saved.extend(staged)
            return
        final = self.in_transaction
        for stmt, texts, state in staged:
            self.in_transaction = state  # observers see the state the statement was emitted in
            self._publish(stmt, texts)
        self.in_transaction = final

    def replay(self, stmt: Statement, texts: list[str], in_transaction: bool) -> None:
        """Offline: take ``stmt`` as a copy of this emitter rendered it in a worker (see runtime.parallel).

        ``in_transaction`` is the state it was emitted in; from here on it is
        published exactly as :meth:`emit` publishes, so the script, its
        separators and what observers see are those of a serial run.
        """
        self.in_transaction = in_transaction
        self._publish(stmt, texts)
        if stmt.kind is Kind.BEGIN:
            self.in_transaction = True
        elif stmt.kind is Kind.COMMIT:
            self.in_transaction = False

    def divert(self, observer: Observer) -> None:
        """Offline, in a worker: every statement goes to ``observer`` alone and nothing to the output."""
        self.observers = [observer]
        self._pending.clear()
        self._holding = True

    @property
    def bind(self) -> "Connection | None":
        """The connection (Alembic's ``impl.bind``); ``None`` offline."""
        return self.connection

    def execute(self, sql: Any, execution_options: Mapping[str, Any] | None = None) -> Any:
        """Alembic's ``impl.execute()``, which revisions call through ``op.get_context().impl``.

        The statement goes through the migration context, as ``op.execute``'s
        does: into the stream, run online or written offline.
        """
        if self.context_execute is None:
            raise CommandError("impl.execute() needs the migration context this emitter belongs to")
        return self.context_execute(sql, execution_options=execution_options)

    def static_output(self, text: str) -> None:
        """Raw text for the offline script (Alembic's ``static_output``)."""
        self.emit(Statement(Kind.TEXT, text + "\n\n"))

    # -- offline rendering -------------------------------------------------------------
    def statement_texts(self, stmt: Statement) -> list[str]:
        """The SQL texts ``stmt`` stands for offline, without terminators.

        Usually one; none for transaction markers on a database whose DDL is
        not transactional; one per row for a multi-row ``bulk_insert``.
        """
        kind = stmt.kind
        if kind is Kind.BEGIN:
            return [self.behaviour.begin_sql] if self.transactional_ddl else []
        if kind is Kind.COMMIT:
            return [self.behaviour.commit_sql] if self.transactional_ddl else []
        if kind is Kind.COMMENT:
            return [comment_lines(str(stmt.element))]
        if kind is Kind.TEXT:
            return [str(stmt.element)]
        texts = self._texts(stmt, kind)
        if self.behaviour.client_syntax.sqlplus:
            return [script_text(text) for text in texts]
        return texts

    def _texts(self, stmt: Statement, kind: Kind) -> list[str]:
        element = stmt.element
        if isinstance(element, str):
            return [self._finish(element)]  # its layout tabs too, as a text()'s (mwdb-core's)
        if stmt.multiparams:
            # one literal INSERT per row: offline scripts have no parameters
            templates = self.literal_templates
            if isinstance(element, Insert):
                return [self._finish(templates.row(element, row)) for row in stmt.multiparams]
            return [self._compile(element.values(literal_row(element, row)), literal=True) for row in stmt.multiparams]
        if stmt.params is not None:
            # a statement built once per run: always literal offline (no parameters in a script)
            return [self._finish(self.literal_templates.prepared(element, stmt.params))]
        literal = kind is Kind.VERSION or (kind is Kind.DML and self.literal_binds)
        return [self._compile(element, literal=literal)]

    @property
    def literal_templates(self) -> LiteralTemplates:
        """This run's literal renderer: each DML shape is compiled once, then filled."""
        templates = self._literal_templates
        if templates is None:
            templates = self._literal_templates = LiteralTemplates(self.dialect)
        return templates

    @property
    def ddl_templates(self) -> DDLTemplates | None:
        """Offline: this run's DDL templates (``lower_and_emit`` lowers through them); None online."""
        if not self.as_sql:
            return None
        templates = self._ddl_templates
        if templates is None:
            from limbeck.runtime.ddl_templates import DDLTemplates

            templates = self._ddl_templates = DDLTemplates(self)
        return templates

    def _compile(self, element: Any, *, literal: bool) -> str:
        if type(element) is TextClause and not element._bindparams and self._plain_text_as_is:
            text = element.text
            if type(text) is str and ":" not in text and "%" not in text:
                # what SQLAlchemy's compilers return for it: they only rewrite ``:name``
                # parameters, their ``\\:`` escapes and (where the driver wants) ``%`` signs
                return self._finish(text)
        if literal:
            text = self.literal_templates.statement(element)
        else:
            text = str(element.compile(dialect=self.dialect))
        return self._finish(text)

    @functools.cached_property
    def _plain_text_as_is(self) -> bool:
        """Whether this dialect's statement compiler is SQLAlchemy's own (a dialect elsewhere may rewrite text)."""
        return str(getattr(self.dialect.statement_compiler, "__module__", "")).startswith("sqlalchemy.")

    def _finish(self, text: str) -> str:
        escapes = self.behaviour.client_syntax.backslash_escapes
        if escapes and "\0" in text:
            # a NUL byte (a binary server_default, a value) stops the mysql client ("ASCII '\0'
            # appeared in the statement"); in a MySQL string \0 is that byte, as mysqldump writes it
            text = text.replace("\0", "\\0")
        return untab(text, backslash_escapes=escapes).strip()

    def format_chunk(self, stmt: Statement, text: str) -> str:
        """``text`` as it appears in the script: terminator, blank line, separator."""
        kind = stmt.kind
        if kind is Kind.TEXT:
            return text
        if kind is Kind.COMMENT:
            return text + "\n\n"
        terminator = self.terminator
        delimiter = self.behaviour.client_delimiter(text) if ";" in text and terminator else None
        if delimiter is not None:  # the client reads to this mark, not to the ';' inside the body
            body = text.rstrip()
            while body.endswith(terminator):
                body = body[: -len(terminator)].rstrip()
            text = f"DELIMITER {delimiter}\n{body}\n{delimiter}\nDELIMITER {terminator}"
        elif terminator and not text.endswith(terminator):
            text += terminator
        chunk = text + "\n\n"
        # SQL*Plus: blank lines that are data (in a literal) must not end the statement, nor an
        # '&' in it be read as a substitution variable
        if self.behaviour.client_syntax.sqlplus:
            chunk = "".join(f"{setting}\n" for setting in settings_for(text)) + chunk
        if self.batch_separator and (kind is not Kind.BEGIN or self.behaviour.begin_separated):
            chunk += self.batch_separator + "\n\n"
        return chunk

    def hold(self) -> bool:
        """Keep offline text in memory until :meth:`release`; returns whether it already was."""
        was = self._holding
        self._holding = True
        return was

    def release(self) -> None:
        """Stop holding offline text and write out what was held (the run succeeded)."""
        self._holding = False
        self.flush()

    def rendered(self) -> str:
        """The offline text produced so far and not yet flushed."""
        return "".join(self._pending)

    def flush(self) -> None:
        """Write the buffered offline text out; called when a run succeeded."""
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending.clear()
        out = self.output_buffer if self.output_buffer is not None else self._stdout
        if self.output_encoding and isinstance(out, (io.BufferedIOBase, io.RawIOBase)):
            # a binary output_buffer (Alembic wraps it in a text layer of output_encoding)
            out.write(text.encode(self.output_encoding))
        elif self.output_encoding and hasattr(out, "buffer") and out is not self._stdout:
            out.buffer.write(text.encode(self.output_encoding))
        elif self.output_encoding and out is self._stdout and hasattr(out, "buffer"):
            out.flush()
            out.buffer.write(text.encode(self.output_encoding))
            out.buffer.flush()
        else:
            out.write(text)
        if hasattr(out, "flush"):
            out.flush()

    def discard(self) -> None:
        """Drop buffered offline text (a failed run writes nothing)."""
        self._pending.clear()
        self._holding = False

    # -- online execution --------------------------------------------------------------
    def _execute(self, stmt: Statement) -> Any:
        kind = stmt.kind
        if kind is Kind.BEGIN:
            self.in_transaction = True
            # the migration lock's own short transactions need no driver BEGIN
            self._online().begin(atomic=not stmt.info.get("migration_lock"))
            return None
        if kind is Kind.COMMIT:
            self.in_transaction = False
            if self.transactions is not None:
                self.transactions.commit()
            return None
        if kind is Kind.COMMENT or kind is Kind.TEXT:
            return None
        conn = self._require_connection()
        self._online().before_execute(stmt)
        options = dict(stmt.execution_options or {})
        element = stmt.element
        if isinstance(element, str):
            # a plain string is raw SQL, as written: no bind parameters, no
            # %-escaping (Alembic turns it into text(), where ':x' is a bind)
            options["no_parameters"] = True
            return conn.exec_driver_sql(element, execution_options=options)
        if stmt.multiparams:
            if stmt.info.get(ONE_ROW):
                _unconsumed(stmt.element, stmt.multiparams[0])
            return conn.execute(element, list(stmt.multiparams), execution_options=options)
        if stmt.params is not None:
            return conn.execute(element, dict(stmt.params), execution_options=options)
        return conn.execute(element, execution_options=options)

    def _require_connection(self) -> "Connection":
        if self.connection is None:
            raise CommandError("no database connection: configure() was given no connection for an online run")
        return self.connection

    def _online(self) -> ConnectionTransactions:
        self._require_connection()
        assert self.transactions is not None
        return self.transactions

    def rollback(self) -> None:
        """Undo the open transaction after a failure (online); drop output (offline)."""
        self.in_transaction = False
        if self.as_sql:
            self.discard()
            return
        if self.transactions is not None:
            self.transactions.rollback()

    def finish(self) -> None:
        """End of a run online: commit what autobegan outside explicit framing."""
        if self.transactions is not None:
            self.transactions.finish(in_frame=self.in_transaction)


def _unconsumed(insert: Any, row: Mapping[str, Any]) -> None:
    """Refuse a ``multiinsert=False`` row naming a column the table lacks, as Alembic does online.

    Alembic's ``.values(**row)`` fails to compile (``Unconsumed column names``);
    given as parameters, the key would be dropped without a word and the row
    inserted without it.
    """
    unknown = unknown_keys(insert, row)
    if unknown:
        from limbeck.errors import InvalidDefinition

        raise InvalidDefinition(
            f"bulk_insert({insert.table.fullname}): Unconsumed column names: {', '.join(unknown)} "
            f"(the table's columns: {', '.join(c.key for c in insert.table.c) or 'none'})"
        )
