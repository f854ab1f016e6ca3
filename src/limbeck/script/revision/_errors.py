"""Errors raised by the revision graph.

The class names, constructor arguments and attributes are Alembic's, because
user code and ``env.py`` files catch them by name (``except
MultipleHeads``). Every class derives from :class:`limbeck.errors.LimbeckError`
so the CLI reports them as one line instead of a traceback.

The messages are the ones Alembic prints: people search for them, and the
command layer adds its own advice on top.
"""

from __future__ import annotations

from collections.abc import Sequence

from limbeck.errors import LimbeckError


class RevisionError(LimbeckError):
    """Something about the revision graph or a revision identifier is wrong."""


class RangeNotAncestorError(RevisionError):
    """``lower`` is not below ``upper``, so there is no range between them."""

    def __init__(self, lower: object, upper: object) -> None:
        self.lower = lower
        self.upper = upper
        super().__init__(
            f"Revision {lower or 'base'} is not an ancestor of revision {upper or 'base'}"
        )


class MultipleHeads(RevisionError):
    """A single revision was asked for but the argument names several heads."""

    def __init__(self, heads: Sequence[str], argument: object) -> None:
        # *argument* is what the caller asked for: usually a string, but a
        # tuple of ids when several were passed where one was expected.
        self.heads = heads
        self.argument = argument
        super().__init__(
            f"Multiple heads are present for given argument '{argument}'; {', '.join(heads)}"
        )


class ResolutionError(RevisionError):
    """An identifier matched no revision, or more than one."""

    def __init__(self, message: str, argument: str) -> None:
        super().__init__(message)
        self.argument = argument


class RetiredRevision(RevisionError):
    """A name that meant a revision once: an id squashed into a checkpoint whose
    replaced files are gone, or a release tag naming one (limbeck only)."""

    def __init__(self, message: str, argument: str) -> None:
        super().__init__(message)
        self.argument = argument


class MissingRevisionError(ResolutionError, KeyError):
    """A ``down_revision`` or ``depends_on`` names a revision that is not there.

    Alembic lets a bare ``KeyError`` escape in this case; deriving from
    ``KeyError`` as well keeps code written against that working, while the
    message names both revisions so the user can find the file to fix.
    """

    def __init__(self, missing: str, referenced_from: str, path: str | None = None) -> None:
        # path: the file of referenced_from, where the reference is to be fixed (limbeck adds it)
        where = f" ({path})" if path else ""
        super().__init__(
            f"Revision {missing} referenced from {referenced_from}{where} is not present", missing
        )
        self.referenced_from = referenced_from

    def __str__(self) -> str:
        # KeyError would otherwise quote the message as a repr.
        return str(self.args[0])


class CycleDetected(RevisionError):
    """Following ``down_revision`` from some revisions never reaches a base."""

    kind = "Cycle"

    def __init__(self, revisions: Sequence[str]) -> None:
        self.revisions = revisions
        super().__init__(f"{self.kind} is detected in revisions ({', '.join(revisions)})")


class DependencyCycleDetected(CycleDetected):
    """The cycle only closes once ``depends_on`` links are followed too."""

    kind = "Dependency cycle"


class LoopDetected(CycleDetected):
    """A revision names itself as its own ``down_revision``."""

    kind = "Self-loop"

    def __init__(self, revision: str) -> None:
        super().__init__([revision])


class DependencyLoopDetected(DependencyCycleDetected, LoopDetected):
    """A revision names itself in its own ``depends_on``."""

    kind = "Dependency self-loop"

    def __init__(self, revision: Sequence[str]) -> None:
        # Alembic annotates this argument as a sequence but passes one id.
        CycleDetected.__init__(self, [revision] if isinstance(revision, str) else list(revision))
