"""The revision graph: lookup, traversal and identifier resolution.

:class:`RevisionMap` is built lazily from a zero-argument callable, so a
script directory can hand it a generator that reads files only when the
graph is first needed. Public and underscored method names are Alembic's;
runtime code (ours and users') calls the underscored ones.

Every traversal is iterative and visits each revision once per call, so the
cost of any query is linear in the size of the history.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, TypeVar, Union

from limbeck.errors import LimbeckWarning
from limbeck.script.revision import _build, _plan, _toposort, _traverse
from limbeck.script.revision._build import RevisionLookup
from limbeck.script.revision._errors import (
    MissingRevisionError,
    MultipleHeads,
    ResolutionError,
    RevisionError,
)
from limbeck.script.revision._names import MapNames
from limbeck.script.revision._node import Revision, is_revision, to_tuple

#: What resolution hands back: a revision, ``None`` for the empty base, or
#: the string ``"base"`` that a downward walk past the first revision yields.
RevisionOrBase = Union[Revision, str]
GetRevArg = Union[str, Iterable[Union[str, Revision, None]], None]
#: what filter_for_lineage keeps: revision ids or revisions, given back as they came
_T = TypeVar("_T", bound="Revision | str | None")

#: Partial identifiers only match keys longer than this, so that a short
#: label or id is never picked up by accident.
_MIN_PARTIAL_KEY = 3


class RevisionMap:
    """All revisions of a script directory, linked into a graph.

    Args:
        generator: called once, on first use, to produce the revisions.
        build: called instead of linking the generator's revisions, when
            given: a script directory's graph may come from its cache
            (:mod:`limbeck.script.graphcache`), which also registers the
            names and checkpoints the generator would have.
    """

    def __init__(
        self, generator: Callable[[], Iterable[Revision]], *, build: Callable[[], _build.BuiltGraph] | None = None
    ) -> None:
        self._generator = generator
        self._builder = build
        #: tags, retired names and checkpoints, given while the revisions are generated
        self.names = MapNames()

    @property
    def checkpoints(self) -> Mapping[str, Revision]:
        """Checkpoints kept beside the graph while the files they replace are still
        there, by the revision each stands for (see ``limbeck.script.checkpoints``)."""
        self._revision_map  # noqa: B018 - building the map registers them
        return self.names.checkpoints

    def register_checkpoint(self, checkpoint: Revision) -> None:
        """Keep *checkpoint* beside the graph (called while the revisions are generated)."""
        self.names.checkpoints[checkpoint.revision] = checkpoint

    def register_names(self, aliases: Mapping[str, str], retired: Mapping[str, str]) -> None:
        """Names resolved before anything else: *aliases* (a release tag -> its revision id)
        and *retired* names (an id squashed away, a tag naming one -> why it is gone).

        Called while the revisions are generated (see ``limbeck.script.tags``).
        """
        self.names.aliases.update(aliases)
        self.names.retired.update(retired)

    # ---- building -----------------------------------------------------

    @cached_property
    def _revision_map(self) -> RevisionLookup:
        built = self._builder() if self._builder is not None else _build.build_graph(self._generator())
        # Stored straight into the instance so the cached properties below
        # find them; ``add_revision`` later reassigns them the same way.
        self.__dict__.update(
            heads=built.heads,
            bases=built.bases,
            _real_heads=built.real_heads,
            _real_bases=built.real_bases,
            _rank_cache=built.ranks,
        )
        return built.map

    @cached_property
    def heads(self) -> tuple[str, ...]:
        """Revisions no ``down_revision`` names, in declaration order."""
        return self._built("heads")

    @cached_property
    def bases(self) -> tuple[str, ...]:
        """Revisions without a ``down_revision``, in declaration order."""
        return self._built("bases")

    @cached_property
    def _real_heads(self) -> tuple[str, ...]:
        return self._built("_real_heads")

    @cached_property
    def _real_bases(self) -> tuple[str, ...]:
        return self._built("_real_bases")

    def _built(self, name: str) -> tuple[str, ...]:
        self._revision_map  # building stores the ends in the instance dict
        value: tuple[str, ...] = self.__dict__[name]
        return value

    @property
    def real_heads(self) -> tuple[str, ...]:
        """Heads that no ``depends_on`` names either (what ``heads`` resolves to)."""
        return self._real_heads

    @property
    def real_bases(self) -> tuple[str, ...]:
        """Bases that declare no ``depends_on`` either."""
        return self._real_bases

    def add_revision(self, revision: Revision, _replace: bool = False) -> None:
        """Add one newly written revision to an already built map.

        Meant for the revision just generated, not for filling a map: the new
        revision labels the plain stretch below it but inherits nothing, as
        in Alembic.

        Raises:
            RevisionError: *_replace* is set but the revision is not there, or
                one of its branch labels is taken.
            MissingRevisionError: it names a revision the map lacks.
        """
        map_ = self._revision_map
        self.__dict__.pop("_rank_cache", None)
        if not _replace and revision.revision in map_:
            warnings.warn(f"Revision {revision.revision} is present more than once", LimbeckWarning, stacklevel=2)
        elif _replace and revision.revision not in map_:
            raise RevisionError(f"revision {revision.revision} not in map")
        map_[revision.revision] = revision
        _label_stretch_below(revision, map_)
        _build.map_branch_labels([revision], map_)
        _build.resolve_dependencies([revision], map_)
        if revision.is_base:
            self.bases += (revision.revision,)
        if revision._is_real_base:
            self._real_bases += (revision.revision,)
        for down in revision._all_down_revisions:
            parent = map_.get(down)
            if parent is None:
                raise MissingRevisionError(down, revision.revision)
            parent.add_nextrev(revision)
        self._normalize_one(revision)
        if revision._is_real_head:
            gone = set(revision._all_down_revisions) | {revision.revision}
            self._real_heads = tuple(h for h in self._real_heads if h not in gone) + (revision.revision,)
        if revision.is_head:
            gone = set(revision._versioned_down_revisions) | {revision.revision}
            self.heads = tuple(h for h in self.heads if h not in gone) + (revision.revision,)

    def _ranks(self) -> dict[str, int]:
        """A topological numbering (below before above), computed once per map.

        Lets range checks stop searching downward as soon as they are below
        everything they could still meet.
        """
        ranks: dict[str, int] | None = self.__dict__.get("_rank_cache")
        if ranks is None:
            revs = [r for k, r in self._revision_map.items() if r is not None and k == r.revision]
            pending = {r.revision: len(r._normalized_down_revisions) for r in revs}
            order = [r for r in revs if not pending[r.revision]]
            for rev in order:  # grows while iterating
                for child in sorted(rev._all_nextrev):
                    child_rev = self._revision_map.get(child)
                    if child_rev is None or rev.revision not in child_rev._normalized_down_revisions:
                        continue
                    pending[child] -= 1
                    if not pending[child]:
                        order.append(child_rev)
            ranks = {r.revision: i for i, r in enumerate(order)}
            self.__dict__["_rank_cache"] = ranks
        return ranks

    def _normalize_one(self, revision: Revision) -> None:
        inherited: set[str] = set()
        for rev in self._get_ancestor_nodes([revision], include_dependencies=False):
            if rev is not revision:
                inherited.update(rev._resolved_dependencies)
        revision._normalized_resolved_dependencies = tuple(
            dict.fromkeys(d for d in revision._resolved_dependencies if d not in inherited)
        )

    # ---- traversal ----------------------------------------------------

    def _iterate_related_revisions(
        self,
        fn: Callable[[Revision], Iterable[str]],
        targets: Collection[RevisionOrBase | None],
        map_: RevisionLookup | None = None,
        check: bool = False,
    ) -> Iterator[Revision]:
        """Depth-first, pre-order walk from each target along *fn*'s links.

        Each revision is yielded once. With *check*, a target whose walk
        runs into another target is an error: callers use it to reject
        ranges such as ``upgrade a:b`` where ``a`` and ``b`` overlap.

        Raises:
            RevisionError: a target is not a revision; a link does not
                resolve to the revision it names; or (*check*) targets overlap.
        """
        return _traverse.iterate_related(fn, targets, self._revision_map if map_ is None else map_, check)

    def _get_ancestor_nodes(
        self,
        targets: Collection[RevisionOrBase | None],
        map_: RevisionLookup | None = None,
        check: bool = False,
        include_dependencies: bool = True,
    ) -> Iterator[Revision]:
        """The targets and everything below them (``depends_on`` links too, by default)."""
        fn = _traverse.normalized_downs if include_dependencies else _traverse.versioned_downs
        return self._iterate_related_revisions(fn, targets, map_=map_, check=check)

    def _get_descendant_nodes(
        self,
        targets: Collection[RevisionOrBase | None],
        map_: RevisionLookup | None = None,
        check: bool = False,
        omit_immediate_dependencies: bool = False,
        include_dependencies: bool = True,
    ) -> Iterator[Revision]:
        """The targets and everything above them.

        *omit_immediate_dependencies* ignores revisions that merely depend on
        a target while still following dependencies further up.
        """
        targets = list(targets)
        fn = _traverse.up_links(targets, omit_immediate_dependencies, include_dependencies)
        return self._iterate_related_revisions(fn, targets, map_=map_, check=check)

    def _lineage_ids(self, revs: Iterable[Revision], include_dependencies: bool) -> set[str]:
        """Ids of everything above or below any of *revs* (themselves included)."""
        revs = list(revs)
        ids = {r.revision for r in self._get_ancestor_nodes(revs, include_dependencies=include_dependencies)}
        ids.update(r.revision for r in self._get_descendant_nodes(revs, include_dependencies=include_dependencies))
        return ids

    def _shares_lineage(
        self,
        target: Revision | str | None,
        test_against_revs: Sequence[Revision | str] | Revision | str,
        include_dependencies: bool = False,
    ) -> bool:
        """Whether *target* is above, below or equal to any of *test_against_revs*."""
        if not test_against_revs:
            return True
        resolved = target if isinstance(target, Revision) else self._revision_for_ident(target)
        resolved = is_revision(resolved)
        tests = self._resolve_all(to_tuple(test_against_revs))
        ids = {r.revision for r in tests if r is not None}
        lineage = self._lineage_ids([resolved], include_dependencies)
        return bool(lineage & ids)

    def _resolve_all(self, revs: Iterable[Revision | str]) -> list[Revision | None]:
        return [r if isinstance(r, Revision) else self._revision_for_ident(r) for r in revs]

    def filter_for_lineage(
        self, targets: Iterable[_T], check_against: GetRevArg, include_dependencies: bool = False
    ) -> tuple[_T, ...]:
        """Keep the targets that share a line of history with *check_against*.

        *check_against* may be a revision, a branch label, ``label@rev`` or a
        symbolic name; with nothing to check against, every target is kept.
        The lineage of *check_against* is computed once, so filtering is
        linear whatever the number of targets.
        """
        shares = self._lineage_names(check_against)
        if not shares:
            return tuple(targets)
        kept: list[_T] = []
        lineage: set[str] | None = None
        for target in targets:
            resolved = is_revision(
                target if isinstance(target, Revision) else self._revision_for_ident(target)
            )
            if lineage is None:
                lineage = self._lineage_of_names(shares, include_dependencies)
            if resolved.revision in lineage:
                kept.append(target)
        return tuple(kept)

    def _lineage_names(self, check_against: GetRevArg) -> list[str]:
        """The branch label and ids *check_against* stands for (empty: no restriction)."""
        ids, branch_label = self._resolve_revision_number(check_against)
        shares: list[str] = [branch_label] if branch_label else []
        shares.extend(ids)
        return shares

    def _lineage_of_names(self, shares: list[str], include_dependencies: bool) -> set[str]:
        tests = [r for r in self._resolve_all(shares) if r is not None]
        return self._lineage_ids(tests, include_dependencies)

    def _filter_into_branch_heads(self, targets: Iterable[RevisionOrBase | None]) -> set[RevisionOrBase | None]:
        """Drop the targets that lie below another target (``down_revision`` only)."""
        revs = {is_revision(t) for t in targets}
        below: set[str] = set()
        parents = [
            p for r in revs for p in _traverse.linked(self._revision_map, r._versioned_down_revisions)
        ]
        below.update(r.revision for r in self._get_ancestor_nodes(parents, include_dependencies=False))
        return {r for r in revs if r.revision not in below}

    def _get_all_current(self, id_: tuple[str, ...]) -> set[RevisionOrBase | None]:
        """The branch tips of everything at or below *id_* (dependencies included)."""
        top: set[RevisionOrBase | None] = set(self.get_revisions(id_))
        top.update(self._get_ancestor_nodes(list(top), include_dependencies=True))
        return self._filter_into_branch_heads(top)

    def _get_base_revisions(self, identifier: GetRevArg) -> tuple[str, ...]:
        """The base revisions that *identifier* (``label@base``, a revision, ``heads``) grows from."""
        return self.filter_for_lineage(self.bases, identifier)

    # ---- resolution ---------------------------------------------------

    def get_current_head(self, branch_label: str | None = None) -> str | None:
        """The one head (of *branch_label*, if given), or None when there is none.

        Raises:
            MultipleHeads: more than one head qualifies.
        """
        current: Sequence[str] = self.heads
        if branch_label:
            current = self.filter_for_lineage(current, branch_label)
        if len(current) > 1:
            raise MultipleHeads(current, f"{branch_label}@head" if branch_label else "head")
        return current[0] if current else None

    def _resolve_revision_number(self, id_: GetRevArg) -> tuple[tuple[str, ...], str | None]:
        """Split ``label@...`` and expand ``head``, ``heads`` and ``base`` into ids.

        Raises:
            RevisionError: *id_* is not a string (usually a driver returning
                bytes from the version table).
        """
        branch_label: str | None = None
        if isinstance(id_, str) and "@" in id_:
            branch_label, id_ = id_.split("@", 1)
        elif id_ is not None and not _is_id_or_ids(id_):
            raise RevisionError(
                f"revision identifier {id_!r} is not a string; ensure database driver settings are correct"
            )
        self._revision_map
        if (self.names.aliases or self.names.retired) and isinstance(id_, str):
            id_ = self.names.resolve(id_)
        if id_ == "heads":
            if branch_label:
                return self.filter_for_lineage(self.heads, branch_label), branch_label
            return self._real_heads, branch_label
        if id_ == "head":
            head = self.get_current_head(branch_label)
            return ((head,) if head else ()), branch_label
        if id_ == "base" or id_ is None:
            return (), branch_label
        return to_tuple(id_), branch_label

    def get_revisions(self, id_: GetRevArg) -> tuple[RevisionOrBase | None, ...]:
        """Every revision *id_* names.

        Accepts one identifier or a collection of them. ``base`` gives an
        empty tuple; ``-N`` and ``label@-N`` walk N steps down from each head.

        Raises:
            ResolutionError: an identifier matches nothing, or several revisions.
            MultipleHeads: ``head`` was given while there are several.
        """
        if isinstance(id_, (list, tuple, set, frozenset)):
            found: list[RevisionOrBase | None] = []
            for item in id_:
                found.extend(self.get_revisions(item))
            return tuple(found)
        ids, branch_label = self._resolve_revision_number(id_)
        if len(ids) == 1:
            steps = _as_int(ids[0])
            if steps is not None and steps < 0:
                heads = self.get_revisions("heads")
                if branch_label is not None:
                    heads = tuple(h for h in heads if branch_label in is_revision(h).branch_labels)
                return tuple(_plan.walk(self, h, steps) for h in heads)
        return tuple(self._revision_for_ident(rid, branch_label) for rid in ids)

    def get_revision(self, id_: str | None) -> Revision | None:
        """The single revision *id_* names, or None for ``base``.

        Raises:
            MultipleHeads: *id_* names more than one revision.
            ResolutionError: *id_* matches nothing, or several revisions.
        """
        ids, branch_label = self._resolve_revision_number(id_)
        if len(ids) > 1:
            raise MultipleHeads(ids, id_)
        return self._revision_for_ident(ids[0] if ids else (), branch_label)

    def _resolve_branch(self, branch_label: str) -> Revision | None:
        """The revision a branch label (or revision id, or unique prefix) names.

        Raises:
            ResolutionError: ``No such branch``.
        """
        map_ = self._revision_map
        if branch_label in map_:
            return map_[branch_label]
        try:
            return self._revision_for_ident(branch_label)
        except ResolutionError as err:
            raise ResolutionError(f"No such branch: '{branch_label}'", branch_label) from err

    def _revision_for_ident(
        self, resolved_id: str | tuple[()] | None, check_branch: str | None = None
    ) -> Revision | None:
        """Look up one concrete id, falling back to a unique-prefix match.

        With *check_branch*, the prefix match is narrowed to that branch and
        the result must belong to it.

        Raises:
            ResolutionError: nothing matches, several do, or the match is not
                on *check_branch*.
        """
        branch_rev = self._resolve_branch(check_branch) if check_branch else None
        map_ = self._revision_map
        if resolved_id in map_:
            revision = map_[resolved_id]
        else:
            revision = self._match_prefix(resolved_id, check_branch)
        if check_branch and revision is not None:
            assert branch_rev is not None
            if not self._shares_lineage(revision.revision, branch_rev.revision):
                raise ResolutionError(
                    f"Revision {revision.revision} is not a member of branch '{check_branch}'",
                    revision.revision if resolved_id is None else str(resolved_id),
                )
        return revision

    def _match_prefix(self, prefix: Any, check_branch: str | None) -> Revision:
        if not isinstance(prefix, str) or not prefix:
            raise ResolutionError(f"No such revision or branch '{prefix or ''}'", prefix or "")
        keys: Sequence[str] = [
            k for k in self._revision_map if isinstance(k, str) and len(k) > _MIN_PARTIAL_KEY and k.startswith(prefix)
        ]
        if keys and check_branch:
            keys = self.filter_for_lineage(keys, check_branch)
        if not keys:
            hint = (
                "; please ensure at least four characters are present for partial revision identifier matches"
                if len(prefix) < 4
                else ""
            )
            raise ResolutionError(f"No such revision or branch '{prefix}'{hint}", prefix)
        if len(keys) > 1:
            listed = ", ".join(f"'{k}'" for k in keys[:3])
            raise ResolutionError(f"Multiple revisions start with '{prefix}': {listed}...", prefix)
        found = self._revision_map[keys[0]]
        assert found is not None
        return found

    # ---- ranges ---------------------------------------------------------

    def iterate_revisions(
        self,
        upper: _plan.RevisionIdentifier,
        lower: _plan.RevisionIdentifier,
        implicit_base: bool = False,
        inclusive: bool = False,
        assert_relative_length: bool = True,
        select_for_downgrade: bool = False,
    ) -> Iterator[Revision]:
        """The revisions between *lower* and *upper*, newest first.

        Without *select_for_downgrade* this is what an upgrade from *lower*
        to *upper* applies (read it backwards); with it, what a downgrade
        from *upper* to *lower* removes, in order. *implicit_base* lets the
        range start below *lower* on other branches; *inclusive* includes
        *lower* itself.

        Raises:
            RangeNotAncestorError: *lower* is not below *upper*.
            RevisionError: a relative identifier walks off the graph or is
                ambiguous, or an identifier cannot be resolved.
        """
        collect = _plan.collect_downgrade if select_for_downgrade else _plan.collect_upgrade
        revisions, heads = collect(self, upper, lower, inclusive, implicit_base, assert_relative_length)
        map_ = self._revision_map
        for rev_id in self._topological_sort(revisions, heads):
            found = map_[rev_id]
            assert found is not None
            yield found

    def _topological_sort(self, revisions: Collection[Revision], heads: Iterable[RevisionOrBase | None]) -> list[str]:
        """Order *revisions* newest first, finishing one branch before the next."""
        return _toposort.topological_sort(self, revisions, heads)

    def _walk(
        self,
        start: str | RevisionOrBase | None,
        steps: int,
        branch_label: str | None = None,
        no_overwalk: bool = True,
    ) -> RevisionOrBase | None:
        """Step *steps* revisions up (positive) or down (negative) from *start*."""
        return _plan.walk(self, start, steps, branch_label, no_overwalk)

    def _parse_upgrade_target(
        self, current_revisions: _plan.RevisionIdentifier, target: _plan.RevisionIdentifier, assert_relative_length: bool
    ) -> tuple[RevisionOrBase | None, ...]:
        """Resolve an upgrade destination, including ``+N`` relative to *current_revisions*."""
        return _plan.parse_upgrade_target(self, current_revisions, target, assert_relative_length)

    def _parse_downgrade_target(
        self, current_revisions: _plan.RevisionIdentifier, target: _plan.RevisionIdentifier, assert_relative_length: bool
    ) -> tuple[str | None, RevisionOrBase | None]:
        """Resolve a downgrade destination to ``(branch_label, revision)``."""
        return _plan.parse_downgrade_target(self, current_revisions, target, assert_relative_length)

    def _collect_upgrade_revisions(
        self,
        upper: _plan.RevisionIdentifier,
        lower: _plan.RevisionIdentifier,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
    ) -> tuple[set[Revision], tuple[Revision, ...]]:
        """The revisions an upgrade applies, and the targets it aims for."""
        return _plan.collect_upgrade(self, upper, lower, inclusive, implicit_base, assert_relative_length)

    def _collect_downgrade_revisions(
        self,
        upper: _plan.RevisionIdentifier,
        lower: _plan.RevisionIdentifier,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
    ) -> tuple[set[Revision], tuple[RevisionOrBase | None, ...]]:
        """The revisions a downgrade removes, and the heads it starts from."""
        return _plan.collect_downgrade(self, upper, lower, inclusive, implicit_base, assert_relative_length)

    # Clear public names for the helpers the runtime builds plans with.
    walk = _walk
    parse_upgrade_target = _parse_upgrade_target
    parse_downgrade_target = _parse_downgrade_target
    collect_upgrade_revisions = _collect_upgrade_revisions
    collect_downgrade_revisions = _collect_downgrade_revisions
    topological_sort = _topological_sort
    get_ancestor_nodes = _get_ancestor_nodes
    get_descendant_nodes = _get_descendant_nodes
    shares_lineage = _shares_lineage
    resolve_revision_number = _resolve_revision_number
    resolve_branch = _resolve_branch
    get_base_revisions = _get_base_revisions
    filter_into_branch_heads = _filter_into_branch_heads
    get_all_current = _get_all_current


def _is_id_or_ids(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, tuple) and (not value or isinstance(value[0], str))


def _as_int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _label_stretch_below(revision: Revision, map_: RevisionLookup) -> None:
    """Give a newly added revision's labels to the plain stretch below it."""
    labels = set(revision.branch_labels)
    if not labels:
        return
    node: Revision | None = revision
    while node is not None and not node._is_real_branch_point and not node.is_merge_point:
        node.branch_labels.update(labels)
        down = node.down_revision
        if not down or not isinstance(down, str):
            break
        node = map_.get(down)
