"""Batch mode's "move and copy" planner: old table + operations -> statements.

Pure: it gets the old table (reflected by the runtime online, or the user's
``copy_from`` offline) and returns the statements of the stream that rebuild
it, which the emitter then executes or renders like any others:

1. (PostgreSQL: ``constraint_names_per_schema``) ``ALTER TABLE t DROP
   CONSTRAINT n`` for each named constraint the new table takes over: those
   names share the schema's namespace there;
2. ``CREATE TABLE _alembic_tmp_t`` with the new shape (and its comments);
3. ``INSERT INTO _alembic_tmp_t (...) SELECT ... FROM t``, with ``CAST``
   where a column's type affinity changed and the database converts the
   value without loss (``DialectBehaviour.batch_copy_cast``);
4. (PostgreSQL: ``serial_sequences``) the serial / identity sequence moved
   past the copied ids, so the next insert does not collide (deliberately
   better than Alembic); (SQL Server: ``identity_insert``) the copy between
   ``SET IDENTITY_INSERT`` ON and OFF;
5. ``DROP TABLE t``; ``ALTER TABLE _alembic_tmp_t RENAME TO t``;
6. ``CREATE INDEX`` for every index of the new table, by name.

It also decides, for ``recreate="auto"``, whether a batch needs this at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKeyConstraint, MetaData, Table, UniqueConstraint, cast, column, select
from sqlalchemy import table as table_clause
from sqlalchemy.schema import CreateIndex, CreateTable, DropConstraint, DropTable

from limbeck.compiler import constructs as c
from limbeck.compiler.batch_checks import name_type_checks
from limbeck.compiler.batch_model import BatchTable, apply
from limbeck.compiler.batch_objects import Target, by_key, copy_column, detach_constraint, unnamed_only
from limbeck.compiler.batch_sql import SyncSerial
from limbeck.compiler.statement import Statement, ddl, dml
from limbeck.compiler.support import unsupported
from limbeck.compiler.tables import comment_statements
from limbeck.operations.schemaobj import SchemaObjects
from limbeck.sqla_compat import autoincrement_column

if TYPE_CHECKING:
    from limbeck.compiler.behaviour import DialectBehaviour

#: the temporary table's name prefix, Alembic's (scripts and tools look for it)
TEMP_PREFIX = "_alembic_tmp_"


# -- when to recreate ---------------------------------------------------------------------
def ops_needing_recreate(ops: Sequence[Any], behaviour: DialectBehaviour, *, never: bool = False) -> list[Any]:
    """The operations of a batch that rebuild the table: under ``recreate="auto"``, or
    (``never``) those the database cannot do with ALTER at all."""
    rule = behaviour.batch_cannot_alter if never else behaviour.batch_needs_recreate
    return [op for op in ops if rule(op)]


# -- the plan -------------------------------------------------------------------------------
def _objects_for_ops(behaviour: DialectBehaviour, naming_convention: dict[str, Any] | None) -> SchemaObjects:
    """Names the migration leaves to a convention: the target metadata's, else the batch's."""
    objects = SchemaObjects.for_opts(dict(behaviour.opts))
    if objects.naming_convention is None and naming_convention:
        objects = SchemaObjects(unnamed_only(dict(naming_convention)))
    return objects


def _strip_serial_defaults(model: BatchTable, behaviour: DialectBehaviour) -> None:
    """Reflected serials carry ``nextval('t_id_seq')`` (PostgreSQL): the new table makes its own."""
    if not behaviour.serial_sequences:
        return
    for col in model.columns.values():
        arg = getattr(col.server_default, "arg", None)
        # str() of the default's text or expression: an expression (func.now()) has no truth value
        source = getattr(arg, "text", arg)
        if col.autoincrement is not False and source is not None and "nextval(" in str(source):
            col.server_default = None


def temp_table(
    final: Table, local_references: bool = False, table_args: Sequence[Any] = (),
    type_check_conventions: Mapping[str, Mapping[str, Any] | None] | None = None, unique_flags: Sequence[str] = (),
) -> Table:
    """The new table under its temporary name; self-references follow it.

    Built afresh from ``final`` (``Table.to_metadata`` iterates a set, which
    would make the script differ from run to run), its constraints in
    Alembic's order: the batch's ``table_args``, the CHECKs its columns'
    types make, then the named constraints, then the unnamed ones, each
    in ``final``'s order. With
    ``local_references`` (SQLite) a foreign key naming no schema means the
    table's own schema (an attached database), as SQLite reads it. The
    types' CHECKs are named by ``type_check_conventions``, per column key (see
    :func:`~limbeck.compiler.batch_checks.name_type_checks`). The columns of
    ``unique_flags`` (keys) keep their ``unique=True``: an unnamed UNIQUE made
    with the table, as Alembic's copy of an added column makes it.
    """
    name = TEMP_PREFIX + final.name
    schema = f"{final.schema}." if final.schema else ""

    def retarget(target: Target) -> Target:
        t_schema, table, column = target
        key = f"{t_schema}.{table}" if t_schema else table  # the MetaData key SQLAlchemy resolves it by
        if key in (final.name, f"{schema}{final.name}"):
            return final.schema, name, column
        if local_references and schema and "." not in key:
            return final.schema, table, column
        return target

    kwargs = dict(final.dialect_kwargs)
    if final.comment is not None:
        kwargs["comment"] = final.comment
    objects = SchemaObjects()
    given = {id(arg) for arg in table_args}

    def group(constraint: Any) -> int:
        return 0 if id(constraint) in given else 1 if isinstance(constraint.name, str) else 2

    ordered = sorted(final._sorted_constraints, key=group)
    # the table_args' copies are made first: the user built them before the batch made its
    # table, so in Alembic's they sort (by creation) ahead of the CHECKs the columns' types make
    copies = [detach_constraint(k, by_key, retarget=retarget) for k in ordered if group(k) == 0]
    # the type-bound CHECKs are made here, with the table, before the other copies below
    columns = [copy_column(col, key=col.key) for col in final.c]
    for col in columns:
        col.unique = True if col.key in unique_flags else None
    tmp = objects.table(name, *columns, schema=final.schema, **kwargs)
    name_type_checks(tmp, final.name, type_check_conventions or {})
    copies += [detach_constraint(k, by_key, retarget=retarget) for k in ordered if group(k) != 0]
    for item in copies:
        if item is not None:
            tmp.append_constraint(item.obj)
            if isinstance(item.obj, ForeignKeyConstraint):
                objects.stub_fk_target(tmp.metadata, item.obj)
    return tmp


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
        expr: Any = old.c[name]
        for step in casts[key]:
            expr = cast(expr, step)
        exprs.append(expr if expr is old.c[name] else expr.label(name))
    return tmp.insert().from_select([tmp.c[key] for key in keys], select(*exprs)), keys


def _pre_drops(model: BatchTable, source_names: set[str], behaviour: DialectBehaviour, source: Any) -> list[Statement]:
    if not behaviour.constraint_names_per_schema:
        return []
    stub = Table(model.name, MetaData(), schema=model.schema)
    statements = []
    for name in model.dropped_before_rebuild(source_names):
        constraint = UniqueConstraint(name=name)
        stub.append_constraint(constraint)
        statements.append(ddl(DropConstraint(constraint), source, batch_step="drop_constraint"))
    return statements


def _copy_statements(
    insert: Any, keys: list[str], tmp: Table, batch: Any, behaviour: DialectBehaviour
) -> list[Statement]:
    """The copy, with what the database needs around it for identity / serial columns."""
    copy = dml(insert, batch, info={"batch_step": "copy", "temp_table": tmp})
    serial = autoincrement_column(tmp)
    if serial is None or serial.key not in keys:
        return [copy]
    if behaviour.identity_insert:
        on = c.IdentityInsert(tmp.name, True, schema=tmp.schema)
        off = c.IdentityInsert(tmp.name, False, schema=tmp.schema)
        return [ddl(on, batch, batch_step="identity_insert"), copy, ddl(off, batch, batch_step="identity_insert")]
    if behaviour.serial_sequences:
        return [copy, dml(SyncSerial(tmp, serial), batch, info={"batch_step": "sequence"})]
    return [copy]


def _type_check_conventions(
    model: BatchTable, batch: Any, behaviour: DialectBehaviour
) -> dict[str, Mapping[str, Any] | None]:
    """Column key -> the convention that names its type's CHECK in the new table (Alembic's rule).

    A column the table had: the convention of the table being replaced
    (``copy_from``'s MetaData, else the batch's ``naming_convention``, which
    the reflected table is read under). A column the batch adds: the target
    metadata's, as the operation's own table names it.
    """
    source = batch.copy_from.metadata.naming_convention if batch.copy_from is not None else batch.naming_convention
    added = SchemaObjects.for_opts(dict(behaviour.opts)).naming_convention
    had = set(model.source.c.keys())
    return {key: source if key in had else added for key in model.columns}


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
        reflected=batch.copy_from is None,
        quote=behaviour.dialect.identifier_preparer.quote,
        names_ignore_case=behaviour.names_ignore_case,
    )
    source_names = model.named_source_constraints()
    _strip_serial_defaults(model, behaviour)
    model.added_check_convention = SchemaObjects.for_opts(dict(behaviour.opts)).naming_convention
    model.dialect = behaviour.dialect
    apply(model, batch.ops, _objects_for_ops(behaviour, batch.naming_convention))
    final = model.build()
    tmp = temp_table(final, local_references=behaviour.unqualified_references, table_args=model.table_args,
                     type_check_conventions=_type_check_conventions(model, batch, behaviour),
                     unique_flags=model.unique_flags)
    statements = _pre_drops(model, source_names, behaviour, batch)
    statements.append(ddl(CreateTable(tmp), batch, batch_step="create"))
    statements += comment_statements(tmp, behaviour, batch)
    copy = copy_rows(model, tmp, behaviour)
    if copy is not None:
        statements += _copy_statements(*copy, tmp, batch, behaviour)
    elif any(col.computed is None for col in source.c):
        # a copy needs one column of the old table to SELECT from: without it the new table would
        # start empty (Alembic crashes with a KeyError here)
        raise unsupported(
            batch, behaviour, "no column of the old table is left to copy, so the rebuilt table would lose every row",
            "keep one of its columns in this batch and drop it in a second batch_alter_table",
        )
    old = Table(model.name, MetaData(), schema=model.schema)
    statements.append(ddl(DropTable(old), batch, batch_step="drop"))
    statements.append(ddl(c.RenameTable(tmp.name, model.name, schema=model.schema), batch, batch_step="rename"))
    for index in sorted(final.indexes, key=lambda ix: str(ix.name or "")):
        statements.append(ddl(CreateIndex(index), batch, batch_step="index"))
    return statements
