"""Real limbeck projects on disk for the reliability tests (made with ``init``).

A history is a list of :class:`Rev`; each becomes a revision file written
the way ``limbeck revision`` writes them. Bodies are Python source for
``upgrade()`` / ``downgrade()``; ``PRELUDE`` is available to every body.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from limbeck.config import Config

#: imported at the top of every revision file
PRELUDE = """\
import os
import time

from limbeck import op
import sqlalchemy as sa
"""


@dataclass(frozen=True)
class Rev:
    """One revision file: graph position and the bodies of its two functions."""

    rev: str
    down: str | tuple[str, ...] | None
    up: str
    down_body: str
    labels: str | None = None
    depends: str | tuple[str, ...] | None = None


_TEMPLATE = '''"""revision {rev}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00
"""
{prelude}
revision = {rev!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}


def upgrade() -> None:
{upgrade}


def downgrade() -> None:
{downgrade}
'''


def write_revision(versions: Path, rev: Rev) -> Path:
    down_text = ", ".join(rev.down) if isinstance(rev.down, tuple) else (rev.down or "")
    body = _TEMPLATE.format(
        rev=rev.rev,
        down=rev.down,
        down_text=down_text,
        labels=rev.labels,
        depends=rev.depends,
        prelude=PRELUDE,
        upgrade=textwrap.indent(textwrap.dedent(rev.up).strip() or "pass", "    "),
        downgrade=textwrap.indent(textwrap.dedent(rev.down_body).strip() or "pass", "    "),
    )
    path = versions / f"{rev.rev}_revision.py"
    path.write_text(body, encoding="utf-8")
    return path


def write_project(
    root: Path,
    url: str | None,
    history: list[Rev],
    *,
    env_edit: Callable[[str], str] | None = None,
    options: dict[str, str] | None = None,
) -> Config:
    """A project in ``root`` (created) whose ini points at ``url``; returns its Config."""
    from limbeck import command

    root.mkdir(parents=True, exist_ok=True)
    ini = root / "limbeck.ini"
    command.init(Config(str(ini)), str(root / "migrations"))
    config = Config(str(ini))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    for key, value in (options or {}).items():
        config.set_main_option(key, value)
    with open(ini, "w", encoding="utf-8") as fh:
        config.file_config.write(fh)
    env = root / "migrations" / "env.py"
    text = env.read_text().replace("    fileConfig(config.config_file_name)", "    pass")
    if env_edit is not None:
        text = env_edit(text)
    env.write_text(text)
    versions = root / "migrations" / "versions"
    for rev in history:
        write_revision(versions, rev)
    return Config(str(ini))


def per_migration(text: str) -> str:
    """env.py edit: one transaction per revision online and offline."""
    return text.replace(
        "target_metadata=target_metadata,\n        literal_binds=True,",
        "target_metadata=target_metadata,\n        literal_binds=True,\n        transaction_per_migration=True,",
    ).replace(
        "context.configure(connection=connection, target_metadata=target_metadata)",
        "context.configure(connection=connection, target_metadata=target_metadata, transaction_per_migration=True)",
    )


def one_transaction(text: str) -> str:
    """env.py edit: ``transactional_ddl=True``, so the whole run is one transaction online
    (and framed by BEGIN/COMMIT offline) even where the dialect's default is per revision."""
    return text.replace(
        "context.configure(connection=connection, target_metadata=target_metadata)",
        "context.configure(connection=connection, target_metadata=target_metadata, transactional_ddl=True)",
    )
