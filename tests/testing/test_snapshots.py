"""Snapshot files: names, content, and files that no revision accounts for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from limbeck.config import Config
from limbeck.testing import (
    MigrationRenderer,
    RevisionSQL,
    SnapshotError,
    snapshot_names,
    snapshot_text,
)
from limbeck.testing.snapshots import (
    assert_no_stale_snapshots,
    assert_revision_snapshot,
    find_stale_snapshots,
)


class FakeScript:
    def __init__(self, revision: str, path: str) -> None:
        self.revision = revision
        self.path = path


def test_names_follow_the_revision_files() -> None:
    scripts = [FakeScript("a1", "/v/a1_create.py"), FakeScript("b2", "/v/x/b2_add.py")]
    assert snapshot_names(scripts) == {"a1": "a1_create.sql", "b2": "b2_add.sql"}  # type: ignore[arg-type]


def test_files_with_one_name_in_two_folders_get_their_revision_appended() -> None:
    scripts = [FakeScript("r1", "/v/one/same.py"), FakeScript("r2", "/v/two/same.py"), FakeScript("r3", "/v/other.py")]
    names = snapshot_names(scripts)  # type: ignore[arg-type]
    assert names == {"r1": "same.r1.sql", "r2": "same.r2.sql", "r3": "other.sql"}


def test_text_has_a_header_then_upgrade_then_downgrade() -> None:
    rendered = RevisionSQL("b2", "postgresql", "/v/b2_add.py", "add\n  email", "UP;\n\n", "DOWN;\n\n")
    assert snapshot_text(rendered) == (
        "-- revision: b2\n-- file: b2_add.py\n-- message: add email\n-- dialect: postgresql\n\n"
        "-- ======== upgrade ========\n\nUP;\n\n-- ======== downgrade ========\n\nDOWN;\n"
    )


def test_a_revision_that_cannot_be_rendered_is_a_snapshot_error(
    make_project: Callable[..., Config], history: list[Any], new_rev: Any, tmp_path: Path
) -> None:
    reads = new_rev("r9", "e5", 'op.get_bind().execute(sa.text("SELECT 1")).scalar()', "pass", "read rows")
    renderer = MigrationRenderer(make_project([*history, reads]))

    class Snapshot:
        snapshot_dir = tmp_path

        def assert_match(self, value: str, name: str) -> None:
            (tmp_path / name).write_text(value)

    assert_revision_snapshot(Snapshot(), renderer, "e5", "postgresql", "e5.sql")
    assert (tmp_path / "e5.sql").read_text().startswith("-- revision: e5\n")
    with pytest.raises(SnapshotError, match=r"revision r9 cannot be rendered offline for postgresql: .*r9_read_rows\.py"):
        assert_revision_snapshot(Snapshot(), renderer, "r9", "postgresql", "r9.sql")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A dialect folder with one current, one renamed, one removed and one foreign file."""
    folder = tmp_path / "postgresql"
    folder.mkdir()
    (folder / "a1_create.sql").write_text("-- revision: a1\n")
    (folder / "b2_old_name.sql").write_text("-- revision: b2\n")
    (folder / "x9_gone.sql").write_text("-- revision: x9\n")
    (folder / "notes.sql").write_text("select 1;\n")
    (folder / "README.md").write_text("not a snapshot\n")
    return folder


NAMES = {"a1": "a1_create.sql", "b2": "b2_new_name.sql"}
PATHS = {"a1": "/v/a1_create.py", "b2": "/v/b2_new_name.py"}


def test_stale_files_are_told_apart(folder: Path) -> None:
    stale = {item.path.name: item.reason for item in find_stale_snapshots(folder, NAMES, PATHS)}
    assert stale == {
        "b2_old_name.sql": "renamed, revision b2 is now b2_new_name.py",
        "x9_gone.sql": "removed, revision x9 no longer exists (or its id changed)",
        "notes.sql": "not a revision snapshot, it has no '-- revision:' header",
    }
    assert find_stale_snapshots(folder / "missing", NAMES, PATHS) == []


def test_stale_files_fail_the_check_and_stay(folder: Path) -> None:
    with pytest.raises(SnapshotError) as err:
        assert_no_stale_snapshots(folder, NAMES, PATHS, update=False, allow_deletion=False)
    message = str(err.value)
    assert "\n" not in message and "--snapshot-update --allow-snapshot-deletion" in message
    assert "b2_old_name.sql: renamed" in message and "x9_gone.sql: removed" in message
    with pytest.raises(SnapshotError, match="run pytest with --allow-snapshot-deletion"):
        assert_no_stale_snapshots(folder, NAMES, PATHS, update=True, allow_deletion=False)
    assert (folder / "x9_gone.sql").exists()


def test_update_with_deletion_allowed_deletes_them_once(folder: Path) -> None:
    with pytest.raises(SnapshotError, match="deleted snapshots"):
        assert_no_stale_snapshots(folder, NAMES, PATHS, update=True, allow_deletion=True)
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "a1_create.sql"]
    assert_no_stale_snapshots(folder, NAMES, PATHS, update=True, allow_deletion=True)
    assert_no_stale_snapshots(folder, NAMES, PATHS, update=False, allow_deletion=False)
