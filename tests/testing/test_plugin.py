"""The pytest plugin, run by pytester on a real project: pass, fail on a change, update, stale files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from limbeck.config import Config
from limbeck.testing import MigrationRenderer, snapshot_text

Project = Callable[..., Config]


def ini(pytester: pytest.Pytester, **options: str) -> None:
    # hypothesis's plugin imports hypothesis at the end of every inner run (pytester drops
    # it from sys.modules after each): seconds per run, for nothing these runs use
    lines = ["[pytest]", "addopts = -p no:hypothesispytest -p no:pytest_alembic", *(f"{key} = {value}" for key, value in options.items())]
    pytester.makefile(".ini", pytest="\n".join(lines) + "\n")


def collected(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--collect-only", "-q", *args)
    return [line for line in result.outlines if "::" in line]


def test_snapshots_fail_until_created_then_pass_then_catch_a_change(
    pytester: pytest.Pytester, project_files: Project, history: list[Any], new_rev: Any, revision_file: Any
) -> None:
    config = project_files(pytester.path)
    ini(pytester, limbeck_snapshot_dialects="postgresql sqlite")
    revisions = MigrationRenderer(config).upgrade_order()
    count = len(revisions) * 2

    first = pytester.runpytest()
    first.assert_outcomes(failed=count, passed=2)  # no snapshot yet; nothing stale
    first.stdout.fnmatch_lines(["*snapshots/migrations/postgresql/a1_create_account.sql doesn't exist*--snapshot-update*"])

    pytester.runpytest("--snapshot-update").assert_outcomes(passed=count + 2, errors=count)  # "directory was modified"
    pytester.runpytest().assert_outcomes(passed=count + 2)
    written = pytester.path / "snapshots" / "migrations" / "postgresql" / "b2_add_email.sql"
    assert written.read_text() == snapshot_text(MigrationRenderer(config).revision("b2", "postgresql"))

    changed = history[1]
    revision_file(pytester.path, new_rev(changed.rev, changed.down, changed.upgrade.replace("100", "120"),
                                         changed.downgrade, changed.message))
    result = pytester.runpytest()
    result.assert_outcomes(failed=2, passed=count)
    result.stdout.fnmatch_lines(["FAILED limbeck.ini::snapshot[[]postgresql-b2_add_email[]]*", "FAILED limbeck.ini::snapshot[[]sqlite-b2_add_email[]]*"])
    result.stdout.fnmatch_lines(["*-*VARCHAR(100);*", "*+*VARCHAR(120);*"])


def test_removed_and_renamed_revisions_are_reported_then_deleted(
    pytester: pytest.Pytester, project_files: Project, history: list[Any], new_rev: Any, revision_file: Any
) -> None:
    project_files(pytester.path)
    ini(pytester, limbeck_snapshot_dialects="mssql", limbeck_snapshot_dir="sql/reviewed")
    pytester.runpytest("--snapshot-update")
    folder = pytester.path / "sql" / "reviewed" / "mssql"
    assert (folder / "f6_create_setting.sql").exists()

    versions = pytester.path / "migrations" / "versions"
    (versions / "f6_create_setting.py").unlink()
    d4 = history[3]
    (versions / "d4_create_tag.py").unlink()
    revision_file(pytester.path, new_rev(d4.rev, d4.down, d4.upgrade, d4.downgrade, "create tags"))
    remaining = len(history) - 1
    result = pytester.runpytest()
    result.assert_outcomes(failed=2, passed=remaining - 1)  # the renamed file's snapshot is missing too
    result.stdout.fnmatch_lines([
        (
            "*sql/reviewed/mssql: snapshots with no revision (run pytest with --snapshot-update --allow-snapshot-deletion*"
            "d4_create_tag.sql: renamed, revision d4 is now d4_create_tags.py; "
            "f6_create_setting.sql: removed, revision f6 no longer exists*"
        ),
    ])

    deleting = pytester.runpytest("--snapshot-update", "--allow-snapshot-deletion")
    deleting.assert_outcomes(failed=1, passed=remaining, errors=1)  # stale files deleted; d4's new file created
    deleting.stdout.fnmatch_lines(["*sql/reviewed/mssql: deleted snapshots of revisions that are gone*"])
    assert sorted(p.name for p in folder.iterdir()) == [
        "a1_create_account.sql", "b2_add_email.sql", "c3_create_audit.sql", "d4_create_tags.sql", "e5_merge_audit_and_tag.sql",
    ]


def test_checks_join_suite_runs_and_the_config_file_only(pytester: pytest.Pytester, project_files: Project) -> None:
    project_files(pytester.path)
    ini(pytester, limbeck_snapshot_dialects="oracle", limbeck_stairway="true", limbeck_drift="true", testpaths="tests")
    pytester.makepyfile(**{"tests/test_app": "def test_app():\n    pass\n"})
    checks = [f"limbeck.ini::snapshot[oracle-{name}]" for name in (
        "a1_create_account", "b2_add_email", "f6_create_setting", "d4_create_tag", "c3_create_audit", "e5_merge_audit_and_tag",
    )]
    everything = collected(pytester)
    assert everything[0] == "tests/test_app.py::test_app"
    assert sorted(everything[1:]) == sorted(
        ["limbeck.ini::stairway", "limbeck.ini::model_drift", *checks, "limbeck.ini::stale_snapshots[oracle]"]
    )
    assert collected(pytester, "tests") == everything
    assert collected(pytester, "tests/test_app.py") == ["tests/test_app.py::test_app"]
    assert collected(pytester, "limbeck.ini", "-m", "limbeck_stairway") == ["limbeck.ini::stairway"]


def test_a_pyproject_only_project_gets_its_checks_there(pytester: pytest.Pytester, project_files: Project) -> None:
    project_files(pytester.path / "app")
    (pytester.path / "app" / "limbeck.ini").unlink()
    pytester.makefile(".toml", pyproject=textwrap.dedent(
        """
        [tool.limbeck]
        script_location = "%(here)s/app/migrations"

        [tool.pytest.ini_options]
        addopts = "-p no:hypothesispytest -p no:pytest_alembic"
        limbeck_snapshot_dialects = ["sqlite"]
        """
    ))
    found = collected(pytester)
    assert found[0] == "pyproject.toml::snapshot[sqlite-a1_create_account]" and len(found) == 7


def test_a_project_without_the_options_gets_fixtures_and_no_checks(pytester: pytest.Pytester, project_files: Project) -> None:
    project_files(pytester.path / "db")
    ini(pytester, limbeck_config="db/limbeck.ini")
    pytester.makepyfile(test_project=textwrap.dedent(
        """
        from limbeck.testing import MigrationRenderer

        def test_config(limbeck_config):
            assert limbeck_config.config_file_name.endswith("db/limbeck.ini")

        def test_sql(limbeck_sql, limbeck_config):
            assert isinstance(limbeck_sql, MigrationRenderer)
            assert "CREATE TABLE audit" in limbeck_sql.upgrade("b2:c3", "postgresql")
            assert "DROP TABLE tag" in limbeck_sql.revision("d4", "mysql").downgrade

        def test_one_renderer_per_session(limbeck_sql, request):
            assert limbeck_sql is request.getfixturevalue("limbeck_sql")

        def test_stairway(limbeck_stairway, tmp_path):
            url = f"sqlite:///{tmp_path / 'steps.db'}"
            assert limbeck_stairway(url)[0] == "a1"
            assert (tmp_path / "steps.db").exists()
        """
    ))
    pytester.runpytest().assert_outcomes(passed=4)


def test_what_cannot_be_rendered_or_found_fails_its_own_check(
    pytester: pytest.Pytester, project_files: Project, history: list[Any], new_rev: Any
) -> None:
    reads = new_rev("r9", "e5", 'op.get_bind().execute(sa.text("SELECT 1")).scalar()', "pass", "read rows")
    project_files(pytester.path, [*history, reads])
    ini(pytester, limbeck_snapshot_dialects="postgresql")
    result = pytester.runpytest("--snapshot-update")
    result.assert_outcomes(failed=1, passed=len(history) + 1, errors=len(history))
    result.stdout.fnmatch_lines(["*revision r9 cannot be rendered offline for postgresql: *r9_read_rows.py*needs a live database*"])

    ini(pytester, limbeck_snapshot_dialects="postgresql", limbeck_config="missing.ini")
    broken = pytester.runpytest()
    broken.assert_outcomes(failed=1)
    broken.stdout.fnmatch_lines(["ConfigError: limbeck_config = missing.ini: no such file in *", "FAILED missing.ini::limbeck_config - *"])


def test_the_database_checks_name_what_fails(
    pytester: pytest.Pytester, project_files: Project, history: list[Any], new_rev: Any, models: Any
) -> None:
    history[2] = new_rev("c3", "b2", 'op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))', "pass",
                         "create audit")
    project_files(pytester.path, history)
    models(pytester.path)  # env.py's target_metadata knows the account table only
    ini(pytester, limbeck_stairway="true", limbeck_drift="true")
    db = pytester.path / "given.db"
    result = pytester.runpytest()  # each check on its own temporary SQLite database
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "*stairway failed at revision c3 (*c3_create_audit.py) on upgrade again: OperationalError: *table audit already exists*",
        "*the models differ from what the migrations build (3): remove_table *",
    ])
    # one database given to both: the stairway's failure leaves it as it failed, for inspection,
    # and the drift check refuses to build on it
    given = pytester.runpytest(f"--limbeck-database-url=sqlite:///{db}")
    given.assert_outcomes(failed=2)
    given.stdout.fnmatch_lines(["*model drift check needs an empty database; sqlite:///*given.db is at d4, f6*"])


def test_snapshots_render_ahead_on_the_cpus_the_database_checks_leave(
    pytester: pytest.Pytester, project_files: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the stairway keeps one CPU busy: on two, one child renders both dialects; without it, one child per CPU
    import os

    asked: list[tuple[list[str | None], int | None]] = []
    monkeypatch.setattr(MigrationRenderer, "prefetch", lambda self, dialects, processes=None: asked.append((dialects, processes)) or 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    project_files(pytester.path)
    ini(pytester, limbeck_snapshot_dialects="postgresql sqlite", limbeck_stairway="true")
    pytester.runpytest("--snapshot-update", "-m", "limbeck_snapshot or limbeck_stairway")
    pytester.runpytest("--snapshot-update", "-m", "limbeck_snapshot")
    pytester.runpytest("--snapshot-update", "-k", "postgresql")
    assert [(sorted(set(map(str, dialects))), processes) for dialects, processes in asked] == [
        (["postgresql", "sqlite"], 1), (["postgresql", "sqlite"], None), (["postgresql"], None),
    ]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork") or (__import__("os").cpu_count() or 1) < 2,
                    reason="snapshots render ahead in forked children, with more than one CPU")
def test_the_stairway_runs_with_the_objects_frozen_while_snapshots_render(pytester: pytest.Pytester, project_files: Project) -> None:
    # while a child renders, the parent's collections would copy the pages it shares, and walk them
    import gc

    gc.unfreeze()  # an in-process CLI run of an earlier test may have frozen its objects
    project_files(pytester.path)
    record = pytester.path / "frozen.txt"
    pytester.makeconftest(f"""
        import gc
        import pytest

        @pytest.fixture
        def limbeck_stairway():
            def run(url=None):
                with open({str(record)!r}, "a") as out:
                    out.write(str(gc.get_freeze_count() > 0) + "\\n")
                return []
            return run
    """)
    ini(pytester, limbeck_snapshot_dialects="sqlite", limbeck_stairway="true")
    pytester.runpytest("--snapshot-update").assert_outcomes(passed=8, errors=6)  # files written: reported
    ini(pytester, limbeck_stairway="true")
    pytester.runpytest().assert_outcomes(passed=1)
    assert record.read_text().split() == ["True", "False"]
    assert gc.get_freeze_count() == 0  # unfrozen when the check ended
