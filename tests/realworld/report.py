"""The README's table of real-world histories, computed from a run of this suite.

``python -m pytest tests/realworld`` records each test's outcome
(:func:`stale_results` writes ``realworld-results.json`` in the cache directory
at the end of a session that ran every project: without xdist from
``conftest.py``, with it from xdist's controller, ``tests/conftest.py``);
``python -m tests.realworld.report`` then rewrites the table between the
README's markers from those outcomes and from Alembic's own ``history``
of each downloaded history (the revision counts). ``test_readme.py``
checks on every run that the committed table still says what the run
finds.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .fetch import cache_dir
from .projects import PROJECTS, SQLALCHEMY_2_0_REASONS, Project, skip_case_id

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- realworld-table:start -->", "<!-- realworld-table:end -->"
RESULTS_FILE = "realworld-results.json"
_EDGE = re.compile(r"^.+? -> [\w.]+\b", re.MULTILINE)
HEADER = ("| project | version | revisions | dialects (offline) | shape | result |\n"
          "| --- | --- | --- | --- | --- | --- |\n")


def count_revisions(history_output: str) -> int:
    """Revisions in a ``history`` listing (one line each; limbeck's is Alembic's, test_listing)."""
    return len(_EDGE.findall(history_output))


def belongs(nodeid: str, project: Project) -> bool:
    """Whether a test is one of ``project``'s (its parameters start "<project>-<history>-";
    a project's name alone can start another's: apache-airflow, apache-airflow-core)."""
    return any(f"[{project.name}-{history.key}-" in nodeid for history in project.histories)


def result_text(project: Project, results: dict[str, str]) -> str:
    """'12/12 pass, 2 xfail' for the tests of ``project`` in ``results``."""
    mine = [state for nodeid, state in results.items() if belongs(nodeid, project)]
    counts = {state: mine.count(state) for state in set(mine)}
    text = f"{counts.get('passed', 0)}/{len(mine)} pass"
    if counts.get("xfailed"):
        text += f", {counts['xfailed']} xfail"
    if counts.get("failed"):
        text += f", {counts['failed']} FAIL"
    return text


def row(project: Project, revisions: list[int], results: dict[str, str] | None) -> str:
    dialects = sorted({d for h in project.histories if h.sql for d in h.dialects}) or ["listings only"]
    counts = " + ".join(str(n) for n in revisions)
    result = result_text(project, results) if results is not None else "not run"
    return (f"| {project.name} | {project.version} | {counts} | {', '.join(dialects)} | {project.shape} "
            f"| {result} |")


def counted(results: dict[str, str]) -> dict[str, str]:
    """The results the table counts: those of a run on SQLAlchemy 2.1, where the skips only 2.0 needs
    (:data:`SQLALCHEMY_2_0_REASONS`) do not exist; on 2.0 their tests, which pass or fail on their
    own, are left out, so the table is the same on both."""
    only_2_0 = {f"::test_skipped_revision[{skip_case_id(project, history, skip, dialect)}]"
                for project in PROJECTS for history in project.histories for skip in history.skips
                if skip.reason in SQLALCHEMY_2_0_REASONS for dialect in (skip.dialects or history.dialects)}
    # (an xdist group adds "@<group>" to a node id)
    return {nodeid: state for nodeid, state in results.items()
            if not any(nodeid.split("@")[0].endswith(case) for case in only_2_0)}


def table(revision_counts: dict[str, list[int]], results: dict[str, str] | None) -> str:
    results = counted(results) if results is not None else None
    return HEADER + "\n".join(row(p, revision_counts[p.name], results) for p in PROJECTS) + "\n"


def outcome(report: Any) -> str | None:
    """What a real-world test's report counts as in the table ("passed", "failed", "xfailed", ...), or
    None for a report of another test or of a phase that says nothing new (a passed setup)."""
    if "tests/realworld/" not in report.nodeid or (report.when != "call" and report.outcome == "passed"):
        return None
    return "xfailed" if hasattr(report, "wasxfail") and report.skipped else str(report.outcome)


def stale_results(results: dict[str, str]) -> str | None:
    """For a session that ran every project's tests: keep ``results`` for :func:`main`, and say which
    projects' result column in the README differs from them (None: it is current, or the session
    did not run everything). The rest of the table is ``test_readme``'s."""
    if not all(any(belongs(nodeid, p) for nodeid in results) for p in PROJECTS):
        return None
    path = cache_dir() / RESULTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, sort_keys=True))
    committed = {line.split("|")[1].strip(): line.rsplit("|", 2)[1].strip()
                 for line in readme_table(README.read_text()).splitlines()[2:]}
    kept = counted(results)
    differ = [f"{p.name}: README says {committed.get(p.name)!r}, this run {result_text(p, kept)!r}"
              for p in PROJECTS if committed.get(p.name) != result_text(p, kept)]
    if not differ:
        return None
    return "README real-world table is stale (run python -m tests.realworld.report): " + "; ".join(differ)


def readme_table(text: str) -> str:
    """The table currently between the README's markers."""
    start, end = text.index(START) + len(START), text.index(END)
    return text[start:end].strip("\n") + "\n"  # the markers stand on lines of their own


def main() -> None:
    import tempfile

    from .harness import Workspace, history_folders, run_tool

    results = json.loads((cache_dir() / RESULTS_FILE).read_text())
    root = Path(tempfile.mkdtemp(prefix="limbeck-report-"))
    counts: dict[str, list[int]] = {}
    for project in PROJECTS:
        for history in project.histories:
            workspace = Workspace(root / f"{project.name}-{history.key}", project, history,
                                  history_folders(project, history))
            counts.setdefault(project.name, []).append(count_revisions(run_tool("limbeck", workspace, "history").stdout))
    text = README.read_text()
    start, end = text.index(START) + len(START), text.index(END)
    README.write_text(text[:start] + "\n" + table(counts, results) + text[end:])
    sys.stdout.write(table(counts, results))


if __name__ == "__main__":
    main()
