"""Reading many revision files on two cores: the serial answers, or the serial path itself.

Each test compares what :func:`limbeck.script.scanning.read_all` gives with
:func:`read_headers` file by file, with a child that works, one that dies,
hangs or sends garbage, and with files whose reading raises or warns.
Which process read which file is logged to a file (the child's memory is
not the parent's), so that a split that quietly did everything in one
process would fail the tests that expect a split.
"""

from __future__ import annotations

import _thread
import marshal
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from limbeck.script import ScriptDirectory, scanning
from limbeck.script.headers import Headers, read_headers

from .conftest import revision_source

#: these tests write caches next to the revisions (see tests/conftest.py)
pytestmark = pytest.mark.usefixtures("caches_in_pycache")

COUNT = 40


@pytest.fixture(autouse=True)
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """A split is possible: two CPUs, helpers allowed, a few files are enough, small chunks."""
    monkeypatch.setattr(scanning, "cpus", lambda: 2)
    monkeypatch.delenv("LIMBECK_PRECOMPILE", raising=False)
    monkeypatch.setattr(scanning, "MIN_FILES", 8)
    monkeypatch.setattr(scanning, "CHUNK", 3)


def _source(n: int) -> str:
    """Every shape the scan answers: plain, merges, labels, dependencies, and a file to import."""
    rev = f"r{n:03d}"
    if n == 0:
        return revision_source(rev, None, labels="trunk")
    if n % 7 == 0:
        return revision_source(rev, (f"r{n - 1:03d}", f"r{n - 2:03d}"), doc=f"merge {n}")
    if n % 5 == 0:
        return revision_source(rev, f"r{n - 1:03d}", depends_on=[f"r{n - 3:03d}"])
    if n % 11 == 0:  # not literal: read by importing it
        return f"revision = 'r{n:03d}'\ndown_revision = 'r{n - 1:03d}' if True else None\n"
    return revision_source(rev, f"r{n - 1:03d}", doc=f"revision {n}\n\nwith a body")


@pytest.fixture
def files(tmp_path: Path) -> tuple[list[str], list[int]]:
    folder = tmp_path / "versions"
    folder.mkdir()
    paths = []
    for n in range(COUNT):
        path = folder / f"r{n:03d}_rev.py"
        path.write_text(_source(n), encoding="utf-8")
        paths.append(str(path))
    return paths, [os.stat(p).st_size for p in paths]


@pytest.fixture
def readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], dict[str, list[int]]]]:
    """Log which process reads each file; the parent reads slowly, so the child takes tickets too."""
    log = tmp_path / "readers.log"
    parent = os.getpid()

    def logged(path: str, size: int = -1) -> Headers | None:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {path}\n")
        if os.getpid() == parent:
            time.sleep(0.01)
        return read_headers(path, size)

    monkeypatch.setattr(scanning, "read_headers", logged)

    def read() -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for line in log.read_text(encoding="utf-8").splitlines():
            pid, path = line.split(" ", 1)
            found.setdefault(path, []).append(int(pid))
        return found

    yield read


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked; each must be reaped by the time read_all returns."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def serial(paths: list[str], sizes: list[int]) -> list[Headers | None]:
    return [read_headers(p, s) for p, s in zip(paths, sizes)]


def assert_reaped(pids: list[int]) -> None:
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_split_gives_the_serial_answers(
    files: tuple[list[str], list[int]], readers: Callable[[], dict[str, list[int]]], forks: list[int]
) -> None:
    paths, sizes = files
    found = scanning.read_all(paths, sizes)
    assert found == serial(paths, sizes)
    assert any(h is None for h in found) and all(h is not False for h in found)
    who = readers()
    assert sorted(who) == sorted(paths) and all(len(pids) == 1 for pids in who.values())  # each read once
    assert {pids[0] for pids in who.values()} == {os.getpid(), *forks}  # by both processes
    assert len(forks) == 1
    assert_reaped(forks)


def test_a_thread_threading_did_not_start_changes_no_answer(
    files: tuple[list[str], list[int]], forks: list[int]
) -> None:
    """Python 3.12+ warns when a process with a thread forks, counting threads threading did not start
    (pytest-xdist's I/O thread is one): the fork's warning is no file's, so every file keeps its answer."""
    paths, sizes = files
    started, finish = _thread.allocate_lock(), _thread.allocate_lock()
    started.acquire()
    finish.acquire()

    def wait() -> None:
        started.release()
        with finish:
            pass

    _thread.start_new_thread(wait, ())
    started.acquire()
    try:
        assert threading.active_count() == 1  # the split goes ahead: it cannot see this thread
        found = scanning.read_all(paths, sizes)
    finally:
        finish.release()
    assert found == serial(paths, sizes)
    assert len(forks) == 1
    assert_reaped(forks)


def _child_reading(then: Callable[[], object]) -> Callable[[pytest.MonkeyPatch, int], None]:
    """A child that calls ``then()`` when it is about to read its first file."""

    def failure(monkeypatch: pytest.MonkeyPatch, parent: int) -> None:
        real = scanning.read_headers

        def reading(path: str, size: int = -1) -> Headers | None:
            if os.getpid() != parent:
                then()
            return real(path, size)

        monkeypatch.setattr(scanning, "TIMEOUT", 0.5)
        monkeypatch.setattr(scanning, "read_headers", reading)

    return failure


_child_dies = _child_reading(lambda: os._exit(3))
_child_hangs = _child_reading(lambda: time.sleep(60))


