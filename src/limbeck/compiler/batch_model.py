"""The table batch mode recreates, reshaped by the batch's operations.

:class:`BatchTable` starts from the old table (reflected online, or the
``copy_from`` table offline) and applies each queued operation record to free
copies of its columns, constraints and indexes. The planner
(:mod:`limbeck.compiler.batch`) then builds the new ``Table`` from it and the
statements that move the rows across.

Behaviour follows Alembic's (recorded in ``tests/batch/alembic_facts``) with
deliberate differences, each noted where it is made: dropping a column drops
the indexes and UNIQUE / FOREIGN KEY constraints on it and the CHECKs that
name it (Alembic recreates them and fails), renaming a column renames it
inside CHECK conditions (Alembic keeps the old name, which the database
rejects), computed columns are not copied by INSERT (SQLite refuses),
unnamed new constraints are allowed, and the table comment is kept.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    Table,
)
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.schema import DefaultClause
from sqlalchemy.sql.base import SchemaEventTarget
from sqlalchemy.types import NullType, to_instance

from limbeck.compiler import batch_added, batch_checks, batch_constraints, batch_indexes
from limbeck.compiler.batch_objects import (
    Item,
    by_key,
    column_checks,
    copy_column,
    detach_constraint,
    detach_index,
    final_name,
    plain_name,
    set_column_checks,
    sorted_constraints,
)
from limbeck.compiler.batch_order import ColumnOrder
from limbeck.errors import CommandError, LimbeckWarning, NoSuchObject
from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.schemaobj import SchemaObjects
from limbeck.sqla_compat import fk_target_tokens

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.types import TypeEngine


#: old column type, new column type -> the type to CAST the copied value to, or None
CastRule = Callable[["TypeEngine[Any]", "TypeEngine[Any]"], "TypeEngine[Any] | None"]


@dataclass
class Transfer:
    """How a column of the new table is filled from the old one."""

    #: column name in the old table
    source: str
    #: the old column's type, to decide whether the copy needs a CAST
    source_type: TypeEngine[Any]
    #: the types an earlier ``alter_column`` of the batch gave the column before its last one
    via: list[TypeEngine[Any]] = field(default_factory=list)
    #: whether an ``alter_column`` of the batch changed the type
    retyped: bool = False


class BatchTable:
    """Columns, constraints, indexes and options of the table being rebuilt."""

    def __init__(
        self,
        source: Table,
        *,
        schema: str | None,
        partial_reordering: Iterable[Sequence[str]] | None = None,
        table_args: Sequence[Any] = (),
        table_kwargs: dict[str, Any] | None = None,
        reflected: bool = False,
        quote: batch_checks.Quote | None = None,
        names_ignore_case: bool = False,
    ) -> None:
        self.source = source
        self.name = source.name
        self.schema = schema if schema is not None else source.schema
        self.columns: dict[str, Column[Any]] = {col.name: copy_column(col) for col in source.c}
        self.transfers: dict[str, Transfer] = {
            col.name: Transfer(col.name, col.type) for col in source.c if col.computed is None
        }
        self.order = ColumnOrder(source.name, [col.name for col in source.c], partial_reordering)
        self.primary_key: Item | None = None
        #: keys of added columns that say ``primary_key=True``: the primary key when the table has none left
        self.added_primary_key: list[str] = []
        self.constraints: list[Item] = []
        #: quotes a column name written into a CHECK condition
        self.quote: batch_checks.Quote = quote or DefaultDialect().identifier_preparer.quote
        #: the database compares quoted column names without case: a rename finds ``"Col"`` for ``col``
        self.names_ignore_case = names_ignore_case
        # a constraint the user's table_args share with a table built before (a second run of the
        # same migration) is copied here, so the new table holds these very objects (see temp_table)
        self.table_args = [_free(arg) for arg in table_args]
        self._load_constraints(source, reflected)
        #: the old primary key's columns, as their ``primary_key`` flags: the key (unnamed) the
        #: table falls back on when its key constraint loses a column (as in Alembic)
        self.primary_key_flags: list[str] = list(self.primary_key.keys) if self.primary_key is not None else []
        self.source_primary_key = self.primary_key
        self.indexes = [detach_index(ix) for ix in sorted(source.indexes, key=lambda ix: str(ix.name or ""))]
        self.comment: str | None = source.comment
        self.kwargs: dict[str, Any] = {**source.dialect_kwargs, **(table_kwargs or {})}
        #: indexes and constraints that went with a dropped column: dropping one of them by
        #: name afterwards (as Alembic's batch allows) is then already done
        self.gone_with_columns: set[str] = set()
        #: constraints the batch dropped by name (drop_constraint), not with a column
        self.dropped_by_name: set[str] = set()
        #: keys of added columns that say ``unique=True``: as in Alembic, the new table makes an
        #: unnamed UNIQUE of the flag besides the constraint ``batch_added.column_markers`` adds
        self.unique_flags: list[str] = []
        #: the target metadata's naming convention, which names the CHECK of an added column's type
        self.added_check_convention: dict[str, Any] | None = None
        #: the database's dialect: whether a type's CHECK is made at all (none for a native type)
        self.dialect: Dialect | None = None

    def _load_constraints(self, source: Table, reflected: bool) -> None:
        for constraint in sorted_constraints(source):
            if reflected and isinstance(constraint, CheckConstraint) and plain_name(constraint.name) is None:
                # as Alembic: an unnamed CHECK read from the database cannot be
                # told apart from the one a Boolean / Enum type makes, so it is
                # not carried over (a copy_from table says which is which); Alembic's
                # warning, in its words, unless table_args hold a CHECK already
                if not any(isinstance(arg, CheckConstraint) for arg in self.table_args):
                    warnings.warn(
                        f"Unnamed CHECK constraint on reflected table '{source.name}' is being omitted from the "
                        "table recreate; pass the constraint explicitly using batch_alter_table.table_args.  "
                        "Naming CHECK constraints avoids this going forward.",
                        LimbeckWarning,
                        stacklevel=2,
                    )
                continue
            item = detach_constraint(constraint)
            if item is None or self._repeats(item):
                continue
            if isinstance(item.obj, PrimaryKeyConstraint):
                self.primary_key = item if item.keys else None
            else:
                self.constraints.append(item)

    def _repeats(self, item: Item) -> bool:
        """Whether ``item`` is a named CHECK the table already gave, word for word.

        SQLite keeps a table with two such CHECKs: an earlier rebuild's ``reflect_args``
        Boolean / Enum made its CHECK again beside the one read back. Alembic keys the old
        table's named constraints by name, so the new table has it once.
        """
        name = plain_name(item.obj.name)
        if name is None or not isinstance(item.obj, CheckConstraint):
            return False
        text = str(item.obj.sqltext)
        return any(isinstance(c.obj, CheckConstraint) and plain_name(c.obj.name) == name and str(c.obj.sqltext) == text
                   for c in self.constraints)

    # -- lookups --------------------------------------------------------------------------
    def key_for(self, name: str, what: str) -> str:
        """The model key of the column the user calls ``name`` (old or new name)."""
        if name in self.columns:
            return name
        for key, column in self.columns.items():
            if column.name == name:
                return key
        raise CommandError(f"batch_alter_table('{self.name}'): {what}: no column '{name}' in the table")

    def stub(self, objects: SchemaObjects, keys: Iterable[str], *items: Any) -> Table:
        """A table of the named columns, to build a new constraint or index on.

        Its name is the real table's, so naming conventions give the names the
        models would (not names derived from the temporary table). ``objects``
        carries the convention for names the migration leaves to it.
        """
        columns = [Column(self.columns[k].name if k in self.columns else k, NullType(), key=k) for k in dict.fromkeys(keys)]
        return objects.table(self.name, *columns, *items, schema=self.schema)

    # -- columns -------------------------------------------------------------------------
    def add_column(
        self, column: Column[Any], before: str | None, after: str | None, objects: SchemaObjects | None = None
    ) -> None:
        if column.name in self.columns:
            raise CommandError(f"batch_alter_table('{self.name}'): add_column: column '{column.name}' already exists")
        what = f"add_column('{column.name}')"
        anchors = [self.key_for(a, what) if a else None for a in (before, after)]
        self.order.add(column.name, anchors[0], anchors[1])
        self.columns[column.name] = column._copy()
        stripped = batch_added.column_markers(self, column, objects)
        if stripped is not None:
            self.columns[column.name] = stripped
        if column.primary_key:
            # as Alembic: the flag makes a primary key only where the table has none left at the end
            # (see build); a primary key the table keeps is not widened (that is create_primary_key's job)
            self.added_primary_key.append(column.name)

    def _object_names(self) -> set[str]:
        names = {str(ix.name) for ix in self.indexes if ix.name} | {str(c.name) for c in self.constraints if c.name}
        for column in self.columns.values():
            names.update(str(plain_name(k.name)) for k in column_checks(column) if plain_name(k.name))
        return names

    def drop_column(self, name: str) -> None:
        before = self._object_names()
        self._drop_column(name)
        self.gone_with_columns |= before - self._object_names()

    def _drop_column(self, name: str) -> None:
        key = self.key_for(name, f"drop_column('{name}')")
        dropped = self.columns[key].name
        del self.columns[key]
        self.transfers.pop(key, None)
        self.order.drop(key)
        # deliberately unlike Alembic: what indexes or constrains only the
        # dropped column cannot survive it (the database drops it too)
        self.indexes = [ix for ix in self.indexes if key not in ix.keys]
        self.constraints = [c for c in self.constraints if isinstance(c.obj, CheckConstraint) or key not in c.keys]
        if self.primary_key is not None and key in self.primary_key.keys:
            remaining = tuple(k for k in self.primary_key.keys if k != key)
            if self.primary_key is self.source_primary_key and remaining:
                # as Alembic: the table's own key loses the column and keeps its name (and stays
                # the table's key: an added column's primary_key=True does not widen it)
                self.primary_key = self.source_primary_key = Item(self.primary_key.obj, remaining)
            else:
                # as Alembic: a key the batch created goes, with its name; the table's key is then
                # what the remaining columns' flags say (see final_primary_key)
                self.primary_key = None
        if key in self.primary_key_flags:
            self.primary_key_flags.remove(key)
        if key in self.added_primary_key:
            self.added_primary_key.remove(key)
        batch_checks.drop_checks_naming(self, dropped)
        batch_indexes.drop_indexes_naming(self, dropped)

    def alter_column(self, op: Any) -> None:
        key = self.key_for(op.column_name, f"alter_column('{op.column_name}')")
        column = self.columns[key]
        if op.modify_type is not None:
            transfer = self.transfers.get(key)
            if transfer is not None:
                if transfer.retyped:
                    transfer.via.append(column.type)
                transfer.retyped = True
            column.type = to_instance(op.modify_type)
            self._discard_type_check(op.existing_type)
            if batch_added.makes_check(column.type):
                # as Alembic's alter_column: the new type's CHECK is added as one of the batch's
                # constraints, at this point of its order; the column's type makes none
                batch_added.type_check_item(self, key, column.name, column.type)
                column.type = batch_added.without_type_check(column.type)
        if op.modify_nullable is not None:
            column.nullable = op.modify_nullable
        if op.modify_server_default is not False:
            if op.modify_server_default is not None and (column.computed is not None or column.identity is not None):
                # Alembic writes DEFAULT ... GENERATED ALWAYS AS (...), which every database rejects, or
                # silently leaves the default out of an identity column (which can have none either)
                kind = "a computed" if column.computed is not None else "an identity"
                raise CommandError(
                    f"batch_alter_table('{self.name}'): alter_column('{op.column_name}'): {kind} column "
                    "cannot have a server default"
                )
            if op.modify_server_default is not None or (column.identity is None and column.computed is None):
                # dropping the default leaves an identity / computed column as it is (as in
                # Alembic: it is no default; clearing it would lose the IDENTITY / AS (...))
                column.server_default = _server_default(op.modify_server_default)
        if op.modify_comment is not False:
            column.comment = op.modify_comment
        autoincrement = op.kw.get("autoincrement")
        if autoincrement is not None:
            column.autoincrement = autoincrement
        if op.modify_name:
            old, column.name = column.name, op.modify_name
            batch_checks.rename_in_checks(self, old, op.modify_name)
            batch_indexes.rename_in_indexes(self, old, op.modify_name)

    def _discard_type_check(self, existing_type: Any) -> None:
        """Drop the named CHECK of the ``Boolean``/``Enum`` the column had: the new type outdates it.

        Read from the database it is a plain named CHECK the model would carry
        into the new table, still rejecting values the new type allows (the
        non-batch ``alter_column`` drops it too). The new type, if it makes a
        CHECK, brings its own.
        """
        name = plain_name(getattr(existing_type, "name", None))
        if isinstance(existing_type, SchemaEventTarget) and name is not None:
            self._discard_named(name)

    def casts(self, rule: CastRule) -> dict[str, list[TypeEngine[Any]]]:
        """Per transferred key, the types to CAST to, innermost first (none: copy as is).

        ``rule`` is the database's (``DialectBehaviour.batch_copy_cast``):
        old type, new type -> the CAST's type or ``None``. A column whose type
        the batch changed twice is cast through each type in turn, as Alembic
        nests them: the value is what the two ALTERs would leave (``1.75`` made
        an ``INTEGER`` and then a ``NUMERIC`` is ``2.00``, not ``1.75``).
        """
        out: dict[str, list[TypeEngine[Any]]] = {}
        for key, transfer in self.transfers.items():
            steps, previous = [], transfer.source_type
            for target in (*transfer.via, self.columns[key].type):
                step = rule(previous, target)
                if step is not None:
                    steps.append(step)
                previous = target
            out[key] = steps
        return out

    # -- indexes -------------------------------------------------------------------------
    def create_index(self, index: Any) -> None:
        item = detach_index(index, by_key)
        if item.name is not None:
            self.indexes = [ix for ix in self.indexes if ix.name != item.name]
        self.indexes.append(item)

    def drop_index(self, name: str) -> None:
        kept = [ix for ix in self.indexes if ix.name != name]
        if len(kept) == len(self.indexes) and name not in self.gone_with_columns:
            raise NoSuchObject(f"batch_alter_table('{self.name}'): drop_index: No such index: '{name}'")
        self.indexes = kept

    # -- constraints ----------------------------------------------------------------------
    def add_constraint(self, constraint: Any) -> None:
        """Add a constraint built on :meth:`stub` (its name already resolved)."""
        item = detach_constraint(constraint, by_key)
        if item is None:
            raise CommandError(f"batch_alter_table('{self.name}'): unsupported constraint {type(constraint).__name__}")
        for key in item.keys:
            if key not in self.columns:
                raise CommandError(f"batch_alter_table('{self.name}'): constraint refers to unknown column '{key}'")
        if isinstance(item.obj, PrimaryKeyConstraint):
            self.primary_key = item
            return
        position = next((i for i, c in enumerate(self.constraints) if item.name and c.name == item.name), None)
        if position is not None:
            # a constraint of a name the table has takes its place (Alembic's constraints by name are a
            # dict): the new table orders its constraints by creation, so it takes the old one's too
            item.obj._creation_order = self.constraints[position].obj._creation_order
        if item.name is not None:
            self._discard_named(item.name)
        self.constraints.append(item)

    def drop_constraint(self, name: str) -> None:
        self.dropped_by_name.add(name)
        if self.primary_key is not None and self.primary_key.name == name:
            self.primary_key = None
            self.primary_key_flags = []
            return
        if not self._discard_named(name) and name not in self.gone_with_columns:
            raise NoSuchObject(f"batch_alter_table('{self.name}'): drop_constraint: No such constraint: '{name}'")

    def _discard_named(self, name: str) -> bool:
        """Remove the table-level constraint or the column's CHECK called ``name``; whether one was."""
        kept = [c for c in self.constraints if c.name != name]
        found = len(kept) != len(self.constraints)
        self.constraints = kept
        for column in self.columns.values():
            checks = column_checks(column)
            left = [k for k in checks if plain_name(k.name) != name]
            if len(left) != len(checks):
                set_column_checks(column, left)
                found = True
        return found

    def dropped_before_rebuild(self, source_names: set[str]) -> list[str]:
        """The source's named constraints the new table could collide with, as Alembic counts them.

        Those the new table keeps, and (as Alembic: it drops every named
        constraint not dropped by name) those that went with a dropped column;
        foreign keys first (one may depend on the table's own key), the
        primary key last. Where constraint names are per schema (PostgreSQL)
        the rebuild drops them before it creates the new table.
        """
        dropped = self.dropped_by_name
        source = [
            (c.name, isinstance(c, ForeignKeyConstraint)) for c in sorted_constraints(self.source)
            if c.name and not isinstance(c, PrimaryKeyConstraint)
        ]
        kept = [(item.name, isinstance(item.obj, ForeignKeyConstraint)) for item in self.constraints if item.name]
        gone = [(name, fk) for name, fk in source if name in self.gone_with_columns and name not in dropped]
        ordered = dict.fromkeys(name for name, fk in sorted(kept + gone, key=lambda pair: not pair[1]))
        names = [str(name) for name in ordered if name in source_names]
        # the old table's named primary key, also where create_primary_key gives the new table another
        primary = self._source_primary_key_name()
        if primary and primary in source_names and primary not in dropped:
            names.append(str(primary))
        return names

    def _source_primary_key_name(self) -> str | None:
        name = final_name(self.source.primary_key.name) if self.source.primary_key.columns else None
        return str(name) if name else None

    def named_source_constraints(self) -> set[str]:
        """The old table's constraint names (called before the batch's operations apply).

        With the CHECKs its Boolean / Enum types make: one the new table has a
        constraint of the same name for (a column altered to the same type) is
        dropped before the rebuild too, as Alembic drops it.
        """
        names = {c.name for c in self.constraints if c.name}
        if self.primary_key is not None and self.primary_key.name:
            names.add(self.primary_key.name)
        for check in self.source.constraints:
            name = plain_name(check.name) if isinstance(check, CheckConstraint) and check._type_bound else None
            if name:
                names.add(name)
        return names

    def _check_self_references(self) -> None:
        """A foreign key to the table itself must name a column the new table has.

        The rebuilt table's self-reference points at the new table (README),
        which finds the column by its key (so a renamed column is followed);
        a column the batch dropped is not there to point at (the database
        refuses dropping a referenced column too).
        """
        known = set(self.columns) | {column.name for column in self.columns.values()}
        for item in self.constraints:
            if not isinstance(item.obj, ForeignKeyConstraint):
                continue
            for element in item.obj.elements:
                schema, table, column = fk_target_tokens(element)
                if table == self.name and schema in (None, self.schema) and column is not None and column not in known:
                    raise CommandError(
                        f"batch_alter_table('{self.name}'): a foreign key of the table references its column "
                        f"'{column}', which the new table does not have; drop that foreign key in the batch first"
                    )

    # -- the result ------------------------------------------------------------------------
    def ordered_keys(self) -> list[str]:
        return self.order.sort(list(self.columns))

    def final_primary_key(self) -> Item | None:
        """The table's primary key, else the one its columns' flags make (unnamed, as in Alembic).

        The old key itself where it is whole (a key the batch created lost a
        column); else the flags: the old key's columns that are left (unless
        the key was dropped by name) and the added columns that say
        ``primary_key=True``.

        Alembic's rule (and SQLAlchemy's, which warns): an added column's flag
        does not widen a primary key the table keeps; it is ignored, with a warning here.
        """
        added = self.added_primary_key
        source = self.source_primary_key
        if self.primary_key is None and source is not None and set(source.keys) <= set(self.primary_key_flags):
            # the old key is whole and was not dropped: Alembic's new table takes it (name included)
            return source
        if self.primary_key is None:
            flagged = tuple(k for k in self.ordered_keys() if k in self.primary_key_flags or k in added)
            return Item(PrimaryKeyConstraint(*flagged), flagged) if flagged else None
        ignored = [self.columns[k].name for k in added if k not in self.primary_key.keys]
        if ignored:
            kept = ", ".join(self.columns[k].name for k in self.primary_key.keys)
            warnings.warn(
                f"batch_alter_table('{self.name}'): primary_key=True of added column(s) {', '.join(ignored)} is "
                f"ignored: the table keeps its primary key ({kept}); use create_primary_key() to change it",
                LimbeckWarning,
                stacklevel=2,
            )
        return self.primary_key

    def build(self) -> Table:
        """The new table under its final name (indexes included, not yet created)."""
        self._check_self_references()
        keys = self.ordered_keys()
        primary_key = self.final_primary_key()
        pk_keys = set(primary_key.keys) if primary_key is not None else set()
        columns = []
        for key in keys:
            column = self.columns[key]
            column.primary_key = key in pk_keys
            columns.append(column)
        items: list[Any] = [*columns]
        if primary_key is not None:
            items.append(PrimaryKeyConstraint(*primary_key.keys, name=final_name(primary_key.obj.name)))
        items += [c.obj for c in self.constraints] + [ix.obj for ix in self.indexes] + list(self.table_args)
        kwargs = dict(self.kwargs)
        if self.comment is not None:
            kwargs["comment"] = self.comment
        # no naming convention here: as in Alembic, the batch's convention names only what the
        # table was reflected with (runtime.batch reads it under that convention) and a copy_from
        # table's unnamed constraints stay unnamed; the new table is built in a MetaData of its
        # own, so table_args keep the names they were given ("ck_x", not "ck_t_ck_x") or none
        return SchemaObjects().table(self.name, *items, schema=self.schema, **kwargs)


