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
    """The reflected columns ``include_name`` keeps; it is asked once per column, as by Alembic."""
    kept = conn_table.info.get("limbeck_named_columns")
    if kept is None:
        parents = _parents(schema, tname)
        kept = conn_table.info["limbeck_named_columns"] = {
            c.name: c for c in conn_table.c if ctx.run_name_filters(c.name, "column", parents)
        }
    return dict(kept)


def compare_columns(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    """Add the columns only the models have; alter the ones that differ."""
    from limbeck.autogenerate.compare import run_comparators
    from limbeck.autogenerate.compare.generated import recreated_columns

    conn_cols = _conn_columns(ctx, schema, tname, conn_table)
    for col in meta_table.c:
        if col.system:
            continue  # the database's own column (PostgreSQL's xmin): never added
        if col.name not in conn_cols and ctx.run_object_filters(col, col.name, "column", False, None):
            modify.ops.append(ops.AddColumnOp.from_column_and_tablename(schema, tname, col))
    recreated = recreated_columns(ctx, conn_table, meta_table)
    for col in meta_table.c:
        conn_col = conn_cols.get(col.name)
        if conn_col is None or col.name in recreated or not ctx.run_object_filters(col, col.name, "column", False, conn_col):
            continue
        # as with Alembic, the existing type is stated only when types are compared
        existing_type = conn_col.type if ctx.opts.get("compare_type", True) is not False else None
        alter = ops.AlterColumnOp(
            tname, col.name, schema=schema, existing_type=existing_type,
            existing_server_default=_existing_default(conn_col, col), existing_nullable=conn_col.nullable,
            existing_comment=conn_col.comment,
        )
        run_comparators("column", ctx, alter, schema, tname, col.name, conn_col, col)
        if alter.has_changes():
            autoincrement = _autoincrement(col, conn_col, alter)
            if autoincrement is not None:
                # databases that restate the column (MySQL) must keep AUTO_INCREMENT
                alter.kw.setdefault("autoincrement", autoincrement)
            modify.ops.append(alter)


def _autoincrement(col: Column[Any], conn_col: Column[Any], alter: ops.AlterColumnOp) -> bool | None:
    """What ``autoincrement=`` the change states, as Alembic: nothing for generated columns and identity changes."""
    from sqlalchemy import Computed, Identity

    if isinstance(col.server_default, Computed) or isinstance(conn_col.server_default, Computed):
        return None
    if isinstance(alter.modify_server_default, Identity) or (
        alter.modify_server_default is None and isinstance(conn_col.server_default, Identity)
    ):
        return None
    if col.table is not None and col is col.table._autoincrement_column:
        return True
    return col.autoincrement if isinstance(col.autoincrement, bool) else None


def compare_removed_columns(
    ctx: AutogenContext, modify: ModifyTableOps, schema: str | None, tname: str,
    conn_table: Table, meta_table: Table,
) -> None:
    """Drop the columns only the database has (after every other change to the table)."""
    meta_names = {c.name for c in meta_table.c}  # a Column's key (Column("x", key="nx")) is not its name
    for name, conn_col in _conn_columns(ctx, schema, tname, conn_table).items():
        if name in meta_names or not ctx.run_object_filters(conn_col, name, "column", True, None):
            continue
        modify.ops.append(ops.DropColumnOp.from_column_and_tablename(schema, tname, conn_col))


def _existing_default(conn_col: Column[Any], meta_col: Column[Any]) -> Any:
    """What the database has, as Alembic states it: ``None`` for no default, ``False`` when neither side has one."""
    if conn_col.server_default is None and meta_col.server_default is None:
        return False
    return conn_col.server_default


def _generated(col: Column[Any]) -> bool:
    return col.computed is not None or col.identity is not None


def compare_nullable(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    """Nullability, except where the database decides it (as Alembic: identity, and computed unless stated)."""
    from sqlalchemy.sql.schema import NULL_UNSPECIFIED

    if meta_col.nullable is None or bool(conn_col.nullable) == bool(meta_col.nullable):
        return
    computed = meta_col.computed is not None or conn_col.computed is not None
    if computed and meta_col._user_defined_nullable is NULL_UNSPECIFIED:
        return
    if meta_col.identity is not None or conn_col.identity is not None or _rowid(ctx, conn_col):
        return
    alter.modify_nullable = bool(meta_col.nullable)


def _rowid(ctx: AutogenContext, conn_col: Column[Any]) -> bool:
    """SQLite's ``INTEGER PRIMARY KEY`` is the rowid: reported nullable, yet never NULL.

    Alembic reports it as a nullability change (and the migration would rebuild
    the table for nothing); limbeck leaves it alone.
    """
    table = conn_col.table
    return (
        ctx.catalog.rowid_primary_key and conn_col.primary_key and len(table.primary_key.columns) == 1
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

    setting = ctx.compare_options.server_default
    if setting is False or meta_col.computed is not None or conn_col.computed is not None:
        return
    if meta_col.identity is not None or conn_col.identity is not None:
        if ctx.catalog.identity_columns and identity_differs(meta_col.identity, conn_col.identity):
            alter.modify_server_default = meta_col.server_default
        return
    if meta_col.server_default is None and conn_col.server_default is None:
        return
    meta_text = meta_default_text(ctx.dialect, meta_col)
    conn_text = conn_default_text(conn_col)
    if callable(setting):
        verdict = setting(ctx.migration_context, conn_col, meta_col, conn_text, meta_col.server_default, meta_text)
        if verdict is not None:
            if verdict:
                alter.modify_server_default = meta_col.server_default
            return
    as_written = ctx.catalog.default_numbers_as_written
    if defaults_differ(ctx.dialect, conn_col, meta_col, conn_text, meta_text, as_written) and not _same_on_server(
        ctx, conn_text, meta_text
    ):
        alter.modify_server_default = meta_col.server_default


def _same_on_server(ctx: AutogenContext, conn_text: str | None, meta_text: str | None) -> bool:
    """Whether the database finds the two defaults equal (``SELECT a = b``), where it rewrites expressions.

    Run in a savepoint: a default that is no expression on its own (or fails)
    counts as different, as with Alembic.
    """
    if not ctx.catalog.defaults_compared_by_query or ctx.connection is None or conn_text is None or meta_text is None:
        return False
    from sqlalchemy import text

    try:
        with ctx.connection.begin_nested():
            return bool(ctx.connection.scalar(text(f"SELECT ({conn_text}) = ({meta_text})")))
    except Exception:  # noqa: BLE001 - not comparable by the database: a change, as the texts say
        return False


def compare_column_comment(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    if not getattr(ctx.dialect, "supports_comments", False):
        return
    if (meta_col.comment or None) != (conn_col.comment or None):
        alter.modify_comment = meta_col.comment or None  # an empty comment is none (COMMENT ... IS '' removes it)


#: identity options compared when the model states them (Oracle's ORDER / ON NULL are not reflected)
_IDENTITY_OPTIONS = ("start", "increment", "minvalue", "maxvalue", "nominvalue", "nomaxvalue", "cycle", "cache")


def identity_differs(meta: Any, conn: Any) -> bool:
    """Alembic's rule: an identity added or removed, ``always`` changed, or an option the model states changed."""
    if (meta is None) != (conn is None):
        return True
    if bool(meta.always) != bool(conn.always):
        return True
    return any(
        getattr(meta, option, None) is not None and getattr(meta, option, None) != getattr(conn, option, None)
        for option in _IDENTITY_OPTIONS
    )


def compare_generated(
    ctx: AutogenContext, alter: ops.AlterColumnOp, schema: str | None, tname: str, cname: str,
    conn_col: Column[Any], meta_col: Column[Any],
) -> None:
    """A column becoming computed, or ceasing to be, cannot be altered in place: say so instead of guessing.

    Alembic's warning, word for word and under the same switch (``compare_server_default``), so that
    a filter or test written against Alembic's text matches limbeck's.
    """
    where = f"{schema + '.' if schema else ''}{tname}.{cname}"
    silent = ctx.compare_options.server_default is False
    if not silent and (meta_col.computed is None) != (conn_col.computed is None):
        warnings.warn(f"Computed default on {tname}.{cname} cannot be modified", LimbeckWarning, stacklevel=2)
    if silent and ctx.catalog.identity_columns and (meta_col.identity is None) != (conn_col.identity is None):
        warnings.warn(
            f"Identity on {where} differs between the models and the database; compare_server_default=True "
            "has autogenerate alter it", LimbeckWarning, stacklevel=2,
        )


__all__ = [
    "compare_column_comment",
    "compare_columns",
    "compare_generated",
    "compare_nullable",
    "compare_removed_columns",
    "compare_server_default",
    "compare_type",
    "identity_differs",
]
