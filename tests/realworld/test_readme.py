"""The README's real-world table says what this suite finds (run last: t-e-s-t_readme)."""

from __future__ import annotations

from .conftest import RESULTS, Runs, complete_run
from .projects import PROJECTS
from .report import README, count_revisions, readme_table, table


def test_readme_table(runs: Runs) -> None:
    # counted in limbeck's listing, which test_listing finds equal to Alembic's for every history
    # (Alembic's imports every revision file: 37 s of this worker's time)
    counts = {
        project.name: [
            count_revisions(runs.run("limbeck", project, history, history.dialects[0], "history").stdout)
            for history in project.histories
        ]
        for project in PROJECTS
    }
    committed = readme_table(README.read_text())
    # the result column is compared only when this session ran every project's tests
    if complete_run():
        expected = table(counts, dict(RESULTS))
    else:
        expected = table(counts, None)
        committed = "\n".join(line.rsplit("|", 2)[0] + "| not run |" if line.startswith("| ") and
                              not line.startswith("| project") and not line.startswith("| ---") else line
                              for line in committed.splitlines()) + "\n"
    assert committed == expected, "README table is stale: run python -m tests.realworld.report after the suite"
