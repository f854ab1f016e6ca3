"""Batch round trips online: limbeck leaves the database Alembic 1.20.1 leaves, rows included.

Alembic's own batch tests run their round trips on live SQLite, PostgreSQL and
MySQL/MariaDB and check the rows and the reflected schema afterwards. Here the
same trips (``roundtrips.py``) run once through Alembic's ``Operations`` and
once through limbeck's, each from the same freshly built tables on the same
server, and what is left is compared: every table's rows, columns (type,
nullability, default, comment), primary key, foreign keys, unique
constraints, indexes, checks and comment. Where Alembic fails, limbeck must
fail with an exception the same ``except`` catches, and leave the same state.
``DEPARTURES`` lists the trips where limbeck deliberately leaves something
else, each with its README reason.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import corpus_common
import limbeck_batch_db_state as db_state
import limbeck_batch_roundtrips as trips
import pytest
import sqlalchemy as sa
from corpus_departures import Why

#: (trip id, backend) -> why limbeck leaves another database than Alembic (README departures)
DEPARTURES: dict[tuple[str, str], str] = {
    ("change_type", "sqlite"): Why.SQLITE_CAST,
    ("selfref_fk_always", "postgresql"): Why.SELF_REFERENCE,
    ("enum_table_rebuilt", "postgresql"): Why.PG_ENUM_REBUILD,
    ("autoincrement_kept", "postgresql"): Why.PG_SEQUENCE,
    ("pg_kinds_add_column", "postgresql"): Why.PG_SEQUENCE,
    ("charset_kept", "postgresql"): Why.TABLE_COMMENT,
    ("autoincrement_kept", "sqlite"): Why.SQLITE_REBUILD_DETAILS,
    ("details_add_column", "sqlite"): Why.SQLITE_REBUILD_DETAILS,
    **{(f"rich_rename_column_{r}", "sqlite"): Why.CHECK_RENAME for r in ("auto", "always")},
    ("rich_rename_column_always", "postgresql"): Why.CHECK_RENAME,
    **{(f"rich_{c}_always", "postgresql"): Why.TABLE_COMMENT
       for c in ("add_column", "alter_type", "drop_column", "nullable_default")},
    **{("rename_column_boolean_named_ck", b): Why.BOOLEAN_RENAME_CHECK for b in ("sqlite", "mariadb")},
    **{("op_bulk_insert_mixed_keys_multi", b): Why.BULK_MIXED_KEYS for b in trips.BACKENDS},
    **{("op_bulk_insert_inline_literal", b): Why.INLINE_LITERAL_ONLINE for b in trips.BACKENDS},
    ("unique_on_renamed_column", "sqlite"): Why.NEW_NAME_IN_BATCH,
    ("written_partial_index_column_renamed", "sqlite"): Why.WRITTEN_INDEX_COLUMN,
    ("written_partial_index_column_dropped", "sqlite"): Why.WRITTEN_INDEX_COLUMN,
    ("unnamed_check_under_constraint_name_convention", "sqlite"): Why.CONVENTION_UNNAMED_CHECK,
    ("failing_copy_raises_the_database_error", "postgresql"): Why.PG_FAILED_COPY_ERROR,
}


# --- databases --------------------------------------------------------------------------------
def _server_database(server: Any) -> Iterator[sa.Engine]:
    name = f"rt_{uuid.uuid4().hex[:10]}"
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine = sa.create_engine(f"{server.url}/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with server.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture(scope="module")
def postgresql_db(postgresql_server: Any) -> Iterator[sa.Engine]:
    yield from _server_database(postgresql_server)


@pytest.fixture(scope="module")
def mariadb_db(mariadb_server: Any) -> Iterator[sa.Engine]:
    yield from _server_database(mariadb_server)


def _empty(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
            return
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        for (name,) in conn.exec_driver_sql("SHOW TABLES").fetchall():
            conn.exec_driver_sql(f"DROP TABLE `{name}`")
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")


# --- one run ----------------------------------------------------------------------------------
def _operations(tool: str, conn: sa.Connection, trip: Any) -> Any:
    opts = {}
    if trip.target_convention is not None:
        opts["target_metadata"] = sa.MetaData(naming_convention=trip.target_convention)
    if tool == "alembic":
        from alembic.migration import MigrationContext
        from alembic.operations import Operations

        return Operations(MigrationContext.configure(conn, opts=opts))
    from limbeck.operations import Operations as LimbeckOperations
    from limbeck.runtime.migration import MigrationContext as LimbeckContext

    return LimbeckOperations(LimbeckContext.configure(conn, opts=opts))


def _run(engine: sa.Engine, tool: str, trip: Any, backend: str) -> tuple[BaseException | None, dict[str, Any]]:
    metadata = sa.MetaData()
    rows = {}
    for fixture in trip.fixtures:
        before = set(metadata.tables)
        fixture_rows = fixture(metadata, backend)
        for name in set(metadata.tables) - before:
            rows[name] = trip.rows.get(name, fixture_rows if len(metadata.tables) - len(before) == 1 else [])
    with engine.begin() as conn:
        metadata.create_all(conn)
        for table in metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with engine.begin() as conn:
                trip.change(_operations(tool, conn, trip), backend)
            if trip.after is not None:
                with engine.begin() as conn:
                    trip.after(conn)
        except Exception as exc:  # noqa: BLE001  (a failure is an outcome to compare)
            error = exc
    return error, db_state.state(engine, trip.volatile)


CASES = [pytest.param(trip, backend, id=f"{trip.id}-{backend}",
                      marks=[getattr(pytest.mark, backend)] if backend != "sqlite" else [])
         for trip in trips.TRIPS for backend in trip.backends]


def test_trip_ids_are_unique() -> None:
    ids = [trip.id for trip in trips.TRIPS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("trip", "backend"), CASES)
def test_limbeck_leaves_the_database_alembic_leaves(trip: Any, backend: str, request: pytest.FixtureRequest) -> None:
    pytest.importorskip("alembic")
    outcomes = {}
    for tool in ("alembic", "limbeck"):
        if backend == "sqlite":
            engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
        else:
            engine = request.getfixturevalue(f"{backend}_db")
            _empty(engine)
        outcomes[tool] = _run(engine, tool, trip, backend)
        if backend == "sqlite":
            engine.dispose()
    (their_error, theirs), (our_error, ours) = outcomes["alembic"], outcomes["limbeck"]
    problems = db_state.differences(theirs, ours)
    if (their_error is None) != (our_error is None):
        problems.append(f"alembic {their_error!r} / limbeck {our_error!r}")
    elif their_error is not None and our_error is not None and not corpus_common.catches(their_error, our_error):
        problems.append(f"both fail, but {type(their_error).__name__} does not catch {our_error!r}")
    reason = DEPARTURES.get((trip.id, backend))
    if reason is not None:
        assert problems, f"listed as a departure ({reason!r}) but limbeck now leaves what Alembic leaves"
        return
    assert not problems, "\n".join(problems)
