"""Commands that move a database: upgrade, downgrade, stamp, current, ensure_version.

Each turns its arguments into one :class:`~limbeck.runtime.options.RunOptions`
(which checks them), builds the step function the migration context calls
with the database's current heads, and runs the project's env.py through
:mod:`limbeck.runtime.run`, exactly as Alembic's commands do, so env.py files
written for Alembic see the same calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from limbeck.commands import check_format, print_revisions_json, script_directory
from limbeck.errors import CommandError, DatabaseNotAtHead

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.runtime.options import RunOptions
    from limbeck.script import ScriptDirectory


def _migrate(config: Config, revision: str, plan: Any, options: RunOptions, *, needs_range: bool) -> None:
    """What upgrade and downgrade share; ``plan(revision_map, destination, heads)`` gives the steps."""
    from limbeck.runtime.gcpolicy import paused_until_steps

    with paused_until_steps():
        _migrate_run(config, revision, plan, options, needs_range=needs_range)


def _migrate_run(config: Config, revision: str, plan: Any, options: RunOptions, *, needs_range: bool) -> None:
    script = script_directory(config)
    starting_rev, destination = options.split_range(revision)
    if needs_range and options.sql and starting_rev is None and not options.from_db:
        raise CommandError("downgrade with --sql requires <fromrev>:<torev>")
    compiles = not options.from_db and (options.sql or not needs_range)
    scan = script.prefetch(code=compiles)
    # the review tools and the runtime load only for a run (`limbeck heads` imports this module), and
    # only now: they import SQLAlchemy, which is the time the children above have to do their work
    from limbeck.review.offline import OfflineRun
    from limbeck.runtime.run import run

    review = OfflineRun(config, options)
    if scan is not None:
        scan.wait()
    starting_rev = review.starting_rev(script, starting_rev)

    planned: _Planned | None = None

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        nonlocal planned
        rmap = script.revision_map
        if planned is not None and planned.rmap is rmap and planned.heads == tuple(heads):
            ready, planned = planned.steps, None  # planned already, from the same map and heads
            return ready
        return list(plan(rmap, destination, heads))

    if compiles:
        planned = _precompile(script, plan, destination, starting_rev)
    run(config, script, review.steps(steps), options, revisions=(starting_rev, destination), hooks=review.hooks())
    review.finish(script)


class _Planned(NamedTuple):
    """The steps planned before env.py ran, for the heads and revision map they were planned from."""

    rmap: Any
    heads: tuple[str, ...]
    steps: list[Any]


def _precompile(script: ScriptDirectory, plan: Any, destination: str, starting_rev: str | None) -> _Planned | None:
    """Plan the run, and have the revision files it imports compiled on another core.

    The compile usually started already, before SQLAlchemy was imported
    (:meth:`ScriptDirectory.prefetch`); this starts it where it did
    not (the map had been read before) and stops it when the run has no
    step, so nothing is imported. The parent meanwhile runs env.py (see
    :mod:`limbeck.script.precompile`). A run with any step imports every
    revision file, in file order, before the first one (as Alembic; see
    :func:`limbeck.runtime.runner._import_revisions`); offline the start is
    known, an online upgrade assumes an empty database (a child whose files
    are not needed is stopped at the end). This only ever saves time: any
    error here means no prefetch, and the run itself reports it.

    Returns the steps it planned to find out whether there are any (None
    after an error): an offline run starts from the same heads, and planning
    a long range is not free (the topological sort of the whole map), so
    the step function takes them instead of planning again.
    """
    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.steps import offline_start
    from limbeck.script.codecache import prefetch_files, stop_prefetches

    try:
        rmap = script.revision_map
        heads = offline_start(rmap, starting_rev)
        planned = _Planned(rmap, tuple(heads), list(plan(rmap, destination, heads)))
        paths = [revision.path for revision in script.revision_scripts() if not revision.module_loaded]
    except Exception:  # noqa: BLE001 - the run reports whatever went wrong here
        return None
    if planned.steps:
        prefetch_files(paths)
    else:
        stop_prefetches()
    return planned


def _jobs(config: Config, sql: bool, given: int | None) -> int | None:
    """``--jobs`` (else the config file's ``offline_jobs``, else serial) for a ``--sql`` run; ``given`` as is otherwise."""
    if not sql:
        return given  # RunOptions refuses --jobs without --sql
    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.parallel import configured_jobs

    return configured_jobs(config, given)


def upgrade(
    config: Config, revision: str, sql: bool = False, tag: str | None = None, dialect: str | None = None,
    validate: bool = False, from_db: bool = False, guard: bool = False, keep_going: bool = False,
    validate_on: str | None = None, jobs: int | None = None,
) -> None:
    """Upgrade to ``revision`` (``start:end`` renders a range with ``--sql``).

    ``validate``, ``validate_on``, ``from_db``, ``guard``, ``keep_going`` and ``jobs`` apply to ``--sql``
    (see :class:`limbeck.review.offline.OfflineRun`).
    """
    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.options import RunOptions
    from limbeck.runtime.steps import upgrade_steps

    options = RunOptions(
        sql=sql, dialect=dialect, tag=tag, keep_going=keep_going, validate=validate, validate_on=validate_on,
        from_db=from_db, guard=guard, jobs=_jobs(config, sql, jobs),
    )
    _migrate(config, revision, upgrade_steps, options, needs_range=False)


def downgrade(
    config: Config, revision: str, sql: bool = False, tag: str | None = None, dialect: str | None = None,
    validate: bool = False, from_db: bool = False, guard: bool = False, keep_going: bool = False,
    validate_on: str | None = None, jobs: int | None = None,
) -> None:
    """Downgrade to ``revision``; with ``--sql`` it must be a ``start:end`` range (or ``--from-db``)."""
    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.options import RunOptions
    from limbeck.runtime.steps import downgrade_steps

    options = RunOptions(
        sql=sql, dialect=dialect, tag=tag, keep_going=keep_going, validate=validate, validate_on=validate_on,
        from_db=from_db, guard=guard, jobs=_jobs(config, sql, jobs),
    )
    _migrate(config, revision, downgrade_steps, options, needs_range=True)


def stamp(
    config: Config,
    revision: str | Sequence[str],
    sql: bool = False,
    tag: str | None = None,
    purge: bool = False,
    dialect: str | None = None,
) -> None:
    """Set the version table to ``revision`` (one or several) without running migrations."""
    # the review tools and the runtime load only for a run: `limbeck heads` imports this module
    from limbeck.review.offline import OfflineRun
    from limbeck.runtime.options import RunOptions
    from limbeck.runtime.run import run
    from limbeck.runtime.steps import stamp_steps

    options = RunOptions(sql=sql, dialect=dialect, tag=tag, purge=purge)
    script = script_directory(config)
    targets: list[str] = []
    starting_rev = None
    for item in [revision] if isinstance(revision, str) else list(revision):
        start, end = options.split_range(item)
        if start is not None:
            if starting_rev is not None and start != starting_rev:
                raise CommandError("Stamp operation with --sql only supports a single starting revision at a time")
            starting_rev = start
        targets.append(end)

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        return stamp_steps(script.revision_map, targets, heads)

    review = OfflineRun(config, options)  # the script check of every --sql run
    run(config, script, steps, options, revisions=(starting_rev, tuple(targets)), hooks=review.hooks())
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

    # the runtime loads only for a run: `limbeck heads` imports this module
    from limbeck.runtime.run import run

    run(config, script, show, read_only=True)


def _current_scripts(script: ScriptDirectory, heads: Sequence[str]) -> list[Any]:
    # the runtime loads only for a run: `limbeck heads` imports this module
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
    # the review tools and the runtime load only for a run: `limbeck heads` imports this module
    from limbeck.review.offline import OfflineRun
    from limbeck.runtime.options import RunOptions
    from limbeck.runtime.run import run

    options = RunOptions(sql=sql, dialect=dialect)
    script = script_directory(config)

    def create(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        context.ensure_version_table()
        return []

    review = OfflineRun(config, options)  # the script check of every --sql run
    run(config, script, create, options, hooks=review.hooks())
    review.finish(script)
