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
import inspect
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from limbeck.errors import LimbeckError

if TYPE_CHECKING:
    from limbeck.config import Config

__all__ = [
    "USER_ERRORS",
    "GlobalOptions",
    "build_config",
    "fail",
    "is_user_error",
    "make_cmd_opts",
    "run_command",
]

#: Exceptions reported as one ``FAILED:`` line rather than a traceback. ``OSError`` is here
#: because a missing permission or a full disk is the user's to fix, not a limbeck bug.
USER_ERRORS: tuple[type[BaseException], ...] = (LimbeckError, OSError)

#: Verbs whose config file may not exist yet (``init`` creates it).
_CREATES_CONFIG = frozenset({"init", "list_templates"})


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
    from limbeck.config import Config

    ini, toml = _config_paths(options, command_name)
    return Config(
        file_=ini, toml_file=toml, ini_section=options.name, cmd_opts=cmd_opts
    )


def is_user_error(exc: BaseException) -> bool:
    """Whether *exc* is reported as one line rather than a traceback.

    Besides :data:`USER_ERRORS`, SQLAlchemy's own errors raised while env.py connects (a
    bad URL, a missing driver, a database that refuses the connection) are the user's
    to fix. SQLAlchemy is only consulted if it is already imported: checking must not
    load it.
    """
    if isinstance(exc, USER_ERRORS):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError)


def fail(ctx: click.Context, exc: BaseException) -> None:
    """Report *exc* as one ``FAILED: <message>`` line on stderr and exit with its status."""
    if isinstance(exc, LimbeckError):
        message = " ".join(str(exc).split("\n")).strip()
    else:
        # e.g. SQLAlchemy appends a "(Background on this error at: ...)" line
        first = next(
            (line.strip() for line in str(exc).splitlines() if line.strip()), ""
        )
        message = f"{type(exc).__name__}: {first}" if first else ""
    click.echo(f"FAILED: {message or type(exc).__name__}", err=True)
    ctx.exit(int(getattr(exc, "exit_code", 1)))


def run_command(
    ctx: click.Context, command_name: str, positional: Sequence[str] = (), **kwargs: Any
) -> Any:
    """Call ``limbeck.command.<command_name>(config, **kwargs)`` for a verb.

    *positional* names the keyword arguments that are positional on the command line
    (``cmd_opts.cmd[1]`` in Alembic's namespace).
    """
    options = ctx.find_object(GlobalOptions) or GlobalOptions()
    try:
        from limbeck import command

        cmd_opts = make_cmd_opts(options, command_name, positional, kwargs)
        config = build_config(options, command_name, cmd_opts)
        return getattr(command, command_name)(config, **kwargs)
    except Exception as exc:
        if options.raiseerr or not is_user_error(exc):
            raise
        fail(ctx, exc)
    return None
