"""Background compiling of revision files: the same code as compiling in-process, or nothing.

The child interpreter's work is only ever a shortcut: each test checks that
what the parent gets is byte-for-byte the code it would have compiled
itself, and that a stale, broken or unwanted file falls back to the normal
path.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path
from types import CodeType

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.script import ScriptDirectory, precompile, scanning
from limbeck.script.codecache import CodeCache

SOURCE = '''"""revision {n}"""
import sqlalchemy as sa
from alembic import op


revision = "r{n:04d}"
down_revision = {down!r}
VALUE = {n}


def upgrade():
    op.execute("SELECT {n}")


def downgrade():
    op.execute("SELECT -{n}")
'''


@pytest.fixture(autouse=True)
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as on CI's two cores, whatever this machine has."""
    monkeypatch.setattr(scanning, "cpus", lambda: 2)
    monkeypatch.delenv("LIMBECK_PRECOMPILE", raising=False)


#: these tests are about the ``__pycache__`` placement (see tests/conftest.py)
pytestmark = pytest.mark.usefixtures("caches_in_pycache")


def write_files(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"r{n:04d}_rev.py"
        down = None if n == 0 else f"r{n - 1:04d}"
        path.write_text(SOURCE.format(n=n, down=down), encoding="utf-8")
        paths.append(str(path))
    return paths


def finish(cache: CodeCache) -> None:
    background = cache._background
    assert background is not None
    background.process.wait()


def in_process(path: str) -> CodeType:
    with open(path, "rb") as fh:
        return compile(fh.read(), path, "exec", dont_inherit=True, optimize=sys.flags.optimize)


def same_code(a: CodeType, b: CodeType) -> bool:
    """Equal code (bytecode, constants, names, line tables) from the same file, nested functions too."""
    if a != b or a.co_filename != b.co_filename:
        return False
    nested = [(x, y) for x, y in zip(a.co_consts, b.co_consts) if isinstance(x, CodeType)]
    return all(same_code(x, y) for x, y in nested)


def test_child_code_is_what_the_parent_compiles(tmp_path: Path) -> None:
    paths = write_files(tmp_path, precompile.MIN_FILES + 6)
    cache = CodeCache(str(tmp_path))
    assert cache.prefetch(paths)
    finish(cache)
    for path in paths:
        code = cache.get(path, os.stat(path))
        assert code is not None
        assert same_code(code, in_process(path))
        assert code.co_filename == path
    assert cache._background is None
    assert not [p for p in os.listdir(tmp_path / "__pycache__") if p.startswith(".limbeck-precompile")]


def stalled(tmp_path: Path, paths: list[str]) -> precompile.Background:
    """A background compile whose child writes nothing by itself: the test writes its records."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    return precompile.Background(process, paths, str(tmp_path / "out.bin"), str(tmp_path / "in.txt"))


def write_records(background: precompile.Background, paths: list[str], tail: bytes = b"") -> None:
    """Records for ``paths``, written the way the child writes them."""
    with open(background.out, "ab") as fh:
        for path in paths:
            st = os.stat(path)
            data = marshal.dumps(in_process(path))
            frame = marshal.dumps((path, st.st_size, st.st_mtime_ns, sys.flags.optimize, data))
            fh.write(len(frame).to_bytes(4, "little") + frame)
        fh.write(tail)


def test_records_are_taken_while_the_child_still_runs(tmp_path: Path) -> None:
    paths = write_files(tmp_path, precompile.MIN_FILES + 2)
    cache = CodeCache(str(tmp_path))
    background = cache._background = stalled(tmp_path, paths)
    try:
        write_records(background, paths[:2], tail=b"\x99\x00")  # and the start of the next record
        for path in paths[:2]:
            code = cache.get(path, os.stat(path))
            assert code is not None and same_code(code, in_process(path))
        assert cache._background is background  # still running
        assert background.back == len(paths)  # the parent compiled nothing itself
    finally:
        cache.save()
    assert background.process.poll() is not None  # the end of the run stopped it
    assert not os.path.exists(tmp_path / "out.bin")


def test_the_parent_compiles_from_the_other_end_and_stops_the_child_where_they_meet(tmp_path: Path) -> None:
    """A file the child has not reached yet is not waited for: the parent compiles the list from its end."""
    paths = write_files(tmp_path, precompile.MIN_FILES + 2)
    cache = CodeCache(str(tmp_path))
    background = cache._background = stalled(tmp_path, paths)
    try:
        write_records(background, paths[:3])
        assert cache.get(paths[0], os.stat(paths[0])) is not None
        # the child is stuck before paths[3]: the parent compiles paths[-1] down to paths[4]
        assert cache.get(paths[3], os.stat(paths[3])) is None  # the loader compiles this one
        assert background.process.poll() is not None  # nothing left for the child: stopped
        assert cache._background is None and not os.path.exists(background.out)
        for path in paths[4:]:
            code = cache.get(path, os.stat(path))
            assert code is not None and same_code(code, in_process(path))
    finally:
        background.cancel()


def test_files_the_parent_cannot_compile_early_are_left_to_the_loader(tmp_path: Path) -> None:
    paths = write_files(tmp_path, precompile.MIN_FILES + 2)
    Path(paths[-1]).write_text("def upgrade(:\n", encoding="utf-8")
    Path(paths[-2]).write_text("x = 1 is 1\n", encoding="utf-8")  # a SyntaxWarning: shown when imported
    cache = CodeCache(str(tmp_path))
    background = cache._background = stalled(tmp_path, paths)
    try:
        assert cache.get(paths[0], os.stat(paths[0])) is None
        assert cache._background is None
        for path in paths[-2:]:
            assert cache.get(path, os.stat(path)) is None
        assert all(cache.get(path, os.stat(path)) is not None for path in paths[1:-2])
    finally:
        background.cancel()


def test_parent_and_child_share_the_work_with_the_same_code(tmp_path: Path) -> None:
    paths = write_files(tmp_path, 300)
    cache = CodeCache(str(tmp_path))
    assert cache.prefetch(paths)
    got = {}
    for path in paths:  # at once, in the child's order, as the run imports them
        code = cache.get(path, os.stat(path))
        got[path] = code if code is not None else in_process(path)
    assert all(same_code(got[path], in_process(path)) for path in paths)
    cache.save()
    assert not [p for p in os.listdir(tmp_path / "__pycache__") if p.startswith(".limbeck-precompile")]


def test_broken_and_edited_files_fall_back(tmp_path: Path) -> None:
    paths = write_files(tmp_path, precompile.MIN_FILES + 2)
    Path(paths[3]).write_text("def upgrade(:\n", encoding="utf-8")
    Path(paths[6]).write_text("x = 1 is 1\n", encoding="utf-8")
    cache = CodeCache(str(tmp_path))
    assert cache.prefetch(paths)
    finish(cache)
    assert cache.get(paths[3], os.stat(paths[3])) is None  # the child skipped it
    assert cache.get(paths[6], os.stat(paths[6])) is None  # it warns: the loader shows that in its turn
    Path(paths[4]).write_text(SOURCE.format(n=4000, down=None), encoding="utf-8")
    assert cache.get(paths[4], os.stat(paths[4])) is None  # edited since: stale
    assert cache.get(paths[5], os.stat(paths[5])) is not None


@pytest.mark.parametrize("why", ["few", "disabled", "one cpu", "cached", "frozen"])
def test_no_child_when_not_worth_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    paths = write_files(tmp_path, precompile.MIN_FILES + 2)
    if why == "few":
        paths = paths[: precompile.MIN_FILES - 1]
    elif why == "disabled":
        monkeypatch.setenv("LIMBECK_PRECOMPILE", "0")
    elif why == "one cpu":
        monkeypatch.setattr(scanning, "cpus", lambda: 1)
    elif why == "frozen":
        monkeypatch.setattr(sys, "frozen", True, raising=False)
    else:
        warm = CodeCache(str(tmp_path))
        for path in paths:
            warm.put(path, os.stat(path), compile(Path(path).read_bytes(), path, "exec", dont_inherit=True))
        warm.save()
    cache = CodeCache(str(tmp_path))
    assert not cache.prefetch(paths)
    assert cache._background is None


def project(tmp_path: Path, count: int) -> Config:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "env.py").write_text(
        "from alembic import context\n"
        "context.configure(url='postgresql://', literal_binds=True)\n"
        "with context.begin_transaction():\n"
        "    context.run_migrations()\n",
        encoding="utf-8",
    )
    write_files(tmp_path / "migrations" / "versions", count)
    cfg = Config()
    cfg.set_main_option("script_location", str(tmp_path / "migrations"))
    return cfg


def test_offline_upgrade_output_is_the_same_with_and_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[int] = []
    original = precompile.start

    def counting(cache: CodeCache, paths: object) -> object:
        background = original(cache, paths)  # type: ignore[arg-type]
        started.append(len(background.paths) if background else 0)
        return background

    monkeypatch.setattr(precompile, "start", counting)
    cfg = project(tmp_path, 40)
    command.upgrade(cfg, "base:head", sql=True)
    with_child = capsys.readouterr().out
    assert started == [40]
    monkeypatch.setenv("LIMBECK_PRECOMPILE", "0")
    for cache_file in (tmp_path / "migrations" / "versions" / "__pycache__").glob("*"):
        cache_file.unlink()
    command.upgrade(cfg, "base:head", sql=True)
    assert capsys.readouterr().out == with_child
    assert started == [40]
    assert "SELECT 39" in with_child


def test_the_compile_starts_before_sqlalchemy_is_imported(tmp_path: Path) -> None:
    """The children's head start is the SQLAlchemy import: started after it, they overlap nothing."""
    cfg_dir = tmp_path / "p"
    cfg_dir.mkdir()
    project(cfg_dir, precompile.MIN_FILES + 6)
    program = (
        "import sys\n"
        "from limbeck.script import precompile, scanning\n"
        "scanning.cpus = lambda: 2\n"
        "seen = []\n"
        "original_start, original_scan = precompile.start, precompile.scan_headers\n"
        "def start(cache, paths):\n"
        "    paths = list(paths)\n"
        "    seen.append(('compile', len(paths), 'sqlalchemy' in sys.modules))\n"
        "    return original_start(cache, paths)\n"
        "def scan(locations):\n"
        "    seen.append(('headers', 'sqlalchemy' in sys.modules))\n"
        "    return original_scan(locations)\n"
        "precompile.start, precompile.scan_headers = start, scan\n"
        "from limbeck import command\n"
        "from limbeck.config import Config\n"
        "cfg = Config()\n"
        f"cfg.set_main_option('script_location', {str(cfg_dir / 'migrations')!r})\n"
        "command.upgrade(cfg, 'base:head', sql=True)\n"
        "print(seen, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LIMBECK_PRECOMPILE", "PYTHONDONTWRITEBYTECODE")}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    assert "SELECT 29" in done.stdout
    seen = done.stderr.strip().splitlines()[-1]
    assert seen == str([("headers", False), ("compile", precompile.MIN_FILES + 6, False)])


