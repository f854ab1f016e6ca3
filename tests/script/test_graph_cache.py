"""The kept revision graph (limbeck.script.graphcache): the same answers as building it, or a miss.

Each test builds a history, reads it once (which writes the cache, the files
being older than graphcache.RACY_NS), then changes one thing the cache
depends on and checks that the next read gives exactly what a build without
any cache gives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import limbeck
from limbeck.script import ScriptDirectory, graphcache
from limbeck.script import listing as listing_mod
from limbeck.script import scanning

pytestmark = pytest.mark.usefixtures("caches_in_pycache")

WriteRev = Callable[..., Path]

#: a graph with a branch point, a labelled branch, a merge and a dependency
HISTORY: list[tuple[str, str, object, dict[str, object]]] = [
    ("a.py", "a", None, {}),
    ("b.py", "b", "a", {}),
    ("c.py", "c", "a", {"labels": "feature"}),
    ("d.py", "d", "c", {"depends_on": "b"}),
    ("e.py", "e", "b", {}),
    ("f.py", "f", ("d", "e"), {"doc": "merge\n\nwith a longer\ndescription"}),
    ("g.py", "g", "f", {}),
    ("h.py", "h", "f", {"labels": ("other", "more")}),
]


#: a fixed moment (each test starts well within a minute of it), so ageing the same file
#: twice gives it the same ``mtime_ns``: only the change a test makes can tell the cache
_NOW = time.time_ns()


def age(folder: Path, seconds: float = 600) -> None:
    """Make every file under ``folder`` look written a while ago (fresh files are never cached)."""
    past = _NOW - int(seconds * 1e9)
    for path in folder.rglob("*.py"):
        os.utime(path, ns=(past, past))


def settle(*paths: Path) -> None:
    """Give the files a test changed an older-than-RACY_NS ``mtime_ns`` that no other file has."""
    past = _NOW - 300 * 10**9
    for path in paths:
        os.utime(path, ns=(past, past))


@pytest.fixture
def history(script_dir: Path, write_rev: WriteRev) -> Path:
    for filename, rev, down, kw in HISTORY:
        write_rev(filename, rev, down, **kw)
    age(script_dir)
    return script_dir


def snapshot(sd: ScriptDirectory) -> dict[str, Any]:
    """Everything the commands read of a built graph, in a comparable form."""
    rmap = sd.revision_map
    map_ = rmap._revision_map
    return {
        "map": [(k, v.revision if v is not None else None) for k, v in map_.items()],
        "ends": (rmap.heads, rmap.bases, rmap._real_heads, rmap._real_bases),
        "ranks": list(rmap._ranks().items()),
        "scripts": [
            {k: (sorted(v) if isinstance(v, (set, frozenset)) else v) for k, v in sorted(vars(s).items())}
            for s in sd.revision_map._revision_map.values() if s is not None
        ],
        "walk": [s.revision for s in sd.walk_revisions()],
        "partial_walk": [s.revision for s in sd.walk_revisions("b", "g")],
        "_scripts": list(sd._scripts),
    }


def uncached(script_dir: Path, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> dict[str, Any]:
    """The graph built without the cache."""
    with monkeypatch.context() as patch:
        patch.setattr(graphcache, "cache_path", lambda script: None)
        return snapshot(ScriptDirectory(script_dir, **kw))


def test_a_warm_read_builds_nothing_and_answers_the_same(
    history: Path, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = uncached(history, monkeypatch)
    cold = snapshot(ScriptDirectory(history))
    assert graph_builds == [1, 1]
    path = Path(graphcache.cache_path(ScriptDirectory(history)) or "")
    assert path.is_file() and path.parent == history / "versions" / "__pycache__"
    scans: list[str] = []
    monkeypatch.setattr(listing_mod, "read_headers", lambda p, size=-1: scans.append(p))
    monkeypatch.setattr(scanning, "read_headers", lambda p, size=-1: scans.append(p))
    warm = snapshot(ScriptDirectory(history))
    assert graph_builds == [1, 1] and scans == []
    assert warm == cold == expected
    assert Path(str(path)[: -len(".bin")] + ".walk.bin").is_file()  # the whole history's order too


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename", "touch"])
def test_a_changed_file_is_a_miss(
    history: Path, write_rev: WriteRev, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    snapshot(ScriptDirectory(history))
    versions = history / "versions"
    if change == "edit":  # g becomes a merge of d and e: f is a head again
        settle(write_rev("g.py", "g", ("d", "e")))
    elif change == "add":
        settle(write_rev("i.py", "i", "g", labels="late"))
    elif change == "remove":
        (versions / "h.py").unlink()
    elif change == "rename":  # keeps its mtime_ns
        (versions / "g.py").rename(versions / "0g.py")
    else:  # same text, new mtime: a miss too (the cache cannot know the text is the same)
        settle(versions / "b.py")
    before = len(graph_builds)
    warm = snapshot(ScriptDirectory(history))
    assert len(graph_builds) == before + 1
    assert warm == uncached(history, monkeypatch)
    again = snapshot(ScriptDirectory(history))  # and the new state is kept
    assert len(graph_builds) == before + 1 + 1  # the uncached() build
    assert again == warm


def test_a_same_size_edit_is_a_miss(
    history: Path, write_rev: WriteRev, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the text changes, not its length: the new ``mtime_ns`` is what tells."""
    snapshot(ScriptDirectory(history))
    g = history / "versions" / "g.py"
    before = g.read_text()
    settle(write_rev("g.py", "g", "e"))  # down_revision "f" becomes "e": one letter for another
    assert g.stat().st_size == len(before.encode()) and g.read_text() != before
    count = len(graph_builds)
    warm = snapshot(ScriptDirectory(history))
    assert len(graph_builds) == count + 1 and warm == uncached(history, monkeypatch)
    assert ScriptDirectory(history).get_revision("g").down_revision == "e"


