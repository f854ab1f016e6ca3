"""Values rendered as SQL literals in offline scripts.

Offline scripts carry no parameters, so every value of a ``bulk_insert`` row
becomes a literal. A column of a lightweight ``sa.table()`` often has no type;
its literal then takes the type SQLAlchemy infers from the Python value.
"""

from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import literal
from sqlalchemy.types import NullType


def literal_row(insert: Any, row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` as typed literals for ``insert.values(...)``."""
    table = insert.table
    out: dict[str, Any] = {}
    for key, value in row.items():
        column = table.c.get(key) if hasattr(table.c, "get") else None
        type_ = getattr(column, "type", None)
        if value is None:
            out[key] = None
        elif type_ is None or isinstance(type_, NullType):
            out[key] = literal(value)
        else:
            out[key] = literal(value, type_=type_)
    return out
