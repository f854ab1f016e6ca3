"""--validate-on URL / validate_url: the whole script runs on the suite's real PostgreSQL and MariaDB."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError
from limbeck.review.errors import ValidationFailed

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))',
     'op.drop_table("account")'),
    ("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))\nop.execute("UPDATE account SET name = \'50%\'")',
     'op.drop_column("account", "email")'),
]

#: parses everywhere, fails on the database: the column does not exist
WRONG_COLUMN = ("c3", "b2", 'op.create_index("ix_nope", "account", ["nope"])', 'op.drop_index("ix_nope", table_name="account")')


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _run(config: Config, rev_range: str, dialect: str, url: str, downgrade: bool = False) -> None:
    config.output_buffer = io.StringIO()
    fn = command.downgrade if downgrade else command.upgrade
    fn(config, rev_range, sql=True, dialect=dialect, validate_on=url)


@pytest.mark.postgresql
def test_postgresql_scratch_runs_everything_and_keeps_nothing(
    project: Callable[..., Config], pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(HISTORY)
    _run(config, "heads", "postgresql", pg_url)
    err = capsys.readouterr().err
    assert "invalid" not in err
    # every statement ran, in one transaction; the script's own BEGIN/COMMIT (env.py's) are
    # stood in for by that transaction, so they keep the parser's verdict
    assert "revision a1 (" in err and err.count(": 3 executed (scratch postgresql)") == 2
    assert "env.py: 2 parsed (pglast)" in err
    assert _tables(pg_url) == []  # rolled back
    # a range after base runs on the schema the earlier revisions build
    _run(config, "a1:heads", "postgresql", pg_url)
    assert "invalid" not in capsys.readouterr().err
    _run(config, "b2:base", "postgresql", pg_url, downgrade=True)
    assert "invalid" not in capsys.readouterr().err
    assert _tables(pg_url) == []


@pytest.mark.postgresql
def test_postgresql_scratch_reports_the_first_failure_with_file_and_line(
    project: Callable[..., Config], pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project([*HISTORY, WRONG_COLUMN])
    with pytest.raises(ValidationFailed, match=r"1 invalid statement: .*c3_revision.py:17 \(revision c3, upgrade\): "
                       r"scratch postgresql: .*column \"nope\" does not exist"):
        _run(config, "heads", "postgresql", pg_url)
    err = capsys.readouterr().err
    assert "stopped at the first failing statement; 2 statement(s) after it were not run" in err
    # the same statement, without a scratch database nor a temporary server, is only parsed
    config.set_main_option("validate_temporary_server", "false")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, dialect="postgresql", validate=True)
    err = capsys.readouterr().err
    assert "invalid" not in err
    assert "no temporary PostgreSQL: turned off (validate_temporary_server = false in " in err
    assert _tables(pg_url) == []


@pytest.mark.postgresql
def test_postgresql_autocommit_block_runs_on_a_database_of_its_own(
    project: Callable[..., Config], pg_url: str, postgresql_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    concurrent = ("c3", "b2", ('with op.get_context().autocommit_block():\n'
                  '    op.create_index("ix_name", "account", ["name"], postgresql_concurrently=True)'), "pass")
    config = project([*HISTORY, concurrent])
    _run(config, "heads", "postgresql", pg_url)
    err = capsys.readouterr().err
    assert "invalid" not in err and "executed (scratch postgresql)" in err
    with postgresql_server.admin.connect() as conn:  # type: ignore[attr-defined]
        left = conn.exec_driver_sql("SELECT datname FROM pg_database WHERE datname LIKE 'limbeck_scratch_%%'").all()
    assert left == [] and _tables(pg_url) == []


@pytest.mark.mariadb
def test_mariadb_scratch_uses_a_database_created_and_dropped(
    project: Callable[..., Config], mariadb_url: str, mariadb_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(HISTORY)
    _run(config, "heads", "mariadb", mariadb_url)
    err = capsys.readouterr().err
    assert "executed (scratch mariadb)" in err and "invalid" not in err
    config = project([*HISTORY, WRONG_COLUMN])
    with pytest.raises(ValidationFailed, match=r"c3_revision.py:17 .*scratch mariadb: .*nope"):
        _run(config, "heads", "mariadb", mariadb_url)
    # a MySQL script may be checked on MariaDB (the configured URL often says mysql)
    _run(project(HISTORY), "heads", "mysql", mariadb_url)
    assert "executed (scratch mariadb)" in capsys.readouterr().err
    with mariadb_server.admin.connect() as conn:  # type: ignore[attr-defined]
        left = conn.exec_driver_sql("SHOW DATABASES LIKE 'limbeck_scratch_%%'").all()
    assert left == [] and _tables(mariadb_url) == []


@pytest.mark.postgresql
def test_validate_url_in_the_config(project: Callable[..., Config], pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = project(HISTORY)
    config.set_main_option("validate_url", pg_url)
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate=True, dialect="postgresql")
    assert "executed (scratch postgresql)" in capsys.readouterr().err


@pytest.mark.postgresql
def test_scratch_database_of_another_kind_is_refused(project: Callable[..., Config], pg_url: str) -> None:
    with pytest.raises(CommandError, match=r"^--validate-on postgresql\+psycopg://.*: is a postgresql database; the script is for mysql$"):
        _run(project(HISTORY), "heads", "mysql", pg_url)


def test_unreachable_or_unknown_url_is_one_line(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    config = project(HISTORY)
    with pytest.raises(CommandError, match=r"^--validate-on nosuchdb://x: cannot use it: "):
        _run(config, "heads", "postgresql", "nosuchdb://x")
    with pytest.raises(CommandError, match=r"^--validate-on sqlite:///.*: SQLite needs no scratch database"):
        _run(config, "heads", "sqlite", "sqlite:///x.db")
    result = invoke(config, "upgrade", "heads", "--sql", "--dialect", "postgresql",
                    "--validate-on", "postgresql+psycopg://u:secret@127.0.0.1:1/x")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "cannot connect" in result.output and "secret" not in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_a_commit_inside_a_longer_text_is_not_run_on_the_scratch_database(
    project: Callable[..., Config], pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``op.execute("INSERT ...; COMMIT")`` committed the validation's one transaction into the scratch database
    (the table and its row stayed there); it is 'not run', as a COMMIT alone is (found by an audit of the review tools)."""
    history = [
        ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))'),
        ("b2", "a1", 'op.execute("INSERT INTO account (name) VALUES (\'kept\'); COMMIT")'),
    ]
    config = project(history)
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate_on=pg_url, dialect="postgresql")
    err = capsys.readouterr().err
    assert "not run: a COMMIT written as SQL ends or opens a transaction" in err
    assert "account" not in sa.inspect(sa.create_engine(pg_url, poolclass=sa.pool.NullPool)).get_table_names()
