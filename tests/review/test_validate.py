"""Verdicts per dialect and judge, the --validate summary, the validate_sql option and the exit status."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.dialects import KNOWN_DIALECTS, behaviour_class
from limbeck.review import validate as v
from limbeck.review.errors import ValidationFailed
from limbeck.review.execute_check import run_sqlite
from limbeck.review.validate import Status, classify

SIX = ["sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle"]

#: a statement sqlglot models only as an opaque command, per dialect (sqlglot judges these)
OPAQUE = {
    "mysql": "OPTIMIZE TABLE account",
    "mariadb": "OPTIMIZE TABLE account",
    "mssql": "ALTER INDEX ix_account REBUILD",
    "oracle": "ALTER TABLE account MODIFY name NOT NULL",
}


@pytest.fixture
def no_pglast(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if the postgresql extra were not installed."""
    monkeypatch.setattr(v, "pglast_available", lambda: False)
    yield


@pytest.mark.parametrize("dialect", SIX)
def test_per_statement_verdicts(dialect: str) -> None:
    good = classify("CREATE TABLE account (id INTEGER NOT NULL, name VARCHAR(50))", dialect)
    if dialect == "postgresql":
        assert (good.status, good.judge, good.label) == (Status.PARSED, "pglast", "parsed (pglast)")
    else:
        assert good.label == "parsed (sqlglot, lenient)" and good.detail == "Create"
    if dialect in OPAQUE:
        assert classify(OPAQUE[dialect], dialect).label == "not checked"
    invalid = classify("CREATE TABLE (id INTEGER", dialect)
    assert invalid.status is Status.INVALID and invalid.detail


@pytest.mark.parametrize("dialect", SIX)
def test_a_misspelled_keyword_is_never_called_checked(dialect: str) -> None:
    # issue 16: ALTER TABEL passed everywhere as "unverified"; nothing may call it parsed or executed
    text = "ALTER TABEL account ADD COLUMN x INTEGER"
    verdict = run_sqlite([text])[0] if dialect == "sqlite" else classify(text, dialect)
    if dialect in ("postgresql", "sqlite"):
        assert verdict.status is Status.INVALID and "TABEL" in verdict.detail
    else:
        assert verdict.status in (Status.INVALID, Status.NOT_CHECKED)


def test_pglast_reads_plpgsql_bodies() -> None:
    assert classify("DO $$ BEGIN PERFORM 1; END $$", "postgresql").label == "parsed (pglast)"
    bad = classify("DO $$ BEGIN PERFRM 1; END $$", "postgresql")
    assert bad.status is Status.INVALID and bad.detail.startswith("PL/pgSQL: ")
    sql_function = "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$"
    assert classify(sql_function, "postgresql").status is Status.PARSED


def test_without_pglast_sqlglot_judges_postgresql(no_pglast: None) -> None:
    verdict = classify("ALTER TABLE account ADD COLUMN x INTEGER", "postgresql")
    assert verdict.label == "parsed (sqlglot, lenient)"
    assert classify("DO $$ BEGIN PERFORM 1; END $$", "postgresql").label == "not checked"


def test_sqlite_engine_checks_names_and_order() -> None:
    verdicts = run_sqlite([
        "CREATE TABLE t (id INTEGER PRIMARY KEY)",
        "ALTER TABLE t ADD COLUMN name VARCHAR(10)",
        "ALTER TABLE missing ADD COLUMN x INTEGER",
        "CREATE INDEX ix ON t (nope)",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET name = 'x'; END",
        "VACUUM",
    ])
    assert [x.label for x in verdicts] == [
        "executed (sqlite)", "executed (sqlite)", "invalid", "invalid", "executed (sqlite)", "executed (sqlite)",
    ]
    assert "no such table: missing" in verdicts[2].detail and "no such column: nope" in verdicts[3].detail
    # the prelude builds what the range starts from
    assert run_sqlite(["ALTER TABLE t ADD COLUMN y INTEGER"], ["CREATE TABLE t (id INTEGER)"])[0].status is Status.EXECUTED


def test_sqlite_engine_touches_no_file(tmp_path: object) -> None:
    import pathlib

    target = pathlib.Path(str(tmp_path)) / "x.db"
    verdicts = run_sqlite([f"ATTACH DATABASE '{target}' AS x", f"VACUUM INTO '{target}'"])
    assert [x.label for x in verdicts] == ["not checked", "not checked"]
    assert not target.exists()


def test_dialect_mapping_is_the_documented_one() -> None:
    assert {name: behaviour_class(name).sqlglot_dialect for name in KNOWN_DIALECTS} == {
        "sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql",
        "mssql": "tsql", "oracle": "oracle",
    }


def test_two_statements_in_one_text_are_not_checked_by_sqlglot() -> None:
    verdict = classify("DELETE FROM a; DELETE FROM b", "mysql")
    assert verdict.status is Status.NOT_CHECKED and "2 statements" in verdict.detail
    assert classify("DELETE FROM a; DELETE FROM b", "postgresql").status is Status.PARSED


def test_a_parser_that_breaks_leaves_the_statement_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> v.Verdict:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(v, "pglast_verdict", broken)
    verdict = classify("SELECT 1", "postgresql")
    assert verdict.label == "not checked" and "pglast failed on it: RecursionError" in verdict.detail


