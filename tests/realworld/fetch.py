"""Download a pinned release from PyPI once, verify it, and extract its migration folders.

Other projects' code is never stored in this repository: the suite fetches
the release named in ``projects.py`` at test time, through PyPI's JSON API
(the per-version endpoint, so the file and its SHA-256 come from PyPI's own
metadata) and ``files.pythonhosted.org``. The archive is kept in a user cache
directory (``$LIMBECK_TEST_CACHE``, else ``$XDG_CACHE_HOME/limbeck-tests``,
else ``~/.cache/limbeck-tests``) and checked against the pinned digest on
every use, so a warm run needs no network and a corrupted or substituted
file is refused rather than compared.

Only the folders a project's ``alembic.ini`` would list are extracted (the
members under the given prefixes ending in ``.py``); nothing from the archive
is imported except the revision files themselves, by Alembic and limbeck.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

__all__ = ["FetchError", "archive_folders", "cache_dir", "extract_folders", "fetch_release"]

_INDEX = os.environ.get("LIMBECK_TEST_PYPI", "https://pypi.org/pypi")
_TIMEOUT = 120


class FetchError(RuntimeError):
    """The release could not be downloaded or does not match its pinned digest."""


def cache_dir() -> Path:
    """Where downloads and extracted folders live between runs."""
    explicit = os.environ.get("LIMBECK_TEST_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "limbeck-tests"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
            return json.load(response)  # type: ignore[no-any-return]
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise FetchError(f"cannot read {url}: {exc}") from exc
    except OSError as exc:
        raise FetchError(f"cannot read {url}: {exc}") from exc


def _release_file(name: str, version: str, filename: str) -> tuple[str, str]:
    """(url, sha256) of ``filename`` as PyPI's metadata for ``name==version`` lists it.

    The per-version document is asked first; some PyPI mirrors serve only the
    project document, whose ``releases`` hold the same entries (and whose
    URLs may be relative to the document).
    """
    url = f"{_INDEX}/{name}/{version}/json"
    meta = _read_json(url)
    entries = meta.get("urls", []) if meta else []
    if meta is None:
        url = f"{_INDEX}/{name}/json"
        project = _read_json(url)
        if project is None:
            raise FetchError(f"{name}: PyPI has no such project ({url})")
        entries = project.get("releases", {}).get(version, [])
    for entry in entries:
        if entry["filename"] == filename:
            return urllib.parse.urljoin(url, entry["url"]), entry["digests"]["sha256"]
    raise FetchError(f"{name} {version}: PyPI lists no file {filename}")


def fetch_release(name: str, version: str, filename: str, sha256: str) -> Path:
    """The verified archive ``filename`` of ``name==version``, downloaded if not cached."""
    target = cache_dir() / "downloads" / filename
    if target.exists() and _sha256(target) == sha256:
        return target
    url, listed = _release_file(name, version, filename)
    if listed != sha256:
        raise FetchError(f"{name} {version}: PyPI lists sha256 {listed} for {filename}, pinned {sha256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=filename + ".")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
            shutil.copyfileobj(response, out)
        got = _sha256(Path(partial))
        if got != sha256:
            raise FetchError(f"{name} {version}: {filename} downloaded with sha256 {got}, expected {sha256}")
        os.replace(partial, target)
    except OSError as exc:
        raise FetchError(f"{name} {version}: cannot download {url}: {exc}") from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target


def _members(archive: Path) -> list[tuple[str, object]]:
    if archive.name.endswith(".whl") or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            return [(info.filename, info) for info in zf.infolist() if not info.is_dir()]
    with tarfile.open(archive) as tf:
        return [(m.name, m) for m in tf.getmembers() if m.isfile()]


def archive_folders(archive: Path, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``prefixes`` (archive paths) under which ``archive`` holds a ``.py`` file."""
    names = [name for name, _ in _members(archive) if name.endswith(".py")]
    return tuple(p for p in prefixes if any(name.startswith(p.rstrip("/") + "/") for name in names))


def extract_folders(archive: Path, sha256: str, prefixes: tuple[str, ...]) -> Path:
    """Extract the ``.py`` files under ``prefixes`` (archive paths) into a cache folder.

    The folder is named by the archive's digest and the prefixes, so a change
    of either extracts afresh; it is written under a temporary name and
    renamed, so an interrupted run never leaves a half-extracted folder.
    """
    key = hashlib.sha256("\0".join((sha256, *prefixes)).encode()).hexdigest()[:16]
    dest = cache_dir() / "extracted" / f"{archive.name}-{key}"
    if dest.is_dir():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=dest.parent, prefix=".partial-"))
    try:
        wanted = [
            (name, member)
            for name, member in _members(archive)
            if name.endswith(".py") and any(name.startswith(p.rstrip("/") + "/") for p in prefixes)
        ]
        if not wanted:
            raise FetchError(f"{archive.name}: nothing under {', '.join(prefixes)}")
        _write_members(archive, wanted, work)
        try:
            os.rename(work, dest)
        except OSError:
            if not dest.is_dir():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def _write_members(archive: Path, wanted: list[tuple[str, object]], work: Path) -> None:
    for name, _ in wanted:
        if name.startswith("/") or ".." in Path(name).parts:
            raise FetchError(f"{archive.name}: refusing member path {name!r}")
    if archive.name.endswith(".whl") or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for name, _ in wanted:
                out = work / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(name))
        return
    with tarfile.open(archive) as tf:
        for name, member in wanted:
            data = tf.extractfile(member)  # type: ignore[arg-type]
            assert data is not None
            out = work / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data.read())
