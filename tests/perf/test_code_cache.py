"""The compiled-code cache for revision files: used when valid, never when stale.

Most tests tell Python not to write ``.pyc`` files (``sys.dont_write_bytecode``),
as ``PYTHONDONTWRITEBYTECODE`` does; the cache does not depend on it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from limbeck.script import codecache
from limbeck.script.cachefile import cache_folder
from limbeck.script.codecache import (
    CODE_CACHE_PREFIX,
    CodeCache,
    code_cache,
    save_code_caches,
)
from limbeck.script.loader import ScriptLoadError, load_python_file

SOURCE = '''"""a revision"""
revision = "ae10"
down_revision = None
VALUE = {value!r}


def upgrade():
    return VALUE
'''


@pytest.fixture
def no_pyc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    yield


def cache_files(directory: Path) -> list[Path]:
    """The code cache files of ``directory``, where they are kept (under ``no_pyc``: the user's cache)."""
    folder = cache_folder(str(directory))
    assert folder is not None
    return list(Path(folder).glob(f"{CODE_CACHE_PREFIX}.*.bin"))


def write(path: Path, value: object, mtime_ns: int | None = None) -> None:
    path.write_text(SOURCE.format(value=value), encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def load(directory: Path, name: str = "ae10_rev.py") -> ModuleType:
    cache = CodeCache(str(directory))
    module = load_python_file(directory, name, code_cache=cache)
    cache.save()
    return module


def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every source compile of the standard loader (what the cache saves)."""
    import importlib._bootstrap_external as external

    seen: list[str] = []
    original = external.SourceLoader.source_to_code

    def counting(self: object, data: bytes, path: str, *, _optimize: int = -1) -> object:
        seen.append(path)
        return original(self, data, path, _optimize=_optimize)  # type: ignore[arg-type]

    monkeypatch.setattr(external.SourceLoader, "source_to_code", counting)
    return seen


@pytest.mark.usefixtures("no_pyc")
def test_second_load_uses_the_cache_and_runs_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ae10_rev.py", 1)
    seen = compiles(monkeypatch)
    first = load(tmp_path)
    assert len(seen) == 1
    assert len(cache_files(tmp_path)) == 1
    assert not (tmp_path / "__pycache__").exists()  # PYTHONDONTWRITEBYTECODE: nothing in the project tree
    second = load(tmp_path)
    assert len(seen) == 1  # not compiled again
    assert second.upgrade() == first.upgrade() == 1
    assert second.upgrade.__code__.co_filename == str(tmp_path / "ae10_rev.py")


@pytest.mark.usefixtures("no_pyc")
def test_an_edited_file_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ae10_rev.py"
    write(path, 1, mtime_ns=1_700_000_000_000_000_000)
    load(tmp_path)
    # same size, another modification time
    write(path, 2, mtime_ns=1_700_000_000_000_000_001)
    assert load(tmp_path).upgrade() == 2
    # same modification time, another size
    write(path, 333, mtime_ns=1_700_000_000_000_000_001)
    assert load(tmp_path).upgrade() == 333
    seen = compiles(monkeypatch)
    assert load(tmp_path).upgrade() == 333
    assert seen == []


@pytest.mark.usefixtures("no_pyc")
def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    write(tmp_path / "ae10_rev.py", 5)
    load(tmp_path)
    (cache_file,) = cache_files(tmp_path)
    cache_file.write_bytes(b"\x00not marshal data")
    assert load(tmp_path).upgrade() == 5
    cache = CodeCache(str(tmp_path))
    st = os.stat(tmp_path / "ae10_rev.py")
    assert cache.get(str(tmp_path / "ae10_rev.py"), st) is not None


@pytest.mark.usefixtures("no_pyc")
def test_a_damaged_entry_is_compiled_again(tmp_path: Path) -> None:
    path = tmp_path / "ae10_rev.py"
    write(path, 7)
    cache = CodeCache(str(tmp_path))
    st = os.stat(path)
    cache._load()[str(path)] = (st.st_size, st.st_mtime_ns, sys.flags.optimize, b"garbage")
    assert cache.get(str(path), st) is None
    assert load_python_file(tmp_path, "ae10_rev.py", code_cache=cache).upgrade() == 7


@pytest.mark.usefixtures("no_pyc")
def test_entries_of_removed_files_are_dropped_on_save(tmp_path: Path) -> None:
    write(tmp_path / "ae10_rev.py", 1)
    write(tmp_path / "bb20_rev.py", 2)
    load(tmp_path, "ae10_rev.py")
    load(tmp_path, "bb20_rev.py")
    (tmp_path / "bb20_rev.py").unlink()
    write(tmp_path / "cc30_rev.py", 3)
    load(tmp_path, "cc30_rev.py")
    entries = CodeCache(str(tmp_path))._load()
    assert sorted(os.path.basename(p) for p in entries) == ["ae10_rev.py", "cc30_rev.py"]


def test_no_pyc_is_written_even_when_python_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache file instead of a .pyc per revision: a fresh checkout writes one file."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    write(tmp_path / "ae10_rev.py", 1)
    seen = compiles(monkeypatch)
    assert load(tmp_path).upgrade() == 1
    assert not list((tmp_path / "__pycache__").glob("*.pyc"))
    assert list((tmp_path / "__pycache__").glob(f"{CODE_CACHE_PREFIX}.*.bin"))
    assert load(tmp_path).upgrade() == 1
    assert len(seen) == 1


@pytest.mark.usefixtures("no_pyc")
def test_an_existing_pyc_is_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import py_compile

    path = tmp_path / "ae10_rev.py"
    write(path, 9)
    py_compile.compile(str(path), doraise=True)  # what `python -m compileall` leaves
    seen = compiles(monkeypatch)
    assert load(tmp_path).upgrade() == 9
    assert seen == []


@pytest.mark.usefixtures("no_pyc")
def test_syntax_errors_are_reported_as_before(tmp_path: Path) -> None:
    (tmp_path / "ae10_rev.py").write_text("def upgrade(:\n", encoding="utf-8")
    with pytest.raises(ScriptLoadError, match="Syntax error in .*ae10_rev.py, line 1"):
        load(tmp_path)


@pytest.mark.usefixtures("no_pyc")
def test_caches_are_per_directory_and_saved_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codecache, "_CACHES", {})
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    write(a / "ae10_rev.py", 1)
    write(b / "ae10_rev.py", 2)
    cache_a, cache_b = code_cache(str(a)), code_cache(str(b))
    assert cache_a is code_cache(str(a)) and cache_a is not cache_b
    load_python_file(a, "ae10_rev.py", code_cache=cache_a)
    load_python_file(b, "ae10_rev.py", code_cache=cache_b)
    save_code_caches()
    assert cache_files(a) and cache_files(b) and cache_files(a) != cache_files(b)


@pytest.mark.usefixtures("no_pyc")
def test_saving_twice_in_one_process_keeps_both_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ae10_rev.py", 1)
    write(tmp_path / "bb20_rev.py", 2)
    cache = CodeCache(str(tmp_path))
    load_python_file(tmp_path, "ae10_rev.py", code_cache=cache)
    cache.save()
    load_python_file(tmp_path, "bb20_rev.py", code_cache=cache)
    cache.save()
    seen = compiles(monkeypatch)
    again = CodeCache(str(tmp_path))
    assert load_python_file(tmp_path, "ae10_rev.py", code_cache=again).upgrade() == 1
    assert load_python_file(tmp_path, "bb20_rev.py", code_cache=again).upgrade() == 2
    assert seen == []


@pytest.mark.usefixtures("no_pyc")
def test_code_from_a_background_compile_is_saved_as_it_came_and_a_truncated_file_is_ignored(tmp_path: Path) -> None:
    import marshal

    path = tmp_path / "ae10_rev.py"
    write(path, 9)
    st = os.stat(path)
    cache = CodeCache(str(tmp_path))
    compiled = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    # what _take_background keeps: the child's marshalled code
    cache._new[str(path)] = (st.st_size, st.st_mtime_ns, sys.flags.optimize, marshal.dumps(compiled))
    assert cache.get(str(path), st) == compiled
    compiled_here = tmp_path / "bb20_rev.py"
    write(compiled_here, 10)
    load(tmp_path, "bb20_rev.py")  # compiled by this process, saved with the other
    cache.save()
    (cache_file,) = cache_files(tmp_path)
    with cache_file.open("rb") as fh:
        marshal.load(fh)  # the header
        records = marshal.loads(fh.read())
    # one list: the background's bytes as they came (never marshalled again), this process's code as code
    assert sorted((r[0], type(r[4])) for r in records) == [(str(path), bytes), (str(compiled_here), type(compiled))]
    assert CodeCache(str(tmp_path)).get(str(path), st) == compiled
    # cut short: ignored as a whole (compiled again, never a partial read)
    cache_file.write_bytes(cache_file.read_bytes()[:-20])
    assert CodeCache(str(tmp_path)).get(str(path), st) is None
    assert load(tmp_path).upgrade() == 9
