"""Per-database behaviour, looked up by SQLAlchemy dialect name.

The registry is an explicit table of module paths (no import-time
self-registration): a dialect module is imported the first time a migration
targets it, which also registers its ``@compiles`` variants.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from limbeck.dialects.base import DialectBehaviour, registry_name
from limbeck.errors import CommandError

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

#: dialect name -> "module:Class" (or the class, for one made at run time)
_REGISTRY: dict[str, str | type[DialectBehaviour]] = {
    "sqlite": "limbeck.dialects.sqlite:SQLiteBehaviour",
    "postgresql": "limbeck.dialects.postgresql:PostgreSQLBehaviour",
    "mysql": "limbeck.dialects.mysql:MySQLBehaviour",
    "mariadb": "limbeck.dialects.mariadb:MariaDBBehaviour",
    "mssql": "limbeck.dialects.mssql:MSSQLBehaviour",
    "oracle": "limbeck.dialects.oracle:OracleBehaviour",
}

#: the six databases limbeck renders and tests for
KNOWN_DIALECTS: tuple[str, ...] = tuple(_REGISTRY)


def register(name: str, target: str | type[DialectBehaviour]) -> None:
    """Use the behaviour ``target`` ("module:Class", or the class) for SQLAlchemy dialect ``name``.

    For a database whose SQLAlchemy dialect lives outside SQLAlchemy (a
    third-party package), or a test's; limbeck's own are in the table above.
    A class is for one made at run time (an Alembic ``DefaultImpl`` subclass
    an env.py declares, see :mod:`limbeck.alembic_modules.ddl`).
    """
    _REGISTRY[name] = target


def unregister(name: str) -> None:
    """Forget what :func:`register` registered for ``name`` (its SQLAlchemy dialect falls back to the default)."""
    _REGISTRY.pop(name, None)


def registered() -> tuple[str, ...]:
    """Every dialect name with a behaviour of its own, registered ones included."""
    return tuple(_REGISTRY)


def behaviour_name(dialect: Dialect) -> str:
    """The registry key for a SQLAlchemy dialect (MariaDB through a mysql driver included)."""
    return registry_name(dialect)


class UnknownDialect(CommandError):
    """A dialect name SQLAlchemy has no dialect for; the caller says where the name came from."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown SQLAlchemy dialect '{name}'")
        self.name = name


def dialect_class(name: str) -> type[Dialect]:
    """SQLAlchemy's dialect class for a name as ``--dialect`` gives it, resolved once.

    ``postgresql``, ``postgresql+psycopg``, ``mariadb`` or a third-party
    dialect's name; with its instance (``dialect_class(name)(**dialect_opts)``)
    :func:`behaviour_for` binds the behaviour. Raises :class:`UnknownDialect`.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        found: type[Dialect] = make_url(f"{name}://").get_dialect()
    except (ArgumentError, NoSuchModuleError):
        raise UnknownDialect(name) from None
    return found


def behaviour_class(name: str) -> type[DialectBehaviour]:
    """The behaviour for ``name``; any other SQLAlchemy dialect gets the default one."""
    target = _REGISTRY.get(name)
    if target is None:
        return DialectBehaviour
    if not isinstance(target, str):
        return target
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls: type[DialectBehaviour] = getattr(module, class_name)
    return cls


def behaviour_class_of(dialect: Dialect) -> type[DialectBehaviour]:
    """The behaviour class for a SQLAlchemy dialect, for facts that need no run (literals)."""
    return behaviour_class(registry_name(dialect))


def behaviour_for(dialect: Dialect, opts: Mapping[str, Any] | None = None) -> DialectBehaviour:
    """An instance bound to ``dialect`` with the run's overrides applied."""
    return behaviour_class_of(dialect)(dialect, opts)
