"""``from limbeck import op``: the running Operations, as a module.

Revision scripts call ``op.add_column(...)`` at will; each name resolves on
the Operations object bound to the migration context currently running
(PEP 562 ``__getattr__``), so no globals are rewritten.
"""

from __future__ import annotations

from limbeck._proxy import CurrentStack

_current = CurrentStack(
    "limbeck.op",
    "no migration is running; op is only usable inside a revision's upgrade()/downgrade() "
    "(or within Operations.context())",
    "limbeck.operations:Operations",
)
_install = _current.install
_restore = _current.restore
__getattr__ = _current.getattr_hook()
