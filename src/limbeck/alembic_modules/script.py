"""``alembic.script``: limbeck's script package with Alembic's ``ScriptDirectory`` planners."""

from __future__ import annotations

from limbeck.alembic_modules.script_base import Script, ScriptDirectory
from limbeck.script import write_hooks
from limbeck.script.revision import Revision, RevisionMap

# ``alembic.script.base`` and friends are imported beneath this module by the
# alias finder, which answers every submodule; nothing is searched on disk.
__path__: list[str] = []

__all__ = ["Revision", "RevisionMap", "Script", "ScriptDirectory", "write_hooks"]
