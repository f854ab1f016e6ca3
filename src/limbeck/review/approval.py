"""What ``limbeck sql --output-dir`` writes, and ``limbeck verify`` proves unchanged.

An approval is the per-revision files of every requested dialect, the
combined scripts and the manifest over them and the revision sources.
``verify`` never trusts the folder: it checks the manifest's own chain, the
files on disk against it, and then compiles the range again in memory and
compares line by line, naming the first file that differs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.errors import CommandError
from limbeck.review.capture import RevisionRange, script_directory
from limbeck.review.errors import ManifestMismatch, ValidationFailed
from limbeck.review.manifest import (
    MANIFEST_NAME,
    SOURCE,
    SQL,
    Entry,
    Manifest,
    broken_link,
    parse,
    sha256,
    source_entry,
)
from limbeck.review.script_check import first_failure
from limbeck.review.sqlfiles import (
    DialectFiles,
    Flag,
    NotRendered,
    SqlFile,
    build,
    unrendered_error,
)

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.script import ScriptDirectory

#: how the header records "the dialect env.py configures" (no --dialect given)
CONFIGURED = "configured"


@dataclass
class Approval:
    range: RevisionRange
    requested: tuple[str, ...]
    dialects: list[DialectFiles]
    manifest: Manifest
    script_dir: str = ""
    sources: list[Entry] = field(default_factory=list)

    @property
    def files(self) -> list[SqlFile]:
        return [f for d in self.dialects for f in d.files]

    @property
    def flags(self) -> list[Flag]:
        return [f for d in self.dialects for f in d.flags]

    @property
    def unrendered(self) -> list[NotRendered]:
        return [u for d in self.dialects for u in d.unrendered]

    def script_problem(self) -> str | None:
        """The first combined script that does not cut back into its statements, in words."""
        for files in self.dialects:
            failed = first_failure(files.checks)
            if failed is not None:
                return f"{files.dialect}: {failed.problem}"
        return None


def compile_approval(
    config: Config,
    rev_range: RevisionRange,
    dialects: Sequence[str] = (),
    script: ScriptDirectory | None = None,
    *,
    keep_going: bool = False,
    jobs: int | None = None,
) -> Approval:
    """Render every file of the approval in memory (``dialects`` empty: the configured one).

    Raises:
        UnrenderedRevisions: a revision cannot be rendered offline, up or
            down (with ``keep_going`` the files hold it as ``NOT RENDERED``).
        ``jobs``: processes rendering each run (``None``: this one; see limbeck.runtime.parallel).
    """
    script = script or script_directory(config)
    requested: list[str | None] = list(dialects) or [None]
    built = [build(config, rev_range, name, script, keep_going=keep_going, jobs=jobs) for name in requested]
    names = [d.dialect for d in built]
    if len(set(names)) != len(names):
        raise CommandError(f"--dialect: each dialect once please (got {' '.join(names)})")
    sources = [source_entry(_path(built[0].script_of(rev)), script.dir) for rev in built[0].revisions]
    entries = sources + [Entry(SQL, sha256(f.data), f.path) for d in built for f in d.files]
    manifest = Manifest.build(str(rev_range), tuple(dialects) or (CONFIGURED,), entries)
    return Approval(rev_range, tuple(dialects), built, manifest, script.dir, sources)


def _path(revision: Any) -> str:
    """The file that ran for a revision (a checkpoint's, where one stood for it)."""
    path = getattr(revision, "path", None)
    if not path:
        raise CommandError(f"revision {revision.revision} has no file to fingerprint")
    return str(path)


def write(approval: Approval, directory: str) -> list[str]:
    """Write the files and the manifest (last); returns the paths written.

    A folder that holds other files and no manifest is refused; files an
    earlier manifest listed and this approval no longer has are removed.
    """
    manifest_path = os.path.join(directory, MANIFEST_NAME)
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise CommandError(f"--output-dir {directory}: is a file, not a folder")
    if os.path.isdir(directory) and os.listdir(directory) and not os.path.exists(manifest_path):
        raise CommandError(f"--output-dir {directory}: folder is not empty and holds no {MANIFEST_NAME}; use a new folder")
    if os.path.exists(manifest_path):
        old = read_manifest(directory)
        _check_unlisted(directory, old, "remove it or use a new folder: limbeck writes only its own files here")
        _remove_stale(directory, old, {f.path for f in approval.files})
    written = []
    try:
        for item in approval.files:
            target = os.path.join(directory, *item.path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(item.data)
            written.append(target)
        with open(manifest_path, "wb") as handle:
            handle.write(approval.manifest.render().encode("utf-8"))
    except OSError as err:  # a folder that cannot be made or written: one line naming the option
        raise CommandError(f"--output-dir {directory}: cannot write {err.filename or directory}: {err.strerror or err}") from None
    written.append(manifest_path)
    return written


def _remove_stale(directory: str, old: Manifest, keep: set[str]) -> None:
    for line in old.lines:
        if line.entry.kind == SQL and line.entry.path not in keep:
            stale = os.path.join(directory, *line.entry.path.split("/"))
            if os.path.isfile(stale):
                os.remove(stale)


def read_manifest(directory: str) -> Manifest:
    where = os.path.join(directory, MANIFEST_NAME)
    try:
        with open(where, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ManifestMismatch(f"{where}: no manifest here (write one with limbeck sql --output-dir)") from None
    return parse(text, where)


def verify(config: Config, directory: str) -> Approval:
    """Raise :class:`ManifestMismatch` naming the first file that differs from the approval.

    An approval that matches but holds revisions as ``NOT RENDERED`` (written
    with ``sql --keep-going``) fails too: its files do not do what the
    revisions do.
    """
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise ManifestMismatch(f"verify {directory}: is a file, not a folder (give the --output-dir that sql wrote)")
    recorded = read_manifest(directory)
    where = os.path.join(directory, MANIFEST_NAME)
    broken = broken_link(recorded)
    if broken is not None:
        path = recorded.lines[broken].entry.path
        raise ManifestMismatch(f"{where}: line {broken + 4} ({path}) was altered or moved: its chain does not follow")
    _check_disk(directory, recorded)
    _check_unlisted(directory, recorded)
    dialects = tuple(d for d in recorded.dialects if d != CONFIGURED)
    approval = compile_approval(config, RevisionRange.parse(recorded.range), dialects, keep_going=True)
    _compare(recorded, approval, directory)
    if approval.unrendered:
        raise unrendered_error(approval.unrendered, f"{directory}: the approved files hold")
    problem = approval.script_problem()
    if problem is not None:
        raise ValidationFailed(f"{directory}: an approved script does not cut back into its statements: {problem}")
    return approval


def _check_disk(directory: str, recorded: Manifest) -> None:
    for line in recorded.lines:
        if line.entry.kind != SQL:
            continue
        target = os.path.join(directory, *line.entry.path.split("/"))
        try:
            with open(target, "rb") as handle:
                digest = sha256(handle.read())
        except FileNotFoundError:
            raise ManifestMismatch(f"{target}: approved file is missing") from None
        if digest != line.entry.digest:
            raise ManifestMismatch(f"{target}: edited after approval (its SHA-256 differs from the manifest)")


def _check_unlisted(directory: str, recorded: Manifest, hint: str = "remove it, or approve again") -> None:
    """Every file in the folder must be one the manifest approved (or the manifest itself).

    A reviewer approves the folder, so a file added after approval (a
    ``fix.sql`` beside the approved scripts) is as much a change as an
    edited one, and a deploy job globbing ``*.sql`` would run it.
    """
    listed = {line.entry.path for line in recorded.lines if line.entry.kind == SQL}
    listed.add(MANIFEST_NAME)
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        rel_root = os.path.relpath(root, directory)
        # a symbolic link to a folder is not walked into: it is an entry of its own
        entries = sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(root, d)))
        for name in entries:
            rel = name if rel_root == os.curdir else f"{rel_root}/{name}".replace(os.sep, "/")
            if rel not in listed:
                raise ManifestMismatch(f"{os.path.join(root, name)}: not in the approved manifest ({hint})")


def _compare(recorded: Manifest, approval: Approval, directory: str) -> None:
    expected = approval.manifest.lines
    old_paths = {line.entry.path for line in recorded.lines}
    new_paths = {line.entry.path for line in expected}
    for index in range(max(len(expected), len(recorded.lines))):
        want = recorded.lines[index].entry if index < len(recorded.lines) else None
        got = expected[index].entry if index < len(expected) else None
        if want == got:
            continue
        raise ManifestMismatch(_difference(want, got, old_paths, new_paths, approval.script_dir, directory))


def _difference(
    want: Entry | None, got: Entry | None, old_paths: set[str], new_paths: set[str], script_dir: str, directory: str
) -> str:
    def name(entry: Entry) -> str:
        base = script_dir if entry.kind == SOURCE else directory
        # a version location beside the script folder is "../other/versions/..." in the manifest
        return os.path.normpath(os.path.join(base, *entry.path.split("/")))

    if want is not None and got is not None and want.path == got.path:
        if got.kind == SOURCE:
            return f"{name(got)}: revision file changed since approval"
        return f"{name(got)}: the revisions now compile to different SQL than approved"
    if got is not None and got.path not in old_paths:
        if got.kind == SOURCE:
            return f"{name(got)}: revision file not in the approved manifest (a revision was added to the range)"
        return f"{name(got)}: not in the approved manifest (the dialect, range or history changed)"
    if want is not None and want.path not in new_paths:
        if want.kind == SOURCE:
            return f"{name(want)}: approved but no longer in the range (a revision was removed)"
        return f"{name(want)}: approved but no longer produced (the dialect, range or history changed)"
    assert want is not None and got is not None
    return f"{name(got)}: out of the approved order (history reordered: the manifest has {want.path} here)"
