"""Migration steps: what one run will do, revision by revision.

The command layer turns a target ("head", "-1", "ae10:+2", ...) and the
database's current heads into an ordered list of steps; the migration context
runs them. A step knows which function to call (a revision's ``upgrade`` or
``downgrade``, or nothing for a stamp), how to describe itself in the
``-- Running ...`` comment, and which version-table statements record it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from limbeck.errors import CommandError
from limbeck.script.base import Script
from limbeck.script.revision import (
    MissingRevisionError,
    MultipleHeads,
    RangeNotAncestorError,
    ResolutionError,
    RevisionError,
)

if TYPE_CHECKING:
    from limbeck.compiler.statement import Statement
    from limbeck.runtime.version_table import Heads
    from limbeck.script.revision import Revision, RevisionMap


@contextmanager
def revision_errors(target: object = None, heads: Sequence[str] = (), direction: str = "upgrade") -> Iterator[None]:
    """Turn revision-graph errors into one-line ``CommandError``s for commands."""
    try:
        yield
    except RangeNotAncestorError as err:
        raise CommandError(
            f"Destination {target} is not a valid {direction} target from current head(s)"
        ) from err
    except MultipleHeads as err:
        # as Alembic: the command's own target names the argument, else the one that failed
        argument = target if isinstance(target, str) and target else getattr(err, "argument", target)
        raise CommandError(
            f"Multiple head revisions are present for given argument '{argument}'; please "
            f"specify a specific target revision, '<branchname>@{argument}' to narrow to a specific "
            "head, or 'heads' for all heads"
        ) from err
    except MissingRevisionError as err:
        raise CommandError(str(err)) from err
    except ResolutionError as err:
        # Alembic's wording for an identifier that names no revision
        raise CommandError(f"Can't locate revision identified by '{err.argument}'") from err
    except RevisionError as err:
        raise CommandError(str(err)) from err


class MigrationInfo:
    """What ``on_version_apply`` callbacks learn about a step."""

    def __init__(self, revision_map: Any, step: MigrationStep) -> None:
        self.revision_map = revision_map
        self.is_upgrade = step.is_upgrade
        self.is_stamp = step.is_stamp
        source, destination = step.from_revisions, step.to_revisions
        if isinstance(step, RevisionStep):
            # as Alembic: a revision's downs here include what it depends on (the log line does not)
            downs = _ids(step.revision._normalized_down_revisions)
            mine = (step.revision.revision,)
            source, destination = (downs, mine) if step.is_upgrade else (mine, downs)
        self.up_revision_ids = destination if step.is_upgrade else source
        self.down_revision_ids = source if step.is_upgrade else destination
        self.source_revision_ids = source
        self.destination_revision_ids = destination

    @property
    def is_migration(self) -> bool:
        return not self.is_stamp

    @property
    def up_revision_id(self) -> str | None:
        ids = self.up_revision_ids
        return ids[0] if len(ids) == 1 else None if not ids else ids[0]

    def _revs(self, ids: Sequence[str]) -> tuple[Any, ...]:
        return tuple(self.revision_map.get_revisions(tuple(ids))) if ids else ()

    @property
    def up_revision(self) -> Any:
        return self.revision_map.get_revision(self.up_revision_id) if self.up_revision_id else None

    @property
    def up_revisions(self) -> tuple[Any, ...]:
        return self._revs(self.up_revision_ids)

    @property
    def down_revisions(self) -> tuple[Any, ...]:
        return self._revs(self.down_revision_ids)

    @property
    def source_revisions(self) -> tuple[Any, ...]:
        return self._revs(self.source_revision_ids)

    @property
    def destination_revisions(self) -> tuple[Any, ...]:
        return self._revs(self.destination_revision_ids)


def _ids(revs: Sequence[Any]) -> tuple[str, ...]:
    return tuple(r for r in revs if r)


class MigrationStep:
    """Base of the three kinds of step; carries what ``MigrationInfo`` reports."""

    name = "migration"
    is_upgrade = True
    is_stamp = False
    revision: "Revision | None" = None

    @property
    def doc(self) -> str:
        return ""

    @property
    def short_log(self) -> str:
        return f"{', '.join(self.from_revisions)} -> {', '.join(self.to_revisions)}"

    @property
    def from_revisions(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def to_revisions(self) -> tuple[str, ...]:
        raise NotImplementedError

    def run(self, **kw: Any) -> None:
        """Call the revision's function; a stamp has none."""

    def version_statements(self, heads: "Heads", revision_map: "RevisionMap | None") -> list["Statement"]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.short_log}>"


