"""What every verb shares: the click command class, common options, and :func:`run_command`.

A verb module (``limbeck.cli.scripts``, ``limbeck.cli.migrate``) declares click commands
whose callbacks do nothing but ``run_command(ctx, "<command name>", **options)``, which
hands the parsed options to :func:`limbeck.cli.run.execute` (building the Config,
calling the command, reporting failures).

Import-light on purpose: it is loaded by ``limbeck --help``. ``limbeck.command`` and
``limbeck.config`` are imported only when a verb runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import click

from limbeck.cli.run import GlobalOptions, build_config, execute, make_cmd_opts

__all__ = [
    "FORMAT_OPTION",
    "JOBS_OPTION",
    "GlobalOptions",
    "LimbeckCommand",
    "build_config",
    "make_cmd_opts",
    "run_command",
    "verb",
]

#: ``--jobs N`` of ``upgrade``/``downgrade --sql`` and ``sql`` (see limbeck.runtime.parallel)
JOBS_OPTION = click.option(
    "--jobs", "-j", type=int, default=None, metavar="N",
    help="With --sql: render on N processes (1, the default: serial; 0: the CPUs when the range has enough "
    "to render to gain; config: offline_jobs). The script is the same.",
)

#: ``--format`` of heads, history, current and branches.
FORMAT_OPTION = click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json prints a list of revision objects (limbeck addition).",
)

#: What argparse (Alembic's parser) takes for a negative number rather than an option.
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")
#: Put before a negative number while click parses; no command-line word can contain NUL.
_MARK = "\0"


class LimbeckCommand(click.Command):
    """A verb that reads ``-1`` as a value, as Alembic's command line does (``downgrade -1``).

    argparse takes a word that looks like a negative number for a value
    whenever no option of the parser looks like one; click takes it for an
    unknown option. Before click parses, each such word (up to a ``--``) gets
    a NUL in front, which no real argument can contain, and the parsed values
    lose it again, so every argument and option value accepts ``-1``, ``-2``
    exactly where Alembic does, and everything else parses as click always did.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        marked = list(args)
        end = marked.index("--") if "--" in marked else len(marked)
        for index in range(end):
            if _NEGATIVE_NUMBER.match(marked[index]):
                marked[index] = _MARK + marked[index]
        try:
            rest = super().parse_args(ctx, marked)
        except click.UsageError as exc:
            # click declares ``message`` Final; whichever UsageError subclass was raised keeps its own wording
            exc.message = exc.message.replace(_MARK, "").replace(repr(_MARK)[1:-1], "")  # type: ignore[misc]
            raise
        ctx.params = {key: _unmark(value) for key, value in ctx.params.items()}
        return [_unmark(arg) for arg in rest]


def _unmark(value: Any) -> Any:
    if isinstance(value, str):
        return value[1:] if value.startswith(_MARK) else value
    if isinstance(value, (tuple, list)):
        return type(value)(_unmark(item) for item in value)
    return value


def verb(name: str, **kwargs: Any) -> Callable[[Callable[..., Any]], LimbeckCommand]:
    """``click.command(name)`` for a limbeck verb (see :class:`LimbeckCommand`)."""
    return click.command(name, cls=LimbeckCommand, **kwargs)


def run_command(
    ctx: click.Context, command_name: str, positional: Sequence[str] = (), **kwargs: Any
) -> Any:
    """Call ``limbeck.command.<command_name>(config, **kwargs)`` for a verb (see
    :func:`limbeck.cli.run.execute`); a failure ends the click context with its status."""
    options = ctx.find_object(GlobalOptions) or GlobalOptions()
    return execute(options, command_name, positional, kwargs, ctx.exit)
