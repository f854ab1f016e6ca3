"""Offline DDL from templates: an operation shape is compiled once per run, then its names filled in.

An offline run of a long history lowers thousands of operations that differ
only in their names (``create_index(op.f('ix_t_c'), 't', ['c'])`` on one
table after another, the same ``add_column``, ``drop_table``, a type change
on yet another column). Building SQLAlchemy's ``Table`` / ``Index`` objects
for each and compiling them is most of what such a run costs, and the text
differs only where the names go. So :class:`DDLTemplates` keys each
operation by its shape (:func:`limbeck.compiler.op_shapes.shape_of`:
everything but the names), and from the second operation of a shape on it
lowers and compiles the operation once more with marker names, keeps the
text with the markers as the template, and fills in the names of every
later operation of that shape.

The text is SQLAlchemy's own: the template is what the dialect's compiler
wrote for the marker names, and a template is only kept after filling it
with the real names of the operation it was made from gave exactly what
that operation compiles to, and the operation rebuilt from its shape with
its real names compiled to that text too (the shape describes it whole).
A template is used for an operation only when every name is *plain*: a
lowercase ASCII identifier (``[a-z_][a-z0-9_]*``) that the dialect neither
quotes nor truncates (no longer than its shortest identifier limit), the
same as the markers, so both render as themselves; that is the only way a
name reaches the text (a marker inside a longer identifier, as a naming
convention would make, disqualifies the shape). Lowerings sort constraints
and indexes by name: the shape's key holds the sort order of those names,
and their markers sort the same way. A shape whose
lowering warned, failed, or made anything but single DDL texts is never
templated, and nothing is when a listener outside SQLAlchemy is registered
on tables, columns, indexes or constraints (it might react to names), nor
in a run one of whose revision functions registers a ``@compiles`` or a
listener itself (:func:`registers_at_run_time`, checked when the revision
files are imported before the first step).

Only offline, and only while every observer of the stream keeps texts
alone (a plain ``--sql`` run: the recorder is *light*): the statements a
template makes carry their text instead of a SQLAlchemy construct, and
lint, plans and validation read constructs. ``LIMBECK_DDL_TEMPLATES=0``
turns it off.
"""

from __future__ import annotations

import operator
import os
import re
import warnings
import weakref
from collections.abc import Callable, Iterable
from types import CodeType
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from limbeck.compiler.op_shapes import Shape
    from limbeck.dialects.base import DialectBehaviour
    from limbeck.runtime.emitter import Emitter

__all__ = ["DDLTemplates"]

Lowering = Callable[[Any, "DialectBehaviour"], list[Statement]]

_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")
_MARKER = re.compile(r"zq(\d{4})x")
_IDENTIFIER_CHAR = re.compile(r"[A-Za-z0-9_$#@]")
#: operations of a shape lowered as usual before a template is made (most shapes of a
#: real history occur once: making a template for them would only cost)
_MAKE_AT = 2
_SEEN_ONCE = 1
_NOT_TEMPLATED = 0


def _marker(rank: int) -> str:
    return f"zq{rank:04d}x"


class _Template:
    """DDL text split at the names: text, slot, text, ..., text."""

    __slots__ = ("parts", "_slots")

    def __init__(self, parts: tuple[Any, ...]) -> None:
        self.parts = parts
        self._slots = parts[1::2]

    def fill(self, names: list[str]) -> str:
        filled = list(self.parts)
        filled[1::2] = map(names.__getitem__, self._slots)
        return "".join(filled)


def _filled(
    templates: list[tuple[Kind, _Template]], names: list[str], op: Any, tags: tuple[str | None, str | None]
) -> list[Statement]:
    """The statements of ``op`` from its shape's templates, tagged as :meth:`MigrationContext.emit` would tag them."""
    revision, direction = tags
    return [Statement(kind, template.fill(names), revision, direction, op) for kind, template in templates]


