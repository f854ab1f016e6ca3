"""The database the stairway and drift checks work on, and online runs on it.

Both checks need a database that starts empty, gets migrated through the
project's own env.py, and is left empty again. By default that is SQLite in
a temporary file; a URL names any other (which must be empty). env.py gets
it as ``sqlalchemy.url``, the option every generated env.py reads (Alembic's
included); the Config's own value is restored afterwards.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError, MigrationFailed
from limbeck.runtime.run import StepsFn, run, run_range

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory


class ScratchDatabaseError(CommandError):
    """The database given to a check is not usable: not empty, or unreachable."""


@contextlib.contextmanager
def scratch_database(config: Config, script: ScriptDirectory, url: str | None, *, check_empty: bool = True) -> Iterator[str]:
    """``url`` (default: a temporary SQLite file) as env.py's ``sqlalchemy.url``, checked empty.

    ``check_empty=False`` leaves the check to the caller's own run (see
    :func:`require_empty`), which saves an env.py run of its own.

    Raises:
        ScratchDatabaseError: the database has revisions applied, or cannot be read.
    """
    with _database(url) as db_url, _url_option(config, db_url):
        if check_empty:
            _require_empty(config, script, db_url)
        yield db_url


def run_online(config: Config, script: ScriptDirectory, steps: StepsFn, destination: str | None) -> None:
    """One online run of env.py whose migration function returns ``steps(heads, context)``."""
    run(config, script, steps, revisions=(None, destination), quiet=True)


def upgrade_to_heads(config: Config, script: ScriptDirectory) -> None:
    run_range(config, script, None, "heads", quiet=True)


def downgrade_to_base(config: Config, script: ScriptDirectory) -> None:
    run_range(config, script, None, "base", downgrade=True, quiet=True)


def reason(exc: BaseException, *, located: bool = False) -> str:
    """The error's first line; for a revision failure its cause, unless ``located`` keeps its file."""
    if isinstance(exc, MigrationFailed) and exc.__cause__ is not None:
        if located:
            return str(exc).splitlines()[0]
        exc = exc.__cause__
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("://")
    if not sep or "@" not in tail:
        return url
    credentials, _, host = tail.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{head}://{user}:***@{host}"


def _require_empty(config: Config, script: ScriptDirectory, url: str) -> None:
    found: list[str] = []

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        found.extend(heads)
        return []

    try:
        run_online(config, script, steps, None)
    except Exception as exc:
        raise ScratchDatabaseError(f"could not read the version table of {safe_url(url)}: {reason(exc)}") from exc
    require_empty(found, url)


def require_empty(heads: Sequence[str], url: str) -> None:
    """Refuse a database at ``heads`` (what its version table holds): the checks need it empty.

    Raises:
        ScratchDatabaseError: ``heads`` is not empty.
    """
    if heads:
        raise ScratchDatabaseError(
            f"needs an empty database; {safe_url(url)} is at {', '.join(heads)} (downgrade it to base or give another URL)"
        )


@contextlib.contextmanager
def _database(url: str | None) -> Iterator[str]:
    if url is not None:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="limbeck-scratch-") as folder:
        yield "sqlite:///" + os.path.join(folder, "scratch.db")


@contextlib.contextmanager
def _url_option(config: Config, url: str) -> Iterator[None]:
    section = config.config_ini_section
    parser = config.file_config
    previous = parser.get(section, "sqlalchemy.url", raw=True, fallback=None) if parser.has_section(section) else None
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    try:
        yield
    finally:
        if previous is None:
            config.remove_main_option("sqlalchemy.url")
        else:
            config.set_main_option("sqlalchemy.url", previous)
