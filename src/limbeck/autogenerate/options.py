"""The comparison switches of ``configure()``, read once into one typed object.

Alembic's switches keep Alembic's names, defaults and meanings. limbeck adds
one, ``compare_expressions``: whether the texts of check conditions,
generated-column expressions and index expressions / WHERE clauses are
compared (through the database's own wording, see
:mod:`limbeck.autogenerate.compare.forms`). Off, such objects are matched by
name only, as Alembic does. And ``compare_enum_values``: whether the values
of native enum types are compared (:mod:`limbeck.autogenerate.compare.enums`);
by default on, unless alembic-postgresql-enum is loaded, which compares them
itself (both would write the same change twice).
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
    #: ``compare_enum_values`` (limbeck): values of native enum types (PostgreSQL ``ENUM``)
    enum_values: bool = True

    @classmethod
    def from_opts(cls, opts: Mapping[str, Any]) -> CompareOptions:
        type_ = opts.get("compare_type", True)
        server_default = opts.get("compare_server_default", False)
        return cls(
            type=type_ if callable(type_) else bool(type_),
            server_default=server_default if callable(server_default) else bool(server_default),
            expressions=bool(opts.get("compare_expressions", True)),
            enum_values=bool(opts.get("compare_enum_values", not _enum_plugin_loaded())),
        )


def _enum_plugin_loaded() -> bool:
    """Whether alembic-postgresql-enum registered its own comparator of enum values.

    It hooks into autogenerate when imported (typically from env.py); its
    ops would then sit beside limbeck's for the same change.
    """
    import sys

    return "alembic_postgresql_enum" in sys.modules


__all__ = ["CompareOptions"]
