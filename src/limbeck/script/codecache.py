"""Compiled revision files, kept in one cache file per directory.

Compiling the source is the largest single cost of running a long history:
about a quarter of an offline ``upgrade`` of 1,000 revisions. Python's own
import system would keep that work as one ``__pycache__/*.pyc`` file per
revision; writing a thousand small files costs a fresh checkout (CI, a new
clone) a good part of a second of system time, and with
``PYTHONDONTWRITEBYTECODE`` (many container images and CI setups) nothing
is kept at all and every run compiles every file again.

:class:`CodeCache` is limbeck's own memo instead, in the spirit of the
header cache (:mod:`limbeck.script.headers`): one file per directory,
``__pycache__/limbeck-code-v1.<cache tag>.bin``, holding each revision's
code object keyed by its path and validated by the file's size,
``mtime_ns``, the interpreter's bytecode magic number and optimisation level
(an edited, moved or differently compiled file is compiled afresh). It is
written once, at the end of a run, and never beside the user's files: no
``.pyc`` is written for a revision file, and under ``PYTHONDONTWRITEBYTECODE``
the cache file goes to the user's cache directory instead of ``__pycache__``
(nothing is written into the project tree; see
:func:`limbeck.script.cachefile.cache_folder`). An existing ``.pyc`` (a ``compileall`` of the
project) is still read. Any failure to read or write the cache is silent: it
can make runs faster, never wrong.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import marshal
import os
import sys
import warnings
from collections.abc import Iterable
from types import CodeType
from typing import TYPE_CHECKING, Any, BinaryIO, TypeGuard

from limbeck.script import precompile, scanning
from limbeck.script.cachefile import cache_folder, write_atomically

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from limbeck.script.precompile import Background

__all__ = [
    "CODE_CACHE_PREFIX", "CachingSourceLoader", "CodeCache", "code_cache", "prefetch_files", "save_code_caches",
    "stop_prefetches",
]

CODE_CACHE_PREFIX = "limbeck-code-v1"
_FORMAT = 3

#: directory -> its cache, for the life of the process (saved by :func:`save_code_caches`)
_CACHES: dict[str, CodeCache] = {}

#: size, ``mtime_ns``, optimisation level, and the code (marshalled when it came from a background compile)
Entry = tuple[int, int, int, CodeType | bytes]


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, sys.flags.optimize)


def _ints(stamp: tuple[object, ...]) -> TypeGuard[tuple[int, int, int]]:
    """Whether a record from the background compile has the size, mtime and level it should."""
    return len(stamp) == 3 and all(isinstance(v, int) for v in stamp)


class CodeCache:
    """The compiled revision files of one directory, read on first use.

    The file is a header record, then one list of records, one per revision
    file (path, size, ``mtime_ns``, optimisation level, code), read with one
    ``marshal.loads``: a run that imports one revision file imports them all
    (``runtime.runner._import_revisions``), and one load of every code object
    shares the names and constants the files have in common where a load per
    file made each again (a third fewer instructions than a record and a
    marshalled code per file, read one by one). Code a background compile
    sent (:mod:`limbeck.script.precompile`) is saved as the bytes it came
    in, not marshalled again at the end of the run: such a record is
    unmarshalled on its own when its file runs.
    """

    def __init__(self, directory: str, folder: str | None = None) -> None:
        tag = sys.implementation.cache_tag
        self.directory = directory
        #: ``folder``: where the cache file goes (default: :func:`cache_folder`'s answer)
        folder = folder if folder is not None else cache_folder(directory)
        self.path = os.path.join(folder, f"{CODE_CACHE_PREFIX}.{tag}.bin") if folder else None
        self._entries: dict[str, Entry] | None = None
        #: code compiled during this run (or its marshalled form, from a
        #: background compile), serialised only by :meth:`save`
        self._new: dict[str, tuple[int, int, int, CodeType | bytes]] = {}
        #: a child compiling files for this run (:mod:`limbeck.script.precompile`)
        self._background: Background | None = None

    def _header(self) -> tuple[str, int, bytes]:
        return ("limbeck-code", _FORMAT, importlib.util.MAGIC_NUMBER)

    def _load(self) -> dict[str, Entry]:
        if self._entries is None:
            self._entries = {}
            if self.path is None:
                return self._entries
            try:
                with open(self.path, "rb") as fh:
                    if marshal.load(fh) != self._header():
                        return self._entries
                    records = marshal.loads(fh.read())
                if not isinstance(records, list):
                    return self._entries
                for record in records:
                    if not (isinstance(record, tuple) and len(record) == 5 and isinstance(record[0], str)):
                        self._entries = {}
                        break
                    self._entries[record[0]] = record[1:]
            except (OSError, EOFError, ValueError, TypeError):
                self._entries = {}
        return self._entries

    def has(self, path: str, st: os.stat_result) -> bool:
        """Whether code for ``path`` in the state ``st`` describes is at hand (nothing is unmarshalled)."""
        new = self._new.get(path)
        if new is not None and new[:3] == _stamp(st):
            return True
        entry = self._load().get(path)
        return isinstance(entry, tuple) and len(entry) == 4 and entry[:3] == _stamp(st)

    def get(self, path: str, st: os.stat_result) -> CodeType | None:
        """The code compiled from ``path`` when the file has not changed since."""
        background = self._background
        if background is not None and path in background.paths and path not in self._new:
            self._take_background()  # what is ready
            if path not in self._new and self._background is not None:
                self._meet_background(path)
        new = self._new.get(path)
        if new is not None and new[:3] == _stamp(st):
            return _code(new[3])
        entry = self._load().get(path)
        if not isinstance(entry, tuple) or len(entry) != 4 or entry[:3] != _stamp(st):
            return None
        return _code(entry[3])

    def put(self, path: str, st: os.stat_result, code: CodeType) -> None:
        """Remember ``code`` as compiled from ``path`` in the state ``st`` describes."""
        self._new[path] = (*_stamp(st), code)

    def prefetch(self, paths: Iterable[str]) -> bool:
        """Have the files of ``paths`` this cache lacks compiled in the background; whether it started."""
        if self._background is not None or self.path is None or not scanning.enabled():
            return False
        self._background = precompile.start(self, paths)
        return self._background is not None

    def stop_prefetch(self) -> None:
        """Stop a background compile the run turned out not to need (it has no step to run)."""
        if self._background is not None:
            self._background.cancel()
            self._background = None

    def _take_background(self) -> None:
        """Keep what the background compile has finished so far as this run's new code."""
        background = self._background
        if background is None:
            return
        for path, size, mtime_ns, optimize, data in background.ready():
            stamp = (size, mtime_ns, optimize)
            if isinstance(path, str) and isinstance(data, bytes) and path not in self._new and _ints(stamp):
                self._new[path] = (*stamp, data)
        if background.done:
            self._background = None

    def _meet_background(self, path: str) -> None:
        """The run needs ``path`` and the child has not compiled it yet: compile from the other end.

        The run imports the files in the child's order, so ``path`` is the
        first one it lacks: this process compiles files from the end of the
        list, taking what the child finished after each, until the child
        delivers ``path`` or this process gets back to it (the loader then
        compiles ``path`` as usual and the child, with nothing left to do, is
        stopped). The code is what the loader and the child compile
        (``compile(source, path, "exec", dont_inherit=True)`` at the
        interpreter's optimisation level), kept with the file's size and
        ``mtime_ns`` read before the source, so a file edited since is
        compiled afresh when it is imported. A file that does not compile,
        or warns when compiled, is left to the loader, which reports it in
        its turn.
        """
        background = self._background
        assert background is not None
        order = background.order
        while path not in self._new:
            back = background.back - 1
            while back >= 0 and order[back] in self._new:
                back -= 1
            background.back = max(back, 0)
            if back < 0 or order[back] == path:
                background.cancel()  # everything else is compiled: the child's work is done
                self._background = None
                return
            self._compile_here(order[back])
            self._take_background()
            if self._background is None:
                return  # the child finished: whatever it did not compile, the loader does

    def _compile_here(self, path: str) -> None:
        try:
            st = os.stat(path)
            with open(path, "rb") as fh:
                source = fh.read()
            with warnings.catch_warnings():
                # a file whose compiling warns is left to the loader: the warning then comes in its turn
                warnings.simplefilter("error")
                code = compile(source, path, "exec", dont_inherit=True, optimize=sys.flags.optimize)
        except Exception:  # noqa: BLE001 - whatever it is, the loader meets it again and reports it
            return
        self._new[path] = (*_stamp(st), code)

    def _settle_background(self) -> None:
        """End of a run: keep what the background compile finished, stop the rest."""
        if self._background is not None:
            self._take_background()
        background, self._background = self._background, None
        if background is not None:
            background.cancel()

    def save(self) -> None:
        """Write the cache if it gained entries; entries of vanished files are dropped."""
        self._settle_background()
        if not self._new or self.path is None:
            return
        try:
            present = set(os.listdir(self.directory))
        except OSError:
            return
        old = self._load()
        new, self._new = self._new, {}

        records = [(path, *entry) for path, entry in old.items() if path not in new and os.path.basename(path) in present]
        records += [(path, *entry) for path, entry in new.items() if os.path.basename(path) in present]

        def write(fh: BinaryIO) -> None:
            marshal.dump(self._header(), fh)
            marshal.dump(records, fh)

        if write_atomically(self.path, ".limbeck-code-", write):
            self._entries = None  # read back from the file if this process needs them again


