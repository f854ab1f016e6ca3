"""SQL text for the statements only batch mode makes.

``SyncSerial`` exists because a PostgreSQL table rebuilt by batch mode gets
a fresh serial (or identity) sequence starting at 1, while the copied rows
keep their ids: the first plain INSERT afterwards would collide. Moving the
sequence past the largest copied id keeps the table usable
(https://www.postgresql.org/docs/current/functions-sequence.html).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable


class SyncSerial(Executable, ClauseElement):
    """Set ``table.column``'s sequence to follow the largest value in the column."""

    inherit_cache = False

    def __init__(self, table: Any, column: Any) -> None:
        self.table = table
        self.column = column


@compiles(SyncSerial, "postgresql")
def visit_sync_serial(element: SyncSerial, compiler: Any, **kw: Any) -> str:
    preparer = compiler.preparer
    table = preparer.format_table(element.table)
    column = preparer.quote(element.column.name)
    literal = compiler.render_literal_value
    sequence = f"pg_get_serial_sequence({literal(table, String())}, {literal(element.column.name, String())})"
    return f"SELECT setval({sequence}, COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
