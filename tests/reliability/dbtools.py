"""Databases for the reliability tests: running scripts the way a DBA would, and comparing states.

``run_script`` feeds an offline script to the database's own client
(``psql``, ``mariadb``) or, for SQLite, to the SQLite library's own script
runner, so what is tested is the script a change board would hand over.
``state`` is everything a migration can leave behind that a user could
notice: the reflected schema (columns, types, nullability, defaults, keys,
indexes, constraints), every row of every table, and the version table.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url


def kind_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    return "mariadb" if name == "mysql" else name


def engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _client(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} client not installed")
    return found


def client_command(url: str) -> list[str]:
    """The command line of the database's own client for ``url`` (reads a script on stdin)."""
    parsed = make_url(url)
    kind = kind_of(url)
    if kind == "postgresql":
        target = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        return [_client("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target]
    if kind == "mariadb":
        client = shutil.which("mariadb") or _client("mysql")
        return [
            client, "--no-defaults", "--batch", "--default-character-set=utf8mb4", "-h", str(parsed.host),
            "-P", str(parsed.port), "-u", str(parsed.username), str(parsed.database),
        ]
    raise ValueError(f"no client for {kind}")


def run_script(url: str, script: str) -> None:
    """Execute an offline script on the database at ``url``; raise with the client's error."""
    kind = kind_of(url)
    if kind == "sqlite":
        con = sqlite3.connect(make_url(url).database or ":memory:", isolation_level=None)
        try:
            con.executescript(script)
        finally:
            con.close()
        return
    result = subprocess.run(
        client_command(url), input=script.encode("utf-8"), capture_output=True, timeout=120, check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"{kind} client failed ({result.returncode}): {result.stderr.decode(errors='replace')}")


def _normal(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_normal(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _normal(v)) for k, v in value.items()))
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _table_schema(inspector: Any, table: str) -> dict[str, Any]:
    columns = [
        (c["name"], str(c["type"]), c["nullable"], str(c.get("default")), c.get("comment"))
        for c in inspector.get_columns(table)
    ]
    pk = inspector.get_pk_constraint(table)
    fks = sorted(
        (fk.get("name") or "", tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
        for fk in inspector.get_foreign_keys(table)
    )
    indexes = sorted(
        (ix["name"] or "", tuple(str(c) for c in ix["column_names"]), bool(ix["unique"]))
        for ix in inspector.get_indexes(table)
    )
    uniques = sorted((u.get("name") or "", tuple(u["column_names"])) for u in inspector.get_unique_constraints(table))
    try:
        checks = sorted((c.get("name") or "", " ".join(str(c["sqltext"]).split())) for c in inspector.get_check_constraints(table))
    except NotImplementedError:
        checks = []
    return {
        "columns": columns,
        "pk": (pk.get("name") if kind_is_named(inspector) else None, tuple(pk["constrained_columns"])),
        "fks": fks,
        "indexes": indexes,
        "uniques": uniques,
        "checks": checks,
    }


def kind_is_named(inspector: Any) -> bool:
    """SQLite does not keep the name of an inline PRIMARY KEY constraint."""
    return bool(inspector.dialect.name != "sqlite")


def _rows(conn: sa.Connection, table: sa.Table) -> list[tuple[Any, ...]]:
    rows = [tuple(_normal(v) for v in row) for row in conn.execute(sa.select(table))]
    return sorted(rows, key=repr)


def state(url: str, *, rows: bool = True) -> dict[str, Any]:
    """Schema, rows and version rows of the database at ``url``, as comparable data."""
    with engine(url).connect() as conn:
        inspector = sa.inspect(conn)
        tables = sorted(inspector.get_table_names())
        out: dict[str, Any] = {"tables": tables}
        metadata = sa.MetaData()
        for name in tables:
            out[f"schema:{name}"] = _table_schema(inspector, name)
            if rows:
                table = sa.Table(name, metadata, autoload_with=conn)
                out[f"rows:{name}"] = _rows(conn, table)
        out["versions"] = versions_on(conn) if "alembic_version" in tables else None
    return out


def versions_on(conn: sa.Connection) -> list[str]:
    return sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def versions(url: str) -> list[str] | None:
    with engine(url).connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return versions_on(conn)


def tables(url: str) -> set[str]:
    with engine(url).connect() as conn:
        return set(sa.inspect(conn).get_table_names())


#: Sessions of the server's own database waiting for a lock another session holds.
_LOCK_WAITERS = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    "mariadb": "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND state LIKE 'Waiting for%lock%'",
}


def lock_waiters(url: str) -> int:
    """How many sessions on ``url``'s database are blocked by another's lock (SQLite: never, it fails instead)."""
    query = _LOCK_WAITERS.get(kind_of(url))
    if query is None:
        return 0
    with engine(url).connect() as conn:
        return int(conn.execute(sa.text(query)).scalar_one())
