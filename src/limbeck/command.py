"""The commands, as functions of a ``Config``: limbeck's Python API and what the CLI calls.

Signatures and printed output follow ``alembic.command`` so programs (and people's
scripts that parse the output) written for Alembic keep working. The CLI in
:mod:`limbeck.cli` only parses options and calls these. The implementations live in
:mod:`limbeck.commands`, one module per group; none imports SQLAlchemy or Mako at
module level (``limbeck heads`` must not load them).
"""

from __future__ import annotations

from limbeck.commands.autogen import check, revision
from limbeck.commands.migrate import current, downgrade, ensure_version, stamp, upgrade
from limbeck.commands.review import lint, plan, sql, verify
from limbeck.commands.scripts import (
    RevisionDirective,
    branches,
    edit,
    heads,
    history,
    init,
    list_templates,
    merge,
    show,
)
from limbeck.commands.squash import check_squash, squash
from limbeck.commands.tags import tag

__all__ = [
    "RevisionDirective",
    "branches",
    "check",
    "check_squash",
    "current",
    "downgrade",
    "edit",
    "ensure_version",
    "heads",
    "history",
    "init",
    "lint",
    "list_templates",
    "merge",
    "plan",
    "revision",
    "show",
    "sql",
    "squash",
    "stamp",
    "tag",
    "upgrade",
    "verify",
]
