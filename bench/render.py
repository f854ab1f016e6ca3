"""Source text of generated projects: revision files and the fixed files.

Revision files follow the layout Alembic's own ``script.py.mako`` produces
(module docstring with message / Revision ID / Revises / Create Date, typed
identifiers, upgrade()/downgrade() with docstrings), because header readers
and module loaders are what the benchmark measures and they should see what
real projects contain. The fixed files come from bench/projects/*.tmpl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "projects"
SLUG_LENGTH = 40


@dataclass
class RevisionText:
    """Everything one revision file shows."""

    rev_id: str
    down: tuple[str, ...]
    message: str
    create_date: str
    up: list[str] = field(default_factory=list)
    down_ops: list[str] = field(default_factory=list)
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        slug = re.sub(r"\W+", "_", self.message.lower()).strip("_")[:SLUG_LENGTH].rstrip("_")
        return f"{self.rev_id}_{slug}.py"


def _literal(values: tuple[str, ...]) -> str:
    """Render an identifier field the way a generated file does: None, 'x' or a tuple."""
    if not values:
        return "None"
    if len(values) == 1:
        return repr(values[0])
    return repr(values)


def _body(lines: list[str]) -> str:
    return "\n".join(f"    {line}" if line else "" for line in lines) if lines else "    pass"


def revision_file(rev: RevisionText, package: str) -> str:
    return f'''"""{rev.message}

Revision ID: {rev.rev_id}
Revises: {", ".join(rev.down)}
Create Date: {rev.create_date}

"""
from typing import Sequence, Union

from {package} import op
import sqlalchemy as sa


# revision identifiers, read by the migration tool.
revision: str = {rev.rev_id!r}
down_revision: Union[str, Sequence[str], None] = {_literal(rev.down)}
branch_labels: Union[str, Sequence[str], None] = {_literal(rev.branch_labels)}
depends_on: Union[str, Sequence[str], None] = {_literal(rev.depends_on)}


def upgrade() -> None:
    """Apply this revision."""
{_body(rev.up)}


def downgrade() -> None:
    """Revert this revision."""
{_body(rev.down_ops)}
'''


def fixed_files(style: str, url: str) -> dict[str, str]:
    """Config file, env.py and script.py.mako for a project of ``style``.

    ``style`` is the package the scripts import from (``alembic`` or
    ``limbeck``); it also names the config file and its main section.
    """
    def fill(name: str) -> str:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        return text.replace("@PACKAGE@", style).replace("@SECTION@", style).replace("@URL@", url)

    return {
        f"{style}.ini": fill("config.ini.tmpl"),
        "migrations/env.py": fill("env.py.tmpl"),
        "migrations/script.py.mako": fill("script.py.mako.tmpl"),
    }
