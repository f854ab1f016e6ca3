"""Make ``import alembic...`` resolve to limbeck.

Existing projects' ``env.py`` and revision files say ``from alembic import op,
context``; tools built on Alembic (Flask-Migrate, pytest-alembic,
alembic-utils, alembic-postgresql-enum) import ``alembic`` themselves. An
import hook first on ``sys.meta_path`` answers every ``alembic`` /
``alembic.<x>`` import with the limbeck module named in :data:`ALIASES`:

- :func:`alembic_aliases` turns it on while limbeck loads a project's files;
- :func:`switch_on` turns it on for the rest of the process. limbeck installs
  ``limbeck-as-alembic.pth``, which calls it at interpreter start-up when
  ``LIMBECK_AS_ALEMBIC=1`` is set (and imports nothing otherwise);
  ``pytest -p limbeck.as_alembic`` does the same inside pytest.
"""

from __future__ import annotations

from limbeck.compat.aliases import ALEMBIC_VERSION, ALIASES
from limbeck.compat.finder import AliasFinder
from limbeck.compat.switch import (
    alembic_aliases,
    aliases_active,
    logger_name,
    switch_on,
    switched_on,
)

__all__ = [
    "ALEMBIC_VERSION",
    "ALIASES",
    "AliasFinder",
    "alembic_aliases",
    "aliases_active",
    "logger_name",
    "switch_on",
    "switched_on",
]
