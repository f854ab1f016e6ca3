"""The schema level: which schemas and tables to compare; tables created and dropped.

The database side is reflected in one batch per schema: ``MetaData.reflect``
with the list of table names, which SQLAlchemy (2.0+) answers with a few
multi-table catalog queries (``Inspector.get_multi_columns`` & co.) instead
of several queries per table. That is what keeps a 500-table comparison
fast. Names reflected from the database are final names
(:class:`sqlalchemy.sql.elements.conv`), so a naming convention is never
applied to them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.plugins import CONSTRAINTS
from limbeck.operations import ops
from limbeck.operations.containers import ModifyTableOps
from limbeck.operations.written_ddl import reflect_quietly, restore_reflected

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import UpgradeOps

TableKey = tuple["str | None", str]

#: the databases' own catalogs, never part of anyone's models
_SYSTEM_SCHEMAS = frozenset({"information_schema", "performance_schema", "mysql", "sys", "pg_catalog", "pg_toast"})


def _default_schema(ctx: AutogenContext) -> str | None:
    return getattr(ctx.dialect, "default_schema_name", None)


def _model_schemas(ctx: AutogenContext) -> set[str | None]:
    return {_normal_schema(ctx, table.schema) for table in ctx.sorted_tables}


def schemas_to_compare(ctx: AutogenContext) -> set[str | None]:
    """Every schema ``include_name`` accepts, or (``include_schemas`` off) the default one and those the models name.

    Without ``include_schemas`` Alembic looks at the default schema only, so
    a model table in another schema is reported as new forever (and created
    again by the migration). limbeck also looks in the schemas the models
    name, but there only at the tables the models name (see ``_conn_tables``):
    what else such a schema holds is not the models' business.
    """
    if not ctx.opts.get("include_schemas"):
        # the default schema goes through include_name all the same, as with Alembic
        kept: set[str | None] = {None} if ctx.run_name_filters(None, "schema", {}) else set()
        return kept | (_model_schemas(ctx) - {None})
    default = _default_schema(ctx)
    names = [
        None if name == default else name for name in ctx.inspector.get_schema_names()
        if name.lower() not in _SYSTEM_SCHEMAS
    ]
    return {name for name in names if ctx.run_name_filters(name, "schema", {})}


def _normal_schema(ctx: AutogenContext, schema: str | None) -> str | None:
    return None if schema is not None and schema == _default_schema(ctx) else schema


def _version_table_key(ctx: AutogenContext) -> TableKey | None:
    mc = ctx.migration_context
    if mc is None:
        return None
    return (_normal_schema(ctx, mc.version_table_schema), mc.version_table)


def reflect_schema(ctx: AutogenContext, schema: str | None, names: Iterable[str]) -> dict[str, Table]:
    """The named tables of ``schema`` as ``Table`` objects, reflected in one batch."""
    from sqlalchemy import MetaData

    wanted = sorted(names)
    if not wanted:
        return {}
    metadata = MetaData()
    assert ctx.connection is not None  # AutogenContext refuses to compare without one
    query = ctx.catalog.ddl_text_query
    if query is None:
        metadata.reflect(ctx.connection, schema=schema, only=wanted, resolve_fks=False)
    else:
        reflect_quietly(metadata.reflect, ctx.connection, schema=schema, only=wanted, resolve_fks=False)
    tables = {t.name: t for t in metadata.tables.values() if t.schema == schema}
    for table in tables.values():
        if query is not None:
            # what reflection lost (expression indexes, DESC, generation expressions)
            ctx.written_indexes[(schema, table.name)] = restore_reflected(ctx.connection, table, query)
        mark_final_names(table)
    _placeholder_referred_tables(metadata, tables.values())
    return tables


def _placeholder_referred_tables(metadata: Any, tables: Iterable[Table]) -> None:
    """A stand-in table for each table a reflected foreign key refers to but that was not reflected.

    Reflection leaves such a table out (a filter rejected it, another schema),
    so a key's ``referred_table`` or ``column`` would raise; an ``include_object``
    hook asking for it (``obj.referred_table.name``) must get an answer, as it
    does under Alembic. The stand-in holds the referred columns, each with the
    type of the column that refers to it, and is never compared.
    """
    from sqlalchemy import Column, Table

    for table in list(tables):
        for fk in table.foreign_key_constraints:
            for element in fk.elements:
                parts = element._get_colspec().split(".")
                schema, name, column = ".".join(parts[:-2]) or None, parts[-2], parts[-1]
                key = f"{schema}.{name}" if schema else name
                target = metadata.tables.get(key)
                if target is None:
                    target = Table(name, metadata, schema=schema, info={"limbeck_placeholder": True})
                if target.info.get("limbeck_placeholder") and column not in target.c:
                    target.append_column(Column(column, element.parent.type))


def mark_final_names(table: Table) -> None:
    """Wrap reflected constraint and index names in ``conv``: they are what the database says."""
    from sqlalchemy.sql.elements import conv

    items: list[Any] = [*table.constraints, *table.indexes]
    for item in items:
        if isinstance(item.name, str) and not isinstance(item.name, conv):
            item.name = conv(item.name)


def _conn_tables(ctx: AutogenContext, schemas: set[str | None]) -> dict[TableKey, Table]:
    skip = _version_table_key(ctx)
    found: dict[TableKey, Table] = {}
    partial = not ctx.opts.get("include_schemas")
    model_names = {(_normal_schema(ctx, t.schema), t.name) for t in ctx.sorted_tables}
    for schema in sorted(schemas, key=lambda s: s or ""):
        if schema is not None and schema not in ctx.inspector.get_schema_names():
            continue
        names = [
            name for name in ctx.inspector.get_table_names(schema=schema)
            if (schema, name) != skip and ctx.run_name_filters(name, "table", {"schema_name": schema})
            and not (partial and schema is not None and (schema, name) not in model_names)
        ]
        reflected = reflect_schema(ctx, schema, names)
        if ctx.catalog.owned_sequences_query is not None:
            _forget_serial_defaults(ctx, schema, reflected.values())
        for name, table in reflected.items():
            if ctx.catalog.expression_defaults_in_parentheses:
                _parenthesize_defaults(table)
            found[(schema, name)] = table
    return found


def _parenthesize_defaults(table: Table) -> None:
    """A reflected expression default in the parentheses SQLite's DDL takes (``15`` is ``(15)``), as Alembic reads it."""
    from sqlalchemy import DefaultClause, text

    from limbeck.autogenerate.render.schema import unparenthesized

    for column in table.c:
        arg = getattr(column.server_default, "arg", None)
        written = getattr(arg, "text", arg)
        if isinstance(written, str) and column.server_default is not None and unparenthesized(written):
            column.server_default = DefaultClause(text(f"({written})"))


