"""Running one command for the command line, without click: options in, output and exit status out.

:func:`execute` is what every verb ends in (``limbeck.cli.base.run_command``
hands it the options click parsed) and what ``limbeck heads`` alone runs
(:func:`run_bare`, from :func:`limbeck.cli.main`, which loads no click at
all for the four listings a user runs most). It turns the global options
into Alembic's ``cmd_opts`` namespace and a ``Config``, calls
``limbeck.command.<name>``, and maps user errors to one ``FAILED:`` line on
stderr and the error's exit status (``--raiseerr`` shows the traceback
instead).

Import-light on purpose: ``limbeck.command`` and ``limbeck.config`` are
imported only when a command runs.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from limbeck.errors import LimbeckError, MigrationInterrupted

if TYPE_CHECKING:
    from limbeck.config import Config

__all__ = ["GlobalOptions", "build_config", "execute", "make_cmd_opts", "run_bare"]

#: Verbs whose config file may not exist yet (``init`` creates it).
_CREATES_CONFIG = frozenset({"init", "list_templates"})
#: Commands that never run a migration step (env.py, when they run it, only reads the
#: database's heads): nothing to report progress on, so the progress module (logging,
#: the alembic aliases) is not loaded for them.
_STEPLESS = frozenset({"branches", "heads", "history", "list_templates", "show"})

#: Ends the command with an exit status (``click.Context.exit``, or ``sys.exit``).
Stop = Callable[[int], NoReturn]


class GlobalOptions:
    """The options given before the verb (``limbeck -c x.ini -x a=b heads``).

    A plain class, not a dataclass: it is made on every run, and a dataclass
    costs its module a compile at import.
    """

    __slots__ = ("config", "name", "program", "quiet", "raiseerr", "x")

    def __init__(
        self,
        config: tuple[str, ...] = (),
        name: str | None = None,
        x: tuple[str, ...] = (),
        raiseerr: bool = False,
        quiet: bool = False,
        program: str = "limbeck",
    ) -> None:
        self.config = config
        self.name = name
        self.x = x
        self.raiseerr = raiseerr
        self.quiet = quiet
        #: the name the command runs under: ``alembic`` when Alembic's console script
        #: landed here (``LIMBECK_AS_ALEMBIC=1``), whose ``init`` writes Alembic's file names
        self.program = program

    def __repr__(self) -> str:
        return (
            f"GlobalOptions(config={self.config!r}, name={self.name!r}, x={self.x!r}, "
            f"raiseerr={self.raiseerr!r}, quiet={self.quiet!r}, program={self.program!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GlobalOptions):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, k) for k in self.__slots__))


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
    kwarg_names = defaulted_parameters(fn)
    return argparse.Namespace(
        config=list(options.config) or None,
        name=options.name,
        x=list(options.x) or None,
        raiseerr=options.raiseerr,
        quiet=options.quiet,
        **verb_options,
        cmd=(fn, list(positional), kwarg_names),
    )


def defaulted_parameters(fn: Callable[..., Any]) -> list[str]:
    """The names of ``fn``'s parameters that have a default, in signature order.

    What ``inspect.signature`` says, read from the function's code for a plain
    function: importing :mod:`inspect` (with ``ast``, ``dis`` and ``tokenize``)
    cost every command about 6 ms, a twentieth of a warm ``heads``.
    """
    if type(fn) is not types.FunctionType or hasattr(fn, "__wrapped__") or hasattr(fn, "__signature__"):
        import inspect  # anything else: the real thing

        return [name for name, param in inspect.signature(fn).parameters.items() if param.default is not param.empty]
    code = fn.__code__
    positional = code.co_varnames[: code.co_argcount]
    defaults = len(fn.__defaults__ or ())
    keyword_only = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    kwdefaults = fn.__kwdefaults__ or {}
    return [*positional[len(positional) - defaults :], *(name for name in keyword_only if name in kwdefaults)]


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
    if ini is None and options.program == "alembic":
        ini = "alembic.ini"  # Alembic's command line defaults -c to it; `alembic init` writes it
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


def _fail(stop: Stop, exc: BaseException, message: str | None = None) -> NoReturn:
    """Report *exc* as one ``FAILED: <message>`` line on stderr and exit with its status."""
    # click only once a command failed: `limbeck heads` alone runs without it
    import click

    if message is None:
        # only once a command failed (it may import SQLAlchemy)
        from limbeck.cli.failures import first_line

        message = " ".join(str(exc).split()) if isinstance(exc, LimbeckError) else first_line(exc)
    click.echo(f"FAILED: {message or type(exc).__name__}", err=True)
    stop(int(getattr(exc, "exit_code", 1)))


def _closed_pipe(stop: Stop) -> NoReturn:
    """The reader of stdout went away (``limbeck history | head``): end quietly, status 0.

    That is how Alembic ends too. stdout is pointed at the null device so the
    interpreter's last flush has nowhere to fail.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass
    stop(0)


def _is_closed_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


def execute(
    options: GlobalOptions, command_name: str, positional: Sequence[str], kwargs: Mapping[str, Any], stop: Stop
) -> Any:
    """Call ``limbeck.command.<command_name>(config, **kwargs)`` for a verb.

    *positional* names the keyword arguments that are positional on the command line
    (``cmd_opts.cmd[1]`` in Alembic's namespace). Progress goes to stderr while the
    command runs (see :mod:`limbeck.runtime.progress`); whatever fails is reported
    once the progress line is ended, and *stop* ends the command with its status.
    """
    config = None
    try:
        # `limbeck --help` loads the verbs only: the commands load when one runs
        from limbeck import command

        from limbeck.messaging import command_line_named

        cmd_opts = make_cmd_opts(options, command_name, positional, dict(kwargs))
        config = build_config(options, command_name, cmd_opts)
        with command_line_named(options.program):  # advice printed names the command the user typed
            if command_name in _STEPLESS:
                return getattr(command, command_name)(config, **kwargs)
            # `limbeck --help` loads the verbs only: the commands load when one runs
            from limbeck.runtime.progress import reporting_to

            with reporting_to(sys.stderr):
                return getattr(command, command_name)(config, **kwargs)
    except MigrationInterrupted as exc:
        if options.raiseerr:
            raise
        _fail(stop, exc, str(exc))
    except Exception as exc:
        if _is_closed_pipe(exc):
            _closed_pipe(stop)
        if options.raiseerr:
            raise
        # only once a command failed (it may import SQLAlchemy)
        from limbeck.cli.failures import describe_failure

        message = describe_failure(exc, config)
        if message is None:
            raise
        _fail(stop, exc, message)


def run_bare(command_name: str, kwargs: Mapping[str, Any], options: GlobalOptions) -> NoReturn:
    """``limbeck [global options] <verb>`` with no option of the verb's, as click would run it, without click.

    *kwargs* are the verb's defaults (:data:`limbeck.cli.BARE_VERBS`, checked
    against click's by a test). Ends the process the way click's standalone
    mode does: status 0, a failure's status, or 1 with ``Aborted!`` on Ctrl-C.
    """
    # a listing process keeps what it makes (the revision graph) until it exits: the cyclic
    # collector would only walk it. Paused while the command runs; afterwards (main() may
    # be called in-process) everything is moved to the oldest generation unscanned.
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        execute(options, command_name, (), kwargs, sys.exit)
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted!\n")  # what click prints, after the blank line closing ``^C``
        sys.exit(1)
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
            gc.unfreeze()
    sys.exit(0)
