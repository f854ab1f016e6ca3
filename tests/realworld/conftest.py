"""Session fixtures of the real-world suite: scratch projects and cached tool runs.

Every (tool, history, dialect, arguments) run happens once per session and
is shared by the tests that compare it; results of each project's tests are
collected for ``test_readme.py``, which checks the README's table against
the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .fetch import FetchError
from .harness import Outcome, Workspace, history_folders, run_tool
from .projects import PROJECTS, History, Project

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: nodeid -> outcome ("passed", "failed", "xfailed", ...), for test_readme.py
RESULTS: dict[str, str] = {}


class Runs:
    """Runs each command once per session and remembers what it printed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.workspaces: dict[tuple[str, str], Workspace] = {}
        self.outcomes: dict[tuple[str, ...], Outcome] = {}

    def workspace(self, project: Project, history: History) -> Workspace:
        key = (project.name, history.key)
        if key not in self.workspaces:
            try:
                folders = history_folders(project, history)
            except FetchError as exc:
                if IN_CI:
                    pytest.fail(str(exc))
                pytest.skip(f"cannot download: {exc}")
            self.workspaces[key] = Workspace(self.root / f"{project.name}-{history.key}", project, history, folders)
        return self.workspaces[key]

    def run(self, tool: str, project: Project, history: History, dialect: str, *args: str,
            offline_print: str = "raw") -> Outcome:
        key = (tool, project.name, history.key, dialect, offline_print, *args)
        if key not in self.outcomes:
            workspace = self.workspace(project, history)
            workspace.write_ini(f"{dialect}://", offline_print)
            self.outcomes[key] = run_tool(tool, workspace, *args)
        return self.outcomes[key]


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    yield Runs(tmp_path_factory.mktemp("realworld"))


def complete_run() -> bool:
    """Whether this session ran tests of every project (so RESULTS can fill the README's table)."""
    from .report import belongs

    return all(any(belongs(nodeid, p) for nodeid in RESULTS) for p in PROJECTS)


def project_by_name(name: str) -> Project:
    return next(p for p in PROJECTS if p.name == name)


#: the modules whose tests are spread over two xdist groups by project (a project's tests share
#: its tool runs, so they stay together); the other modules' tests share state across projects
SPREAD = ("tests/realworld/test_offline.py", "tests/realworld/test_online.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """xdist groups (``--dist loadgroup``): each project's tests in one of two groups, so two workers
    share the suite (one worker ran it all, the longest part of a run); the rest in a third.

    A project's tests share its tool runs (``Runs``), and ``test_skipped_revision`` reads what the
    project's other tests found, so a project never spans groups. The README's result column needs
    every project's outcome: one process sees them all only without xdist (``test_readme``) or in
    xdist's controller (``tests/conftest.py``, ``pytest_sessionfinish``).
    """
    from .report import belongs

    half = {project.name: index % 2 for index, project in enumerate(PROJECTS)}
    for item in items:
        if not item.nodeid.startswith("tests/realworld/"):
            continue
        group = "realworld"
        if item.nodeid.startswith(SPREAD):
            owner = next((p for p in PROJECTS if belongs(item.nodeid, p)), None)
            if owner is not None:
                group = f"realworld-{half[owner.name]}"
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Keep this run's outcomes for ``python -m tests.realworld.report`` (whole runs only; under
    xdist no worker sees them all and the controller keeps them, ``tests/conftest.py``)."""
    from .report import stale_results

    stale_results(RESULTS)  # the README's table is test_readme's to check here


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    from .report import outcome as outcome_of

    outcome = yield
    state = outcome_of(outcome.get_result())
    if state is not None:
        RESULTS[item.nodeid] = state
