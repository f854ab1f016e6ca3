"""Per-revision SQL files: one upgrade and one rollback file per revision, plus the combined scripts.

Made from two offline runs of the range per dialect (up, then back down),
each with one transaction per revision, so every revision's statements,
framing and version-table changes sit together in the stream under its
revision tag. A revision's file is its group of chunks, exactly as the
emitter wrote them; the combined script is the whole run. The first
revision's upgrade file includes the version table's CREATE (it is tagged
with that revision). Statements env.py emits outside any revision (before
the first, after the last) go at the top and bottom of every file, so each
file runs on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from limbeck.compiler.statement import EXECUTABLE_KINDS, Kind
from limbeck.errors import CommandError
from limbeck.review.capture import Capture, RevisionRange, capture
from limbeck.review.errors import UnrenderedRevisions
from limbeck.review.script_check import ScriptCheck, check_records
from limbeck.review.stream import UNRENDERED, Record
from limbeck.script.base import Script
from limbeck.script.generate import slugify

if TYPE_CHECKING:
    from limbeck.config import Config
    from limbeck.runtime.steps import MigrationStep
    from limbeck.script import ScriptDirectory

UPGRADE, ROLLBACK = "upgrade", "rollback"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True, slots=True)
class SqlFile:
    """One emitted file: ``path`` is relative to the output folder, with ``/``."""

    path: str
    text: str
    #: "upgrade" or "rollback"
    direction: str
    #: ``None`` for the combined scripts
    revision: str | None = None
    #: the database the file is for, where env.py runs several (``None``: the only one)
    database: str | None = None

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def _where(dialect: str, database: str | None) -> str:
    """The dialect, and the database where env.py runs several (``sqlite engine1``)."""
    return f"{dialect} {database}" if database else dialect


@dataclass(frozen=True, slots=True)
class Flag:
    """A revision a reviewer must look at: its rollback is empty, or the range's rollback does not run it."""

    dialect: str
    revision: str
    reason: str
    #: the database, where env.py runs several
    database: str | None = None

    @property
    def where(self) -> str:
        """How messages name it: ``sqlite``, or ``sqlite engine1`` where env.py runs several databases."""
        return _where(self.dialect, self.database)


@dataclass(frozen=True, slots=True)
class NotRendered:
    """An error: a revision whose upgrade or downgrade the files hold as a ``NOT RENDERED`` block.

    Such a file has no version-table change for the revision (the script
    does not claim what it does not do); ``sql`` writes it only with
    ``--keep-going``, and ``plan`` and ``verify`` report it as an error.
    """

    dialect: str
    revision: str | None
    #: "upgrade" or "downgrade"
    direction: str
    #: the one-line reason, naming the revision file
    reason: str
    #: the database, where env.py runs several
    database: str | None = None

    @property
    def where(self) -> str:
        """How messages name it: ``sqlite``, or ``sqlite engine1`` where env.py runs several databases."""
        return _where(self.dialect, self.database)

    @property
    def text(self) -> str:
        return f"{self.where}: {self.direction} of revision {self.revision} NOT RENDERED: {self.reason}"


@dataclass
class DatabaseFiles:
    """One database's share of a dialect's run: all of it where env.py runs one database."""

    #: the database's name where env.py runs several (the multidb template), else ``None``
    name: str | None
    dialect: str
    #: where its files go: ``sqlite``, or ``sqlite/engine1`` for one of several databases
    folder: str
    #: revision ids of the range, in upgrade order
    revisions: list[str]
    upgrade_records: list[Record]
    rollback_records: list[Record]
    upgrade_script: str
    rollback_script: str
    #: its migration context in the upgrade run (:attr:`Record.context`); ``None``: the whole run
    context: int | None = None


