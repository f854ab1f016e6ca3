"""Build the SQLAlchemy schema objects an operation record describes.

Operations name tables and columns by string; SQLAlchemy's DDL constructs
want ``Table``, ``Column``, ``Index`` and ``Constraint`` objects. This builds
them in a fresh ``MetaData`` that carries the naming convention of the
target metadata (so ``op.create_unique_constraint(None, ...)`` gets the name
the models would), with stub tables for foreign-key targets so constraints
compile without the referenced table being defined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from sqlalchemy import Column, ForeignKeyConstraint, Index, MetaData, Table
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlalchemy.types import NullType

if TYPE_CHECKING:
    from limbeck.operations.indexes import CreateIndexOp, DropIndexOp
    from limbeck.operations.tables import CreateTableOp
    from limbeck.runtime.migration import MigrationContext


class SchemaObjects:
    """Factory of schema objects for one migration context (or none)."""

    def __init__(self, naming_convention: dict[str, Any] | None = None) -> None:
        self.naming_convention = naming_convention

    @classmethod
    def for_context(cls, context: "MigrationContext | None") -> "SchemaObjects":
        return cls(_naming_convention(context.opts if context is not None else {}))

    @classmethod
    def for_opts(cls, opts: dict[str, Any]) -> "SchemaObjects":
        return cls(_naming_convention(opts))

    def metadata(self) -> MetaData:
        if self.naming_convention:
            return MetaData(naming_convention=self.naming_convention)
        return MetaData()

    # -- tables ----------------------------------------------------------------------
    def table(self, name: str, *items: Any, schema: str | None = None, metadata: MetaData | None = None, **kw: Any) -> Table:
        """A Table of ``items`` (columns, constraints), with FK targets stubbed."""
        metadata = metadata if metadata is not None else self.metadata()
        table = Table(name, metadata, *items, schema=schema, **kw)
        for constraint in list(table.constraints):
            if isinstance(constraint, ForeignKeyConstraint):
                self.stub_fk_target(metadata, constraint)
        return table

    def table_from_op(self, op: "CreateTableOp") -> Table:
        kw = dict(op.kw)
        if op.comment is not None:
            kw["comment"] = op.comment
        if op.info:
            kw["info"] = dict(op.info)
        if op.prefixes:
            kw["prefixes"] = list(op.prefixes)
        metadata = op._namespace_metadata if op._constraints_included and op._namespace_metadata is not None else None
        if metadata is not None and op.table_name in metadata.tables:
            metadata = None
        items = list(op.columns)
        return self.table(op.table_name, *items, schema=op.schema, metadata=metadata, **kw)

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
            spec = element._get_colspec()
            parts = spec.split(".")
            if len(parts) < 2:
                continue
            column = parts[-1]
            table = parts[-2]
            schema = ".".join(parts[:-2]) or None
            self.stub_table(table, [column], schema=schema, metadata=metadata)

    def column_table(self, table_name: str, column: Column[Any], schema: str | None = None) -> Table:
        """``column`` attached to a stub of its table (what ADD COLUMN compiles)."""
        return self.table(table_name, column, schema=schema)

    # -- indexes ---------------------------------------------------------------------
    def index(self, name: str | None, table_name: str, columns: Sequence[Any], schema: str | None = None, unique: bool = False, **kw: Any) -> Index:
        names = [c for c in columns if isinstance(c, str)]
        table = self.stub_table(table_name, names, schema=schema)
        exprs = [table.c[c] if isinstance(c, str) else _expression(c) for c in columns]
        return Index(name, *exprs, unique=unique, _table=table, **kw)

    def index_from_op(self, op: "CreateIndexOp") -> Index:
        return self.index(op.index_name, op.table_name, op.columns, schema=op.schema, unique=op.unique, **op.kw)

    def index_for_drop(self, op: "DropIndexOp") -> Index:
        table = self.stub_table(op.table_name or "_", [], schema=op.schema)
        return Index(op.index_name, _table=table, **op.kw)


def _expression(value: Any) -> Any:
    if isinstance(value, (ColumnElement, TextClause)):
        return value
    return value


def _naming_convention(opts: dict[str, Any]) -> dict[str, Any] | None:
    target = opts.get("target_metadata")
    if isinstance(target, (list, tuple)):
        target = target[0] if target else None
    convention = getattr(target, "naming_convention", None)
    return dict(convention) if convention else None
