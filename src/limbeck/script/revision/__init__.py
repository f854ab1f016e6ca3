"""The revision graph: :class:`Revision`, :class:`RevisionMap` and their errors.

Import everything from here (``from limbeck.script.revision import
RevisionMap``); the private modules are split by concern only to keep each
small. No SQLAlchemy is imported: ``heads`` and ``history`` stay fast.
"""

from limbeck.script.revision._errors import (
    CycleDetected,
    DependencyCycleDetected,
    DependencyLoopDetected,
    LoopDetected,
    MissingRevisionError,
    MultipleHeads,
    RangeNotAncestorError,
    ResolutionError,
    RetiredRevision,
    RevisionError,
)
from limbeck.script.revision._map import GetRevArg, RevisionMap, RevisionOrBase
from limbeck.script.revision._node import ILLEGAL_ID_CHARS, Revision, RevIdType, is_revision, tuple_rev_as_scalar
from limbeck.script.revision._plan import RevisionIdentifier

#: Alembic's module-level name for the same list, kept for code that reads it.
_revision_illegal_chars = list(ILLEGAL_ID_CHARS)

__all__ = [
    "CycleDetected",
    "DependencyCycleDetected",
    "DependencyLoopDetected",
    "GetRevArg",
    "ILLEGAL_ID_CHARS",
    "LoopDetected",
    "MissingRevisionError",
    "MultipleHeads",
    "RangeNotAncestorError",
    "ResolutionError",
    "RetiredRevision",
    "RevIdType",
    "Revision",
    "RevisionError",
    "RevisionIdentifier",
    "RevisionMap",
    "RevisionOrBase",
    "is_revision",
    "tuple_rev_as_scalar",
]