class RevisionStep(MigrationStep):
    """Run one revision's ``upgrade()`` or ``downgrade()``."""

    revision: Revision

    def __init__(self, revision: Revision, is_upgrade: bool) -> None:
        self.revision = revision
        self.is_upgrade = is_upgrade
        self.name = "upgrade" if is_upgrade else "downgrade"

    @property
    def doc(self) -> str:
        return str(getattr(self.revision, "doc", "") or "")

    @property
    def path(self) -> str | None:
        return getattr(self.revision, "path", None)

    @property
    def migration_fn(self) -> Callable[..., Any]:
        script = self.revision
        assert isinstance(script, Script), "a step of a script directory's range runs a revision file"
        fn: Callable[..., Any] | None = getattr(script.module, self.name, None)
        if fn is None:
            # the runner's failure line already names the file and the direction
            raise CommandError(f"revision {script.revision} has no {self.name}() function")
        return fn

    def run(self, **kw: Any) -> None:
        self.migration_fn(**kw)

    @property
    def _display_downs(self) -> tuple[str, ...]:
        return _ids(self.revision._versioned_down_revisions)

    @property
    def from_revisions(self) -> tuple[str, ...]:
        return self._display_downs if self.is_upgrade else (self.revision.revision,)

    @property
    def to_revisions(self) -> tuple[str, ...]:
        return (self.revision.revision,) if self.is_upgrade else self._display_downs

    def version_statements(self, heads: "Heads", revision_map: "RevisionMap | None") -> list["Statement"]:
        rev = self.revision
        assert rev is not None
        downs = _ids(rev._normalized_down_revisions)
        if self.is_upgrade:
            return heads.upgrade(rev.revision, downs)
        others = [h for h in heads.heads if h != rev.revision]
        if revision_map is None and downs and (others or len(downs) > 1):
            # a MigrationContext a program made without its script directory: which rows a downgrade
            # keeps depends on the graph (Alembic's fails earlier there, at the revision's first op.)
            raise CommandError(
                f"downgrading {rev.revision} needs the revision map: configure the MigrationContext with "
                "opts={'script': script_directory} (EnvironmentContext.configure() passes it)"
            )
        if not downs or revision_map is None:
            covered: set[str] = set()
        elif others:
            # rows another head already stands for are not restored
            covered = _covered(revision_map, others, downs)
        else:
            # as Alembic: alone in the table, a revision whose down_revision is an ancestor of
            # its dependency (or the reverse) goes back to the upper one only
            covered = _below_each_other(revision_map, downs)
        return heads.downgrade(rev.revision, [d for d in downs if d not in covered])


class StampStep(MigrationStep):
    """Move the version table to a revision without running anything."""

    is_stamp = True
    name = "stamp_revision"

    def __init__(self, target: str | None, related: Sequence[str], is_upgrade: bool = True) -> None:
        self.target = target
        self.related = tuple(related)
        self.is_upgrade = is_upgrade

    @property
    def from_revisions(self) -> tuple[str, ...]:
        return self.related

    @property
    def to_revisions(self) -> tuple[str, ...]:
        return (self.target,) if self.target else ()

    def version_statements(self, heads: "Heads", revision_map: "RevisionMap | None") -> list["Statement"]:
        return heads.stamp(self.target, self.related)


def _below_each_other(revision_map: "RevisionMap", downs: Sequence[str]) -> set[str]:
    """Those of ``downs`` that are ancestors of another of them."""
    if len(downs) < 2:
        return set()
    below: set[str] = set()
    for down in downs:
        # a walk from each that stops below the others' ranks: a merge's parents are usually
        # recent, so this reads a few revisions where the whole ancestry is the history
        below |= _covered(revision_map, [down], [other for other in downs if other != down])
    return below


def _covered(revision_map: "RevisionMap", heads: Sequence[str], candidates: Sequence[str]) -> set[str]:
    """Those of ``candidates`` at or below ``heads`` (dependencies included).

    The same answer as intersecting with :func:`_ancestry`, without walking
    everything below the heads for every downgrade step (quadratic on long
    histories): walking down only lowers a revision's topological rank, so a
    revision ranked below every candidate cannot lead to one and is not
    entered.
    """
    ranks = revision_map._ranks()
    wanted = set(candidates)
    if any(c not in ranks for c in wanted):
        return wanted & _ancestry(revision_map, heads)
    floor = min(ranks[c] for c in wanted)
    lookup = revision_map._revision_map
    found: set[str] = set()
    seen: set[str] = set()
    stack = [r.revision for r in revision_map.get_revisions(tuple(heads)) if r is not None and not isinstance(r, str)]
    while stack:
        rid = stack.pop()
        if rid in seen:
            continue
        seen.add(rid)
        rank = ranks.get(rid)
        if rank is None:
            return wanted & _ancestry(revision_map, heads)
        if rank < floor:
            continue
        if rid in wanted:
            found.add(rid)
            if found == wanted:
                break
        node = lookup.get(rid)
        if node is not None:
            stack.extend(node._normalized_down_revisions)
    return found


def _ancestry(revision_map: "RevisionMap", heads: Sequence[str]) -> set[str]:
    """Every revision at or below ``heads`` (dependencies included)."""
    nodes = revision_map._get_ancestor_nodes(revision_map.get_revisions(tuple(heads)), include_dependencies=True)
    return {n.revision for n in nodes if n is not None}


