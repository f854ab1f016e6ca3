"""Compile operations to offline SQL in process, through the real emitter.

The per-dialect test tables use this: an operation call goes through
``Operations`` -> lowering -> ``Emitter`` exactly as in a migration, with an
in-memory buffer instead of stdout and no database, no mocks, no patched
globals.
"""

from __future__ import annotations

import io
from typing import Any, Callable

from limbeck.operations import Operations
from limbeck.runtime.migration import MigrationContext


def offline_context(dialect: str, **opts: Any) -> tuple[MigrationContext, io.StringIO]:
    """A migration context rendering ``dialect`` into a fresh buffer."""
    buffer = io.StringIO()
    options = {"as_sql": True, "output_buffer": buffer, "literal_binds": True, **opts}
    context = MigrationContext.configure(dialect_name=dialect, opts=options)
    return context, buffer


def compile_ops(dialect: str, fn: Callable[[Operations], Any], **opts: Any) -> str:
    """The SQL script ``fn(op)`` renders for ``dialect``, stripped of outer whitespace."""
    context, buffer = offline_context(dialect, **opts)
    with Operations.context(context) as op:
        fn(op)
    context.impl.flush()
    return buffer.getvalue().strip()
