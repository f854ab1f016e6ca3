"""The ``check`` verb: fail when ``revision --autogenerate`` would write any operation.

``revision --autogenerate`` itself is a flag of the ``revision`` verb
(:mod:`limbeck.cli.scripts`). The callback only forwards to
``limbeck.command.check``.
"""

from __future__ import annotations

import click

from limbeck.cli.base import run_command, verb

__all__ = ["COMMANDS"]


@verb("check")
@click.pass_context
def check_cmd(ctx: click.Context) -> None:
    """Fail if autogenerate finds differences between the models and the database."""
    run_command(ctx, "check")


COMMANDS: tuple[click.Command, ...] = (check_cmd,)
