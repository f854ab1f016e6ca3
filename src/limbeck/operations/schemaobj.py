"""Build the SQLAlchemy schema objects an operation record describes.

Operations name tables and columns by string; SQLAlchemy's DDL constructs
want ``Table``, ``Column``, ``Index`` and ``Constraint`` objects. This builds
them in a fresh ``MetaData`` that carries the naming convention of the
target metadata (so ``op.create_unique_constraint(None, ...)`` gets the name
the models would), with stub tables for foreign-key targets so constraints
compile without the referenced table being defined. The records use it for
``to_table()`` & co. (as Alembic's do), the compiler for the statements.

Records import this module when they first build an object: ``limbeck
revision`` imports the records (autogenerate's containers) and must not pay
for SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Constraint,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter, ColumnElement, TextClause
from sqlalchemy.types import NullType

from limbeck.errors import InvalidArgument, InvalidConstruct
from limbeck.sqla_compat import fk_colspec, fk_target_tokens

if TYPE_CHECKING:
    from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
    from limbeck.operations.protocols import RunningContext, SchemaTarget
    from limbeck.operations.tables import CreateTableOp

#: ``drop_constraint(type_=...)`` -> the constraint class it names
CONSTRAINT_TYPES: Mapping[str | None, type[Constraint]] = {
    "foreignkey": ForeignKeyConstraint,
    "primary": PrimaryKeyConstraint,
    "unique": UniqueConstraint,
    "check": CheckConstraint,
    None: Constraint,
}


class SchemaObjects:
    """Factory of schema objects for one migration context (or none).

    ``kw_aliases`` maps a dialect-keyword prefix to another one the same
    keywords should also be given under: MariaDB reads ``mariadb_*`` where
    scripts written for MySQL say ``mysql_*``.
    """

    def __init__(self, naming_convention: dict[str, Any] | None = None, kw_aliases: Mapping[str, str] | None = None) -> None:
        self.naming_convention = naming_convention
        self.kw_aliases = dict(kw_aliases or {})
        #: where index operations find their stub tables; None: a new MetaData each time
        self.index_stubs: MetaData | None = None

    @classmethod
    def for_context(cls, context: RunningContext | None) -> SchemaObjects:
        if context is None:
            return cls()
        return cls.for_behaviour(context.behaviour)

    @classmethod
    def for_opts(cls, opts: Mapping[str, Any]) -> SchemaObjects:
        return cls(_naming_convention(opts))

    @classmethod
    def for_behaviour(cls, behaviour: SchemaTarget) -> SchemaObjects:
        """The factory of a run: index operations share their stub tables for the run.

        An index's DDL needs its table's name and schema and the named
        columns, nothing else, and a run creates and drops hundreds of
        indexes on the same few tables; building a Table (and a MetaData)
        for each one was a tenth of an offline run's lowering. Constraint
        operations keep a table of their own: a constraint changes its
        table (a primary key marks columns).
        """
        objects = cls(_naming_convention(behaviour.opts), behaviour.dialect_kw_aliases)
        stubs = behaviour.run_cache.get("index_stubs")
        if stubs is None:
            stubs = behaviour.run_cache["index_stubs"] = objects.metadata()
        objects.index_stubs = stubs
        return objects

    def metadata(self) -> MetaData:
        if self.naming_convention:
            return MetaData(naming_convention=self.naming_convention)
        return MetaData()

    def dialect_kw(self, kw: Mapping[str, Any]) -> dict[str, Any]:
        """``kw`` plus the aliased copies of its dialect keywords."""
        out = dict(kw)
        for key, value in kw.items():
            prefix, _, rest = key.partition("_")
            alias = self.kw_aliases.get(prefix)
            if alias and rest and f"{alias}_{rest}" not in out:
                out[f"{alias}_{rest}"] = value
        return out

    def _alias_keywords(self, item: Constraint | Index | None) -> None:
        """A table's own index or constraint gets its keywords' aliases, as ``create_index`` does.

        ``sa.Index("ix", "x", mysql_length=10)`` inside ``create_table`` is the
        same index as ``op.create_index(..., mysql_length=10)``; MariaDB reads
        it the same way either way. Only the item attached here (a copy when
        it belonged to another table) is changed.
        """
        if item is None or not self.kw_aliases:
            return
        given = dict(item.dialect_kwargs)
        for key, value in self.dialect_kw(given).items():
            if key not in given:
                item.dialect_kwargs[key] = value

    # -- tables ----------------------------------------------------------------------
    def table(self, name: str, *items: Any, schema: str | None = None, metadata: MetaData | None = None, **kw: Any) -> Table:
        """A Table of ``items`` (columns, constraints, indexes), FK targets stubbed.

        Columns and constraints already attached to another table (a model's,
        or one a previous operation built) are copied, since a column belongs
        to one table only.
        """
        metadata = metadata if metadata is not None else self.metadata()
        constraints_included = kw.pop("_constraints_included", False)
        columns = [_detached(col) for col in items if isinstance(col, Column)]
        if constraints_included:
            # the table's own constraints and indexes are listed explicitly:
            # the column flags must not make a second copy of them
            for col in columns:
                col.unique = False
                col.index = False
        table = Table(name, metadata, *columns, schema=schema, **self.dialect_kw(kw))
        for item in items:
            if isinstance(item, (Constraint, Index)):
                self._alias_keywords(_append(table, item))
            elif not isinstance(item, Column):
                table.append_constraint(item)
        for constraint in sorted(table.foreign_key_constraints, key=_fk_key):
            self.stub_fk_target(metadata, constraint)
        return table

    def table_from_op(self, op: CreateTableOp) -> Table:
        return self.described_table(
            op.table_name, op.columns, schema=op.schema, kw=op.kw, comment=op.comment, info=op.info,
            prefixes=op.prefixes, constraints_included=op._constraints_included,
        )

    def described_table(
        self, name: str, items: Sequence[Any], *, schema: str | None, kw: Mapping[str, Any], comment: str | None,
        info: Mapping[str, Any] | None, prefixes: Sequence[str] | None, constraints_included: bool,
    ) -> Table:
        """The table a ``create_table`` / ``drop_table`` record describes (``kw``: other ``Table()`` keywords)."""
        kw = dict(kw)
        if comment is not None:
            kw["comment"] = comment
        if info:
            kw["info"] = dict(info)
        if prefixes:
            kw["prefixes"] = list(prefixes)
        return self.table(name, *items, schema=schema, _constraints_included=constraints_included, **kw)

    def stub_table(self, name: str, columns: Iterable[str], schema: str | None = None, metadata: MetaData | None = None) -> Table:
        """A table holding just named, untyped columns (for indexes, constraints)."""
        metadata = metadata if metadata is not None else self.metadata()
        key = f"{schema}.{name}" if schema else name
        table = metadata.tables.get(key)
        if table is None:
            table = Table(name, metadata, schema=schema)
        for col in columns:
            if col not in table.c:
                table.append_column(Column(col, NullType()))
        return table

    def stub_fk_target(self, metadata: MetaData, constraint: ForeignKeyConstraint) -> None:
        """Make the referenced table and columns exist so the FK compiles."""
        for element in constraint.elements:
            if element._table_column is not None:
                continue
            schema, table, column = fk_target_tokens(element)
            if column is None:
                continue
            self.stub_table(table, [column], schema=schema, metadata=metadata)

    def column_table(self, table_name: str, column: Column[Any], schema: str | None = None) -> Table:
        """``column`` attached to a stub of its table (what ADD COLUMN compiles)."""
        return self.table(table_name, column, schema=schema)

    # -- constraints -----------------------------------------------------------------
    def primary_key(self, name: str | None, table_name: str, cols: Sequence[str], schema: str | None = None, **kw: Any) -> PrimaryKeyConstraint:
        _refuse_repeated(table_name, cols, schema)
        table = self.stub_table(table_name, cols, schema=schema)
        pk = PrimaryKeyConstraint(*[table.c[c] for c in cols], name=name, **self.dialect_kw(kw))
        table.append_constraint(pk)
        return pk

    def unique(self, name: str | None, table_name: str, cols: Sequence[str], schema: str | None = None, **kw: Any) -> UniqueConstraint:
        _refuse_repeated(table_name, cols, schema)
        table = self.stub_table(table_name, cols, schema=schema)
        uq = UniqueConstraint(*[table.c[c] for c in cols], name=name, **self.dialect_kw(kw))
        table.append_constraint(uq)
        return uq

    def foreign_key(
        self, name: str | None, source: str, referent: str, local_cols: Sequence[str], remote_cols: Sequence[str],
        *, source_schema: str | None = None, referent_schema: str | None = None, **kw: Any,
    ) -> ForeignKeyConstraint:
        if len(local_cols) != len(remote_cols):
            raise InvalidConstruct(
                f"create_foreign_key {name or ''} on {source}: {len(local_cols)} local column(s) "
                f"but {len(remote_cols)} remote column(s)"
            )
        if (source, source_schema) != (referent, referent_schema):
            # a self-reference names each column once, whichever side; the other table's may not repeat
            _refuse_repeated(referent, remote_cols, referent_schema)
        metadata = self.metadata()
        table = self.stub_table(source, local_cols, schema=source_schema, metadata=metadata)
        target = self.stub_table(referent, remote_cols, schema=referent_schema, metadata=metadata)
        fk = ForeignKeyConstraint(
            [table.c[c] for c in local_cols], [target.c[c] for c in remote_cols], name=name, **self.dialect_kw(kw)
        )
        table.append_constraint(fk)
        return fk

    def check(self, name: str | None, table_name: str, condition: Any, schema: str | None = None, **kw: Any) -> CheckConstraint:
        table = self.stub_table(table_name, [], schema=schema)
        sqltext = text(condition) if isinstance(condition, str) else condition
        ck = CheckConstraint(sqltext, name=name, **self.dialect_kw(kw))
        table.append_constraint(ck)
        return ck

    def exclude(self, name: str | None, table_name: str, elements: Sequence[Any], schema: str | None = None, **kw: Any) -> Constraint:
        # SQLAlchemy's PostgreSQL dialect package loads only for an EXCLUDE constraint
        from sqlalchemy.dialects.postgresql import ExcludeConstraint

        names = [el for el, _ in elements if isinstance(el, str)]
        table = self.stub_table(table_name, names, schema=schema)
        where = kw.pop("where", None)
        if isinstance(where, str):
            where = text(where)
        exprs = [(table.c[el] if isinstance(el, str) else el, opr) for el, opr in elements]
        ex = ExcludeConstraint(*exprs, name=name, where=where, **kw)
        table.append_constraint(ex)
        return ex

    def named_constraint(self, name: Any, table_name: str, type_: str | None, schema: str | None = None) -> Constraint:
        """A constraint known only by name and kind (what ``drop_constraint`` names)."""
        cls = CONSTRAINT_TYPES.get(type_)
        if cls is None:
            from limbeck.operations.constraints import wrong_constraint_type

            raise InvalidArgument(f"drop_constraint {name} on {table_name}: {wrong_constraint_type(type_)}")
        table = self.stub_table(table_name, [], schema=schema)
        if cls is CheckConstraint:
            constraint: Constraint = CheckConstraint(text("1"), name=name)
        elif cls is ForeignKeyConstraint:
            constraint = ForeignKeyConstraint([], [], name=name)
        else:
            constraint = cls(name=name)
        table.append_constraint(constraint)
        return constraint

    # -- indexes ---------------------------------------------------------------------
    # Alembic's names for the same builders: code written against alembic.operations.schemaobj
    # (custom operations, process_revision_directives hooks) calls them
    primary_key_constraint = primary_key
    unique_constraint = unique
    foreign_key_constraint = foreign_key
    check_constraint = check
    generic_constraint = named_constraint

    def column(self, name: str, type_: Any, **kw: Any) -> Column[Any]:
        return Column(name, type_, **kw)

    def index(self, name: Any, table_name: str, columns: Sequence[Any], schema: str | None = None, unique: bool = False, **kw: Any) -> Index:
        columns = [c.text if isinstance(c, IndexText) else c for c in columns]
        _refuse_repeated_in_index(table_name, columns, schema)
        # a model's Column stands for its name: the index goes on the stub table
        columns = [c.name if isinstance(c, Column) else c for c in columns]
        names = [c.text if isinstance(c, TextClause) else c for c in columns if isinstance(c, (str, TextClause))]
        # INCLUDE columns (postgresql_include, mssql_include) are named too
        for key, value in kw.items():
            if key.endswith("_include") and value:
                names += [c for c in value if isinstance(c, str)]
        table = self.stub_table(table_name, names, schema=schema, metadata=self._stubs_for(table_name, schema, names))
        exprs = [
            table.c[c] if isinstance(c, str) else IndexText(c, table.c[c.text]) if isinstance(c, TextClause)
            else rebound(c, table)
            for c in columns
        ]
        return Index(name, *exprs, unique=unique, _table=table, **self.dialect_kw(kw))

    def _stubs_for(self, table_name: Any, schema: Any, columns: Sequence[Any]) -> MetaData | None:
        """The shared stub MetaData, unless a name carries quoting of its own (``quoted_name``).

        A shared table is found by its name, and a quoted_name("Foo", True)
        equals "Foo": the second operation would render with the first one's
        quoting.
        """
        names = [table_name, schema, *columns]
        if self.index_stubs is None or any(n is not None and type(n) is not str for n in names):
            return None
        return self.index_stubs

    def index_from_op(self, op: CreateIndexOp) -> Index:
        return self.index(op.index_name, op.table_name, op.columns, schema=op.schema, unique=op.unique, **op.kw)

    def index_for_drop(self, op: DropIndexOp, placeholder: str | None = None) -> Index:
        """The index a drop by name stands for: a name on a stub table (DROP INDEX needs no more).

        ``placeholder``: a column for it, on a table of its own (``no_table`` when the op names none),
        which is what ``DropIndexOp.to_index()`` gives back in Alembic and what reversing the drop into
        a ``create_index`` then holds; never added to the run's shared stub tables, where a later
        operation would see a column the real table may lack.
        """
        kw = {k: v for k, v in op.kw.items() if k != "unique"}
        if placeholder is not None:
            table = self.stub_table(op.table_name or "no_table", [placeholder], schema=op.schema)
            return Index(op.index_name, table.c[placeholder], unique=bool(op.kw.get("unique")), **self.dialect_kw(kw))
        name = op.table_name or "_"
        table = self.stub_table(name, [], schema=op.schema, metadata=self._stubs_for(name, op.schema, []))
        return Index(op.index_name, _table=table, unique=bool(op.kw.get("unique")), **self.dialect_kw(kw))


def rebound(expression: Any, table: Table) -> Any:
    """``expression`` with every column of another table replaced by ``table``'s column of that name.

    An ``Index`` attaches itself to the table its expressions' columns belong
    to: given a model's ``func.lower(users.c.name)`` it would join the model's
    table (changing the user's MetaData) and then refuse the stub table.
    """

    def replace(element: Any, **_: Any) -> Any:
        if isinstance(element, Column) and element.table is not None and element.table is not table:
            if element.name not in table.c:
                table.append_column(Column(element.name, NullType()))
            return table.c[element.name]
        return None

    return visitors.replacement_traverse(expression, {}, replace)


class IndexText(ColumnElement[Any]):
    """A ``text()`` index element, standing for a column named by its text (as in Alembic's ``create_index``).

    The naming convention names an index after its columns: given
    ``create_index(None, "t", [text("lower(name)")])`` Alembic names it
    ``ix_t_lower(name)`` (``column_0_label``), and after the text, not a later
    column, when the text comes first. The element is keyed by its text too:
    per-element options name their element by key (``postgresql_ops={"lower(name)":
    "gin_trgm_ops"}``), and a bare ``text()`` has none, so its operator class
    would be silently left out. Compiled as its text (:mod:`limbeck.compiler.ansi`).
    """

    __visit_name__ = "limbeck_index_text"
    inherit_cache = False

    def __init__(self, text: TextClause, column: Column[Any]) -> None:
        self.text = text
        self.key = text.text
        self.column = column

    def get_children(self, **kw: Any) -> list[Any]:
        return [self.column]


def _refuse_repeated(table_name: str, names: Sequence[Any], schema: str | None) -> None:
    """SQLAlchemy's own ``DuplicateColumnError`` for a column named twice, as Alembic's ``Table`` of them raises it.

    A stub table takes a name once, which would silently turn ``UNIQUE (a, a)`` into ``UNIQUE (a)``.
    """
    if len(set(names)) != len(names):
        Table(table_name, MetaData(), *[Column(n, NullType()) for n in names], schema=schema)


def _refuse_repeated_in_index(table_name: str, columns: Sequence[Any], schema: str | None) -> None:
    """``DuplicateColumnError`` where Alembic's ``create_index`` raises it.

    Alembic adds a column for each name and each ``text()`` (named by its text)
    to the index's table, so naming one twice fails; a model's ``Column`` is
    added only when its name is not there yet, and other expressions add none.
    """
    named = [
        c if isinstance(c, str) else c.text if isinstance(c, TextClause) else c.name
        for c in columns if isinstance(c, (str, TextClause)) or (isinstance(c, Column) and c.table is not None)
    ]
    if len(set(named)) == len(named):
        return
    probe = Table(table_name, MetaData(), schema=schema)
    for c in columns:
        if isinstance(c, (str, TextClause)):
            probe.append_column(Column(c if isinstance(c, str) else c.text, NullType()))
        elif isinstance(c, Column) and c.table is not None and c.name not in probe.c:
            probe.append_column(Column(c.name, NullType()))


def _detached(column: Column[Any]) -> Column[Any]:
    """``column`` itself, or a copy when another table already owns it."""
    if getattr(column, "table", None) is not None:
        return column._copy()
    return column


def _append(table: Table, item: Any) -> Any:
    """Add a constraint or index to ``table``, copying it if it belongs elsewhere; what was added."""
    if getattr(item, "_type_bound", False):
        # created by a column's type (Enum, Boolean): the copied column makes its own
        return None
    parent = getattr(item, "table", None) if isinstance(item, Index) else getattr(item, "parent", None)
    if parent is not None and parent is not table:
        item = item._copy(target_table=table)
    if isinstance(item, Index):
        if item.table is None:
            # with the attach events, as Table() attaches its items: an unnamed
            # index gets its name from the naming convention
            item._set_parent_with_dispatch(table)
        return item
    table.append_constraint(item)
    return item


def _fk_key(constraint: ForeignKeyConstraint) -> str:
    return ",".join(fk_colspec(el) for el in constraint.elements)


def _naming_convention(opts: Mapping[str, Any]) -> dict[str, Any] | None:
    target = opts.get("target_metadata")
    if isinstance(target, (list, tuple)):
        target = target[0] if target else None
    convention = getattr(target, "naming_convention", None)
    return dict(convention) if convention else None


class InlineLiteral(BindParameter[Any]):
    """``op.inline_literal()``: a value that always renders as a literal.

    Usable in DML online and offline alike; the compile function
    (:mod:`limbeck.compiler.ansi`) renders the value with the dialect's
    literal processor instead of a placeholder.

    Never cached: the value is written into the SQL string, while a cached
    compilation keys a bound parameter by its place, not its value. With the
    cache, a second statement of the same shape online ran with the first
    one's values (``UPDATE t SET x='a' WHERE id=1`` again for ``'b'``, ``2``).
    """

    inherit_cache = False

    def __init__(self, value: Any, type_: Any = None) -> None:
        super().__init__(None, value, type_=type_, unique=True)
