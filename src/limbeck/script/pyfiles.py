"""Where a script directory's files are: a package resource, a compiled stand-in.

The ``alembic.util.pyfiles`` names the script directory needs
(:mod:`limbeck.util` offers them to scripts too).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from limbeck.errors import CommandError


def coerce_resource_to_filename(fname_or_resource: str) -> Path:
    """Resolve ``"package:path/inside"`` to a filesystem path.

    ``script_location = myapp:migrations`` names a folder inside an installed
    package; anything without a colon (or a Windows drive letter) is a plain
    path and is returned unchanged.
    """
    value = os.fspath(fname_or_resource)
    is_drive = len(value) > 1 and value[1] == ":" and value[0].isalpha() and (
        len(value) == 2 or value[2] in "\\/"
    )
    if ":" not in value or is_drive or os.path.isabs(value):
        return Path(value)
    package, _, resource = value.partition(":")
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError) as exc:
        raise CommandError(f"Can't locate package {package!r} for script location {value!r}: {exc}") from exc
    if spec is None:
        raise CommandError(f"Can't locate package {package!r} for script location {value!r}")
    locations = list(spec.submodule_search_locations or [])
    if locations:
        base = Path(locations[0])
    elif spec.origin:
        base = Path(spec.origin).parent
    else:
        raise CommandError(f"Package {package!r} of script location {value!r} has no folder on disk")
    return base.joinpath(*resource.split("/")) if resource else base


def pyc_file_from_path(path: str | os.PathLike[str]) -> Path | None:
    """The compiled file that can stand in for a missing ``.py`` source.

    Checked in the legacy location first (``x.pyc`` beside ``x.py``), which is
    how sourceless deployments ship, then the ``__pycache__`` one.
    """
    src = Path(path)
    legacy = src.with_suffix(".pyc")
    if legacy.exists():
        return legacy
    try:
        cached = Path(importlib.util.cache_from_source(str(src)))
    except NotImplementedError:  # pragma: no cover - sys.implementation without a cache tag
        return None
    return cached if cached.exists() else None
