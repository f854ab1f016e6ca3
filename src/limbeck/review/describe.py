"""How the review tools name revisions, files and operations in their reports."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from limbeck.compiler.statement import Kind
from limbeck.errors import LimbeckError

if TYPE_CHECKING:
    from limbeck.review.stream import Record
    from limbeck.script import ScriptDirectory


def display_path(path: str | None) -> str | None:
    """``path`` relative to the working directory when it is below it."""
    if not path:
        return None
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith("..") else rel


class RevisionNames:
    """Revision id -> file, looked up once each."""

    def __init__(self, script: ScriptDirectory | None) -> None:
        self.script = script
        self._paths: dict[str, str | None] = {}

    def path(self, revision: str | None) -> str | None:
        if revision is None or self.script is None:
            return None
        if revision not in self._paths:
            try:
                self._paths[revision] = self.script.get_revision(revision).path
            except LimbeckError:  # an id of several revisions (a stamp) has no one file
                self._paths[revision] = None
        return self._paths[revision]

    def where(self, record: Record) -> str:
        """``versions/b2_x.py (revision b2, upgrade)``, or ``env.py`` for untagged statements."""
        revision = record.revision
        if revision is None:
            return "env.py"
        path = display_path(self.path(revision)) or revision
        direction = f", {record.statement.direction}" if record.statement.direction else ""
        return f"{path} (revision {revision}{direction})"


def operation(record: Record) -> str:
    """The operation a statement came from, as a reader would name it."""
    kind = record.kind
    if kind is Kind.VERSION:
        return "version table"
    if kind in (Kind.BEGIN, Kind.COMMIT):
        return "transaction"
    source: Any = record.source
    if source is not None:
        return type(source).__name__
    if record.info.get("guard"):
        return "version guard"
    return "execute"


def short(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
