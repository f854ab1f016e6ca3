"""Validation of each rendered statement, as it comes from the stream, with verdicts that say what was done.

Who judges depends on the database (``statement_validator`` of its behaviour
in :mod:`limbeck.dialects`):

- PostgreSQL: ``pglast``, PostgreSQL's own parser (libpg_query), when the
  ``postgresql`` extra is installed; PL/pgSQL bodies of ``DO`` blocks and
  functions are parsed too. Without it, sqlglot.
- SQLite: the statements run, in order, on an in-memory database
  (:mod:`limbeck.review.execute_check`): syntax *and* names are checked.
- the others: sqlglot, a lenient transpiler rather than a grammar: it
  accepts much that the database refuses, and the verdict says so.

A scratch database (``--validate-on URL`` or ``validate_url``) runs the
whole script on top of all that; without one, PostgreSQL scripts run on a
temporary server when the machine has the binaries
(:mod:`limbeck.review.temporary_server`). Each statement's verdict names what
accepted it: ``parsed (pglast)``, ``parsed (sqlglot, lenient)``,
``executed (sqlite)``, ``executed (scratch postgresql)``, ``executed
(temporary postgresql 17.2)``; or ``not checked`` (nothing could judge it),
or ``invalid``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.dialects import behaviour_class
from limbeck.dialects.base import StatementValidator
from limbeck.review.execute_check import Prelude, ScratchDatabase, run_sqlite
from limbeck.review.stream import Record
from limbeck.review.verdicts import VALIDATED_KINDS, Status, Verdict

if TYPE_CHECKING:
    from limbeck.review.temporary_server import TemporaryServer


def label_order(label: str) -> tuple[int, str]:
    """Strongest check first: executed, parsed by a real parser, lenient, not checked, invalid."""
    for rank, prefix in enumerate(("executed", "parsed (pglast", "parsed", "not checked", "invalid")):
        if label.startswith(prefix):
            return rank, label
    return 9, label


@contextlib.contextmanager
def quiet_sqlglot() -> Iterator[None]:
    # sqlglot logs a warning each time it falls back to a Command; the
    # verdict already says so
    logger = logging.getLogger("sqlglot")
    saved = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(saved)


@functools.cache
def pglast_available() -> bool:
    """Whether PostgreSQL's parser is installed (the ``postgresql`` extra)."""
    try:
        import pglast  # noqa: F401 - the optional postgresql extra: loads only where it judges
    except ImportError:
        return False
    return True


def judged_by(dialect: str) -> StatementValidator:
    """What judges the statements of ``dialect`` (a limbeck dialect name): its behaviour says."""
    return behaviour_class(dialect).statement_validator


def parser_for(dialect: str) -> str:
    """Which parser judges ``dialect``'s statements one by one: "pglast" or "sqlglot"."""
    if judged_by(dialect) is StatementValidator.PGLAST and pglast_available():
        return "pglast"
    return "sqlglot"


def sqlglot_dialect(dialect: str) -> str | None:
    """sqlglot's name for ``dialect`` (a limbeck dialect name); ``None`` where it has none."""
    return behaviour_class(dialect).sqlglot_dialect


def sqlglot_verdict(text: str, dialect: str) -> Verdict:
    """sqlglot's reading of ``text``: lenient at best, ``not checked`` when it keeps only an opaque command."""
    # sqlglot only for databases pglast does not parse (it takes a while to import)
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    read = sqlglot_dialect(dialect)
    if read is None:
        return Verdict(Status.NOT_CHECKED, f"sqlglot has no dialect for {dialect}", "sqlglot")
    try:
        with quiet_sqlglot():
            parsed = [e for e in sqlglot.parse(text, read=read) if e is not None]
    except (ParseError, TokenError) as err:
        return Verdict(Status.INVALID, str(err).splitlines()[0] if str(err) else type(err).__name__, "sqlglot")
    if not parsed:
        return Verdict(Status.INVALID, "no statement", "sqlglot")
    if len(parsed) > 1:
        return Verdict(Status.NOT_CHECKED, f"{len(parsed)} statements in one text", "sqlglot")
    expression = parsed[0]
    if isinstance(expression, exp.Command):
        return Verdict(Status.NOT_CHECKED, f"sqlglot parsed it only as an opaque {expression.name or 'command'}", "sqlglot")
    return Verdict(Status.LENIENT, type(expression).__name__, "sqlglot")


def plpgsql_language(stmt: Any) -> bool:
    """Whether a DO block or a function is written in PL/pgSQL (a DO block's default language)."""
    options = getattr(stmt, "args", None) or getattr(stmt, "options", None) or ()
    for option in options:
        if option.defname == "language":
            return str(getattr(option.arg, "sval", "")).lower() == "plpgsql"
    return type(stmt).__name__ == "DoStmt"  # a DO block's default language