def _code(data: CodeType | bytes) -> CodeType | None:
    if isinstance(data, CodeType):
        return data
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def code_cache(directory: str) -> CodeCache | None:
    """The process-wide cache of ``directory``; None where Python has no bytecode cache tag
    or there is nowhere to keep it (see :func:`limbeck.script.cachefile.cache_folder`)."""
    if sys.implementation.cache_tag is None:
        return None
    key = os.path.abspath(directory)
    cache = _CACHES.get(key)
    if cache is None:
        folder = cache_folder(key)
        if folder is None:
            return None
        cache = _CACHES[key] = CodeCache(key, folder)
    return cache


def prefetch_files(paths: Iterable[str]) -> None:
    """Have the files of ``paths`` their directories' caches lack compiled in the background
    (one :meth:`CodeCache.prefetch` per directory, the files in the order given)."""
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        by_folder.setdefault(os.path.dirname(path) or os.curdir, []).append(path)
    for folder, files in by_folder.items():
        cache = code_cache(folder)
        if cache is not None:
            cache.prefetch(files)


def stop_prefetches() -> None:
    """Stop every background compile: the run turned out to import nothing."""
    for cache in list(_CACHES.values()):
        cache.stop_prefetch()


def save_code_caches() -> None:
    """Write every cache that learned something (the end of a migration run)."""
    for cache in list(_CACHES.values()):
        cache.save()


