"""Identifiers that need quoting (issue 8 §5) survive create, alter and drop on every real database.

Every name below is used at once as a table, column, index and constraint
name. One migration creates the tables (with a unique constraint), adds a
column, indexes it, inserts rows, renames the column and the table; a
second one drops the index, the column and the table. Both run online and
as offline scripts fed to the database's own client, and the reflected
result must be the names exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import limbeck_reliability_dbtools as dbtools
import pytest
import sqlalchemy as sa

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext
from limbeck.testing import compile_ops

NAMES = [
    "select",          # reserved words
    "order",
    "user",
    "MixedCase",       # case that folding would lose
    "UPPER",
    "with space",      # characters that need quotes
    " leading",
    "it's",            # embedded quotes of every style
    'dq"inside',
    "back`tick",
    "brack]et",
    "back\\slash",
    "100%",            # parameter-style look-alikes
    "%(x)s",
    ":name",
    "semi;colon",
    "dash-ed",
    "na\u00efve_\u8868",  # unicode
]


def _names(i: int, name: str) -> dict[str, str]:
    """The names of one table's objects (short enough for MySQL's 64 and PostgreSQL's 63)."""
    return {
        "table": name, "renamed": f"{name} new", "col": f"c {name}", "col2": f"{name}2", "col3": f"{name}3",
        "ix": f"ix{i} {name}", "uq": f"uq{i} {name}",
    }


def create_and_alter(op: Any) -> None:
    for i, name in enumerate(NAMES):
        n = _names(i, name)
        op.create_table(
            n["table"],
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column(n["col"], sa.String(40)),
            sa.UniqueConstraint(n["col"], name=n["uq"]),
        )
        op.add_column(n["table"], sa.Column(n["col2"], sa.Integer))
        op.create_index(n["ix"], n["table"], [n["col2"]])
        table = sa.table(n["table"], sa.column("id", sa.Integer), sa.column(n["col"], sa.String), sa.column(n["col2"], sa.Integer))
        op.bulk_insert(table, [{"id": 1, n["col"]: name, n["col2"]: 7}])
        op.alter_column(n["table"], n["col2"], new_column_name=n["col3"], existing_type=sa.Integer, existing_nullable=True)
        op.rename_table(n["table"], n["renamed"])


def drop_everything(op: Any) -> None:
    for i, name in enumerate(NAMES):
        n = _names(i, name)
        op.drop_index(n["ix"], table_name=n["renamed"])
        op.drop_column(n["renamed"], n["col3"])
        op.drop_table(n["renamed"])


def expected_schema(kind: str) -> dict[str, Any]:
    """What reflection must report after :func:`create_and_alter`."""
    out = {}
    for i, name in enumerate(NAMES):
        n = _names(i, name)
        uniques = {(n["uq"], (n["col"],))}
        out[n["renamed"]] = {
            "columns": ["id", n["col"], n["col3"]],
            "indexes": {(n["ix"], (n["col3"],))},
            "uniques": uniques,
            "rows": [(1, name, 7)],
        }
    return out


def reflected(url: str) -> dict[str, Any]:
    """Tables, columns, indexes, unique constraints and rows, read from each database's catalog.

    SQLAlchemy's reflection is not the referee here: it misses SQLite UNIQUE
    constraints named ``dq"inside`` or ``%(x)s`` and reads MariaDB names with
    a backtick back doubled. PostgreSQL's reflection queries the catalog and
    is used as is.
    """
    kind = dbtools.kind_of(url)
    out: dict[str, Any] = {}
    with dbtools.engine(url).connect() as conn:
        quote = conn.dialect.identifier_preparer.quote_identifier
        for table in sa.inspect(conn).get_table_names():
            entry = {"postgresql": _pg, "sqlite": _sqlite, "mariadb": _mariadb}[kind](conn, table)
            entry["rows"] = [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {quote(table)}")]
            out[table] = entry
    return out


def _pg(conn: sa.Connection, table: str) -> dict[str, Any]:
    inspector = sa.inspect(conn)
    return {
        "columns": [c["name"] for c in inspector.get_columns(table)],
        "indexes": {(ix["name"], tuple(ix["column_names"])) for ix in inspector.get_indexes(table) if not ix["unique"]},
        "uniques": {(u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)},
    }


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite(conn: sa.Connection, table: str) -> dict[str, Any]:
    def pragma(name: str, arg: str) -> list[Any]:
        return list(conn.exec_driver_sql(f"PRAGMA {name}({_sqlite_quote(arg)})"))

    columns = [row[1] for row in pragma("table_info", table)]
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
    # SQLite keeps a UNIQUE constraint's name only in the table's SQL
    named = [n["uq"] for n in (_names(i, name) for i, name in enumerate(NAMES)) if f"CONSTRAINT {_sqlite_quote(n['uq'])} UNIQUE" in sql]
    indexes, uniques = set(), set()
    for _seq, name, _unique, origin, _partial in pragma("index_list", table):
        cols = tuple(row[2] for row in pragma("index_info", name))
        if origin == "c":
            indexes.add((name, cols))
        elif origin == "u":
            uniques.add((named[0] if len(named) == 1 else None, cols))
    return {"columns": columns, "indexes": indexes, "uniques": uniques}


def _mariadb(conn: sa.Connection, table: str) -> dict[str, Any]:
    columns = list(conn.exec_driver_sql(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = %s "
        "ORDER BY ordinal_position", (table,),
    ).scalars())
    stats: dict[tuple[str, int], list[str]] = {}
    for name, non_unique, column in conn.exec_driver_sql(
        "SELECT index_name, non_unique, column_name FROM information_schema.statistics "
        "WHERE table_schema = DATABASE() AND table_name = %s AND index_name <> 'PRIMARY' ORDER BY seq_in_index", (table,),
    ):
        stats.setdefault((name, non_unique), []).append(column)
    return {
        "columns": columns,
        "indexes": {(name, tuple(cols)) for (name, non_unique), cols in stats.items() if non_unique},
        "uniques": {(name, tuple(cols)) for (name, non_unique), cols in stats.items() if not non_unique},
    }


def run_online(url: str, fn: Callable[[Any], None]) -> None:
    with dbtools.engine(url).begin() as conn:
        context = MigrationContext.configure(connection=conn)
        with Operations.context(context) as op:
            fn(op)


@pytest.mark.parametrize("mode", ["online", "offline"])
def test_quoted_identifiers_round_trip(databases: Any, mode: str) -> None:
    url = databases.new()
    kind = databases.kind
    for fn in (create_and_alter, drop_everything):
        if mode == "online":
            run_online(url, fn)
        else:
            dbtools.run_script(url, compile_ops(kind, fn))
        if fn is create_and_alter:
            assert reflected(url) == expected_schema(kind)
    assert dbtools.tables(url) == set()
