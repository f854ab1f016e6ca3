"""The whole-script check: cut at terminators and separator lines, compare with the stream."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review import script_check
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.errors import ValidationFailed
from limbeck.review.script_check import Dialect, check_script, cut_script, statements

PG = Dialect.of("postgresql")
MSSQL = Dialect.of("mssql", ";", "GO")
ORACLE = Dialect.of("oracle", "", "/")
MYSQL = Dialect.of("mysql")
SQLITE = Dialect.of("sqlite")


@pytest.mark.parametrize(
    "dialect, script, expected",
    [
        (PG, "A;\n\n-- Running x\n\nINSERT INTO t VALUES ('a;b');\n\n", ["A", "INSERT INTO t VALUES ('a;b')"]),
        (PG, "DO $g$ BEGIN PERFORM 1; END $g$;\n\n", ["DO $g$ BEGIN PERFORM 1; END $g$"]),
        (PG, "SELECT 'it''s;';\n\n/* a; b */ B;\n\n", ["SELECT 'it''s;'", "/* a; b */ B"]),
        (MYSQL, "INSERT INTO t VALUES ('it\\'s;');\n\nB;\n\n", ["INSERT INTO t VALUES ('it\\'s;')", "B"]),
        (MSSQL, "BEGIN TRANSACTION;\n\nA;\n\nGO\n\nCOMMIT;\n\nGO\n\n", ["BEGIN TRANSACTION", "A", "COMMIT"]),
        (MSSQL, "SELECT [a;b] FROM t;\n\nGO\n\n", ["SELECT [a;b] FROM t"]),
        (ORACLE, "CREATE TABLE a (x INT)\n\n/\n\nBEGIN x; END;\n\n/\n\n", ["CREATE TABLE a (x INT)", "BEGIN x; END;"]),
    ],
)
def test_cut_respects_literals_comments_and_separators(dialect: Dialect, script: str, expected: list[str]) -> None:
    assert statements(cut_script(script, dialect)) == expected


def test_separator_line_inside_a_literal_still_cuts() -> None:
    # sqlcmd sends the batch at a GO line whatever quote is open
    assert statements(cut_script("INSERT INTO t VALUES ('a\nGO\nb');\n\nGO\n\n", MSSQL)) == ["INSERT INTO t VALUES ('a", "b');"]


@pytest.mark.parametrize("dialect", [PG, MYSQL, SQLITE, MSSQL])
def test_double_terminator_is_not_a_statement(dialect: Dialect) -> None:
    # psql, mysql/mariadb, sqlite3 and sqlcmd all accept an empty statement
    assert statements(cut_script("DELETE FROM t;;\n\nB;\n\n", dialect)) == ["DELETE FROM t", "B"]


@pytest.mark.parametrize(
    "dialect, script, expected",
    [
        (MYSQL, "SELECT `a;b` FROM t;\n\nB;", ["SELECT `a;b` FROM t", "B"]),
        (MYSQL, "SELECT 1 # note; more\n;\n\nB;", ["SELECT 1 # note; more", "B"]),
        (MYSQL, "SELECT 1 --1;\n\nB;", ["SELECT 1 --1", "B"]),  # "--1" is not a comment in MySQL
        (PG, "SELECT E'it\\'s;';\n\nB;", ["SELECT E'it\\'s;'", "B"]),
        (PG, "SELECT 'a\\';\n\nB;", ["SELECT 'a\\'", "B"]),  # no E: the backslash is a character
        (SQLITE, "SELECT [a;b], `c;d` FROM t;\n\nB;", ["SELECT [a;b], `c;d` FROM t", "B"]),
        # mysql's DELIMITER lines
        (MYSQL, "A;\n\nDELIMITER //\nCREATE PROCEDURE p() BEGIN x; y; END\n//\nDELIMITER ;\n\nB;\n\n",
         ["A", "CREATE PROCEDURE p() BEGIN x; y; END", "B"]),
        # after the progress comment, as limbeck writes it; # comments and "-- " lines count as blank
        (MYSQL, "-- Running upgrade a -> b\n\n# note\nDELIMITER $$\nX; Y\n$$\n  delimiter ;\nZ;",
         ["X; Y", "Z"]),
        # not where a statement has begun, nor inside a literal: the client sends it on
        (MYSQL, "SELECT 1\nDELIMITER //\n;\n\nSELECT 'x\nDELIMITER //\n';", ["SELECT 1\nDELIMITER //", "SELECT 'x\nDELIMITER //\n'"]),
        (PG, "DELIMITER //\nA;", ["DELIMITER //\nA"]),  # psql has no such command
    ],
)
def test_client_quoting_rules(dialect: Dialect, script: str, expected: list[str]) -> None:
    assert statements(cut_script(script, dialect)) == expected


TRIGGER = (
    "CREATE TRIGGER trg AFTER INSERT ON account BEGIN\n"
    "    UPDATE account SET name = CASE WHEN new.id > 0 THEN 'x;' ELSE 'y' END WHERE id = new.id;\n"
    "    UPDATE account SET name = 'z' WHERE id = new.id;\n"
    "END"
)


# what psql 15 was seen to send (psql -e), statement by statement
_ROUTINES = (
    "CREATE FUNCTION f1() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\n"
    "SELECT 'after1';\n"
    "CREATE OR REPLACE PROCEDURE p1() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END;\n"
    "CREATE FUNCTION f2(x int) RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; SELECT 3;\n"
    "BEGIN; SELECT 4; COMMIT;\n"
    "CREATE FUNCTION f3() RETURNS int LANGUAGE sql RETURN (SELECT CASE WHEN true THEN 1 END); SELECT 5;\n"
    "CREATE FUNCTION f4() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 /* end; */; SELECT length('end;'); END;\n"
    "CREATE FUNCTION f5(begin int) RETURNS int LANGUAGE sql RETURN 1; SELECT 7;\n"
    "create function f6() returns int language sql begin atomic select case when true then case when false then 1 "
    "end end; select 2; end; select 8;\n"
)


def test_psql_keeps_a_routines_begin_atomic_block_whole() -> None:
    assert [s.split()[2] if s.upper().startswith("CREATE") else s for s in statements(cut_script(_ROUTINES, PG))] == [
        "f1()", "SELECT 'after1'", "REPLACE", "f2(x", "SELECT 3", "BEGIN", "SELECT 4", "COMMIT", "f3()", "SELECT 5",
        "f4()", "f5(begin", "SELECT 7", "f6()", "select 8",
    ]
    # mysql has no such rule (its client needs DELIMITER), nor does the default
    assert len(statements(cut_script("CREATE FUNCTION f() BEGIN ATOMIC SELECT 1; SELECT 2; END;", MYSQL))) == 3


def test_sqlite_trigger_body_is_one_statement() -> None:
    script = f"-- Running upgrade\n\n{TRIGGER};\n\nDELETE FROM account;\n\n"
    assert statements(cut_script(script, SQLITE)) == [TRIGGER, "DELETE FROM account"]
    # psql has no such rule: the same text is three statements there
    assert len(statements(cut_script(script, PG))) == 4


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle"])
def test_rendered_script_cuts_back_into_its_stream(project: Callable[..., Config], dialect: str) -> None:
    cap = capture(project(), RevisionRange(), dialect=dialect)
    result = check_script(cap.script, cap.records)
    assert result.ok, result.problem
    assert result.expected == result.found > 5
    # the recorder's chunks are exactly what the emitter wrote
    assert "".join(c for r in cap.records for c in r.chunks) == cap.script


@pytest.mark.parametrize(
    "dialect, body, problem",
    [
        ("mssql", 'op.execute("INSERT INTO account (name) VALUES (\'a\\nGO\\nb\')")', "at statement"),
        ("oracle", 'op.execute("INSERT INTO account (name) VALUES (\'a\\n/\\nb\')")', "at statement"),
        ("postgresql", 'op.execute("UPDATE account SET name = \'x\' -- done;")', "at statement"),
        ("postgresql", 'op.get_context().static_output("hello from the revision")', "'hello from the revision'"),
        # a text naming a stored program: its body may be cut apart, so the check refuses it and says why
        ("mysql", 'op.execute("UPDATE account SET name = \'function\';\\n    UPDATE account SET name = 2;")',
         "the client ends a statement at a ';' inside that one"),
    ],
)
def test_broken_scripts_are_caught(
    project: Callable[..., Config], dialect: str, body: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    history = [
        ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))'),
        ("b2", "a1", body),
        ("c3", "b2", 'op.execute("DELETE FROM account")'),
    ]
    config = project(history)
    cap = capture(config, RevisionRange(), dialect=dialect)
    result = check_script(cap.script, cap.records)
    assert not result.ok
    assert problem in str(result.problem)
    config.output_buffer = io.StringIO()
    with pytest.raises(ValidationFailed, match="does not cut back into its statements"):
        command.upgrade(config, "heads", sql=True, validate=True, dialect=dialect)
    assert "script check FAILED" in capsys.readouterr().err


_SEVERAL = (
    'op.execute("""\n        UPDATE account SET name = \'a;b\';\n        -- the second\n'
    '        UPDATE account SET name = \'c\';\n    """)\n'
    'op.execute("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; '
    'COMMENT ON FUNCTION f() IS \'one; two\'")'
)


