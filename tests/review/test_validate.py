"""sqlglot verdicts per dialect, the --validate summary, the validate_sql option and the exit status."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import ValidationFailed
from limbeck.review.validate import SQLGLOT_DIALECTS, Status, classify

SIX = ["sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle"]

#: a statement sqlglot models only as an opaque command, per dialect
OPAQUE = {
    "sqlite": "VACUUM",
    "postgresql": "DO $$ BEGIN PERFORM 1; END $$",
    "mysql": "OPTIMIZE TABLE account",
    "mariadb": "OPTIMIZE TABLE account",
    "mssql": "ALTER INDEX ix_account REBUILD",
    "oracle": "ALTER TABLE account MODIFY name NOT NULL",
}


@pytest.mark.parametrize("dialect", SIX)
def test_verdicts_on_every_dialect(dialect: str) -> None:
    verified = classify("CREATE TABLE account (id INTEGER NOT NULL, name VARCHAR(50))", dialect)
    assert verified.status is Status.VERIFIED and verified.detail == "Create"
    assert classify(OPAQUE[dialect], dialect).status is Status.UNVERIFIED
    invalid = classify("CREATE TABLE (id INTEGER", dialect)
    assert invalid.status is Status.INVALID and invalid.detail


def test_dialect_mapping_is_the_documented_one() -> None:
    assert SQLGLOT_DIALECTS == {
        "sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql",
        "mssql": "tsql", "oracle": "oracle",
    }


def test_two_statements_in_one_text_are_not_verified() -> None:
    verdict = classify("DELETE FROM a; DELETE FROM b", "postgresql")
    assert verdict.status is Status.UNVERIFIED and "2 statements" in verdict.detail


def test_unknown_dialect_is_unverified() -> None:
    assert classify("SELECT 1", "firebird").status is Status.UNVERIFIED


@pytest.mark.parametrize("dialect", SIX)
def test_project_validates_on_every_dialect(
    project: Callable[..., Config], dialect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate=True, dialect=dialect)
    err = capsys.readouterr().err
    assert f"validation ({dialect}): " in err
    assert "invalid" not in err and "unverified" not in err
    assert "script check: the script cuts back into its" in err
    assert "revision b2 (" in err
    assert "CREATE TABLE account" in config.output_buffer.getvalue()


BROKEN = [
    ("a1", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("t")'),
    ("b2", "a1", 'op.execute("CREATE TABLE oops (id INTEGER")\nop.execute("VACUUM")', "pass"),
]


def test_invalid_statement_fails_after_the_script_is_written(
    project: Callable[..., Config], capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(BROKEN)
    config.output_buffer = io.StringIO()
    with pytest.raises(ValidationFailed, match=r"1 invalid statement: .*b2_revision.py \(revision b2, upgrade\)"):
        command.upgrade(config, "heads", sql=True, validate=True)
    assert "CREATE TABLE oops (id INTEGER" in config.output_buffer.getvalue()
    err = capsys.readouterr().err
    assert "validation (sqlite): 6 statements: 4 verified, 1 unverified, 1 invalid" in err
    assert "invalid: " in err and "ExecuteSQLOp: 'CREATE TABLE oops (id INTEGER'" in err
    assert "unverified: " in err and "'VACUUM'" in err


def test_config_option_always_validates(project: Callable[..., Config], capsys: pytest.CaptureFixture[str]) -> None:
    config = project(BROKEN)
    config.set_main_option("validate_sql", "true")
    config.output_buffer = io.StringIO()
    with pytest.raises(ValidationFailed):
        command.upgrade(config, "heads", sql=True)
    assert "validation (sqlite)" in capsys.readouterr().err
    # online runs are not validated (nothing is rendered)
    config.set_main_option("validate_sql", "false")
    command.upgrade(config, "heads", sql=True)


def test_cli_exit_status_stdout_and_stderr(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    config = project(BROKEN)
    result = invoke(config, "upgrade", "heads", "--sql", "--validate")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "CREATE TABLE oops (id INTEGER" in result.stdout  # type: ignore[attr-defined]
    assert "validation (sqlite)" not in result.stdout  # type: ignore[attr-defined]
    assert "validation (sqlite)" in result.stderr  # type: ignore[attr-defined]
    assert "FAILED: 1 invalid statement" in result.stderr  # type: ignore[attr-defined]
    good = invoke(project(), "upgrade", "heads", "--sql", "--validate")
    assert good.exit_code == 0, good.output  # type: ignore[attr-defined]


def test_validate_needs_sql(project: Callable[..., Config]) -> None:
    from limbeck.errors import CommandError

    with pytest.raises(CommandError, match="--validate works on the offline script and needs --sql"):
        command.upgrade(project(), "heads", validate=True)
