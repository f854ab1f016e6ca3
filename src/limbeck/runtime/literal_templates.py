"""Offline DML texts from compiled templates: compile a statement shape once per run.

An offline run renders thousands of statements that differ only in their
values: one version-table UPDATE per revision, one INSERT per
``bulk_insert`` row, the same ``op.execute(update(...))`` shape again and
again. Compiling each with SQLAlchemy costs far more than the SQL is worth,
so :class:`LiteralTemplates` compiles a *shape* once, with every bound value
replaced by a marker, and afterwards fills the markers with the values of
each new statement, rendered by the very method the compile would have
called (the literal compiler's ``render_literal_value``, with limbeck's own
special cases, for the bind's type). The text is therefore exactly what
:func:`limbeck.runtime.literals.compile_literal` returns; ``tests/perf``
proves it over generated statements on every dialect.

What makes two statements "the same shape" is SQLAlchemy's own cache key
(the structure it caches compiled SQL by, values extracted), plus which
bound values are NULL (SQLAlchemy renders those through another path).
A shape is only kept when the compile showed that every value reached the
text through that one method and nothing else read it:

- every literal rendered was a bound value of the cache key, not one the
  compiler made up or one with an ``expanding`` list (``IN``);
- no ``text()`` fragment had bound values (SQLAlchemy post-processes the
  text around them);
- no statement-level parameters (``.params()``) were collected.

Anything else (DDL, statements SQLAlchemy cannot cache, a value whose
rendering raises) is compiled the ordinary way, so errors and their
messages do not change either.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Mapping
from typing import Any

from sqlalchemy.sql.ddl import BaseDDLElement
from sqlalchemy.sql.elements import BindParameter

from limbeck.compiler.data import unknown_keys
from limbeck.errors import NoSuchColumn
from limbeck.runtime.literals import column_default, compile_literal, literal_compiler, literal_row
from limbeck.sqla_compat import collected_params, statement_params

__all__ = ["LiteralTemplates", "bind_values"]

_MARK = "\x00"
#: how many row shapes of ``bulk_insert`` tables are remembered before starting afresh
_ROW_SHAPES = 4096

#: the slot lookup of the template being compiled (read by the compiler's ``__init__``)
_pending = threading.local()


class _Slots:
    """How a template compile maps the bound values it meets to fill-in slots."""

    def __init__(self, by_key: Mapping[str, Any]) -> None:
        #: bind key -> slot (an index into the cache key's binds, or a row key)
        self.by_key = by_key
        #: per marker written: (slot, the type the compiler rendered the value with)
        self.marks: list[tuple[Any, Any]] = []
        self.ok = True

    def slot_for(self, bind: BindParameter[Any]) -> Any:
        for candidate in bind._cloned_set:
            slot = self.by_key.get(candidate.key, _Slots)
            if slot is not _Slots:
                return slot
        return _Slots


class _TemplateRendering:
    """Mixed in before the literal compiler: bound values become markers."""

    # super() is SQLAlchemy's SQLCompiler (see literal_compiler), whose methods overridden here
    # are unannotated: hence the misc (super() of a plain class) / no-any-return ignores below

    _limbeck_slots: _Slots

    def __init__(self, *args: Any, **kw: Any) -> None:
        slots = getattr(_pending, "slots", None)
        if slots is None:  # made outside LiteralTemplates._compile: render plainly, keep nothing
            slots = _Slots({})
            slots.ok = False
        self._limbeck_slots = slots
        super().__init__(*args, **kw)

    def render_literal_bindparam(self, bind: Any, *args: Any, **kw: Any) -> str:
        slots = self._limbeck_slots
        if args or kw.get("bind_expression_template") is not None or "render_literal_value" in kw or bind.expanding:
            slots.ok = False
        elif column_default(self, bind) is not None:
            # the column's own default, which the literal compiler writes: the Table, not the shape, decides it
            slots.ok = False
        elif bind.value is not None or bind.callable is not None:
            slot = slots.slot_for(bind)
            if slot is _Slots:
                slots.ok = False
            else:
                slots.marks.append((slot, bind.type))
                return f"{_MARK}{len(slots.marks) - 1}{_MARK}"
        return super().render_literal_bindparam(bind, *args, **kw)  # type: ignore[misc,no-any-return]

    def visit_textclause(self, textclause: Any, **kw: Any) -> str:
        if textclause._bindparams:
            self._limbeck_slots.ok = False
        return super().visit_textclause(textclause, **kw)  # type: ignore[misc,no-any-return]

    def visit_tstring(self, tstring: Any, **kw: Any) -> str:
        self._limbeck_slots.ok = False
        return super().visit_tstring(tstring, **kw)  # type: ignore[misc,no-any-return]


class _Template:
    """Literal text pieces, and for each marker the slot and type its value renders from.

    A *named* template (a ``bulk_insert`` row for any table of one shape)
    has one text piece split in two around the table name: ``(before, after)``.
    """

    __slots__ = ("marks", "named", "parts")

    def __init__(self, parts: list[Any], marks: list[tuple[Any, Any]], named: bool = False) -> None:
        #: text, marker, text, marker, ..., text (markers as ints into ``marks``)
        self.parts: tuple[Any, ...] = tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
        self.marks = marks
        self.named = named

    def fill(self, render: Any, values: Any, name: str | None = None) -> str:
        """The text with each marker rendered by ``render(values[slot], type)`` (and the table's ``name``)."""
        if self.named is not (name is not None):
            raise ValueError("a named template needs a name, and only it")
        out: list[str] = []
        marks = self.marks
        table_name = name or ""  # given exactly when the template is named (checked above)
        for i, part in enumerate(self.parts):
            if i % 2:
                slot, type_ = marks[part]
                out.append(render(values[slot], type_))
            elif type(part) is tuple:
                out += (part[0], table_name, part[1])
            else:
                out.append(part)
        return "".join(out)


def _parse(text: str, marks: int) -> list[str] | None:
    """``text`` split at its markers; None unless each marker occurs exactly once."""
    parts = text.split(_MARK)
    if len(parts) != 2 * marks + 1:
        return None
    seen = sorted(parts[1::2])
    if seen != sorted(str(i) for i in range(marks)):
        return None
    return parts


class LiteralTemplates:
    """Offline literal rendering for one dialect, remembering statement shapes.

    ``statement(element)`` and ``row(insert, row)`` return exactly what
    ``compile_literal(element, dialect)`` and
    ``compile_literal(insert.values(literal_row(insert, row)), dialect)``
    return.
    """

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect
        self._compiler_cls = literal_compiler(dialect, "Template", (_TemplateRendering,))
        #: (cache key, NULL slots) -> template, or None for a shape that cannot be one
        self._shapes: dict[Any, _Template | None] = {}
        #: (INSERT shape, row keys, NULL keys) -> template or None, for ``bulk_insert`` rows
        self._rows: dict[tuple[Any, ...], _Template | None] = {}
        #: id(element) -> (element, template or None), for :meth:`prepared` (the element is
        #: kept so its id stays its own)
        self._prepared: dict[int, tuple[Any, _Template | None]] = {}
        #: the INSERT of the rows being rendered, its shape and the table name its templates leave out
        self._last_insert: tuple[Any, Any, str | None] | None = None
        #: table shapes whose named template did not give the per-table text: never named again
        self._unnamed: set[Any] = set()
        #: table name -> whether it renders as written (:meth:`_plain_name`)
        self._plain_names: dict[str, bool] = {}
        #: how often a remembered shape was filled (tests read it)
        self.hits = 0
        #: the ``render_literal_value`` of a template compiler, for every fill: it depends
        #: on the dialect and the compiler class only, so one instance serves all
        #: templates and none has to keep its statement alive
        self._render: Any = None

    # -- any DML ----------------------------------------------------------------------
    def statement(self, element: Any) -> str:
        """``element`` compiled with literal values, from a template when its shape has one."""
        if isinstance(element, BaseDDLElement) or not hasattr(element, "_generate_cache_key"):
            return compile_literal(element, self.dialect)
        with warnings.catch_warnings():
            # a construct SQLAlchemy cannot cache says so once; that is not the user's concern here
            warnings.simplefilter("ignore")
            key = element._generate_cache_key()
        if key is None or statement_params(key):
            return compile_literal(element, self.dialect)
        binds = key.bindparams
        if any(b.callable is not None for b in binds):  # called once per rendering: not ours to repeat
            return compile_literal(element, self.dialect)
        nulls = tuple(i for i, b in enumerate(binds) if b.value is None and b.callable is None)
        shape = (key.key, nulls)
        if shape in self._shapes:
            template = self._shapes[shape]
            if template is None:
                return compile_literal(element, self.dialect)
            text = self._fill(template, [b.effective_value for b in binds])
            if text is not None:
                self.hits += 1
                return text
            return compile_literal(element, self.dialect)
        by_key = {b.key: i for i, b in enumerate(binds)}
        if len(by_key) != len(binds):  # two values under one name: which is which is ambiguous
            self._shapes[shape] = None
            return compile_literal(element, self.dialect)
        template = self._compile(element, by_key)
        self._shapes[shape] = template
        if template is None:
            return compile_literal(element, self.dialect)
        text = self._fill(template, [b.effective_value for b in binds])
        return text if text is not None else compile_literal(element, self.dialect)

    # -- statements built once, with named parameters --------------------------------
    def prepared(self, element: Any, params: Mapping[str, Any]) -> str:
        """``element`` with ``params`` bound, compiled with literal values; its template is made once.

        For statements a caller builds once and reuses with new values (the
        version table's), so the shape is known by identity and no cache key
        has to be computed per statement.
        """
        complete = all(v is not None for v in params.values())
        entry = self._prepared.get(id(element))
        if entry is None or entry[0] is not element:
            template = None
            if complete:
                valued = bind_values(element, params)
                key = valued._generate_cache_key()
                if key is not None and {b.key for b in key.bindparams} == set(params):
                    template = self._compile(valued, {name: name for name in params})
            entry = self._prepared[id(element)] = (element, template)
        template = entry[1]
        if template is not None and complete:
            text = self._fill(template, params)
            if text is not None:
                self.hits += 1
                return text
        return compile_literal(bind_values(element, params), self.dialect)

    # -- bulk_insert rows -------------------------------------------------------------
    def row(self, insert: Any, row: Mapping[str, Any]) -> str:
        """One ``bulk_insert`` row as a literal INSERT (what :func:`literal_row` makes of it)."""
        keys = tuple(row)
        nulls = tuple(k for k in keys if row[k] is None)
        last = self._last_insert
        if last is not None and last[0] is insert:
            insert_shape, name = last[1], last[2]  # the rows of one bulk_insert: its shape is found once
        else:
            insert_shape, name = self._insert_shape(insert)
            self._last_insert = (insert, insert_shape, name)
        shape = (insert_shape, keys, nulls)
        if shape in self._rows:
            template = self._rows[shape]
            if template is not None:
                text = self._fill(template, row, name)
                if text is not None:
                    self.hits += 1
                    return text
            return compile_literal(insert.values(literal_row(insert, row)), self.dialect)
        _check_columns(insert, keys)
        values = literal_row(insert, row)
        template = None
        if _typed_by_columns(insert, row):
            by_key = {v.key: k for k, v in values.items() if isinstance(v, BindParameter)}
            template = self._compile(insert.values(values), by_key)
            if template is not None and name is not None:
                named = self._named_template(insert, row, name)
                expected = self._fill(template, row)  # None when a value cannot be rendered: not a check
                if named is None or expected is None or self._fill(named, row, name) != expected:
                    # this shape renders from per-table templates from now on
                    self._unnamed.add(insert_shape)
                    insert_shape = self._insert_shape(insert)[0]
                    self._last_insert = (insert, insert_shape, None)
                    shape = (insert_shape, keys, nulls)
                    name = None
                else:
                    template = named
        if len(self._rows) >= _ROW_SHAPES:
            self._rows.clear()
        self._rows[shape] = template
        if template is not None:
            text = self._fill(template, row, name)
            if text is not None:
                return text
        return compile_literal(insert.values(values), self.dialect)

    def _named_template(self, insert: Any, row: Mapping[str, Any], name: str) -> _Template | None:
        """The row's template for any table of ``insert``'s shape: the table name a slot of its own.

        Compiled from the same INSERT into a table named :data:`_TABLE_MARK`;
        the marker must appear once, as a whole identifier, in literal text.
        """
        from sqlalchemy import column, table

        source = insert.table
        clone = table(_TABLE_MARK, *[column(c.name, c.type) for c in source.c], schema=source.schema)
        marked_insert = clone.insert().inline()
        values = literal_row(marked_insert, row)
        by_key = {v.key: k for k, v in values.items() if isinstance(v, BindParameter)}
        template = self._compile(marked_insert.values(values), by_key)
        if template is None:
            return None
        parts = list(template.parts)
        found = [i for i in range(0, len(parts), 2) if _TABLE_MARK in parts[i]]
        if len(found) != 1:
            return None
        before, mark, after = parts[found[0]].partition(_TABLE_MARK)
        if _TABLE_MARK in after or _IDENTIFIER_END.search(before) or _IDENTIFIER_START.match(after):
            return None
        parts[found[0]] = (before, after)
        return _Template(parts, template.marks, named=True)

    def _insert_shape(self, insert: Any) -> tuple[Any, str | None]:
        """What identifies ``insert`` before values are added, and the table name its templates leave out.

        An INSERT of a plain ``sa.table()`` (see :func:`_table_shape`) into a
        table whose name renders as itself shares its templates with every
        other table of the same columns, schema and types: the name is filled
        in like a value. Otherwise ``bulk_insert`` calls on the same
        ``sa.table()`` (name, columns, types) share one template; an INSERT
        SQLAlchemy cannot cache, or one that already carries values, only
        shares with itself (kept alive by the key, so its ``id`` cannot be
        reused).
        """
        named = _table_shape(insert)
        if named is not None and named not in self._unnamed and self._plain_name(insert.table.name):
            return named, insert.table.name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key = insert._generate_cache_key()
        if key is None or key.bindparams or statement_params(key):
            return ("object", id(insert), insert), None
        return key.key, None

    def _plain_name(self, name: str) -> bool:
        """Whether ``name`` appears in this dialect's SQL as written (unquoted, whole)."""
        known = self._plain_names.get(name)
        if known is None:
            dialect = self.dialect
            limit = getattr(dialect, "max_identifier_length", None)
            known = self._plain_names[name] = bool(
                _PLAIN_NAME.fullmatch(name)
                and isinstance(limit, int)
                and len(name) <= limit
                and dialect.identifier_preparer.quote(name) == name
            )
        return known

    # -- compiling and filling --------------------------------------------------------
    def _compile(self, element: Any, by_key: Mapping[str, Any]) -> _Template | None:
        slots = _Slots(by_key)
        _pending.slots = slots
        try:
            compiler = self._compiler_cls(self.dialect, element, compile_kwargs={"literal_binds": True})
        except Exception:  # noqa: BLE001 - the ordinary compile raises it again, with its own message
            return None
        finally:
            _pending.slots = None
        if not slots.ok or collected_params(compiler):
            return None
        parts = _parse(str(compiler), len(slots.marks))
        if parts is None:
            return None
        if self._render is None:
            self._render = compiler.render_literal_value
        return _Template(parts, slots.marks)

    def _fill(self, template: _Template, values: Any, name: str | None = None) -> str | None:
        try:
            return template.fill(self._render, values, name)
        except Exception:  # noqa: BLE001 - a value the renderer refuses: the ordinary compile words the error
            return None


def bind_values(element: Any, params: Mapping[str, Any]) -> Any:
    """``element`` with the named bound parameters of ``params`` given their values.

    What ``.params()`` does for a SELECT, for INSERT/UPDATE/DELETE too
    (SQLAlchemy refuses ``.params()`` on those).
    """
    from sqlalchemy.sql.visitors import replacement_traverse

    def bind(element: Any, **kw: Any) -> Any:
        if isinstance(element, BindParameter) and element.key in params:
            # SQLAlchemy leaves _with_value unannotated
            return element._with_value(params[element.key], maintain_key=True)  # type: ignore[no-untyped-call]
        return None

    opts: dict[str, Any] = {}
    return replacement_traverse(element, opts, bind)


def _typed_by_columns(insert: Any, row: Mapping[str, Any]) -> bool:
    """Whether every value's type comes from its column, not from the value itself.

    :func:`literal_row` lets SQLAlchemy infer the type of a value for an
    untyped column; a template made from one row would then fix the type
    the next row's value may not have.
    """
    from sqlalchemy.types import NullType

    columns = insert.table.c
    for key, value in row.items():
        if value is None:
            continue
        column = columns.get(key) if hasattr(columns, "get") else None
        type_ = getattr(column, "type", None)
        if type_ is None or isinstance(type_, NullType):
            return False
    return True


#: the table name a named template is compiled with (a plain name on every dialect)
_TABLE_MARK = "zqtablemarkzq"
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_IDENTIFIER_END = re.compile(r"[A-Za-z0-9_$#@]$")
_IDENTIFIER_START = re.compile(r"[A-Za-z0-9_$#@]")
_TABLE_KEYS = frozenset({"name", "_columns", "fullname"})
#: what a ``TableClause`` may hold besides: its schema, and what SQLAlchemy memoizes on it (derived, not options)
_TABLE_EXTRA = frozenset({"schema", "primary_key", "foreign_keys", "c", "description", "_autoincrement_column",
                          "_annotations_cache_key", "_cloned_set"})
_COLUMN_KEYS = frozenset({"key", "name", "table", "type", "is_literal"})


def _table_shape(insert: Any) -> tuple[Any, ...] | None:
    """A key for ``insert`` without its table's name, when it is ``sa.table(...).insert().inline()`` and no more.

    The table: a ``TableClause`` holding only what ``sa.table()`` sets
    (name, schema, columns), its columns plain ``sa.column()`` s of a plain
    type (:func:`limbeck.compiler.op_shapes.type_key`); the INSERT: only
    the table and ``inline()``. Anything else (a ``Table``, a column with a
    key of its own, a statement with values, RETURNING...) is None.
    """
    from sqlalchemy.sql.dml import Insert
    from sqlalchemy.sql.elements import ColumnClause
    from sqlalchemy.sql.selectable import TableClause

    from limbeck.compiler.op_shapes import NotPlain, type_key

    if type(insert) is not Insert:
        return None
    attrs = vars(insert)
    table = attrs.get("table")
    if len(attrs) != 2 or attrs.get("_inline") is not True or type(table) is not TableClause:
        return None
    t = vars(table)
    schema = t.get("schema")
    name = t["name"]
    if (
        not _TABLE_KEYS.issubset(t)
        or not _TABLE_EXTRA.issuperset(t.keys() - _TABLE_KEYS)
        or type(name) is not str
        or (schema is not None and type(schema) is not str)
        or t["fullname"] != (f"{schema}.{name}" if schema else name)
        or t.get("primary_key")
        or t.get("foreign_keys")
    ):
        return None
    columns = []
    try:
        # the collection itself: ``table.c`` would make (and memoize) a read-only view of it per table
        for col in t["_columns"]:
            c = vars(col)
            if (
                type(col) is not ColumnClause
                or frozenset(c) != _COLUMN_KEYS
                or c["table"] is not table
                or c["is_literal"]
                or type(c["name"]) is not str
                or c["key"] != c["name"]
            ):
                return None
            columns.append((c["name"], type_key(c["type"])))
    except NotPlain:
        return None
    return ("table", schema, tuple(columns))


def _check_columns(insert: Any, keys: tuple[str, ...]) -> None:
    """Refuse a row naming a column the table lacks, as Alembic's offline ``bulk_insert`` does.

    Alembic types each literal by ``table.c[key]``, so an unknown key is a
    ``KeyError`` there; without this check SQLAlchemy's ``CompileError``
    (``Unconsumed column names``) would surface instead. Checked once per row
    shape (a cached shape's keys were checked when it was made).
    """
    unknown = unknown_keys(insert, keys)
    if unknown:
        key = unknown[0]
        have = ", ".join(c.key for c in insert.table.c) or "none"
        raise NoSuchColumn(
            f"bulk_insert({insert.table.fullname}): a row names column {key!r}, which the table does not have "
            f"(its columns: {have}); add the column to the table given to bulk_insert, or drop the key",
            key,
        )
