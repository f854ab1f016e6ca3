"""Read and compile the revision files a run will execute on a second core, while it starts up.

On a fresh checkout (CI, a new clone, ``PYTHONDONTWRITEBYTECODE``) every
revision a run executes has to be compiled first, and for a long history
that is a quarter of an offline ``upgrade``. Nothing in that work depends on
the run: the parent process meanwhile imports SQLAlchemy and executes
``env.py``, which cannot use the second core. So the migration commands
hand the files they are about to run to :func:`start`, which compiles them
in a child interpreter (``sys.executable -I -S``: no site packages, nothing
of the project imported, so it cannot run user code); the child writes
code-cache records (the format of :mod:`limbeck.script.codecache`) to a
file in ``__pycache__``, and the parent's :class:`CodeCache` takes them in
the first time it misses a file the child was given.

What the child produces is exactly what the parent would: the same
interpreter, ``compile(source, path, "exec", dont_inherit=True,
optimize=<the parent's -O level>)`` as importlib's ``source_to_code``, and
records validated by size, ``mtime_ns`` and optimisation level like any
other cache entry, so a file edited in between is compiled afresh. A file
the child cannot compile is left out and the parent reports it as usual.

The revision headers come first: on a fresh checkout, reading 1,000 files
to build the revision map is the other cost before the first migration
runs. :func:`scan_headers` starts a child that fills the header cache
(:class:`limbeck.script.headers.HeaderCache`, the same code the parent
uses) while the parent imports SQLAlchemy; the parent then builds the map
from the cache, and reads any file the child did not (or could not) itself.

Both are skipped when there is one CPU, when fewer than :data:`MIN_FILES`
files need the work (starting an interpreter costs more), when the cache
folder (:func:`limbeck.script.cachefile.cache_folder`) cannot be written, or
when ``LIMBECK_PRECOMPILE=0``. The children run with ``-I``, which drops
``PYTHONDONTWRITEBYTECODE``: they are told the parent's folder instead.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import limbeck
from limbeck.script.cachefile import cache_folder
from limbeck.script.headers import CACHE_FILENAME
from limbeck.script.scanning import enabled

if TYPE_CHECKING:
    import subprocess

    from limbeck.script.codecache import CodeCache

__all__ = ["MIN_FILES", "Background", "start"]

#: below this many files a child interpreter's start-up costs more than it saves
MIN_FILES = 24

# The child: paths come in a file (one per line); records go out as
# length-prefixed marshal frames, flushed one by one, so the parent can take
# what is ready while the rest is still compiling. Only builtins and the
# stdlib's marshal/os are used, under -I -S: nothing of the project runs here.
_CHILD = """
import marshal, os, sys, warnings
warnings.simplefilter("error")  # a file whose compiling warns is left to the parent, which shows the warning
listing, out, optimize, parent = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
try:
    os.nice(10)  # optional work: where the run and this child share one CPU, the run goes first
except (AttributeError, OSError):
    pass
with open(listing, encoding="utf-8") as fh:
    paths = fh.read().split("\\n")
try:
    os.unlink(listing)
except OSError:
    pass
with open(out, "wb", buffering=0) as fh:
    for path in paths:
        if os.getppid() != parent:
            break  # the run is gone (killed): stop, and leave nothing behind
        try:
            st = os.stat(path)
            with open(path, "rb") as src:
                data = src.read()
            code = compile(data, path, "exec", dont_inherit=True, optimize=optimize)
        except (OSError, SyntaxError, ValueError, Warning):
            continue
        frame = marshal.dumps((path, st.st_size, st.st_mtime_ns, optimize, marshal.dumps(code)))
        fh.write(len(frame).to_bytes(4, "little") + frame)
if os.getppid() != parent:
    os.unlink(out)
"""


# The header child: fills one version location's header cache with exactly
# the parent's code (limbeck.script.headers imports only the standard library).
_HEADERS_CHILD = """
import os, sys
root, location, folder, listing = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
sys.path.insert(0, root)
from limbeck.script.headers import HeaderCache, read_headers
with open(listing, encoding="utf-8") as fh:
    files = fh.read().split("\\n")
try:
    os.unlink(listing)
except OSError:
    pass
cache = HeaderCache(location, folder)  # the parent's folder: -I drops PYTHONDONTWRITEBYTECODE
for rel in files:
    path = os.path.join(location, rel)
    try:
        st = os.stat(path)
    except OSError:
        continue
    if cache.get(rel, st.st_size, st.st_mtime_ns) is not None:
        continue
    headers = read_headers(path, st.st_size)
    if headers is None:
        cache.forget(rel)
    else:
        cache.put(rel, st.st_size, st.st_mtime_ns, headers)