def _parse(text: str, slot_of_rank: list[int]) -> _Template | None:
    """``text`` split at its markers, or None when a marker is part of a longer identifier."""
    pieces = _MARKER.split(text)
    parts: list[Any] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            parts.append(piece)
            continue
        rank = int(piece)
        if rank >= len(slot_of_rank):
            return None
        before, after = pieces[i - 1], pieces[i + 1]
        if (before and _IDENTIFIER_CHAR.match(before[-1])) or (after and _IDENTIFIER_CHAR.match(after[0])):
            return None  # e.g. a naming convention's "ix_<table>_<column>": not the name itself
        parts.append(slot_of_rank[rank])
    return _Template(tuple(parts))


#: the class-level listener collections :func:`_foreign_listeners` reads (found once)
_WATCHED: list[tuple[type, Any]] | None = None


def _watched() -> list[tuple[type, Any]]:
    """Each watched class with the collection of one of its events' class-level listeners."""
    global _WATCHED
    if _WATCHED is None:
        from sqlalchemy import (
            CheckConstraint,
            Column,
            ForeignKey,
            ForeignKeyConstraint,
            Index,
            MetaData,
            PrimaryKeyConstraint,
            Table,
            UniqueConstraint,
        )

        attach = ("before_parent_attach", "after_parent_attach")
        watched = (
            (Table, (*attach, "before_create", "after_create", "before_drop", "after_drop")),
            (MetaData, ("before_create", "after_create", "before_drop", "after_drop")),
            (Column, attach), (Index, attach), (PrimaryKeyConstraint, attach), (UniqueConstraint, attach),
            (CheckConstraint, attach), (ForeignKeyConstraint, attach), (ForeignKey, attach),
        )
        # a dispatcher keeps one collection per event for its whole life: listeners come and go inside it
        _WATCHED = [(cls, getattr(cls.dispatch, event)._clslevel) for cls, events in watched for event in events]
    return _WATCHED


class _ListenersRead:
    """What :func:`_foreign_listeners` read last, laid out to be checked again at C speed.

    The watched listener deques SQLAlchemy had made (it never replaces one)
    with their lengths, each listener with its deque and index, and for the
    watched classes without a deque their registry's dict and key (a weak
    reference to the class): the same lengths, the same listener at each
    index (by identity) and still no listener for those classes mean the
    same listeners.
    """

    __slots__ = ("deques", "lengths", "at_deques", "at_indexes", "listeners", "absent_in", "absent_keys", "answer")

    def __init__(self) -> None:
        self.deques: list[Any] = []
        self.at_deques: list[Any] = []
        self.at_indexes: list[int] = []
        self.listeners: list[Any] = []
        self.absent_in: list[dict[Any, Any]] = []
        self.absent_keys: list[Any] = []
        for cls, registry in _watched():
            found = registry.get(cls)
            if found is None:
                self.absent_in.append(registry.data)
                self.absent_keys.append(weakref.ref(cls))
                continue
            self.deques.append(found)
            for index, fn in enumerate(found):
                self.at_deques.append(found)
                self.at_indexes.append(index)
                self.listeners.append(fn)
        self.lengths = list(map(len, self.deques))
        self.answer = any(not str(getattr(fn, "__module__", "")).startswith("sqlalchemy.") for fn in self.listeners)

    def unchanged(self) -> bool:
        return bool(
            list(map(len, self.deques)) == self.lengths
            and all(map(operator.is_, map(operator.getitem, self.at_deques, self.at_indexes), self.listeners))
            and not any(map(dict.get, self.absent_in, self.absent_keys))  # an empty deque counts as none
        )


_LAST_READ: _ListenersRead | None = None


def _foreign_listeners() -> bool:
    """Whether code outside SQLAlchemy listens to schema objects being made, attached, created or dropped.

    Asked before every operation an offline run lowers; listeners are rarely
    added, so the answer is kept while the listeners stay the same
    (:class:`_ListenersRead`).
    """
    global _LAST_READ
    try:
        last = _LAST_READ
        if last is None or not last.unchanged():
            last = _LAST_READ = _ListenersRead()
        return last.answer
    except (AttributeError, TypeError, IndexError):  # another SQLAlchemy's event internals: assume the worst
        return True


