"""The pieces of SQL every database's ``--guard`` statement is made of.

A dialect module sets ``version_guard`` (:class:`~limbeck.dialects.base.VersionGuardSQL`)
to a function rendering the guard with these; the guard itself, and when it is
emitted, is :mod:`limbeck.review.guards`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.types import String

if TYPE_CHECKING:
    from sqlalchemy import Table


class Guard(Protocol):
    """What a guard's SQL is made from: stop unless ``table`` holds exactly ``expected``."""

    #: the version table
    table: Table
    #: the version rows the database must hold (``None``: the table must not exist)
    expected: tuple[str, ...] | None
    #: rendered where no transaction is open: raising alone would stop nothing after it
    outside_transaction: bool

    @property
    def message(self) -> str: ...


def quote(compiler: Any, value: str) -> str:
    """``value`` as a string literal of the compiled dialect."""
    return str(compiler.render_literal_value(value, String()))


def table_name(compiler: Any, guard: Guard) -> str:
    return str(compiler.preparer.format_table(guard.table))


def rows_wrong(compiler: Any, guard: Guard) -> str:
    """SQL true when the table's rows are not exactly ``guard.expected``."""
    table = table_name(compiler, guard)
    wanted = len(guard.expected or ())
    if not wanted:
        return f"(SELECT COUNT(*) FROM {table}) <> 0"
    listed = ", ".join(quote(compiler, rev) for rev in guard.expected or ())
    return (
        f"(SELECT COUNT(*) FROM {table}) <> {wanted} OR "
        f"(SELECT COUNT(*) FROM {table} WHERE version_num IN ({listed})) <> {wanted}"
    )
