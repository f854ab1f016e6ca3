"""The construct only batch mode makes.

``SyncSerial`` exists because a PostgreSQL table rebuilt by batch mode gets
a fresh serial (or identity) sequence starting at 1, while the copied rows
keep their ids: the first plain INSERT afterwards would collide. Moving the
sequence past the largest copied id keeps the table usable
(https://www.postgresql.org/docs/current/functions-sequence.html). Its SQL
is the dialect's (``serial_sequences`` in :mod:`limbeck.dialects`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.expression import ClauseElement, Executable


class SyncSerial(Executable, ClauseElement):
    """Set ``table.column``'s sequence to follow the largest value in the column."""

    inherit_cache = False

    def __init__(self, table: Any, column: Any) -> None:
        self.table = table
        self.column = column
