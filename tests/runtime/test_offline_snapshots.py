"""Golden offline scripts: the fixture history (branch point, merge, depends_on,
second base) rendered for every dialect, reviewed as snapshot files.

These go through limbeck's own pytest plugin, as a user's suite would: the
plugin's ``limbeck_sql`` fixture renders the project that ``limbeck_config``
(overridden below) names, and the per-revision files are the plugin's
snapshot check run on this history. Whole scripts live in
``snapshots/offline/<dialect>/<scenario>.sql``, per-revision files in
``snapshots/offline/revisions/<dialect>/``.

Update with ``pytest tests/runtime/test_offline_snapshots.py --snapshot-update``
(``--allow-snapshot-deletion`` when revisions go) and review the diff like code.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.dialects import KNOWN_DIALECTS
from limbeck.testing import MigrationRenderer
from limbeck.testing.snapshots import (
    assert_no_stale_snapshots,
    assert_revision_snapshot,
    snapshot_names,
)
from tests.sqlalchemy_facts import RecordedOn2_1

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots" / "offline"
REVISIONS = SNAPSHOTS / "revisions"

SCENARIOS: dict[str, tuple[str, str, dict[str, Any]]] = {
    # name: (command, revision argument, extra env.py configure() arguments)
    "upgrade_base_to_heads": ("upgrade", "heads", {}),
    "upgrade_base_to_heads_per_migration": ("upgrade", "heads", {"transaction_per_migration": True}),
    "upgrade_range_b2_to_e5": ("upgrade", "b2:e5", {}),
    "downgrade_e5_to_base": ("downgrade", "e5:base", {}),
    "downgrade_g7_to_base_per_migration": ("downgrade", "g7:base", {"transaction_per_migration": True}),
    "stamp_heads": ("stamp", "heads", {}),
}


def configure_edit(configure: dict[str, Any]) -> Callable[[str], str]:
    """An env.py edit passing ``configure`` to the offline ``context.configure()``."""
    extra = "".join(f"        {k}={v!r},\n" for k, v in configure.items())

    def edit(env: str) -> str:
        return env.replace("        literal_binds=True,\n", "        literal_binds=True,\n" + extra)

    return edit


@pytest.fixture
def scenario() -> str | None:
    """No scenario: the project's env.py as ``init`` wrote it (parametrized tests override this)."""
    return None


@pytest.fixture
def limbeck_config(make_project: Callable[..., Config], scenario: str | None) -> Config:
    """The plugin's project fixture, pointed at the fixture history (env.py edited per scenario)."""
    configure = SCENARIOS[scenario][2] if scenario else {}
    return make_project(env_edit=configure_edit(configure))


def render(sql: MigrationRenderer, cmd: str, rev: str, dialect: str) -> str:
    if cmd != "stamp":
        return str(getattr(sql, cmd)(rev, dialect))
    # stamping runs no revision code; the renderer covers upgrade and downgrade only
    buffer = io.StringIO()
    sql.config.output_buffer = buffer
    try:
        command.stamp(sql.config, rev, sql=True, dialect=dialect)
    finally:
        sql.config.output_buffer = None
    return buffer.getvalue()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("dialect", KNOWN_DIALECTS)
def test_offline_script(limbeck_sql: MigrationRenderer, snapshot: Any, dialect: str, scenario: str) -> None:
    cmd, rev, _ = SCENARIOS[scenario]
    snapshot = RecordedOn2_1(snapshot, dialect)
    snapshot.snapshot_dir = SNAPSHOTS / dialect
    snapshot.assert_match(render(limbeck_sql, cmd, rev, dialect), f"{scenario}.sql")


@pytest.mark.parametrize("dialect", KNOWN_DIALECTS)
def test_revision_snapshots(limbeck_sql: MigrationRenderer, snapshot: Any, request: pytest.FixtureRequest, dialect: str) -> None:
    """The plugin's ready-made check, on a history with a merge, a second base and depends_on."""
    scripts = limbeck_sql.upgrade_order()
    names = snapshot_names(scripts)
    folder = REVISIONS / dialect
    snapshot = RecordedOn2_1(snapshot, dialect)
    snapshot.snapshot_dir = folder
    for script in scripts:
        assert_revision_snapshot(snapshot, limbeck_sql, script.revision, dialect, names[script.revision])
    option = request.config.option
    assert_no_stale_snapshots(
        folder, names, {s.revision: s.path for s in scripts},
        update=bool(option.snapshot_update), allow_deletion=bool(option.allow_snapshot_deletion),
    )


def test_scripts_are_deterministic(make_project: Callable[..., Config]) -> None:
    first = MigrationRenderer(make_project()).upgrade("heads", "postgresql")
    second = MigrationRenderer(make_project()).upgrade("heads", "postgresql")
    assert first == second and "COMMIT;" in first


def test_print_output_lands_in_the_stream_where_printed(make_project: Callable[..., Config]) -> None:
    history = [("p1", None, None, None, 'op.execute("SELECT 1")\nprint("-- note from p1")\nop.execute("SELECT 2")', "pass")]
    config = make_project(history=history)
    buffer = io.StringIO()
    config.output_buffer = buffer
    command.upgrade(config, "head", sql=True, dialect="sqlite")
    out = buffer.getvalue()
    assert out.index("SELECT 1;") < out.index("-- note from p1\n") < out.index("SELECT 2;")


def test_failed_offline_run_writes_nothing(make_project: Callable[..., Config]) -> None:
    from limbeck.errors import CommandError

    history = [
        ("p1", None, None, None, 'op.execute("SELECT 1")', "pass"),
        ("p2", "p1", None, None, 'op.execute("SELECT 2")\nraise RuntimeError("broken revision")', "pass"),
    ]
    config = make_project(history=history)
    buffer = io.StringIO()
    config.output_buffer = buffer
    with pytest.raises(CommandError, match="p2_revision.py.*broken revision"):
        command.upgrade(config, "head", sql=True, dialect="postgresql")
    assert buffer.getvalue() == ""