def test_unknown_dialect_is_not_checked() -> None:
    assert classify("SELECT 1", "firebird").status is Status.NOT_CHECKED


@pytest.mark.parametrize("dialect", SIX)
def test_project_validates_on_every_dialect(
    project: Callable[..., Config], dialect: str, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    config = project()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate=True, dialect=dialect)
    err = capsys.readouterr().err
    assert f"validation ({dialect}): " in err
    assert "invalid" not in err and "not checked" not in err and "verified" not in err
    expected = {"sqlite": "executed (sqlite)"}.get(dialect, "parsed (sqlglot, lenient)")
    if dialect == "postgresql":
        # the revisions ran on a temporary server; env.py's BEGIN/COMMIT, stood in for by the
        # rolled-back transaction, keep the parser's verdict
        expected = f"executed ({request.getfixturevalue('temporary_pg')})"
        assert "env.py: 2 parsed (pglast)" in err
    assert f" {expected}" in err
    assert "script check: the script cuts back into its" in err
    assert "revision b2 (" in err
    assert "CREATE TABLE account" in config.output_buffer.getvalue()


def test_a_range_after_base_is_executed_on_the_schema_before_it(
    project: Callable[..., Config], capsys: pytest.CaptureFixture[str]
) -> None:
    config = project()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "a1:heads", sql=True, validate=True)
    err = capsys.readouterr().err
    assert "invalid" not in err and "executed (sqlite)" in err
    # the same range, downgraded
    command.downgrade(config, "c3:a1", sql=True, validate=True)
    assert "invalid" not in capsys.readouterr().err


def test_postgresql_falls_back_to_sqlglot_and_says_so(
    project: Callable[..., Config], no_pglast: None, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate=True, dialect="postgresql")
    err = capsys.readouterr().err
    assert "parsed (sqlglot, lenient)" in err and "pglast is not installed" in err


BROKEN = [
    ("a1", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("t")'),
    ("b2", "a1", 'op.execute("CREATE TABLE oops (id INTEGER")\nop.execute("ANALYZE nowhere")', "pass"),
]


def test_invalid_statement_fails_after_the_script_is_written(
    project: Callable[..., Config], capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(BROKEN)
    config.output_buffer = io.StringIO()
    with pytest.raises(ValidationFailed, match=r"2 invalid statements: .*b2_revision.py:17 \(revision b2, upgrade\)"):
        command.upgrade(config, "heads", sql=True, validate=True)
    assert "CREATE TABLE oops (id INTEGER" in config.output_buffer.getvalue()
    err = capsys.readouterr().err
    assert "validation (sqlite): 6 statements: 4 executed (sqlite), 2 invalid" in err
    assert "invalid: " in err and "ExecuteSQLOp: 'CREATE TABLE oops (id INTEGER'" in err
    assert "no such table: nowhere" in err


def test_config_option_always_validates(project: Callable[..., Config], capsys: pytest.CaptureFixture[str]) -> None:
    config = project(BROKEN)
    config.set_main_option("validate_sql", "true")
    config.output_buffer = io.StringIO()
    with pytest.raises(ValidationFailed):
        command.upgrade(config, "heads", sql=True)
    assert "validation (sqlite)" in capsys.readouterr().err
    config.set_main_option("validate_sql", "false")
    command.upgrade(config, "heads", sql=True)


def test_cli_exit_status_stdout_and_stderr(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    config = project(BROKEN)
    result = invoke(config, "upgrade", "heads", "--sql", "--validate")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "CREATE TABLE oops (id INTEGER" in result.stdout  # type: ignore[attr-defined]
    assert "validation (sqlite)" not in result.stdout  # type: ignore[attr-defined]
    assert "validation (sqlite)" in result.stderr  # type: ignore[attr-defined]
    assert "FAILED: 2 invalid statements" in result.stderr  # type: ignore[attr-defined]
    good = invoke(project(), "upgrade", "heads", "--sql", "--validate")
    assert good.exit_code == 0, good.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("flag", ["validate", "validate_on"])
def test_validate_needs_sql(project: Callable[..., Config], flag: str) -> None:
    from limbeck.errors import CommandError

    value: object = True if flag == "validate" else "postgresql://x/y"
    with pytest.raises(CommandError, match="works on the offline script and needs --sql"):
        command.upgrade(project(), "heads", **{flag: value})  # type: ignore[arg-type]


def test_a_revision_before_the_range_that_cannot_be_rendered_stops_validation(project: Callable[..., Config]) -> None:
    """The schema the range starts from would lack what it makes: no verdict is given on another database
    (it said '2 executed'; found by an audit of the review tools)."""
    from limbeck.errors import CommandError

    history = [
        ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'),
        ("b2", "a1", 'op.get_bind().execute(sa.text("SELECT count(*) FROM account")).scalar()\n'
                     'op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True))'),
        ("c3", "b2", 'op.create_index("ix_orders_id", "orders", ["id"])'),
    ]
    config = project(history)
    config.output_buffer = io.StringIO()
    with pytest.raises(CommandError, match="cannot build the schema the range starts from: revision b2"):
        command.upgrade(config, "b2:c3", sql=True, validate=True)
