"""What a revision sees of the database while limbeck renders ``--sql``.

There is no database offline. ``op.get_bind()`` returns an :class:`OfflineBind`,
which is to limbeck what SQLAlchemy's mock connection is to Alembic: whatever a
revision executes on it, directly or through SQLAlchemy's DDL visitor
(``Enum.create(bind)``, ``table.create(bind)``, ``metadata.create_all(bind)``
with the DDL events SQLAlchemy fires, ``checkfirst`` forced off since nothing
can be checked), joins the stream exactly where ``op.execute`` would put it,
so it is linted, validated and in the per-revision files like any statement.

An executed statement returns an :class:`OfflineResult`: falsy, so the
``if result:`` checks histories wrote for Alembic's ``None`` still hold, while
reading its rows stops with one line naming the revision file and line (Alembic
crashes on ``None`` there). Reflection (``sqlalchemy.inspect(bind)``,
``autoload_with``) is refused the same way.

``print()`` output is captured into the stream where it happened, so stdout
carries the script and nothing else; by default each printed line becomes a
``-- `` comment (``offline_print = raw`` writes it as is, as Alembic does).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspection
from sqlalchemy import text as sql_text
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.elements import BindParameter

from limbeck.compiler.statement import Kind, Statement
from limbeck.errors import ConfigError, OfflineAttributeError, OfflineNotSupported
from limbeck.runtime.literal_templates import bind_values
from limbeck.runtime.literals import literal_row

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext

#: ``offline_print`` values: printed lines become ``-- `` comments, or are written as printed
PRINT_MODES = ("comment", "raw")

#: how refusals name an offline result's rows
_EXECUTED = "a statement get_bind().execute() wrote into the script"


def _refusal(context: MigrationContext, what: str, cls: type[OfflineNotSupported] = OfflineAttributeError,
             alembic: str | None = None) -> OfflineNotSupported:
    """The one-line refusal; ``alembic`` is what Alembic's own error says, for a revision that prints it."""
    where = context.describe_current(line=context.revision_line())
    message = f"{where}: {what} needs a live database and cannot be rendered with --sql"
    if cls is OfflineAttributeError and alembic is not None and context.running_revision():
        return OfflineAttributeError(message, alembic)
    return cls(message)


def _no_attribute(owner: str, name: str) -> str:
    """Python's own text for the attribute Alembic's offline objects do not have."""
    return f"'{owner}' object has no attribute '{name}'"


#: what Alembic hands a revision offline: SQLAlchemy's mock connection, and ``None`` from its ``execute``
_ALEMBIC_BIND, _ALEMBIC_RESULT = "MockConnection", "NoneType"


class OfflineResult:
    """What ``get_bind().execute()`` returns offline: no rows, and it says so when asked for them.

    Falsy, so ``if result:`` (written for Alembic, whose offline ``execute``
    returns ``None``) takes the no-rows branch. Everything else a
    ``CursorResult`` offers is about rows the database would have sent, and
    raises :class:`~limbeck.errors.OfflineAttributeError` naming the line
    that asked.
    """

    __slots__ = ("_context",)

    def __init__(self, context: MigrationContext) -> None:
        self._context = context

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "<OfflineResult: no rows offline>"

    def __iter__(self) -> Iterator[Any]:
        raise _refusal(self._context, f"iterating over the rows of {_EXECUTED}",
                       alembic=f"'{_ALEMBIC_RESULT}' object is not iterable")

    def __next__(self) -> Any:
        raise _refusal(self._context, f"next() on the rows of {_EXECUTED}",
                       alembic=f"'{_ALEMBIC_RESULT}' object is not an iterator")

    def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _refusal(self._context, f"result.{name} on the rows of {_EXECUTED}",
                       alembic=_no_attribute(_ALEMBIC_RESULT, name))


class OfflineBind:
    """Stands in for a Connection during an offline run (SQLAlchemy's mock connection, for limbeck).

    It offers what the mock connection offers (``name``, ``dialect``,
    ``engine``, ``connect()``, ``execution_options()``,
    ``schema_for_object()``, ``execute()`` and the DDL visitor hook), plus
    ``exec_driver_sql()``; anything else a connection has needs a database
    and is refused in one line (as an ``AttributeError`` too, as Alembic's
    mock connection raises for it).
    """

    def __init__(self, context: MigrationContext) -> None:
        self._context = context

    @property
    def offline_context(self) -> MigrationContext:
        """The run this bind belongs to (``MigrationContext.configure(op.get_bind())`` gives it back)."""
        return self._context

    @property
    def dialect(self) -> Any:
        return self._context.dialect

    @property
    def engine(self) -> OfflineBind:
        return self

    @property
    def name(self) -> str:
        return str(self._context.dialect.name)

    def connect(self, **kw: Any) -> OfflineBind:
        return self

    def execution_options(self, **kw: Any) -> OfflineBind:
        return self

    def schema_for_object(self, obj: Any) -> str | None:
        return getattr(obj, "schema", None)

    def _run_ddl_visitor(self, visitorcallable: Any, element: Any, **kwargs: Any) -> None:
        """SQLAlchemy's ``create()`` / ``create_all()`` / ``drop()`` land here.

        ``checkfirst`` would query the database; offline the script states
        every statement, as SQLAlchemy's mock connection does.
        """
        kwargs["checkfirst"] = False
        visitorcallable(dialect=self.dialect, connection=self, **kwargs).traverse_single(element)

    def execute(
        self, statement: Any, parameters: Any = None, execution_options: Mapping[str, Any] | None = None
    ) -> OfflineResult:
        """Write ``statement`` into the stream (once per row of ``parameters``); no rows come back."""
        for element in _with_parameters(statement, parameters):
            self._context.execute(element, execution_options)
        return OfflineResult(self._context)

    def exec_driver_sql(
        self, statement: str, parameters: Any = None, execution_options: Mapping[str, Any] | None = None
    ) -> OfflineResult:
        if parameters:
            raise _refusal(self._context, "exec_driver_sql() with parameters (driver placeholders have no offline value)",
                           OfflineNotSupported)
        self._context.execute(statement, execution_options)
        return OfflineResult(self._context)

    def scalar(self, *args: Any, **kw: Any) -> Any:
        raise _refusal(self._context, "get_bind().scalar()", alembic=_no_attribute(_ALEMBIC_BIND, "scalar"))

    def scalars(self, *args: Any, **kw: Any) -> Any:
        raise _refusal(self._context, "get_bind().scalars()", alembic=_no_attribute(_ALEMBIC_BIND, "scalars"))

    def __enter__(self) -> OfflineBind:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _refusal(self._context, f"get_bind().{name}", alembic=_no_attribute(_ALEMBIC_BIND, name))


