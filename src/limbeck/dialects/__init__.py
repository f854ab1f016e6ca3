"""Per-database behaviour, looked up by SQLAlchemy dialect name.

The registry is an explicit table of module paths (no import-time
self-registration): a dialect module is imported the first time a migration
targets it, which also registers its ``@compiles`` variants.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from limbeck.dialects.base import DialectBehaviour

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

#: dialect name -> "module:Class"
_REGISTRY: dict[str, str] = {
    "sqlite": "limbeck.dialects.sqlite:SQLiteBehaviour",
    "postgresql": "limbeck.dialects.postgresql:PostgreSQLBehaviour",
    "mysql": "limbeck.dialects.mysql:MySQLBehaviour",
    "mariadb": "limbeck.dialects.mariadb:MariaDBBehaviour",
    "mssql": "limbeck.dialects.mssql:MSSQLBehaviour",
    "oracle": "limbeck.dialects.oracle:OracleBehaviour",
}

#: the six databases limbeck renders and tests for
KNOWN_DIALECTS: tuple[str, ...] = tuple(_REGISTRY)


def behaviour_name(dialect: Dialect) -> str:
    """The registry key for a SQLAlchemy dialect (MariaDB through a mysql driver included)."""
    name = dialect.name
    if name == "mysql" and getattr(dialect, "is_mariadb", False):
        return "mariadb"
    return name


def behaviour_class(name: str) -> type[DialectBehaviour]:
    """The behaviour for ``name``; any other SQLAlchemy dialect gets the default one."""
    target = _REGISTRY.get(name)
    if target is None:
        return DialectBehaviour
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls: type[DialectBehaviour] = getattr(module, class_name)
    return cls


def behaviour_for(dialect: Dialect, opts: Mapping[str, Any] | None = None) -> DialectBehaviour:
    """An instance bound to ``dialect`` with the run's overrides applied."""
    return behaviour_class(behaviour_name(dialect))(dialect, opts)
