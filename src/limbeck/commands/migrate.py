"""Commands that move a database: upgrade, downgrade, stamp, current, ensure_version.

Each builds the step function the migration context calls with the
database's current heads, enters an EnvironmentContext with the command's
arguments, and runs the project's env.py, exactly as Alembic's commands do,
so env.py files written for Alembic see the same calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limbeck.commands import (
    check_format,
    print_revisions_json,
    run_env,
    script_directory,
)
from limbeck.errors import CommandError, DatabaseNotAtHead

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory


def _check_dialect(dialect: str | None, sql: bool) -> None:
    if dialect is None:
        return
    if not sql:
        raise CommandError("--dialect renders for another database and needs --sql")
    from sqlalchemy.dialects import registry
    from sqlalchemy.exc import NoSuchModuleError

    try:
        registry.load(dialect.replace("+", "."))
    except NoSuchModuleError:
        raise CommandError(f"--dialect: unknown SQLAlchemy dialect '{dialect}'") from None


def _run(config: Config, script: ScriptDirectory, fn: Any, **opts: Any) -> None:
    dialect = opts.pop("dialect", None)
    if dialect:
        opts["dialect_override"] = dialect
    run_env(config, script, fn, **opts)


def _split_range(revision: str, sql: bool) -> tuple[str | None, str]:
    if ":" not in revision:
        return None, revision
    if not sql:
        raise CommandError("Range revision not allowed")
    start, _, end = revision.partition(":")
    return start or None, end


def _migrate(
    config: Config, revision: str, plan: Any, *, sql: bool, tag: str | None, dialect: str | None,
    validate: bool, from_db: bool, guard: bool, keep_going: bool, needs_range: bool, validate_on: str | None = None,
) -> None:
    """What upgrade and downgrade share; ``plan(revision_map, destination, heads)`` gives the steps."""
    from limbeck.commands.review import OfflineRun

    _check_dialect(dialect, sql)
    review = OfflineRun(
        config, sql=sql, validate=validate, guard=guard, keep_going=keep_going, from_db=from_db, dialect=dialect,
        validate_on=validate_on,
    )
    script = script_directory(config)
    starting_rev, destination = _split_range(revision, sql)
    if needs_range and sql and starting_rev is None and not from_db:
        raise CommandError("downgrade with --sql requires <fromrev>:<torev>")
    _overlap_start_up(script)
    starting_rev = review.starting_rev(script, starting_rev)

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        return list(plan(script.revision_map, destination, heads))

    if not from_db and (sql or not needs_range):
        _precompile(script, plan, destination, starting_rev)
    _run(
        config, script, review.steps(steps), as_sql=sql, starting_rev=starting_rev, destination_rev=destination,
        tag=tag, dialect=dialect, **review.context_opts(),
    )
    review.finish(script)


def _overlap_start_up(script: ScriptDirectory) -> None:
    """Import SQLAlchemy while another core reads the revision headers.

    env.py imports SQLAlchemy anyway; doing it first gives a child (see
    :mod:`limbeck.script.precompile`) the time to fill a cold header cache,
    so the revision map is then built from the cache.
    """
    scan = script.prefetch_headers()
    import sqlalchemy  # noqa: F401

    if scan is not None:
        scan.wait()


def _precompile(script: ScriptDirectory, plan: Any, destination: str, starting_rev: str | None) -> None:
    """Start compiling the revision files this run is about to import, on another core.

    The parent meanwhile imports SQLAlchemy and runs env.py (see
    :mod:`limbeck.script.precompile`). A run with any step imports every
    revision file, in file order, before the first one (as Alembic; see
    :func:`limbeck.runtime.runner._import_revisions`); offline the start is
    known, an online upgrade assumes an empty database (a child whose files
    are not needed is stopped at the end). This only ever saves time: any
    error here means no prefetch, and the run itself reports it.
    """
    import os

    from limbeck.runtime.steps import offline_start
    from limbeck.script.codecache import code_cache

    try:
        rmap = script.revision_map
        if not any(True for _ in plan(rmap, destination, offline_start(rmap, starting_rev))):
            return
        paths: dict[str, list[str]] = {}
        for revision in script.revision_scripts():
            if not revision.module_loaded:
                folder, name = os.path.split(revision.path)
                paths.setdefault(folder or os.curdir, []).append(os.path.join(folder, name))
    except Exception:  # noqa: BLE001 - the run reports whatever went wrong here
        return
    for folder, files in paths.items():
        cache = code_cache(folder)
        if cache is not None:
            cache.prefetch(files)


def upgrade(
    config: Config, revision: str, sql: bool = False, tag: str | None = None, dialect: str | None = None,
    validate: bool = False, from_db: bool = False, guard: bool = False, keep_going: bool = False,
    validate_on: str | None = None,
) -> None:
    """Upgrade to ``revision`` (``start:end`` renders a range with ``--sql``).

    ``validate``, ``validate_on``, ``from_db``, ``guard`` and ``keep_going`` apply to ``--sql``
    (see :class:`limbeck.commands.review.OfflineRun`).
    """
    from limbeck.runtime.steps import upgrade_steps

    _migrate(
        config, revision, upgrade_steps, sql=sql, tag=tag, dialect=dialect, validate=validate,
        from_db=from_db, guard=guard, keep_going=keep_going, needs_range=False, validate_on=validate_on,
    )


def downgrade(
    config: Config, revision: str, sql: bool = False, tag: str | None = None, dialect: str | None = None,
    validate: bool = False, from_db: bool = False, guard: bool = False, keep_going: bool = False,
    validate_on: str | None = None,
) -> None:
    """Downgrade to ``revision``; with ``--sql`` it must be a ``start:end`` range (or ``--from-db``)."""
    from limbeck.runtime.steps import downgrade_steps

    _migrate(
        config, revision, downgrade_steps, sql=sql, tag=tag, dialect=dialect, validate=validate,
        from_db=from_db, guard=guard, keep_going=keep_going, needs_range=True, validate_on=validate_on,
    )


def stamp(
    config: Config,
    revision: str | Sequence[str],
    sql: bool = False,
    tag: str | None = None,
    purge: bool = False,
    dialect: str | None = None,
) -> None:
    """Set the version table to ``revision`` (one or several) without running migrations."""
    from limbeck.runtime.steps import stamp_steps

    if sql and purge:
        raise CommandError("Can't use --purge with --sql mode")
    _check_dialect(dialect, sql)
    script = script_directory(config)
    targets: list[str] = []
    starting_rev = None
    for item in [revision] if isinstance(revision, str) else list(revision):
        start, end = _split_range(item, sql)
        if start is not None:
            if starting_rev is not None and start != starting_rev:
                raise CommandError("Stamp operation with --sql only supports one starting revision at a time")
            starting_rev = start
        targets.append(end)

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        return stamp_steps(script.revision_map, targets, heads)

    from limbeck.commands.review import OfflineRun

    review = OfflineRun(config, sql=sql)  # the script check of every --sql run
    _run(
        config, script, steps, as_sql=sql, starting_rev=starting_rev, destination_rev=tuple(targets),
        tag=tag, purge=purge, dialect=dialect, **review.context_opts(),
    )
    review.finish(script)


def current(config: Config, check_heads: bool = False, verbose: bool = False, format: str = "text") -> None:
    """Print the revision(s) the database is at; ``format="json"`` prints a JSON list."""
    check_format(format)
    script = script_directory(config)

    def show(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        if verbose and format == "text":
            config.print_stdout("Current revision(s) for %s:", _describe_url(context))
        if check_heads and set(script.get_heads()) != set(heads):
            raise DatabaseNotAtHead("Database is not on all head revisions")
        scripts = _current_scripts(script, heads)
        if format == "json":
            print_revisions_json(config, scripts, heads)
            return []
        for rev in scripts:
            config.print_stdout(rev.cmd_format(verbose))
        return []

    _run(config, script, show, dont_mutate=True)


def _current_scripts(script: ScriptDirectory, heads: Sequence[str]) -> list[Any]:
    from limbeck.runtime.steps import revision_errors

    with revision_errors(heads):
        # a set in Alembic (order varies run to run); sorted here so output is stable
        return sorted(script.get_all_current(tuple(heads)), key=lambda s: s.revision)


def _describe_url(context: MigrationContext) -> str:
    bind = context.connection
    if bind is not None:
        return bind.engine.url.render_as_string(hide_password=True)
    return context.dialect.name


def ensure_version(config: Config, sql: bool = False, dialect: str | None = None) -> None:
    """Create the version table if it does not exist yet."""
    _check_dialect(dialect, sql)
    script = script_directory(config)

    def create(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        context._ensure_version_table()
        return []

    from limbeck.commands.review import OfflineRun

    review = OfflineRun(config, sql=sql)  # the script check of every --sql run
    _run(config, script, create, as_sql=sql, dialect=dialect, **review.context_opts())
    review.finish(script)
