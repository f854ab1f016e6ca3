"""Forked render children: results never wait for the parent, and the parent takes work not yet started."""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.config import Config
from limbeck.testing import MigrationRenderer
from limbeck.testing.forked import Child, frozen

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the children are forked")

BIG = 1 << 20  # far more than a pipe holds


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {seconds} s")
        time.sleep(0.01)


def _exited(pid: int) -> bool:
    done, _ = os.waitpid(pid, os.WNOHANG)
    return bool(done)


def _gated(parent: int, gate: Path, started: Path, name: str | None) -> Callable[[], None]:
    """In the child only, rendering ``name`` says it started, then waits for ``gate``."""

    def wait(dialect: str | None) -> None:
        if dialect == name and os.getpid() != parent:
            started.touch()
            while not gate.exists():
                time.sleep(0.005)

    return wait  # type: ignore[return-value]


def test_a_child_renders_its_whole_share_without_the_parent_reading() -> None:
    child = Child.start(["a", "b", "c"], lambda dialect: f"{dialect}:" + "x" * BIG)
    assert child is not None
    try:
        _wait_for(lambda: _exited(child.pid), "exit of the child (blocked on a result nobody read?)")
        got = dict(child.received(wait=True))
        assert got == {d: f"{d}:" + "x" * BIG for d in "abc"}
        assert list(child.received(wait=True)) == [] and child.ended
    finally:
        child.stop()


def test_the_multi_threaded_fork_warning_is_not_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.12+ warns at os.fork() in a process with a thread threading did not start (under
    # pytest-xdist, every worker): users of the plugin saw it in their test summary. As 3.12 does,
    # here on any interpreter
    real_fork = os.fork

    def warning_fork() -> int:
        warnings.warn("This process is multi-threaded, use of fork() may lead to deadlocks in the child.",
                      DeprecationWarning, stacklevel=2)
        return real_fork()

    monkeypatch.setattr(os, "fork", warning_fork)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        child = Child.start(["a"], lambda dialect: f"{dialect}!")
    assert child is not None
    try:
        assert dict(child.received(wait=True)) == {"a": "a!"}
    finally:
        child.stop()
    assert [str(w.message) for w in caught] == []


def test_a_failed_render_is_sent_as_none() -> None:
    def render(dialect: str | None) -> str:
        if dialect == "broken":
            raise ValueError(dialect)
        return str(dialect)

    child = Child.start(["broken", "fine"], render)
    assert child is not None
    try:
        got = []
        while not child.ended:
            got += child.received(wait=True)
        assert got == [("broken", None), ("fine", "fine")]
    finally:
        child.stop()


def test_the_parent_takes_the_dialects_the_child_has_not_started(tmp_path: Path) -> None:
    gate, started = tmp_path / "gate", tmp_path / "started"
    wait = _gated(os.getpid(), gate, started, "a")
    child = Child.start(["a", "b", "c"], lambda dialect: (wait(dialect), dialect)[1])  # type: ignore[func-returns-value]
    assert child is not None
    try:
        _wait_for(started.exists, "start of the first render")
        assert [child.take(), child.take(), child.take()] == ["b", "c", None]
        assert list(child.received(wait=False)) == []  # still rendering "a"
        gate.touch()
        assert list(child.received(wait=True)) == [("a", "a")]
        assert list(child.received(wait=True)) == [] and child.ended  # nothing else was left to it
    finally:
        child.stop()


def test_stop_ends_a_child_still_rendering(tmp_path: Path) -> None:
    started = tmp_path / "started"
    wait = _gated(os.getpid(), tmp_path / "never", started, "a")
    child = Child.start(["a"], lambda dialect: (wait(dialect), dialect)[1])  # type: ignore[func-returns-value]
    assert child is not None
    _wait_for(started.exists, "start of the render")
    before = time.monotonic()
    child.stop()
    assert time.monotonic() - before < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="prefetch forks only with more than one CPU")
def test_the_renderer_renders_what_its_child_has_not_started(
    make_project: Callable[..., Config], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_project()
    parent = os.getpid()
    gate, started = tmp_path / "gate", tmp_path / "started"
    wait = _gated(parent, gate, started, "mssql")
    render = MigrationRenderer._render_revisions
    here_rendered: list[str | None] = []

    def gated(self: MigrationRenderer, dialect: str | None) -> object:
        wait(dialect)
        if os.getpid() == parent and self is ahead:
            here_rendered.append(dialect)
            if dialect == "sqlite":
                gate.touch()  # the child may finish mssql once the parent has taken sqlite
        return render(self, dialect)

    monkeypatch.setattr(MigrationRenderer, "_render_revisions", gated)
    ahead = MigrationRenderer(config)
    safety = threading.Timer(30, gate.touch)  # a parent that never takes sqlite fails below, not hangs
    try:
        assert ahead.prefetch(["mssql", "postgresql", "sqlite"], 1) == 3
        _wait_for(started.exists, "start of the child's first render")
        here = MigrationRenderer(config)
        # the child is held on mssql: postgresql, not started, is rendered here
        assert ahead.revisions("postgresql") == here.revisions("postgresql")
        assert sorted(map(str, ahead._children)) == ["mssql", "sqlite"]
        # waiting for mssql, the parent renders sqlite, which the child has not started either
        safety.start()
        assert ahead.revisions("mssql") == here.revisions("mssql")
        assert ahead._children == {}
        assert ahead.revisions("sqlite") == here.revisions("sqlite")
        assert here_rendered == ["postgresql", "sqlite"]
    finally:
        safety.cancel()
        gate.touch()
        ahead.close()


def test_frozen_freezes_for_the_block_and_leaves_someone_elses_freeze_alone() -> None:
    import gc

    gc.unfreeze()  # an in-process CLI run of an earlier test may have frozen its objects
    with frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with frozen():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_a_render_here_gets_the_collector_a_render_child_has(
    make_project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from limbeck.runtime.gcpolicy import CLI_THRESHOLD, DEFAULT_THRESHOLD

    seen: list[tuple[int, ...]] = []
    render = MigrationRenderer._render_revisions

    def watched(self: MigrationRenderer, dialect: str | None) -> object:
        seen.append(gc.get_threshold())
        return render(self, dialect)

    monkeypatch.setattr(MigrationRenderer, "_render_revisions", watched)
    gc.unfreeze()  # an in-process CLI run of an earlier test may have frozen its objects
    before = gc.get_threshold()
    gc.set_threshold(*DEFAULT_THRESHOLD)
    try:
        MigrationRenderer(make_project()).revisions("sqlite")
        assert gc.get_threshold() == DEFAULT_THRESHOLD and gc.get_freeze_count() == 0  # put back
        gc.set_threshold(500, 5, 5)  # someone's own choice is kept
        MigrationRenderer(make_project()).revisions("sqlite")
    finally:
        gc.set_threshold(*before)
    assert seen == [CLI_THRESHOLD, (500, 5, 5)]