def test_a_run_without_steps_stops_the_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[precompile.Background] = []
    original = precompile.start

    def keeping(cache: CodeCache, paths: object) -> object:
        background = original(cache, paths)  # type: ignore[arg-type]
        if background is not None:
            started.append(background)
        return background

    monkeypatch.setattr(precompile, "start", keeping)
    cfg = project(tmp_path, precompile.MIN_FILES + 6)
    command.upgrade(cfg, "r0005:r0005", sql=True)  # nothing to run: no file is imported
    assert len(started) == 1
    assert started[0].done and started[0].process.poll() is not None
    assert not list((tmp_path / "migrations" / "versions" / "__pycache__").glob(".limbeck-precompile-*"))


def test_header_scan_fills_the_cache_the_parent_would_write(tmp_path: Path) -> None:
    from limbeck.script.headers import CACHE_FILENAME

    cfg = project(tmp_path, precompile.MIN_FILES + 4)
    versions = tmp_path / "migrations" / "versions"
    (versions / "zz_dynamic.py").write_text(  # not static: the parent imports this one itself
        'revision = "dyn"\ndown_revision = "r%04d" % 27\n', encoding="utf-8"
    )
    script = ScriptDirectory.from_config(cfg)
    scan = script.prefetch()
    assert scan is not None
    scan.wait()
    by_child = (versions / "__pycache__" / CACHE_FILENAME).read_bytes()
    assert b"r0027" in by_child and b"zz_dynamic" not in by_child
    # the parent's own pass over the same files writes the same cache
    (versions / "__pycache__" / CACHE_FILENAME).unlink()
    ScriptDirectory.from_config(cfg).revision_map.heads  # noqa: B018 - builds the map, saves the cache
    assert (versions / "__pycache__" / CACHE_FILENAME).read_bytes() == by_child
    # a warm cache, newer than the directory: no child
    assert ScriptDirectory.from_config(cfg).prefetch() is None
    # the map built after a scan is the one built without
    assert ScriptDirectory.from_config(cfg).revision_map.heads == ("dyn",)


