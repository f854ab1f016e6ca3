"""Batch mode's "move and copy" planner: old table + operations -> statements.

Pure: it gets the old table (reflected by the runtime online, or the user's
``copy_from`` offline) and returns the statements of the stream that rebuild
it, which the emitter then executes or renders like any others:

1. (PostgreSQL) ``ALTER TABLE t DROP CONSTRAINT n`` for each named constraint
   the new table takes over: those names share the schema's namespace there;
2. ``CREATE TABLE _alembic_tmp_t`` with the new shape (and its comments);
3. ``INSERT INTO _alembic_tmp_t (...) SELECT ... FROM t``, with ``CAST``
   where a column's type affinity changed;
4. (PostgreSQL) the serial / identity sequence moved past the copied ids, so
   the next insert does not collide (deliberately better than Alembic);
5. ``DROP TABLE t``; ``ALTER TABLE _alembic_tmp_t RENAME TO t``;
6. ``CREATE INDEX`` for every index of the new table, by name.

It also decides, for ``recreate="auto"``, whether a batch needs this at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from sqlalchemy import Column, MetaData, Table, cast, select
from sqlalchemy import table as table_clause
from sqlalchemy.schema import Computed, CreateIndex, CreateTable, DefaultClause, DropConstraint, DropTable, Identity

from limbeck.compiler import constructs as c
from limbeck.compiler.batch_model import BatchTable, apply
from limbeck.compiler.batch_sql import SyncSerial
from limbeck.compiler.schemaobj import SchemaObjects
from limbeck.compiler.statement import Statement, ddl, dml
from limbeck.compiler.tables import comment_statements

if TYPE_CHECKING:
    from limbeck.dialects.base import DialectBehaviour

#: the temporary table's name prefix, Alembic's (scripts and tools look for it)
TEMP_PREFIX = "_alembic_tmp_"

#: databases where constraint names are unique per schema, not per table
#: (https://www.postgresql.org/docs/current/sql-createtable.html: index-backed
#: constraints create an index of the same name)
SCHEMA_SCOPED_CONSTRAINT_NAMES = frozenset({"postgresql"})


# -- when to recreate ---------------------------------------------------------------------
def _sqlite_add_column_needs_recreate(column: Column[Any]) -> bool:
    default = column.server_default
    if isinstance(default, (Computed, Identity)):
        return False
    if default is not None and not (isinstance(default, DefaultClause) and isinstance(default.arg, str)):
        # ALTER TABLE ADD COLUMN takes only a constant default
        # (https://www.sqlite.org/lang_altertable.html#altertabaddcol)
        return True
    # deliberately beyond Alembic, which fails on these: SQLite cannot add a
    # constraint to an existing table, so a new FK / UNIQUE / PK column recreates
    return bool(column.foreign_keys or column.unique or column.primary_key)


def _sqlite_needs_recreate(op: Any) -> bool:
    from limbeck.operations.columns import AddColumnOp
    from limbeck.operations.indexes import CreateIndexOp, DropIndexOp

    if isinstance(op, AddColumnOp):
        return _sqlite_add_column_needs_recreate(op.column)
    return not isinstance(op, (CreateIndexOp, DropIndexOp))


#: dialect name -> "this operation needs move and copy under recreate='auto'"
RECREATE_RULES: dict[str, Callable[[Any], bool]] = {"sqlite": _sqlite_needs_recreate}


def ops_needing_recreate(ops: Sequence[Any], behaviour: "DialectBehaviour") -> list[Any]:
    """The operations of a batch the database cannot do with ALTER."""
    rule = RECREATE_RULES.get(behaviour.name)
    return [op for op in ops if rule(op)] if rule is not None else []


# -- the plan -------------------------------------------------------------------------------
def _objects_for_ops(behaviour: "DialectBehaviour", naming_convention: dict[str, Any] | None) -> SchemaObjects:
    """Names the migration leaves to a convention: the target metadata's, else the batch's."""
    objects = SchemaObjects.for_opts(dict(behaviour.opts))
    if objects.naming_convention is None and naming_convention:
        objects = SchemaObjects(dict(naming_convention))
    return objects


def _strip_serial_defaults(model: BatchTable, behaviour: "DialectBehaviour") -> None:
    """Reflected PostgreSQL serials carry ``nextval('t_id_seq')``: the new table makes its own."""
    if behaviour.name != "postgresql":
        return
    for column in model.columns.values():
        default = column.server_default
        arg = getattr(default, "arg", None)
        if column.autoincrement is not False and "nextval(" in str(getattr(arg, "text", arg) or ""):
            column.server_default = None


def temp_table(final: Table) -> Table:
    """The new table under its temporary name; self-references follow it."""
    tmp = final.to_metadata(MetaData(), name=TEMP_PREFIX + final.name)
    objects = SchemaObjects()
    from sqlalchemy import ForeignKeyConstraint

    for constraint in tmp.constraints:
        if isinstance(constraint, ForeignKeyConstraint):
            objects.stub_fk_target(tmp.metadata, constraint)
    return tmp


def copy_rows(model: BatchTable, tmp: Table) -> Any:
    """``INSERT INTO tmp (...) SELECT ... FROM old``, or ``None`` when no column survives."""
    casts = model.casts()
    keys = [key for key in model.ordered_keys() if key in casts and model.columns[key].computed is None]
    if not keys:
        return None
    sources = [model.transfers[key].source for key in keys]
    old = table_clause(model.name, *[_column_clause(name) for name in sources], schema=model.schema)
    exprs = []
    for key, name in zip(keys, sources):
        target_type = casts[key]
        exprs.append(old.c[name] if target_type is None else cast(old.c[name], target_type).label(name))
    return tmp.insert().from_select([tmp.c[key] for key in keys], select(*exprs))


def _column_clause(name: str) -> Any:
    from sqlalchemy import column

    return column(name)


def _pre_drops(model: BatchTable, source_names: set[str], behaviour: "DialectBehaviour", source: Any) -> list[Statement]:
    if behaviour.name not in SCHEMA_SCOPED_CONSTRAINT_NAMES:
        return []
    from sqlalchemy import UniqueConstraint

    names = [model.primary_key.name] if model.primary_key is not None else []
    names += [item.name for item in model.constraints]
    stub = Table(model.name, MetaData(), schema=model.schema)
    statements = []
    for name in names:
        if name and name in source_names:
            constraint = UniqueConstraint(name=name)
            stub.append_constraint(constraint)
            statements.append(ddl(DropConstraint(constraint), source, batch_step="drop_constraint"))
    return statements


def plan_move_and_copy(source: Table, batch: Any, behaviour: "DialectBehaviour") -> list[Statement]:
    """The statements that rebuild ``source`` as ``batch``'s operations describe.

    ``batch`` is a ``BatchAlterTableOp``: its ``ops`` and options
    (``schema``, ``partial_reordering``, ``table_args``, ``table_kwargs``,
    ``naming_convention``).
    """
    model = BatchTable(
        source,
        schema=batch.schema,
        partial_reordering=batch.partial_reordering,
        table_args=batch.table_args,
        table_kwargs=dict(batch.table_kwargs),
        naming_convention=batch.naming_convention,
    )
    source_names = model.named_source_constraints()
    _strip_serial_defaults(model, behaviour)
    apply(model, batch.ops, _objects_for_ops(behaviour, batch.naming_convention))
    final = model.build()
    tmp = temp_table(final)
    statements = _pre_drops(model, source_names, behaviour, batch)
    statements.append(ddl(CreateTable(tmp), batch, batch_step="create"))
    statements += comment_statements(tmp, behaviour, batch)
    insert = copy_rows(model, tmp)
    if insert is not None:
        statements.append(dml(insert, batch, info={"batch_step": "copy", "temp_table": tmp}))
        serial = tmp.autoincrement_column
        if behaviour.name == "postgresql" and serial is not None:
            statements.append(dml(SyncSerial(tmp, serial), batch, info={"batch_step": "sequence"}))
    old = Table(model.name, MetaData(), schema=model.schema)
    statements.append(ddl(DropTable(old), batch, batch_step="drop"))
    statements.append(ddl(c.RenameTable(tmp.name, model.name, schema=model.schema), batch, batch_step="rename"))
    for index in sorted(final.indexes, key=lambda ix: str(ix.name or "")):
        statements.append(ddl(CreateIndex(index), batch, batch_step="index"))
    return statements
