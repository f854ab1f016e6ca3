"""One revision: its identifiers and its place among its neighbours.

:class:`Revision` is the base of the ``Script`` objects a script directory
loads. Its attribute names, including the underscored ones, are Alembic's:
``env.py`` files, custom commands and our own runtime read them directly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, Union

from limbeck.script.revision._errors import (
    DependencyLoopDetected,
    LoopDetected,
    RevisionError,
)

#: An identifier argument as users and scripts give it: one id, several, or none.
RevIdType = Union[str, tuple[str, ...], list[str], None]

#: Characters that make an identifier ambiguous with the relative (``+2``,
#: ``-1``), branch (``label@head``) or range (``start:end``) syntax.
ILLEGAL_ID_CHARS = ("@", "-", "+", ":")

#: What limbeck refuses on top of Alembic's rule: text that could end a SQL
#: comment or literal the id is written into (``-- Running upgrade a -> b``,
#: version-table values), or hide in a listing. Whitespace (line breaks
#: included), quotes, semicolons, control and invisible format characters
#: (zero-width and bidirectional controls).
_UNSAFE_ID = "[\\s'\"`;\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"


@functools.cache
def _unsafe_id() -> re.Pattern[str]:
    """:data:`_UNSAFE_ID`, compiled when an id needs it (its Unicode ranges take a millisecond:
    a warm run checks no id, and the usual id is ASCII letters and digits)."""
    return re.compile(_UNSAFE_ID)


def _shown(revision: str) -> str:
    """The id in quotes, escaped when it would not print on one line."""
    return f"'{revision}'" if _unsafe_id().search(revision) is None else repr(revision)


def to_tuple(value: Any) -> tuple[Any, ...]:
    """Normalise a ``down_revision``-style value (None, one id, or a sequence)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return (value,)


def dedupe(values: Iterable[str]) -> tuple[str, ...]:
    """Drop repeated ids, keeping the first occurrence's position."""
    return tuple(dict.fromkeys(values))


def _downs_plus(down: str | tuple[str, ...] | None, deps: tuple[str, ...]) -> tuple[str, ...]:
    """``down_revision`` as a tuple, followed by *deps*, without repeats."""
    if not deps:
        if down is None:
            return ()
        if isinstance(down, str):
            return (down,)
    return dedupe(to_tuple(down) + deps)


def tuple_rev_as_scalar(rev: tuple[str, ...] | None) -> str | tuple[str, ...] | None:
    """Give back the shape scripts declare: None, one id, or a tuple of several."""
    if not rev:
        return None
    if len(rev) == 1:
        return rev[0]
    return rev


def is_revision(rev: Any) -> Revision:
    """Narrow a resolved value to a real revision (not None, not ``"base"``).

    Raises:
        RevisionError: the value is the empty base or a string; the caller
            asked for a revision where the graph has none.
    """
    if not isinstance(rev, Revision):
        raise RevisionError(f"Expected a revision, got {rev!r}")
    return rev