def test_no_header_scan_once_the_map_is_read_or_when_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = project(tmp_path, precompile.MIN_FILES + 4)
    script = ScriptDirectory.from_config(cfg)
    script.revision_map.heads  # noqa: B018
    for cache in (tmp_path / "migrations" / "versions" / "__pycache__").glob("*"):
        cache.unlink()
    assert script.prefetch() is None
    monkeypatch.setenv("LIMBECK_PRECOMPILE", "0")
    assert ScriptDirectory.from_config(cfg).prefetch() is None


def test_a_child_whose_run_was_killed_stops_and_leaves_no_files(tmp_path: Path) -> None:
    """The run dies without its exit handlers (SIGKILL): the orphaned child cleans up after itself."""
    import time

    paths = write_files(tmp_path, 400)
    program = (
        "import os, sys\n"
        "from limbeck.script import scanning\n"
        "from limbeck.script.codecache import CodeCache\n"
        "scanning.cpus = lambda: 2\n"
        f"cache = CodeCache({str(tmp_path)!r})\n"
        f"assert cache.prefetch({paths!r})\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True)
    folder = tmp_path / "__pycache__"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and [p for p in os.listdir(folder) if p.startswith(".limbeck-precompile")]:
        time.sleep(0.05)
    assert not [p for p in os.listdir(folder) if p.startswith(".limbeck-precompile")]
