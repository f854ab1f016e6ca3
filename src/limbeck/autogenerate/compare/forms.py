"""A table's check conditions, generation expressions and index definitions, in the database's words.

Databases rewrite the expressions they are given: PostgreSQL stores
``kind IN ('a', 'b')`` as ``(kind)::text = ANY (ARRAY['a'::character
varying, ...])``, MariaDB quotes every column name, SQLite keeps the text as
it was written. Comparing a model's expression with a reflected one is
only meaningful once both are in the same words, which happens one of two
ways (:class:`~limbeck.dialects.base.CatalogFacts` says which):

* the database keeps DDL as written (SQLite): the model's object is compiled
  as ``CREATE TABLE`` / ``CREATE INDEX`` would write it, and both texts are
  normalised (:mod:`.sqltext`);
* the database rewrites (PostgreSQL, MySQL, MariaDB): the model's objects are
  created on a temporary table inside a savepoint, that table is reflected
  the same way as the real one, and the savepoint is rolled back
  (:mod:`.probe`). The database's answer is the comparison's reference.

A database that does neither (SQL Server, Oracle) gets no forms: its
expressions are not compared, and nothing is reported for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.sqltext import normalize_element, normalize_sql
from limbeck.operations.written_ddl import IndexSQL, parse_create_index

if TYPE_CHECKING:
    from sqlalchemy import Column, Index, Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.autogenerate.compare.probe import Answer, Request


@dataclass(frozen=True)
class IndexForm:
    """An index as the database defines it: elements (with their order) and WHERE."""

    unique: bool
    elements: tuple[str, ...]
    where: str | None


@dataclass
class Forms:
    """One side's normalised texts, by check name, column name and index name."""

    checks: dict[str, str] = field(default_factory=dict)
    computed: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, IndexForm] = field(default_factory=dict)


def object_name(obj: Any) -> str | None:
    from sqlalchemy.sql.base import _NoneName

    name = obj.name
    return None if name is None or isinstance(name, _NoneName) else str(name)


def index_form_from_sql(parsed: IndexSQL) -> IndexForm:
    where = normalize_sql(parsed.where) if parsed.where else None
    return IndexForm(parsed.unique, tuple(normalize_element(e) for e in parsed.elements), where)


def index_where(index: Index) -> Any:
    """The index's ``<dialect>_where`` option (a partial index's condition), if any."""
    for key, value in index.dialect_kwargs.items():
        if key.endswith("_where") and value is not None:
            return value
    return None


def index_form_from_reflection(entry: dict[str, Any]) -> IndexForm:
    """The form of an index as ``Inspector.get_indexes`` describes it (as SQLAlchemy builds the Index)."""
    sorting = entry.get("column_sorting") or {}
    expressions = entry.get("expressions") or entry.get("column_names") or []
    elements = []
    for i, expression in enumerate(expressions):
        name = (entry.get("column_names") or [None] * len(expressions))[i] or expression
        words = [w.upper().replace("_", " ") for w in sorting.get(name, ())]
        elements.append(normalize_element(" ".join([expression, *words])))
    where = next((v for k, v in (entry.get("dialect_options") or {}).items() if k.endswith("_where") and v), None)
    return IndexForm(bool(entry.get("unique")), tuple(elements), normalize_sql(str(where)) if where else None)


def index_form_from_object(ctx: AutogenContext, index: Index) -> IndexForm:
    """The form of a reflected index (its expressions are what the database said)."""
    from limbeck.autogenerate.render.schema import sql_text

    where = index_where(index)
    elements = tuple(normalize_element(sql_text(e, ctx)) for e in index.expressions)
    return IndexForm(bool(index.unique), elements, normalize_sql(sql_text(where, ctx)) if where is not None else None)


def _computed_text(ctx: AutogenContext, column: Column[Any]) -> str:
    return normalize_sql(_expression(ctx, column))


def table_checks(table: Table) -> list[Any]:
    """Every check constraint of ``table``, a column's own (``Column("x", Integer, CheckConstraint(...))``) included.

    SQLAlchemy keeps a column's check with the column, not in ``table.constraints``.
    """
    from sqlalchemy import CheckConstraint

    found = [c for c in table.constraints if isinstance(c, CheckConstraint)]
    found += [c for column in table.c for c in column.constraints if isinstance(c, CheckConstraint)]
    return found


