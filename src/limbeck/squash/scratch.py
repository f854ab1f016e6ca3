"""Running the project's env.py on a scratch database, and nowhere else.

squash and check-squash build databases with the project's own env.py (its
version table, its ``configure()`` options), pointed at a scratch database
through ``sqlalchemy.url``. An env.py that takes its URL from somewhere
else would build on the real database, so every run first checks where
env.py actually connected, and that the database is empty, before a single
statement runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.dialects import behaviour_class
from limbeck.errors import CommandError
from limbeck.runtime.run import StepsFn, run

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory


@contextlib.contextmanager
def scratch_url(url: str | None) -> Iterator[str]:
    """*url*, or a new SQLite file removed afterwards."""
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="limbeck-squash-")
    try:
        yield "sqlite:///" + os.path.join(folder, "scratch.db")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _where(url: Any) -> tuple[Any, ...]:
    """What identifies a database in a URL (not the driver, not the password)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database
    if behaviour_class(parsed.get_backend_name()).database_is_a_file and database and database != ":memory:":
        database = os.path.realpath(database)
    return (parsed.get_backend_name(), parsed.host, parsed.port, database)


def shown(url: str) -> str:
    """*url* with its password masked."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run_on(config: Config, script: ScriptDirectory, url: str, fn: StepsFn, *, fresh: bool = False) -> None:
    """Run env.py online with ``sqlalchemy.url`` = *url*, ``fn`` choosing the steps.

    With *fresh*, the database must hold no table and no revision.

    Raises:
        CommandError: env.py ran offline or connected elsewhere; a *fresh*
            database that is not empty.
    """
    option = "sqlalchemy.url"
    saved = config.get_main_option(option)
    config.set_main_option(option, url.replace("%", "%%"))

    def guarded(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        _check_connection(context, url)
        if fresh:
            _check_empty(context, heads, url)
        return fn(heads, context)

    try:
        run(config, script, guarded)
    finally:
        if saved is None:
            config.remove_main_option(option)
        else:
            config.set_main_option(option, saved.replace("%", "%%"))


def _check_connection(context: MigrationContext, url: str) -> None:
    bind = context.connection
    if bind is None:
        raise CommandError(f"{_env(context)} ran offline; squash needs it to connect to the scratch database {shown(url)}")
    actual = bind.engine.url
    if _where(actual) != _where(url):
        raise CommandError(
            f"{_env(context)} connected to {actual.render_as_string(hide_password=True)}, not to the scratch database "
            f"{shown(url)}: it must take its URL from sqlalchemy.url for squash to run it; nothing was run"
        )


def _check_empty(context: MigrationContext, heads: Sequence[str], url: str) -> None:
    from sqlalchemy import inspect

    assert context.connection is not None
    tables = [t for t in inspect(context.connection).get_table_names() if t != context.version_table]
    if heads or tables:
        what = f"revision {', '.join(heads)}" if heads else f"table {tables[0]}"
        raise CommandError(f"the scratch database {shown(url)} is not empty ({what}); give an empty one")


def _env(context: MigrationContext) -> str:
    script = context.script
    return str(getattr(script, "env_py_location", None) or "env.py")