def _several_history() -> list[tuple[str, str | None, str]]:
    return [
        ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))'),
        ("b2", "a1", _SEVERAL),
        ("c3", "b2", 'op.execute("DELETE FROM account")'),
    ]


def test_several_statements_in_one_text_pass_where_postgresql_reads_them(
    project: Callable[..., Config], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # indico's history writes several UPDATEs / ALTER TABLE ... DISABLE TRIGGER in one text:
    # psql runs them one by one, PostgreSQL's parser reads the text as exactly those statements
    config = project(_several_history())
    cap = capture(config, RevisionRange(), dialect="postgresql")
    result = check_script(cap.script, cap.records)
    assert result.ok, result.problem
    assert result.found == result.expected == len(statements(cut_script(cap.script, PG)))
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, validate=True, dialect="postgresql")
    err = capsys.readouterr().err
    assert "script check: the script cuts back into its" in err and "WARNING" not in err
    command.sql(config, None, str(tmp_path / "out"), dialect=["postgresql"])
    written = (tmp_path / "out" / "postgresql" / "upgrade.sql").read_text()
    assert "COMMENT ON FUNCTION f() IS 'one; two'" in written


def test_several_statements_are_refused_without_the_parser(
    project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    # no pglast (the postgresql extra): nothing confirms the pieces, the script is refused as before
    monkeypatch.setitem(sys.modules, "pglast", None)
    cap = capture(project(_several_history()), RevisionRange(), dialect="postgresql")
    result = check_script(cap.script, cap.records)
    assert not result.ok and result.revision == "b2"
    assert "the client ends a statement at a ';' inside that one" in str(result.problem)


@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_several_statements_pass_on_mysql_without_a_stored_program(project: Callable[..., Config], dialect: str) -> None:
    # airflow's MySQL revision builds an ALTER in a variable and runs it through PREPARE/EXECUTE,
    # four statements in one text; with no stored program there is no body to cut apart
    body = ('op.execute("SET @q = IF(1 = 1, \'ALTER TABLE account DROP COLUMN name\', \'SELECT 1\'); '
            'PREPARE stmt FROM @q; EXECUTE stmt; DEALLOCATE PREPARE stmt;")')
    cap = capture(project([_several_history()[0], ("b2", "a1", body)]), RevisionRange(), dialect=dialect)
    result = check_script(cap.script, cap.records)
    assert result.ok, result.problem
    # a stored program's body in one text: the script sets the client's DELIMITER around it
    # (glance's and mlflow's triggers), and the check cuts as the client then does
    trigger = ('op.execute("CREATE TRIGGER t BEFORE INSERT ON account FOR EACH ROW BEGIN '
               'SET NEW.name = \'x\'; SET NEW.id = NEW.id; END")')
    cap = capture(project([_several_history()[0], ("b2", "a1", trigger)]), RevisionRange(), dialect=dialect)
    assert "\nDELIMITER //\nCREATE TRIGGER t " in cap.script and "SET NEW.id = NEW.id; END\n//\nDELIMITER ;\n" in cap.script
    assert check_script(cap.script, cap.records).ok


def test_a_tsql_body_passes_as_sqlcmd_sends_it(project: Callable[..., Config]) -> None:
    # mlflow's trigger on SQL Server: sqlcmd sends the batch whole at its GO line, so the ';'s of
    # the body are the server's to read (the check used to call the script broken)
    body = ('op.execute("""CREATE TRIGGER t_account ON account AFTER UPDATE AS\nBEGIN\n'
            '    SET NOCOUNT ON;\n    UPDATE account SET name = \'x\' WHERE 1 = 0;\nEND""")')
    history = [_several_history()[0], ("b2", "a1", body)]
    cap = capture(project(history), RevisionRange(), dialect="mssql")
    result = check_script(cap.script, cap.records)
    assert result.ok, result.problem
    assert "SET NOCOUNT ON;" in cap.script and "END;\n\nGO" in cap.script
    # the same text on MySQL, whose client does cut at ';', is still refused
    assert script_check._several_statements("BEGIN SET @a = 1; SET @b = 2; END", MYSQL) is None
    assert script_check._several_statements("BEGIN SET @a = 1; SET @b = 2; END", MSSQL) == [
        "BEGIN SET @a = 1", "SET @b = 2", "END"]


def test_a_body_cut_apart_is_not_taken_for_several_statements() -> None:
    # a body the client cuts apart is no statement to the database's grammar: the check still fails
    # (PostgreSQL: pieces its parser does not read as statements)
    assert script_check._several_statements("UPDATE t SET a = 1; UPDATE t SET b = 2", PG) == [
        "UPDATE t SET a = 1", "UPDATE t SET b = 2"]
    assert script_check._several_statements("UPDATE t SET a = 1; UPDATE t SET", PG) is None  # not SQL
    # MySQL: no stored program, no block: the client's cuts are the server's statement ends
    assert script_check._several_statements("UPDATE t SET a = 1; BEGIN WORK; UPDATE t SET b = 2", MYSQL) == [
        "UPDATE t SET a = 1", "BEGIN WORK", "UPDATE t SET b = 2"]
    assert script_check._several_statements("UPDATE t SET a = 1; UPDATE t SET b = 2", SQLITE) is None


# -- the regular-expression cut (script_check._cut_statements) against the token walk -------
_PIECES = ["a", "b c", " ", "\n", ";", "'", "''", '"', "-", "--", "/", "*", "/*", "*/", "$", "$$", "$q$", "$1$",
           "[", "]", "]]", "`", "#", "E", "trigger", "BEGIN", "END", "\\", "GO\n", "\nGO\n", "é",
           "x$q$y", "1", "_"]


@pytest.mark.parametrize("dialect", [PG, MSSQL, SQLITE, Dialect.of("default")], ids=lambda d: d.name)
def test_regular_expression_cut_gives_the_token_walks_pieces(dialect: Dialect) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st


    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(_PIECES), max_size=30))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        assert script_check.found_statements(text, dialect) == statements(cut_script(text, dialect))
        if not script_check._fast_cut(text, dialect):
            return
        walked: list[script_check.Piece] = []
        script_check._cut_batch(text, dialect, script_check._token_pattern(dialect), walked)
        cut: list[script_check.Piece] = []
        script_check._cut_statements(text, script_check._statement_pattern(dialect), cut)
        assert cut == walked

    check()


