"""Autogenerate: compare models with a database and write the migration (``alembic.autogenerate``).

``compare_metadata`` lists the differences, ``produce_migrations`` turns them
into operation records (a ``MigrationScript``), ``render_python_code``
writes those records as Python; ``revision --autogenerate`` and ``check``
are built on the same three steps. ``comparators`` and ``renderers`` take
comparison and rendering functions for custom objects and operations, and
:class:`Rewriter` is the helper for ``process_revision_directives``.
"""

from __future__ import annotations

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
