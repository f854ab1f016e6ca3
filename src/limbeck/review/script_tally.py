"""What a plain ``--sql`` run keeps of its stream: enough to check that its script cuts back.

Every offline script is checked (:mod:`limbeck.review.script_check`): cut
as its client would cut it, it must give back the stream's statements. A
:class:`~limbeck.review.stream.StreamRecorder` keeps a record of each
statement for the review tools; a plain ``--sql`` run needs none of that,
only the script's text and the normal form of each statement, so this
observer keeps those: strings in flat lists, one set per migration context.
On a long history a record (three objects per statement, kept to the end)
cost a tenth of the run; the check's answer is the same, statement for
statement (the records' path and this one share :func:`add_expected` and
:func:`compare_statements`).

Comment statements are kept as records only where ``--keep-going`` marked a
revision it could not render: those are listed at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement
from limbeck.review.stream import UNRENDERED, Record, light_statement

if TYPE_CHECKING:
    from limbeck.review.script_check import Dialect, ScriptCheck
    from limbeck.runtime.emitter import Emitter
    from limbeck.runtime.migration import MigrationContext

__all__ = ["ScriptTally"]


class _Context:
    """One migration context's script and the statements it must cut back into."""

    __slots__ = ("chunks", "dialect", "expected", "revisions")

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.chunks: list[str] = []
        self.expected: list[str] = []
        #: the revision that issued each expected statement (for the message when one is missing)
        self.revisions: list[str | None] = []


class ScriptTally:
    """Observer of every migration context of a plain ``--sql`` run (no ``--validate``)."""

    def __init__(self) -> None:
        self.contexts: list[MigrationContext] = []
        self._tallies: list[_Context] = []
        self._unrendered: list[Record] = []

    def attach(self, context: MigrationContext) -> None:
        """Subscribe to ``context``'s emitter; called when env.py configures it."""
        self.contexts.append(context)
        emitter = context.impl
        emitter.observers.append(self._observer(context, emitter))

    def _observer(self, context: MigrationContext, emitter: Emitter) -> Any:
        # the script check reads the dialects' client syntax (SQLAlchemy): only once a --sql run configures
        from limbeck.review.script_check import Dialect, add_expected

        name, terminator, separator = context.behaviour.dialect_name, emitter.terminator, emitter.batch_separator
        tally = _Context(Dialect.of(name, terminator, separator))
        self._tallies.append(tally)
        chunks, expected, revisions, dialect = tally.chunks, tally.expected, tally.revisions, tally.dialect
        transactional_ddl = emitter.transactional_ddl
        index = len(self._tallies) - 1

        def observe(stmt: Statement, texts: list[str] | None) -> None:
            if texts is None:  # online: nothing was rendered
                return
            published = emitter.published_chunks
            chunks.extend(published)
            kind = stmt.kind
            if kind is Kind.COMMENT:
                if UNRENDERED in stmt.info:
                    self._unrendered.append(Record(
                        light_statement(stmt), tuple(texts), tuple(published), name, transactional_ddl,
                        emitter.in_transaction, terminator, separator, index,
                    ))
                return
            added = add_expected(expected, kind, texts, published, dialect)
            if added:
                revisions.extend([stmt.revision] * added)

        # a worker's statements are replayed through the parent's emitter (runtime.parallel): the same texts
        observe.replayable = True  # type: ignore[attr-defined]
        # only texts are read: offline DDL may come from templates (runtime.ddl_templates)
        observe.text_only = True  # type: ignore[attr-defined]
        return observe

    @property
    def dialect(self) -> str | None:
        if not self.contexts:
            return None
        return self.contexts[-1].behaviour.dialect_name

    def checks(self) -> list[ScriptCheck]:
        """One whole-script check per migration context that rendered anything (as ``check_records``)."""
        from limbeck.review.script_check import compare_statements, found_statements

        return [
            compare_statements(found_statements("".join(t.chunks), t.dialect), t.expected, t.revisions, t.dialect)
            for t in self._tallies if t.chunks or t.expected
        ]

    def unrendered(self) -> list[Record]:
        """The comment blocks ``--keep-going`` left where a revision could not be rendered."""
        return list(self._unrendered)
