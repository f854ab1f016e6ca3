"""limbeck: schema migrations for SQLAlchemy, built around one offline SQL emitter.

Importing the package must stay cheap (``limbeck --help`` does it), so nothing
here imports SQLAlchemy. ``from limbeck import op, context`` works the way
``from alembic import op, context`` does: those two names are resolved lazily.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # PEP 562: scripts do ``from limbeck import op, context``; importing those
    # modules eagerly would drag SQLAlchemy into every CLI start.
    if name in ("op", "context", "command", "config"):
        import importlib

        return importlib.import_module(f"limbeck.{name}")
    raise AttributeError(f"module 'limbeck' has no attribute {name!r}")
