"""``alembic.config.CommandLine``: Alembic's argparse command line, over limbeck's commands.

Programs built on Alembic parse and run commands through it (``CommandLine().parser``,
``run_cmd(config, options)``, subclasses adding their own sub-commands), so it keeps
Alembic's shape: one sub-parser per command of ``alembic.command``, its positional
arguments and options read from the function's signature, ``options.cmd`` holding
``(function, positional names, keyword names)``. ``limbeck`` itself runs on click
(:mod:`limbeck.cli`); limbeck's own extra options are not offered here.
"""

from __future__ import annotations

import inspect
import os
from argparse import ArgumentParser, Namespace
from collections.abc import Callable, Sequence
from typing import Any

from limbeck.errors import CommandError

#: the commands Alembic's command line offers
COMMANDS = (
    "branches", "check", "current", "downgrade", "edit", "ensure_version", "heads", "history", "init",
    "list_templates", "merge", "revision", "show", "stamp", "upgrade",
)

#: keyword arguments of the commands and their command-line options
_OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "template": (("-t", "--template"), {"default": "generic", "type": str, "help": "template for init"}),
    "message": (("-m", "--message"), {"type": str, "help": "message of the new revision"}),
    "sql": (("--sql",), {"action": "store_true", "help": "write the SQL script to stdout instead of running it"}),
    "tag": (("--tag",), {"type": str, "help": "a tag for env.py (context.get_tag_argument())"}),
    "head": (("--head",), {"type": str, "help": "head (or label@head) the new revision follows"}),
    "splice": (("--splice",), {"action": "store_true", "help": "allow --head to name a revision that is not a head"}),
    "depends_on": (("--depends-on",), {"action": "append", "help": "revision the new one depends on (repeatable)"}),
    "rev_id": (("--rev-id",), {"type": str, "help": "identifier of the new revision"}),
    "version_path": (("--version-path",), {"type": str, "help": "version location to write the file in"}),
    "branch_label": (("--branch-label",), {"type": str, "help": "branch label of the new revision"}),
    "verbose": (("-v", "--verbose"), {"action": "store_true", "help": "print every detail"}),
    "resolve_dependencies": (("--resolve-dependencies",), {"action": "store_true", "help": "count dependencies as down revisions"}),
    "autogenerate": (("--autogenerate",), {"action": "store_true", "help": "fill the revision from comparing the models with the database"}),
    "rev_range": (("-r", "--rev-range"), {"action": "store", "help": "range [start]:[end]"}),
    "indicate_current": (("-i", "--indicate-current"), {"action": "store_true", "help": "mark the database's revisions"}),
    "purge": (("--purge",), {"action": "store_true", "help": "empty the version table first"}),
    "package": (("--package",), {"action": "store_true", "help": "add __init__.py files"}),
    "check_heads": (("--check-heads",), {"action": "store_true", "help": "fail unless the database is at every head"}),
}

#: positional arguments that take several values
_POSITIONAL: dict[str, dict[str, Any]] = {"revisions": {"nargs": "+"}}


class CommandLine:
    """Alembic's command line as an object: ``parser``, ``run_cmd()``, ``main()``."""

    def __init__(self, prog: str | None = None) -> None:
        self._generate_args(prog)

    def _generate_args(self, prog: str | None) -> None:
        from limbeck import __version__, command

        parser = ArgumentParser(prog=prog)
        parser.add_argument("--version", action="version", version=f"%(prog)s {_alembic_version(__version__)}")
        parser.add_argument(
            "-c", "--config", type=str, default=os.environ.get("ALEMBIC_CONFIG", "alembic.ini"),
            help="config file ($ALEMBIC_CONFIG, else alembic.ini)",
        )
        parser.add_argument("-n", "--name", type=str, default="alembic", help="section of the config file")
        parser.add_argument("-x", action="append", help="key=value for env.py (context.get_x_argument())")
        parser.add_argument("--raiseerr", action="store_true", help="show the traceback of an error")
        parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but results")
        self._subparsers = parser.add_subparsers()
        self.parser = parser
        for name in COMMANDS:
            self._add_command(name, getattr(command, name))

    def register_command(self, fn: Callable[..., Any]) -> None:
        """Offer ``fn(config, ...)`` as one more sub-command, named after the function.

        As Alembic: arguments without a default are positional, and an argument with a
        default is an option only when it is one of the standard commands' options (others
        reach the function as ``None``).
        """
        self._add_command(fn.__name__, fn, registered=True)

    def _add_command(self, name: str, fn: Callable[..., Any], registered: bool = False) -> None:
        positional, kwarg = _arguments(fn, registered)
        doc = (inspect.getdoc(fn) or "").split("\n\n", 1)[0].replace("\n", " ")
        sub = self._subparsers.add_parser(name, help=doc)
        for arg in kwarg:
            if arg in _OPTIONS:
                flags, spec = _OPTIONS[arg]
                sub.add_argument(*flags, **spec)
        for arg in positional:
            spec = dict(_POSITIONAL.get(arg, {}))
            if name == "stamp" and arg == "revision":
                spec = {"nargs": "+"}  # stamp takes several revisions
            sub.add_argument(arg, **spec)
        sub.set_defaults(cmd=(fn, positional, kwarg))

    def run_cmd(self, config: Any, options: Namespace) -> None:
        """Run the command ``options`` names on ``config``; a failure is Alembic's ``FAILED:`` line."""
        fn, positional, kwarg = options.cmd
        try:
            fn(config, *[getattr(options, k, None) for k in positional], **{k: getattr(options, k, None) for k in kwarg})
        except CommandError as exc:
            if getattr(options, "raiseerr", False):
                raise
            from limbeck.messaging import err

            err(str(exc), quiet=bool(getattr(options, "quiet", False)))

    def main(self, argv: Sequence[str] | None = None) -> None:
        options = self.parser.parse_args(argv)
        if not hasattr(options, "cmd"):
            # as Alembic: no sub-command is a usage error
            self.parser.error("too few arguments")
        from limbeck.config import Config

        config = Config(file_=options.config, ini_section=options.name, cmd_opts=options)
        self.run_cmd(config, options)


def _arguments(fn: Callable[..., Any], every_keyword: bool = False) -> tuple[list[str], list[str]]:
    """The function's arguments after ``config``: required ones positional, Alembic's options as options.

    A registered function gets every keyword argument, as ``None`` where the command line
    has no option for it (Alembic's rule); limbeck's own commands only Alembic's options, so
    their limbeck-only keywords keep their defaults.
    """
    positional: list[str] = []
    kwarg: list[str] = []
    for param in list(inspect.signature(fn).parameters.values())[1:]:
        if param.kind not in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
            continue
        if param.default is param.empty:
            positional.append(param.name)
        elif every_keyword or param.name in _OPTIONS:
            kwarg.append(param.name)
    return positional, kwarg


def _alembic_version(own: str) -> str:
    """Under ``LIMBECK_AS_ALEMBIC`` the version tools read as Alembic's (README, "Tools built on Alembic")."""
    from limbeck.compat import ALEMBIC_VERSION
    from limbeck.compat.switch import switched_on

    return ALEMBIC_VERSION if switched_on() else own
