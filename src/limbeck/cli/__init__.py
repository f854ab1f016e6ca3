"""The ``limbeck`` command line: global options, then one verb (``limbeck -c x.ini heads``).

The click group is :data:`cli` (:mod:`limbeck.cli.group`, loaded on first
use). :func:`main`, the console script, runs ``limbeck heads``,
``limbeck history``, ``limbeck branches`` and ``limbeck current`` given
alone, with no option, without loading click at all
(:func:`limbeck.cli.run.run_bare`): the same command with the same options
click would pass (:data:`BARE_VERBS`, checked against click by a test), for
the listings a user runs most, where click's import was a sixth of the run.
Global options written in one of the plain forms click reads them in
(``-c x.ini``, ``--config=x.ini``, ``-cx.ini``, ``-n``/``--name``, ``-x``,
``--raiseerr``, ``-q``/``--quiet``) may come before the verb: scripts and CI
name their config file. Anything else goes through click.
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


#: the global options :func:`_bare_options` reads: valued ones by the field they fill, then the flags
_VALUED = {"-c": "config", "--config": "config", "-n": "name", "--name": "name", "-x": "x"}
_FLAGS = {"--raiseerr": "raiseerr", "-q": "quiet", "--quiet": "quiet"}
_MULTIPLE = ("config", "x")


def _bare_options(tokens: Sequence[str]) -> dict[str, Any] | None:
    """The global options ``tokens`` give, as click would read them; None where click must read them.

    Only the plain forms: an option and its value as two tokens, a long
    option with ``=value``, a short one with its value attached (``-cx.ini``;
    click keeps an ``=`` there as part of the value), and the flags, each on
    its own. A value that is empty or starts with ``-``, combined short
    flags, ``--`` or anything unknown leave the whole line to click, whose
    answers (and errors) are then the ones the user gets.
    """
    fields: dict[str, Any] = {"config": [], "x": []}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        flag = _FLAGS.get(token)
        if flag is not None:
            fields[flag] = True
            continue
        option, equals, value = token.partition("=")
        if equals and option.startswith("--") and option in _VALUED:
            field = _VALUED[option]
        elif token in _VALUED and i < len(tokens):
            field, value = _VALUED[token], tokens[i]
            i += 1
        elif token[:2] in _VALUED and len(token) > 2:
            field, value = _VALUED[token[:2]], token[2:]
        else:
            return None
        if not value or value.startswith("-"):
            return None
        if field in _MULTIPLE:
            fields[field].append(value)
        else:
            fields[field] = value  # given again: the last one, as click keeps it
    fields["config"], fields["x"] = tuple(fields["config"]), tuple(fields["x"])
    return fields


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> None:
    """Run the command line (the ``limbeck`` console script and ``python -m limbeck``)."""
    tune_gc()
    args = sys.argv[1:] if argv is None else list(argv)
    # shell completion (click's _LIMBECK_COMPLETE) is click's business
    if args and args[-1] in BARE_VERBS and not any(k.endswith("_COMPLETE") for k in os.environ):
        options = _bare_options(args[:-1])
        if options is not None:
            from limbeck.cli.run import GlobalOptions, run_bare

            run_bare(args[-1], BARE_VERBS[args[-1]], GlobalOptions(**options))
    from limbeck.cli.group import cli

    cli.main(args=list(argv) if argv is not None else None, prog_name=prog or "limbeck")
