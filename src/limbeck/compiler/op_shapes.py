"""What a DDL operation is apart from the names it carries, and the same operation with other names.

Migrations repeat themselves: ``create_index(op.f('ix_<table>_<col>'),
'<table>', ['<col>'], unique=False)``, ``add_column('<table>',
sa.Column('<col>', sa.String(length=64), nullable=True))``, ``drop_index``,
``drop_table``, a type change on one more column. Only the names differ.
:func:`shape_of` reads an operation record into a *shape*: a hashable key
that holds everything about the operation except its names (each name is a
numbered slot, numbered by first appearance, so which names are equal is
part of the key; so is the sort order of constraint and index names, which
lowerings sort by), the names
themselves, and :meth:`Shape.rebuild`, which makes the same operation with
other names. :mod:`limbeck.runtime.ddl_templates` compiles the operation
rebuilt with marker names once, and fills the markers for every later
operation of the shape.

A shape is only taken from an operation whose every part is known to carry
nothing else: an exact record class with default extras (no ``kw``, comment,
info, prefixes), plain ``Column``\\ s, ``PrimaryKeyConstraint``,
``UniqueConstraint``, ``CheckConstraint`` (with plain text) and
``ForeignKeyConstraint`` whose instance attributes are exactly those of a
freshly made one, each either part of the key or at its default; types
from SQLAlchemy itself that take no part in schema events (a ``Boolean`` or
``Enum`` brings a CHECK), with no variants, keyed by SQLAlchemy's own type
cache key; server defaults that are a string or a ``text()`` without bound
parameters; names that are ``str``, ``conv``, or ``quoted_name`` without a
quoting of its own (what ``Column()`` makes of a ``str``). Anything else is
:class:`NotPlain`: the operation is lowered as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import is_not, itemgetter
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKeyConstraint, Integer, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.sql.base import SchemaEventTarget
from sqlalchemy.sql.elements import TextClause, conv, quoted_name
from sqlalchemy.sql.schema import NULL_UNSPECIFIED, DefaultClause, ForeignKey
from sqlalchemy.sql.type_api import TypeDecorator, UserDefinedType

from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
from limbeck.operations.tables import CreateTableOp, DropTableOp

__all__ = ["NotPlain", "Shape", "shape_of", "type_key"]


class NotPlain(Exception):
    """The operation carries something a shape does not describe."""


def _keys(obj: object) -> frozenset[str]:
    return frozenset(vars(obj))


#: the instance attributes of freshly made objects: anything more is not plain
_COLUMN_KEYS = _keys(Column("x", Integer()))
_PK_KEYS = _keys(PrimaryKeyConstraint("x"))
_UQ_KEYS = _keys(UniqueConstraint("x"))
_CK_KEYS = _keys(CheckConstraint("x > 0"))
_FK = ForeignKeyConstraint(["x"], ["t.x"])
_FK_KEYS = _keys(_FK)
_FK_ELEMENT_KEYS = _keys(_FK.elements[0])
_DEFAULT_KEYS = _keys(Column("x", Integer(), server_default="0").server_default)
del _FK

# a shape is read for every operation of an offline run: the attributes are read in batches (C speed)
#: a plain column's attributes that are None, those that are empty or false (those its SQLAlchemy has)
_COLUMN_NONES = itemgetter(*[k for k in ("table", "default", "onupdate", "server_onupdate", "computed", "identity", "doc")
                             if k in _COLUMN_KEYS])
_COLUMN_FALSE = itemgetter(*[k for k in ("foreign_keys", "constraints", "system", "is_literal", "_insert_sentinel",
                                         "_omit_from_statements") if k in _COLUMN_KEYS])
#: the column's attributes its key holds after its name and type
_COLUMN_FLAGS = itemgetter("nullable", "_user_defined_nullable", "primary_key", "autoincrement", "index", "unique",
                           "server_default", "comment")
#: what a foreign key's element must have as its constraint has it
_FK_SHARED = itemgetter("name", "onupdate", "ondelete", "deferrable", "initially", "link_to_name", "match", "use_alter",
                        "comment")


class Shape:
    """An operation's key, its names in slot order, and how to make it again with other names."""

    __slots__ = ("key", "names", "_build")

    def __init__(self, key: tuple[Any, ...], names: list[str], build: Callable[[list[str]], Any]) -> None:
        self.key = key
        self.names = names
        self._build = build

    def rebuild(self, names: list[str]) -> Any:
        """A new operation record equal to the original one but for its names (``names[slot]``)."""
        return self._build(names)


