"""What a check of one statement answers: its status and verdict, shared by every judge.

The parsers (:mod:`limbeck.review.validate`) and the databases that run the
script (:mod:`limbeck.review.execute_check`) both answer in these terms.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from limbeck.compiler.statement import Kind

__all__ = ["VALIDATED_KINDS", "Status", "Verdict"]

#: kinds whose rendered text is a statement the database runs
VALIDATED_KINDS = frozenset({Kind.DDL, Kind.DML, Kind.VERSION, Kind.BEGIN, Kind.COMMIT})


class Status(str, enum.Enum):
    #: a real parser of the database's grammar accepted it
    PARSED = "parsed"
    #: sqlglot made an expression of it (it accepts much the database refuses)
    LENIENT = "lenient"
    #: a database ran it
    EXECUTED = "executed"
    NOT_CHECKED = "not checked"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What was done to one statement text, and what came of it."""

    status: Status
    #: the expression type, the error, or why it was not checked
    detail: str
    #: what judged it: "pglast", "sqlglot", "sqlite", "scratch postgresql"...
    judge: str | None = None

    @property
    def label(self) -> str:
        """The verdict as reports print it (``parsed (pglast)``, ``executed (sqlite)``...)."""
        if self.status is Status.LENIENT:
            return f"parsed ({self.judge}, lenient)"
        if self.status in (Status.PARSED, Status.EXECUTED):
            return f"{self.status.value} ({self.judge})"
        return str(self.status.value)
