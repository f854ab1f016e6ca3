"""The kept revision graph (limbeck.script.graphcache) on a history with release tags and a checkpoint.

A cache hit skips reading the files, and reading them is also what gives the
revision map its tags, retired names and checkpoints; so every read-only
command must print on a warm run exactly what it prints with no cache at all,
and editing ``tags.txt`` or the ``checkpoints/`` folder must be a miss.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from limbeck.errors import CommandError
from limbeck.script import ScriptDirectory, graphcache

from .conftest import Project

pytestmark = pytest.mark.usefixtures("caches_in_pycache")

#: (command, keyword arguments): what a user runs on a warm tree
READ_ONLY: list[tuple[str, dict[str, Any]]] = [
    ("heads", {}),
    ("heads", {"verbose": True}),
    ("history", {}),
    ("history", {"verbose": True}),
    ("history", {"format": "json"}),
    ("branches", {}),
    ("branches", {"verbose": True}),
    ("current", {}),
    ("current", {"verbose": True}),
    ("show", {"rev": "e5"}),
    ("show", {"rev": "stable"}),
]


def age(project: Project, seconds: float = 60, folder: str = "") -> None:
    """Every file of the script directory (or of *folder* in it) written a while ago (files younger than
    RACY_NS are never cached)."""
    past = time.time_ns() - int(seconds * 1e9)
    for path in (project.root / "migrations" / folder).rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            os.utime(path, ns=(past, past))


def outputs(project: Project, commands: list[tuple[str, dict[str, Any]]] = READ_ONLY) -> list[str]:
    """What each command prints (or the one-line error it stops with), each in a fresh process state."""
    found = []
    for name, kw in commands:
        try:
            found.append(project.run(name, **kw))
        except CommandError as exc:
            found.append(f"error: {exc}")
    return found


def uncached(project: Project, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(graphcache, "cache_path", lambda script: None)
        return outputs(project, **kw)


def cache_file(project: Project) -> Path:
    return Path(graphcache.cache_path(ScriptDirectory.from_config(project.config())) or "")


@pytest.fixture
def tagged(project: Project) -> Project:
    """BRANCHY with three tags, the checkpoint of base:e5 (its files still there) and a database at e5."""
    project.run("tag", "v1.0", "b2")
    project.run("tag", "v1.1", "e5")
    project.run("tag", "stable", "e5")
    out = project.run("squash", "base:e5", message="checkpoint 2026")
    assert "builds the same database on SQLite" in out, out
    project.run("upgrade", "e5")
    age(project)
    return project


def test_warm_read_only_commands_print_what_a_cold_run_prints(
    tagged: Project, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = uncached(tagged, monkeypatch)
    assert "c3, d4 -> e5 (tag: v1.1, tag: stable) (mergepoint) (checkpoint), merge" in expected[2]
    assert expected[7] == "e5 (tag: v1.1, tag: stable) (mergepoint) (checkpoint)\n"
    assert f"Checkpoint: {tagged.checkpoint_file()}" in expected[9]
    first = outputs(tagged)  # a miss: builds, and keeps the graph
    assert cache_file(tagged).is_file()
    before = len(graph_builds)
    warm = outputs(tagged)
    assert len(graph_builds) == before  # every command read the kept graph
    assert warm == first == expected
    rmap = ScriptDirectory.from_config(tagged.config()).revision_map
    assert list(rmap.checkpoints) == ["e5"] and rmap.get_revision("stable").revision == "e5"
    assert len(graph_builds) == before


def test_retired_names_survive_a_warm_run(tagged: Project, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the replaced files are gone the checkpoint is e5, and the tag naming b2 says where b2 went."""
    for rev in ("a1", "b2", "c3", "d4", "e5"):
        (tagged.versions / f"{rev}_revision.py").unlink()
    age(tagged)
    commands = [*READ_ONLY, ("show", {"rev": "v1.0"}), ("show", {"rev": "b2"}), ("history", {"rev_range": "v1.1:"})]
    expected = uncached(tagged, monkeypatch, commands=commands)
    assert expected[-3].startswith("error: tag 'v1.0' names b2: revision b2 was squashed into checkpoint e5")
    assert expected[2] == "e5 -> f6 (head), add done\n<base> -> e5 (tag: v1.1, tag: stable) (checkpoint), checkpoint 2026\n"
    first = outputs(tagged, commands)
    before = len(graph_builds)
    assert outputs(tagged, commands) == first == expected
    assert len(graph_builds) == before


def _tags_edited(project: Project) -> None:
    path = project.root / "migrations" / "tags.txt"
    path.write_text(path.read_text().replace("stable = e5", "stable = d4"))


def _checkpoint_removed(project: Project) -> None:
    project.checkpoint_file().unlink()


def _checkpoint_added(project: Project) -> None:
    _checkpoint_removed(project)
    shutil.rmtree(project.root / "migrations" / "checkpoints" / "__pycache__", ignore_errors=True)
    out = project.run("squash", "base:b2", message="an earlier checkpoint")
    assert "builds the same database on SQLite" in out, out


@pytest.mark.parametrize("change", [_tags_edited, _checkpoint_removed, _checkpoint_added])
def test_editing_tags_or_checkpoints_is_a_miss(
    tagged: Project, graph_builds: list[int], monkeypatch: pytest.MonkeyPatch, change: Callable[[Project], None]
) -> None:
    stale = outputs(tagged)
    outputs(tagged)  # warm
    change(tagged)
    # old enough to keep, with another mtime than before; versions/ untouched, so only the key's
    # tags.txt and checkpoints/ part tells the cache apart
    versions = [(p, p.stat().st_mtime_ns) for p in sorted(tagged.versions.glob("*.py"))]
    age(tagged, seconds=30, folder="checkpoints")
    tags = tagged.root / "migrations" / "tags.txt"
    os.utime(tags, ns=(time.time_ns() - 30 * 10**9,) * 2)
    assert [(p, p.stat().st_mtime_ns) for p in sorted(tagged.versions.glob("*.py"))] == versions
    before = len(graph_builds)
    changed = outputs(tagged)
    assert len(graph_builds) > before  # read the files again
    assert changed == uncached(tagged, monkeypatch) != stale
    before = len(graph_builds)
    assert outputs(tagged) == changed and len(graph_builds) == before  # and the new state is kept