#: names a function calls to change how later statements compile: SQLAlchemy's ``@compiles``
#: and its event registration (a template keeps the text of the first operation of a shape)
_REGISTERING_NAMES = frozenset({"compiles", "listen", "listens_for"})


def registers_at_run_time(functions: Iterable[Any]) -> bool:
    """Whether one of ``functions`` (or a function nested in it) names ``compiles`` or ``listen``.

    A revision's ``upgrade()`` that registers a ``@compiles`` or a listener
    changes how the statements after it compile, as each is compiled afresh
    under Alembic; a template made earlier would keep the old text. Read from
    the code objects (names the code loads), so a call through an alias
    (``from sqlalchemy.ext.compiler import compiles as c``) is not seen,
    nor one inside a helper module's function: what a revision file does at
    import time happens before the first statement and needs no check.
    """
    stack = [getattr(fn, "__code__", None) for fn in functions]
    while stack:
        code = stack.pop()
        if not isinstance(code, CodeType):
            continue
        if not (_REGISTERING_NAMES.isdisjoint(code.co_names) and _REGISTERING_NAMES.isdisjoint(code.co_freevars)):
            return True
        stack += [const for const in code.co_consts if type(const) is CodeType]
    return False


def _stock_quoting(preparer_class: type) -> bool:
    """Whether ``preparer_class`` quotes identifiers by SQLAlchemy's own rules (its methods not overridden)."""
    from sqlalchemy.sql.compiler import IdentifierPreparer

    return bool(
        getattr(preparer_class, "quote", None) is IdentifierPreparer.quote
        and getattr(preparer_class, "_requires_quotes", None) is IdentifierPreparer._requires_quotes
    )