@dataclass
class DialectFiles:
    """Everything emitted for one dialect."""

    dialect: str
    upgrade: Capture
    rollback: Capture
    files: list[SqlFile] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    #: revisions of the range the files hold as NOT RENDERED blocks (errors)
    unrendered: list[NotRendered] = field(default_factory=list)
    #: the whole-script check of the combined upgrade and rollback scripts
    checks: list[ScriptCheck] = field(default_factory=list)
    #: each database's share, in the order env.py ran them (one for a single-database project)
    databases: list[DatabaseFiles] = field(default_factory=list)
    _scripts: dict[str, Script] = field(default_factory=dict, repr=False)

    @property
    def revisions(self) -> list[str]:
        """Revision ids of the range, in upgrade order (once each, however many databases ran them)."""
        return _revision_ids(self.upgrade.steps)

    def script_of(self, revision: str) -> Script:
        """The file that ran for *revision* in this range: its own, or the checkpoint standing for it."""
        if not self._scripts:
            # a range runs revision files: every revision of its steps is a Script
            self._scripts.update((s.revision.revision, s.revision) for s in self.upgrade.steps if isinstance(s.revision, Script))
        return self._scripts[revision]


def _revision_ids(steps: Iterable[MigrationStep]) -> list[str]:
    """The revisions ``steps`` run, in order, once each (several databases run the same)."""
    return list(dict.fromkeys(step.revision.revision for step in steps if step.revision is not None))


def group_by_revision(records: Sequence[Record]) -> tuple[list[Record], dict[str, list[Record]], list[Record]]:
    """(before the first revision, revision -> its records, after the last).

    An untagged record between two revisions (rare: env.py output during the
    run) stays with the revision before it.
    """
    before: list[Record] = []
    groups: dict[str, list[Record]] = {}
    trailing: list[Record] = []
    last: str | None = None
    for record in records:
        if record.revision is not None:
            last = record.revision
            groups.setdefault(last, []).extend(trailing)
            trailing = []
            groups[last].append(record)
        elif last is None:
            before.append(record)
        else:
            trailing.append(record)
    return before, groups, trailing


def _text(records: Iterable[Record]) -> str:
    return "".join(chunk for record in records for chunk in record.chunks)


def file_stem(index: int, revision: str, doc: str | None) -> str:
    """``0002_b2_add_email``: position in the range, revision id, slug of its message."""
    slug = slugify(doc or "", 40)
    stem = f"{index:04d}_{_UNSAFE.sub('_', revision)}"
    return f"{stem}_{slug}" if slug else stem


def _flag(dialect: str, revision: str, group: Sequence[Record], database: str | None = None) -> Flag | None:
    if any(record.kind is Kind.COMMENT and UNRENDERED in record.info for record in group):
        return None  # an error (NotRendered), not a flag
    if not group:  # not even a version-table change: its downgrade never ran, whatever it holds
        return Flag(dialect, revision, "the rollback does not undo it")
    if not any(r.kind in EXECUTABLE_KINDS and r.kind is not Kind.VERSION and not _only_comments(r) for r in group):
        return Flag(dialect, revision, "downgrade is empty", database)
    return None


#: SQL comments, and what a statement holding only them leaves: terminators and blanks
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def _only_comments(record: Record) -> bool:
    """A statement that does nothing: ``op.execute("-- cannot be undone")``, ``"/* irreversible */"``, ``";"``."""
    texts = record.texts
    return bool(texts) and all(not _COMMENTS.sub("", text).replace(";", "").strip() for text in texts)


def not_rendered(dialect: str, up: Capture, down: Capture) -> list[NotRendered]:
    """The NOT RENDERED blocks of both runs, upgrades first."""
    return [
        NotRendered(dialect, record.revision, capture.direction, str(record.info[UNRENDERED]), _database_of(capture, record))
        for capture in (up, down)
        for record in capture.unrendered()
    ]


def _database_of(capture: Capture, record: Record) -> str | None:
    """The name of the database ``record`` is for, where env.py runs several."""
    if not capture.several:
        return None
    return next((d.name for d in capture.databases if d.context == record.context), None)


def unrendered_error(unrendered: Sequence[NotRendered], what: str) -> UnrenderedRevisions:
    """One line for the whole list: how many, then each revision file and reason."""
    listed = "; ".join(f"{u.where} {u.direction}: {u.reason}" for u in unrendered)
    return UnrenderedRevisions(f"{what} {len(unrendered)} revision step(s) that cannot be rendered offline: {listed}")


