"""The ``limbeck`` command line: global options, then one verb (``limbeck -c x.ini heads``).

Same verbs, flags and output as the ``alembic`` command, built with click. The group
loads its verbs from the modules in :data:`_VERB_MODULES`; each lists its click commands
in a ``COMMANDS`` tuple. Verb callbacks only call ``limbeck.command`` functions through
:func:`limbeck.cli.base.run_command`.

Startup cost is part of the interface: ``limbeck --help`` imports click and the verb
modules, nothing else (no SQLAlchemy, no Mako).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import click

from limbeck import __version__
from limbeck.cli.base import GlobalOptions
from limbeck.runtime.gcpolicy import tune_for_command

__all__ = ["cli", "main"]

#: Modules whose ``COMMANDS`` make up the verbs, in the order they are added.
_VERB_MODULES: tuple[str, ...] = (
    "limbeck.cli.scripts",
    "limbeck.cli.migrate",
    "limbeck.cli.autogen",
    "limbeck.cli.review",
    "limbeck.cli.history",
)


@click.group(
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
    ctx.obj = GlobalOptions(config=config, name=name, x=x, raiseerr=raiseerr, quiet=quiet)


def _load_verbs(group: click.Group) -> None:
    for module_name in _VERB_MODULES:
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            group.add_command(command)


_load_verbs(cli)


def tune_gc() -> None:
    """Collect cyclic garbage less often: a ``limbeck`` process lives for one command.

    Thresholds someone already changed (an application calling :func:`main`)
    are left alone; see :mod:`limbeck.runtime.gcpolicy`.
    """
    tune_for_command()


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> None:
    """Run the command line (the ``limbeck`` console script and ``python -m limbeck``)."""
    tune_gc()
    cli.main(args=list(argv) if argv is not None else None, prog_name=prog or "limbeck")
