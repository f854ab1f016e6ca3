"""sqlglot validation of each rendered statement, as it comes from the stream.

A statement is *verified* when sqlglot parses it into a real expression in
the target dialect, *unverified* when sqlglot only manages an opaque
``Command`` (syntax it does not model, such as a PostgreSQL ``DO`` block),
and *invalid* when it raises a parse error. Unverified is not a failure:
it says the statement was not checked.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from limbeck.compiler.statement import Kind
from limbeck.review.stream import Record

#: limbeck dialect name -> sqlglot dialect
SQLGLOT_DIALECTS: dict[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "tsql",
    "oracle": "oracle",
}

#: kinds whose rendered text is a statement the database runs
VALIDATED_KINDS = frozenset({Kind.DDL, Kind.DML, Kind.VERSION, Kind.BEGIN, Kind.COMMIT})


class Status(str, enum.Enum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What sqlglot made of one statement text."""

    status: Status
    #: the expression type (``Create``, ``Alter``...) or why it is not verified
    detail: str


@contextlib.contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    # sqlglot logs a warning each time it falls back to a Command; the
    # verdict already says so
    logger = logging.getLogger("sqlglot")
    saved = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(saved)


def classify(text: str, dialect: str) -> Verdict:
    """Parse one statement ``text`` in ``dialect`` (a limbeck dialect name)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    read = SQLGLOT_DIALECTS.get(dialect)
    if read is None:
        return Verdict(Status.UNVERIFIED, f"sqlglot has no dialect for {dialect}")
    try:
        with _quiet_sqlglot():
            parsed = [e for e in sqlglot.parse(text, read=read) if e is not None]
    except (ParseError, TokenError) as err:
        return Verdict(Status.INVALID, str(err).splitlines()[0] if str(err) else type(err).__name__)
    if not parsed:
        return Verdict(Status.INVALID, "no statement")
    if len(parsed) > 1:
        return Verdict(Status.UNVERIFIED, f"{len(parsed)} statements in one text")
    expression = parsed[0]
    if isinstance(expression, exp.Command):
        return Verdict(Status.UNVERIFIED, f"sqlglot parsed it only as an opaque {expression.name or 'command'}")
    return Verdict(Status.VERIFIED, type(expression).__name__)


@dataclass(frozen=True, slots=True)
class Checked:
    """One rendered text of the stream with its verdict."""

    record: Record
    text: str
    verdict: Verdict


@dataclass
class Validator:
    """A stream listener: classifies every statement as the emitter renders it."""

    results: list[Checked] = field(default_factory=list)

    def __call__(self, record: Record) -> None:
        if record.kind not in VALIDATED_KINDS:
            return
        for text in record.texts:
            verdict = classify(text, record.dialect)
            if verdict.status is Status.INVALID and record.info.get("procedural"):
                # limbeck's own procedural blocks (the --guard of T-SQL and
                # PL/SQL): sqlglot has no grammar for them, which says nothing
                # about the block; they are tested against the databases instead
                verdict = Verdict(Status.UNVERIFIED, f"procedural block sqlglot does not parse ({verdict.detail})")
            self.results.append(Checked(record, text, verdict))

    def counts(self) -> Counter[Status]:
        return Counter(c.verdict.status for c in self.results)

    def by_revision(self) -> dict[str | None, Counter[Status]]:
        """Counts per revision tag, in stream order (``None``: env.py's own statements)."""
        out: dict[str | None, Counter[Status]] = {}
        for checked in self.results:
            out.setdefault(checked.record.revision, Counter())[checked.verdict.status] += 1
        return out

    def problems(self) -> list[Checked]:
        return [c for c in self.results if c.verdict.status is not Status.VERIFIED]

    @property
    def invalid(self) -> list[Checked]:
        return [c for c in self.results if c.verdict.status is Status.INVALID]
