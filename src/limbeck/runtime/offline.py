"""What a revision sees of the database while limbeck renders ``--sql``.

There is no database offline. ``op.get_bind()`` returns an :class:`OfflineBind`
that still lets a revision issue statements (they join the stream, exactly as
``op.execute`` would) but stops with one clear line the moment the revision
needs an answer from a database: reading rows, reflecting, inspecting.
``print()`` output is captured into the stream where it happened, so stdout
carries the script and nothing else.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Callable

from limbeck.errors import OfflineNotSupported

if TYPE_CHECKING:
    from limbeck.runtime.migration import MigrationContext


def _returns_rows(element: Any) -> bool:
    if isinstance(element, str):
        head = element.lstrip().split(None, 1)[:1]
        return bool(head) and head[0].upper() in ("SELECT", "WITH", "SHOW", "PRAGMA", "EXPLAIN")
    from sqlalchemy.sql import Select
    from sqlalchemy.sql.elements import TextClause

    if isinstance(element, Select):
        return True
    if isinstance(element, TextClause):
        return _returns_rows(element.text)
    return bool(getattr(element, "_returning", None)) or bool(getattr(element, "is_select", False))


class OfflineBind:
    """Stands in for a Connection during an offline run."""

    def __init__(self, context: "MigrationContext") -> None:
        self._context = context
        self.dialect = context.dialect
        self.engine = self

    def _refuse(self, what: str) -> OfflineNotSupported:
        return OfflineNotSupported(
            f"{self._context.describe_current()}: {what} needs a live database and cannot be "
            "rendered with --sql"
        )

    def execute(self, statement: Any, *multiparams: Any, **kw: Any) -> None:
        if _returns_rows(statement):
            raise self._refuse("reading rows through get_bind().execute()")
        self._context.execute(statement, kw.get("execution_options"))

    def exec_driver_sql(self, statement: str, *args: Any, **kw: Any) -> None:
        self.execute(statement)

    def scalar(self, *args: Any, **kw: Any) -> None:
        raise self._refuse("get_bind().scalar()")

    def scalars(self, *args: Any, **kw: Any) -> None:
        raise self._refuse("get_bind().scalars()")

    def connect(self) -> "OfflineBind":
        return self

    def __enter__(self) -> "OfflineBind":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._refuse(f"get_bind().{name}")


def _register_inspection() -> None:
    from sqlalchemy import inspection

    def refuse(bind: OfflineBind) -> Any:
        raise bind._refuse("reflection (sqlalchemy.inspect)")

    inspection._inspects(OfflineBind)(refuse)


_registered = False


def offline_bind(context: "MigrationContext") -> OfflineBind:
    global _registered
    if not _registered:
        _register_inspection()
        _registered = True
    return OfflineBind(context)


class StreamWriter(io.TextIOBase):
    """A stdout replacement whose writes become TEXT statements of the stream."""

    def __init__(self, sink: Callable[[str], None]) -> None:
        self._sink = sink

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self._sink(text)
        return len(text)