def _forget_serial_defaults(ctx: AutogenContext, schema: str | None, tables: Iterable[Table]) -> None:
    """Leave out a serial column's ``nextval(...)`` default, as Alembic does: the column owns that sequence.

    Ownership is the catalog's (one query per schema, asked only when some
    integer column has such a default), not the sequence's name, which a
    renamed table or column no longer matches. A sequence the column does not
    own is a default like any other, compared (and removed when the models
    have none). A table dropped by the upgrade is created again by the
    downgrade as a serial column, which makes its own sequence; restating the
    default would point at the one the drop removed.
    """
    import re

    from sqlalchemy import Integer, text

    candidates = []
    for table in tables:
        for column in table.c:
            default = getattr(getattr(column.server_default, "arg", None), "text", None)
            found = re.fullmatch(r"nextval\('(.+)'(?:::regclass)?\)", default) if isinstance(default, str) else None
            if found and isinstance(column.type, Integer):
                sequence = found.group(1).rsplit(".", 1)[-1].strip('"')
                candidates.append((table.name, column, sequence))
    if not candidates:
        return
    query = ctx.catalog.owned_sequences_query
    assert query is not None and ctx.connection is not None
    rows = ctx.connection.execute(text(query), {"schema": schema or _default_schema(ctx)})
    owned = {(str(t), str(c), str(s)) for t, c, s in rows}
    for table_name, column, sequence in candidates:
        if (table_name, column.name, sequence) in owned:
            column.server_default = None


def _metadata_tables(ctx: AutogenContext, schemas: set[str | None]) -> dict[TableKey, Table]:
    skip = _version_table_key(ctx)
    ctx.table_key_to_table  # noqa: B018 - raises if two MetaData objects define the same table
    found: dict[TableKey, Table] = {}
    for table in ctx.sorted_tables:
        key = (_normal_schema(ctx, table.schema), table.name)
        if key[0] in schemas and key != skip:
            found.setdefault(key, table)
    return found


