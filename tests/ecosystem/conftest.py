"""Fixtures of the ecosystem suite: tools built on Alembic, run on Alembic and on limbeck.

Test folders are not packages (pytest runs in importlib mode): this folder is
put on ``sys.path`` so test modules can say ``import limbeck_ecosystem_harness``
(a name no other folder uses).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


@pytest.fixture
def pg_databases(postgresql_server: Any) -> Iterator[Callable[[], str]]:
    """Makes fresh PostgreSQL databases (one per twin project, or per test inside one); drops them after."""
    made: list[str] = []

    def make() -> str:
        name = f"eco_{uuid.uuid4().hex[:10]}"
        with postgresql_server.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        made.append(name)
        return f"{postgresql_server.url}/{name}"

    yield make
    with postgresql_server.admin.connect() as conn:
        for name in made:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
