"""Release tags: names a change board approves (``v2.3``) for revision ids.

The tags live in ``tags.txt`` in the script directory, beside ``versions/``,
one ``NAME = REVISION`` per line, so they are reviewed and merged like code
and every checkout has the same ones. ``limbeck tag`` writes the file; any
command that takes a revision reads a tag wherever an id is accepted
(``limbeck sql v2.2:v2.3``, ``history -r v2.2:``), because the revision map
translates tags before it resolves anything else.

A tag must never change what an existing identifier means, so the rule is
strict: a letter first, then letters, digits, ``_`` and ``.`` (no ``-``,
``+``, ``@`` or ``:``, which are the relative, branch and range syntax); not
``head``, ``heads``, ``base`` or ``current``; not a revision id, a branch
label or the start of a revision id (a partial id would then change meaning).
A file breaking the rule stops every command with one line naming its line.

Nothing here imports SQLAlchemy: ``heads`` and ``history`` read tags.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from limbeck.errors import CommandError

if TYPE_CHECKING:
    from limbeck.script.base import Script
    from limbeck.script.directory import ScriptDirectory

__all__ = ["KEYWORDS", "TAGS_FILENAME", "Tag", "TagFile", "attach", "name_problem", "tags_path"]

TAGS_FILENAME = "tags.txt"
#: words the revision syntax (and ``history -r current:``) already gives a meaning
KEYWORDS = frozenset({"head", "heads", "base", "current"})
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]*\Z")
_MAX_LENGTH = 64
_LINE = re.compile(r"\s*(?P<name>\S+)\s*=\s*(?P<revision>\S+)\s*\Z")
_HEADER = (
    "# Release tags: NAME = REVISION, one per line (written by `limbeck tag`; review it like code).\n"
    "# Any command that takes a revision takes a tag: limbeck sql v2.2:v2.3, limbeck history -r v2.2:\n"
)


class Tag(NamedTuple):
    """One line of the tags file."""

    name: str
    revision: str
    line: int


def tags_path(script_dir: str) -> str:
    """Where the tags of the environment in *script_dir* are kept."""
    return os.path.join(script_dir, TAGS_FILENAME)


def name_problem(name: str) -> str | None:
    """Why *name* cannot be a tag (the syntax rule alone), or None."""
    if name in KEYWORDS:
        return f"'{name}' is a revision keyword"
    if len(name) > _MAX_LENGTH:
        return f"a tag has at most {_MAX_LENGTH} characters"
    if not _NAME.match(name):
        return (
            f"tag {name!r} must start with a letter and hold only letters, digits, '_' and '.' "
            "('-', '+', '@' and ':' are revision syntax)"
        )
    return None


class TagFile:
    """The tags file: its tags in file order, and its lines, kept for rewriting.

    Rewriting keeps every comment and every other line as it was, so a
    review diff of ``limbeck tag`` shows exactly the one line it changed.
    """

    def __init__(self, path: str, lines: list[str], tags: dict[str, Tag]) -> None:
        self.path = path
        self.lines = lines
        self.tags = tags

    @classmethod
    def read(cls, path: str) -> TagFile:
        """Parse *path* (a missing file has no tags).

        Raises:
            CommandError: a malformed line, a bad or repeated name; one line naming ``file:line``.
        """
        try:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().splitlines(keepends=True)
        except FileNotFoundError:
            return cls(path, [], {})
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the tags file: {exc}") from exc
        tags: dict[str, Tag] = {}
        for number, text in enumerate(lines, start=1):
            body = text.split("#", 1)[0]
            if not body.strip():
                continue
            match = _LINE.match(body)
            if match is None:
                raise CommandError(f"{path}:{number}: expected 'NAME = REVISION', got {text.strip()!r}")
            name, revision = match.group("name"), match.group("revision")
            problem = name_problem(name)
            if problem is not None:
                raise CommandError(f"{path}:{number}: {problem}")
            if name in tags:
                raise CommandError(f"{path}:{number}: tag '{name}' is already given on line {tags[name].line}")
            tags[name] = Tag(name, revision, number)
        return cls(path, lines, tags)

    def by_revision(self) -> dict[str, list[str]]:
        """Revision id -> its tags, in file order."""
        found: dict[str, list[str]] = {}
        for tag in self.tags.values():
            found.setdefault(tag.revision, []).append(tag.name)
        return found

    def set(self, name: str, revision: str) -> None:
        """Add *name*, or move it to *revision* in place when it exists."""
        line = f"{name} = {revision}\n"
        existing = self.tags.get(name)
        if existing is not None:
            self.lines[existing.line - 1] = line
            self.tags[name] = Tag(name, revision, existing.line)
            return
        if not self.lines:
            self.lines = _HEADER.splitlines(keepends=True)
        elif not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.lines.append(line)
        self.tags[name] = Tag(name, revision, len(self.lines))

    def remove(self, name: str) -> Tag:
        """Delete *name*'s line.

        Raises:
            CommandError: there is no such tag.
        """
        tag = self.tags.get(name)
        if tag is None:
            raise CommandError(f"{self.path}: no tag '{name}'")
        del self.lines[tag.line - 1]
        self.tags = {
            t.name: Tag(t.name, t.revision, t.line - 1 if t.line > tag.line else t.line)
            for t in self.tags.values() if t.name != name
        }
        return tag

    def write(self) -> None:
        """Write the file back (atomically: a half-written tags file would stop every command)."""
        folder = os.path.dirname(self.path) or os.curdir
        temp = os.path.join(folder, f".{TAGS_FILENAME}.tmp")
        with open(temp, "w", encoding="utf-8", newline="") as fh:
            fh.write("".join(self.lines))
        os.replace(temp, self.path)


def collision(name: str, ids: Iterable[str], labels: Iterable[str]) -> str | None:
    """How *name* would change the meaning of an identifier already in use, or None."""
    id_list = list(ids)
    if name in id_list:
        return f"'{name}' is a revision id"
    if name in set(labels):
        return f"'{name}' is a branch label"
    taken = next((rid for rid in id_list if rid.startswith(name)), None)
    if taken is not None:
        return f"'{name}' is the start of revision id {taken}, so a partial id would change meaning"
    return None


def attach(sd: ScriptDirectory, scripts: Sequence[Script], retired: Mapping[str, str]) -> None:
    """Read the tags file of *sd* and give its tags to the revision map and the scripts.

    *retired* maps ids that are no longer files (squashed into a checkpoint
    whose replaced files were deleted) to the reason; a tag naming one
    stays in the file and says so when it is used.

    Raises:
        CommandError: the file breaks a rule, or a tag names no revision.
    """
    path = tags_path(sd.dir)
    if not os.path.exists(path):
        return
    tag_file = TagFile.read(path)
    if not tag_file.tags:
        return
    by_id = {s.revision: s for s in scripts}
    labels = [label for s in scripts for label in s.branch_labels]
    aliases: dict[str, str] = {}
    gone: dict[str, str] = {}
    for tag in tag_file.tags.values():
        problem = collision(tag.name, by_id, labels)
        if problem is not None:
            raise CommandError(f"{path}:{tag.line}: {problem}; rename the tag")
        if tag.revision in by_id:
            aliases[tag.name] = tag.revision
        elif tag.revision in retired:
            gone[tag.name] = f"tag '{tag.name}' names {tag.revision}: {retired[tag.revision]}"
        else:
            raise CommandError(f"{path}:{tag.line}: tag '{tag.name}' names revision {tag.revision}, which is not present")
    for rev, names in tag_file.by_revision().items():
        script = by_id.get(rev)
        if script is not None:
            script.tags = tuple(names)
    sd.revision_map.register_names(aliases, gone)
