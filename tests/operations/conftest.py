"""Online fixtures: an engine per database, and ``run(engine, fn)`` applying ``fn(op)``.

Operations run exactly as inside a migration: ``MigrationContext.configure``
on a connection, ``Operations`` around it, the one emitter executing each
statement; the result is then read back by reflection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

HERE = Path(__file__).resolve().parent


def _load_helpers() -> Any:
    # pytest runs in importlib mode: test modules say ``import limbeck_online``
    import importlib.util
    import sys

    if "limbeck_online" not in sys.modules:
        spec = importlib.util.spec_from_file_location("limbeck_online", HERE / "online.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["limbeck_online"] = module
        spec.loader.exec_module(module)
    return sys.modules["limbeck_online"]


_load_helpers()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """A fresh SQLite file with foreign keys enforced."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'ops.db'}", poolclass=sa.pool.NullPool)

    @sa.event.listens_for(engine, "connect")
    def _fk_on(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def mariadb_engine(mariadb_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(mariadb_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
