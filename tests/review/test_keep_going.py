"""--keep-going: a revision that cannot be rendered offline becomes a marked comment block."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.review.errors import UnrenderedRevisions

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'),
    ("b2", "a1", ('op.add_column("account", sa.Column("email", sa.String(100)))\n'
     'for row in op.get_bind().execute(sa.text("SELECT id FROM account")):\n    pass')),
    ("c3", "b2", 'op.execute("DELETE FROM account")'),
]


def render(config: Config, dialect: str | None = None, **kw: object) -> str:
    config.output_buffer = io.StringIO()
    try:
        command.upgrade(config, "heads", sql=True, dialect=dialect, **kw)  # type: ignore[arg-type]
    finally:
        written = config.output_buffer.getvalue()
    return written


def test_without_keep_going_nothing_is_written(project: Callable[..., Config]) -> None:
    config = project(HISTORY)
    with pytest.raises(CommandError, match=r"b2_revision.py:18 \(revision b2, upgrade\): iterating over the rows .*needs a live database"):
        render(config)
    assert config.output_buffer.getvalue() == ""  # type: ignore[union-attr]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mssql"])
def test_failed_revision_is_marked_and_the_rest_rendered(project: Callable[..., Config], dialect: str) -> None:
    config = project(HISTORY)
    with pytest.raises(UnrenderedRevisions, match=r"1 revision\(s\) could not be rendered offline: .*b2_revision.py \(revision b2, upgrade\)"):
        render(config, dialect, keep_going=True)
    script = config.output_buffer.getvalue()  # type: ignore[union-attr]
    assert "-- NOT RENDERED: upgrade a1 -> b2 could not be rendered offline" in script
    assert "b2_revision.py:18 (revision b2, upgrade): iterating over the rows of a statement get_bind().execute() wrote" in script
    assert "email" not in script  # what b2 emitted before it failed is dropped
    assert "DELETE FROM account" in script  # c3 still rendered
    # the script never records a revision it does not contain: no version-table change for b2
    assert "SET version_num='b2'" not in script and "VALUES ('b2')" not in script
    assert "-- Its statements are missing, and so is its version table change" in script
    assert "version_num='c3'" in script
    assert script.count("BEGIN") == script.count("COMMIT")


def test_cli_exit_status(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    result = invoke(project(HISTORY), "upgrade", "heads", "--sql", "--keep-going")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "NOT RENDERED" in result.stdout  # type: ignore[attr-defined]
    assert "FAILED: 1 revision(s) could not be rendered offline" in result.stderr  # type: ignore[attr-defined]


def test_failure_inside_autocommit_block_restores_the_transaction(project: Callable[..., Config]) -> None:
    history = [
        ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'),
        ("b2", "a1", 'with op.get_context().autocommit_block():\n    op.get_bind().execute(sa.text("SELECT 1")).scalar()'),
    ]
    config = project(history)
    with pytest.raises(UnrenderedRevisions):
        render(config, "postgresql", keep_going=True)
    script = config.output_buffer.getvalue()  # type: ignore[union-attr]
    assert script.count("BEGIN;") == script.count("COMMIT;") == 1
    assert script.index("NOT RENDERED") < script.index("COMMIT;")
    assert "version_num='b2'" not in script


def test_keep_going_with_validate_reports_both(project: Callable[..., Config], capsys: pytest.CaptureFixture[str]) -> None:
    config = project(HISTORY)
    with pytest.raises(UnrenderedRevisions):
        render(config, "postgresql", keep_going=True, validate=True)
    err = capsys.readouterr().err
    assert "validation (postgresql):" in err and "script check: the script cuts back" in err
