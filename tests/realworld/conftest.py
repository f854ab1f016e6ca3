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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One xdist worker runs the whole real-world suite (``--dist loadgroup``): its tool runs
    are shared per session, and ``test_readme`` checks the results of every project's tests."""
    group = pytest.mark.xdist_group("realworld")
    for item in items:
        if item.nodeid.startswith("tests/realworld/"):
            item.add_marker(group)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Keep this run's outcomes for ``python -m tests.realworld.report`` (whole runs only)."""
    if complete_run():
        import json

        from .fetch import cache_dir
        from .report import RESULTS_FILE

        path = cache_dir() / RESULTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(RESULTS, indent=1, sort_keys=True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if "realworld" in item.nodeid and (report.when == "call" or report.outcome != "passed"):
        state = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
        RESULTS[item.nodeid] = state
