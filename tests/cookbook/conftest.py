"""Fixtures of the cookbook suite: Alembic's documented recipes, run on Alembic and on limbeck.

Test folders are not packages (pytest runs in importlib mode): this folder is
put on ``sys.path`` so test modules can say ``import cookbook_harness``.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
pytest.register_assert_rewrite("cookbook_harness")


@pytest.fixture
def pg_per_tool(postgresql_server: Any) -> Iterator[dict[str, list[str]]]:
    """One new PostgreSQL database per tool (Alembic, limbeck, alembic switched to limbeck)."""
    names = {tool: f"cb_{tool[:2]}_{uuid.uuid4().hex[:8]}" for tool in ("alembic", "limbeck", "as_alembic")}
    with postgresql_server.admin.connect() as conn:
        for name in names.values():
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield {tool: [f"{postgresql_server.url}/{name}"] for tool, name in names.items()}
    with postgresql_server.admin.connect() as conn:
        for name in names.values():
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
