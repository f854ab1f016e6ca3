"""A checkpoint replaces its range only for whole-range runs; every existing database keeps working."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from limbeck.cli import cli
from limbeck.errors import CommandError
from limbeck.runtime.checkpoints import CheckpointStep
from limbeck.runtime.steps import downgrade_steps, upgrade_steps
from limbeck.script import ScriptDirectory

from .conftest import Project, Rev


def _squash(project: Project, rng: str = "base:e5", **kw: object) -> str:
    out = project.run("squash", rng, message="checkpoint 2026", **kw)
    assert "builds the same database on SQLite" in out, out
    return out


def _steps(project: Project, heads: tuple[str, ...], target: str, up: bool = True) -> list[str]:
    rmap = ScriptDirectory.from_config(project.config()).revision_map
    steps = upgrade_steps(rmap, target, heads) if up else downgrade_steps(rmap, target, heads)
    return [("checkpoint " if isinstance(s, CheckpointStep) else "") + s.revision.revision for s in steps]  # type: ignore[union-attr]


def test_squash_writes_a_checkpoint_file_beside_versions(project: Project) -> None:
    _squash(project)
    path = project.checkpoint_file()
    assert path.parent.name == "checkpoints" and path.name == "e5_checkpoint_2026.py"
    text = path.read_text()
    assert 'revision: str = "e5"' in text and "down_revision: str | Sequence[str] | None = None" in text
    assert 'replaces: tuple[str, ...] = (\n    "a1",\n    "b2",' in text and '    "e5",\n)' in text
    for expected in ('op.create_table(\n        "account"', 'sa.CheckConstraint("total >= 0", name=op.f("ck_orders_total"))',
                     "ondelete=\"CASCADE\"",
                     'op.create_index(op.f("ix_account_name"), "account", ["name"], unique=False)',
                     '"total": decimal.Decimal("12.50")', 'op.drop_table("orders")'):
        assert expected in text, expected


def test_a_fresh_database_runs_the_checkpoint_alone(project: Project) -> None:
    _squash(project)
    assert _steps(project, (), "heads") == ["checkpoint e5", "f6"]
    assert _steps(project, (), "e5") == ["checkpoint e5"]
    project.run("upgrade", "head")
    assert project.heads_in() == ["f6"]
    assert project.tables_in() == ["account", "note", "orders"]


@pytest.mark.parametrize(
    ("heads", "expected"),
    [
        (("a1",), ["b2", "c3", "d4", "e5", "f6"]),  # inside the range: the old files
        (("c3",), ["d4", "e5", "f6"]),
        (("c3", "d4"), ["e5", "f6"]),
        (("e5",), ["f6"]),  # at the checkpoint's revision: carries on
        (("f6",), []),
    ],
)
def test_databases_in_or_past_the_range_keep_their_revisions(project: Project, heads: tuple[str, ...], expected: list[str]) -> None:
    _squash(project)
    assert sorted(_steps(project, heads, "heads")) == expected


def test_a_range_ending_inside_the_squashed_one_uses_the_old_files(project: Project) -> None:
    _squash(project)
    assert _steps(project, (), "c3") == ["a1", "b2", "c3"]


def test_downgrades_to_nothing_run_the_checkpoints_downgrade(project: Project) -> None:
    _squash(project)
    assert _steps(project, ("f6",), "base", up=False) == ["f6", "checkpoint e5"]
    assert sorted(_steps(project, ("f6",), "b2", up=False)) == ["c3", "d4", "e5", "f6"]
    project.run("upgrade", "c3")  # built by the old files
    project.run("upgrade", "head")
    project.run("downgrade", "base")
    assert project.heads_in() == [] and project.tables_in() == []


def test_offline_fresh_ranges_render_the_checkpoint(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _squash(project)
    project.run("upgrade", "base:head", sql=True)
    script = capsys.readouterr().out
    assert "-- Running upgrade  -> e5 (checkpoint of 5 revisions)" in script
    assert "-- Running upgrade e5 -> f6" in script and "-- Running upgrade a1" not in script
    assert "INSERT INTO alembic_version (version_num) VALUES ('e5') RETURNING version_num;" in script
    project.run("upgrade", "b2:head", sql=True)
    assert "-- Running upgrade b2 -> c3" in capsys.readouterr().out


def test_history_and_show_point_at_the_checkpoint(project: Project) -> None:
    _squash(project)
    assert "c3, d4 -> e5 (mergepoint) (checkpoint), merge" in project.run("history")
    assert f"Checkpoint: {project.checkpoint_file()}" in project.run("show", "e5")


def test_ranges_other_branches_build_into_are_refused(project: Project) -> None:
    with pytest.raises(CommandError, match=r"squash base:c3: revision d4 \(.*d4_revision.py\) builds on b2, inside the "
                                           r"range; squash up to a revision every branch has merged into, e.g. b2"):
        project.run("squash", "base:c3")
    with pytest.raises(CommandError, match="squash: expected base:REV, got 'a1:e5'"):
        project.run("squash", "a1:e5")
    project.write(Rev("g7", "e5", "pass", "pass", "second head"))
    with pytest.raises(CommandError, match="squash: 'heads' names 2 revisions; name one"):
        project.run("squash", "base:heads")


def test_a_second_squash_of_the_same_revision_is_refused(project: Project) -> None:
    _squash(project)
    with pytest.raises(CommandError, match="revision e5 already has a checkpoint, .*e5_checkpoint_2026.py"):
        project.run("squash", "base:e5")


def test_a_newer_checkpoint_wins_and_contains_the_older(project: Project) -> None:
    _squash(project, "base:b2")
    _squash(project, "base:f6")
    assert _steps(project, (), "heads") == ["checkpoint f6"]
    assert sorted(_steps(project, ("b2",), "heads")) == ["c3", "d4", "e5", "f6"]
    assert sorted(_steps(project, ("a1",), "heads")) == ["b2", "c3", "d4", "e5", "f6"]


def test_a_history_changed_below_the_checkpoint_is_refused(project: Project) -> None:
    _squash(project)
    extra = Rev("x9", "b2", "pass", "pass", "spliced in")
    project.write(extra)
    (project.versions / "e5_revision.py").write_text(
        (project.versions / "e5_revision.py").read_text().replace("down_revision = ('c3', 'd4')", "down_revision = ('c3', 'd4', 'x9')")
    )
    with pytest.raises(CommandError, match=r"e5_checkpoint_2026.py: revision x9 is below e5 but the checkpoint says otherwise"):
        _steps(project, (), "heads")


def test_once_the_replaced_files_are_gone_the_checkpoint_is_the_revision(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.run("tag", "v1.0", "c3")
    project.run("tag", "v1.1", "e5")
    _squash(project)
    assert "#   v1.0 = c3\n#   v1.1 = e5" in project.checkpoint_file().read_text()
    project.run("upgrade", "e5")
    at_e5 = Path(project.url.removeprefix("sqlite:///")).read_bytes()
    for rev in ("a1", "b2", "c3", "d4", "e5"):
        (project.versions / f"{rev}_revision.py").unlink()
    shutil.rmtree(project.versions / "__pycache__", ignore_errors=True)
    assert project.run("history") == "e5 -> f6 (head), add done\n<base> -> e5 (tag: v1.1) (checkpoint), checkpoint 2026\n"
    # tags survive: the checkpoint's revision keeps its tag; a tag inside the range says where it went
    assert project.run("tag").splitlines()[0].startswith("v1.0 -> c3 (revision c3 was squashed into checkpoint e5 (")
    with pytest.raises(CommandError, match=r"tag 'v1.0' names c3: revision c3 was squashed into checkpoint e5"):
        project.run("upgrade", "v1.0")
    project.run("upgrade", "v1.1")
    project.run("upgrade", "head")  # a database at the checkpoint's revision carries on
    assert project.heads_in() == ["f6"]
    project.run("downgrade", "base")
    assert project.tables_in() == []
    project.run("upgrade", "base:head", sql=True)
    assert "-- Running upgrade  -> e5 (checkpoint of 5 revisions)" in capsys.readouterr().out
    # a database left inside the range: its revision's file is gone
    Path(project.url.removeprefix("sqlite:///")).write_bytes(at_e5)
    engine = sa.create_engine(project.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'c3'"))
    engine.dispose()
    with pytest.raises(CommandError, match=r"revision c3 was squashed into checkpoint e5 \(.*\) and its file is gone; "
                                           r"a database there needs a release that still has it"):
        project.run("upgrade", "head")


def test_deleting_only_some_replaced_files_is_refused(project: Project) -> None:
    _squash(project)
    (project.versions / "e5_revision.py").unlink()
    with pytest.raises(CommandError, match=r"replaces a1 \(.*a1_revision.py\), still present while e5's file is gone"):
        project.run("heads")


def test_check_squash_fails_on_a_checkpoint_that_builds_something_else(project: Project) -> None:
    _squash(project)
    path = project.checkpoint_file()
    path.write_text(path.read_text().replace('name=op.f("uq_note_body")', 'name=op.f("uq_note_text")'))
    result = CliRunner().invoke(cli, ["-c", str(project.root / "limbeck.ini"), "check-squash"], prog_name="limbeck")
    assert result.exit_code == 1
    assert "only the replaced revisions: table note unique uq_note_body (body)" in result.stdout
    assert "only the checkpoint: table note unique uq_note_text (body)" in result.stdout
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith("FAILED: Checkpoint e5 (") and "differs on SQLite" in failed[0]


def test_check_squash_names_what_the_downgrade_leaves(project: Project) -> None:
    _squash(project)
    path = project.checkpoint_file()
    path.write_text(path.read_text().replace('    op.drop_table("note")\n', ""))
    with pytest.raises(CommandError, match=r"its downgrade\(\) on SQLite .* leaves 'table note'"):
        project.run("check_squash")


def test_squash_refuses_a_scratch_database_that_is_not_empty(project: Project, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'used.db'}"
    project.run("upgrade", "a1", db_url=url)
    with pytest.raises(CommandError, match=r"the scratch database sqlite:///.*used.db is not empty \(revision a1\); give an empty one"):
        project.run("squash", "base:e5", url=url)
    assert not project.checkpoints.exists()


def test_squash_refuses_an_env_py_that_connects_elsewhere(project: Project, tmp_path: Path) -> None:
    env = project.root / "migrations" / "env.py"
    env.write_text(env.read_text().replace(
        'config.get_section(config.config_ini_section, {})',
        '{"sqlalchemy.url": "sqlite:///%s"}' % (tmp_path / "production.db"),
    ))
    with pytest.raises(CommandError, match=r"env.py connected to sqlite:///.*production.db, not to the scratch database"):
        project.run("squash", "base:e5")
    assert not (tmp_path / "production.db").exists() or project.tables_in(f"sqlite:///{tmp_path / 'production.db'}") == []


def test_review_files_fingerprint_the_checkpoint_that_ran(project: Project, tmp_path: Path) -> None:
    _squash(project)
    out = tmp_path / "change"
    project.run("sql", "base:head", str(out), ["postgresql"])
    manifest = (out / "MANIFEST.limbeck").read_text()
    assert " checkpoints/e5_checkpoint_2026.py\n" in manifest and "versions/e5_revision.py" not in manifest
    assert sorted(p.name for p in (out / "postgresql").glob("0*")) == [
        "0001_e5_checkpoint_2026.rollback.sql", "0001_e5_checkpoint_2026.upgrade.sql",
        "0002_f6_add_done.rollback.sql", "0002_f6_add_done.upgrade.sql",
    ]
    assert "DROP TABLE account;" in (out / "postgresql" / "0001_e5_checkpoint_2026.rollback.sql").read_text()
    project.run("verify", str(out))


def test_branch_labels_of_the_range_move_to_the_checkpoint(make_project: Callable[..., Project]) -> None:
    from .conftest import BRANCHY

    history = [Rev(r.rev, r.down, r.upgrade, r.downgrade, r.message, ("core",) if r.rev == "a1" else None) for r in BRANCHY]
    project = make_project(history)
    _squash(project)
    assert 'branch_labels: str | Sequence[str] | None = (\n    "core",\n)' in project.checkpoint_file().read_text()
    for rev in ("a1", "b2", "c3", "d4", "e5"):
        (project.versions / f"{rev}_revision.py").unlink()
    project.run("upgrade", "core@head")
    assert project.heads_in() == ["f6"]


def test_a_newer_checkpoint_over_an_older_one_needs_the_older_file_gone_too(project: Project) -> None:
    _squash(project, "base:b2")
    _squash(project, "base:f6")
    older = project.checkpoints / "b2_checkpoint_2026.py"
    for rev in ("a1", "b2", "c3", "d4", "e5", "f6"):
        (project.versions / f"{rev}_revision.py").unlink()
    with pytest.raises(CommandError, match=r"f6_checkpoint_2026.py: replaces b2 \(.*b2_checkpoint_2026.py\), still present"):
        project.run("heads")
    older.unlink()
    assert project.run("history") == "<base> -> f6 (head) (checkpoint), checkpoint 2026\n"
    project.run("upgrade", "head")
    assert project.heads_in() == ["f6"] and project.tables_in() == ["account", "note", "orders"]


def test_sqlite_triggers_and_views_are_listed_not_lost(make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import BRANCHY

    extra = Rev("g7", "f6", """
        op.execute("CREATE VIEW open_notes AS SELECT id FROM note WHERE done = 0")
        op.execute("CREATE TRIGGER note_touch AFTER UPDATE ON note BEGIN SELECT 1; END")
        """, 'op.execute("DROP TRIGGER note_touch")\nop.execute("DROP VIEW open_notes")', "view and trigger")
    project = make_project([*BRANCHY, extra])
    with pytest.raises(CommandError, match=r"does not build what reflection cannot see \(trigger note_touch, view open_notes\)"):
        project.run("squash", "base:g7")
    err = capsys.readouterr().err
    assert "WARNING: " in err and "the replaced revisions made view open_notes" in err
    assert "#   trigger note_touch\n#   view open_notes\n" in project.checkpoint_file().read_text()
