"""Where limbeck keeps its caches of a versions directory, and writing them atomically.

Both caches (revision headers, compiled revision code) live where Python
would keep the directory's bytecode: its ``__pycache__``, or under
``sys.pycache_prefix`` (``PYTHONPYCACHEPREFIX``) mirroring the directory's
path. Under ``PYTHONDONTWRITEBYTECODE`` (or ``-B``) nothing is written into
the project tree: the caches go to the user's cache directory
(``$XDG_CACHE_HOME/limbeck/<folder>-<hash of its path>``, ``~/.cache`` by
default; ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows), so
runs stay fast. A read-only checkout (a review copy, a container image)
gets the same. A cache is an optimisation: a directory that cannot be
written, a full disk, a racing process all just mean no cache, so every
failure is swallowed and a half-written file is never left behind.
"""

from __future__ import annotations

import os
import re
import sys
from typing import BinaryIO, Callable


def cache_folder(directory: str) -> str | None:
    """The folder for the caches of versions ``directory``; ``None`` when there is none to use."""
    directory = os.path.abspath(directory)
    if sys.dont_write_bytecode:
        return user_cache_folder(directory)
    prefix = sys.pycache_prefix
    if prefix:
        drive, rest = os.path.splitdrive(directory)
        return os.path.join(prefix, drive.replace(":", ""), rest.lstrip(os.sep + (os.altsep or "")))
    pycache = os.path.join(directory, "__pycache__")
    if os.access(pycache if os.path.isdir(pycache) else directory, os.W_OK):
        return pycache
    return user_cache_folder(directory)  # a read-only checkout


def user_cache_folder(directory: str) -> str | None:
    """``<user cache>/limbeck/<last two folder names>-<hash of the path>`` for ``directory``."""
    # hashlib only for a read-only checkout: the header-scanning child (script.precompile) imports this module bare
    import hashlib

    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA", "")
        else:
            home = os.path.expanduser("~")
            if home == "~" or not os.path.isabs(home):
                return None
            base = os.path.join(home, "Library", "Caches") if sys.platform == "darwin" else os.path.join(home, ".cache")
        if not base:
            return None
    parent, name = os.path.split(directory)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{os.path.basename(parent)}-{name}").strip("_.") or "root"
    digest = hashlib.sha256(os.fsencode(directory)).hexdigest()[:16]
    return os.path.join(base, "limbeck", f"{slug}-{digest}")


def write_atomically(path: str, prefix: str, write: Callable[[BinaryIO], object]) -> bool:
    """Write ``path`` through ``write(fh)`` into a temporary file, then rename it into place."""
    folder = os.path.dirname(path)
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = _temporary(folder, prefix)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


#: what :func:`tempfile.mkstemp` opens with: a new file only (never one an attacker linked there), readable by us alone
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _temporary(folder: str, prefix: str) -> tuple[int, str]:
    """A new file in ``folder`` with a random name, as :func:`tempfile.mkstemp` makes one.

    Without importing :mod:`tempfile` (and :mod:`random`): 1.5 ms of a cold ``heads``.
    """
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(8).hex()}.tmp")
        try:
            return os.open(path, _NEW_FILE, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")
