"""Per-database behaviour, looked up by SQLAlchemy dialect name.

The registry is an explicit table of module paths (no import-time
self-registration): a dialect module is imported the first time a migration
targets it, which also registers its ``@compiles`` variants.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from limbeck.dialects.base import KNOWN_DIALECTS, REGISTRY, DialectBehaviour

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

__all__ = ["KNOWN_DIALECTS", "DialectBehaviour", "behaviour_class", "behaviour_for", "behaviour_name"]


def behaviour_name(dialect: Dialect) -> str:
    """The registry key for a SQLAlchemy dialect (MariaDB through a mysql driver included)."""
    name = dialect.name
    if name == "mysql" and getattr(dialect, "is_mariadb", False):
        return "mariadb"
    return name


def behaviour_class(name: str) -> type[DialectBehaviour]:
    """The behaviour for ``name``; any other SQLAlchemy dialect gets the default one."""
    target = REGISTRY.get(name)
    if target is None:
        return DialectBehaviour
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls: type[DialectBehaviour] = getattr(module, class_name)
    return cls


def behaviour_for(dialect: Dialect, opts: Mapping[str, Any] | None = None) -> DialectBehaviour:
    """An instance bound to ``dialect`` with the run's overrides applied."""
    return behaviour_class(behaviour_name(dialect))(dialect, opts)
