"""The on-disk header cache: hits, per-file invalidation, silent failure."""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.script import ScriptDirectory
from limbeck.script import listing as listing_mod
from limbeck.script import scanning
from limbeck.script.headers import CACHE_FILENAME, CACHE_FORMAT, HeaderCache, read_headers

#: these tests are about the ``__pycache__`` placement (see tests/conftest.py)
pytestmark = pytest.mark.usefixtures("caches_in_pycache")

WriteRev = Callable[..., Path]


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file the directory scans (i.e. every cache miss)."""
    seen: list[str] = []

    def counting(path: str, size: int = -1) -> object:
        seen.append(os.path.basename(path))
        return read_headers(path, size)

    monkeypatch.setattr(listing_mod, "read_headers", counting)
    monkeypatch.setattr(scanning, "read_headers", counting)
    return seen


def heads(script_dir: Path) -> list[str]:
    return ScriptDirectory(script_dir).get_heads()


def test_cold_then_warm(script_dir: Path, write_rev: WriteRev, scans: list[str]) -> None:
    write_rev("a.py", "a")
    write_rev("b.py", "b", "a", doc="second")
    assert heads(script_dir) == ["b"]
    assert sorted(scans) == ["a.py", "b.py"]
    cache_file = script_dir / "versions" / "__pycache__" / CACHE_FILENAME
    data = marshal.loads(cache_file.read_bytes())
    assert data["version"] == CACHE_FORMAT and sorted(data["files"]) == ["a.py", "b.py"]
    scans.clear()
    sd = ScriptDirectory(script_dir)
    assert sd.get_heads() == ["b"]
    assert sd.get_revision("b").doc == "second"
    assert scans == []


def test_changed_added_removed_touch_only_their_entry(script_dir: Path, write_rev: WriteRev, scans: list[str]) -> None:
    write_rev("a.py", "a")
    b = write_rev("b.py", "b", "a")
    c = write_rev("c.py", "c", "b")
    heads(script_dir)
    scans.clear()
    write_rev("b.py", "b", "a", doc="edited and longer")  # changed size
    st = c.stat()
    os.utime(c, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # changed mtime only
    write_rev("d.py", "d", "c")
    assert heads(script_dir) == ["d"]
    assert sorted(scans) == ["b.py", "c.py", "d.py"]
    scans.clear()
    (Path(b).parent / "d.py").unlink()
    assert heads(script_dir) == ["c"]
    assert scans == []
    cache = marshal.loads((script_dir / "versions" / "__pycache__" / CACHE_FILENAME).read_bytes())
    assert sorted(cache["files"]) == ["a.py", "b.py", "c.py"]


def test_non_literal_files_are_not_cached(script_dir: Path, scans: list[str]) -> None:
    (script_dir / "versions" / "dyn.py").write_text('revision = "d" + "1"\ndown_revision = None\n')
    assert heads(script_dir) == ["d1"]
    assert heads(script_dir) == ["d1"]
    assert scans == ["dyn.py", "dyn.py"]


def test_subdirectories_are_keyed_by_relative_path(script_dir: Path, write_rev: WriteRev) -> None:
    write_rev("2024/01/a.py", "a")
    sd = ScriptDirectory(script_dir, recursive_version_locations=True)
    assert sd.get_heads() == ["a"]
    cache = marshal.loads((script_dir / "versions" / "__pycache__" / CACHE_FILENAME).read_bytes())
    assert list(cache["files"]) == [os.path.join("2024", "01", "a.py")]


def test_unwritable_cache_is_silent(script_dir: Path, write_rev: WriteRev) -> None:
    write_rev("a.py", "a")
    (script_dir / "versions" / "__pycache__").write_text("a file where the folder would go")
    assert heads(script_dir) == ["a"]
    assert heads(script_dir) == ["a"]


@pytest.mark.parametrize(
    "content",
    [
        lambda size, mtime: b"not marshal",
        lambda size, mtime: marshal.dumps({"version": 99, "files": {}}),
        lambda size, mtime: marshal.dumps({"version": CACHE_FORMAT, "files": {"a.py": 5}}),
        lambda size, mtime: marshal.dumps({"version": CACHE_FORMAT, "files": {"a.py": [size, mtime, ["x", 3, None, None, None]]}}),
        lambda size, mtime: marshal.dumps({"version": CACHE_FORMAT, "files": {"a.py": [size, mtime, ["x", None, None, None]]}})[:-3],
        lambda size, mtime: marshal.dumps([CACHE_FORMAT]),
    ],
)
def test_corrupt_cache_is_ignored(script_dir: Path, write_rev: WriteRev, content: Callable[[int, int], bytes]) -> None:
    path = write_rev("a.py", "a")
    cache_dir = script_dir / "versions" / "__pycache__"
    cache_dir.mkdir()
    st = path.stat()  # entries carry the file's size and mtime, so that a bad payload is read
    (cache_dir / CACHE_FILENAME).write_bytes(content(st.st_size, st.st_mtime_ns))
    assert heads(script_dir) == ["a"]


def test_cache_api_round_trip(tmp_path: Path) -> None:
    src = tmp_path / "x.py"
    src.write_text('"""D"""\nrevision = "x"\ndown_revision = ("a", "b")\nbranch_labels = "l"\n')
    headers = read_headers(src)
    assert headers is not None
    cache = HeaderCache(tmp_path)
    cache.put("x.py", 10, 20, headers)
    cache.save()
    again = HeaderCache(tmp_path)
    assert again.get("x.py", 10, 20) == headers
    assert again.get("x.py", 10, 21) is None
    assert again.get("x.py", 11, 20) is None
