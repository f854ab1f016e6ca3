"""What lowering says when a database cannot do what an operation asks.

Two policies, both applied before any statement of the operation exists:

* the database cannot do the operation at all (``ALTER COLUMN`` on SQLite, a
  deferrable constraint on MySQL) -> :class:`~limbeck.errors.UnsupportedOperation`
  naming the operation, the dialect, the reason and the remedy;
* the database lacks an optional clause whose absence keeps the statement
  valid (``IF NOT EXISTS`` on SQL Server) or the script passed a keyword the
  target ignores -> the clause is left out and a
  :class:`~limbeck.errors.LimbeckWarning` says so.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from limbeck.errors import LimbeckWarning, UnsupportedCompilation, UnsupportedOperation

if TYPE_CHECKING:
    from limbeck.compiler.behaviour import DialectBehaviour

BATCH_REMEDY = "use op.batch_alter_table() (batch mode), which recreates the table with the change"


def op_name(op: Any) -> str:
    """``AlterColumnOp`` -> ``alter_column``: the ``op.*`` method users call."""
    name = getattr(op, "op_name", None)
    if isinstance(name, str):
        return name
    base = type(op).__name__
    base = base.removesuffix("Op")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()


def describe(op: Any) -> str:
    """``alter_column(s.t.c)``: the operation and what it targets, for messages."""
    table = getattr(op, "table_name", None) or getattr(op, "source_table", None)
    schema = getattr(op, "schema", None) or getattr(op, "source_schema", None)
    parts = [p for p in (schema, table) if p]
    column = getattr(op, "column_name", None)
    if column is None and getattr(op, "column", None) is not None:
        column = getattr(op.column, "name", None)
    if column:
        parts.append(str(column))
    target = ".".join(str(p) for p in parts)
    name = getattr(op, "constraint_name", None) or getattr(op, "index_name", None)
    if name is not None:
        target = f"{name} on {target}" if target else str(name)
    return f"{op_name(op)}({target})"


def unsupported(
    op: Any, behaviour: DialectBehaviour, reason: str, remedy: str | None = None, *, compile_error: bool = False,
    alembic: bool = False,
) -> UnsupportedOperation:
    """The error for ``op`` on this database (raise it).

    ``compile_error`` where Alembic refuses the same operation with
    SQLAlchemy's ``CompileError``, so code catching that catches ours;
    ``alembic`` where ``reason`` is the whole text of the ``NotImplementedError``
    (``CompileError``) Alembic raises, which the revision then reads (``errors.AlembicWorded``).
    """
    if compile_error:
        return UnsupportedCompilation(describe(op), behaviour.name, reason, remedy, alembic=alembic)
    return UnsupportedOperation(describe(op), behaviour.name, reason, remedy, alembic=alembic)


def supports_clause(op: Any, behaviour: DialectBehaviour, clause: str, requested: Any) -> bool:
    """Whether to render optional clause ``clause`` (e.g. ``"add_column"`` IF NOT EXISTS).

    Returns False without a word when the clause was not requested; warns
    and returns False when it was but the database has no such clause.
    """
    if not requested:
        return False
    if clause in behaviour.if_exists_clauses:
        return True
    keyword = "if_not_exists" if clause.startswith(("create", "add")) else "if_exists"
    warn(op, behaviour, f"{keyword}=True ignored: {behaviour.display_name} has no such clause for this statement")
    return False


def warn(op: Any, behaviour: DialectBehaviour, message: str) -> None:
    warnings.warn(f"{describe(op)} on {behaviour.name}: {message}", LimbeckWarning, stacklevel=4)


def warn_as_alembic(message: str) -> None:
    """A warning Alembic also gives, in Alembic's words: filters and tests written against its text match."""
    warnings.warn(message, LimbeckWarning, stacklevel=4)


def warn_unknown_keywords(op: Any, behaviour: DialectBehaviour, kw: Iterable[str], known: Iterable[str]) -> None:
    """Warn about keywords meant for this database (or no database) that nothing reads.

    Keywords for other databases (``postgresql_using`` while compiling for
    MySQL) are expected in scripts that target several databases and pass
    silently.
    """
    known_set = set(known)
    for key in sorted(kw):
        if key in known_set:
            continue
        if not behaviour.keyword_for_another_database(key.split("_", 1)[0]):
            warn(op, behaviour, f"keyword {key} is not used by {op_name(op)} and was ignored")
