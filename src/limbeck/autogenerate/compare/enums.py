"""Values of enum types kept apart from tables (PostgreSQL): added, removed, reordered.

Alembic never compares them: the column's type is the type's name on both
sides. Where the database has such types (``CatalogFacts.enum_types``)
limbeck compares the models' values with the reflected ones, in order,
once per type, and writes what one would by hand:

* values only added (the old ones keep their order): ``ALTER TYPE ... ADD
  VALUE``, placed ``BEFORE`` / ``AFTER`` a neighbour unless appended;
* anything else: rename the type, create it with the new values, move every
  column of the compared schemas that uses it (``USING col::text::type``,
  its default dropped and put back around that), drop the old type. Rows
  holding a removed value make the migration fail rather than lose them.

The reverse of an addition is that same dance (PostgreSQL cannot drop a
value). Enum values in MySQL's ``ENUM(...)`` column type are part of the
type and compared with it; a non-native enum's CHECK is compared as a
check constraint. All of it follows ``compare_type`` (with a callable, the
callable decides types and these are not compared).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.types import dialect_variant
from limbeck.autogenerate.records import EnumValuesOp

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.engine import Dialect

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.dialects.base import EnumTypeSQL
    from limbeck.operations.containers import UpgradeOps

_CAST = re.compile(r"\s*::\s*[\w.\"]+\s*$")

#: (schema, type name) of an enum type
TypeKey = tuple["str | None", str]


def _named_enum(dialect: Dialect, type_: Any) -> Any:
    """The type as this database sees it, if that is a named native enum with values."""
    from sqlalchemy import Enum

    type_ = dialect_variant(dialect, type_)
    if isinstance(type_, Enum) and type_.native_enum and type_.name and type_.enums:
        return type_
    return None


def _changes(ctx: AutogenContext) -> dict[TypeKey, tuple[list[str], list[str]]]:
    found: dict[TypeKey, tuple[list[str], list[str]]] = {}
    for meta_table, conn_table in ctx.table_pairs:
        parents = {"table_name": meta_table.name, "schema_name": meta_table.schema}
        for meta_col in meta_table.c:
            conn_col = conn_table.c.get(meta_col.name)
            meta_type = _named_enum(ctx.dialect, meta_col.type)
            if conn_col is None or meta_type is None:
                continue
            conn_type = _named_enum(ctx.dialect, conn_col.type)
            if conn_type is None or str(conn_type.name) != str(meta_type.name):
                continue
            if not (ctx.run_name_filters(conn_col.name, "column", parents)
                    and ctx.run_object_filters(meta_col, meta_col.name, "column", False, conn_col)):
                continue
            old, new = list(conn_type.enums), list(meta_type.enums)
            if old != new:
                found.setdefault((conn_type.schema, str(conn_type.name)), (old, new))
    return found


def _users(ctx: AutogenContext, key: TypeKey) -> list[Column[Any]]:
    """Every reflected column of type ``key``: all of them move to the new type."""
    return [
        col for table in ctx.conn_tables for col in table.c
        if (t := _named_enum(ctx.dialect, col.type)) is not None and (t.schema, str(t.name)) == key
    ]


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class _Writer:
    """The statements of one type change, quoted for the database."""

    def __init__(self, ctx: AutogenContext, sql: EnumTypeSQL, key: TypeKey) -> None:
        self.sql = sql
        self.preparer = ctx.dialect.identifier_preparer
        self.schema, self.name = key
        self.type = self._qualified(self.name)

    def _qualified(self, name: str) -> str:
        quoted = self.preparer.quote(name)
        return f"{self.preparer.quote_schema(self.schema)}.{quoted}" if self.schema else quoted

    def plan(self, old: list[str], new: list[str], users: list[Column[Any]]) -> tuple[list[str], str | None]:
        """The statements taking the values from ``old`` to ``new``, and a comment for the dance."""
        if set(old) <= set(new) and [v for v in new if v in old] == old:
            return self._additions(old, new), None
        comment = f"{self.name}: a value goes or moves, so the type is made anew (rows holding it stop this)"
        return self._recreate(new, users), comment

    def _additions(self, old: list[str], new: list[str]) -> list[str]:
        current, out = list(old), []
        for i, value in enumerate(new):
            if value in current:
                continue
            if i == 0 and current:
                out.append(self.sql.add_value_before.format(type=self.type, value=_literal(value), other=_literal(current[0])))
                current.insert(0, value)
            elif i == 0 or new[i - 1] == current[-1]:
                out.append(self.sql.add_value.format(type=self.type, value=_literal(value)))
                current.append(value)
            else:
                out.append(self.sql.add_value_after.format(type=self.type, value=_literal(value), other=_literal(new[i - 1])))
                current.insert(current.index(new[i - 1]) + 1, value)
        return out

    def _recreate(self, new: list[str], users: list[Column[Any]]) -> list[str]:
        sql, old_name = self.sql, f"{self.name}_old"
        out = [
            sql.rename.format(type=self.type, new=self.preparer.quote(old_name)),
            sql.create.format(type=self.type, values=", ".join(_literal(v) for v in new)),
        ]
        for col in users:
            table = self.preparer.format_table(col.table)
            column = self.preparer.quote(col.name)
            default = getattr(col.server_default, "arg", None)
            default_text = _CAST.sub("", str(getattr(default, "text", default))) if default is not None else None
            if default_text:
                out.append(sql.drop_default.format(table=table, column=column))
            out.append(sql.retype_column.format(table=table, column=column, type=self.type))
            if default_text:
                out.append(sql.set_default.format(table=table, column=column, default=default_text))
        out.append(sql.drop.format(type=self._qualified(old_name)))
        return out


def compare_enum_types(ctx: AutogenContext, upgrade_ops: UpgradeOps, schemas: set[str | None]) -> None:
    """Put the type changes first: the tables' changes (and a new default) may use the new values."""
    sql = ctx.catalog.enum_types
    if sql is None or ctx.compare_options.type is not True or not ctx.compare_options.enum_values:
        return
    records = []
    for key, (old, new) in sorted(_changes(ctx).items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        writer, users = _Writer(ctx, sql, key), _users(ctx, key)
        statements, comment = writer.plan(old, new, users)
        reverse, reverse_comment = writer.plan(new, old, users)
        records.append(EnumValuesOp(
            key[1], old, new, schema=key[0], statements=statements, reverse_statements=reverse,
            comment=comment, reverse_comment=reverse_comment,
        ))
    upgrade_ops.ops[:0] = records


__all__ = ["compare_enum_types"]
