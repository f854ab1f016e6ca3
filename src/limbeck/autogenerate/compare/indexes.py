"""Indexes and unique constraints of a table present on both sides.

Databases blur the two: MySQL reports a unique constraint as a unique
index, PostgreSQL backs each unique constraint with an index, and MySQL
creates an index of its own for every foreign key that lacks one. So both
kinds are compared together:

1. a model object with a name is matched to the database object of that
   name, whatever its kind; if they differ (columns, uniqueness), the old
   one is dropped and the new one created;
2. an unnamed model unique constraint is matched by its columns;
3. what is left on the database side is dropped, except the indexes MySQL
   made for foreign keys and unnamed unique constraints (SQLite's), which
   cannot be dropped by name;
4. an index and a unique constraint of the same name are different things
   (one is dropped, the other created) unless the database reported both
   for one object (MySQL's unique constraints are unique indexes).

Where the database's wording of an index is known (:mod:`.forms`: SQLite's
stored ``CREATE INDEX``, PostgreSQL's reflection), a named index is compared
by its definition: elements with their order (``DESC``), expressions and a
partial index's ``WHERE``. Elsewhere, or with ``compare_expressions=False``,
an expression index compares by name and uniqueness only. SQLite's expression
indexes, which SQLAlchemy cannot reflect, are read from ``sqlite_master``.
Where the database cannot report unique constraints at all (:mod:`.reflectable`),
no unique constraint is added and no unique index dropped, as with Alembic.
The order is Alembic's: the database's objects the models lack (by name),
then each changed object dropped and created again (by name), then the
models' new named objects (by name), then their new unnamed constraints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.forms import IndexForm, TableForms, table_forms
from limbeck.autogenerate.compare.reflectable import reflects_uniques
from limbeck.operations import ops

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import ModifyTableOps



@dataclass
class _Item:
    """An index or unique constraint, with what is compared of it."""

    obj: Any
    is_index: bool
    unique: bool
    columns: tuple[str, ...]
    has_expressions: bool
    #: the definition in the database's words, where known
    form: IndexForm | None = None
    #: the database reported this unique constraint as an index of the same name too
    doubled: bool = False
    #: the compared dialect options (``postgresql_nulls_not_distinct``), as set or not
    options: tuple[bool, ...] = ()
    #: a model object's name as the database stores it (see :func:`_with_final_names`)
    final_name: str | None = None
    #: a reflected unique index that is not also the constraint of its name (``include_name`` said so)
    index_only: bool = False

    @property
    def name(self) -> str | None:
        from sqlalchemy.sql.base import _NoneName

        name = self.obj.name
        return None if name is None or isinstance(name, _NoneName) else str(name)

    @property
    def key(self) -> str | None:
        """The name matched against the database's objects."""
        return self.final_name or self.name

    def same_as(self, other: _Item) -> bool:
        if self.unique != other.unique:
            return False
        if self.is_index != other.is_index and not (self.doubled or other.doubled):
            return False
        if self.options != other.options:
            return False
        if self.form is not None and other.form is not None:
            return (self.form.elements, self.form.where) == (other.form.elements, other.form.where)
        if self.has_expressions or other.has_expressions:
            return True
        return self.columns == other.columns


def _index_item(index: Any) -> _Item:
    from sqlalchemy import Column

    exprs = list(index.expressions)
    names = tuple(e.name for e in exprs if isinstance(e, Column))
    return _Item(index, True, bool(index.unique), names, len(names) != len(exprs))


def _unique_item(constraint: Any) -> _Item:
    return _Item(constraint, False, True, tuple(c.name for c in constraint.columns), False)


def _items(table: Table) -> list[_Item]:
    from sqlalchemy import UniqueConstraint

    # in one order whatever the sets' (SQLAlchemy keeps both as sets): by name, then columns
    items = [_index_item(ix) for ix in table.indexes]
    items += [_unique_item(c) for c in table.constraints if isinstance(c, UniqueConstraint)]
    return sorted(items, key=lambda i: (i.name is None, i.name or "", i.columns, not i.is_index))


