"""Batch mode's "move and copy" planner: old table + operations -> statements.

Pure: it gets the old table (reflected by the runtime online, or the user's
``copy_from`` offline) and returns the statements of the stream that rebuild
it, which the emitter then executes or renders like any others:

1. (PostgreSQL) ``ALTER TABLE t DROP CONSTRAINT n`` for each named constraint
   the new table takes over: those names share the schema's namespace there;
2. ``CREATE TABLE _alembic_tmp_t`` with the new shape (and its comments);
3. ``INSERT INTO _alembic_tmp_t (...) SELECT ... FROM t``, with ``CAST``
   where a column's type affinity changed and the database converts the
   value without loss (``DialectBehaviour.batch_copy_cast``);
4. (PostgreSQL) the serial / identity sequence moved past the copied ids, so
   the next insert does not collide (deliberately better than Alembic);
5. ``DROP TABLE t``; ``ALTER TABLE _alembic_tmp_t RENAME TO t``;
6. ``CREATE INDEX`` for every index of the new table, by name.

It also decides, for ``recreate="auto"``, whether a batch needs this at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, MetaData, Table, UniqueConstraint, cast, column, select
from sqlalchemy import table as table_clause
from sqlalchemy.schema import (
    Computed,
    CreateIndex,
    CreateTable,
    DefaultClause,
    DropConstraint,
    DropTable,
    Identity,
)

from limbeck.compiler import constructs as c
from limbeck.compiler.batch_model import BatchTable, apply
from limbeck.compiler.batch_objects import by_key, copy_column, detach_constraint
from limbeck.compiler.batch_sql import SyncSerial
from limbeck.compiler.statement import Statement, ddl, dml
from limbeck.compiler.tables import comment_statements
from limbeck.operations.schemaobj import SchemaObjects

if TYPE_CHECKING:
    from limbeck.compiler.behaviour import DialectBehaviour

#: the temporary table's name prefix, Alembic's (scripts and tools look for it)
TEMP_PREFIX = "_alembic_tmp_"

#: databases that refuse explicit values for an identity column unless told
#: (https://learn.microsoft.com/sql/t-sql/statements/set-identity-insert-transact-sql)
IDENTITY_INSERT_DIALECTS = frozenset({"mssql"})

#: databases where constraint names are unique per schema, not per table
#: (https://www.postgresql.org/docs/current/sql-createtable.html: index-backed
#: constraints create an index of the same name)
SCHEMA_SCOPED_CONSTRAINT_NAMES = frozenset({"postgresql"})


# -- when to recreate ---------------------------------------------------------------------
def _sqlite_add_column_needs_recreate(column: Column[Any]) -> bool:
    default = column.server_default
    if isinstance(default, Computed):
        # as Alembic: a STORED generated column rebuilds the table (ADD COLUMN
        # takes one only while the table is empty)
        return bool(default.persisted)
    if isinstance(default, Identity):
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


def _sqlite_cannot_alter(op: Any) -> bool:
    """What SQLite's ALTER TABLE has no form for (https://www.sqlite.org/lang_altertable.html).

    It renames, adds and drops a column (DROP COLUMN since 3.35); with
    ``recreate="never"`` those run as ALTER TABLE, as Alembic runs them.
    """
    from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
    from limbeck.operations.indexes import CreateIndexOp, DropIndexOp

    if isinstance(op, AddColumnOp):
        # a foreign key goes inline (REFERENCES); a key or UNIQUE cannot be added
        return bool(op.column.unique or op.column.primary_key)
    if isinstance(op, AlterColumnOp):
        changes = (op.modify_type, op.modify_nullable)
        unchanged = (op.modify_server_default, op.modify_comment)
        return any(c is not None for c in changes) or any(c is not False for c in unchanged)
    return not isinstance(op, (DropColumnOp, CreateIndexOp, DropIndexOp))


#: dialect name -> "this operation needs move and copy under recreate='auto'" (Alembic's choice)
RECREATE_RULES: dict[str, Callable[[Any], bool]] = {"sqlite": _sqlite_needs_recreate}
#: dialect name -> "ALTER TABLE cannot do this operation" (what recreate='never' refuses)
IN_PLACE_RULES: dict[str, Callable[[Any], bool]] = {"sqlite": _sqlite_cannot_alter}


def ops_needing_recreate(ops: Sequence[Any], behaviour: DialectBehaviour, *, never: bool = False) -> list[Any]:
    """The operations of a batch that rebuild the table: under ``recreate="auto"``, or
    (``never``) those the database cannot do with ALTER at all."""
    rule = (IN_PLACE_RULES if never else RECREATE_RULES).get(behaviour.name)
    return [op for op in ops if rule(op)] if rule is not None else []


# -- the plan -------------------------------------------------------------------------------
def _objects_for_ops(behaviour: DialectBehaviour, naming_convention: dict[str, Any] | None) -> SchemaObjects:
    """Names the migration leaves to a convention: the target metadata's, else the batch's."""
    objects = SchemaObjects.for_opts(dict(behaviour.opts))
    if objects.naming_convention is None and naming_convention:
        objects = SchemaObjects(dict(naming_convention))
    return objects


def _strip_serial_defaults(model: BatchTable, behaviour: DialectBehaviour) -> None:
    """Reflected PostgreSQL serials carry ``nextval('t_id_seq')``: the new table makes its own."""
    if behaviour.name != "postgresql":
        return
    for col in model.columns.values():
        arg = getattr(col.server_default, "arg", None)
        if col.autoincrement is not False and "nextval(" in str(getattr(arg, "text", arg) or ""):
            col.server_default = None


def temp_table(final: Table, local_references: bool = False) -> Table:
    """The new table under its temporary name; self-references follow it.

    Built afresh from ``final`` in its constraint order (``Table.to_metadata``
    iterates a set, which would make the script differ from run to run).
    With ``local_references`` (SQLite) a foreign key naming no schema means
    the table's own schema (an attached database), as SQLite reads it.
    """
    name = TEMP_PREFIX + final.name
    schema = f"{final.schema}." if final.schema else ""

    def retarget(target: str) -> str:
        table, _, column = target.rpartition(".")
        if table in (final.name, f"{schema}{final.name}"):
            return f"{schema}{name}.{column}"
        if local_references and schema and "." not in table:
            return f"{schema}{target}"
        return target

    items: list[Any] = [copy_column(col, key=col.key) for col in final.c]
    for constraint in final._sorted_constraints:
        item = detach_constraint(constraint, by_key, retarget=retarget)
        if item is not None:
            items.append(item.obj)
    kwargs = dict(final.dialect_kwargs)
    if final.comment is not None:
        kwargs["comment"] = final.comment
    return SchemaObjects().table(name, *items, schema=final.schema, **kwargs)


def copy_rows(model: BatchTable, tmp: Table, behaviour: DialectBehaviour) -> tuple[Any, list[str]] | None:
    """``INSERT INTO tmp (...) SELECT ... FROM old`` and the keys it fills; ``None`` if none survives."""
    casts = model.casts(behaviour.batch_copy_cast)
    keys = [key for key in model.ordered_keys() if key in casts and model.columns[key].computed is None]
    if not keys:
        return None
    sources = [model.transfers[key].source for key in keys]
    old = table_clause(model.name, *[column(name) for name in sources], schema=model.schema)
    exprs = []
    for key, name in zip(keys, sources):
        target_type = casts[key]
        exprs.append(old.c[name] if target_type is None else cast(old.c[name], target_type).label(name))
    return tmp.insert().from_select([tmp.c[key] for key in keys], select(*exprs)), keys


def _pre_drops(model: BatchTable, source_names: set[str], behaviour: DialectBehaviour, source: Any) -> list[Statement]:
    if behaviour.name not in SCHEMA_SCOPED_CONSTRAINT_NAMES:
        return []
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


def _copy_statements(
    insert: Any, keys: list[str], tmp: Table, batch: Any, behaviour: DialectBehaviour
) -> list[Statement]:
    """The copy, with what the database needs around it for identity / serial columns."""
    copy = dml(insert, batch, info={"batch_step": "copy", "temp_table": tmp})
    serial = tmp.autoincrement_column
    if serial is None or serial.key not in keys:
        return [copy]
    if behaviour.name in IDENTITY_INSERT_DIALECTS:
        on = c.IdentityInsert(tmp.name, True, schema=tmp.schema)
        off = c.IdentityInsert(tmp.name, False, schema=tmp.schema)
        return [ddl(on, batch, batch_step="identity_insert"), copy, ddl(off, batch, batch_step="identity_insert")]
    if behaviour.name == "postgresql":
        return [copy, dml(SyncSerial(tmp, serial), batch, info={"batch_step": "sequence"})]
    return [copy]


def plan_move_and_copy(source: Table, batch: Any, behaviour: DialectBehaviour) -> list[Statement]:
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
        reflected=batch.copy_from is None,
        quote=behaviour.dialect.identifier_preparer.quote,
    )
    source_names = model.named_source_constraints()
    _strip_serial_defaults(model, behaviour)
    apply(model, batch.ops, _objects_for_ops(behaviour, batch.naming_convention))
    final = model.build()
    tmp = temp_table(final, local_references=behaviour.name == "sqlite")
    statements = _pre_drops(model, source_names, behaviour, batch)
    statements.append(ddl(CreateTable(tmp), batch, batch_step="create"))
    statements += comment_statements(tmp, behaviour, batch)
    copy = copy_rows(model, tmp, behaviour)
    if copy is not None:
        statements += _copy_statements(*copy, tmp, batch, behaviour)
    old = Table(model.name, MetaData(), schema=model.schema)
    statements.append(ddl(DropTable(old), batch, batch_step="drop"))
    statements.append(ddl(c.RenameTable(tmp.name, model.name, schema=model.schema), batch, batch_step="rename"))
    for index in sorted(final.indexes, key=lambda ix: str(ix.name or "")):
        statements.append(ddl(CreateIndex(index), batch, batch_step="index"))
    return statements
