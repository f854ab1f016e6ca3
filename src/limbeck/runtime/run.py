"""The public run API: one run of the project's env.py, online or offline, with typed options.

Every command that touches a database or renders a script (``upgrade``,
``current``, ``revision --autogenerate``), the review tools (``sql``,
``lint``, ``plan``, ``--validate``, ``--from-db``) and the testing helpers
(stairway, drift) run migrations the same way: enter an
:class:`~limbeck.runtime.environment.EnvironmentContext` with a step
function and run env.py, exactly as Alembic's commands do, so env.py files
written for Alembic see the same calls. They meet here, and only here.

Import-light: ``limbeck heads`` imports the commands, and so this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.runtime.environment import EnvironmentContext
from limbeck.runtime.options import RunOptions
from limbeck.runtime.steps import MigrationStep, downgrade_steps, upgrade_steps

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.migration import MigrationContext
    from limbeck.script import ScriptDirectory

__all__ = ["ContextHook", "RunOptions", "StepsFn", "run", "run_range"]

#: the work of a run: the database's current heads (and its migration context) -> the steps to run
StepsFn = Callable[[Sequence[str], "MigrationContext"], list[Any]]
#: called with each migration context env.py configures (the review tools' recorders and guards)
ContextHook = Callable[["MigrationContext"], None]

#: ``run(revisions=...)`` for a run over no range (``current``: env.py may not ask for the start)
NO_RANGE = None


def run(
    config: Config,
    script: ScriptDirectory,
    steps: StepsFn,
    options: RunOptions | None = None,
    *,
    revisions: tuple[Any, Any] | None = NO_RANGE,
    hooks: Sequence[ContextHook] = (),
    read_only: bool = False,
    quiet: bool = False,
    per_migration: bool = False,
    template_args: dict[str, Any] | None = None,
    revision_context: Any = None,
) -> None:
    """Run the project's env.py with ``steps(heads, migration_context)`` as the work.

    env.py configures (online, or offline with ``options.sql``) and calls
    ``run_migrations()``, which hands ``steps`` the database's current heads;
    the steps it returns are what runs.

    Args:
        revisions: ``(start, destination)`` of the range, what env.py's
            ``get_starting_revision_argument()`` and ``get_revision_argument()`` return.
        hooks: called with every migration context env.py configures.
        read_only: reading the heads must never create the version table (``current``).
        quiet: no progress line (the review tools render in memory, several runs each).
        per_migration: a transaction per revision whatever env.py asks (``limbeck sql``'s files).
        template_args, revision_context: what ``revision`` hands env.py (Alembic's names).
    """
    opts: dict[str, Any] = {"fn": steps}
    if revisions is not NO_RANGE:
        opts["starting_rev"], opts["destination_rev"] = revisions
    if hooks:
        opts["stream_hooks"] = list(hooks)
    if read_only:
        opts["dont_mutate"] = True
    if quiet:
        opts["quiet_progress"] = True
    if per_migration:
        opts["transaction_per_migration"] = True
    if template_args is not None:
        opts["template_args"] = template_args
    if revision_context is not None:
        opts["revision_context"] = revision_context
    with EnvironmentContext(config, script, options=options or RunOptions(), **opts):
        script.run_env()


def range_steps(
    script: ScriptDirectory, destination: Any, *, downgrade: bool = False, planned: list[MigrationStep] | None = None
) -> StepsFn:
    """The steps from the database's heads up (or ``downgrade``: down) to ``destination``.

    ``planned``, when given, collects them as they are planned, so a caller
    still has them when the run then fails.
    """
    plan = downgrade_steps if downgrade else upgrade_steps

    def steps(heads: Sequence[str], context: MigrationContext) -> list[Any]:
        found: list[Any] = list(plan(script.revision_map, destination, heads))
        if planned is not None:
            planned.extend(found)
        return found

    return steps


def run_range(
    config: Config,
    script: ScriptDirectory,
    start: Any,
    destination: Any,
    options: RunOptions | None = None,
    *,
    downgrade: bool = False,
    hooks: Sequence[ContextHook] = (),
    quiet: bool = False,
    per_migration: bool = False,
    planned: list[MigrationStep] | None = None,
) -> list[MigrationStep]:
    """Upgrade (or ``downgrade``) from ``start`` to ``destination``; returns the steps planned.

    Online, ``start`` is where the database is (``None``: read it); offline
    (``options.sql``) it is where the script starts (``None``: base).
    ``planned``, when given, collects the steps as they are planned, so a
    caller still has them when the run then fails.
    """
    planned = planned if planned is not None else []
    steps = range_steps(script, destination, downgrade=downgrade, planned=planned)
    run(
        config, script, steps, options, revisions=(start, destination), hooks=hooks, quiet=quiet,
        per_migration=per_migration,
    )
    return planned