def named_items(ctx: AutogenContext, table: Table, parents: dict[str, Any]) -> list[_Item]:
    """The reflected indexes and unique constraints ``include_name`` keeps.

    As with Alembic, the hook is asked about every one the catalog reports, under
    each kind it reports it as: a unique constraint's index is an index too on
    PostgreSQL, a unique index a unique constraint too on MySQL.
    """
    kept = []
    for item in _items(table):
        kinds = [_kind(item)]
        if item.is_index and item.unique and ctx.catalog.unique_constraints_are_indexes:
            kinds.append("unique_constraint")
        if not item.is_index and ctx.catalog.unique_constraints_indexed:
            kinds.append("index")
        asked = [ctx.run_name_filters(item.name, kind, parents) for kind in kinds]  # every kind asked, as Alembic
        if all(asked):
            kept.append(item)
        elif item.is_index and asked[0]:
            # MySQL's unique index whose constraint side the hook rejected: Alembic still has the
            # index, and compares it as one (a model constraint of its name replaces it)
            item.index_only = True
            kept.append(item)
    return kept


def _conn_items(ctx: AutogenContext, forms: TableForms, meta_names: set[str], parents: dict[str, Any]) -> list[_Item]:
    conn_table = forms.conn_table
    items = named_items(ctx, conn_table, parents)
    uniques = {(i.columns, i.name) for i in items if not i.is_index}
    index_names = {i.name for i in items if i.is_index and i.unique and i.name}
    for item in items:
        item.doubled = not item.is_index and item.name in index_names
    # an index that only backs a unique constraint is that constraint: the index of its name, or of its
    # columns where the constraint has none; a unique index of another name on a named constraint's
    # columns is an index of its own (SQLite keeps both, and the models declare both)
    items = [i for i in items if not (i.is_index and i.unique and any(
        i.name == u[1] or (u[1] is None and i.columns == u[0]) for u in uniques))]
    if ctx.catalog.foreign_key_indexes:
        items = [i for i in items if not (i.is_index and i.name not in meta_names and implicit_foreign_key_index(i.obj))]
    return items


def implicit_foreign_key_index(index: Any) -> bool:
    """Whether a reflected index is one MySQL may have made itself for a foreign key: Alembic's rule.

    MySQL names that index after the key's constraint, or after its first
    column when the key has no name; so a non-unique index named after one of
    its columns, or after a foreign key on one of them, is taken for it (and
    never dropped nor reported). Any other index on a key's columns is the
    user's own, compared as any index (it was once taken for the key's by its
    columns alone: a named index the models dropped or renamed stayed).
    """
    if index.unique:
        return False
    name = str(index.name)
    return any(
        name == column.name or any(str(fk.name) == name for fk in column.foreign_keys if fk.name)
        for column in index.columns
    )


def _with_final_names(ctx: AutogenContext, items: list[_Item]) -> list[_Item]:
    """Give each named model object the name the database keeps for it.

    A name made by a naming convention (or wrapped in ``conv``) longer than the
    dialect allows is cut and suffixed with a hash when the object is created
    (``ix_..._6628``); the database reports that name, so the model's is
    matched in the same form, or the object would be dropped and created again
    on every run. SQLAlchemy's preparer computes the form; a plain name it
    refuses (too long) is kept as written.
    """
    from sqlalchemy.exc import IdentifierError

    preparer = ctx.dialect.identifier_preparer
    for item in items:
        if item.name is None:
            continue
        try:
            final = preparer.format_constraint(item.obj, _alembic_quote=False)
        except IdentifierError:
            continue
        item.final_name = str(final) if final is not None else None
    return items


def _with_options(ctx: AutogenContext, items: list[_Item]) -> list[_Item]:
    keys = ctx.catalog.compared_index_options
    for item in items:
        item.options = tuple(bool(item.obj.dialect_kwargs.get(key)) for key in keys)
    return items


def _as_constraint(item: _Item, conn_table: Table) -> _Item:
    """A unique index the database reports for what the models call a unique constraint, as that constraint."""
    from sqlalchemy import Column, MetaData, Table, UniqueConstraint

    copy = Table(conn_table.name, MetaData(), *[Column(c.name, c.type) for c in conn_table.c], schema=conn_table.schema)
    constraint = UniqueConstraint(*item.columns, name=item.obj.name)
    copy.append_constraint(constraint)
    return _Item(constraint, False, True, item.columns, False)


def _kind(item: _Item) -> str:
    return "index" if item.is_index else "unique_constraint"


