"""The built revision graph of a script directory, kept between runs.

``heads``, ``history``, ``branches`` and ``current`` need the whole revision
graph, and on a long history most of their time went into making it again:
reading 5,000 header-cache entries, building 5,000 :class:`Script` objects,
linking them, sorting them twice, spreading branch labels. None of that
changes while the files do not, so this module keeps the result: every
Script's state after linking, the lookup table (ids, branch labels), heads,
bases and the topological numbering, and what the map was given beside the
graph while the files were read (release tags, retired ids, checkpoints kept
for the transition: :mod:`limbeck.script.tags`,
:mod:`limbeck.script.checkpoints`), in one marshal file beside the other
caches (``limbeck-graph-v1.<cache tag>.bin`` in the folder
:func:`limbeck.script.cachefile.cache_folder` gives the first version
location: its ``__pycache__``, or the user's cache directory under
``PYTHONDONTWRITEBYTECODE`` or for a read-only tree).

It is used only when it describes exactly what the normal path would read:

- the same version locations and listing options, and every folder of
  them listed by the file system with the same names in the same order,
  every name that can be a revision file with the same size and
  ``mtime_ns`` (the header cache's test, for every file at once: an edited,
  added, removed or renamed file, or a folder renamed under a recursive
  location, means another listing; see :func:`_listing`), and the same
  ``tags.txt`` and checkpoint files (each one's name, size and
  ``mtime_ns``): a hit gives the map the same tags, retired names and
  checkpoints as reading the files would. The listing is compared as the
  bytes marshal writes for it, without building it again from the file;
- the same limbeck: its version and the size and ``mtime_ns`` of the
  modules that read headers and build the graph, and the same interpreter
  (marshal's format is version-specific, hence the cache tag);
- nothing the normal path would have imported: a cache is only written
  when every revision was read statically (no module executed while
  building), from ``.py`` files, and no file changed too recently to trust
  its ``mtime_ns`` (within :data:`RACY_NS` of the moment it was read: a
  second edit within the file system's timestamp granularity would keep
  size and ``mtime_ns``).

Anything else (no cache, another listing, an unreadable or damaged file) is
a miss: the graph is built as before and the cache written afterwards,
atomically, so a concurrent run reads either the old file or the new one.
A failure to write is silent.
"""

from __future__ import annotations

import gc
import marshal
import operator
import os
import stat as stat_module
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from limbeck.script.base import Script
    from limbeck.script.directory import ScriptDirectory
    from limbeck.script.revision import Revision
    from limbeck.script.revision._build import BuiltGraph

__all__ = ["GRAPH_CACHE_PREFIX", "RACY_NS", "build_graph", "cache_path", "whole_walk"]

GRAPH_CACHE_PREFIX = "limbeck-graph-v1"
_FORMAT = 3
#: files modified this recently (before they were read) are not trusted to keep a new
#: ``mtime_ns`` if edited again: 2 s covers the coarsest common file system (FAT)
RACY_NS = 2_000_000_000

#: the modules whose code decides what the cached graph holds (relative to the package)
_CODE = (
    "__init__.py",
    "script/base.py",
    "script/checkpoints.py",
    "script/directory.py",
    "script/graphcache.py",
    "script/headers.py",
    "script/revision/_build.py",
    "script/revision/_map.py",
    "script/revision/_node.py",
    "script/tags.py",
)

#: per folder: its path, the names that matter in it and their ``(size, mtime_ns)`` (``None``: no folder)
Listing = list[tuple[str, "list[str] | None", "list[tuple[int, int]] | None"]]


def cache_path(script: ScriptDirectory) -> str | None:
    """Where the graph of ``script`` is kept (``None``: nowhere to keep it)."""
    from limbeck.script.cachefile import cache_folder

    locations = script._version_locations
    if not locations:
        return None
    folder = cache_folder(locations[0])
    if not folder:
        return None
    return os.path.join(folder, f"{GRAPH_CACHE_PREFIX}.{sys.implementation.cache_tag}.bin")


