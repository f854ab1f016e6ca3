"""The comparison switches of ``configure()``, read once into one typed object.

Alembic's switches keep Alembic's names, defaults and meanings. limbeck adds
one, ``compare_expressions``: whether the texts of check conditions,
generated-column expressions and index expressions / WHERE clauses are
compared (through the database's own wording, see
:mod:`limbeck.autogenerate.compare.forms`). Off, such objects are matched by
name only, as Alembic does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CompareOptions:
    """What one comparison looks at."""

    #: ``compare_type``: ``True``, ``False`` or ``fn(context, conn_col, meta_col, conn_type, meta_type)``
    type: bool | Callable[..., Any] = True
    #: ``compare_server_default``: ``False``, ``True`` or a callable (also governs identity and computed columns)
    server_default: bool | Callable[..., Any] = False
    #: ``compare_expressions`` (limbeck): check conditions, generated expressions, index definitions
    expressions: bool = True

    @classmethod
    def from_opts(cls, opts: Mapping[str, Any]) -> CompareOptions:
        type_ = opts.get("compare_type", True)
        server_default = opts.get("compare_server_default", False)
        return cls(
            type=type_ if callable(type_) else bool(type_),
            server_default=server_default if callable(server_default) else bool(server_default),
            expressions=bool(opts.get("compare_expressions", True)),
        )


__all__ = ["CompareOptions"]
