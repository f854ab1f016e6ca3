"""Golden offline scripts: the fixture history (branch point, merge, depends_on,
second base) rendered for every dialect, reviewed as snapshot files.

Update with ``pytest tests/runtime/test_offline_snapshots.py --snapshot-update``
and review the diff like code.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.dialects import KNOWN_DIALECTS

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots" / "offline"

SCENARIOS: dict[str, tuple[str, str, dict[str, Any]]] = {
    # name: (command, revision argument, extra env.py configure() arguments)
    "upgrade_base_to_heads": ("upgrade", "heads", {}),
    "upgrade_base_to_heads_per_migration": ("upgrade", "heads", {"transaction_per_migration": True}),
    "upgrade_range_b2_to_e5": ("upgrade", "b2:e5", {}),
    "downgrade_e5_to_base": ("downgrade", "e5:base", {}),
    "downgrade_g7_to_base_per_migration": ("downgrade", "g7:base", {"transaction_per_migration": True}),
    "stamp_heads": ("stamp", "heads", {}),
}


def render(make_project: Callable[..., Config], dialect: str, cmd: str, rev: str, configure: dict[str, Any]) -> str:
    extra = "".join(f"        {k}={v!r},\n" for k, v in configure.items())

    def edit(env: str) -> str:
        return env.replace("        literal_binds=True,\n", "        literal_binds=True,\n" + extra)

    config = make_project(env_edit=edit)
    buffer = io.StringIO()
    config.output_buffer = buffer
    getattr(command, cmd)(config, rev, sql=True, dialect=dialect)
    return buffer.getvalue()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("dialect", KNOWN_DIALECTS)
def test_offline_script(make_project: Callable[..., Config], snapshot: Any, dialect: str, scenario: str) -> None:
    cmd, rev, configure = SCENARIOS[scenario]
    snapshot.snapshot_dir = SNAPSHOTS / dialect
    snapshot.assert_match(render(make_project, dialect, cmd, rev, configure), f"{scenario}.sql")


def test_scripts_are_deterministic(make_project: Callable[..., Config]) -> None:
    first = render(make_project, "postgresql", "upgrade", "heads", {})
    second = render(make_project, "postgresql", "upgrade", "heads", {})
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
