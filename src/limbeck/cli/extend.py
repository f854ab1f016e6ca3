"""``CommandLine``: the standard command line plus commands a program registers (Alembic 1.15.3's API).

Alembic's cookbook builds a program of its own on this ("Extend CommandLine with
custom commands"): ``CommandLine().register_command(fn)`` then ``.main()``.
``fn(config, ...)`` becomes a verb named after the function, its docstring the
help. As in Alembic, its parameters without a default are positional
arguments, and a parameter with a default is an option only when its name is
one of the command line's standard options (``sql``, ``tag``, ``message``, …,
taken from the verbs that have it); any other is not on the command line and
the function is called with ``None`` for it, as Alembic does.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Sequence
from typing import Any, Protocol

import click

from limbeck.cli.base import GlobalOptions, LimbeckCommand
from limbeck.cli.group import VERB_MODULES, cli
from limbeck.cli.run import execute

__all__ = ["CommandFunction", "CommandLine"]

#: keyword parameters a registered function may take as options (Alembic's standard option names)
STANDARD_OPTIONS = frozenset({
    "template", "message", "sql", "tag", "autogenerate", "head", "splice", "branch_label", "version_path",
    "rev_id", "depends_on", "resolve_dependencies", "verbose", "indicate_current", "purge", "package",
    "rev_range", "check_heads",
})


class CommandFunction(Protocol):
    """A function registered as a command: named, taking the ``Config`` first."""

    __name__: str

    def __call__(self, config: Any, *args: Any, **kwargs: Any) -> Any: ...


class CommandLine:
    """The ``alembic`` / ``limbeck`` command line, extensible with :meth:`register_command`."""

    def __init__(self, prog: str | None = None) -> None:
        self.prog = prog
        self._registered: dict[str, click.Command] = {}

    def register_command(self, fn: CommandFunction) -> None:
        """Add ``fn`` as a verb (its name, its docstring's first paragraph as help)."""
        self._registered[fn.__name__] = _verb_for(fn)

    def main(self, argv: Sequence[str] | None = None) -> None:
        """Run the command line on ``argv`` (default ``sys.argv[1:]``); ends the process as ``limbeck`` does."""
        group = type(cli)(
            name=cli.name, params=cli.params, callback=cli.callback, help=cli.help,
            context_settings=cli.context_settings, commands=dict(self._registered),
        )
        group.main(args=list(argv) if argv is not None else None, prog_name=self.prog)


def _standard_options() -> dict[str, click.Parameter]:
    found: dict[str, click.Parameter] = {}
    for module in dict.fromkeys(VERB_MODULES.values()):
        for command in importlib.import_module(module).COMMANDS:
            for param in command.params:
                if isinstance(param, click.Option) and param.name in STANDARD_OPTIONS:
                    found.setdefault(param.name, param)
    return found


def _verb_for(fn: CommandFunction) -> click.Command:
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    positional = [p.name for p in parameters if p.default is inspect.Parameter.empty]
    keywords = [p.name for p in parameters if p.default is not inspect.Parameter.empty]
    options = _standard_options()
    params: list[click.Parameter] = [click.Argument([name]) for name in positional]
    params += [options[name] for name in keywords if name in options]

    @click.pass_context
    def callback(ctx: click.Context, /, **given: Any) -> None:
        kwargs = {name: given.get(name) for name in [*positional, *keywords]}
        execute(ctx.find_object(GlobalOptions) or GlobalOptions(), fn.__name__, positional, kwargs, ctx.exit, fn)

    doc = inspect.getdoc(fn) or ""
    return LimbeckCommand(fn.__name__, params=params, callback=callback, help=doc.split("\n\n")[0] or None)
