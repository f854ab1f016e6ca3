"""What ``alembic.ddl`` and its ``impl`` / ``postgresql`` / ``mysql`` / ``sqlite`` / ``mssql`` / ``oracle`` modules answer.

Alembic renders for a database through an *impl* class registered under the
SQLAlchemy dialect's name, and has none for a dialect that lives outside
SQLAlchemy: such a project declares one before anything runs, usually in
env.py (``class DuckDBImpl(PostgresqlImpl): __dialect__ = "duckdb"``, or
``class SnowflakeImpl(DefaultImpl): __dialect__ = "snowflake"`` with
``transactional_ddl = False``), and Alembic then renders for that database as
for the class it derives from.

limbeck keeps what differs per database in :mod:`limbeck.dialects`, not in
these classes. Declaring a subclass with ``__dialect__`` here registers, for
that dialect name, the behaviour of the database its base class stands for,
with the class's own ``transactional_ddl``, ``command_terminator`` and
``batch_separator``: the three settings Alembic reads from the class for
offline framing. Methods a subclass defines are not called (limbeck has no
per-impl methods to call): declaring one warns, naming it; the README says so.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

from limbeck import dialects
from limbeck.dialects.base import DialectBehaviour
from limbeck.errors import LimbeckWarning

#: Alembic's class attribute -> limbeck's behaviour attribute
_SETTINGS = {"transactional_ddl": "transactional_ddl", "command_terminator": "statement_terminator",
             "batch_separator": "batch_separator"}


class DefaultImpl:
    """Alembic's base impl class: subclassed (with ``__dialect__``) to name a database's behaviour."""

    __dialect__: ClassVar[str] = "default"
    #: set in the body of the classes made here, whose behaviours are limbeck's own (read per class)
    _limbeck_builtin: ClassVar[bool] = True
    transactional_ddl: ClassVar[bool] = False
    command_terminator: ClassVar[str] = ";"
    batch_separator: ClassVar[str | None] = None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        name = cls.__dict__.get("__dialect__")
        if name is None or cls.__dict__.get("_limbeck_builtin", False):
            return
        made_here = _made_here(cls)
        dialects.register(name, _behaviour_for(cls, made_here, name))
        unused = sorted(k for k, v in vars(cls).items() if callable(v) and not k.startswith("__"))
        if unused:
            warnings.warn(
                f"{cls.__qualname__} ({cls.__module__}): limbeck renders {name!r} as {made_here.__name__} with "
                f"the class's transactional_ddl / command_terminator / batch_separator, and does not call its "
                f"{', '.join(unused)}",
                LimbeckWarning, stacklevel=2,
            )


def _made_here(cls: type[DefaultImpl]) -> type[DefaultImpl]:
    """The nearest base of ``cls`` made in this module (whose database's behaviour it gets)."""
    return next(k for k in cls.__mro__ if issubclass(k, DefaultImpl) and k.__dict__.get("_limbeck_builtin", False))


def _behaviour_for(cls: type[DefaultImpl], made_here: type[DefaultImpl], name: str) -> type[DialectBehaviour]:
    """A behaviour for ``name``: ``made_here``'s database's, with what ``cls`` (or a base declared outside) sets."""
    attrs: dict[str, Any] = {"name": name, "__module__": __name__, "alembic_impl": cls.__name__}
    for klass in cls.__mro__[: cls.__mro__.index(made_here)]:
        for theirs, ours in _SETTINGS.items():
            if theirs in klass.__dict__ and ours not in attrs:
                attrs[ours] = klass.__dict__[theirs]
    return type(f"{cls.__name__}Behaviour", (dialects.behaviour_class(made_here.__dialect__),), attrs)


def _builtin_impls() -> dict[str, type[DefaultImpl]]:
    """Alembic's impl class of each database limbeck has a module for, named as Alembic names it.

    Made from the behaviours (their ``alembic_impl`` name and settings), each
    deriving from the impl of the behaviour its behaviour derives from
    (MariaDB's from MySQL's), as Alembic's do.
    """
    made: dict[type[DialectBehaviour], type[DefaultImpl]] = {DialectBehaviour: DefaultImpl}
    for name in dialects.KNOWN_DIALECTS:
        behaviour = dialects.behaviour_class(name)
        parent = next(made[k] for k in behaviour.__mro__[1:] if k in made)
        attrs = {"__dialect__": name, "_limbeck_builtin": True, "__module__": __name__,
                 **{theirs: getattr(behaviour, ours) for theirs, ours in _SETTINGS.items()}}
        made[behaviour] = type(behaviour.alembic_impl, (parent,), attrs)
    return {impl.__name__: impl for impl in made.values()}


_BUILTIN = _builtin_impls()
globals().update(_BUILTIN)
__all__ = sorted(_BUILTIN)  # noqa: PLE0605 - the names are Alembic's, made above from the behaviours