def _child_marshals(value: Callable[[Any], Any], data: Callable[[bytes], bytes]) -> Callable[[pytest.MonkeyPatch, int], None]:
    """A child whose results are changed (``value``) or whose bytes are (``data``) on their way."""

    def failure(monkeypatch: pytest.MonkeyPatch, parent: int) -> None:
        class InTheChild:
            loads = staticmethod(marshal.loads)

            @staticmethod
            def dumps(obj: Any) -> bytes:
                return marshal.dumps(obj) if os.getpid() == parent else data(marshal.dumps(value(obj)))

        monkeypatch.setattr(scanning, "marshal", InTheChild)

    return failure


_child_sends_garbage = _child_marshals(lambda done: done, lambda data: data[:-7])
_child_sends_wrong_shapes = _child_marshals(
    lambda done: [(ticket, [("too", "short") for _ in headers]) for ticket, headers in done], lambda data: data
)


@pytest.mark.parametrize(
    "failure",
    [_child_dies, _child_hangs, _child_sends_garbage, _child_sends_wrong_shapes],
    ids=["dies", "hangs", "garbage", "wrong shapes"],
)
def test_a_failing_child_leaves_its_files_to_the_parent(
    files: tuple[list[str], list[int]],
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    failure: Callable[[pytest.MonkeyPatch, int], None],
) -> None:
    paths, sizes = files
    failure(monkeypatch, os.getpid())
    found = scanning.read_all(paths, sizes)
    # what the child did not deliver is False: read again by the caller, file by file
    assert [read_headers(p, s) if h is False else h for p, h, s in zip(paths, found, sizes)] == serial(paths, sizes)
    assert len(forks) == 1
    assert_reaped(forks)


@pytest.mark.parametrize("split", [True, False])
def test_a_file_that_raises_or_warns_is_left_to_the_caller(
    files: tuple[list[str], list[int]], monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    paths, sizes = files
    if not split:
        monkeypatch.setenv("LIMBECK_PRECOMPILE", "0")
    warns = Path(paths[13])
    warns.write_text(revision_source("r013", "r012", labels=("x\\d",)).replace("'x\\\\d'", "'x\\d'"), encoding="utf-8")
    sizes[13] = warns.stat().st_size
    real = scanning.read_headers

    def failing(path: str, size: int = -1) -> Headers | None:
        if path == paths[25]:
            raise PermissionError(path)
        return real(path, size)

    monkeypatch.setattr(scanning, "read_headers", failing)
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        found = scanning.read_all(paths, sizes)
    assert shown == []  # nothing shown while reading: the caller reads those files again
    assert [i for i, h in enumerate(found) if h is False] == [13, 25]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = serial(paths, sizes)
    assert [h for i, h in enumerate(found) if i not in (13, 25)] == [h for i, h in enumerate(expected) if i not in (13, 25)]
    with pytest.warns((DeprecationWarning, SyntaxWarning)):
        labels = read_headers(paths[13])
    assert labels is not None and labels.branch_labels == ("x\\d",)


def test_the_directory_warns_and_imports_in_file_order(script_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A revision that is imported warns before a later one whose scan warns, as when reading one by one."""
    versions = script_dir / "versions"
    for n in range(COUNT):
        text = revision_source(f"r{n:03d}", f"r{n - 1:03d}" if n else None)
        if n == 5:
            text = "import warnings\nwarnings.warn('imported r005')\n" + text.replace(
                "down_revision = 'r004'", "down_revision = 'r004' if True else None"
            )
        if n == 30:
            text = text.replace("branch_labels = None", "branch_labels = ('x\\d',)")
        (versions / f"r{n:03d}_rev.py").write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        heads = ScriptDirectory(script_dir).get_heads()
    assert heads == [f"r{COUNT - 1:03d}"]
    messages = [str(w.message) for w in shown]
    assert len(messages) == 2 and messages[0] == "imported r005" and "escape" in messages[1]


def _history(script_dir: Path) -> list[tuple[object, ...]]:
    sd = ScriptDirectory(script_dir)
    return [(s.revision, s.down_revision, s.dependencies, sorted(s.branch_labels), s.doc, s.path) for s in sd.walk_revisions()]


def test_the_directory_reads_the_same_history_split_or_not(
    script_dir: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    versions = script_dir / "versions"
    for n in range(COUNT):
        (versions / f"r{n:03d}_rev.py").write_text(_source(n), encoding="utf-8")
    split = _history(script_dir)
    assert len(forks) == 1
    for cache in versions.glob("__pycache__"):
        for item in cache.iterdir():
            item.unlink()
    monkeypatch.setenv("LIMBECK_PRECOMPILE", "0")
    assert _history(script_dir) == split
    assert len(forks) == 1


@pytest.mark.parametrize("why", ["one cpu", "disabled", "few files", "another thread", "no fork"])
def test_no_child_when(files: tuple[list[str], list[int]], monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    paths, sizes = files
    forked = []
    if why == "no fork":
        monkeypatch.delattr(os, "fork")
    else:
        monkeypatch.setattr(os, "fork", lambda: forked.append(1))
    if why == "one cpu":
        monkeypatch.setattr(scanning, "cpus", lambda: 1)
    elif why == "disabled":
        monkeypatch.setenv("LIMBECK_PRECOMPILE", "0")
    elif why == "few files":
        paths, sizes = paths[:7], sizes[:7]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait) if why == "another thread" else None
    if thread is not None:
        thread.start()
    try:
        assert scanning.read_all(paths, sizes) == serial(paths, sizes)
    finally:
        stop.set()
        if thread is not None:
            thread.join()
    assert forked == []
