"""Testing migrations and limbeck itself: in-process rendering, snapshots, the stairway, model drift.

The pytest plugin (:mod:`limbeck.testing.plugin`) is loaded by pytest in
every run of every project that has limbeck installed, and it imports this
package first, so the names below load on first use (PEP 562) instead of
at import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from limbeck.testing.compile import compile_ops, offline_context
    from limbeck.testing.drift import ModelDrift, check_model_drift
    from limbeck.testing.render import MigrationRenderer, RevisionSQL
    from limbeck.testing.snapshots import SnapshotError, snapshot_names, snapshot_text
    from limbeck.testing.stairway import StairwayFailed, run_stairway

_WHERE = {
    "ModelDrift": "drift",
    "check_model_drift": "drift",
    "compile_ops": "compile",
    "offline_context": "compile",
    "MigrationRenderer": "render",
    "RevisionSQL": "render",
    "SnapshotError": "snapshots",
    "snapshot_names": "snapshots",
    "snapshot_text": "snapshots",
    "StairwayFailed": "stairway",
    "run_stairway": "stairway",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'limbeck.testing' has no attribute {name!r}")
    return getattr(import_module(f"limbeck.testing.{module}"), name)


__all__ = [
    "MigrationRenderer",
    "ModelDrift",
    "RevisionSQL",
    "SnapshotError",
    "StairwayFailed",
    "check_model_drift",
    "compile_ops",
    "offline_context",
    "run_stairway",
    "snapshot_names",
    "snapshot_text",
]
