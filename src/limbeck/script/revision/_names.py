"""Names a revision map resolves beside its graph: release tags, retired ids and checkpoints.

They come from files next to ``versions/`` (``tags.txt``, ``checkpoints/``),
not from the revision files, so the graph's building and its cache
(:mod:`limbeck.script.graphcache`) both hand them over here, and resolution
asks here first.
"""

from __future__ import annotations

from collections.abc import Mapping

from limbeck.script.revision._errors import RetiredRevision
from limbeck.script.revision._node import Revision

__all__ = ["MapNames"]


class MapNames:
    """Tags (a name -> its revision id), retired names (-> why gone) and kept checkpoints."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.retired: dict[str, str] = {}
        #: checkpoints kept while the files they replace are still there, by the revision each stands for
        self.checkpoints: dict[str, Revision] = {}

    def resolve(self, name: str) -> str:
        """The revision id ``name`` stands for (itself when it is no tag); a retired name raises."""
        target = self.aliases.get(name)
        if target is not None:
            return target
        reason = self.retired.get(name)
        if reason is not None:
            raise RetiredRevision(reason, name)
        return name