def compare_tables(ctx: AutogenContext, upgrade_ops: UpgradeOps, schemas: set[str | None]) -> None:
    """Create the tables only the models have, drop those only the database has, compare the rest.

    ``include_object`` sees each table once, as Alembic shows it: a model table with its
    reflected twin or ``None``, and a reflected table (``reflected=True``) only when no
    model names it. Cookbook filters rely on that ("no DROP TABLE": reflected and no
    ``compare_to`` means "not in the models").
    """
    conn = _conn_tables(ctx, schemas)
    from limbeck.autogenerate.compare import run_comparators
    from limbeck.autogenerate.compare.forms import table_forms
    from limbeck.autogenerate.compare.probe import settle

    meta = _metadata_tables(ctx, schemas)
    for key, table in meta.items():
        if key not in conn and ctx.run_object_filters(table, table.name, "table", False, None):
            _add_table(ctx, upgrade_ops, table)
    removed = [
        key for key in conn
        if key not in meta and ctx.run_object_filters(conn[key], conn[key].name, "table", True, None)
    ]
    for key in _drop_order(conn, removed):
        _drop_table(ctx, upgrade_ops, conn[key])
    ctx.table_pairs = [
        (meta[key], conn[key]) for key in sorted((k for k in meta if k in conn), key=lambda k: (k[0] or "", k[1]))
        if ctx.run_object_filters(meta[key], meta[key].name, "table", False, conn[key])
    ]
    ctx.conn_tables = [conn_table for _, conn_table in ctx.table_pairs] + [conn[key] for key in removed]
    # the database's wording of every compared table's expressions, asked in one batch
    settle(ctx, [table_forms(ctx, conn_table, table) for table, conn_table in ctx.table_pairs])
    for table, conn_table in ctx.table_pairs:
        modify = ModifyTableOps(table.name, [], schema=table.schema)
        run_comparators("table", ctx, modify, table.schema, table.name, conn_table, table)
        if not modify.is_empty():
            upgrade_ops.ops.append(modify)


def _add_table(ctx: AutogenContext, upgrade_ops: UpgradeOps, table: Table) -> None:
    # a new or dropped table's indexes are the constraints plugin's (Alembic's index comparison)
    upgrade_ops.ops.append(ops.CreateTableOp.from_table(table))
    indexes = [
        ops.CreateIndexOp.from_index(index) for index in sorted(table.indexes, key=lambda ix: str(ix.name or ""))
        if CONSTRAINTS in ctx.plugins and ctx.run_object_filters(index, index.name, "index", False, None)
    ]
    _append_table_ops(upgrade_ops, table, indexes)


def _drop_table(ctx: AutogenContext, upgrade_ops: UpgradeOps, table: Table) -> None:
    # the indexes go first (by name, as Alembic) so the downgrade recreates them after the table;
    # not those MySQL made for foreign keys (the table's CREATE makes them again), nor unique ones
    # where the database cannot report unique constraints (Alembic leaves those out everywhere).
    # The hooks are asked about them as about any reflected index (a rejected one goes with the table).
    from limbeck.autogenerate.compare.indexes import implicit_foreign_key_index, named_items
    from limbeck.autogenerate.compare.reflectable import reflects_uniques

    parents = {"table_name": table.name, "schema_name": table.schema}
    compared = CONSTRAINTS in ctx.plugins
    indexes = sorted(table.indexes, key=lambda ix: str(ix.name or "")) if compared else []
    named = {id(item.obj) for item in named_items(ctx, table, parents)} if compared else set()
    _append_table_ops(upgrade_ops, table, [
        ops.DropIndexOp.from_index(index) for index in indexes
        if id(index) in named and not (ctx.catalog.foreign_key_indexes and implicit_foreign_key_index(index))
        and (not index.unique or reflects_uniques(ctx, table))
        and ctx.run_object_filters(index, index.name, "index", True, None)
    ])
    upgrade_ops.ops.append(ops.DropTableOp.from_table(table))


def _append_table_ops(upgrade_ops: UpgradeOps, table: Table, table_ops: list[Any]) -> None:
    """A new or dropped table's index operations in a ``ModifyTableOps``, as Alembic groups them:
    rewriters look for them there, and ``render_as_batch`` renders them as one batch block."""
    if table_ops:
        upgrade_ops.ops.append(ModifyTableOps(table.name, table_ops, schema=table.schema))


def _drop_order(conn: dict[TableKey, Table], keys: list[TableKey]) -> list[TableKey]:
    """Referencing tables before the tables they reference (the reverse of creation order)."""
    from sqlalchemy.schema import sort_tables

    by_table = {id(conn[k]): k for k in keys}
    ordered = sort_tables([conn[k] for k in sorted(keys, key=lambda k: (k[0] or "", k[1]))])
    return [by_table[id(t)] for t in reversed(ordered)]



__all__ = ["compare_tables", "mark_final_names", "reflect_schema", "schemas_to_compare"]
