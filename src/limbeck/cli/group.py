"""The ``limbeck`` click group: global options, then one verb (``limbeck -c x.ini heads``).

Same verbs, flags and output as the ``alembic`` command. The verbs are
declared in the modules of :data:`VERB_MODULES` (each lists its click
commands in a ``COMMANDS`` tuple) and loaded only when one of them is asked
for: ``limbeck heads`` imports the module declaring ``heads``, ``limbeck
--help`` all of them (it lists every verb with its short help). Verb
callbacks only call ``limbeck.command`` functions through
:func:`limbeck.cli.base.run_command`.

Startup cost is part of the interface: ``limbeck --help`` imports click and
the verb modules, nothing else (no SQLAlchemy, no Mako).
"""

from __future__ import annotations

import importlib

import click

from limbeck import __version__
from limbeck.cli.run import GlobalOptions

__all__ = ["VERB_MODULES", "cli"]

#: Each verb and the module declaring it (a test checks this against their ``COMMANDS``).
VERB_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ("init", "list_templates", "revision", "merge", "heads", "branches", "history", "show", "edit"),
        "limbeck.cli.scripts",
    ),
    **dict.fromkeys(("upgrade", "downgrade", "stamp", "current", "ensure_version"), "limbeck.cli.migrate"),
    "check": "limbeck.cli.autogen",
    **dict.fromkeys(("sql", "verify", "lint", "plan"), "limbeck.cli.review"),
    **dict.fromkeys(("tag", "squash", "check-squash"), "limbeck.cli.history"),
}


class _VerbGroup(click.Group):
    """A group that imports a verb's module when the verb is asked for (see :data:`VERB_MODULES`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*VERB_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in VERB_MODULES:
            for command in importlib.import_module(VERB_MODULES[cmd_name]).COMMANDS:
                self.commands.setdefault(command.name or "", command)
        return self.commands.get(cmd_name)


@click.group(
    cls=_VerbGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Schema migrations for SQLAlchemy; runs Alembic projects unchanged.",
)
@click.version_option(__version__, "--version", prog_name="limbeck", message="%(prog)s %(version)s")
@click.option(
    "-c",
    "--config",
    multiple=True,
    metavar="FILE",
    help="Config file (default: $LIMBECK_CONFIG, $ALEMBIC_CONFIG, limbeck.ini or alembic.ini,"
    " plus pyproject.toml). Give twice for an ini file and a pyproject.toml.",
)
@click.option("-n", "--name", default=None, help="Section of the ini file to read (default: [limbeck], else [alembic]).")
@click.option(
    "-x",
    "x",
    multiple=True,
    metavar="KEY=VALUE",
    help="Extra argument for env.py (context.get_x_argument()); repeatable.",
)
@click.option("--raiseerr", is_flag=True, help="Show the full traceback on error.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print messages to standard output.")
@click.pass_context
def cli(ctx: click.Context, config: tuple[str, ...], name: str | None, x: tuple[str, ...], raiseerr: bool, quiet: bool) -> None:
    program = "alembic" if ctx.info_name == "alembic" else "limbeck"
    ctx.obj = GlobalOptions(config=config, name=name, x=x, raiseerr=raiseerr, quiet=quiet, program=program)
