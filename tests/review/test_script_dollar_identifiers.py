"""``$`` inside an unquoted identifier (``a$x$b``) opens no dollar quote: psql and the script check agree.

PostgreSQL's lexer reads an identifier's letters, digits, ``_`` and ``$``
as one token, so a ``$x$`` that continues an identifier is part of its
name. The script check took it for a dollar-quote opener and read the rest
of the script as quoted, up to the next ``$x$``: statements merged, and
what hid inside (a psql backslash command) was not seen.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from limbeck.config import Config
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.script_check import Dialect, check_script, cut_script, statements

PG = Dialect.of("postgresql")

SCRIPT = (
    "CREATE TABLE a$x$b (id INTEGER);\n\n"
    "INSERT INTO a$x$b VALUES (1);\n\n"
    "INSERT INTO a$x$b SELECT 2 WHERE 'c$x$d' <> '';\n\n"
    "INSERT INTO a$x$b SELECT length($x$;$x$) + 2;\n\n"
    "CREATE TABLE \"q\"$$ (id INTEGER);\n\n"
)
EXPECTED = [
    "CREATE TABLE a$x$b (id INTEGER)",
    "INSERT INTO a$x$b VALUES (1)",
    "INSERT INTO a$x$b SELECT 2 WHERE 'c$x$d' <> ''",
    "INSERT INTO a$x$b SELECT length($x$;$x$) + 2",
    "CREATE TABLE \"q\"$$ (id INTEGER);\n\n",
]


@pytest.mark.parametrize("fast", [True, False], ids=["regular-expression cut", "token walk"])
def test_a_dollar_inside_an_identifier_opens_no_quote(monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    from limbeck.review import script_check

    if not fast:
        monkeypatch.setattr(script_check, "_fast_cut", lambda text, dialect: False)
    script = SCRIPT + "SELECT 1;\n\n"
    # after a quoted name (or a number) a $$ does open one: it runs to the end here
    assert statements(cut_script(script, PG)) == [*EXPECTED[:4], EXPECTED[4] + "SELECT 1;"]


def test_the_cut_is_postgresqls(pg_url: str, psql: Callable[..., object]) -> None:
    from pglast.parser import split

    assert [s.strip() for s in split(SCRIPT.rsplit("CREATE TABLE \"q\"", 1)[0])] == EXPECTED[:4]
    result = psql(pg_url, SCRIPT.rsplit("CREATE TABLE \"q\"", 1)[0])
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert sorted(conn.exec_driver_sql('SELECT id FROM "a$x$b"').scalars()) == [1, 2, 3]


def test_a_routine_body_after_such_a_name_is_read_as_psql_reads_it() -> None:
    routine = "CREATE FUNCTION a$x$b() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 'c$x$';\n"
    assert statements(cut_script(routine, PG)) == [
        "CREATE FUNCTION a$x$b() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", "SELECT 'c$x$'"]


def test_a_backslash_command_between_such_names_fails_the_check(project: Callable[..., Config]) -> None:
    """psql runs ``\\! ...`` (a shell command) written between two such names: the check must say so."""
    history = [
        ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'),
        ("b2", "a1", 'op.execute("SELECT 1 AS c$x$d \\\\! echo shell\\n, 2 AS e$x$f")'),
    ]
    cap = capture(project(history), RevisionRange(), dialect="postgresql")
    assert "SELECT 1 AS c$x$d \\! echo shell\n, 2 AS e$x$f;" in cap.script
    result = check_script(cap.script, cap.records)
    assert not result.ok and result.revision == "b2"
    assert "backslash" in str(result.problem) or "\\" in str(result.problem)


def test_a_name_ending_in_e_before_a_quote_is_no_escape_string() -> None:
    """``a$E'\\'`` is the name ``a$E`` and the string ``'\\'``: no E'' string, whose backslash would escape."""
    assert statements(cut_script("SELECT a$E'\\';\n\nSELECT 2;", PG)) == ["SELECT a$E'\\'", "SELECT 2"]


def test_the_cut_agrees_with_postgresqls_scanner() -> None:
    """Scripts made of names, quotes, dollar quotes and terminators: the statements the check cuts are
    those PostgreSQL's own scanner (pglast) ends at a top-level ';'."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from pglast.parser import ParseError, scan

    pieces = ["a", "E", "1", " ", "\n", ";", "'", "''", "\\", '"', "$", "$$", "$q$", "x$q$y", "--", "\n", "/*", "*/", "_", "é"]

    @settings(max_examples=400, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(pieces), max_size=14))
    def check(parts: list[str]) -> None:
        script = "".join(parts)
        try:
            tokens = scan(script)
        except ParseError:
            return  # an unterminated quote or comment: nothing to compare with
        ends = [t.start for t in tokens if t.name == "ASCII_59"]  # pglast counts characters
        expected, start = [], 0
        for end in ends:
            expected.append(script[start:end])
            start = end + 1
        expected.append(script[start:])
        assert [piece.text for piece in cut_script(script, PG)] == expected

    check()


@pytest.mark.parametrize("fast", [True, False], ids=["regular-expression cut", "token walk"])
def test_a_name_right_after_a_dollar_quote_holds_its_own_dollars(monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    """``$$a$$é$$``: the string ``a``, then the name ``é$$`` (a closing tag's ``$`` does not continue a name)."""
    from limbeck.review import script_check

    if not fast:
        monkeypatch.setattr(script_check, "_fast_cut", lambda text, dialect: False)
    assert statements(cut_script("SELECT $$a$$é$$;\n\nSELECT 2;", PG)) == ["SELECT $$a$$é$$", "SELECT 2"]
