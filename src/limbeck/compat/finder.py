"""The import hook that answers ``alembic`` / ``alembic.<x>`` with limbeck modules.

Why a finder rather than permanent ``sys.modules`` entries: it stays lazy
(``limbeck heads`` must not import SQLAlchemy just because a revision file was
loaded), and it lets us answer names limbeck does not provide with a clear
``ImportError`` instead of silently loading limbeck files under alien names.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = ["AliasFinder", "is_alembic_name"]

_PREFIX = "alembic"
_MISSING = object()


def is_alembic_name(name: str) -> bool:
    """Whether ``name`` is ``alembic`` or one of its submodules."""
    return name == _PREFIX or name.startswith(_PREFIX + ".")


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system the already-importable limbeck module.

    ``exec_module`` swaps the placeholder in ``sys.modules`` for the real
    limbeck module; the import system returns whatever ``sys.modules`` holds
    after ``exec_module``, so the caller receives limbeck's module object and
    limbeck's own ``__spec__``/``__name__`` are never rewritten.
    """

    def __init__(self, finder: AliasFinder, target: str) -> None:
        self.finder = finder
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        name = module.__name__
        real = importlib.import_module(self.target)
        sys.modules[name] = real
        parent, _, child = name.rpartition(".")
        parent_module = sys.modules.get(parent) if parent else None
        if parent_module is not None:
            # The import system will setattr(parent, child, module) next;
            # remember what was there so leaving the context undoes it.
            self.finder.note_parent_attr(parent_module, child)
        if not hasattr(real, "__path__"):
            self._register_children(name, real)

    def _register_children(self, name: str, real: ModuleType) -> None:
        # ``alembic.util`` is a package but ``limbeck.util`` is a module: the
        # import system cannot look for ``alembic.util.exc`` inside it, so its
        # aliased children are registered now (they are all light modules).
        prefix = name + "."
        for alias, target in self.finder.aliases.items():
            if not alias.startswith(prefix) or "." in alias[len(prefix):]:
                continue
            if alias in sys.modules or not _module_exists(target):
                continue
            child_module = importlib.import_module(target)
            sys.modules[alias] = child_module
            child = alias[len(prefix):]
            self.finder.note_parent_attr(real, child)
            setattr(real, child, child_module)
            if not hasattr(child_module, "__path__"):
                self._register_children(alias, child_module)


class AliasFinder(importlib.abc.MetaPathFinder):
    """Answers ``alembic`` imports from an alias table, refuses the rest."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self._parent_attrs: list[tuple[ModuleType, str, Any]] = []

    def note_parent_attr(self, parent: ModuleType, child: str) -> None:
        self._parent_attrs.append((parent, child, parent.__dict__.get(child, _MISSING)))

    def restore_parent_attrs(self) -> None:
        for parent, child, previous in reversed(self._parent_attrs):
            if previous is _MISSING:
                parent.__dict__.pop(child, None)
            else:
                parent.__dict__[child] = previous
        self._parent_attrs.clear()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not is_alembic_name(fullname):
            return None
        limbeck_name = self.aliases.get(fullname)
        if limbeck_name is None:
            raise ModuleNotFoundError(
                f"limbeck does not provide {fullname!r} (no limbeck equivalent of that Alembic module)",
                name=fullname,
            )
        if not _module_exists(limbeck_name):
            raise ModuleNotFoundError(
                f"limbeck does not provide {fullname!r} (its counterpart {limbeck_name!r} does not exist)",
                name=fullname,
            )
        is_package = any(other.startswith(fullname + ".") for other in self.aliases)
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(self, limbeck_name), is_package=is_package
        )


def _module_exists(name: str) -> bool:
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