cache.save()
"""


class Background:
    """One child compiling files of one cache's directory, read as its records arrive."""

    def __init__(self, process: "subprocess.Popen[bytes]", paths: Sequence[str], out: str, listing: str) -> None:
        self.process = process
        #: the files the child was given, in the order it compiles them
        self.order = tuple(paths)
        self.paths = frozenset(self.order)
        #: how many files of :attr:`order`, counted from its start, the parent has not taken on
        #: itself (see :meth:`limbeck.script.codecache.CodeCache.get`)
        self.back = len(self.order)
        self.out = out
        self.listing = listing
        self._offset = 0
        self._done = False

    def ready(self) -> list[tuple[object, ...]]:
        """The records written since the last call, without waiting for the rest."""
        if self._done:
            return []
        finished = self.process.poll() is not None
        records: list[tuple[object, ...]] = []
        try:
            with open(self.out, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except OSError:
            data = b""
        pos = 0
        while pos + 4 <= len(data):
            size = int.from_bytes(data[pos : pos + 4], "little")
            if pos + 4 + size > len(data):
                break  # the child is still writing this one
            try:
                record = marshal.loads(data[pos + 4 : pos + 4 + size])
            except (EOFError, ValueError, TypeError):
                record = None
            if isinstance(record, tuple) and len(record) == 5:
                records.append(record)
            pos += 4 + size
        self._offset += pos
        if finished:
            self._done = True
            self.cleanup()
        return records

    @property
    def done(self) -> bool:
        return self._done

    def cancel(self) -> None:
        """Stop a child that is no longer wanted and remove its files."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._done = True
        self.cleanup()

    def cleanup(self) -> None:
        for path in (self.out, self.listing):
            try:
                os.unlink(path)
            except OSError:
                pass
        atexit.unregister(self.cancel)  # a long-lived process running many commands keeps no handler per run


def _spawn(
    folder: str, prefix: str, lines: list[str], argv: "Callable[[str], list[str]]", program: str
) -> "tuple[subprocess.Popen[bytes], str] | None":
    """Write ``lines`` to a listing file in ``folder`` and start ``program`` on it; None if either fails."""
    listing = None
    try:
        # subprocess only when a child starts: one CPU, a warm cache or a short history start none
        import subprocess

        os.makedirs(folder, exist_ok=True)
        fd, listing = tempfile.mkstemp(prefix=prefix, suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", program, *argv(listing)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except (OSError, ValueError, UnicodeEncodeError):
        if listing is not None:
            try:
                os.unlink(listing)
            except OSError:
                pass
        return None
    return process, listing


def _output_of(listing: str) -> str:
    return listing[: -len(".txt")] + ".bin"


def start(cache: "CodeCache", paths: Iterable[str]) -> Background | None:
    """Compile those of ``paths`` the cache lacks in a child process; None when not worth it."""
    todo = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if cache.has(path, st):
            continue
        pyc = importlib.util.cache_from_source(path)
        if os.path.exists(pyc):  # a compileall'ed project: importlib reads that
            continue
        todo.append(path)
    if len(todo) < MIN_FILES:
        return None
    if cache.path is None:
        return None
    folder = os.path.dirname(cache.path)

    def argv(listing: str) -> list[str]:
        return [listing, _output_of(listing), str(sys.flags.optimize), str(os.getpid())]

    spawned = _spawn(folder, ".limbeck-precompile-", todo, argv, _CHILD)
    if spawned is None:
        return None
    process, listing = spawned
    out = _output_of(listing)
    background = Background(process, todo, out, listing)
    atexit.register(background.cancel)  # an interrupted run leaves no child or file behind
    return background


class HeaderScan:
    """Children filling header caches; :meth:`wait` before the revision map is built."""

    def __init__(self, jobs: list[tuple["subprocess.Popen[bytes]", str]]) -> None:
        self.jobs = jobs

    def wait(self, timeout: float = 30.0) -> None:
        """Let the children finish (a stuck one is stopped: the parent reads the files itself)."""
        # subprocess only when a child starts: one CPU, a warm cache or a short history start none
        import subprocess

        for process, listing in self.jobs:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            try:
                os.unlink(listing)
            except OSError:
                pass
        self.jobs = []


def _header_argv(root: str, location: str, folder: str, listing: str) -> list[str]:
    return [root, location, folder, listing]


def scan_headers(locations: Iterable[tuple[str, list[str]]]) -> HeaderScan | None:
    """Fill the header caches of ``(location, relative paths of its .py files)`` in children.

    Only where a location's cache is missing or older than the directory
    (files were added, removed or renamed since it was written); else the
    parent's own pass over a warm cache is cheaper than an interpreter.
    """
    if not enabled():
        return None
    root = os.path.dirname(os.path.dirname(os.path.abspath(limbeck.__file__)))
    jobs = []
    for location, files in locations:
        if len(files) < MIN_FILES:
            continue
        folder = cache_folder(location)
        if folder is None:
            continue
        try:
            if os.stat(os.path.join(folder, CACHE_FILENAME)).st_mtime_ns >= os.stat(location).st_mtime_ns:
                continue
        except OSError:
            pass
        spawned = _spawn(folder, ".limbeck-headers-", files, functools.partial(_header_argv, root, location, folder), _HEADERS_CHILD)
        if spawned is not None:
            jobs.append(spawned)
    return HeaderScan(jobs) if jobs else None
