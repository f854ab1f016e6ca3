"""How a script directory finds its revisions: its version locations' files, read statically.

Files are listed in Alembic's order and their headers read without importing
them (cached on disk, :mod:`limbeck.script.headers`), so building the revision
map imports no revision file and no SQLAlchemy. :class:`RevisionFiles` is
:class:`~limbeck.script.directory.ScriptDirectory`'s part that does it; the
graph cache (:mod:`limbeck.script.graphcache`) relies on these methods not
being overridden.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, cast

from limbeck.errors import CommandError, LimbeckWarning
from limbeck.langhelpers import to_tuple
from limbeck.script.base import SOURCELESS_SUFFIXES, Script, compiled_only, is_revision_filename
from limbeck.script.headers import HeaderCache, Headers, read_headers
from limbeck.script.revision import MissingRevisionError, RevisionError

if TYPE_CHECKING:
    from limbeck.script.directory import ScriptDirectory
    from limbeck.script.revision import RevisionMap

__all__ = ["RevisionFiles"]


def _one_file(first: str, second: str) -> bool:
    """Whether two listed paths are one file (overlapping or repeated version locations, a link)."""
    return os.path.realpath(first) == os.path.realpath(second)


def _check_down_revisions(scripts: Sequence[Script], by_id: Mapping[str, Script]) -> None:
    for script in scripts:
        for down in to_tuple(script.down_revision, default=()):
            if down not in by_id:
                # a KeyError too, which is what Alembic's map lets through here
                raise MissingRevisionError(down, script.revision, script.path)


class RevisionFiles:
    """Listing and reading the revision files of every version location."""

    #: a file was listed by two version locations (read once, with Alembic's warning)
    _loaded_twice = False

    if TYPE_CHECKING:
        revision_map: RevisionMap
        recursive_version_locations: bool
        sourceless: bool
        _scripts: dict[str, Script]
        _listed_stats: dict[str, tuple[int, int]] | None

        @property
        def version_location_paths(self) -> tuple[str, ...]: ...

    def _load_revisions(self) -> Iterator[Script]:
        """Every revision file of every version location, as lazy Scripts.

        Collected completely before yielding so duplicate ids and dangling
        ``down_revision`` references are reported with the files involved.
        """
        scripts: list[Script] = []
        by_id: dict[str, Script] = {}
        for location in self.version_location_paths:
            if not os.path.isdir(location):
                continue
            cache = HeaderCache(location)
            try:
                for script in self._scripts_in(location, cache):
                    other = by_id.get(script.revision)
                    if other is not None:
                        if _one_file(other.path, script.path):
                            # Alembic's warning, its words; the graph is then not cached, so every run warns
                            self._loaded_twice = True
                            warnings.warn(
                                f"File {os.path.realpath(script.path)} loaded twice! ignoring. Please ensure "
                                "version_locations is unique.", LimbeckWarning, stacklevel=2,
                            )
                            continue
                        raise CommandError(
                            f"Revision {script.revision} is present more than once: in {other.path} and {script.path}"
                        )
                    by_id[script.revision] = script
                    scripts.append(script)
            finally:
                cache.save()
        from limbeck.script import checkpoints, tags

        directory = cast("ScriptDirectory", self)  # the one class made of this part
        retired = checkpoints.include(directory, scripts, by_id)
        _check_down_revisions(scripts, by_id)
        tags.attach(directory, scripts, retired)
        self.revision_map.register_names({}, retired)
        self._scripts = dict(by_id)
        yield from scripts

    def _list_revision_files(self, location: str) -> Iterator[tuple[str, str]]:
        """``(path, path relative to location)`` in Alembic's order.

        Files of a directory in sorted order, then (when recursive) each
        sub-directory in sorted order, depth first.
        """
        pending = [location]
        # every path below is location + separator + the relative path: cut it off
        # instead of os.path.relpath (a tenth of a warm `heads` on 5,000 files)
        prefix = location if location.endswith(os.sep) else location + os.sep
        while pending:
            directory = pending.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError:
                continue
            names = {e.name for e in entries}
            subdirs: list[str] = []
            for entry in entries:
                name = entry.name
                if entry.is_dir():
                    if self.recursive_version_locations and name != "__pycache__":
                        subdirs.append(entry.path)
                    continue
                if not is_revision_filename(name, self.sourceless):
                    continue
                if name.endswith(SOURCELESS_SUFFIXES) and name[:-1] in names:
                    continue  # the source is there and wins
                path = entry.path
                yield path, path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, location)
            if self.sourceless and "__pycache__" in names:
                for path in compiled_only(directory, [e.name for e in entries if not e.is_dir()]):
                    yield path, path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, location)
            pending.extend(reversed(subdirs))

    def _scripts_in(self, location: str, cache: HeaderCache) -> Iterator[Script]:
        """The Scripts of one version location's files, in :meth:`_list_revision_files` order.

        The files the header cache does not answer for are read all at once
        first (:func:`limbeck.script.scanning.read_all`, on two cores for a
        long history); everything that can fail or have an effect (a
        ``stat`` or a read that fails, importing a file that cannot be read
        statically, a warning) still happens file by file, in this order.
        """
        files = list(self._list_revision_files(location))
        hint = self._listed_stats
        stats: list[tuple[int, int] | None] = []  # None: the file is taken the usual way (_script_for)
        found: list[Headers | None | Literal[False]] = []
        misses: list[tuple[int, str, str, tuple[int, int]]] = []  # (index, path, rel, stat)
        for path, rel in files:
            stat = None
            if not path.endswith(SOURCELESS_SUFFIXES):
                stat = hint.get(path) if hint is not None else None
                if stat is None:
                    try:
                        st = os.stat(path)
                        stat = (st.st_size, st.st_mtime_ns)
                    except OSError:
                        pass  # raised where _script_for meets it
            cached = None
            if stat is not None:
                cached = cache.get(rel, *stat)
                if cached is None:
                    misses.append((len(found), path, rel, stat))
            stats.append(stat)
            found.append(cached)
        if misses:
            # only on a cache miss: a warm `heads` reads no file
            from limbeck.script.scanning import read_all

            read = read_all([path for _, path, _, _ in misses], [stat[0] for _, _, _, stat in misses])
            for (i, _, rel, stat), answer in zip(misses, read):
                found[i] = answer
                if answer is None:
                    cache.forget(rel)
                elif answer is not False:  # False: read again below, where it raises or warns
                    cache.put(rel, *stat, answer)
        for (path, rel), stat, entry in zip(files, stats, found):
            if stat is None:
                yield self._script_for(path, rel, cache)
                continue
            try:
                headers = read_headers(path, stat[0]) if entry is False else entry
                if entry is False and headers is not None:
                    cache.put(rel, *stat, headers)
                if headers is None:
                    cache.forget(rel)
                    yield Script.from_module_file(path)
                else:
                    yield Script(None, headers.revision, path, headers=headers)
            except RevisionError as exc:
                # the class Alembic raises (LoopDetected, ...), its one line naming the file
                exc.args = (f"{path}: {exc}", *exc.args[1:])
                raise

    def _script_for(self, path: str, rel: str, cache: HeaderCache) -> Script:
        try:
            if path.endswith(SOURCELESS_SUFFIXES):
                cache.forget(rel)
                return Script.from_module_file(path)
            st = os.stat(path)
            headers = cache.get(rel, st.st_size, st.st_mtime_ns)
            if headers is None:
                headers = read_headers(path, st.st_size)
                if headers is None:
                    cache.forget(rel)
                    return Script.from_module_file(path)
                cache.put(rel, st.st_size, st.st_mtime_ns, headers)
            return Script(None, headers.revision, path, headers=headers)
        except RevisionError as exc:
            raise CommandError(f"{path}: {exc}") from exc
