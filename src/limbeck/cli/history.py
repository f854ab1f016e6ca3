"""Verbs that keep a long history manageable: ``tag``, ``squash``, ``check-squash`` (limbeck additions).

Callbacks only forward to ``limbeck.command``; see :mod:`limbeck.commands.tags`
and :mod:`limbeck.commands.squash`.
"""

from __future__ import annotations

import click

from limbeck.cli.base import run_command, verb

__all__ = ["COMMANDS"]


@verb("tag")
@click.argument("name", required=False)
@click.argument("revision", required=False, default="head")
@click.option("--delete", is_flag=True, help="Remove the tag NAME.")
@click.option("--force", is_flag=True, help="Move NAME to REVISION when it already names another one.")
@click.pass_context
def tag_cmd(ctx: click.Context, name: str | None, revision: str, delete: bool, force: bool) -> None:
    """Tag REVISION (default: head) as NAME in tags.txt beside versions/; without NAME, list the tags.

    Every command that takes a revision takes a tag: limbeck sql v2.2:v2.3, limbeck history -r v2.2:
    """
    run_command(ctx, "tag", ("tag_name", "revision"), tag_name=name, revision=revision, delete=delete, force=force)


@verb("squash")
@click.argument("revision_range", metavar="base:REV")
@click.option("-m", "--message", default=None, help="Message of the checkpoint.")
@click.option(
    "--url", default=None, metavar="URL",
    help="Empty scratch database to build the schema in (default: a temporary SQLite file).",
)
@click.option("--schema", "schemas", multiple=True, metavar="NAME", help="Also squash this schema's tables; repeatable.")
@click.pass_context
def squash_cmd(
    ctx: click.Context, revision_range: str, message: str | None, url: str | None, schemas: tuple[str, ...]
) -> None:
    """Write one checkpoint that builds the schema of REV from nothing, replacing every revision up to REV.

    A fresh database runs the checkpoint alone; databases at or inside the range keep their revisions.
    """
    run_command(
        ctx, "squash", ("revision_range",), revision_range=revision_range, message=message, url=url,
        schemas=list(schemas),
    )


@verb("check-squash")
@click.argument("revision", required=False)
@click.option(
    "--url", "urls", multiple=True, metavar="URL",
    help="Empty scratch database to compare on; repeatable (default: a temporary SQLite file).",
)
@click.option("--schema", "schemas", multiple=True, metavar="NAME", help="Also compare this schema's tables; repeatable.")
@click.pass_context
def check_squash_cmd(ctx: click.Context, revision: str | None, urls: tuple[str, ...], schemas: tuple[str, ...]) -> None:
    """Prove a checkpoint (default: every one) builds what its replaced revisions build, by schema dump."""
    run_command(ctx, "check_squash", ("revision",), revision=revision, urls=list(urls), schemas=list(schemas))


COMMANDS = (tag_cmd, squash_cmd, check_squash_cmd)