def _included(ctx: AutogenContext, item: _Item, reflected: bool, compare_to: Any) -> bool:
    """``include_object``, asked (as by Alembic) only about what would be added, dropped or changed."""
    return ctx.run_object_filters(item.obj, item.name, _kind(item), reflected, compare_to)


def compare_indexes_and_uniques(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    parents = {"table_name": tname, "schema_name": schema}
    forms = table_forms(ctx, conn_table, meta_table)
    meta_items = _with_final_names(ctx, _with_options(ctx, _items(meta_table)))
    meta_names = {i.key for i in meta_items if i.key}
    conn_items = _with_options(ctx, _conn_items(ctx, forms, meta_names, parents))
    if ctx.catalog.unique_constraints_are_indexes:
        meta_uniques = {i.key for i in meta_items if not i.is_index and i.key}
        conn_items = [
            _as_constraint(i, conn_table)
            if i.is_index and i.unique and not i.has_expressions and not i.index_only and i.name in meta_uniques
            else i for i in conn_items
        ]
    conn_by_name = {i.name: i for i in conn_items if i.name}
    matched: set[int] = set()
    changed: list[tuple[_Item, _Item]] = []
    added: list[_Item] = []
    added_unnamed: list[_Item] = []
    for item in meta_items:
        if item.key and item.key in conn_by_name:
            conn = conn_by_name[item.key]
            matched.add(id(conn))
            if item.is_index and conn.is_index and ctx.compare_options.expressions:
                # each side's form is filed under its own name (the model's may be cut in the database)
                item.form = forms.model.indexes.get(item.name or "")
                conn.form = forms.conn.indexes.get(conn.name or "")
            if not item.same_as(conn) and _included(ctx, item, False, conn.obj):
                changed.append((conn, item))
            continue
        if not item.is_index and not item.name:
            twins = [c for c in conn_items if c.unique and c.columns == item.columns]
            twin = next((c for c in twins if id(c) not in matched), None)
            if twin is not None:
                matched.add(id(twin))
                continue
            if twins:
                continue  # as with Alembic, a unique constraint on those columns is there (named in the models too)
        if _included(ctx, item, False, None):
            (added if item.name else added_unnamed).append(item)
    # an unnamed constraint the models lack cannot be dropped by name: it stays, as with Alembic
    removed = [c for c in conn_items if id(c) not in matched and c.name]
    for conn in sorted(removed, key=lambda i: i.name or ""):
        if _droppable(ctx, conn, conn_table) and _included(ctx, conn, True, None):
            modify.ops.append(_drop(conn))
    for conn, item in sorted(changed, key=lambda pair: pair[1].name or ""):
        if conn.is_index == item.is_index or reflects_uniques(ctx, conn_table):
            modify.ops += [_drop(conn), _create(item)]
        else:
            # one kind replaced by the other where unique constraints are unknown: each half as if alone
            modify.ops += [_drop(conn)] if _droppable(ctx, conn, conn_table) else []
            modify.ops += [_create(item)] if _creatable(ctx, item, conn_table) else []
    for item in sorted(added, key=lambda i: i.name or ""):
        if _creatable(ctx, item, conn_table):
            modify.ops.append(_create(item))
    for item in sorted(added_unnamed, key=lambda i: i.columns):
        if _creatable(ctx, item, conn_table):
            modify.ops.append(_create(item))


def _droppable(ctx: AutogenContext, conn: _Item, conn_table: Table) -> bool:
    """A unique index is dropped only where the database reports unique constraints (see :mod:`.reflectable`)."""
    return not (conn.is_index and conn.unique) or reflects_uniques(ctx, conn_table)


def _creatable(ctx: AutogenContext, item: _Item, conn_table: Table) -> bool:
    """A unique constraint is added only where the database reports them: else it may well be there."""
    return item.is_index or reflects_uniques(ctx, conn_table)


def _drop(item: _Item) -> Any:
    if item.is_index:
        return ops.DropIndexOp.from_index(item.obj)
    return ops.DropConstraintOp.from_constraint(item.obj)


def _create(item: _Item) -> Any:
    if item.is_index:
        return ops.CreateIndexOp.from_index(item.obj)
    return ops.AddConstraintOp.from_constraint(item.obj)


__all__ = ["compare_indexes_and_uniques", "implicit_foreign_key_index", "named_items"]