@pytest.mark.parametrize("change", ["add", "edit", "remove", "rename folder", "new folder", "file becomes folder"])
def test_recursive_locations_notice_changes_in_sub_folders(
    history: Path, write_rev: WriteRev, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    versions = history / "versions"
    sub = versions / "2024"
    write_rev("i.py", "i", "g", folder=sub)
    write_rev("j.py", "j", "i", folder=sub / "deeper")
    age(history)
    first = snapshot(ScriptDirectory(history, recursive_version_locations=True))
    assert first == uncached(history, monkeypatch, recursive_version_locations=True) and "j" in first["walk"]
    count = len(graph_builds)
    assert snapshot(ScriptDirectory(history, recursive_version_locations=True)) == first
    assert len(graph_builds) == count  # kept
    if change == "add":
        settle(write_rev("k.py", "k", "j", folder=sub / "deeper"))
    elif change == "edit":
        settle(write_rev("j.py", "j", "h", folder=sub / "deeper"))
    elif change == "remove":
        (sub / "deeper" / "j.py").unlink()
    elif change == "rename folder":  # the same files under another path: each Script's path changes
        (sub / "deeper").rename(sub / "other")
    elif change == "new folder":
        settle(write_rev("k.py", "k", "j", folder=versions / "2025"))
    else:  # h.py goes into a folder of that name: the folder is read, not the file
        (versions / "h.py").rename(versions / "tmp")
        (versions / "h.py").mkdir()
        (versions / "tmp").rename(versions / "h.py" / "h2.py")
    warm = snapshot(ScriptDirectory(history, recursive_version_locations=True))
    assert len(graph_builds) == count + 1
    assert warm == uncached(history, monkeypatch, recursive_version_locations=True)


def test_the_listing_order_of_the_file_system_does_not_matter(
    history: Path, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders are read in the order the file system lists them: another order is a miss, never a wrong graph."""
    expected = snapshot(ScriptDirectory(history))
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": list(reversed(real(path))))
    count = len(graph_builds)
    assert snapshot(ScriptDirectory(history)) == expected
    assert len(graph_builds) == count + 1
    assert snapshot(ScriptDirectory(history)) == expected and len(graph_builds) == count + 1  # kept in that order


def test_a_compiled_revision_is_never_kept(history: Path, graph_builds: list[int]) -> None:
    """With ``sourceless``, a ``.pyc`` revision is imported to be read: every run imports it again."""
    import py_compile

    source = history / "versions" / "h.py"
    py_compile.compile(str(source), cfile=str(source.with_suffix(".pyc")), doraise=True)
    source.unlink()
    age(history)
    sd = ScriptDirectory(history, sourceless=True)
    assert sorted(sd.get_heads()) == ["g", "h"]
    assert not Path(graphcache.cache_path(sd) or "").exists()
    assert sorted(ScriptDirectory(history, sourceless=True).get_heads()) == ["g", "h"] and graph_builds == [1, 1]


def test_a_revision_left_only_in_pycache_is_never_kept(history: Path, graph_builds: list[int]) -> None:
    """The PEP 3147 layout of a project shipped without sources: the bytecode in ``__pycache__`` is the revision."""
    import py_compile

    age(history)
    assert sorted(ScriptDirectory(history, sourceless=True).get_heads()) == ["g", "h"]  # kept: sources only
    source = history / "versions" / "i.py"
    source.write_text('revision = "i"\ndown_revision = "h"\n')
    py_compile.compile(str(source), doraise=True)  # versions/__pycache__/i.cpython-3x.pyc
    source.unlink()  # the folder lists what it listed when the graph was kept
    age(history)
    sd = ScriptDirectory(history, sourceless=True)
    assert sorted(sd.get_heads()) == ["g", "i"]
    assert sorted(ScriptDirectory(history, sourceless=True).get_heads()) == ["g", "i"] and graph_builds == [1, 1, 1]


def test_a_stale_pyc_keeps_the_graph_without_sourceless(history: Path, graph_builds: list[int]) -> None:
    """A deleted revision's bytecode left in ``__pycache__`` is no revision unless ``sourceless``: the graph is kept."""
    import py_compile

    source = history / "versions" / "i.py"
    source.write_text('revision = "i"\ndown_revision = "h"\n')
    py_compile.compile(str(source), doraise=True)
    source.unlink()
    age(history)
    for _ in range(2):
        assert sorted(ScriptDirectory(history, recursive_version_locations=True).get_heads()) == ["g", "h"]
    assert graph_builds == [1]


def test_other_version_locations_are_a_miss(
    history: Path, write_rev: WriteRev, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = history / "more"
    extra.mkdir()
    write_rev("x.py", "x", "g", folder=extra)
    age(history)
    versions = str(history / "versions")
    snapshot(ScriptDirectory(history, version_locations=[versions]))
    count = len(graph_builds)
    both = snapshot(ScriptDirectory(history, version_locations=[versions, str(extra)]))
    assert len(graph_builds) == count + 1
    assert "x" in both["walk"] and both == uncached(history, monkeypatch, version_locations=[versions, str(extra)])
    assert snapshot(ScriptDirectory(history, version_locations=[versions]))["ends"][0] == ("g", "h")


def test_another_limbeck_is_a_miss(history: Path, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot(ScriptDirectory(history))
    monkeypatch.setattr(limbeck, "__version__", limbeck.__version__ + ".other")
    snapshot(ScriptDirectory(history))
    assert len(graph_builds) == 2
    real_stat = os.stat
    graph_module = os.path.join(os.path.dirname(limbeck.__file__), "script", "revision", "_build.py")

    def edited(path: Any, *args: Any, **kw: Any) -> Any:  # the graph code changed on disk
        st = real_stat(path, *args, **kw)
        if os.fspath(path) == graph_module:
            return os.stat_result((*st[:8], st.st_mtime + 1, st.st_ctime))
        return st

    monkeypatch.setattr(os, "stat", edited)
    snapshot(ScriptDirectory(history))
    assert len(graph_builds) == 3


def test_fresh_files_are_not_kept(script_dir: Path, write_rev: WriteRev, graph_builds: list[int]) -> None:
    """Written within RACY_NS: a second edit in the same timestamp tick could keep size and mtime."""
    write_rev("a.py", "a")
    write_rev("b.py", "b", "a")
    sd = ScriptDirectory(script_dir)
    assert sd.get_heads() == ["b"]
    assert not Path(graphcache.cache_path(sd) or "").exists()
    assert ScriptDirectory(script_dir).get_heads() == ["b"] and graph_builds == [1, 1]


def test_a_revision_that_had_to_be_imported_is_not_kept(history: Path, graph_builds: list[int]) -> None:
    (history / "versions" / "dyn.py").write_text(
        'import sys\nsys.modules["__main__"].__dict__.setdefault("IMPORTED", []).append(1)\n'
        'revision = "dy" + "n"\ndown_revision = "h"\n'
    )
    age(history)
    main = sys.modules["__main__"].__dict__
    main.pop("IMPORTED", None)
    try:
        heads = ScriptDirectory(history).get_heads()
        assert sorted(heads) == ["dyn", "g"]
        assert ScriptDirectory(history).get_heads() == heads
        assert main["IMPORTED"] == [1, 1]  # executed each time, as without the cache
    finally:
        main.pop("IMPORTED", None)
    assert graph_builds == [1, 1]


def test_a_damaged_or_foreign_cache_is_a_miss(history: Path, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    good = snapshot(ScriptDirectory(history))
    path = Path(graphcache.cache_path(ScriptDirectory(history)) or "")
    data = path.read_bytes()
    for damaged in (b"", b"\x00" * 40, data[: len(data) // 2], data[:4] + b"garbage" + data[11:]):
        path.write_bytes(damaged)
        assert snapshot(ScriptDirectory(history)) == good
    assert len(graph_builds) == 5 and path.read_bytes() != damaged  # rewritten whole


def test_the_kept_order_is_not_used_once_a_revision_is_added(history: Path, graph_builds: list[int]) -> None:
    ScriptDirectory(history).get_heads()
    sd = ScriptDirectory(history)
    assert sorted(s.revision for s in sd.walk_revisions())[-2:] == ["g", "h"]
    sd.generate_revision("zz", "new", head="g")
    walked = [s.revision for s in sd.walk_revisions()]
    assert "zz" in walked and walked == [s.revision for s in ScriptDirectory(history).walk_revisions()]


def test_the_kept_order_belongs_to_one_graph_file(history: Path, write_rev: WriteRev, monkeypatch: pytest.MonkeyPatch) -> None:
    sd = ScriptDirectory(history)
    first = [s.revision for s in sd.walk_revisions()]  # writes the order beside the graph
    walk_file = Path(str(graphcache.cache_path(sd))[: -len(".bin")] + ".walk.bin")
    kept = walk_file.read_bytes()
    settle(write_rev("h.py", "h", "b", labels=("other", "more")))  # h moves: another order
    changed = [s.revision for s in ScriptDirectory(history).walk_revisions()]
    assert changed != first and changed == uncached(history, monkeypatch)["walk"]
    walk_file.write_bytes(kept)  # the old order, tagged with the old graph file
    assert [s.revision for s in ScriptDirectory(history).walk_revisions()] == changed


def _heads_cli(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "limbeck", "-c", str(root / "limbeck.ini"), "history"],
        capture_output=True, text=True, env=full, cwd=root, timeout=120, check=False,
    )


@pytest.fixture
def project(history: Path) -> Iterator[Path]:
    (history / "env.py").write_text("")
    ini = history.parent / "limbeck.ini"
    ini.write_text(f"[limbeck]\nscript_location = {history}\n")
    yield history.parent


def test_concurrent_runs_agree_and_leave_one_good_file(project: Path, tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    full.update(env)
    procs = [
        subprocess.Popen([sys.executable, "-m", "limbeck", "-c", str(project / "limbeck.ini"), "history"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full, cwd=project)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len({out for out, _ in outputs}) == 1
    pycache = project / "migrations" / "versions" / "__pycache__"
    assert not [p.name for p in pycache.iterdir() if p.name.startswith(".limbeck-")]  # no temporary files left
    warm = _heads_cli(project, env)
    assert warm.returncode == 0 and warm.stdout == outputs[0][0]


def test_dont_write_bytecode_keeps_the_graph_in_the_user_cache(project: Path, tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    env = {"PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(xdg)}
    first, second = _heads_cli(project, env), _heads_cli(project, env)
    assert first.returncode == 0 and first.stdout == second.stdout and "(head)" in first.stdout
    assert not (project / "migrations" / "versions" / "__pycache__").exists()
    (folder,) = (xdg / "limbeck").iterdir()
    assert list(folder.glob("limbeck-graph-v1.*.bin"))


def test_a_read_only_tree_keeps_the_graph_in_the_user_cache(
    read_only: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    xdg = tmp_path_factory.mktemp("xdg")  # outside the read-only tree
    env = {"XDG_CACHE_HOME": str(xdg)}
    first, second = _heads_cli(read_only, env), _heads_cli(read_only, env)
    assert first.returncode == 0 and first.stdout == second.stdout and "(head)" in first.stdout
    assert first.stderr == second.stderr == ""
    (folder,) = (xdg / "limbeck").iterdir()
    assert list(folder.glob("limbeck-graph-v1.*.bin")) and list(folder.glob("limbeck-graph-v1.*.walk.bin"))
