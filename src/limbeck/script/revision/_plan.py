"""Which revisions an upgrade or downgrade touches.

Turns the destination a user typed (``head``, ``ae1027+2``, ``-1``,
``branch@base``...) and the revisions a database is at into the set of
revisions to run; :mod:`._toposort` then puts that set in order. The rules,
including the errors for relative steps that walk off the graph, follow
Alembic's documented behaviour, checked against Alembic as a black box.
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, Union

from limbeck.errors import LimbeckWarning
from limbeck.script.revision._errors import RangeNotAncestorError, RevisionError
from limbeck.script.revision._node import Revision, is_revision, to_tuple

if TYPE_CHECKING:
    from limbeck.script.revision._map import RevisionMap, RevisionOrBase

#: An upgrade/downgrade endpoint: one identifier, several, or None for base.
RevisionIdentifier = Union[str, tuple[str, ...], None]

#: ``[branch@][symbol](+|-)N`` — matched at the start of the text only.
_RELATIVE = re.compile(r"(?:(?P<branch>.+?)@)?(?P<symbol>\w+)?(?P<steps>[+-]\d+)")


def _relative(target: object) -> tuple[str | None, str | None, str] | None:
    """Split a relative identifier, or None if *target* is not one."""
    if not isinstance(target, str):
        return None
    match = _RELATIVE.match(target)
    if match is None:
        return None
    return match.group("branch"), match.group("symbol"), match.group("steps")


def _didnt_produce(steps: str) -> RevisionError:
    return RevisionError(f"Relative revision {steps} didn't produce {abs(int(steps))} migrations")


def walk(
    rmap: RevisionMap,
    start: str | RevisionOrBase | None,
    steps: int,
    branch_label: str | None = None,
    no_overwalk: bool = True,
) -> RevisionOrBase | None:
    """Step up (``steps > 0``) or down from *start* one revision at a time.

    Going up from None starts at the bases; *branch_label* picks among
    several children. Going down past a base reaches the string ``"base"``.
    Walking further than the graph allows returns None, or with
    *no_overwalk* false stops where the graph ends.

    Raises:
        RevisionError: ``Ambiguous walk`` at a branch or merge point.
    """
    current: RevisionOrBase | None = rmap.get_revision(start) if isinstance(start, str) else start
    # The branch's lineage is the same at every step: work it out once, at
    # the first step that has children to choose from (as filtering would).
    shares: list[str] | None = None
    lineage: set[str] = set()
    for _ in range(abs(steps)):
        options: tuple[RevisionOrBase | None, ...]
        if steps > 0:
            above = rmap.get_revisions(rmap.bases if current is None else is_revision(current).nextrev)
            ups = [is_revision(r) for r in above]
            if branch_label and ups:
                if shares is None:
                    shares = rmap._lineage_names(branch_label)
                    lineage = rmap._lineage_of_names(shares, False) if shares else lineage
                if shares:
                    ups = [r for r in ups if r.revision in lineage]
            options = tuple(ups)
        elif current == "base":
            options = ()
        else:
            below = rmap.heads if current is None else is_revision(current).down_revision
            options = rmap.get_revisions(below) or ("base",)
        if not options:
            return None if no_overwalk else current
        if len(options) > 1:
            raise RevisionError("Ambiguous walk")
        current = options[0]
    return current


def parse_upgrade_target(
    rmap: RevisionMap,
    current_revisions: RevisionIdentifier,
    target: RevisionIdentifier,
    assert_relative_length: bool,
) -> tuple[RevisionOrBase | None, ...]:
    """The revisions an upgrade aims for; ``+N`` counts from *current_revisions*."""
    parts = _relative(target)
    if parts is None:
        return rmap.get_revisions(target)
    branch_label, symbol, steps_text = parts
    steps = int(steps_text)
    if steps <= 0:
        if symbol is None:
            raise _didnt_produce(str(steps))  # Alembic prints the number here, not the text
        start = rmap.get_revision(symbol if branch_label is None else f"{branch_label}@{symbol}")
        return (walk(rmap, start, steps, no_overwalk=assert_relative_length),)
    if symbol is not None:
        start = rmap.get_revision(symbol)
        return (walk(rmap, start, steps, branch_label, no_overwalk=assert_relative_length),)
    start_revs = _upgrade_start(rmap, to_tuple(current_revisions) or (None,), branch_label)
    if len(start_revs) > 1:
        raise RevisionError("Ambiguous upgrade from multiple current revisions")
    found = walk(rmap, start_revs[0], steps, branch_label, no_overwalk=assert_relative_length)
    if found is None:
        raise _didnt_produce(steps_text)
    return (found,)


def _upgrade_start(
    rmap: RevisionMap, current: tuple[str | None, ...], branch_label: str | None
) -> tuple[str | Revision | None, ...]:
    """Where ``[branch@]+N`` starts counting from, given the current revisions."""
    if not branch_label:
        return current
    on_branch = rmap.filter_for_lineage(
        [r for r in rmap.get_revisions(current) if r is not None], branch_label
    )
    if on_branch:
        return on_branch
    # The branch has no current revision: start from the newest of its
    # revisions below the current ones (the branch point), or from base.
    below = rmap._get_ancestor_nodes(rmap.get_revisions(current))
    active = rmap.filter_for_lineage(below, branch_label)
    ids = {r.revision for r in active}
    ids -= {down for r in active for down in r._normalized_down_revisions}
    return tuple(sorted(ids)) or (None,)


def parse_downgrade_target(
    rmap: RevisionMap,
    current_revisions: RevisionIdentifier,
    target: RevisionIdentifier,
    assert_relative_length: bool,
) -> tuple[str | None, RevisionOrBase | None]:
    """The ``(branch_label, revision)`` a downgrade aims for; None means base.

    Raises:
        RevisionError: a relative target that cannot be reached, or ``+N``
            without a revision to count from.
    """
    if target is None:
        return None, None
    if not isinstance(target, str):
        raise RevisionError(f"Downgrade target {target!r} must be a single identifier")
    parts = _relative(target)
    if parts is None:
        label, _, name = target.rpartition("@")
        return label or None, rmap.get_revision(name)
    branch_label, symbol, steps_text = parts
    steps = int(steps_text)
    if steps >= 0:
        if symbol is None:
            raise _didnt_produce(steps_text)
        found = walk(rmap, symbol, steps, branch_label, no_overwalk=assert_relative_length)
        if found is None:
            raise RevisionError("Walked too far")
        return branch_label, found
    from_current = symbol is None
    if from_current:
        symbol, branch_label = _downgrade_start(rmap, current_revisions, branch_label, steps_text)
    start = rmap.get_revision(symbol if branch_label is None else f"{branch_label}@{symbol}")
    found = walk(rmap, start, steps, no_overwalk=assert_relative_length)
    if found is None:
        if from_current:
            raise _didnt_produce(steps_text)
        raise RevisionError("Walked too far")
    return branch_label, found


def _downgrade_start(
    rmap: RevisionMap, current_revisions: RevisionIdentifier, branch_label: str | None, steps_text: str
) -> tuple[str | None, str | None]:
    """Which current revision ``[branch@]-N`` counts down from, and the branch to stay on."""
    current = to_tuple(current_revisions)
    if branch_label:
        on_branch = rmap.filter_for_lineage(current, branch_label)
        if not on_branch:
            # Several branches, but only one current head: the others hang
            # below it as dependencies, so look among everything current.
            tips = rmap.get_all_current(current)
            on_branch = tuple(
                r.revision if isinstance(r, Revision) else r
                for r in rmap.filter_for_lineage(tips, branch_label)
            )
        if len(on_branch) != 1:
            raise RevisionError(
                f"Relative revision {steps_text} is ambiguous on branch '{branch_label}': "
                f"{len(on_branch)} current revisions"
            )
        return on_branch[0], branch_label
    if not current:
        raise _didnt_produce(steps_text)
    if len(set(current)) > 1:
        warnings.warn(
            "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.",
            LimbeckWarning,
            stacklevel=5,
        )
    # Stay on the chosen head's own line when branches are involved.
    return current[0], current[0]


def collect_upgrade(
    rmap: RevisionMap,
    upper: RevisionIdentifier,
    lower: RevisionIdentifier,
    inclusive: bool,
    implicit_base: bool,
    assert_relative_length: bool,
) -> tuple[set[Revision], tuple[Revision, ...]]:
    """The revisions needed to go from *lower* up to *upper*, and the targets.

    Everything below the targets that is not already below *lower*. Without
    *implicit_base*, *lower* must be below *upper* and only revisions above
    *lower* count; with it, other branches are brought up from base too.

    Raises:
        RangeNotAncestorError: *lower* is not below *upper*.
    """
    parsed = parse_upgrade_target(rmap, lower, upper, assert_relative_length)
    if any(not isinstance(r, Revision) for r in parsed):
        # A walk from an explicit revision ran off the graph; Alembic fails an
        # internal assertion here, naming the identifier is the useful version.
        raise RevisionError(f"Relative revision {upper} walks past the end of the revision graph")
    targets_seq = [is_revision(r) for r in parsed]
    targets: tuple[Revision, ...] | set[Revision] = tuple(targets_seq)
    if isinstance(lower, str) and "@" in lower:
        branch = lower.partition("@")[0]
        branch_rev = rmap.get_revision(branch)
        if branch_rev is not None and branch_rev.revision == branch:
            # A revision id stands in for the one branch it carries.
            if len(branch_rev.branch_labels) != 1:
                raise RevisionError(
                    f"Revision {branch} carries {len(branch_rev.branch_labels)} branch labels; "
                    "name the branch label instead"
                )
            branch = next(iter(branch_rev.branch_labels))
        targets = {t for t in targets_seq if branch in t.branch_labels}
    required = set(rmap._get_ancestor_nodes(targets, check=True, include_dependencies=True))
    required.update(targets)
    current = rmap.get_revisions(lower)
    if not implicit_base and any(r not in required for r in current if r is not None):
        raise RangeNotAncestorError(lower, upper)
    if current and current[0] is None:
        # A relative lower bound (``-2``) that get_revisions walked off the graph.
        _, rev = parse_downgrade_target(rmap, upper, lower, assert_relative_length)
        if rev is None:
            raise RevisionError(f"Relative revision {lower} walks past the end of the revision graph")
        if rev == "base":
            current, lower = (), None
        else:
            current, lower = (rev,), is_revision(rev).revision
    done = set(rmap._get_ancestor_nodes(current, check=True, include_dependencies=True))
    done.update(is_revision(r) for r in current)
    needs = required - done
    if inclusive:
        needs.update(is_revision(r) for r in rmap.get_revisions(lower))
    if current and not implicit_base:
        above = rmap._get_descendant_nodes(
            [is_revision(r) for r in current], check=True, include_dependencies=False
        )
        needs.intersection_update(above)
    return needs, tuple(targets)


def collect_downgrade(
    rmap: RevisionMap,
    upper: RevisionIdentifier,
    lower: RevisionIdentifier,
    inclusive: bool,
    implicit_base: bool,
    assert_relative_length: bool,
) -> tuple[set[Revision], tuple[RevisionOrBase | None, ...]]:
    """The revisions to remove going from *upper* (current) down to *lower*, and the heads.

    Everything above the target that is currently applied, plus (with
    *implicit_base*) other branches all the way down.

    Raises:
        RangeNotAncestorError: nothing current lies above the target.
        RevisionError: a ``branch@`` target matches none of the candidates.
    """
    branch_label, target = parse_downgrade_target(rmap, upper, lower, assert_relative_length)
    if target == "base":
        target = None
    roots: list[Revision]
    if target is None:
        roots = [r for r in rmap._revision_map.values() if r is not None and r.down_revision is None]
    elif inclusive:
        roots = [is_revision(target)]
    else:
        roots = [is_revision(r) for r in rmap.get_revisions(is_revision(target).nextrev)]
    if branch_label and len(roots) > 1:
        on_branch = {
            r.revision
            for r in rmap._get_ancestor_nodes([rmap._resolve_branch(branch_label)], include_dependencies=False)
        }
        roots = [is_revision(r) for r in rmap.get_revisions(sorted({r.revision for r in roots} & on_branch))]
        if not roots:
            raise RevisionError("Not a valid downgrade target from current heads")
    heads = rmap.get_revisions(upper)
    removing = set(rmap._get_descendant_nodes(roots, include_dependencies=True))
    active = set(rmap._get_ancestor_nodes(heads, include_dependencies=True))
    removing &= active
    if implicit_base:
        removing.update(active.difference(rmap._get_ancestor_nodes(roots)))
    if target is not None and not removing and target not in heads:
        raise RangeNotAncestorError("Nothing to drop", upper)
    return removing, heads
