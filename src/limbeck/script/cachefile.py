"""Writing limbeck's cache files next to a versions directory, atomically.

Both caches (revision headers, compiled revision code) live in the
directory's ``__pycache__``. A cache is an optimisation: a directory that
cannot be written, a full disk, a racing process all just mean no cache, so
every failure is swallowed and a half-written file is never left behind.
"""

from __future__ import annotations

import os
from typing import BinaryIO, Callable


def write_atomically(path: str, prefix: str, write: Callable[[BinaryIO], object]) -> bool:
    """Write ``path`` through ``write(fh)`` into a temporary file, then rename it into place."""
    import tempfile

    folder = os.path.dirname(path)
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
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
