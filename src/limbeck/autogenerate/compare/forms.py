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
    #: the index statements as written, where the catalog keeps them (SQLite)
    index_sql: dict[str, IndexSQL] = field(default_factory=dict)


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


def index_form_from_object(ctx: AutogenContext, index: Index) -> IndexForm:
    """The form of a reflected index (its expressions are what the database said)."""
    from limbeck.autogenerate.render.schema import sql_text

    where = index_where(index)
    elements = tuple(normalize_element(sql_text(e, ctx)) for e in index.expressions)
    return IndexForm(bool(index.unique), elements, normalize_sql(sql_text(where, ctx)) if where is not None else None)


def _computed_text(ctx: AutogenContext, column: Column[Any]) -> str:
    return normalize_sql(_expression(ctx, column))


def checks_of(table: Table) -> dict[str, Any]:
    """The named check constraints of ``table`` (those an Enum or Boolean type makes included)."""
    from sqlalchemy import CheckConstraint

    found: dict[str, Any] = {}
    for constraint in table.constraints:
        name = object_name(constraint) if isinstance(constraint, CheckConstraint) else None
        if name is not None:
            found[name] = constraint
    return found


def reflected_forms(ctx: AutogenContext, table: Table, index_sql: dict[str, IndexSQL] | None = None) -> Forms:
    """The forms of a reflected table (the database's table, or the probe's)."""
    from limbeck.autogenerate.render.schema import sql_text

    forms = Forms()
    forms.checks = {name: normalize_sql(sql_text(c.sqltext, ctx)) for name, c in checks_of(table).items()}
    forms.computed = {c.name: _computed_text(ctx, c) for c in table.c if c.computed is not None}
    if index_sql is not None:
        forms.index_sql = index_sql
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
    from sqlalchemy.schema import CreateIndex

    from limbeck.autogenerate.render.schema import sql_text

    forms = Forms()
    checks = checks_of(table)
    forms.checks = {name: normalize_sql(sql_text(checks[name].sqltext, ctx)) for name in wanted.checks}
    forms.computed = {name: _computed_text(ctx, table.c[name]) for name in wanted.computed}
    by_name = {object_name(ix): ix for ix in table.indexes}
    for name in wanted.indexes:
        try:
            parsed = parse_create_index(str(CreateIndex(by_name[name]).compile(dialect=ctx.dialect)))
        except Exception:  # noqa: BLE001 - not expressible for this database: not compared
            continue
        if parsed is not None:
            forms.indexes[name] = index_form_from_sql(parsed)
    return forms


@dataclass
class Wanted:
    """The model objects whose forms a comparison needs (present on both sides, by name)."""

    checks: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.checks or self.computed or self.indexes)


class TableForms:
    """Both sides' forms for one table pair, worked out once, when first asked for."""

    def __init__(self, ctx: AutogenContext, conn_table: Table, meta_table: Table) -> None:
        self.ctx = ctx
        self.conn_table = conn_table
        self.meta_table = meta_table
        self._conn: Forms | None = None
        self._model: Forms | None = None

    @property
    def conn(self) -> Forms:
        if self._conn is None:
            self._conn = reflected_forms(self.ctx, self.conn_table, _index_sql(self.ctx, self.conn_table))
        return self._conn

    @property
    def model(self) -> Forms:
        if self._model is None:
            self._model = self._model_forms()
        return self._model

    def _wanted(self) -> Wanted:
        conn = self.conn
        meta = self.meta_table
        return Wanted(
            checks=sorted(n for n in checks_of(meta) if n in conn.checks),
            computed=[c.name for c in meta.c if c.computed is not None and c.name in conn.computed],
            indexes=sorted(n for ix in meta.indexes if (n := object_name(ix)) and n in conn.indexes),
        )

    def _model_forms(self) -> Forms:
        """Compiled forms where they already match (or the catalog keeps DDL text), else the database's."""
        wanted = self._wanted()
        if not wanted or not self.ctx.compare_options.expressions:
            return Forms()
        compiled = _compiled_forms(self.ctx, self.meta_table, wanted)
        catalog = self.ctx.catalog
        if catalog.ddl_text_query is not None:
            return compiled
        conn = self.conn
        forms = Forms(
            checks={n: t for n, t in compiled.checks.items() if t == conn.checks[n]},
            computed={n: t for n, t in compiled.computed.items() if t == conn.computed[n]},
            indexes={n: f for n, f in compiled.indexes.items() if f == conn.indexes[n]},
        )
        differing = Wanted(
            checks=[n for n in wanted.checks if n not in forms.checks],
            computed=[n for n in wanted.computed if n not in forms.computed],
            indexes=[n for n in wanted.indexes if n not in forms.indexes],
        )
        if differing and catalog.probe:
            self._ask(differing, forms)
        return forms

    def _ask(self, differing: Wanted, forms: Forms) -> None:
        """The database's words for the models' expressions, made stable.

        Re-creating a check from the text PostgreSQL gave back can make it
        word it once more differently (``ARRAY[...]::text[]`` becomes
        ``ARRAY[(...)::text, ...]``); the wording of a wording is stable. So
        where the first answer differs from the database's text, both go
        round once more and the second answers are compared: a downgrade
        that restored a reflected check is not reported as a change.
        """
        from limbeck.autogenerate.compare.probe import Request, ask

        from limbeck.autogenerate.render.schema import sql_text

        meta_checks = checks_of(self.meta_table)
        first = ask(self.ctx, self.meta_table, Request(
            checks={n: sql_text(meta_checks[n].sqltext, self.ctx) for n in differing.checks},
            computed={n: (self.meta_table.c[n], _expression(self.ctx, self.meta_table.c[n])) for n in differing.computed},
            indexes={n: ix for ix in self.meta_table.indexes if (n := str(object_name(ix))) in differing.indexes},
        ))
        forms.indexes.update(first.indexes)
        conn_checks, conn = checks_of(self.conn_table), self.conn
        again = Request()
        for name, text in first.checks.items():
            forms.checks[name] = normalize_sql(text)
            if forms.checks[name] != conn.checks[name]:
                again.checks.update({f"{name}\0model": text, f"{name}\0db": sql_text(conn_checks[name].sqltext, self.ctx)})
        for name, text in first.computed.items():
            forms.computed[name] = normalize_sql(text)
            if forms.computed[name] != conn.computed[name]:
                column = self.meta_table.c[name]
                again.computed.update({f"{name}\0model": (column, text),
                                       f"{name}\0db": (column, _expression(self.ctx, self.conn_table.c[name]))})
        if not again:
            return
        second = ask(self.ctx, self.meta_table, again)
        for answers, known, database in ((second.checks, forms.checks, conn.checks),
                                         (second.computed, forms.computed, conn.computed)):
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
    "index_form_from_sql",
    "index_where",
    "object_name",
    "reflected_forms",
    "table_forms",
]
