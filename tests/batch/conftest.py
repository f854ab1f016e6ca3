"""Fixtures for the batch-mode tests: the shared scenarios and SQLite databases."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


#: test modules import the shared scenarios under this name (pytest runs in
#: importlib mode, where test folders are not importable packages)
SCENARIOS_MODULE = "limbeck_batch_scenarios"


def _load(name: str, path: Path) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


SCENARIOS = _load(SCENARIOS_MODULE, HERE / "scenarios.py")
# the online round trips, and the operation corpus's comparison and departures they share
_load("limbeck_batch_roundtrips", HERE / "roundtrips.py")
_load("limbeck_batch_db_state", HERE / "db_state.py")
_load("limbeck_batch_online_fuzz", HERE / "online_fuzz.py")
_load("corpus_common", HERE.parent / "parity" / "corpus_common.py")
_load("corpus_departures", HERE.parent / "parity" / "corpus_departures.py")


@pytest.fixture
def scenarios() -> Any:
    return SCENARIOS


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Any]:
    """A file SQLite database (a fresh one per test)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'batch.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def batch_snapshot(snapshot: Any) -> Any:
    snapshot.snapshot_dir = SCENARIOS.SNAPSHOTS
    return snapshot