def checks_of(table: Table) -> dict[str, Any]:
    """The named check constraints of ``table`` (those an Enum or Boolean type makes included)."""
    found: dict[str, Any] = {}
    for constraint in table_checks(table):
        name = object_name(constraint)
        if name is not None:
            found[name] = constraint
    return found


def reflected_forms(ctx: AutogenContext, table: Table, index_sql: dict[str, IndexSQL] | None = None) -> Forms:
    """The forms of the database's table (its indexes from ``index_sql`` where the catalog keeps them)."""
    from limbeck.autogenerate.render.schema import sql_text

    forms = Forms()
    forms.checks = {name: normalize_sql(sql_text(c.sqltext, ctx)) for name, c in checks_of(table).items()}
    forms.computed = {c.name: _computed_text(ctx, c) for c in table.c if c.computed is not None}
    if index_sql is not None:
        forms.indexes = {name: index_form_from_sql(parsed) for name, parsed in index_sql.items()}
    elif ctx.catalog.probe_indexes:
        forms.indexes = {name: index_form_from_object(ctx, ix) for ix in table.indexes if (name := object_name(ix))}
    return forms


def _index_sql(ctx: AutogenContext, table: Table) -> dict[str, IndexSQL] | None:
    """The statements the catalog keeps for the table's indexes, by name (SQLite); ``None`` elsewhere."""
    if ctx.catalog.ddl_text_query is None:
        return None
    return ctx.written_indexes.get((table.schema, table.name), {})


def _compiled_forms(ctx: AutogenContext, table: Table, wanted: Wanted) -> Forms:
    """The models' objects as ``CREATE TABLE`` / ``CREATE INDEX`` would write them."""
    from limbeck.autogenerate.render.schema import sql_text

    forms = Forms()
    checks = checks_of(table)
    forms.checks = {name: normalize_sql(sql_text(checks[name].sqltext, ctx)) for name in wanted.checks}
    forms.computed = {name: _computed_text(ctx, table.c[name]) for name in wanted.computed}
    by_name = {object_name(ix): ix for ix in table.indexes}
    for name in wanted.indexes:
        parsed = _compiled_index(ctx, by_name[name])
        if parsed is not None:
            forms.indexes[name] = index_form_from_sql(parsed)
    return forms


def _compiled_index(ctx: AutogenContext, index: Index) -> IndexSQL | None:
    """The model's index as ``CREATE INDEX`` writes it; ``None`` if this database cannot (not compared)."""
    from sqlalchemy.schema import CreateIndex

    try:
        return parse_create_index(str(CreateIndex(index).compile(dialect=ctx.dialect)))
    except Exception:  # noqa: BLE001 - any compile error means the same: nothing to compare
        return None


@dataclass
class Wanted:
    """The model objects whose forms a comparison needs (present on both sides, by name)."""

    checks: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.checks or self.computed or self.indexes)


