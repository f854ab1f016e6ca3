"""Which limbeck module answers each ``alembic.<x>`` import.

The table covers the import paths Alembic's documentation shows and every
module the tools built on Alembic import (Flask-Migrate, pytest-alembic,
alembic-utils, alembic-postgresql-enum). A module missing here is refused
with a clear ``ImportError`` naming it, never loaded under a wrong name.
"""

from __future__ import annotations

__all__ = ["ALEMBIC_VERSION", "ALIASES"]

#: What ``alembic.__version__`` says while limbeck stands in for Alembic: the
#: Alembic release whose behaviour limbeck is checked against. Tools branch on
#: it (alembic-postgresql-enum picks its comparator API, Flask-Migrate its
#: command options), so it must name an Alembic version, not limbeck's own.
ALEMBIC_VERSION = "1.20.1"

#: alembic module name -> the limbeck module that stands in for it.
ALIASES: dict[str, str] = {
    "alembic": "limbeck.compat.alembic_package",
    "alembic.op": "limbeck.op",
    "alembic.context": "limbeck.context",
    "alembic.command": "limbeck.command",
    "alembic.config": "limbeck.alembic_modules.config",
    "alembic.script": "limbeck.alembic_modules.script",
    "alembic.script.base": "limbeck.alembic_modules.script_base",
    "alembic.script.revision": "limbeck.script.revision",
    "alembic.script.write_hooks": "limbeck.script.write_hooks",
    "alembic.runtime": "limbeck.runtime",
    "alembic.runtime.environment": "limbeck.runtime.environment",
    "alembic.runtime.migration": "limbeck.runtime.migration",
    "alembic.environment": "limbeck.runtime.environment",
    "alembic.migration": "limbeck.runtime.migration",
    "alembic.operations": "limbeck.operations",
    "alembic.operations.base": "limbeck.operations",
    "alembic.operations.ops": "limbeck.operations.ops",
    "alembic.util": "limbeck.util",
    "alembic.util.exc": "limbeck.errors",
    "alembic.util.messaging": "limbeck.util",
    "alembic.util.langhelpers": "limbeck.util",
    "alembic.util.pyfiles": "limbeck.util",
    "alembic.autogenerate": "limbeck.autogenerate",
    "alembic.autogenerate.api": "limbeck.autogenerate.api",
    "alembic.autogenerate.compare": "limbeck.autogenerate.compare",
    "alembic.autogenerate.render": "limbeck.autogenerate.render",
    "alembic.autogenerate.rewriter": "limbeck.autogenerate.rewriter",
    # impl classes an env.py subclasses to name a third-party dialect's database
    "alembic.ddl": "limbeck.alembic_modules.ddl",
    "alembic.ddl.impl": "limbeck.alembic_modules.ddl",
    "alembic.ddl.postgresql": "limbeck.alembic_modules.ddl_postgresql",
    # the ALTER constructs and helpers third-party dialects' @compiles functions use
    "alembic.ddl.base": "limbeck.alembic_modules.ddl_base",
    "alembic.ddl.mysql": "limbeck.alembic_modules.ddl",
    "alembic.ddl.sqlite": "limbeck.alembic_modules.ddl",
    "alembic.ddl.mssql": "limbeck.alembic_modules.ddl",
    "alembic.ddl.oracle": "limbeck.alembic_modules.ddl",
}
