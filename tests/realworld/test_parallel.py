"""Downloaded histories render the same script in one process and on several (``--jobs``).

For every script ``test_offline.py`` compares with Alembic, limbeck's run
with the default ``--jobs`` (the one ``test_offline`` already made) is
compared byte for byte with ``--jobs 1`` (one process) and ``--jobs 3`` (a
parent and two forked workers, whatever the range's length: most of these
histories are shorter than the default needs to fork, and the point here
is that real revision files render the same through the workers), with
the same exit status and error line (timestamps a revision writes aside,
as everywhere in this suite). Each forced run notes how many of its
steps came back from workers (``STEPS``; a fallback to the parent is
allowed, only never a different script); ``test_steps_came_from_workers``
checks that they were not all rendered by the parent.

Every script costs two more runs of a history, so the suite compares a
sample that covers the shapes the worker path has to carry (merges and
branches, a history's own ``@compiles`` at import and at run time, values
a revision makes afresh, the three primary dialects; named types and the
other shapes are covered by tests/runtime/test_parallel.py);
``LIMBECK_REALWORLD_PARALLEL=all`` compares every script.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .conftest import Runs
from .harness import Outcome, describe
from .normalise import clock, fresh_uuids
from .projects import PROJECTS, History, Project
from .test_offline import segments

#: case id -> (steps rendered by workers and taken, steps of the forced run's replayed slices)
STEPS: dict[str, tuple[int, int]] = {}


#: the cases the suite compares unless LIMBECK_REALWORLD_PARALLEL=all (see the module docstring)
SAMPLE = frozenset({
    "apache-airflow-main-postgresql-upgrade",  # 153 revisions, branches, 2- and 4-way merges
    "indico-main-postgresql-downgrade",  # uuid4 values made afresh, many schemas
    "arize-phoenix-main-sqlite-upgrade",  # @compiles inside revisions
    "nova-main-mysql-upgrade",  # a @compiles registered when the first revision is imported
})


def _cases() -> list[object]:
    every = os.environ.get("LIMBECK_REALWORLD_PARALLEL") == "all"
    return [
        pytest.param(project, history, direction, dialect, id=case)
        for project in PROJECTS
        for history in project.histories
        if history.sql
        for direction in (("upgrade", "downgrade") if history.downgrade else ("upgrade",))
        for dialect in history.dialects
        for case in [f"{project.name}-{history.key}-{dialect}-{direction}"]
        if every or case in SAMPLE
    ]


def test_the_sample_names_real_cases() -> None:
    every = {f"{p.name}-{h.key}-{d}-{direction}" for p in PROJECTS for h in p.histories if h.sql
             for direction in ("upgrade", "downgrade") for d in h.dialects}
    assert SAMPLE <= every, sorted(SAMPLE - every)


def _error(outcome: Outcome) -> str:
    lines = outcome.stderr.strip().splitlines()
    return lines[-1] if outcome.code and lines else ""


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """(steps a worker handed back and the parent took, steps in its slice), per replayed slice."""
    from limbeck.runtime import parallel

    seen: list[tuple[int, int]] = []
    real = parallel._replay

    def spy(loop: object, steps: object, start: int, rendered: list[object]) -> int:
        position = real(loop, steps, start, rendered)  # type: ignore[arg-type]
        seen.append((position - start, len(rendered)))
        return position

    monkeypatch.setattr(parallel, "_replay", spy)
    yield seen


@pytest.mark.parametrize("project, history, direction, dialect", _cases())
def test_same_script_on_several_processes(
    runs: Runs, project: Project, history: History, direction: str, dialect: str, taken: list[tuple[int, int]],
    request: pytest.FixtureRequest,
) -> None:
    for span in segments(runs, project, history, direction, dialect):
        args = (direction, span, "--sql")
        what = f"{project.name} {history.key}: {' '.join(args)} ({dialect})"
        default = runs.run("limbeck", project, history, dialect, *args)
        serial = runs.run("limbeck", project, history, dialect, *args, "--jobs", "1")
        forced = runs.run("limbeck", project, history, dialect, *args, "--jobs", "3")
        assert serial.code == 0, f"{what}: {describe(serial)}"
        for outcome, jobs in ((default, "the default"), (forced, "--jobs 3")):
            assert (outcome.code, _error(outcome)) == (serial.code, _error(serial)), f"{what}, {jobs}: {describe(outcome)}"
            # the normalisations: airflow writes the time of the run, indico fresh uuid4 values (two runs, two values)
            got, want = (fresh_uuids(clock(o.stdout), history.fresh, direction)[0] for o in (outcome, serial))
            assert got == want, f"{what}: {jobs} renders another script than --jobs 1"
    STEPS[request.node.callspec.id] = (sum(t for t, _ in taken), sum(n for _, n in taken))


def test_steps_came_from_workers() -> None:
    """The forced runs really rendered through workers (else the comparison above proves nothing)."""
    if not STEPS:
        pytest.skip("no parallel comparison ran in this session")
    assert sum(from_workers for from_workers, _ in STEPS.values()) > 0, STEPS