class TableForms:
    """Both sides' forms for one table pair, worked out once.

    The models' side is settled for all compared tables at once
    (:func:`limbeck.autogenerate.compare.probe.settle`): compiled text where it
    already matches the database's (or where the catalog keeps DDL as
    written), the database's own wording for the rest, asked in one batch.
    """

    def __init__(self, ctx: AutogenContext, conn_table: Table, meta_table: Table) -> None:
        self.ctx = ctx
        self.conn_table = conn_table
        self.meta_table = meta_table
        self._conn: Forms | None = None
        self._model: Forms | None = None
        self._first: dict[str, Any] = {}

    @property
    def conn(self) -> Forms:
        if self._conn is None:
            self._conn = reflected_forms(self.ctx, self.conn_table, _index_sql(self.ctx, self.conn_table))
        return self._conn

    @property
    def model(self) -> Forms:
        if self._model is None:
            from limbeck.autogenerate.compare.probe import settle

            settle(self.ctx, [self])
        assert self._model is not None
        return self._model

    @property
    def settled(self) -> bool:
        return self._model is not None

    def _wanted(self) -> Wanted:
        conn = self.conn
        meta = self.meta_table
        return Wanted(
            checks=sorted(n for n in checks_of(meta) if n in conn.checks),
            computed=[c.name for c in meta.c if c.computed is not None and c.name in conn.computed],
            indexes=sorted(n for ix in meta.indexes if (n := object_name(ix)) and n in conn.indexes),
        )

    def start(self) -> Request | None:
        """Settle what compiled text can; the question for the database about the rest (if any)."""
        from limbeck.autogenerate.compare.probe import Request
        from limbeck.autogenerate.render.schema import sql_text

        wanted = self._wanted()
        if not wanted or not self.ctx.compare_options.expressions:
            self._model = Forms()
            return None
        compiled = _compiled_forms(self.ctx, self.meta_table, wanted)
        conn = self.conn
        if self.ctx.catalog.ddl_text_query is not None or not self.ctx.catalog.probe:
            # text as written is the database's own; elsewhere only what already matches is known
            keep = self.ctx.catalog.ddl_text_query is not None
            self._model = Forms(
                checks={n: t for n, t in compiled.checks.items() if keep or t == conn.checks[n]},
                computed={n: t for n, t in compiled.computed.items() if keep or t == conn.computed[n]},
                indexes={n: f for n, f in compiled.indexes.items() if keep or f == conn.indexes[n]},
            )
            return None
        self._model = Forms(
            checks={n: t for n, t in compiled.checks.items() if t == conn.checks[n]},
            computed={n: t for n, t in compiled.computed.items() if t == conn.computed[n]},
            indexes={n: f for n, f in compiled.indexes.items() if f == conn.indexes[n]},
        )
        checks = checks_of(self.meta_table)
        request = Request(
            checks={n: sql_text(checks[n].sqltext, self.ctx) for n in wanted.checks if n not in self._model.checks},
            computed={n: (self.meta_table.c[n], _expression(self.ctx, self.meta_table.c[n]))
                      for n in wanted.computed if n not in self._model.computed},
        )
        if self.ctx.catalog.probe_indexes:
            request.indexes = {n: ix for ix in self.meta_table.indexes
                               if (n := str(object_name(ix))) in wanted.indexes and n not in self._model.indexes}
        return request or None

    def first(self, answer: Answer) -> Request | None:
        """Take the database's first answer; ask again where it still differs (see :meth:`second`)."""
        from limbeck.autogenerate.compare.probe import Request
        from limbeck.autogenerate.render.schema import sql_text

        assert self._model is not None
        forms, conn = self._model, self.conn
        forms.indexes.update(answer.indexes)
        conn_checks = checks_of(self.conn_table)
        again = Request()
        for name, text in answer.checks.items():
            forms.checks[name] = normalize_sql(text)
            if forms.checks[name] != conn.checks[name]:
                again.checks.update({f"{name}\0model": text, f"{name}\0db": sql_text(conn_checks[name].sqltext, self.ctx)})
        for name, text in answer.computed.items():
            forms.computed[name] = normalize_sql(text)
            if forms.computed[name] != conn.computed[name]:
                column = self.meta_table.c[name]
                again.computed.update({f"{name}\0model": (column, text),
                                       f"{name}\0db": (column, _expression(self.ctx, self.conn_table.c[name]))})
        return again or None

    def second(self, answer: Answer) -> None:
        """Re-creating a check from the text PostgreSQL gave back can make it word it once more
        differently (``ARRAY[...]::text[]`` becomes ``ARRAY[(...)::text, ...]``); the wording of a
        wording is stable. So both went round once more: if the answers agree, the condition is
        the database's (a downgrade that restored a reflected check is not a change)."""
        assert self._model is not None
        for answers, known, database in ((answer.checks, self._model.checks, self.conn.checks),
                                         (answer.computed, self._model.computed, self.conn.computed)):
            for key in [k for k in answers if k.endswith("\0model")]:
                name = key[: -len("\0model")]
                if normalize_sql(answers[key]) == normalize_sql(answers.get(f"{name}\0db", "")):
                    known[name] = database[name]


def _expression(ctx: AutogenContext, column: Column[Any]) -> str:
    from limbeck.autogenerate.render.schema import sql_text

    assert column.computed is not None
    return sql_text(column.computed.sqltext, ctx)


def table_forms(ctx: AutogenContext, conn_table: Table, meta_table: Table) -> TableForms:
    """The (cached) forms of one compared table pair."""
    key = (conn_table.schema, conn_table.name)
    found = ctx.forms_cache.get(key)
    if found is None or found.meta_table is not meta_table:
        found = ctx.forms_cache[key] = TableForms(ctx, conn_table, meta_table)
    return found


__all__ = [
    "Forms",
    "IndexForm",
    "TableForms",
    "Wanted",
    "checks_of",
    "index_form_from_object",
    "index_form_from_reflection",
    "index_form_from_sql",
    "index_where",
    "object_name",
    "reflected_forms",
    "table_forms",
]
