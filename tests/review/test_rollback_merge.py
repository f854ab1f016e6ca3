"""The rollback of a range undoes every revision its upgrade ran, a range that ends at a merge too.

``b2:m4``, where ``m4`` merges ``b2`` with ``c3`` (a branch from ``a1``),
upgrades ``c3`` and ``m4``. Alembic's ``downgrade m4:b2 --sql`` only unmerges
(it leaves the database at ``b2, c3``: ``c3`` is no descendant of ``b2``); the
rollback of the range must also undo ``c3``, as ``downgrade m4:c3@a1`` does.
It did not, and flagged ``c3`` as "downgrade is empty" though its downgrade
drops a table. Run for real: upgrade.sql then rollback.sql on a database at
``b2`` leaves it exactly at ``b2``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.review.approval import compile_approval
from limbeck.review.capture import RevisionRange

from .conftest import Rev

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("account")'),
    ("b2", "a1", 'op.add_column("account", sa.Column("b", sa.Integer))', 'op.drop_column("account", "b")'),
    ("c3", "a1", 'op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("audit")'),
    ("c5", "c3", 'op.add_column("audit", sa.Column("at", sa.Integer))', 'op.drop_column("audit", "at")'),
    ("m6", ("b2", "c5"), 'op.add_column("account", sa.Column("m", sa.Integer))', 'op.drop_column("account", "m")'),
]


def rollback_of(config: Config, rev_range: str) -> tuple[str, dict[str, str], dict[str, str]]:
    approval = compile_approval(config, RevisionRange.parse(rev_range), ("postgresql",))
    texts = {f.path.rsplit("/", 1)[1]: f.text for f in approval.files}
    per = {f.revision: f.text for f in approval.files if f.revision is not None and f.direction == "rollback"}
    return texts["rollback.sql"], per, {f.revision: f.reason for f in approval.flags}


def test_a_rollback_ending_at_a_merge_undoes_the_other_branch(project: Callable[..., Config]) -> None:
    rollback, per, flags = rollback_of(project(HISTORY), "b2:m6")
    assert flags == {}
    assert "DROP TABLE audit;" in per["c3"] and "ALTER TABLE audit DROP COLUMN at;" in per["c5"]
    order = [rollback.index(f"-- Running downgrade {step}") for step in ("m6 -> b2, c5", "c5 -> c3", "c3 -> a1")]
    assert order == sorted(order)
    # the version rows end at the range's start: c3's row goes, a1 (below b2) is not written back
    assert "DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';" in rollback


def test_a_range_without_a_merge_keeps_alembics_downgrade(project: Callable[..., Config]) -> None:
    """Where ``downgrade END:START`` undoes the range, the rollback is exactly that."""
    config = project(HISTORY)
    rollback, _, _ = rollback_of(config, "a1:m6")
    config.output_buffer = __import__("io").StringIO()
    command.downgrade(config, "m6:a1", sql=True, dialect="postgresql")  # type: ignore[call-arg]
    steps = [line for line in config.output_buffer.getvalue().splitlines() if line.startswith("-- Running")]
    assert [line for line in rollback.splitlines() if line.startswith("-- Running")] == steps


@pytest.mark.parametrize("rev_range", ["b2:m6", "c3:m6", "c5:m6", "a1:m6"])
def test_upgrade_then_rollback_returns_to_the_start(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], rev_range: str
) -> None:
    config = project(HISTORY, url=pg_url)
    start = rev_range.split(":")[0]
    command.upgrade(config, start)
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)

    def state() -> tuple[set[str], dict[str, set[str]]]:
        with engine.connect() as conn:
            rows = set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
        inspector = sa.inspect(engine)
        tables = {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}
        return rows, tables

    before = state()
    approval = compile_approval(config, RevisionRange.parse(rev_range), ("postgresql",))
    texts = {f.path.rsplit("/", 1)[1]: f.text for f in approval.files}
    for name in ("upgrade.sql", "rollback.sql"):
        result = psql(pg_url, texts[name])
        assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
        if name == "upgrade.sql":
            assert state()[0] == {"m6"}
    assert state() == before


def test_a_revision_the_rollback_never_runs_is_not_called_empty(
    project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its downgrade was never rendered: the flag says the rollback does not undo it, not that it is empty."""
    monkeypatch.setattr("limbeck.review.capture.rollback_steps", lambda script, steps, undo, planned: steps)
    _, per, flags = rollback_of(project(HISTORY), "b2:m6")
    assert flags == {"c3": "the rollback does not undo it", "c5": "the rollback does not undo it"}
    assert "DROP TABLE" not in per["c3"]


DEPENDS = [
    HISTORY[0], HISTORY[1], HISTORY[2],
    Rev("d4", "b2", 'op.add_column("audit", sa.Column("who", sa.Integer))', 'op.drop_column("audit", "who")',
        extra="", message="needs audit"),
]


def test_a_range_whose_end_depends_on_another_branch_rolls_back_to_its_start(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object]
) -> None:
    """``d4`` (on ``b2``) depends_on ``c3``: ``b2:d4`` upgrades ``c3`` too, and the rollback undoes it."""
    config = project(DEPENDS, url=pg_url)
    path = config.attributes["project"].path("d4")
    path.write_text(path.read_text().replace("depends_on = None", "depends_on = 'c3'"))
    command.upgrade(config, "b2")
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    tables = set(sa.inspect(engine).get_table_names())
    approval = compile_approval(config, RevisionRange.parse("b2:d4"), ("postgresql",))
    texts = {f.path.rsplit("/", 1)[1]: f.text for f in approval.files}
    assert {f.revision: f.reason for f in approval.flags} == {}
    for name in ("upgrade.sql", "rollback.sql"):
        result = psql(pg_url, texts[name])
        assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
        if name == "upgrade.sql":
            assert "audit" in set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()) == {"b2"}
    assert set(sa.inspect(engine).get_table_names()) == tables


def test_the_rollback_is_the_same_rendered_on_several_processes(project: Callable[..., Config]) -> None:
    config = project(HISTORY)
    serial = compile_approval(config, RevisionRange.parse("b2:m6"), ("postgresql",))
    parallel = compile_approval(config, RevisionRange.parse("b2:m6"), ("postgresql",), jobs=2)
    assert [(f.path, f.text) for f in parallel.files] == [(f.path, f.text) for f in serial.files]
    assert "DROP TABLE audit;" in {f.path: f.text for f in parallel.files}["postgresql/rollback.sql"]


@pytest.mark.parametrize("rev_range", ["a1:heads", "b2:heads"])
def test_two_heads_roll_back_to_the_start(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], rev_range: str
) -> None:
    """No merge: ``heads`` is b2 and c5; the rollback of the range undoes what its upgrade ran."""
    config = project(HISTORY[:4], url=pg_url)
    start = rev_range.split(":")[0]
    command.upgrade(config, start)
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    tables = {t: {c["name"] for c in sa.inspect(engine).get_columns(t)} for t in sa.inspect(engine).get_table_names()}
    approval = compile_approval(config, RevisionRange.parse(rev_range), ("postgresql",))
    texts = {f.path.rsplit("/", 1)[1]: f.text for f in approval.files}
    for name in ("upgrade.sql", "rollback.sql"):
        result = psql(pg_url, texts[name])
        assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()) == {start}
    assert {t: {c["name"] for c in sa.inspect(engine).get_columns(t)} for t in sa.inspect(engine).get_table_names()} == tables
