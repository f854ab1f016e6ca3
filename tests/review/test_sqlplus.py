"""Oracle scripts are SQL*Plus scripts: the emitter writes for SQL*Plus's rules, the script check cuts by them.

SQL*Plus is not installed here, so each rule is pinned twice: the script
check's model of SQL*Plus catches the script Alembic 1.20.1 writes where that
script is wrong (a statement run twice, a statement cut at a blank line), and
passes what limbeck writes. Where Alembic's text is right, limbeck's is
byte-identical (compared with real Alembic at test time).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from limbeck.operations import Operations
from limbeck.review.script_check import Dialect, check_script, cut_script, statements
from limbeck.review.stream import Record, StreamRecorder
from limbeck.testing.compile import offline_context

ORACLE = Dialect.of("oracle", "", "/")

PLAIN_WITH_SEMICOLON = "UPDATE account SET name = 'a' WHERE id = 1;"
BLANK_LINE_INSIDE = "INSERT INTO account (id, name)\n\nVALUES (2, 'b')"
BLANK_LINE_IN_LITERAL = "INSERT INTO account (id, name) VALUES (3, 'first line\n\nthird line')"
ANONYMOUS_BLOCK = "BEGIN\n    UPDATE account SET name = 'b';\n\n    UPDATE account SET name = 'c';\nEND;"
DECLARE_BLOCK = "DECLARE\n    n INTEGER;\nBEGIN\n    SELECT COUNT(*) INTO n FROM account;\nEND;"
PROCEDURE = (
    "CREATE OR REPLACE PROCEDURE touch_account AS\nBEGIN\n    UPDATE account SET name = name;\n\n"
    "    COMMIT;\nEND touch_account;"
)
TRIGGER = "CREATE OR REPLACE TRIGGER trg BEFORE INSERT ON account FOR EACH ROW\nBEGIN\n    :new.name := 'x';\nEND;"
PACKAGE = "CREATE OR REPLACE PACKAGE pkg AS\n    PROCEDURE p;\nEND pkg;"


def rendered(texts: list[str]) -> tuple[str, list[Record]]:
    """The Oracle script of ``op.execute(text)`` for each text, with its stream."""
    recorder = StreamRecorder()
    context, buffer = offline_context("oracle", **recorder.context_opts())
    with Operations.context(context) as op:
        for text in texts:
            op.execute(text)  # type: ignore[attr-defined]
    context.impl.flush()
    return buffer.getvalue(), recorder.records


def alembic_script(texts: list[str]) -> str:
    """What Alembic 1.20.1 writes for the same calls (run as a black box)."""
    from alembic.operations import Operations as AlembicOperations
    from alembic.runtime.migration import MigrationContext as AlembicContext

    buffer = io.StringIO()
    context = AlembicContext.configure(dialect_name="oracle", opts={"as_sql": True, "output_buffer": buffer})
    op = AlembicOperations(context)
    for text in texts:
        op.execute(text)
    return buffer.getvalue()


# -- the model: SQL*Plus's documented rules ------------------------------------------------
@pytest.mark.parametrize(
    "script, runs",
    [
        # ";" at the end of a line runs plain SQL; the "/" after it runs the buffer again
        (f"{PLAIN_WITH_SEMICOLON}\n\n/\n\n", [PLAIN_WITH_SEMICOLON[:-1]] * 2),
        # a blank line ends plain SQL without running it; "/" runs what is in the buffer
        (f"{BLANK_LINE_INSIDE}\n\n/\n\n", ["VALUES (2, 'b')"]),
        # ... unless SET SQLBLANKLINES ON
        (f"SET SQLBLANKLINES ON\n{BLANK_LINE_INSIDE}\n\n/\n\n", [BLANK_LINE_INSIDE]),
        # PL/SQL: its ";" and blank lines are part of it, "/" runs it once
        (f"{ANONYMOUS_BLOCK}\n\n/\n\n", [ANONYMOUS_BLOCK]),
        (f"{PROCEDURE}\n\n/\n\n", [PROCEDURE]),
        # comment lines between statements are not statements; "SET TRANSACTION" is SQL
        ("-- Running upgrade\n\nSET TRANSACTION READ ONLY\n\n/\n\n", ["SET TRANSACTION READ ONLY"]),
        # a statement nothing runs (no "/" after its blank line) is not run
        ("SELECT 1 FROM dual\n\n", []),
    ],
)
def test_model_of_sqlplus(script: str, runs: list[str]) -> None:
    assert statements(cut_script(script, ORACLE)) == runs


# -- what limbeck writes -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, written, alembic_problem",
    [
        # the ";" goes: with it SQL*Plus runs the UPDATE, then the "/" runs it again
        (PLAIN_WITH_SEMICOLON, "UPDATE account SET name = 'a' WHERE id = 1", "extra statement"),
        # the blank line goes: at it SQL*Plus ends the INSERT unrun, the "/" runs "VALUES ..."
        (BLANK_LINE_INSIDE, "INSERT INTO account (id, name)\nVALUES (2, 'b')", "VALUES (2, 'b')"),
    ],
)
def test_plain_sql_is_written_for_sqlplus(text: str, written: str, alembic_problem: str) -> None:
    script, records = rendered([text])
    assert script == f"{written}\n\n/\n\n"
    assert check_script(script, records).ok
    # Alembic writes the text as given; the check catches what SQL*Plus would do with it
    alembic = alembic_script([text])
    assert alembic == f"{text}\n\n/\n\n"
    failed = check_script(alembic, records)
    assert not failed.ok and alembic_problem in str(failed.problem)


def test_a_blank_line_that_is_data_turns_sqlblanklines_on() -> None:
    script, records = rendered([BLANK_LINE_IN_LITERAL, "DELETE FROM account"])
    assert script == f"SET SQLBLANKLINES ON\n{BLANK_LINE_IN_LITERAL}\n\n/\n\nDELETE FROM account\n\n/\n\n"
    assert check_script(script, records).ok
    assert not check_script(script.replace("SET SQLBLANKLINES ON\n", ""), records).ok


def test_an_ampersand_turns_define_off() -> None:
    # with DEFINE on (SQL*Plus's default) '&D' is a substitution variable: 'R&D' would not reach the server
    text = "UPDATE account SET name = 'R&D' WHERE id = 1"
    script, records = rendered([text, "DELETE FROM account"])
    assert script == f"SET DEFINE OFF\n{text}\n\n/\n\nDELETE FROM account\n\n/\n\n"
    assert check_script(script, records).ok
    assert not check_script(script.replace("SET DEFINE OFF\n", ""), records).ok


@pytest.mark.parametrize("block", [ANONYMOUS_BLOCK, DECLARE_BLOCK, PROCEDURE, TRIGGER, PACKAGE])
def test_plsql_blocks_keep_their_text_and_pass(block: str) -> None:
    script, records = rendered([block, "DELETE FROM account"])
    assert script == f"{block}\n\n/\n\nDELETE FROM account\n\n/\n\n"
    check = check_script(script, records)
    assert check.ok, check.problem
    assert check.expected == check.found == 2
    assert script == alembic_script([block, "DELETE FROM account"])  # Alembic's text is right here


@pytest.mark.parametrize(
    "fn",
    [
        lambda op: op.create_index("ix_name", "account", ["name"]),
        lambda op: op.alter_column("account", "name", comment="who", new_column_name="label"),
        lambda op: op.execute("DELETE FROM account"),
    ],
)
def test_statements_alembic_renders_right_are_unchanged(fn: Callable[[Operations], None]) -> None:
    from alembic.operations import Operations as AlembicOperations
    from alembic.runtime.migration import MigrationContext as AlembicContext

    recorder = StreamRecorder()
    context, buffer = offline_context("oracle", **recorder.context_opts())
    with Operations.context(context) as op:
        fn(op)
    context.impl.flush()
    theirs = io.StringIO()
    fn(AlembicOperations(AlembicContext.configure(dialect_name="oracle", opts={"as_sql": True, "output_buffer": theirs})))
    assert buffer.getvalue() == theirs.getvalue()
    assert check_script(buffer.getvalue(), recorder.records).ok


# -- SQLPREFIX: a line starting with "#" is a SQL*Plus command, even inside a statement ------
# (SET SQLPRE[FIX], default "#": "while you are entering a SQL command or PL/SQL block, you can
# enter a SQL*Plus command on a separate line, prefixed by the SQL*Plus prefix character",
# https://docs.oracle.com/cd/E57425_01/121/SQPUG/GUID-006F1623-A3AA-434A-95DD-87F73BA5FBCD.htm)
HASH_LINE = "UPDATE account\n# SET name = 'x'\nSET name = 'y'"


def test_model_reads_a_hash_line_as_a_sqlplus_command() -> None:
    # SQL*Plus runs "# SET name = 'x'" as a command of its own and sends the rest
    assert statements(cut_script(f"{HASH_LINE}\n\n/\n\n", ORACLE)) == ["UPDATE account\nSET name = 'y'"]
    assert statements(cut_script(f"{ANONYMOUS_BLOCK[:-4]}  #prompt x\nEND;\n\n/\n\n", ORACLE)) == [ANONYMOUS_BLOCK]


@pytest.mark.parametrize("text", [HASH_LINE, "BEGIN\n    NULL;\n    #SET SERVEROUTPUT ON\nEND;"])
def test_a_hash_line_in_a_text_fails_the_check_naming_sqlplus(text: str) -> None:
    script, records = rendered([text, "DELETE FROM account"])
    check = check_script(script, records)
    assert not check.ok
    assert "SQL*Plus runs it as a command of its own (SQLPREFIX)" in str(check.problem)


def test_a_hash_line_in_a_literal_limbeck_renders_fails_the_check() -> None:
    """A comment whose second line starts with '#': SQL*Plus takes that line for a command too."""
    recorder = StreamRecorder()
    context, buffer = offline_context("oracle", **recorder.context_opts())
    with Operations.context(context) as op:
        op.create_table_comment("account", "first line\n# second line")  # type: ignore[attr-defined]
    context.impl.flush()
    assert "\n# second line'" in buffer.getvalue()
    assert not check_script(buffer.getvalue(), recorder.records).ok


# -- WITH FUNCTION / PROCEDURE (Oracle 12c): SQL*Plus reads it as a block, run at "/" --------
# ("the ';' does not seem to work as a terminator to the SQL statement when the PL/SQL
# declaration is included in the WITH clause ... SQL*Plus waits for more text to be entered",
# https://oracle-base.com/articles/12c/with-clause-enhancements-12cr1)
WITH_FUNCTION = (
    "WITH\n  FUNCTION dbl(p IN NUMBER) RETURN NUMBER IS\n  BEGIN\n    RETURN p * 2;\n  END;\nSELECT dbl(id) FROM account"
)
WITH_PROCEDURE = (
    "WITH\n  PROCEDURE noop IS\n  BEGIN\n    NULL;\n  END;\n  FUNCTION one RETURN NUMBER IS\n  BEGIN\n    noop;\n"
    "    RETURN 1;\n  END;\nSELECT one FROM dual"
)


@pytest.mark.parametrize("text", [WITH_FUNCTION, WITH_PROCEDURE, f"/* inline */ {WITH_FUNCTION}"])
def test_with_plsql_declarations_pass_as_alembic_writes_them(text: str) -> None:
    script, records = rendered([text, "DELETE FROM account"])
    assert script == f"{text}\n\n/\n\nDELETE FROM account\n\n/\n\n" == alembic_script([text, "DELETE FROM account"])
    check = check_script(script, records)
    assert check.ok, check.problem
    assert check.expected == check.found == 2


def test_with_function_loses_its_trailing_semicolon_and_blank_lines() -> None:
    # as plain SQL: whether SQL*Plus would send the ';' or end the statement at the blank line,
    # the text written has neither
    text = WITH_FUNCTION.replace("  BEGIN", "\n  BEGIN") + ";"
    script, records = rendered([text])
    assert script == f"{WITH_FUNCTION}\n\n/\n\n"
    assert check_script(script, records).ok