def test_regular_expression_cut_applies_only_where_it_cuts_as_the_walk() -> None:
    from limbeck.review.script_check import _fast_cut

    assert _fast_cut("CREATE TABLE t (a TEXT DEFAULT 'x;y');\n\n", PG)
    assert not _fast_cut("SELECT E'a\\';\n", PG)  # a backslash: which literal escapes it depends on E
    assert not _fast_cut("SELECT 1;\n", MYSQL)  # MySQL's "--x" and "#" rules
    assert not _fast_cut("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\n", SQLITE)
    assert _fast_cut("SELECT 1;\n", SQLITE)
    assert not _fast_cut("SELECT 1\n", ORACLE)  # no terminator: SQL*Plus rules


def test_regular_expression_cut_of_a_long_script() -> None:
    script = "".join(f"INSERT INTO t VALUES ({i}, 'it''s;{i}', $x$a;b$x$) /* c; */ -- d;\n;\n\n" for i in range(20000))

    pieces = cut_script(script, PG)
    assert len(pieces) == 20001 and pieces[-1].text == "\n\n"
    walked: list[script_check.Piece] = []
    script_check._cut_batch(script, PG, script_check._token_pattern(PG), walked)
    assert pieces == walked


@pytest.mark.parametrize("dialect", [PG, MSSQL, ORACLE], ids=lambda d: d.name)
def test_expected_texts_are_the_expected_statements(dialect: Dialect) -> None:
    from limbeck.compiler.statement import Kind, Statement
    from limbeck.review.stream import Record

    texts = ["A", " A", "A ", "A;", "A;;", "A ;", "-- c\nA", "--", ";", "", "A\n", "\tA", "A -- c", "A;\n-- c"]
    records = [
        Record(Statement(kind, text), (text,) if kind is not Kind.TEXT else (), (text + "\n",), dialect.name, True, False,
               dialect.terminator, dialect.separator)
        for text in texts for kind in (Kind.DDL, Kind.COMMENT, Kind.TEXT)
    ]
    # the plain definition: every rendered text normalized, raw text cut on its own, comments left out
    expected: list[str] = []
    for record in records:
        if record.kind is Kind.TEXT:
            expected += [t for chunk in record.chunks for t in statements(cut_script(chunk, dialect))]
        elif record.kind is not Kind.COMMENT:
            expected += [t for t in (script_check.normalize(x, dialect.terminator) for x in record.texts) if t]
    added: list[str] = []
    for record in records:
        script_check.add_expected(added, record.statement.kind, record.texts, record.chunks, dialect)
    assert added == expected
    assert len(expected) > len(texts)