def _with_parameters(statement: Any, parameters: Any) -> list[Any]:
    """``statement`` with each row of ``parameters`` bound, as the database would run it.

    Alembic drops the parameters offline (``:name`` becomes ``NULL``, an
    INSERT keeps its placeholders); a script has no parameters, so each row
    becomes its own statement with the values written in. Keys naming a
    bound parameter give it its value; for INSERT and UPDATE the other keys
    are column values, as SQLAlchemy reads them online.
    """
    if not parameters:
        return [statement]
    rows: Sequence[Mapping[str, Any]] = [parameters] if isinstance(parameters, Mapping) else list(parameters)
    if isinstance(statement, str):
        statement = sql_text(statement)
    return [_bind_row(statement, row) for row in rows]


def _bind_row(statement: Any, row: Mapping[str, Any]) -> Any:
    named = {b.key for b in visitors.iterate(statement) if isinstance(b, BindParameter)}
    bound = bind_values(statement, {k: v for k, v in row.items() if k in named}) if named & set(row) else statement
    columns = {k: v for k, v in row.items() if k not in named}
    if columns and isinstance(bound, (Insert, Update)):
        bound = bound.values(literal_row(bound, columns))
    return bound


def _register_inspection() -> None:
    def refuse(bind: OfflineBind) -> Any:
        raise _refusal(bind._context, "reflection (sqlalchemy.inspect)", OfflineNotSupported)

    inspection._inspects(OfflineBind)(refuse)


_registered = False


def offline_bind(context: MigrationContext) -> OfflineBind:
    global _registered
    if not _registered:
        _register_inspection()
        _registered = True
    return OfflineBind(context)


# -- print() -------------------------------------------------------------------------------
def print_mode(opts: Mapping[str, Any], config: Config | None) -> str:
    """``offline_print``: ``configure()`` first, then the config file; ``comment`` by default.

    Raises:
        ConfigError: a value other than ``comment`` or ``raw``, naming where it was set.
    """
    if "offline_print" in opts:
        value, where = opts["offline_print"], "configure(offline_print=...)"
    else:
        value = config.get_alembic_option("offline_print") if config is not None else None
        files = [f for f in (getattr(config, "config_file_name", None), getattr(config, "toml_file_name", None)) if f]
        where = f"offline_print in {files[0]}" if files else "offline_print"
    if value is None or value == "":
        return "comment"
    mode = str(value).strip().lower()
    if mode not in PRINT_MODES:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(PRINT_MODES)}")
    return mode


class StreamWriter(io.TextIOBase):
    """A stdout replacement whose writes become TEXT statements of the stream.

    In ``comment`` mode every printed line is written as a ``-- `` comment,
    so a progress message cannot break the script (Alembic writes it raw,
    which no database accepts). A line still open when the revision emits a
    statement, or when it ends, is closed first (see :meth:`end_line`), so
    nothing after it shares the comment.
    """

    def __init__(self, context: MigrationContext, *, comment: bool) -> None:
        self._context = context
        self._comment = comment
        self._open = ""
        self._writing = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not text:
            return 0
        if not self._comment:
            self._emit(text)
            return len(text)
        *lines, self._open = (self._open + text).split("\n")
        if lines:
            self._emit("".join(_commented(line) for line in lines))
        return len(text)

    def end_line(self, stmt: Statement | None = None) -> None:
        """Write the open line out; an emit listener, so it runs before any other statement."""
        if self._open and not self._writing:
            line, self._open = self._open, ""
            self._emit(_commented(line))

    def _emit(self, text: str) -> None:
        self._writing = True
        try:
            self._context.emit(Statement(Kind.TEXT, text, info={"print": True}))
        finally:
            self._writing = False


def _commented(line: str) -> str:
    line = line.rstrip("\r")
    return f"-- {line}\n" if line else "--\n"


def capture_print(context: MigrationContext) -> tuple[StreamWriter, Callable[[], None]]:
    """A writer for ``sys.stdout`` during a revision, and what to call when the revision is done."""
    writer = StreamWriter(context, comment=context.offline_print == "comment")
    listeners = context.impl.emit_listeners
    listeners.append(writer.end_line)

    def done() -> None:
        listeners.remove(writer.end_line)
        writer.end_line()

    return writer, done
