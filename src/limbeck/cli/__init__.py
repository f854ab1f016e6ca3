"""The ``limbeck`` command line: global options, then one verb (``limbeck -c x.ini heads``).

The click group is :data:`cli` (:mod:`limbeck.cli.group`, loaded on first
use). :func:`main`, the console script, runs ``limbeck heads``,
``limbeck history``, ``limbeck branches`` and ``limbeck current`` given
alone, with no option, without loading click at all
(:func:`limbeck.cli.run.run_bare`): the same command with the same options
click would pass (:data:`BARE_VERBS`, checked against click by a test), for
the listings a user runs most, where click's import was a sixth of the run.
Anything else goes through click.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from limbeck.runtime.gcpolicy import tune_for_command

if TYPE_CHECKING:
    import click

    cli: click.Group

__all__ = ["BARE_VERBS", "cli", "main"]

#: What each verb given alone passes to its command: its click defaults.
BARE_VERBS: Mapping[str, Mapping[str, Any]] = {
    "heads": {"verbose": False, "resolve_dependencies": False, "format": "text"},
    "history": {"rev_range": None, "verbose": False, "indicate_current": False, "format": "text"},
    "branches": {"verbose": False, "format": "text"},
    "current": {"verbose": False, "check_heads": False, "format": "text"},
}


def __getattr__(name: str) -> Any:
    # the click group loads on first use: `limbeck heads` alone never needs it
    if name == "cli":
        from limbeck.cli.group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def tune_gc() -> None:
    """Collect cyclic garbage less often: a ``limbeck`` process lives for one command.

    Thresholds someone already changed (an application calling :func:`main`)
    are left alone; see :mod:`limbeck.runtime.gcpolicy`.
    """
    tune_for_command()


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> None:
    """Run the command line (the ``limbeck`` console script and ``python -m limbeck``)."""
    tune_gc()
    args = sys.argv[1:] if argv is None else list(argv)
    # shell completion (click's _LIMBECK_COMPLETE) is click's business
    if len(args) == 1 and args[0] in BARE_VERBS and not any(k.endswith("_COMPLETE") for k in os.environ):
        from limbeck.cli.run import run_bare

        run_bare(args[0], BARE_VERBS[args[0]])
    from limbeck.cli.group import cli

    cli.main(args=list(argv) if argv is not None else None, prog_name=prog or "limbeck")
