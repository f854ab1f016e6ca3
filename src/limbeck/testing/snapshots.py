"""Snapshot files of migrations: one per revision and dialect, and the checks on them.

A snapshot file is named after its revision file (``b2_add_email.py`` ->
``<dir>/<dialect>/b2_add_email.sql``) so a reviewer finds it next to the
code change, and holds the revision's upgrade then downgrade SQL under a
short header. The header's ``-- revision:`` line is what lets a file left
behind be explained: its revision was removed, or its file renamed.

The checks compare through pytest-snapshot's ``Snapshot`` (what its ``snapshot`` fixture yields), so
``--snapshot-update`` and ``--allow-snapshot-deletion`` mean what they mean
everywhere else in a project's suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from limbeck.errors import LimbeckError

if TYPE_CHECKING:
    from limbeck.script import Script
    from limbeck.testing.render import MigrationRenderer, RevisionSQL

__all__ = [
    "SnapshotError",
    "StaleSnapshot",
    "assert_no_stale_snapshots",
    "assert_revision_snapshot",
    "find_stale_snapshots",
    "snapshot_names",
    "snapshot_text",
]

SUFFIX = ".sql"
_REVISION_LINE = "-- revision: "


class SnapshotError(LimbeckError):
    """A revision's snapshot cannot be taken, or snapshot files no revision accounts for."""


def snapshot_names(scripts: Iterable[Script]) -> dict[str, str]:
    """Revision id -> snapshot file name: the revision file's stem plus ``.sql``.

    Two revision files with one name (possible with recursive version
    locations) both get their revision id appended, so neither overwrites the other.
    """
    scripts = list(scripts)
    stems = {s.revision: Path(s.path).stem for s in scripts}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem] = counts.get(stem, 0) + 1
    return {rev: (f"{stem}.{rev}" if counts[stem] > 1 else stem) + SUFFIX for rev, stem in stems.items()}


def snapshot_text(rendered: RevisionSQL) -> str:
    """The file's content: a header, the upgrade SQL, the downgrade SQL."""
    header = [
        f"{_REVISION_LINE}{rendered.revision}",
        f"-- file: {rendered.filename}",
        f"-- message: {' '.join(rendered.doc.split())}" if rendered.doc.strip() else "-- message:",
        f"-- dialect: {rendered.dialect}",
    ]
    parts = [
        "\n".join(header),
        "-- ======== upgrade ========",
        rendered.upgrade.strip("\n"),
        "-- ======== downgrade ========",
        rendered.downgrade.strip("\n"),
    ]
    return "\n\n".join(parts) + "\n"


def snapshot_revision(path: Path) -> str | None:
    """The revision a snapshot file was taken of, from its header (None if it has none)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return None
    if first.startswith(_REVISION_LINE):
        return first[len(_REVISION_LINE):].strip() or None
    return None


def assert_revision_snapshot(snapshot: Any, renderer: MigrationRenderer, revision: str, dialect: str, name: str) -> None:
    """Compare (or, with ``--snapshot-update``, write) one revision's file in ``snapshot.snapshot_dir``.

    Raises:
        SnapshotError: part of the revision cannot be rendered offline for
            ``dialect`` (the reason names the file).
        AssertionError: the SQL differs from the file, or there is no file.
    """
    rendered = renderer.revision(revision, dialect)
    if rendered.problems:
        reasons = "; ".join(rendered.problems)
        raise SnapshotError(f"revision {revision} cannot be rendered offline for {dialect}: {reasons}")
    snapshot.assert_match(snapshot_text(rendered), name)


@dataclass(frozen=True, slots=True)
class StaleSnapshot:
    """A snapshot file no revision accounts for, and the likely reason."""

    path: Path
    #: the revision its header names (None: not a snapshot this plugin wrote)
    revision: str | None
    #: the file that revision now lives in, when it still exists under another name
    now_in: str | None

    @property
    def reason(self) -> str:
        if self.revision is None:
            return "not a revision snapshot, it has no '-- revision:' header"
        if self.now_in is not None:
            return f"renamed, revision {self.revision} is now {self.now_in}"
        return f"removed, revision {self.revision} no longer exists (or its id changed)"


def find_stale_snapshots(folder: Path, names: Mapping[str, str], paths: Mapping[str, str]) -> list[StaleSnapshot]:
    """Snapshot files in ``folder`` that are not the file of any revision.

    Args:
        folder: one dialect's snapshot folder.
        names: revision id -> snapshot file name (see :func:`snapshot_names`).
        paths: revision id -> revision file path, to tell renames from removals.
    """
    if not folder.is_dir():
        return []
    expected = set(names.values())
    stale = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix != SUFFIX or path.name in expected:
            continue
        revision = snapshot_revision(path)
        now_in = os.path.basename(paths[revision]) if revision is not None and revision in paths else None
        stale.append(StaleSnapshot(path, revision, now_in))
    return stale


def assert_no_stale_snapshots(
    folder: Path, names: Mapping[str, str], paths: Mapping[str, str], *, update: bool, allow_deletion: bool
) -> None:
    """Fail when ``folder`` holds snapshots of revisions that are gone; delete them when allowed.

    pytest-snapshot's rules: without ``--snapshot-update`` a stale file is a
    failure; with it, the file is deleted if ``--allow-snapshot-deletion``
    was given (and the check still fails once, so the change gets reviewed),
    else the failure says how to delete it.

    Raises:
        SnapshotError: a stale file was found (and maybe deleted).
    """
    stale = find_stale_snapshots(folder, names, paths)
    if not stale:
        return
    listed = _listed(stale)
    shown = _shown(folder)
    if update and allow_deletion:
        for item in stale:
            item.path.unlink()
        raise SnapshotError(f"{shown}: deleted snapshots of revisions that are gone (review the deletion): {listed}")
    if update:
        raise SnapshotError(f"{shown}: snapshots to delete (run pytest with --allow-snapshot-deletion): {listed}")
    raise SnapshotError(
        f"{shown}: snapshots with no revision (run pytest with --snapshot-update --allow-snapshot-deletion "
        f"to delete them): {listed}"
    )


def _listed(stale: Sequence[StaleSnapshot]) -> str:
    return "; ".join(f"{item.path.name}: {item.reason}" for item in stale)


def _shown(folder: Path) -> str:
    """``folder`` relative to the working directory when it is below it (pytest-snapshot's style)."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(folder)