class _Reader:
    """Collects names into slots while an operation's parts are read.

    Lowerings sort constraints and indexes by name (and nothing else by
    name), so the sort order of those names is part of the key: ``sort``
    marks a constraint's or an index's own name.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.slots: dict[str, int] = {}
        self.sorted: set[int] = set()

    def name(self, value: Any, sort: bool = False) -> tuple[str, int] | None:
        if value is None:
            return None
        kind = type(value)
        if kind is str:
            tag = "s"
        elif kind is conv:
            tag = "c"
        elif kind is quoted_name and value.quote is None:
            tag = "q"  # what Column() makes of a str: quoted as the dialect's rules say, like a str
        else:
            raise NotPlain(f"name of type {kind.__name__}")
        slot = self.slots.get(value)
        if slot is None:
            slot = self.slots[value] = len(self.names)
            self.names.append(value)
        if sort:
            self.sorted.add(slot)
        return tag, slot

    def key(self, *parts: Any) -> tuple[Any, ...]:
        """The parts, then the slots of the sorted names in their sort order (always last)."""
        return (*parts, tuple(sorted(self.sorted, key=self.names.__getitem__)))


def _named(entry: tuple[str, int] | None, names: list[str]) -> Any:
    if entry is None:
        return None
    tag, slot = entry
    return conv(names[slot]) if tag == "c" else names[slot]


# -- parts ---------------------------------------------------------------------------------
#: type class -> whether its instances may be part of a shape (see :func:`type_key`)
_PLAIN_TYPE_CLASSES: dict[type, bool] = {}
#: type class -> whether all its instance state is in ``__dict__``
_PLAIN_VALUED: dict[type, bool] = {}
#: attribute values a type's key may hold as they are (the static key holds the rest)
_SCALARS = frozenset({str, int, bool, float, type(None)})


def type_key(value: Any) -> Any:
    """The type's key (SQLAlchemy's own cache key), for plain types only (else :class:`NotPlain`)."""
    if value is None:
        return None
    cls = type(value)
    plain = _PLAIN_TYPE_CLASSES.get(cls)
    if plain is None:
        plain = _PLAIN_TYPE_CLASSES[cls] = cls.__module__.startswith("sqlalchemy.") and not issubclass(
            cls, (SchemaEventTarget, TypeDecorator, UserDefinedType)
        )
        # a class with slots keeps attributes outside __dict__: only SQLAlchemy's key describes it
        _PLAIN_VALUED[cls] = plain and not any(getattr(k, "__slots__", None) for k in cls.__mro__)
    if not plain:
        raise NotPlain(f"type {cls.__name__}")
    if getattr(value, "_variant_mapping", None):
        raise NotPlain("type with variants")
    if _PLAIN_VALUED.get(cls, False):
        # every attribute, with the class of its value: a finer key than SQLAlchemy's (which keeps
        # only the constructor's arguments that are set), and cheaper to make for a fresh type
        attrs = value.__dict__
        if "_static_cache_key" not in attrs:  # a fresh type (the memo appears once SQLAlchemy keyed it)
            classes = tuple(map(type, attrs.values()))
            if _SCALARS.issuperset(classes):
                return (cls, tuple(attrs), classes, tuple(attrs.values()))
        else:
            items = attrs.items()
            if all(type(v) in _SCALARS for k, v in items if k != "_static_cache_key"):
                return (cls, *[(k, type(v), v) for k, v in items if k != "_static_cache_key"])
    key = getattr(value, "_static_cache_key", None)
    try:
        hash(key)
    except TypeError as exc:
        raise NotPlain("type without a hashable cache key") from exc
    if not isinstance(key, tuple) or key[:1] != (cls,):
        raise NotPlain("type without a cache key")
    return key


def _text(value: Any) -> str:
    if type(value) is not TextClause or value._bindparams:
        raise NotPlain("not a plain text()")
    return str(value.text)


def _default(value: Any, owner: Any = None) -> Any:
    """A server default (a string, ``text()``, or a ``DefaultClause`` of either) as a key part."""
    if value is None or value is False:
        return value
    if type(value) is str:
        return ("str", value)
    if type(value) is TextClause:
        return ("text", _text(value))
    if type(value) is DefaultClause:
        attrs = vars(value)
        if _keys(value) != _DEFAULT_KEYS or attrs["for_update"] or attrs["reflected"] or attrs["column"] is not owner:
            raise NotPlain("server default with options")
        inner = _default(attrs["arg"])
        if inner is None or inner is False:
            raise NotPlain("server default without a value")
        return ("clause", inner)
    raise NotPlain(f"server default {type(value).__name__}")


def _default_value(key: Any) -> Any:
    if key is None or key is False:
        return key
    tag, value = key
    if tag == "str":
        return value
    if tag == "text":
        from sqlalchemy import text

        return text(value)
    return DefaultClause(_default_value(value))


def _column(col: Any, reader: _Reader, types: list[Any]) -> tuple[Any, ...]:
    if type(col) is not Column:
        raise NotPlain("not a plain Column")
    a = vars(col)
    if a.keys() != _COLUMN_KEYS:
        raise NotPlain("not a plain Column")
    # (_insert_sentinel is absent from SQLAlchemy 2.0.0's Column: the getters read the keys it has)
    if a["key"] != a["name"] or any(_COLUMN_FALSE(a)) or any(map(is_not, _COLUMN_NONES(a), repeat(None))):
        raise NotPlain("column with options")
    nullable, user_nullable, primary_key, autoincrement, index, unique, server_default, comment = _COLUMN_FLAGS(a)
    column_type = a["type"]
    types.append(column_type)
    return (
        "col",
        reader.name(a["name"]),
        type_key(column_type),
        nullable,
        None if user_nullable is NULL_UNSPECIFIED else ("given", user_nullable),
        primary_key,
        autoincrement,
        index,
        unique,
        _default(server_default, col),
        comment,
    )


def _make_column(key: tuple[Any, ...], names: list[str], types: list[Any]) -> Column[Any]:
    _, name, _, _, user_nullable, primary_key, autoincrement, index, unique, default, comment = key
    kw: dict[str, Any] = {}
    if user_nullable is not None:
        kw["nullable"] = user_nullable[1]
    if default is not None:
        kw["server_default"] = _default_value(default)
    return Column(
        _named(name, names), types.pop(0), primary_key=primary_key, autoincrement=autoincrement, index=index,
        unique=unique, comment=comment, **kw,
    )


_CONSTRAINT_KEYS = {PrimaryKeyConstraint: _PK_KEYS, UniqueConstraint: _UQ_KEYS, CheckConstraint: _CK_KEYS,
                    ForeignKeyConstraint: _FK_KEYS}
#: a plain constraint's attributes that keep their defaults
_CONSTRAINT_OPTIONS = itemgetter("_create_rule", "_type_bound", "_column_flag")
_CONSTRAINT_DEFAULTS = (None, False, False)


def _constraint(item: Any, reader: _Reader) -> tuple[Any, ...]:
    kind = type(item)
    expected = _CONSTRAINT_KEYS.get(kind)
    a = vars(item)
    if expected is None or a.keys() != expected:
        raise NotPlain(f"item {kind.__name__}")
    if _CONSTRAINT_OPTIONS(a) != _CONSTRAINT_DEFAULTS or len(a["_columns"]):
        raise NotPlain("constraint with options")
    if a.get("_implicit_generated"):
        raise NotPlain("implicit primary key")
    common = (reader.name(a["name"], sort=True), a["deferrable"], a["initially"], a["comment"])
    if kind is CheckConstraint:
        if a["_pending_colargs"]:
            raise NotPlain("check constraint with columns")
        return ("ck", *common, _text(a["sqltext"]))
    columns = a["_pending_colargs"]
    if not all(type(c) is str for c in columns):
        raise NotPlain("constraint naming Column objects")
    if kind is not ForeignKeyConstraint:
        return ("pk" if kind is PrimaryKeyConstraint else "uq", *common, tuple(map(reader.name, columns)))
    if item.dialect_kwargs or len(a["elements"]) != len(columns):
        raise NotPlain("foreign key with dialect options")
    targets = []
    shared = _FK_SHARED(a)
    for element in a["elements"]:
        e = vars(element)
        spec = element._colspec
        if (
            type(element) is not ForeignKey
            or e.keys() != _FK_ELEMENT_KEYS
            or e["_table_column"] is not None
            or e["parent"] is not None
            or e["_unvalidated_dialect_kw"]
            or e["constraint"] is not item
            or type(spec) is not str
            or spec.count(".") != 1
            or _FK_SHARED(e) != shared
        ):
            raise NotPlain("foreign key element with options")
        table, column = spec.split(".")
        targets.append((reader.name(table), reader.name(column)))
    options = (a["onupdate"], a["ondelete"], a["link_to_name"], a["match"], a["use_alter"])
    return ("fk", *common, tuple(map(reader.name, columns)), tuple(targets), options)


def _make_constraint(key: tuple[Any, ...], names: list[str]) -> Any:
    kind, name, deferrable, initially, comment = key[:5]
    kw = {"name": _named(name, names), "deferrable": deferrable, "initially": initially, "comment": comment}
    if kind == "ck":
        return CheckConstraint(key[5], **kw)
    columns = [_named(c, names) for c in key[5]]
    if kind == "pk":
        return PrimaryKeyConstraint(*columns, **kw)
    if kind == "uq":
        return UniqueConstraint(*columns, **kw)
    onupdate, ondelete, link_to_name, match, use_alter = key[7]
    refs = [f"{_named(t, names)}.{_named(c, names)}" for t, c in key[6]]
    return ForeignKeyConstraint(columns, refs, onupdate=onupdate, ondelete=ondelete, link_to_name=link_to_name,
                                match=match, use_alter=use_alter, **kw)


# -- operations ----------------------------------------------------------------------------
def _create_table(op: CreateTableOp) -> Shape:
    if op.kw or op.info or op.comment is not None or op.prefixes or op._namespace_metadata is not None:
        raise NotPlain("table options")
    reader = _Reader()
    table, schema = reader.name(op.table_name), reader.name(op.schema)
    types: list[Any] = []
    items = [_column(item, reader, types) if type(item) is Column else _constraint(item, reader) for item in op.columns]
    # SQLAlchemy orders a table's constraints by when they were made: keep that order
    made = sorted(range(len(op.columns)), key=[item._creation_order for item in op.columns].__getitem__)
    key = reader.key("create_table", table, schema, tuple(items), tuple(made), op.if_not_exists,
                     op._constraints_included)

    def build(names: list[str]) -> CreateTableOp:
        pool = list(types)
        made_items: dict[int, Any] = {}
        for i in made:  # in the original order of creation
            made_items[i] = _make_column(items[i], names, pool) if items[i][0] == "col" else _make_constraint(items[i], names)
        return CreateTableOp(_named(table, names), [made_items[i] for i in range(len(items))],
                             schema=_named(schema, names), if_not_exists=op.if_not_exists,
                             _constraints_included=op._constraints_included)

    return Shape(key, reader.names, build)


def _add_column(op: AddColumnOp) -> Shape:
    if op.kw:
        raise NotPlain("add_column options")
    reader = _Reader()
    table, schema = reader.name(op.table_name), reader.name(op.schema)
    types: list[Any] = []
    column = _column(op.column, reader, types)
    flags = (op.if_not_exists, op.inline_references, op.inline_primary_key)
    key = reader.key("add_column", table, schema, column, flags)

    def build(names: list[str]) -> AddColumnOp:
        return AddColumnOp(_named(table, names), _make_column(column, names, list(types)), schema=_named(schema, names),
                           if_not_exists=flags[0], inline_references=flags[1], inline_primary_key=flags[2])

    return Shape(key, reader.names, build)


def _drop_column(op: DropColumnOp) -> Shape:
    if op.kw:
        raise NotPlain("drop_column options")
    reader = _Reader()
    parts = (reader.name(op.table_name), reader.name(op.column_name), reader.name(op.schema))
    key = reader.key("drop_column", parts, op.if_exists)

    def build(names: list[str]) -> DropColumnOp:
        table, column, schema = (_named(p, names) for p in parts)
        return DropColumnOp(table, column, schema=schema, if_exists=op.if_exists)

    return Shape(key, reader.names, build)


def _drop_table(op: DropTableOp) -> Shape:
    if op.table_kw or op.comment is not None or op.info or op.prefixes:
        raise NotPlain("drop_table options")
    reader = _Reader()
    parts = (reader.name(op.table_name), reader.name(op.schema))
    key = reader.key("drop_table", parts, op.if_exists)

    def build(names: list[str]) -> DropTableOp:
        return DropTableOp(_named(parts[0], names), schema=_named(parts[1], names), if_exists=op.if_exists)

    return Shape(key, reader.names, build)


def _create_index(op: CreateIndexOp) -> Shape:
    if op.kw or not all(type(c) is str for c in op.columns):
        raise NotPlain("index options or expressions")
    reader = _Reader()
    parts = (reader.name(op.index_name, sort=True), reader.name(op.table_name), reader.name(op.schema))
    columns = tuple(reader.name(c) for c in op.columns)
    key = reader.key("create_index", parts, columns, bool(op.unique), op.if_not_exists)

    def build(names: list[str]) -> CreateIndexOp:
        index, table, schema = (_named(p, names) for p in parts)
        return CreateIndexOp(index, table, [_named(c, names) for c in columns], schema=schema, unique=op.unique,
                             if_not_exists=op.if_not_exists)

    return Shape(key, reader.names, build)


def _drop_index(op: DropIndexOp) -> Shape:
    if op.kw:
        raise NotPlain("drop_index options")
    reader = _Reader()
    parts = (reader.name(op.index_name, sort=True), reader.name(op.table_name), reader.name(op.schema))
    key = reader.key("drop_index", parts, op.if_exists)

    def build(names: list[str]) -> DropIndexOp:
        index, table, schema = (_named(p, names) for p in parts)
        return DropIndexOp(index, table, schema=schema, if_exists=op.if_exists)

    return Shape(key, reader.names, build)


def _alter_column(op: AlterColumnOp) -> Shape:
    if op.kw:
        raise NotPlain("alter_column options")
    reader = _Reader()
    parts = (reader.name(op.table_name), reader.name(op.column_name), reader.name(op.schema),
             reader.name(op.modify_name))
    for comment in (op.existing_comment, op.modify_comment):
        if comment is not None and comment is not False and type(comment) is not str:
            raise NotPlain("comment")
    nullables = (op.existing_nullable, op.modify_nullable)
    if any(n is not None and type(n) is not bool for n in nullables):
        raise NotPlain("nullable")
    values = (
        type_key(op.existing_type), type_key(op.modify_type), nullables,
        _default(op.existing_server_default), _default(op.modify_server_default),
        op.existing_comment, op.modify_comment,
    )
    key = reader.key("alter_column", parts, values)
    existing_type, modify_type = op.existing_type, op.modify_type

    def build(names: list[str]) -> AlterColumnOp:
        table, column, schema, new_name = (_named(p, names) for p in parts)
        return AlterColumnOp(
            table, column, schema=schema, existing_type=existing_type, modify_type=modify_type,
            existing_nullable=nullables[0], modify_nullable=nullables[1],
            existing_server_default=_default_value(values[3]), modify_server_default=_default_value(values[4]),
            existing_comment=op.existing_comment, modify_comment=op.modify_comment, modify_name=new_name,
        )

    return Shape(key, reader.names, build)


_READERS: dict[type, Callable[[Any], Shape]] = {
    CreateTableOp: _create_table,
    DropTableOp: _drop_table,
    AddColumnOp: _add_column,
    DropColumnOp: _drop_column,
    AlterColumnOp: _alter_column,
    CreateIndexOp: _create_index,
    DropIndexOp: _drop_index,
}


def shape_of(op: Any) -> Shape | None:
    """The shape of ``op``, or None when it is not an operation (or not one plain enough) to have one."""
    reader = _READERS.get(type(op))
    if reader is None:
        return None
    try:
        return reader(op)
    except NotPlain:
        return None
    except (KeyError, AttributeError):
        # the shapes read SQLAlchemy's objects by their attributes, which move between releases
        # (2.0.0's Column has fewer of them than 2.1's): such an operation is lowered as usual
        return None
