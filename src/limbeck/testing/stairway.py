"""The stairway test: every revision upgraded, downgraded and upgraded again on a real database.

A downgrade that forgets something (an index, a column, a row in the version
table) goes unnoticed until somebody rolls back in production; upgrading the
same revision again right after its downgrade makes the database say so: the
second upgrade fails on what the downgrade left behind. Walking the
revisions in upgrade order, one revision at a time, pins the failure to the
first revision whose round trip breaks.

Each step is one online run of the project's env.py through the command
machinery, with exactly one revision step, so revisions are executed the way
``limbeck upgrade``/``downgrade`` execute them. The database is SQLite in a
temporary file unless a URL is given; env.py gets it as ``sqlalchemy.url``
(the option every generated env.py reads, Alembic's included).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError, MigrationFailed

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import Script, ScriptDirectory

__all__ = ["StairwayFailed", "run_stairway"]

#: the three moves made on each revision, in order: (name, is_upgrade)
PHASES: tuple[tuple[str, bool], ...] = (("upgrade", True), ("downgrade", False), ("upgrade again", True))


class StairwayFailed(CommandError):
    """A revision's upgrade, downgrade or second upgrade failed; the message names its file."""

    located = True

    def __init__(self, message: str, revision: str | None = None, path: str | None = None, phase: str | None = None) -> None:
        super().__init__(message)
        self.revision = revision
        self.path = path
        self.phase = phase


def run_stairway(config: Config, url: str | None = None, *, script: ScriptDirectory | None = None) -> list[str]:
    """Upgrade, downgrade and upgrade again each revision, base first; then downgrade to base.

    Args:
        config: the project's configuration; its ``sqlalchemy.url`` is set to
            the stairway's database while the walk runs, then restored.
        url: the database to walk on, which must be empty (no version table
            rows). Default: SQLite in a temporary file, removed afterwards.
        script: a loaded script directory to reuse (default: from ``config``).

    Returns:
        The revision ids walked, in order.

    Raises:
        StairwayFailed: the first revision whose round trip fails (with its
            file and the move that failed), or a database that is not empty.
    """
    if script is None:
        from limbeck.script import ScriptDirectory

        script = ScriptDirectory.from_config(config)
    order: list[Script] = list(reversed(list(script.walk_revisions())))
    with _database(url) as db_url, _url_option(config, db_url):
        _require_empty(config, script, db_url)
        for revision in order:
            for phase, is_upgrade in PHASES:
                _move(config, script, revision, phase, is_upgrade)
        _downgrade_to_base(config, script)
    return [revision.revision for revision in order]


def _move(config: Config, script: ScriptDirectory, revision: Script, phase: str, is_upgrade: bool) -> None:
    from limbeck.runtime.steps import RevisionStep

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        return [RevisionStep(revision, is_upgrade)]

    target = revision.revision if is_upgrade else _down_target(revision)
    try:
        _online(config, script, steps, target)
    except Exception as exc:
        reason = _reason(exc)
        raise StairwayFailed(
            f"stairway failed at revision {revision.revision} ({revision.path}) on {phase}: {reason}",
            revision.revision, revision.path, phase,
        ) from exc


def _down_target(revision: Script) -> str | None:
    downs = [d for d in (revision._versioned_down_revisions or ()) if d]
    if not downs:
        return "base"
    return downs[0] if len(downs) == 1 else None


def _require_empty(config: Config, script: ScriptDirectory, url: str) -> None:
    found: list[str] = []

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        found.extend(heads)
        return []

    try:
        _online(config, script, steps, None)
    except Exception as exc:
        raise StairwayFailed(f"stairway could not read the version table of {_safe(url)}: {_reason(exc)}") from exc
    if found:
        raise StairwayFailed(
            f"stairway needs an empty database; {_safe(url)} is at {', '.join(found)} "
            "(downgrade it to base or give another URL)"
        )


def _downgrade_to_base(config: Config, script: ScriptDirectory) -> None:
    from limbeck.runtime.steps import downgrade_steps

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        return list(downgrade_steps(script.revision_map, "base", heads))

    try:
        _online(config, script, steps, "base")
    except Exception as exc:
        raise StairwayFailed(f"stairway's final downgrade to base failed: {_reason(exc)}", phase="downgrade to base") from exc


def _online(config: Config, script: ScriptDirectory, steps: Any, destination: str | None) -> None:
    from limbeck.commands.migrate import _run

    _run(config, script, steps, as_sql=False, starting_rev=None, destination_rev=destination, quiet_progress=True)


def _reason(exc: BaseException) -> str:
    """The error's first line; a revision failure's own cause (its file is named already)."""
    if isinstance(exc, MigrationFailed) and exc.__cause__ is not None:
        exc = exc.__cause__
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("://")
    if not sep or "@" not in tail:
        return url
    credentials, _, host = tail.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{head}://{user}:***@{host}"


@contextlib.contextmanager
def _database(url: str | None) -> Iterator[str]:
    if url is not None:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="limbeck-stairway-") as folder:
        yield "sqlite:///" + os.path.join(folder, "stairway.db")


@contextlib.contextmanager
def _url_option(config: Config, url: str) -> Iterator[None]:
    """``sqlalchemy.url`` is ``url`` inside the block, and what it was afterwards."""
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