def _code_stamp() -> tuple[Any, ...]:
    import limbeck

    root = os.path.dirname(os.path.abspath(limbeck.__file__))
    stamps: list[Any] = [limbeck.__version__, _FORMAT]
    for rel in _CODE:
        try:
            st = os.stat(os.path.join(root, rel))
        except OSError:
            return ()  # an unusual installation: never trust a cache then
        stamps.append((st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def _cacheable_type(script: ScriptDirectory) -> bool:
    """The directory reads its files the way this module assumes (no override)."""
    from limbeck.script.directory import ScriptDirectory

    cls = type(script)
    return all(
        getattr(cls, name) is getattr(ScriptDirectory, name)
        for name in ("_load_revisions", "_list_revision_files", "_script_for", "_version_locations")
    )


def _listing(script: ScriptDirectory) -> Listing | None:
    """Every revision file's name, size and ``mtime_ns``, folder by folder.

    A superset of what the normal path reads: each folder's names in the order
    the file system lists them (another order is only a miss), every name that
    can be a revision file (``*.py`` but ``__init__*`` and ``.#*``) with its
    size and ``mtime_ns``, and, with ``recursive_version_locations``, each
    sub-folder but ``__pycache__`` (by name, ``(-1, -1)``; its files follow
    under its own path); then ``tags.txt`` and the checkpoint files. One
    ``stat`` per file and no Python code per file in the usual case (one flat
    folder): this runs on every warm ``heads``.
    """
    found: Listing = []
    recursive = bool(script.recursive_version_locations)
    sourceless = bool(script.sourceless)
    for location in script._version_locations:
        pending = [location]
        while pending:
            folder = pending.pop()
            try:
                names = os.listdir(folder)
            except OSError:
                if folder == location and not os.path.isdir(location):
                    found.append((location, None, None))  # no such folder: no revisions there
                    continue
                return None
            prefix = os.path.join(folder, "")
            try:
                if sourceless and "__pycache__" in names and _bytecode_only(folder, names):
                    return None  # a revision shipped as bytecode only: imported to be read, never kept
                if recursive or sourceless:
                    folder_files = _slow_folder(prefix, names, recursive, pending)
                    if folder_files is None:
                        return None
                    found.append((folder, *folder_files))
                else:
                    revisions = [n for n in names if n.endswith(".py") and not n.startswith(_NOT_REVISIONS)]
                    found.append((folder, revisions, list(map(_SIZE_MTIME, map(os.stat, map(prefix.__add__, revisions))))))
            except OSError:
                return None  # gone while listed
    side = _side_files(os.path.abspath(script.dir))
    if side is None:
        return None
    return found + side


def _bytecode_only(folder: str, names: list[str]) -> bool:
    """Whether ``folder``'s ``__pycache__`` holds a revision whose source is not there (sourceless)."""
    # base only here: a warm `heads` imports this module
    from limbeck.script.base import compiled_only

    return bool(compiled_only(folder, names))


#: names in a version folder that are never revisions (Alembic's rule, :func:`is_revision_filename`)
_NOT_REVISIONS = (".#", "__init__")
_SIZE_MTIME = operator.attrgetter("st_size", "st_mtime_ns")


def _slow_folder(
    prefix: str, names: list[str], recursive: bool, pending: list[str]
) -> tuple[list[str], list[tuple[int, int]]] | None:
    """One folder of a recursive or sourceless location: sub-folders take a ``stat`` to be told
    apart, and a compiled revision (imported to be read) is never cached."""
    from limbeck.script.base import SOURCELESS_SUFFIXES

    kept: list[str] = []
    stats: list[tuple[int, int]] = []
    for name in names:
        if name.endswith(SOURCELESS_SUFFIXES) and not name.startswith(_NOT_REVISIONS):
            return None
        revision = name.endswith(".py") and not name.startswith(_NOT_REVISIONS)
        if not revision and (not recursive or name == "__pycache__"):
            continue
        st = os.stat(prefix + name)
        if recursive and stat_module.S_ISDIR(st.st_mode) and name != "__pycache__":
            pending.append(prefix + name)
            kept.append(name)
            stats.append((-1, -1))
        elif revision:
            kept.append(name)
            stats.append((st.st_size, st.st_mtime_ns))
    return kept, stats


def _side_files(script_dir: str) -> Listing | None:
    """``tags.txt`` and the checkpoint files with size and ``mtime_ns`` (read while the graph is built).

    The checkpoint files are the ones :mod:`limbeck.script.checkpoints` reads
    (not its ``__pycache__``, which running a checkpoint rewrites).
    """
    from limbeck.script.checkpoints import checkpoint_files, checkpoint_folder
    from limbeck.script.tags import tags_path

    found: Listing = []
    tags = tags_path(script_dir)
    folder = checkpoint_folder(script_dir)
    for where, paths in ((tags, [tags]), (folder, checkpoint_files(folder))):
        names: list[str] = []
        stats: list[tuple[int, int]] = []
        for path in paths:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                continue  # no tags file: no tags
            except OSError:
                return None
            names.append(os.path.basename(path))
            stats.append((st.st_size, st.st_mtime_ns))
        found.append((where, names, stats))
    return found


def _key(script: ScriptDirectory) -> tuple[Any, ...] | None:
    code = _code_stamp()
    if not code:
        return None
    return (code, script._version_locations, bool(script.recursive_version_locations), bool(script.sourceless))


def build_graph(script: ScriptDirectory) -> BuiltGraph:
    """The built graph of ``script``: from the cache when it is current, else built and kept."""
    from limbeck.script.revision import _build

    path = cache_path(script) if _cacheable_type(script) else None
    key = _key(script) if path else None
    # tens of thousands of objects that all live on, made in a few milliseconds: the cyclic
    # collector would only walk them again and again (a fifth of reading the cache)
    collecting = gc.isenabled()
    gc.disable()
    try:
        listing = _listing(script) if key is not None else None
        read_at = time.time_ns()
        # version 2: no back-references, so equal listings are equal bytes whatever shares what
        stamp = marshal.dumps((_FORMAT, key, listing), 2) if listing is not None else None
        if stamp is not None:
            assert path is not None
            cached = _load(path, stamp, script)
            if cached is not None:
                return cached
    finally:
        if collecting:
            gc.enable()
    if listing is not None:
        script._listed_stats = _stats_by_path(listing)
    try:
        built = _build.build_graph(script._load_revisions())
    finally:
        script._listed_stats = None
    if stamp is not None:
        assert path is not None and listing is not None
        _save(path, stamp, listing, built, read_at, script)
    return built


def _stats_by_path(listing: Listing) -> dict[str, tuple[int, int]]:
    """The listing's ``(size, mtime_ns)`` by path: what reading the files would ``stat`` again."""
    stats: dict[str, tuple[int, int]] = {}
    for folder, names, folder_stats in listing:
        if names and folder_stats:
            stats.update(zip(map(os.path.join(folder, "").__add__, names), folder_stats))
    return stats


# -- the file -------------------------------------------------------------------------------
# Layout: the stamp's length (4 bytes, little-endian), the stamp (what the file is valid for:
# format, key and listing, compared as bytes), the token (8 bytes, names this file for
# the derived walk cache), then the graph (marshal).
_TOKEN_SIZE = 8


def _load(path: str, stamp: bytes, script: ScriptDirectory) -> BuiltGraph | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    size = len(stamp)
    end = 4 + size
    if int.from_bytes(data[:4], "little") != size or data[4:end] != stamp:
        return None
    token = data[end : end + _TOKEN_SIZE].hex()
    try:
        built = _restore(marshal.loads(data[end + _TOKEN_SIZE :]), script)
    except Exception:  # noqa: BLE001 - a damaged or foreign file is a miss, never an error
        return None
    _remember(script, token, built)
    return built


#: The attributes a linked Script holds when it was read from its headers and is neither a
#: head, tagged nor a checkpoint: nearly every revision. Such a revision is kept as a tuple
#: of these values and restored with one plain attribute store each, which is about twice
#: as fast as marshal reading a dict; any other revision is kept as its dict.
_ROW = (
    "path", "_module", "_longdoc", "declared_branch_labels", "revision", "down_revision", "dependencies",
    "_orig_branch_labels", "branch_labels", "_resolved_dependencies", "_all_nextrev", "nextrev",
    "_normalized_resolved_dependencies",
)


def _restore(state: Any, script: ScriptDirectory) -> BuiltGraph:
    from limbeck.script.base import Script
    from limbeck.script.revision._build import BuiltGraph

    ids, rows, label_sets, extra_keys, ends, rank_order, (aliases, retired, kept) = state
    scripts: list[Script] = []
    append = scripts.append
    new = Script.__new__
    for row in rows:
        rev = new(Script)
        if type(row) is tuple:  # the attributes of _ROW, stored in its order (see _state)
            (path, module, longdoc, declared, revision, down, dependencies, orig_labels, labels, resolved,
             all_next, next_, normalized) = row
            rev.path = path
            rev._module = module
            rev._longdoc = longdoc
            rev.declared_branch_labels = declared
            rev.revision = revision
            rev.down_revision = down
            rev.dependencies = dependencies
            rev._orig_branch_labels = orig_labels
            rev.branch_labels = set(label_sets[labels])
            rev._resolved_dependencies = resolved
            rev._all_nextrev = all_next
            rev.nextrev = next_
            rev._normalized_resolved_dependencies = normalized
        else:  # its own dict, as marshal reads it
            row["branch_labels"] = set(label_sets[row["branch_labels"]])
            rev.__dict__ = row
        append(rev)
    by_id: dict[Any, Any] = dict(zip(ids, scripts, strict=True))
    map_ = dict(by_id)
    for k, i in extra_keys:
        map_[k] = scripts[i] if i >= 0 else None
    script._scripts = by_id
    # what _load_revisions gives the map beside the graph (tags, retired ids, checkpoints)
    rmap = script.revision_map
    rmap.register_names(aliases, retired)
    for attrs in kept:
        checkpoint = new(Script)
        checkpoint.__dict__ = attrs
        rmap.register_checkpoint(checkpoint)
    heads, bases, real_heads, real_bases = ends
    return BuiltGraph(
        map=map_,
        heads=heads,
        bases=bases,
        real_heads=real_heads,
        real_bases=real_bases,
        revisions=cast("list[Revision]", scripts),  # Scripts, as _load_revisions gives the map
        ranks=dict(zip(rank_order, range(len(rank_order)))),
    )


def _state(built: BuiltGraph, script: ScriptDirectory) -> tuple[Any, ...] | None:
    """What :func:`_restore` needs, or None when the graph holds something a cache cannot.

    Each revision's attributes as a tuple in :data:`_ROW`'s order when it has
    just those, else as a dict; each distinct set of branch labels written
    once (a long history has thousands of revisions but a few dozen label
    sets; copying a set is faster than reading one).
    """
    from limbeck.script.base import Script

    revisions = built.revisions
    if not revisions:
        return None
    index: dict[int, int] = {}
    rows = []
    label_sets: dict[frozenset[str], int] = {}
    for i, rev in enumerate(revisions):
        attrs = rev.__dict__
        if type(rev) is not Script or rev._module is not None:
            return None  # a module was executed to read it: that must happen again
        labels = attrs.get("branch_labels")
        if type(labels) is not set:
            return None
        index[id(rev)] = i
        row = {**attrs, "branch_labels": label_sets.setdefault(frozenset(labels), len(label_sets))}
        following = row.get("nextrev")
        if following is not None and row.get("_all_nextrev") == following:  # mostly: one object, read once
            row["_all_nextrev"] = following
        rows.append(tuple(row.values()) if tuple(row) == _ROW else row)
    items = list(built.map.items())
    own = len(revisions)
    ids = [r.revision for r in revisions]
    if [(k, id(v)) for k, v in items[:own]] != [(r.revision, id(r)) for r in revisions]:
        return None  # not the order a directory's map is built in
    extra = []
    for k, target in items[own:]:
        if target is not None and id(target) not in index:
            return None  # a shadowed duplicate: not the shape a directory builds
        extra.append((k, -1 if target is None else index[id(target)]))
    rmap = script.revision_map
    kept = []
    for checkpoint in rmap.names.checkpoints.values():
        if type(checkpoint) is not Script or checkpoint.__dict__.get("_module") is not None:
            return None
        kept.append(dict(checkpoint.__dict__))
    names = (dict(rmap.names.aliases), dict(rmap.names.retired), tuple(kept))
    rank_order = list(built.ranks)  # kept in the order of the ranks 0, 1, 2...: only the ids are written
    if list(built.ranks.values()) != list(range(own)) or built.ranks.keys() != set(ids):
        return None
    return (ids, rows, tuple(label_sets), tuple(extra), (built.heads, built.bases, built.real_heads, built.real_bases),
            rank_order, names)


def _save(
    path: str, stamp: bytes, listing: Listing, built: BuiltGraph, read_at: int, script: ScriptDirectory
) -> None:
    newest = max((mtime for _, _, stats in listing if stats for _, mtime in stats), default=0)
    if newest >= read_at - RACY_NS:
        return  # a file changed so recently that a second edit could keep its mtime_ns
    state = _state(built, script)
    if state is None or script._loaded_twice:
        return  # (a file listed twice: the next run must warn again)
    token = os.urandom(_TOKEN_SIZE)
    try:
        body = marshal.dumps(state)
    except ValueError:
        return  # a value marshal cannot write (a header a custom Script kept)
    from limbeck.script.cachefile import write_atomically

    def write(fh: Any) -> None:
        fh.write(len(stamp).to_bytes(4, "little"))
        fh.write(stamp)
        fh.write(token)
        fh.write(body)

    if write_atomically(path, ".limbeck-graph-", write):
        _remember(script, token.hex(), built)


# -- the order of the whole history ------------------------------------------------------------
def _remember(script: ScriptDirectory, token: str, built: BuiltGraph) -> None:
    """Note which cache file ``script``'s graph matches (derived caches are keyed by it)."""
    script.__dict__["_limbeck_graph"] = (token, built, len(built.map))


def _walk_path(script: ScriptDirectory) -> str | None:
    path = cache_path(script)
    return path[: -len(".bin")] + ".walk.bin" if path else None


def whole_walk(script: ScriptDirectory, walk: Callable[[], Iterable[Script]]) -> Iterator[Script]:
    """``walk()``, the whole history newest first (``history``, ``branches``), remembered with the graph.

    The order is a function of the graph alone, so it is kept beside the
    graph cache, tagged with that file's token: a new graph file (another
    listing) makes it stale. Used only while the map is still the one the
    cache file holds: a revision added since (``revision`` in the same
    process) replaces the heads tuple, and the order is computed again.
    """
    script.revision_map._revision_map  # built (or read) first: reading it is what notes the token
    remembered = script.__dict__.get("_limbeck_graph")
    path = _walk_path(script) if remembered is not None else None
    if remembered is None or path is None or not _unchanged(script, *remembered[1:]):
        yield from walk()
        return
    token, built, _ = remembered
    order = _load_walk(path, token)
    if order is not None:
        revisions = built.revisions
        yield from (revisions[i] for i in order)
        return
    found = list(walk())  # errors propagate, and nothing is kept
    index = {id(rev): i for i, rev in enumerate(built.revisions)}
    if all(id(rev) in index for rev in found):
        _save_walk(path, token, [index[id(rev)] for rev in found])
    yield from found


def _unchanged(script: ScriptDirectory, built: BuiltGraph, size: int) -> bool:
    """The map is still the one built from (or written to) the cache: ``add_revision`` adds a
    key and replaces the heads tuples."""
    rmap = script.revision_map
    return (
        rmap.__dict__.get("_revision_map") is built.map
        and rmap.__dict__.get("heads") is built.heads
        and rmap.__dict__.get("_real_heads") is built.real_heads
        and len(built.map) == size
    )


def _load_walk(path: str, token: str) -> list[int] | None:
    try:
        with open(path, "rb") as fh:
            saved_token, order = marshal.loads(fh.read())
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: compute it
        return None
    if saved_token != token or not isinstance(order, list):
        return None
    return order


def _save_walk(path: str, token: str, order: list[int]) -> None:
    from limbeck.script.cachefile import write_atomically

    payload = marshal.dumps((token, order))
    write_atomically(path, ".limbeck-graph-", lambda fh: fh.write(payload))
