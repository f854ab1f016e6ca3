"""Whether the database reports its unique and check constraints at all.

SQLAlchemy's ``MetaData.reflect`` treats both kinds as optional: on a dialect
whose ``Inspector.get_unique_constraints`` or ``get_check_constraints`` raises
``NotImplementedError`` (none built into SQLAlchemy 2.1; some external
warehouse dialects) it reflects the tables without them and says nothing.
Compared as reflected, every model unique constraint and named check would be
reported missing on every run, and each revision would add them again.

Alembic asks the inspector itself and treats that error as "unknown": it adds
no unique constraint, drops no unique index (databases report a unique
constraint as a unique index too, so without the list of constraints a unique
index cannot be told apart from one), and, with its check constraint plugin,
compares no check constraint. limbeck answers the same, from this module.

The answer is asked once per comparison run, and only when a decision hangs on
it: one reflected constraint of the kind anywhere in the run proves the dialect
reports them, at no cost; failing that, the inspector is asked about the table
at hand (one catalog query on a dialect that supports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Table

    from limbeck.autogenerate.api import AutogenContext

#: the kinds asked about, with the inspector method and the errors that mean "not reported".
#: Alembic also takes a TypeError from ``get_unique_constraints`` as that (a dialect whose
#: override lacks the reflection cache's keyword arguments), not from ``get_check_constraints``.
_KINDS: dict[str, tuple[str, tuple[type[Exception], ...]]] = {
    "unique": ("get_unique_constraints", (NotImplementedError, TypeError)),
    "check": ("get_check_constraints", (NotImplementedError,)),
}


def reflects_uniques(ctx: AutogenContext, table: Table) -> bool:
    """Whether the database reports unique constraints (``table``: a reflected table to ask about)."""
    return _reflects(ctx, "unique", table)


def reflects_checks(ctx: AutogenContext, table: Table) -> bool:
    """Whether the database reports check constraints (``table``: a reflected table to ask about)."""
    return _reflects(ctx, "check", table)


def _reflects(ctx: AutogenContext, kind: str, table: Table) -> bool:
    known = ctx.reflected_kinds.get(kind)
    if known is None:
        known = _seen(ctx, kind, table) or _answered(ctx, kind, table)
        ctx.reflected_kinds[kind] = known
    return known


def _seen(ctx: AutogenContext, kind: str, table: Table) -> bool:
    """Whether some table this run reflected has a constraint of ``kind`` (then the dialect reports them)."""
    from sqlalchemy import CheckConstraint, UniqueConstraint

    cls = UniqueConstraint if kind == "unique" else CheckConstraint
    return any(isinstance(c, cls) for t in [table, *ctx.conn_tables] for c in t.constraints)


def _answered(ctx: AutogenContext, kind: str, table: Table) -> bool:
    method, unsupported = _KINDS[kind]
    try:
        getattr(ctx.inspector, method)(table.name, schema=table.schema)
    except unsupported:
        return False
    return True


__all__ = ["reflects_checks", "reflects_uniques"]
