"""``--from-db``: the live database's version table, read without writing.

The read goes through the project's own env.py, online, with a step
function that only looks (as ``limbeck current`` does): env.py decides the
URL, the connection setup, the version table name and schema, exactly as
for a real upgrade. No statement of the stream runs; the transaction env.py
opens is committed empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect

from limbeck.errors import CommandError
from limbeck.runtime.run import run

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory

#: what :func:`database_start` returns when the version table is missing: render from base, CREATE included
NO_VERSION_TABLE = None


def database_start(config: Config, script: ScriptDirectory) -> tuple[str, ...] | None:
    """The heads to render from: ``None`` without a version table, else its rows (maybe none).

    An empty tuple (the table exists and is empty) starts from base without
    creating the version table again. An env.py that runs several databases
    (the multidb template) gets one start for all of them: they must agree.
    """
    found: list[tuple[str, ...] | None] = []
    names: list[str] = []

    def read(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        connection = context.connection
        assert connection is not None
        exists = inspect(connection).has_table(context.version_table, schema=context.version_table_schema)
        found.append(tuple(heads) if exists else NO_VERSION_TABLE)
        name = (context.run_arguments or {}).get("engine_name")
        names.append(name if isinstance(name, str) else f"database {len(names) + 1}")
        return []

    run(config, script, read, read_only=True)
    if not found:
        raise CommandError("--from-db: env.py did not run migrations online, so the version table could not be read")
    if len(set(found)) > 1:
        where = "; ".join(f"{name}: {_position(heads)}" for name, heads in zip(names, found))
        raise CommandError(
            f"--from-db: the databases env.py runs are at different revisions ({where}); one script start cannot "
            "serve them all: render each range with START:END"
        )
    return found[0]


def _position(heads: tuple[str, ...] | None) -> str:
    if heads is NO_VERSION_TABLE:
        return "base, no version table"
    return ", ".join(heads) or "base"