class DDLTemplates:
    """The templates of one offline emitter (one dialect, one run)."""

    def __init__(self, emitter: Emitter) -> None:
        self.emitter = emitter
        self.behaviour = emitter.behaviour
        dialect = emitter.dialect
        preparer = dialect.identifier_preparer
        self._quote = preparer.quote
        #: the preparer whose rules :meth:`plain` may apply itself: SQLAlchemy's own ``quote``
        #: and ``_requires_quotes`` (a dialect that overrides either is asked through ``quote``)
        self._stock_preparer = preparer if _stock_quoting(type(preparer)) else None
        limits = [getattr(dialect, name, None) for name in
                  ("max_identifier_length", "max_index_name_length", "max_constraint_name_length")]
        self._max_length = min((n for n in limits if isinstance(n, int) and n > 0), default=0)
        self.enabled = os.environ.get("LIMBECK_DDL_TEMPLATES", "1") != "0"
        # imported once per run, here: an import statement in :meth:`lower` costs a module
        # lookup for every operation
        from limbeck.compiler.op_shapes import shape_of

        self._shape_of = shape_of
        #: shape key -> templates, or how often the shape was seen (0: never templated)
        self._shapes: dict[tuple[Any, ...], list[tuple[Kind, _Template]] | int] = {}
        self._plain: dict[str, bool] = {}
        #: the names :meth:`plain` said yes to
        self._plain_names: set[str] = set()
        #: operations rendered from a template (tests read it)
        self.hits = 0
        #: the observers :meth:`_text_only` last read, and its answer then
        self._observers_read: list[Any] | None = None
        self._observers_text_only = False

    def turn_off(self) -> None:
        """No templates for the rest of the run (a revision registers compile hooks at run time)."""
        self.enabled = False

    def _text_only(self) -> bool:
        observers = self.emitter.observers
        if observers != self._observers_read:  # the same observers as last time: the same answer
            self._observers_read = list(observers)
            self._observers_text_only = all(getattr(observer, "text_only", False) for observer in observers)
        return self._observers_text_only

    def plain(self, name: str) -> bool:
        """Whether ``name`` renders as itself on this dialect (see the module docstring)."""
        known = self._plain.get(name)
        if known is None:
            known = self._plain[name] = bool(
                _PLAIN.fullmatch(name) and len(name) <= self._max_length and self._unquoted(name)
            )
            if known:
                self._plain_names.add(name)
        return known

    def _unquoted(self, name: str) -> bool:
        """``quote(name) == name`` for a name of :data:`_PLAIN` (lowercase ASCII)."""
        preparer = self._stock_preparer
        if preparer is None or getattr(name, "quote", None) is not None:
            return bool(self._quote(name) == name)
        # SQLAlchemy's quote() leaves such a name as it is unless _requires_quotes() says
        # otherwise; for a lowercase name that is the reserved word, initial character and
        # legal characters checks (its lower() is the name itself; quoted_name.lower() is a
        # memoized method, slow on the thousands of new names of a long history)
        return not (
            name in preparer.reserved_words
            or name[0] in preparer.illegal_initial_characters
            or not preparer.legal_characters.match(name)
        )

    def _all_plain(self, names: list[str]) -> bool:
        known = self._plain_names
        return known.issuperset(names) or all(map(self.plain, set(names).difference(known)))

    def lower(
        self, op: Any, behaviour: DialectBehaviour, lowering: Lowering, tags: tuple[str | None, str | None] = (None, None)
    ) -> list[Statement]:
        """``lowering(op, behaviour)``, or statements holding the same texts made from a template.

        ``tags`` are the revision and direction the statements would be given
        when emitted (``MigrationContext.stream_tags``): one made from a
        template carries them from the start.
        """
        if not self.enabled or behaviour is not self.behaviour or not self._text_only():
            return lowering(op, behaviour)
        shape = self._shape_of(op)
        if shape is None or _foreign_listeners():
            return lowering(op, behaviour)
        entry = self._shapes.get(shape.key)
        if isinstance(entry, list):
            names = shape.names
            if self._all_plain(names):
                self.hits += 1
                return _filled(entry, names, op, tags)
            return lowering(op, behaviour)
        if entry == _NOT_TEMPLATED:
            return lowering(op, behaviour)
        seen = (entry or 0) + 1  # None: not seen yet
        if seen < _MAKE_AT:
            self._shapes[shape.key] = seen
            return lowering(op, behaviour)
        statements = lowering(op, behaviour)  # as usual: its warnings and errors reach the user
        made = self._make(shape, op, behaviour, lowering, statements)
        self._shapes[shape.key] = made if made is not None else _NOT_TEMPLATED
        if made is None:
            return statements
        return _filled(made, shape.names, op, tags)

    # -- making a template ------------------------------------------------------------------
    def _texts(self, statements: list[Statement]) -> list[str] | None:
        """The one text of each statement, or None when they are not all plain single DDL texts."""
        texts = []
        for stmt in statements:
            if (
                type(stmt) is not Statement
                or stmt.kind is not Kind.DDL
                or isinstance(stmt.element, str)
                or stmt.multiparams is not None
                or stmt.params is not None
                or stmt.execution_options is not None
                or stmt.autocommit
                or stmt.info
            ):
                return None
            rendered = self.emitter._texts(stmt, stmt.kind)
            if len(rendered) != 1:
                return None
            texts.append(rendered[0])
        return texts

    def _make(
        self, shape: Shape, op: Any, behaviour: DialectBehaviour, lowering: Lowering, statements: list[Statement]
    ) -> list[tuple[Kind, _Template]] | None:
        names = shape.names
        if not self._all_plain(names) or len(names) > 9999:
            return None
        texts = self._texts(statements)
        if texts is None:
            return None
        # markers sort as the names they stand for where lowerings sort (the key's last part)
        order = list(shape.key[-1])
        order += [slot for slot in range(len(names)) if slot not in set(order)]
        rank_of = {slot: rank for rank, slot in enumerate(order)}
        markers = [_marker(rank_of[slot]) for slot in range(len(names))]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                marked = self._texts(lowering(shape.rebuild(markers), behaviour))
                again = self._texts(lowering(shape.rebuild(list(names)), behaviour))
            except Exception:  # noqa: BLE001 - a shape that fails with other names is not one
                return None
        if caught or marked is None or again != texts or len(marked) != len(texts):
            return None
        templates = []
        for stmt, text, marked_text in zip(statements, texts, marked):
            template = _parse(marked_text, order)
            if template is None or template.fill(names) != text:
                return None
            templates.append((stmt.kind, template))
        return templates