class Revision:
    """A revision's identity, parents and children within a revision map.

    ``down_revision`` and ``dependencies`` keep the shape the script declared
    (None, a string or a tuple); the underscored tuples are the normalised
    forms the graph code works with. ``nextrev`` and ``_all_nextrev`` are
    filled in by :class:`RevisionMap` when it links the graph.
    """

    nextrev: frozenset[str] = frozenset()
    """Revisions whose ``down_revision`` names this one."""

    _all_nextrev: frozenset[str] = frozenset()
    """Revisions whose ``down_revision`` or ``depends_on`` names this one."""

    revision: str
    down_revision: str | tuple[str, ...] | None
    dependencies: str | tuple[str, ...] | None
    branch_labels: set[str]
    _orig_branch_labels: tuple[str, ...]
    #: release tags naming this revision (see limbeck.script.tags)
    tags: tuple[str, ...] = ()
    #: the checkpoint file that stands for this revision and everything below it
    #: (see limbeck.script.checkpoints), or None
    checkpoint_path: str | None = None
    #: the revisions a checkpoint replaces (empty for an ordinary revision)
    replaces: tuple[str, ...] = ()
    # Set when a RevisionMap links the revision; empty until then.
    _resolved_dependencies: tuple[str, ...] = ()
    _normalized_resolved_dependencies: tuple[str, ...] = ()

    def __init__(
        self,
        revision: str,
        down_revision: RevIdType,
        dependencies: RevIdType = None,
        branch_labels: RevIdType = None,
    ) -> None:
        # None and one id (nearly every revision) are their own normal form: no tuple round trip
        if down_revision is None or type(down_revision) is str:
            if down_revision and revision == down_revision:
                raise LoopDetected(revision)
        else:
            if down_revision and revision in to_tuple(down_revision):
                raise LoopDetected(revision)
            down_revision = tuple_rev_as_scalar(to_tuple(down_revision))
        if dependencies is not None and type(dependencies) is not str:
            if revision in to_tuple(dependencies):
                raise DependencyLoopDetected(revision)
            dependencies = tuple_rev_as_scalar(to_tuple(dependencies))
        elif dependencies is not None and revision == dependencies:
            raise DependencyLoopDetected(revision)
        self.verify_rev_id(revision)
        self.revision = revision
        self.down_revision = down_revision
        self.dependencies = dependencies
        self._orig_branch_labels = to_tuple(branch_labels)
        self.branch_labels = set(self._orig_branch_labels)

    def __repr__(self) -> str:
        text = f"Revision({self.revision!r}, {self.down_revision!r}"
        if self.dependencies:
            text += f", dependencies={self.dependencies!r}"
        if self.branch_labels:
            text += f", branch_labels={self.branch_labels!r}"
        return text + ")"

    @classmethod
    def verify_rev_id(cls, revision: str) -> None:
        """Reject ids that the identifier syntax could not refer to unambiguously,
        or that would not stay inside the SQL comment or literal they are written into.

        Raises:
            RevisionError: the id contains ``@``, ``-``, ``+`` or ``:`` (Alembic's
                rule), or whitespace, a quote, a semicolon or a control character.
        """
        if type(revision) is str and revision.isalnum() and revision.isascii():
            return  # the usual id: ASCII letters and digits, none of which either rule refuses
        illegal = sorted(c for c in ILLEGAL_ID_CHARS if c in revision)
        if illegal:
            raise RevisionError(
                f"Character(s) '{', '.join(illegal)}' not allowed in revision identifier {_shown(revision)}"
            )
        unsafe = _unsafe_id().search(revision)
        if unsafe is not None:
            raise RevisionError(
                f"Character {unsafe.group()!r} not allowed in revision identifier {revision!r} "
                "(limbeck refuses whitespace, quotes, semicolons and control characters: "
                "the id is written into SQL comments and literals)"
            )

    def add_nextrev(self, revision: Revision) -> None:
        """Record *revision* as a child (and as a versioned child if it names us)."""
        self._all_nextrev = self._all_nextrev.union([revision.revision])
        if self.revision in revision._versioned_down_revisions:
            self.nextrev = self.nextrev.union([revision.revision])

    # The three down-revision views are read in every traversal step, so the
    # common shapes (no dependencies, one parent) skip the general path.

    @property
    def _all_down_revisions(self) -> tuple[str, ...]:
        return _downs_plus(self.down_revision, self._resolved_dependencies)

    @property
    def _normalized_down_revisions(self) -> tuple[str, ...]:
        """Parents plus only those dependencies no ancestor already depends on."""
        return _downs_plus(self.down_revision, self._normalized_resolved_dependencies)

    @property
    def _versioned_down_revisions(self) -> tuple[str, ...]:
        down = self.down_revision
        if down is None:
            return ()
        if isinstance(down, str):
            return (down,)
        return to_tuple(down)

    @property
    def is_head(self) -> bool:
        """No revision names this one as its ``down_revision``."""
        return not self.nextrev

    @property
    def _is_real_head(self) -> bool:
        """Not even a ``depends_on`` names this one."""
        return not self._all_nextrev

    @property
    def is_base(self) -> bool:
        """This revision has no ``down_revision``."""
        return self.down_revision is None

    @property
    def _is_real_base(self) -> bool:
        """No ``down_revision`` and no ``depends_on`` either."""
        return self.down_revision is None and self.dependencies is None

    @property
    def is_branch_point(self) -> bool:
        """More than one revision names this one as its ``down_revision``."""
        return len(self.nextrev) > 1

    @property
    def _is_real_branch_point(self) -> bool:
        """More than one revision builds on this one, counting ``depends_on``."""
        return len(self._all_nextrev) > 1

    @property
    def is_merge_point(self) -> bool:
        """This revision has more than one ``down_revision``."""
        return len(self._versioned_down_revisions) > 1
