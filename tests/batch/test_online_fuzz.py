"""Random online migrations on SQLite holding data: limbeck leaves the database Alembic 1.20.1 leaves.

Each seed of ``online_fuzz.py`` starts both tools from the same tables and rows, runs its
random batch blocks and plain operations through each tool's ``op`` (one transaction), compares
the reflected schema and every row, then runs the inverse and compares again. Where Alembic
fails, limbeck must fail with an exception the same ``except`` catches. The seeds are fixed and
few (a second or two in all); the generator runs many more when looking for new differences.
It found a batch ``naming_convention`` renaming named constraints at every rebuild and an
``insert_before`` that Alembic refuses being run.
"""

from __future__ import annotations

import warnings
from typing import Any

import corpus_common
import limbeck_batch_db_state as db_state
import limbeck_batch_online_fuzz as fuzz
import pytest
import sqlalchemy as sa

SEEDS = list(range(40))


def _operations(tool: str, conn: sa.Connection) -> Any:
    if tool == "alembic":
        from alembic.migration import MigrationContext
        from alembic.operations import Operations

        return Operations(MigrationContext.configure(conn))
    from limbeck.operations import Operations as LimbeckOperations
    from limbeck.runtime.migration import MigrationContext as LimbeckContext

    return LimbeckOperations(LimbeckContext.configure(conn))


def _run(tool: str, case: Any) -> list[tuple[BaseException | None, dict[str, Any]]]:
    """(error, state) after the upgrade, and after the downgrade if the upgrade worked."""
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    with engine.begin() as conn:
        case.setup(conn)
    outcomes = []
    for source in (case.upgrade, case.downgrade):
        error = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                with engine.begin() as conn:
                    exec(source, fuzz.namespace(_operations(tool, conn)))
            except Exception as exc:  # noqa: BLE001  (a failure is an outcome to compare)
                error = exc
        outcomes.append((error, db_state.state(engine)))
        if error is not None:
            break
    engine.dispose()
    return outcomes


@pytest.mark.parametrize("seed", SEEDS)
def test_random_online_migration_leaves_what_alembic_leaves(seed: int) -> None:
    pytest.importorskip("alembic")
    case = fuzz.case(seed)
    theirs, ours = _run("alembic", case), _run("limbeck", case)
    script = f"upgrade:\n{case.upgrade}\ndowngrade:\n{case.downgrade}"
    for step, ((their_error, their_state), (our_error, our_state)) in zip(("upgrade", "downgrade"), zip(theirs, ours)):
        if their_error is not None or our_error is not None:
            assert their_error is not None and our_error is not None, \
                f"{step}: alembic {their_error!r} / limbeck {our_error!r}\n{script}"
            assert corpus_common.catches(their_error, our_error), f"{step}: {their_error!r} does not catch {our_error!r}"
            return
        problems = db_state.differences(their_state, our_state)
        assert not problems, f"{step}:\n" + "\n".join(problems) + f"\n{script}"
    assert len(theirs) == len(ours)


def test_the_seeds_reach_the_database() -> None:
    """Most seeds run through to the downgrade under Alembic: the comparison is not of two failures."""
    pytest.importorskip("alembic")
    outcomes = [_run("alembic", fuzz.case(seed)) for seed in SEEDS]
    assert sum(len(o) == 2 and o[1][0] is None for o in outcomes) >= len(SEEDS) * 2 // 3
