"""The column level: columns added and dropped; nullability, type, default, comment.

For a column on both sides an ``AlterColumnOp`` is prepared with what the
database has (``existing_*``); each column comparator fills in the changes
it finds, and the record is kept only if one did.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from limbeck.errors import LimbeckWarning
from limbeck.operations import ops

if TYPE_CHECKING:
    from sqlalchemy import Column, Table

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.operations.containers import ModifyTableOps


def _parents(schema: str | None, tname: str) -> dict[str, Any]:
    return {"table_name": tname, "schema_name": schema}


def _conn_columns(ctx: AutogenContext, schema: str | None, tname: str, conn_table: Table) -> dict[str, Column[Any]]:
    parents = _parents(schema, tname)
    return {c.name: c for c in conn_table.c if ctx.run_name_filters(c.name, "column", parents)}


def compare_columns(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    """Add the columns only the models have; alter the ones that differ."""
    from limbeck.autogenerate.compare import run_comparators

    conn_cols = _conn_columns(ctx, schema, tname, conn_table)
    for col in meta_table.c:
        if col.name not in conn_cols and ctx.run_object_filters(col, col.name, "column", False, None):
            modify.ops.append(ops.AddColumnOp.from_column_and_tablename(schema, tname, col))
    for col in meta_table.c:
        conn_col = conn_cols.get(col.name)
        if conn_col is None or not ctx.run_object_filters(col, col.name, "column", False, conn_col):
            continue
        # as with Alembic, the existing type is stated only when types are compared
        existing_type = conn_col.type if ctx.opts.get("compare_type", True) is not False else None
        alter = ops.AlterColumnOp(
            tname, col.name, schema=schema, existing_type=existing_type,
            existing_server_default=_existing_default(conn_col), existing_nullable=conn_col.nullable,
            existing_comment=conn_col.comment,
        )
        run_comparators("column", ctx, alter, schema, tname, col.name, conn_col, col)
        if alter.has_changes():
            if col.table is not None and col is col.table._autoincrement_column:
                # databases that restate the column (MySQL) must keep AUTO_INCREMENT
                alter.kw.setdefault("autoincrement", True)
            modify.ops.append(alter)


def compare_removed_columns(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    """Drop the columns only the database has (after every other change to the table)."""
    for name, conn_col in _conn_columns(ctx, schema, tname, conn_table).items():
        if name in meta_table.c or not ctx.run_object_filters(conn_col, name, "column", True, None):
            continue
        modify.ops.append(ops.DropColumnOp.from_column_and_tablename(schema, tname, conn_col))


def _existing_default(conn_col: Column[Any]) -> Any:
    default = conn_col.server_default
    if default is None or _generated(conn_col):
        return False
    return default


def _generated(col: Column[Any]) -> bool:
    return col.computed is not None or col.identity is not None


def compare_nullable(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    if meta_col.nullable is not None and bool(conn_col.nullable) != bool(meta_col.nullable):
        if _generated(meta_col) and _generated(conn_col) or _sqlite_rowid(ctx, conn_col):
            return
        alter.modify_nullable = bool(meta_col.nullable)


def _sqlite_rowid(ctx: AutogenContext, conn_col: Column[Any]) -> bool:
    """SQLite's ``INTEGER PRIMARY KEY`` is the rowid: reported nullable, yet never NULL.

    Alembic reports it as a nullability change (and the migration would rebuild
    the table for nothing); limbeck leaves it alone.
    """
    table = conn_col.table
    return (
        ctx.dialect.name == "sqlite" and conn_col.primary_key and len(table.primary_key.columns) == 1
        and str(conn_col.type).upper() == "INTEGER"
    )


def compare_type(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    """``compare_type``: ``True`` (default) compares by DDL, a callable decides itself."""
    from limbeck.autogenerate.compare.types import types_differ

    setting = ctx.opts.get("compare_type", True)
    if setting is False:
        return
    if callable(setting):
        verdict = setting(ctx.migration_context, conn_col, meta_col, conn_col.type, meta_col.type)
        if verdict is not None:
            if verdict:
                alter.modify_type = meta_col.type
            return
    if types_differ(ctx.dialect, conn_col.type, meta_col.type):
        alter.modify_type = meta_col.type


def compare_server_default(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    """``compare_server_default``: off by default; ``True`` compares SQL text, a callable decides."""
    from limbeck.autogenerate.compare.defaults import (
        conn_default_text,
        defaults_differ,
        meta_default_text,
    )

    setting = ctx.opts.get("compare_server_default", False)
    if setting is False or _generated(meta_col) or _generated(conn_col):
        return
    meta_text = meta_default_text(ctx.dialect, meta_col)
    conn_text = conn_default_text(conn_col)
    if callable(setting):
        verdict = setting(ctx.migration_context, conn_col, meta_col, conn_text, meta_col.server_default, meta_text)
        if verdict is not None:
            if verdict:
                alter.modify_server_default = meta_col.server_default
            return
    if defaults_differ(ctx.dialect, conn_col, meta_col, conn_text, meta_text):
        alter.modify_server_default = meta_col.server_default


def compare_column_comment(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    if not getattr(ctx.dialect, "supports_comments", False):
        return
    if (meta_col.comment or None) != (conn_col.comment or None):
        alter.modify_comment = meta_col.comment


def compare_generated(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    """Computed and identity columns cannot be altered in place: say so instead of guessing."""
    where = f"{schema + '.' if schema else ''}{tname}.{cname}"
    if (meta_col.computed is None) != (conn_col.computed is None):
        warnings.warn(
            f"Computed default on {where} cannot be modified: drop and add the column in the migration",
            LimbeckWarning, stacklevel=2,
        )
    if (meta_col.identity is None) != (conn_col.identity is None) and ctx.dialect.name not in ("sqlite", "mysql", "mariadb"):
        warnings.warn(
            f"Identity on {where} differs between the models and the database; autogenerate leaves it alone",
            LimbeckWarning, stacklevel=2,
        )


__all__ = [
    "compare_column_comment",
    "compare_columns",
    "compare_generated",
    "compare_nullable",
    "compare_removed_columns",
    "compare_server_default",
    "compare_type",
]
