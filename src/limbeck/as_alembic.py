"""Importing this module makes ``import alembic`` resolve to limbeck for the whole process.

Three ways in, all ending here:

- ``LIMBECK_AS_ALEMBIC=1 <any command>``: ``limbeck-as-alembic.pth`` (installed
  with limbeck) imports this module at interpreter start-up, before the
  command imports anything, so ``flask db upgrade``, ``pytest`` or ``alembic``
  itself run on limbeck with the real Alembic still installed;
- ``pytest -p limbeck.as_alembic`` (or the same in ``addopts``): pytest loads
  ``-p`` plugins before the plugins it finds through entry points, which is
  what pytest-alembic needs (its plugin imports ``alembic.config`` on load);
- ``import limbeck.as_alembic`` first thing in a program.
"""

from __future__ import annotations

from limbeck.compat import switch_on

switch_on()
