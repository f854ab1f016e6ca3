"""What differs between the SQLAlchemy releases limbeck runs on (2.0.0 up to 2.1).

Alembic 1.20 runs on any SQLAlchemy 2.0 or later, so projects switching to limbeck may
have any of them. limbeck reads a few things SQLAlchemy added during 2.0.x and 2.1; the
one place that knows how each release spells them is here, so a reader of the
compiler or the runtime does not meet version checks.
"""

from __future__ import annotations

from typing import Any

__all__ = ["autoincrement_column", "collected_params", "dotted", "fk_colspec", "fk_target_tokens", "statement_params"]


def autoincrement_column(table: Any) -> Any:
    """The column ``table`` generates values for, or None (``Table.autoincrement_column``
    is public since SQLAlchemy 2.0.x; 2.0.0 has only the private attribute)."""
    try:
        return table.autoincrement_column
    except AttributeError:
        return getattr(table, "_autoincrement_column", None)


def statement_params(cache_key: Any) -> Any:
    """The statement-level ``.params()`` a cache key carries: SQLAlchemy 2.1 keeps them
    apart; 2.0's ``.params()`` puts the values into the bound parameters themselves."""
    return getattr(cache_key, "params", None)


def collected_params(compiler: Any) -> Any:
    """The statement-level parameters a compile met (SQLAlchemy 2.1; none on 2.0)."""
    return getattr(compiler, "_collected_params", None)


def fk_target_tokens(element: Any) -> tuple[str | None, str, str | None]:
    """The (schema, table, column) names a ``ForeignKey`` refers to, each whole: SQLAlchemy 2.1's
    ``target_tokens`` (a table or column name may hold a dot, where 2.1 refuses the dotted
    string form); 2.0 reads them from that string."""
    tokens = getattr(element, "target_tokens", None)
    schema, table, column = tokens if tokens is not None else element._column_tokens
    return schema, table, column


def fk_colspec(element: Any) -> str:
    """A ``ForeignKey``'s target as ``[schema.]table.column`` text, for ordering and keys: the
    string SQLAlchemy gives, without its refusal of a name holding a dot."""
    return dotted(fk_target_tokens(element))


def dotted(target: tuple[str | None, str, str | None]) -> str:
    """(schema, table, column) names as ``[schema.]table[.column]``."""
    return ".".join(part for part in target if part is not None)
