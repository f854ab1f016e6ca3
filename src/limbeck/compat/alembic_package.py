"""What ``import alembic`` returns while limbeck stands in for Alembic.

A module of its own rather than the ``limbeck`` package: ``alembic.__version__``
must name the Alembic release limbeck follows (tools compare it), and
``alembic.<submodule>`` must resolve through the alias table, not to limbeck's
own layout. Importing it costs nothing: every attribute is found on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from limbeck.compat.aliases import ALEMBIC_VERSION, ALIASES

__version__ = ALEMBIC_VERSION

# A package (``alembic.script`` and friends are imported beneath it); the alias
# finder answers every submodule, so there is nothing to search on disk.
__path__: list[str] = []


def __getattr__(name: str) -> Any:
    # ``import alembic; alembic.context`` works with Alembic (its package
    # imports context and op eagerly); here they load on first access.
    if f"alembic.{name}" in ALIASES:
        return importlib.import_module(f"alembic.{name}")
    raise AttributeError(f"module 'alembic' has no attribute {name!r}")
