"""Modules that answer ``import alembic.<x>`` where limbeck's own module is not enough.

Most Alembic import paths map straight onto a limbeck module (see
:data:`limbeck.compat.ALIASES`). A few Alembic modules hold names that in
limbeck belong to a higher layer: ``alembic.config.main`` is the command line
(``limbeck.cli``), and ``ScriptDirectory._upgrade_revs`` plans runtime steps
(``limbeck.runtime``) while limbeck's ``ScriptDirectory`` sits below the
runtime. The modules here re-export limbeck's module and add those names, so
limbeck's own layers keep their import direction. Nothing in limbeck imports
this package; only the alias table names it.
"""