class CachingSourceLoader(importlib.machinery.SourceFileLoader):
    """A source loader that asks a :class:`CodeCache` before compiling.

    On a miss the standard loader reads a valid ``.pyc`` if there is one
    (Alembic ran the project before), else the source is compiled here;
    either way the code goes into the cache, and no ``.pyc`` is written.
    Compiling here skips what the standard loader does for a ``.pyc`` it
    would write: a failed open of the missing file and the ``.pyc`` image
    (a second marshalling of every file's code on a cold run).
    """

    def __init__(self, fullname: str, path: str, cache: CodeCache) -> None:
        super().__init__(fullname, path)
        self.cache = cache

    def get_code(self, fullname: str) -> Any:
        try:
            st = os.stat(self.path)
        except OSError:
            return super().get_code(fullname)
        code = self.cache.get(self.path, st)
        if code is not None:
            return code
        if os.path.exists(importlib.util.cache_from_source(self.path)):
            code = super().get_code(fullname)
        else:
            code = self.source_to_code(self.get_data(self.path), self.path)
        if isinstance(code, CodeType):
            self.cache.put(self.path, st, code)
        return code

    def set_data(self, path: str, data: Buffer, *, _mode: int = 0o666) -> None:
        """Write no ``.pyc`` beside the revision file: the cache file holds the code."""