def pglast_verdict(text: str) -> Verdict:
    """PostgreSQL's parser on ``text``, PL/pgSQL bodies included."""
    # pglast, the optional postgresql extra, only when installed (see pglast_available)
    from pglast import parse_sql
    from pglast.parser import ParseError, parse_plpgsql_json

    try:
        statements = parse_sql(text)
    except ParseError as err:
        return Verdict(Status.INVALID, str(err), "pglast")
    if not statements:
        return Verdict(Status.INVALID, "no statement", "pglast")
    kinds = [type(raw.stmt).__name__ for raw in statements]
    procedural = [raw.stmt for raw in statements if type(raw.stmt).__name__ in ("DoStmt", "CreateFunctionStmt")]
    if any(plpgsql_language(stmt) for stmt in procedural):
        try:
            parse_plpgsql_json(text)
        except ParseError as err:
            return Verdict(Status.INVALID, f"PL/pgSQL: {err}", "pglast")
    return Verdict(Status.PARSED, ", ".join(kinds), "pglast")


def classify(text: str, dialect: str) -> Verdict:
    """One statement ``text`` in ``dialect`` (a limbeck dialect name), by the dialect's parser.

    A parser that fails in a way other than refusing the text (a bug of its
    own) leaves the statement ``not checked``: the review of the range goes on.
    """
    parser = parser_for(dialect)
    try:
        return pglast_verdict(text) if parser == "pglast" else sqlglot_verdict(text, dialect)
    except Exception as err:  # noqa: BLE001 - see the docstring
        return Verdict(Status.NOT_CHECKED, f"{parser} failed on it: {type(err).__name__}: {err}", parser)


@dataclass(frozen=True, slots=True)
class Checked:
    """One rendered text of the stream with its verdict."""

    record: Record
    text: str
    verdict: Verdict


def _parsed(record: Record, text: str) -> Verdict:
    verdict = classify(text, record.dialect)
    if verdict.status is Status.INVALID and verdict.judge == "sqlglot" and record.info.get("procedural"):
        # limbeck's own procedural blocks (the --guard of T-SQL and PL/SQL):
        # sqlglot has no grammar for them, which says nothing about the block;
        # they are tested against the databases instead
        return Verdict(Status.NOT_CHECKED, f"procedural block sqlglot does not parse ({verdict.detail})", "sqlglot")
    return verdict


@dataclass
class Validator:
    """A stream listener: keeps every statement as the emitter renders it, and judges them all when asked.

    The judging waits for the whole stream because the engines run the
    statements in order (a statement's names exist only after the earlier
    ones ran). ``prelude`` is the schema the range starts from (the rendered
    revisions before it); ``scratch`` the database ``--validate-on`` names, or
    the temporary server started when none is named.
    """

    scratch: ScratchDatabase | TemporaryServer | None = None
    prelude: Prelude | None = None
    records: list[Record] = field(default_factory=list)
    #: what the scratch run said beyond the verdicts (where it stopped), for the summary
    notes: list[str] = field(default_factory=list)
    _results: list[Checked] | None = None

    @property
    def executes(self) -> bool:
        """Whether a database runs the statements (and so needs the schema the range starts from)."""
        if not self.records:
            return self.scratch is not None
        dialect = self.records[0].dialect
        if judged_by(dialect) is StatementValidator.IN_MEMORY_SQLITE:
            return True
        return self.scratch is not None and self.scratch.executes(dialect)

    def __call__(self, record: Record) -> None:
        if record.kind in VALIDATED_KINDS and record.texts:
            self.records.append(record)
            self._results = None

    @property
    def results(self) -> list[Checked]:
        if self._results is None:
            self._results = self._judge()
        return self._results

    def _judge(self) -> list[Checked]:
        self.notes = []
        contexts: dict[int, list[tuple[Record, str]]] = {}
        for record in self.records:
            contexts.setdefault(record.context, []).extend((record, text) for text in record.texts)
        out: list[Checked] = []
        # one temporary server for the whole command, however many migration contexts
        with self.scratch.session() if self.scratch is not None else contextlib.nullcontext():
            for context, items in contexts.items():
                dialect = items[0][0].dialect
                prelude = self.prelude.texts(context) if self.prelude is not None else []
                if judged_by(dialect) is StatementValidator.IN_MEMORY_SQLITE:
                    verdicts = run_sqlite([text for _, text in items], prelude)
                else:
                    verdicts = [_parsed(record, text) for record, text in items]
                if self.scratch is not None:
                    verdicts = self.scratch.judge(items, verdicts, prelude, self.notes)
                out.extend(Checked(record, text, v) for (record, text), v in zip(items, verdicts))
        return out

    def counts(self) -> Counter[str]:
        return Counter(c.verdict.label for c in self.results)

    def by_revision(self, context: int | None = None) -> dict[str | None, Counter[str]]:
        """Counts per revision tag, in stream order (``None``: env.py's own statements).

        ``context``: only that migration context's (one database of a multidb run).
        """
        out: dict[str | None, Counter[str]] = {}
        for checked in self.results:
            if context is not None and checked.record.context != context:
                continue
            out.setdefault(checked.record.revision, Counter())[checked.verdict.label] += 1
        return out

    def problems(self) -> list[Checked]:
        """Statements nothing accepted: invalid, or not checked."""
        return [c for c in self.results if c.verdict.status in (Status.INVALID, Status.NOT_CHECKED)]

    @property
    def invalid(self) -> list[Checked]:
        return [c for c in self.results if c.verdict.status is Status.INVALID]

