"""Script directories: revision files, their graph, and writing new ones.

``from limbeck.script import ScriptDirectory, Script`` replaces Alembic's
``from alembic.script import ...``. The names are resolved on first use
(PEP 562) so that importing a submodule such as
``limbeck.script.formatting`` or ``limbeck.script.headers`` does not load the
whole package; nothing here imports SQLAlchemy or Mako.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from limbeck.script import write_hooks
    from limbeck.script.base import Script
    from limbeck.script.directory import ScriptDirectory
    from limbeck.script.revision import Revision, RevisionMap

__all__ = ["Revision", "RevisionMap", "Script", "ScriptDirectory", "write_hooks"]

_LAZY = {
    "Script": ("limbeck.script.base", "Script"),
    "ScriptDirectory": ("limbeck.script.directory", "ScriptDirectory"),
    "Revision": ("limbeck.script.revision", "Revision"),
    "RevisionMap": ("limbeck.script.revision", "RevisionMap"),
    "write_hooks": ("limbeck.script.write_hooks", None),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'limbeck.script' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    return module if attr is None else getattr(module, attr)
