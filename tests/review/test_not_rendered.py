"""An approved rollback never lies: a revision that cannot be rendered offline fails sql, plan and verify.

Before: ``limbeck sql --output-dir`` exited 0 and wrote a rollback file that
moved the version table for a downgrade it could not render, and ``verify``
accepted it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import PlanFailed, UnrenderedRevisions

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("account")',
     "create account"),
    ("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))', 'op.drop_column("account", "email")',
     "add email"),
    ("c3", "b2", 'op.execute("UPDATE account SET email = \'x\'")',
     'op.get_bind().execute(sa.text("SELECT email FROM account")).fetchall()', "downgrade reads rows"),
]
#: the upgrade of b2 needs a database instead
UPGRADE_NEEDS_DB = [
    HISTORY[0],
    ("b2", "a1", 'op.get_bind().execute(sa.text("SELECT id FROM account")).fetchall()', "pass", "reads rows"),
]


def test_sql_fails_and_writes_nothing(project: Callable[..., Config], tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(UnrenderedRevisions, match=r"postgresql downgrade: .*c3_revision.py:\d+ \(revision c3, downgrade\)"):
        command.sql(project(HISTORY), None, str(out), ["postgresql"])
    assert not out.exists()


def test_keep_going_marks_the_file_and_leaves_the_version_table_alone(
    project: Callable[..., Config], tmp_path: Path, printed: Callable[[Config], str]
) -> None:
    config = project(HISTORY)
    out = tmp_path / "out"
    with pytest.raises(UnrenderedRevisions, match=r"written with 1 revision step\(s\) that cannot be rendered offline"):
        command.sql(config, None, str(out), ["postgresql"], keep_going=True)
    rollback = (out / "postgresql" / "0003_c3_downgrade_reads_rows.rollback.sql").read_text()
    assert "-- NOT RENDERED: downgrade c3 -> b2 could not be rendered offline" in rollback
    assert "alembic_version" not in rollback  # nothing records c3 as undone
    combined = (out / "postgresql" / "rollback.sql").read_text()
    assert "WHERE alembic_version.version_num = 'c3'" not in combined
    assert "NOT RENDERED postgresql: downgrade of revision c3 NOT RENDERED: " in printed(config)
    # verify recompiles the same files, then refuses them
    with pytest.raises(UnrenderedRevisions, match=r"the approved files hold 1 revision step\(s\).*c3_revision.py"):
        command.verify(config, str(out))


def test_an_unrenderable_upgrade_is_marked_the_same_way(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project(UPGRADE_NEEDS_DB)
    with pytest.raises(UnrenderedRevisions, match="upgrade: .*b2_revision.py"):
        command.sql(config, None, str(tmp_path / "a"), ["postgresql"])
    with pytest.raises(UnrenderedRevisions):
        command.sql(config, None, str(tmp_path / "b"), ["postgresql"], keep_going=True)
    upgrade = (tmp_path / "b" / "postgresql" / "0002_b2_reads_rows.upgrade.sql").read_text()
    assert "NOT RENDERED: upgrade a1 -> b2" in upgrade and "alembic_version" not in upgrade


def test_plan_reports_it_as_an_error(
    project: Callable[..., Config], printed: Callable[[Config], str], invoke: Callable[..., object]
) -> None:
    config = project(HISTORY)
    with pytest.raises(PlanFailed, match=r"revision c3: downgrade NOT RENDERED: .*c3_revision.py"):
        command.plan(config, None, "json", "postgresql")
    data = json.loads(printed(config))
    assert data["errors"] and data["errors"][0].startswith("revision c3: downgrade NOT RENDERED")
    revs = {r["revision"]: r for r in data["revisions"]}
    assert revs["c3"]["errors"][0].startswith("downgrade NOT RENDERED: ") and revs["b2"]["errors"] == []
    result = invoke(config, "plan", "--dialect", "postgresql")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "- **Errors: 1** (see below)" in result.stdout and "## Errors" in result.stdout  # type: ignore[attr-defined]
    assert "FAILED: plan of base:heads (postgresql): revision c3: downgrade NOT RENDERED" in result.stderr  # type: ignore[attr-defined]


def test_cli_exit_status(project: Callable[..., Config], invoke: Callable[..., object], tmp_path: Path) -> None:
    config = project(HISTORY)
    refused = invoke(config, "sql", "--output-dir", str(tmp_path / "a"), "--dialect", "postgresql")
    assert refused.exit_code == 1 and not (tmp_path / "a").exists()  # type: ignore[attr-defined]
    assert "cannot write the approval" in refused.stderr  # type: ignore[attr-defined]
    marked = invoke(config, "sql", "--output-dir", str(tmp_path / "b"), "--dialect", "postgresql", "--keep-going")
    assert marked.exit_code == 1 and (tmp_path / "b" / "MANIFEST.limbeck").exists()  # type: ignore[attr-defined]
    verified = invoke(config, "verify", str(tmp_path / "b"))
    assert verified.exit_code == 1 and "NOT RENDERED" not in verified.stdout  # type: ignore[attr-defined]
    assert "cannot be rendered offline" in verified.stderr  # type: ignore[attr-defined]
