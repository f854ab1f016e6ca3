"""Review verbs: ``sql``, ``verify``, ``lint``, ``plan`` (limbeck additions; Alembic has none).

Callbacks only forward to ``limbeck.command``; see :mod:`limbeck.commands.review`.
"""

from __future__ import annotations

import click

from limbeck.cli.base import JOBS_OPTION, run_command, verb

__all__ = ["COMMANDS"]

_RANGE = click.argument("revision_range", metavar="[RANGE]", required=False)


@verb("sql")
@_RANGE
@click.option("--output-dir", required=True, metavar="DIR", help="Folder for the SQL files and the manifest.")
@click.option("--dialect", multiple=True, metavar="NAME", help="Render for this dialect; repeat for several (default: the configured one).")
@click.option(
    "--keep-going", is_flag=True,
    help="Write the files even when a revision cannot be rendered offline (marked NOT RENDERED; exit status 1).",
)
@JOBS_OPTION
@click.pass_context
def sql_cmd(
    ctx: click.Context, revision_range: str | None, output_dir: str, dialect: tuple[str, ...], keep_going: bool,
    jobs: int | None,
) -> None:
    """Write per-revision upgrade and rollback SQL, combined scripts and a manifest."""
    run_command(
        ctx, "sql", ("revision_range",), revision_range=revision_range, output_dir=output_dir, dialect=list(dialect),
        keep_going=keep_going, jobs=jobs,
    )


@verb("verify")
@click.argument("directory", metavar="DIR")
@click.pass_context
def verify_cmd(ctx: click.Context, directory: str) -> None:
    """Check that DIR's approved SQL is still what the revisions compile to."""
    run_command(ctx, "verify", ("directory",), directory=directory)


@verb("lint")
@_RANGE
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--dialect", default=None, metavar="NAME", help="Lint the SQL of this dialect (default: the configured one).")
@click.pass_context
def lint_cmd(ctx: click.Context, revision_range: str | None, format_: str, dialect: str | None) -> None:
    """Check the range's statements for dangerous changes; exit 1 on errors."""
    run_command(ctx, "lint", ("revision_range",), revision_range=revision_range, format=format_, dialect=dialect)


@verb("plan")
@_RANGE
@click.option("--format", "format_", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--dialect", default=None, metavar="NAME", help="Plan for this dialect (default: the configured one).")
@click.option("--validate-on", default=None, metavar="URL", help="Also run the whole script on this scratch database.")
@click.pass_context
def plan_cmd(ctx: click.Context, revision_range: str | None, format_: str, dialect: str | None, validate_on: str | None) -> None:
    """Print the plan for a change ticket: revisions, statements, locks, lint, validation, manifest hash."""
    run_command(
        ctx, "plan", ("revision_range",), revision_range=revision_range, format=format_, dialect=dialect,
        validate_on=validate_on,
    )


COMMANDS = (sql_cmd, verify_cmd, lint_cmd, plan_cmd)
