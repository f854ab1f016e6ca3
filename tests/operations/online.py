"""Helpers of the online tests (loaded as ``limbeck_online`` by conftest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext


def run(engine: sa.Engine, fn: Callable[[Operations], Any], **opts: Any) -> Any:
    """``fn(op)`` in one transaction on ``engine`` (committed when it returns)."""
    with engine.begin() as conn:
        return fn(Operations(MigrationContext.configure(conn, opts=opts)))


def rows(engine: sa.Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def columns(engine: sa.Engine, table: str, schema: str | None = None) -> dict[str, dict[str, Any]]:
    """Reflected columns by name."""
    return {c["name"]: dict(c) for c in sa.inspect(engine).get_columns(table, schema=schema)}


def tables(engine: sa.Engine, schema: str | None = None) -> list[str]:
    return sorted(sa.inspect(engine).get_table_names(schema=schema))


def shape(engine: sa.Engine, table: str, schema: str | None = None) -> list[tuple[str, str, bool]]:
    """(name, type, nullable) of each reflected column: comparable across reflections."""
    return [(c["name"], str(c["type"]), bool(c["nullable"])) for c in sa.inspect(engine).get_columns(table, schema=schema)]


def run_outside_transaction(engine: sa.Engine, fn: Callable[[Operations], Any], **opts: Any) -> Any:
    """``fn(op)`` on a connection nobody began a transaction on, so that
    ``autocommit_block()`` can really leave the transaction (``CONCURRENTLY``)."""
    with engine.connect() as conn:
        result = fn(Operations(MigrationContext.configure(conn, opts=opts)))
        conn.commit()
        return result
