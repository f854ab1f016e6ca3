"""Autogenerate: compare models with a database and write the migration (``alembic.autogenerate``).

``compare_metadata`` lists the differences, ``produce_migrations`` turns them
into operation records (a ``MigrationScript``), ``render_python_code``
writes those records as Python; ``revision --autogenerate`` and ``check``
are built on the same three steps. ``comparators`` and ``renderers`` take
comparison and rendering functions for custom objects and operations, and
:class:`Rewriter` is the helper for ``process_revision_directives``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from limbeck.autogenerate import rewriter
    from limbeck.autogenerate.api import (
        AutogenContext,
        compare_metadata,
        produce_migrations,
        render_python_code,
    )
    from limbeck.autogenerate.compare import comparators
    from limbeck.autogenerate.render import render_op_text, renderers
    from limbeck.autogenerate.revision import RevisionContext
    from limbeck.autogenerate.rewriter import Rewriter

#: name -> the module that defines it. Loaded on first use, because a plain ``revision -m``
#: reaches :mod:`limbeck.autogenerate.revision` through this package and needs neither the
#: comparison nor the renderers (nor SQLAlchemy, which they import)
_HOMES = {
    "AutogenContext": "api",
    "compare_metadata": "api",
    "produce_migrations": "api",
    "render_python_code": "api",
    "comparators": "compare",
    "render_op_text": "render",
    "renderers": "render",
    "RevisionContext": "revision",
    "Rewriter": "rewriter",
}


#: submodules Alembic's package has loaded once imported (``alembic.autogenerate.api.X`` works)
_SUBMODULES = frozenset({"api", "compare", "render", "rewriter"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"limbeck.autogenerate.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'limbeck.autogenerate' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"limbeck.autogenerate.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES, *_SUBMODULES})


__all__ = [
    "AutogenContext",
    "RevisionContext",
    "Rewriter",
    "comparators",
    "compare_metadata",
    "produce_migrations",
    "render_op_text",
    "render_python_code",
    "renderers",
    "rewriter",
]