def _free(item: Any) -> Any:
    """``item`` itself, or a copy of it when it is attached to a table already."""
    parent = getattr(item, "table", None) if isinstance(item, Index) else getattr(item, "parent", None)
    return item._copy() if parent is not None else item


def _server_default(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, DefaultClause):
        return value
    return DefaultClause(value)


# -- applying operation records -----------------------------------------------------------------
Applier = Callable[[BatchTable, Any, SchemaObjects], None]


def _apply_add_column(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    model.add_column(op.column, op.kw.get("insert_before"), op.kw.get("insert_after"), objects)


def _apply_drop_column(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    model.drop_column(op.column_name)


def _apply_alter_column(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    model.alter_column(op)


def _apply_create_index(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    keys = [model.key_for(c, "create_index") for c in op.columns if isinstance(c, str)]
    elements = [model.key_for(c, "create_index") if isinstance(c, str) else c for c in op.columns]
    index = Index(op.index_name, *elements, unique=op.unique, **op.kw)
    model.stub(objects, keys, index)
    model.create_index(index)


def _apply_drop_index(model: BatchTable, op: Any, objects: SchemaObjects) -> None:
    model.drop_index(str(op.index_name))


def appliers() -> dict[type, Applier]:
    """Operation record type -> how it reshapes the model."""
    table: dict[type, Applier] = {
        AddColumnOp: _apply_add_column,
        DropColumnOp: _apply_drop_column,
        AlterColumnOp: _apply_alter_column,
        CreateIndexOp: _apply_create_index,
        DropIndexOp: _apply_drop_index,
    }
    table.update(batch_constraints.appliers())
    return table


def apply(model: BatchTable, ops: Sequence[Any], objects: SchemaObjects) -> None:
    """Apply each record, in order; a record batch mode cannot apply is an error."""
    table = appliers()
    for op in ops:
        fn = next((table[k] for k in type(op).__mro__ if k in table), None)
        if fn is None:
            name = getattr(op, "op_name", type(op).__name__)
            raise CommandError(
                f"batch_alter_table('{model.name}'): {name} cannot be part of a table rebuild; "
                "run it after the batch"
            )
        fn(model, op, objects)


__all__ = ["BatchTable", "Transfer", "appliers", "apply"]