def upgrade_steps(revision_map: "RevisionMap", destination: str, heads: Sequence[str]) -> list[RevisionStep]:
    """Steps from ``heads`` up to ``destination``, in the order they run."""
    from limbeck.runtime.checkpoints import with_checkpoints  # checkpoints builds on this module's RevisionStep

    with revision_errors(destination, heads):
        revs = list(revision_map.iterate_revisions(destination, tuple(heads), implicit_base=True))
    return with_checkpoints(revision_map, revs[::-1], True)


def downgrade_steps(revision_map: "RevisionMap", destination: str | None, heads: Sequence[str]) -> list[RevisionStep]:
    """Steps from ``heads`` down to ``destination``, in the order they run."""
    from limbeck.runtime.checkpoints import with_checkpoints  # checkpoints builds on this module's RevisionStep

    with revision_errors(destination, heads, "downgrade"):
        revs = list(revision_map.iterate_revisions(tuple(heads), destination, select_for_downgrade=True))
    return with_checkpoints(revision_map, revs, False)


def stamp_steps(revision_map: "RevisionMap", targets: Sequence[str | None], heads: Sequence[str]) -> list[StampStep]:
    """The stamp steps from ``heads`` to ``targets``, all planned against the same starting heads.

    As Alembic: the heads on the lineage of any target are the rows the steps move; a
    target already among them is left alone; a target above them moves them up to it, one
    below moves them down, one on a lineage of its own becomes a new row, and ``base``
    removes them. Targets are not planned against each other, so ``stamp b c`` from an empty
    table writes both rows, as Alembic does.
    """
    current = list(heads)
    # as Alembic: no target at all (``command.stamp(config, ())``) is "base": the table is emptied
    targets = list(targets) or ["base"]
    lineage: list[str] = []
    with revision_errors(targets[0] if len(targets) == 1 else None, current), _stamp_errors():
        for target in targets:
            if target:
                # as Alembic: the target, as written, is matched against the lineage of the
                # current heads, so a relative one ("-1") names no revision once the version
                # table has rows (on an empty one it is counted down from the heads)
                found = revision_map.filter_for_lineage(current, target, include_dependencies=True)
                lineage.extend(_id(r) for r in found if _id(r) not in lineage)
        destinations: list[str | None] = [r for t in targets for r in _resolve_stamp_target(revision_map, t)]
    steps: list[StampStep] = []
    for rev_id in destinations or [None]:
        if rev_id is None:
            steps.extend(StampStep(None, [head], is_upgrade=False) for head in lineage)
        elif rev_id in lineage:
            continue
        elif lineage and set(lineage) & _descendants(revision_map, rev_id):
            steps.append(StampStep(rev_id, lineage, is_upgrade=False))
        elif lineage and set(lineage) & _ancestry(revision_map, [rev_id]):
            steps.append(StampStep(rev_id, lineage, is_upgrade=True))
        else:
            steps.append(StampStep(rev_id, (), is_upgrade=True))
    return steps


@contextmanager
def _stamp_errors() -> Iterator[None]:
    """Alembic's wording when a stamp target stands for several heads."""
    try:
        yield
    except MultipleHeads as err:
        raise CommandError("Multiple heads are present; please specify a single target revision") from err


def _id(rev: Any) -> str:
    return rev if isinstance(rev, str) else str(rev.revision)


def _descendants(revision_map: "RevisionMap", rev_id: str) -> set[str]:
    nodes = revision_map._get_descendant_nodes(revision_map.get_revisions((rev_id,)), include_dependencies=True)
    return {n.revision for n in nodes if n is not None}


def _resolve_stamp_target(revision_map: "RevisionMap", target: str | None) -> list[str]:
    if target in (None, "base"):
        return []
    revs = revision_map.get_revisions(target)
    return [r.revision for r in revs if r is not None and not isinstance(r, str)]


#: a relative step where an offline start is read: "label@-1", "label@+2"
_RELATIVE = re.compile(r"[^@]+@([+-]\d+)")


def is_base_start(start: Any) -> bool:
    """An offline start before every revision: none, ``base``, or a branch's ``label@base``."""
    return start in (None, "base") or (isinstance(start, str) and start.endswith("@base"))


def offline_start(revision_map: "RevisionMap", start: Any) -> tuple[str, ...]:
    """The heads an offline run starts from: ``base`` (or none) is empty, else the revisions ``start`` names.

    Each comma-separated part is resolved to full identifiers (a unique prefix is completed, as
    Alembic does), so the version rows the script updates are the ones the database holds.
    ``heads`` stands for every head (Alembic refuses it when there are several: README,
    "Offline scripts").
    """
    if is_base_start(start):
        return ()
    parts = start.split(",") if isinstance(start, str) else list(start)
    ids: list[str] = []
    for part in parts:
        if is_base_start(part):
            continue
        with revision_errors():
            relative = _RELATIVE.fullmatch(part) if isinstance(part, str) else None
            if relative is not None:
                # as Alembic: a start names revisions, it takes no step ("label@-1")
                raise ResolutionError(f"Can't locate revision identified by '{relative.group(1)}'", relative.group(1))
            revs = revision_map.get_revisions(part)
        ids.extend(r.revision for r in revs if r is not None and not isinstance(r, str) and r.revision not in ids)
    return tuple(ids)
