"""Maintainer's tool: find the revisions Alembic itself cannot render offline.

``python -m tests.realworld.discover [PROJECT ...]`` runs real Alembic over
each history the way ``test_offline.py`` does and, wherever it crashes,
prints the revision and the exception, then carries on from that revision.
Its output is a starting point for the ``Skip`` entries in ``projects.py``,
each of which is then checked by ``test_skipped_revision`` on every run; it
is not used by the tests.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from .harness import Workspace, history_folders, run_tool
from .projects import PROJECTS

_RUNNING = re.compile(r"^-- Running (?:upgrade|downgrade) (.*?) -> (.*?)$", re.MULTILINE)


def crashes(workspace: Workspace, direction: str, dialect: str, limit: int = 40) -> list[tuple[str, str]]:
    """(revision, error) for each place Alembic stops, walking the whole range."""
    workspace.write_ini(f"{dialect}://")
    start, found = "base" if direction == "upgrade" else "heads", []
    for _ in range(limit):
        span = f"{start}:heads" if direction == "upgrade" else f"{start}:base"
        outcome = run_tool("alembic", workspace, direction, span, "--sql")
        if outcome.code == 0:
            return found
        # Alembic writes its FAILED line on stdout, a crash goes to stderr
        failed = [line for line in outcome.stdout.splitlines() if line.startswith("FAILED:")]
        error = (outcome.stderr.strip().splitlines() or failed or ["?"])[-1]
        runs = _RUNNING.findall(outcome.stdout)
        if not runs:
            found.append(("?", error))
            return found
        low, high = runs[-1]
        revision = high if direction == "upgrade" else low
        if any(revision == seen for seen, _ in found):
            return found  # a branchy history came back to a known failure
        found.append((revision, error))
        if direction == "downgrade":
            start = high  # resume below the failing revision: from what it revises
            if "," in start or not start:
                return found
        else:
            start = revision
    return found


def main(names: list[str]) -> None:
    root = Path(tempfile.mkdtemp(prefix="limbeck-discover-"))
    for project in PROJECTS:
        if names and project.name not in names:
            continue
        for history in project.histories:
            workspace = Workspace(root / f"{project.name}-{history.key}", project, history,
                                  history_folders(project, history))
            for direction in ("upgrade", "downgrade") if history.downgrade else ("upgrade",):
                for dialect in history.dialects:
                    for revision, error in crashes(workspace, direction, dialect):
                        print(f"{project.name} {history.key} {direction} {dialect}: {revision}: {error[:200]}")


if __name__ == "__main__":
    main(sys.argv[1:])
