"""Implementations behind :mod:`limbeck.command`, one module per group of commands.

``limbeck.command`` is the public API (Alembic's ``alembic.command``) and
re-exports these. What every group needs (the script directory of a
config, the output formats) is here, once; running env.py is
:mod:`limbeck.runtime.run`, shared with the review tools and the testing helpers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from limbeck.errors import CommandError
from limbeck.script import formatting
from limbeck.script.directory import ScriptDirectory

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.script import Script

#: Output formats of ``heads``, ``history``, ``current`` and ``branches`` (``json`` is a limbeck addition).
OUTPUT_FORMATS = ("text", "json")


def script_directory(config: Config) -> ScriptDirectory:
    return ScriptDirectory.from_config(config)


def revision_environment(config: Config) -> bool:
    """``revision_environment = true``: run env.py even for commands that need no database."""
    return bool(config.get_alembic_boolean_option("revision_environment"))


def check_format(format: str) -> None:
    """Refuse an output format other than :data:`OUTPUT_FORMATS` before doing any work."""
    if format not in OUTPUT_FORMATS:
        raise CommandError(f"Unknown output format {format!r}; use one of: {', '.join(OUTPUT_FORMATS)}")


def print_revisions_json(config: Config, scripts: Iterable[Script], current: Iterable[str] | None = None) -> None:
    """Print ``scripts`` as a JSON list of revision objects (``--format json``)."""
    current_heads = None if current is None else tuple(current)
    records = [formatting.revision_record(sc, current_heads) for sc in scripts]
    config.print_stdout(json.dumps(records, indent=2))