def build(
    config: Config, rev_range: RevisionRange, dialect: str | None, script: ScriptDirectory, *, keep_going: bool = False,
    jobs: int | None = None,
) -> DialectFiles:
    """Render the range up and down for ``dialect`` (``None``: the configured one) into files.

    Raises:
        UnrenderedRevisions: an upgrade or a downgrade cannot be rendered
            offline (unless ``keep_going``: the files then hold it as a
            ``NOT RENDERED`` block and :attr:`DialectFiles.unrendered` lists it).
    """
    up = capture(config, rev_range, dialect=dialect, per_migration=True, keep_going=True, script=script, jobs=jobs)
    try:
        down = capture(
            config, rev_range, direction="downgrade", dialect=dialect, per_migration=True, keep_going=True,
            script=script, jobs=jobs, undo=up.steps,
        )
    except CommandError as err:  # the upgrade rendered: say it is the rollback the range has none of
        raise CommandError(f"no rollback for {rev_range} (downgrade {rev_range.end}:{rev_range.start}): {err}") from err
    unrendered = not_rendered(up.dialect, up, down)
    if unrendered and not keep_going:
        raise unrendered_error(unrendered, "cannot write the approval:")
    result = DialectFiles(up.dialect, up, down, unrendered=unrendered)
    result.checks = check_records(up.records) + check_records(down.records)
    for part in _parts(up, down):
        result.databases.append(part)
        _write_part(result, part)
    return result


def _parts(up: Capture, down: Capture) -> list[DatabaseFiles]:
    """One part per database env.py ran: the whole run for a single database, else each context's own."""
    if not up.several:
        revisions = _revision_ids(up.steps)
        return [DatabaseFiles(None, up.dialect, up.dialect, revisions, up.records, down.records, up.script, down.script)]
    if [d.name for d in up.databases] != [d.name for d in down.databases]:
        raise CommandError(
            f"env.py ran databases {', '.join(d.name for d in up.databases)} for the upgrade and "
            f"{', '.join(d.name for d in down.databases) or 'none'} for the downgrade: the files need the same on both"
        )
    parts = []
    for mine, theirs in zip(up.databases, down.databases):
        up_records = [r for r in up.records if r.context == mine.context]
        down_records = [r for r in down.records if r.context == theirs.context]
        revisions = _revision_ids(mine.steps)
        parts.append(DatabaseFiles(
            mine.name, mine.dialect, f"{mine.dialect}/{mine.name}", revisions, up_records, down_records,
            _text(up_records), _text(down_records), mine.context,
        ))
    return parts


def _write_part(result: DialectFiles, part: DatabaseFiles) -> None:
    """A database's per-revision files, then its combined scripts, into its folder."""
    up_before, up_groups, up_after = group_by_revision(part.upgrade_records)
    down_before, down_groups, down_after = group_by_revision(part.rollback_records)
    name, folder = part.name, part.folder
    for index, revision in enumerate(part.revisions, start=1):
        stem = file_stem(index, revision, result.script_of(revision).doc)
        body = _text(up_groups.get(revision, ()))
        result.files.append(
            SqlFile(f"{folder}/{stem}.{UPGRADE}.sql", _text(up_before) + body + _text(up_after), UPGRADE, revision, name)
        )
        group = down_groups.get(revision, [])
        body = _text(group)
        result.files.append(SqlFile(
            f"{folder}/{stem}.{ROLLBACK}.sql", _text(down_before) + body + _text(down_after), ROLLBACK, revision, name
        ))
        flag = _flag(part.dialect, revision, group, name)
        if flag is not None:
            result.flags.append(flag)
    result.files.append(SqlFile(f"{folder}/{UPGRADE}.sql", part.upgrade_script, UPGRADE, None, name))
    result.files.append(SqlFile(f"{folder}/{ROLLBACK}.sql", part.rollback_script, ROLLBACK, None, name))
