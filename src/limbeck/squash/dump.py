"""A database's schema (and seeded rows) as sorted lines of text, to compare two databases.

Both databases compared are built on the same server, so the lines use the
database's own words (types compiled for its dialect, defaults as its
catalog keeps them) and need no normalising. Covered: tables and their
column order, types, nullability, defaults, identity and computed columns,
comments; primary keys, foreign keys (with their actions), unique and check
constraints and indexes, all by name; sequences and where they stand; the
objects reflection does not see (triggers, routines, views, grants, ...,
see :mod:`limbeck.dialects.objects`); the version table's rows; and every
row of every table, except values of non-key columns whose default is not
a constant (``CURRENT_TIMESTAMP`` differs from run to run).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Column, Table
    from sqlalchemy.engine import Connection

    from limbeck.runtime.migration import MigrationContext

#: a default that is a constant: a string (with a cast), a number, a boolean, NULL
_CONSTANT = re.compile(r"\(*(?:'(?:[^']|'')*'(?:::[\w .]+)?|-?\d+(?:\.\d+)?|true|false|null)\)*", re.IGNORECASE)


def dump(context: MigrationContext, schemas: Sequence[str]) -> list[str]:
    """The lines describing the database *context* is connected to (default schema and *schemas*)."""
    from sqlalchemy import MetaData, text

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.dialects.objects import object_catalog
    from limbeck.squash.build import hidden_objects, reflect_tables

    conn = context.connection
    assert conn is not None
    ctx = AutogenContext(context, metadata=MetaData(), opts={})
    lines: list[str] = []
    for table in reflect_tables(ctx, context, schemas):
        lines += _table_lines(conn, table)
    catalog = object_catalog(context.behaviour.name)
    if catalog is not None and catalog.sequences is not None:
        for name, table_name, column, last_value, value_type in conn.execute(text(catalog.sequences)):
            owner = f" owned by {table_name}.{column}" if table_name else ""
            lines.append(f"sequence {name} of {value_type}{owner} at {last_value}")
    lines += [f"{kind} {name}" for kind, name in hidden_objects(conn, catalog, context.behaviour.display_name)]
    lines += [f"version row {head}" for head in context.get_current_heads()]
    return sorted(lines)


def _table_lines(conn: Connection, table: Table) -> list[str]:
    from sqlalchemy import (
        CheckConstraint,
        ForeignKeyConstraint,
        PrimaryKeyConstraint,
        UniqueConstraint,
    )

    key = f"table {table.fullname}"
    lines = [key + (f" comment {table.comment!r}" if table.comment else "")]
    for position, column in enumerate(table.c):
        lines.append(f"{key} column {position} {_column(conn, column)}")
    for constraint in table.constraints:
        name = constraint.name
        if isinstance(constraint, PrimaryKeyConstraint) and constraint.columns:
            lines.append(f"{key} primary key {name} {_names(constraint.columns)}")
        elif isinstance(constraint, ForeignKeyConstraint):
            target = ", ".join(el.target_fullname for el in constraint.elements)
            actions = f" on delete {constraint.ondelete}" if constraint.ondelete else ""
            actions += f" on update {constraint.onupdate}" if constraint.onupdate else ""
            lines.append(f"{key} foreign key {name} {_names(constraint.columns)} -> {target}{actions}")
        elif isinstance(constraint, UniqueConstraint):
            lines.append(f"{key} unique {name} {_names(constraint.columns)}")
        elif isinstance(constraint, CheckConstraint):
            lines.append(f"{key} check {name} {_sql(conn, constraint.sqltext)}")
    for index in table.indexes:
        elements = ", ".join(_sql(conn, e) for e in index.expressions)
        options = {k: v for k, v in sorted(index.dialect_kwargs.items()) if v not in (None, [], ())}
        unique = " unique" if index.unique else ""
        lines.append(f"{key} index {index.name}{unique} ({elements}){f' {options}' if options else ''}")
    lines += _row_lines(conn, table, key)
    return lines


def _column(conn: Connection, column: Column[Any]) -> str:
    from sqlalchemy import Computed, Identity

    text = f"{column.name} {column.type.compile(dialect=conn.dialect)}"
    text += " NULL" if column.nullable else " NOT NULL"
    default = column.server_default
    if isinstance(default, Identity):
        text += f" identity always={default.always} start={default.start} increment={default.increment}"
    elif isinstance(default, Computed):
        text += f" computed {_sql(conn, default.sqltext)} persisted={default.persisted}"
    elif default is not None:
        text += f" default {_sql(conn, getattr(default, 'arg', default))}"
    if column.comment:
        text += f" comment {column.comment!r}"
    return text


def _names(columns: Any) -> str:
    return "(" + ", ".join(c.name for c in columns) + ")"


def _sql(conn: Connection, element: Any) -> str:
    if isinstance(element, str):
        return element
    text = getattr(element, "text", None)
    if isinstance(text, str):
        return text
    return str(element.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def _stable(column: Column[Any]) -> bool:
    """Whether a column's seeded values are the same on every run (see the module docstring)."""
    default = column.server_default
    if column.primary_key or default is None:
        return True
    arg = getattr(default, "arg", None)
    text = arg if isinstance(arg, str) else getattr(arg, "text", None)
    return isinstance(text, str) and bool(_CONSTANT.fullmatch(text.strip()))


def _row_lines(conn: Connection, table: Table, key: str) -> list[str]:
    columns = [c for c in table.c if _stable(c)]
    if not columns:
        return []
    order = list(table.primary_key.columns) or columns
    from sqlalchemy import select

    rows = conn.execute(select(*columns).order_by(*order))
    return [f"{key} row {dict(row._mapping)!r}" for row in rows]
