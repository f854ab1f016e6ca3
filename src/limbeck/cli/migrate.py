"""Verbs that move or read a database: upgrade, downgrade, stamp, current, ensure_version.

Names and flags are Alembic's, plus ``--dialect`` (render ``--sql`` for another
database without editing the config or env.py). Callbacks only forward to
``limbeck.command``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from limbeck.cli.base import FORMAT_OPTION, JOBS_OPTION, run_command, verb

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
    """``--validate``, ``--from-db``, ``--guard``, ``--keep-going``, ``--jobs`` (limbeck additions for ``--sql``)."""
    for option in reversed(
        (
            click.option(
                "--validate", is_flag=True,
                help="With --sql: check every statement (PostgreSQL's parser, SQLite's engine, else sqlglot); summary on stderr.",
            ),
            click.option(
                "--validate-on", metavar="URL", default=None,
                help="With --sql: also run the whole script on this scratch database (rolled back, or a database created and dropped).",
            ),
            click.option("--from-db", is_flag=True, help="With --sql: start from the live database's version table (read only)."),
            click.option("--guard", is_flag=True, help="With --sql: begin the script with a check of the version table."),
            click.option("--keep-going", is_flag=True, help="With --sql: mark revisions that cannot be rendered and go on."),
            JOBS_OPTION,
        )
    ):
        fn = option(fn)
    return fn


#: How a REVISION argument may be written; shown by ``upgrade --help`` and ``downgrade --help``.
REVISION_SYNTAX = """\b
REVISION may be:
  ae1027a6acf      a revision id, or a unique prefix of one (ae10)
  head, heads      the latest revision; every head when there are several
  base             before the first revision
  +2, -1           steps up or down from where the database is
  ae10+2, head-1   steps from a given revision
  branch@head      a branch's head (also branch@base, branch@-1, branch@ae10)
  v2.3             a release tag (limbeck tag, tags.txt beside versions/)
  start:end        with --sql: the range to render, e.g. base:head or ae10:head
"""


@verb("upgrade", epilog=REVISION_SYNTAX)
@click.argument("revision")
@_SQL
@_TAG
@_DIALECT
@_review_options
@click.pass_context
def upgrade_cmd(ctx: click.Context, /, revision: str, sql: bool, tag: str | None, dialect: str | None, **review: Any) -> None:
    """Upgrade to a later version."""
    run_command(ctx, "upgrade", ("revision",), revision=revision, sql=sql, tag=tag, dialect=dialect, **review)


@verb("downgrade", epilog=REVISION_SYNTAX)
@click.argument("revision")
@_SQL
@_TAG
@_DIALECT
@_review_options
@click.pass_context
def downgrade_cmd(ctx: click.Context, /, revision: str, sql: bool, tag: str | None, dialect: str | None, **review: Any) -> None:
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
@FORMAT_OPTION
@click.pass_context
def current_cmd(ctx: click.Context, verbose: bool, check_heads: bool, format_: str) -> None:
    """Display the current revision for a database."""
    run_command(ctx, "current", verbose=verbose, check_heads=check_heads, format=format_)


@verb("ensure_version")
@_SQL
@_DIALECT
@click.pass_context
def ensure_version_cmd(ctx: click.Context, sql: bool, dialect: str | None) -> None:
    """Create the version table if it doesn't exist already."""
    run_command(ctx, "ensure_version", sql=sql, dialect=dialect)


COMMANDS = (upgrade_cmd, downgrade_cmd, stamp_cmd, current_cmd, ensure_version_cmd)
