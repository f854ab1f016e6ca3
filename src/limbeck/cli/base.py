"""What every verb shares: the global options, building the Config, calling the command.

A verb module (``limbeck.cli.scripts``, ``limbeck.cli.migrate``) declares click commands
whose callbacks do nothing but ``run_command(ctx, "<command name>", **options)``. This
module turns the global options into Alembic's ``cmd_opts`` namespace and a ``Config``,
calls ``limbeck.command.<name>``, and maps user errors to one ``FAILED:`` line on stderr
and the error's exit status (``--raiseerr`` shows the traceback instead).

Import-light on purpose: it is loaded by ``limbeck --help``. ``limbeck.command`` and
``limbeck.config`` are imported only when a verb runs.
"""

from __future__ import annotations

import argparse
import errno
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from limbeck.errors import LimbeckError, MigrationInterrupted

if TYPE_CHECKING:
    from limbeck.config import Config

__all__ = [
    "FORMAT_OPTION",
    "JOBS_OPTION",
    "GlobalOptions",
    "LimbeckCommand",
    "build_config",
    "closed_pipe",
    "fail",
    "make_cmd_opts",
    "run_command",
    "verb",
]

#: ``--jobs N`` of ``upgrade``/``downgrade --sql`` and ``sql`` (see limbeck.runtime.parallel)
JOBS_OPTION = click.option(
    "--jobs", "-j", type=int, default=None, metavar="N",
    help="With --sql: render on N processes (1: serial; 0, the default: the CPUs when the range has enough "
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

#: Verbs whose config file may not exist yet (``init`` creates it).
_CREATES_CONFIG = frozenset({"init", "list_templates"})

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


@dataclass(frozen=True)
class GlobalOptions:
    """The options given before the verb (``limbeck -c x.ini -x a=b heads``)."""

    config: tuple[str, ...] = ()
    name: str | None = None
    x: tuple[str, ...] = ()
    raiseerr: bool = False
    quiet: bool = False


def make_cmd_opts(
    options: GlobalOptions,
    command_name: str,
    positional: Sequence[str],
    verb_options: dict[str, Any],
) -> argparse.Namespace:
    """The ``config.cmd_opts`` object, shaped like the argparse namespace Alembic builds.

    env.py files read ``cmd_opts.x``, ``cmd_opts.quiet`` and sometimes
    ``cmd_opts.cmd[0].__name__`` to learn which command runs, so the same attribute names
    and value shapes (``None`` rather than an empty list) are kept.
    """
    # `limbeck --help` loads the verbs only: the commands load when one runs
    from limbeck import command

    fn = getattr(command, command_name)
    kwarg_names = [
        name
        for name, param in inspect.signature(fn).parameters.items()
        if param.default is not inspect.Parameter.empty
    ]
    return argparse.Namespace(
        config=list(options.config) or None,
        name=options.name,
        x=list(options.x) or None,
        raiseerr=options.raiseerr,
        quiet=options.quiet,
        **verb_options,
        cmd=(fn, list(positional), kwarg_names),
    )


def _config_paths(
    options: GlobalOptions, command_name: str
) -> tuple[str | None, str | None]:
    # `limbeck --help` loads the verbs only: the commands load when one runs
    from limbeck.config import default_config_paths, resolve_config_paths

    if command_name not in _CREATES_CONFIG:
        return resolve_config_paths(options.config)
    # ``init -c new.ini`` names the file it is about to write: no existence check.
    ini, toml = default_config_paths()
    for value in options.config:
        if os.fspath(value).lower().endswith(".toml"):
            toml = value
        else:
            ini = value
    return ini, toml


def build_config(
    options: GlobalOptions, command_name: str, cmd_opts: argparse.Namespace
) -> Config:
    """The Config a command line means: ``-c`` files, else the default discovery."""
    # `limbeck --help` loads the verbs only: the commands load when one runs
    from limbeck.config import Config

    ini, toml = _config_paths(options, command_name)
    return Config(
        file_=ini, toml_file=toml, ini_section=options.name, cmd_opts=cmd_opts
    )


def fail(ctx: click.Context, exc: BaseException, message: str | None = None) -> None:
    """Report *exc* as one ``FAILED: <message>`` line on stderr and exit with its status."""
    if message is None:
        # only once a command failed (it may import SQLAlchemy)
        from limbeck.cli.failures import first_line

        message = " ".join(str(exc).split()) if isinstance(exc, LimbeckError) else first_line(exc)
    click.echo(f"FAILED: {message or type(exc).__name__}", err=True)
    ctx.exit(int(getattr(exc, "exit_code", 1)))


def closed_pipe(ctx: click.Context) -> None:
    """The reader of stdout went away (``limbeck history | head``): end quietly, status 0.

    That is how Alembic ends too. stdout is pointed at the null device so the
    interpreter's last flush has nowhere to fail.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass
    ctx.exit(0)


def _is_closed_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


def run_command(
    ctx: click.Context, command_name: str, positional: Sequence[str] = (), **kwargs: Any
) -> Any:
    """Call ``limbeck.command.<command_name>(config, **kwargs)`` for a verb.

    *positional* names the keyword arguments that are positional on the command line
    (``cmd_opts.cmd[1]`` in Alembic's namespace). Progress goes to stderr while the
    command runs (see :mod:`limbeck.runtime.progress`); whatever fails is reported
    once the progress line is ended.
    """
    # `limbeck --help` loads the verbs only: the commands load when one runs
    from limbeck.runtime.progress import reporting_to

    options = ctx.find_object(GlobalOptions) or GlobalOptions()
    config = None
    try:
        # `limbeck --help` loads the verbs only: the commands load when one runs
        from limbeck import command

        cmd_opts = make_cmd_opts(options, command_name, positional, kwargs)
        config = build_config(options, command_name, cmd_opts)
        with reporting_to(sys.stderr):
            return getattr(command, command_name)(config, **kwargs)
    except MigrationInterrupted as exc:
        if options.raiseerr:
            raise
        fail(ctx, exc, str(exc))
    except Exception as exc:
        if _is_closed_pipe(exc):
            closed_pipe(ctx)
        if options.raiseerr:
            raise
        # only once a command failed (it may import SQLAlchemy)
        from limbeck.cli.failures import describe_failure

        message = describe_failure(exc, config)
        if message is None:
            raise
        fail(ctx, exc, message)
    return None
