"""The README's result column is checked from the outcomes of a whole run, wherever they were gathered.

Under xdist the real-world tests are spread over workers, so xdist's controller gathers the
outcomes and calls :func:`report.stale_results` (``tests/conftest.py``); these tests give it
outcomes shaped like a run's, made from the README's own rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .projects import PROJECTS
from .report import README, RESULTS_FILE, readme_table, stale_results

_ROW = re.compile(r"(\d+)/(\d+) pass(?:, (\d+) xfail)?(?:, (\d+) FAIL)?")


def _as_committed() -> dict[str, str]:
    """Outcomes a run would have had for the README's result column to be what it says."""
    rows = {line.split("|")[1].strip(): line.rsplit("|", 2)[1].strip()
            for line in readme_table(README.read_text()).splitlines()[2:]}
    results: dict[str, str] = {}
    for project in PROJECTS:
        found = _ROW.fullmatch(rows[project.name])
        assert found is not None, rows[project.name]
        passed, total, xfailed, failed = (int(n or 0) for n in found.groups())
        states = ["passed"] * passed + ["xfailed"] * xfailed + ["failed"] * failed
        states += ["skipped"] * (total - len(states))
        history = project.histories[0].key
        for n, state in enumerate(states):
            results[f"tests/realworld/test_offline.py::test_script[{project.name}-{history}-case{n}]"] = state
    return results


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LIMBECK_TEST_CACHE", str(tmp_path))
    return tmp_path


def test_a_whole_run_as_the_readme_says_passes_and_is_kept(_cache: Path) -> None:
    assert stale_results(_as_committed()) is None
    assert (_cache / RESULTS_FILE).is_file()


def test_a_whole_run_that_found_otherwise_names_the_project() -> None:
    results = _as_committed()
    project = PROJECTS[0]
    first = next(n for n in results if f"[{project.name}-" in n and results[n] == "passed")
    results[first] = "failed"
    message = stale_results(results)
    assert message is not None and f"{project.name}: README says" in message and "1 FAIL" in message


def test_a_partial_run_checks_nothing(_cache: Path) -> None:
    project = PROJECTS[-1]
    results = {n: "failed" for n in _as_committed() if f"[{project.name}-" not in n}
    assert stale_results(results) is None
    assert not (_cache / RESULTS_FILE).exists()
