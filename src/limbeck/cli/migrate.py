"""Verbs that move or read a database: upgrade, downgrade, stamp, current, ensure_version.

Names and flags are Alembic's, plus ``--dialect`` (render ``--sql`` for another
database without editing the config or env.py). Callbacks only forward to
``limbeck.command``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from limbeck.cli.base import run_command, verb

__all__ = ["COMMANDS"]

_SQL = click.option("--sql", is_flag=True, help="Don't emit SQL to the database; dump it to standard output instead.")
_TAG = click.option("--tag", default=None, help="Arbitrary 'tag' name, for custom env.py scripts.")
_DIALECT = click.option(
    "--dialect",
    default=None,
    metavar="NAME",
    help="With --sql: render for this SQLAlchemy dialect (postgresql, mssql, ...) instead of the configured one.",
)




def _review_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--validate``, ``--from-db``, ``--guard``, ``--keep-going`` (limbeck additions for ``--sql``)."""
    for option in reversed(
        (
            click.option("--validate", is_flag=True, help="With --sql: check every statement with sqlglot; summary on stderr."),
            click.option("--from-db", is_flag=True, help="With --sql: start from the live database's version table (read only)."),
            click.option("--guard", is_flag=True, help="With --sql: begin the script with a check of the version table."),
            click.option("--keep-going", is_flag=True, help="With --sql: mark revisions that cannot be rendered and go on."),
        )
    ):
        fn = option(fn)
    return fn


@verb("upgrade")
@click.argument("revision")
@_SQL
@_TAG
@_DIALECT
@_review_options
@click.pass_context
def upgrade_cmd(ctx: click.Context, revision: str, sql: bool, tag: str | None, dialect: str | None, **review: bool) -> None:
    """Upgrade to a later version."""
    run_command(ctx, "upgrade", ("revision",), revision=revision, sql=sql, tag=tag, dialect=dialect, **review)


@verb("downgrade")
@click.argument("revision")
@_SQL
@_TAG
@_DIALECT
@_review_options
@click.pass_context
def downgrade_cmd(ctx: click.Context, revision: str, sql: bool, tag: str | None, dialect: str | None, **review: bool) -> None:
    """Revert to a previous version."""
    run_command(ctx, "downgrade", ("revision",), revision=revision, sql=sql, tag=tag, dialect=dialect, **review)


@verb("stamp")
@click.argument("revisions", nargs=-1, required=True)
@_SQL
@_TAG
@click.option("--purge", is_flag=True, help="Unconditionally erase the version table before stamping.")
@_DIALECT
@click.pass_context
def stamp_cmd(
    ctx: click.Context, revisions: tuple[str, ...], sql: bool, tag: str | None, purge: bool, dialect: str | None
) -> None:
    """'stamp' the revision table with the given revision; don't run any migrations."""
    run_command(
        ctx, "stamp", ("revision",), revision=list(revisions), sql=sql, tag=tag, purge=purge, dialect=dialect
    )


@verb("current")
@click.option("-v", "--verbose", is_flag=True, help="Use more verbose output.")
@click.option("--check-heads", is_flag=True, help="Fail unless the database is at every head revision.")
@click.pass_context
def current_cmd(ctx: click.Context, verbose: bool, check_heads: bool) -> None:
    """Display the current revision for a database."""
    run_command(ctx, "current", verbose=verbose, check_heads=check_heads)


@verb("ensure_version")
@_SQL
@_DIALECT
@click.pass_context
def ensure_version_cmd(ctx: click.Context, sql: bool, dialect: str | None) -> None:
    """Create the version table if it doesn't exist already."""
    run_command(ctx, "ensure_version", sql=sql, dialect=dialect)


COMMANDS = (upgrade_cmd, downgrade_cmd, stamp_cmd, current_cmd, ensure_version_cmd)
