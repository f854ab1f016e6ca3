"""Verbs that work on the script directory: init, list_templates, revision, merge, heads,
branches, history, show, edit.

Names and flags are Alembic's. Each callback forwards its options to the ``limbeck.command``
function of the same name and holds no logic of its own.
"""

from __future__ import annotations

import click

from limbeck.cli.base import FORMAT_OPTION as _FORMAT
from limbeck.cli.base import run_command, verb

__all__ = ["COMMANDS"]

_VERBOSE = click.option(
    "-v", "--verbose", is_flag=True, help="Use more verbose output."
)
_MESSAGE = click.option(
    "-m", "--message", default=None, help="Message string of the new revision."
)
_BRANCH_LABEL = click.option(
    "--branch-label", default=None, help="Branch label to apply to the new revision."
)
_REV_ID = click.option(
    "--rev-id", default=None, help="Use this revision id instead of generating one."
)
_SPLICE = click.option(
    "--splice",
    is_flag=True,
    help="Allow a non-head revision as the 'head' to splice onto.",
)


@verb("init")
@click.argument("directory")
@click.option(
    "-t",
    "--template",
    default="generic",
    show_default=True,
    help="Template to create the environment from.",
)
@click.option(
    "--package",
    is_flag=True,
    help="Write empty __init__.py files in the environment and versions folders.",
)
@click.pass_context
def init_cmd(ctx: click.Context, directory: str, template: str, package: bool) -> None:
    """Initialize a new scripts directory."""
    run_command(
        ctx,
        "init",
        ("directory",),
        directory=directory,
        template=template,
        package=package,
    )


@verb("list_templates")
@click.pass_context
def list_templates_cmd(ctx: click.Context) -> None:
    """List available templates."""
    run_command(ctx, "list_templates")


@verb("revision")
@_MESSAGE
@click.option(
    "--autogenerate",
    is_flag=True,
    help="Compare the models (env.py target_metadata) with the database and write the operations.",
)
@click.option(
    "--sql",
    is_flag=True,
    help="Run env.py offline (needs revision_environment = true).",
)
@click.option(
    "--head",
    default=None,
    help="Head revision or <branchname>@head to base the new revision on.",
)
@_SPLICE
@_BRANCH_LABEL
@click.option(
    "--version-path",
    default=None,
    help="Version location (from the config) to write the file in.",
)
@_REV_ID
@click.option(
    "--depends-on", multiple=True, help="Revision the new one depends on; repeatable."
)
@click.pass_context
def revision_cmd(
    ctx: click.Context,
    message: str | None,
    autogenerate: bool,
    sql: bool,
    head: str | None,
    splice: bool,
    branch_label: str | None,
    version_path: str | None,
    rev_id: str | None,
    depends_on: tuple[str, ...],
) -> None:
    """Create a new revision file."""
    run_command(
        ctx,
        "revision",
        message=message,
        autogenerate=autogenerate,
        sql=sql,
        head=head or "head",
        splice=splice,
        branch_label=branch_label,
        version_path=version_path,
        rev_id=rev_id,
        depends_on=list(depends_on) or None,
    )


@verb("merge")
@click.argument("revisions", nargs=-1, required=True)
@_MESSAGE
@_BRANCH_LABEL
@_REV_ID
@_SPLICE
@click.pass_context
def merge_cmd(
    ctx: click.Context,
    revisions: tuple[str, ...],
    message: str | None,
    branch_label: str | None,
    rev_id: str | None,
    splice: bool,
) -> None:
    """Merge two revisions together; creates a new revision file."""
    run_command(
        ctx,
        "merge",
        ("revisions",),
        revisions=list(revisions),
        message=message,
        branch_label=branch_label,
        rev_id=rev_id,
        splice=splice,
    )


@verb("heads")
@_VERBOSE
@click.option(
    "--resolve-dependencies",
    is_flag=True,
    help="Treat dependency versions as down revisions.",
)
@_FORMAT
@click.pass_context
def heads_cmd(
    ctx: click.Context, verbose: bool, resolve_dependencies: bool, format_: str
) -> None:
    """Show current available heads in the script directory."""
    run_command(
        ctx,
        "heads",
        verbose=verbose,
        resolve_dependencies=resolve_dependencies,
        format=format_,
    )


@verb("branches")
@_VERBOSE
@_FORMAT
@click.pass_context
def branches_cmd(ctx: click.Context, verbose: bool, format_: str) -> None:
    """Show current branch points."""
    run_command(ctx, "branches", verbose=verbose, format=format_)


@verb("history")
@click.option(
    "-r", "--rev-range", default=None, help="Revision range; format is [start]:[end]."
)
@_VERBOSE
@click.option(
    "-i",
    "--indicate-current",
    is_flag=True,
    help="Indicate the current revision (reads the database).",
)
@_FORMAT
@click.pass_context
def history_cmd(
    ctx: click.Context,
    rev_range: str | None,
    verbose: bool,
    indicate_current: bool,
    format_: str,
) -> None:
    """List changeset scripts in chronological order."""
    run_command(
        ctx,
        "history",
        rev_range=rev_range,
        verbose=verbose,
        indicate_current=indicate_current,
        format=format_,
    )


@verb("show")
@click.argument("rev")
@click.pass_context
def show_cmd(ctx: click.Context, rev: str) -> None:
    """Show the revision(s) denoted by the given symbol."""
    run_command(ctx, "show", ("rev",), rev=rev)


@verb("edit")
@click.argument("rev")
@click.pass_context
def edit_cmd(ctx: click.Context, rev: str) -> None:
    """Edit revision script(s) using $EDITOR."""
    run_command(ctx, "edit", ("rev",), rev=rev)


COMMANDS: tuple[click.Command, ...] = (
    init_cmd,
    list_templates_cmd,
    revision_cmd,
    merge_cmd,
    heads_cmd,
    branches_cmd,
    history_cmd,
    show_cmd,
    edit_cmd,
)
