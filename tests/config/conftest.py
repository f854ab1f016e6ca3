"""Fixtures for the config tests: writing config files into tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteFile = Callable[[str, str], Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """``write("alembic.ini", text)`` creates ``tmp_path/alembic.ini`` and returns its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def no_config_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs the test without LIMBECK_CONFIG / ALEMBIC_CONFIG from the caller's shell."""
    monkeypatch.delenv("LIMBECK_CONFIG", raising=False)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
