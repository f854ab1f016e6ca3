"""Script directories: revision files, their graph, and writing new ones.

``from limbeck.script import ScriptDirectory, Script`` replaces Alembic's
``from alembic.script import ...``. Importing this package stays cheap (no
SQLAlchemy, no Mako): ``heads`` and ``history`` go through it.
"""

from __future__ import annotations

from limbeck.script.base import Script
from limbeck.script.directory import ScriptDirectory
from limbeck.script.revision import Revision, RevisionMap

__all__ = ["Revision", "RevisionMap", "Script", "ScriptDirectory", "write_hooks"]


def __getattr__(name: str) -> object:
    # ``from alembic.script import write_hooks`` is the documented way env.py
    # files register hooks; load the module only when someone asks for it.
    if name == "write_hooks":
        import importlib

        return importlib.import_module("limbeck.script.write_hooks")
    raise AttributeError(f"module 'limbeck.script' has no attribute {name!r}")
