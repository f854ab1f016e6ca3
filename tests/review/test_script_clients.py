"""The script check agrees with the real clients: what psql, mariadb and sqlite3 accept, it accepts.

Before, ``;;`` (an empty statement, which all three clients accept), SQLite
triggers (one statement to sqlite3, ``; END ;`` ends it) and SQLite
``STRICT`` tables were reported as scripts that do not cut back into their
statements. Each case renders a real project, checks it, and runs it.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.script_check import check_script

ACCOUNT = ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))')
DOUBLE = ("b2", "a1", 'op.execute("DELETE FROM account;;")\nop.execute("INSERT INTO account (id, name) VALUES (1, \'a\');;")')
TRIGGER = ("c3", "b2", '''op.execute("""CREATE TRIGGER name_it AFTER INSERT ON account BEGIN
    UPDATE account SET name = CASE WHEN new.id > 1 THEN 'big; one' ELSE 'small' END WHERE id = new.id;
    UPDATE account SET name = name || '!' WHERE id = new.id;
END;""")
op.execute("INSERT INTO account (id, name) VALUES (2, 'b')")''')
STRICT = ("d4", "c3", '''op.create_table("s", sa.Column("id", sa.Integer, primary_key=True), sqlite_strict=True)
op.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID, STRICT;")''')


def script_of(config: Config, dialect: str | None = None) -> str:
    """``upgrade heads --sql``: the command itself checks the script (it raises when the check fails)."""
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True, dialect=dialect)
    return config.output_buffer.getvalue()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mariadb", "sqlite", "mssql"])
def test_double_terminator_passes(project: Callable[..., Config], dialect: str) -> None:
    cap = capture(project([ACCOUNT, DOUBLE]), RevisionRange(), dialect=dialect)
    assert "DELETE FROM account;;" in cap.script
    check = check_script(cap.script, cap.records)
    assert check.ok, check.problem


def test_sqlite_triggers_and_strict_tables_pass_and_run(
    project: Callable[..., Config], sqlite3_client: Callable[..., object], tmp_path: object
) -> None:
    import sqlite3

    if sqlite3.sqlite_version_info < (3, 37):
        pytest.skip("STRICT tables need SQLite 3.37")
    config = project([ACCOUNT, DOUBLE, TRIGGER, STRICT])
    script = script_of(config)
    assert "STRICT;" in script and "END;" in script
    database = str(config.attributes["project"].root / "by_client.db")
    result = sqlite3_client(database, script)
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM account ORDER BY id").scalars().all() == ["a", "big; one!"]
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == ["d4"]


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
def test_double_terminator_runs_in_the_client(
    project: Callable[..., Config], server: str, request: pytest.FixtureRequest, versions: Callable[[str], set[str]]
) -> None:
    url = str(request.getfixturevalue("pg_url" if server == "postgresql" else "mariadb_url"))
    run = request.getfixturevalue("psql" if server == "postgresql" else "mariadb_client")
    config = project([ACCOUNT, DOUBLE], url=url)
    script = script_of(config)
    result = run(url, script)  # stopping at the first error
    assert result.returncode == 0, result.stderr
    assert versions(url) == {"b2"}


BODIES = ("b2", "a1", '''op.execute("""CREATE TRIGGER name_it BEFORE INSERT ON account FOR EACH ROW
BEGIN
    -- upper-case it; always
    SET NEW.name = UPPER(NEW.name);
    SET NEW.id = NEW.id;
END;""")
op.execute("DROP PROCEDURE IF EXISTS fill; CREATE PROCEDURE fill() BEGIN INSERT INTO account VALUES (1, 'a'); "
           "INSERT INTO account VALUES (2, 'b; c'); END; CALL fill(); DROP PROCEDURE fill")
op.execute("UPDATE account SET name = 'x;y' WHERE id = 1; UPDATE account SET name = CONCAT(name, '!') WHERE id = 2")''')


def _alembic_offline(dialect: str, call: Callable[[Any], object]) -> str:
    """What real Alembic writes offline for ``call(op)``."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    buffer = io.StringIO()
    call(Operations(MigrationContext.configure(dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer})))
    return buffer.getvalue()


def test_mariadb_runs_stored_program_bodies_that_alembics_script_breaks(
    project: Callable[..., Config], mariadb_url: str, mariadb_client: Callable[..., object],
    versions: Callable[[str], set[str]],
) -> None:
    # Alembic writes a trigger's BEGIN ... END body as it is: the mysql client ends the statement at
    # the body's first ';' and sends half a trigger. limbeck sets DELIMITER around such a text
    config = project([ACCOUNT, BODIES], url=mariadb_url)
    script = script_of(config)  # checks itself: the check cuts at DELIMITER as the client does
    assert script.count("DELIMITER //\n") == 2 and script.count("\n//\nDELIMITER ;\n") == 2
    assert "UPDATE account SET name = 'x;y' WHERE id = 1; UPDATE account" in script  # no body: as Alembic
    result = mariadb_client(mariadb_url, script)
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    assert versions(mariadb_url) == {"b2"}
    engine = sa.create_engine(mariadb_url)
    with engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT name FROM account ORDER BY id").scalars().all() == ["x;y", "B; C!"]
        conn.exec_driver_sql("INSERT INTO account VALUES (3, 'low')")  # the trigger is whole
        assert conn.exec_driver_sql("SELECT name FROM account WHERE id = 3").scalar() == "LOW"
    engine.dispose()
    # Alembic's text of the trigger, run by the same client, fails
    trigger = script.split("DELIMITER //\n")[1].split("\n//\n")[0]
    theirs = _alembic_offline("mariadb", lambda op: op.execute(trigger + ";"))
    assert "DELIMITER" not in theirs
    failed = mariadb_client(mariadb_url, theirs.replace("name_it", "name_it_2"))
    assert failed.returncode != 0 and "syntax" in failed.stderr  # type: ignore[attr-defined]


ATOMIC = ("b2", "a1", '''op.execute("""CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN count(*) > 0 THEN count(*) END FROM account;
END""")
op.execute("CREATE PROCEDURE add_two() LANGUAGE sql BEGIN ATOMIC INSERT INTO account VALUES (1, 'a'); "
           "INSERT INTO account VALUES (2, 'b; c'); END")
op.execute("CALL add_two()")''')


def test_psql_runs_begin_atomic_bodies_the_check_keeps_whole(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], versions: Callable[[str], set[str]]
) -> None:
    # PostgreSQL 14's SQL-standard bodies: psql keeps BEGIN ATOMIC ... END whole, and so does the
    # check (it used to cut at the body's ';' and refuse the script)
    config = project([ACCOUNT, ATOMIC], url=pg_url)
    cap = capture(config, RevisionRange(), dialect="postgresql")
    check = check_script(cap.script, cap.records)
    assert check.ok, check.problem
    script = script_of(config)
    result = psql(pg_url, script)
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    assert versions(pg_url) == {"b2"}
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT account_count()").scalar() == 2
        assert conn.exec_driver_sql("SELECT name FROM account ORDER BY id").scalars().all() == ["a", "b; c"]
    engine.dispose()


NUL_DEFAULT = ("a1", None, '''op.create_table("bytes_default", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("h", sa.BINARY(4), nullable=False, server_default="\\x00" * 4))
op.add_column("bytes_default", sa.Column("g", sa.String(8), server_default="a\\x00b"))''')


def test_mariadb_takes_nul_bytes_written_as_backslash_zero(
    project: Callable[..., Config], mariadb_url: str, mariadb_client: Callable[..., object],
) -> None:
    # monasca-api's BINARY(20) server_default of NUL bytes: a NUL in the script stops the mysql
    # client ("ASCII '\\0' appeared in the statement"); limbeck writes \\0, the byte in a MySQL string
    script = script_of(project([NUL_DEFAULT], url=mariadb_url))
    assert "\x00" not in script and "DEFAULT '\\0\\0\\0\\0'" in script and "DEFAULT 'a\\0b'" in script
    result = mariadb_client(mariadb_url, script)
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    engine = sa.create_engine(mariadb_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO bytes_default (id) VALUES (1)")
        assert conn.exec_driver_sql("SELECT HEX(h), HEX(g) FROM bytes_default").one() == ("00000000", "610062")
    engine.dispose()
    # Alembic writes the bytes themselves, and the same client refuses its script
    theirs = _alembic_offline("mariadb", lambda op: op.create_table(
        "blob2", sa.Column("id", sa.Integer, primary_key=True), sa.Column("h", sa.BINARY(4), server_default="\x00" * 4)))
    assert "\x00" in theirs
    failed = mariadb_client(mariadb_url, theirs)
    assert failed.returncode != 0 and "ASCII '\\0' appeared in the statement" in failed.stderr  # type: ignore[attr-defined]


AWARE = ("a1", None, '''import datetime
from sqlalchemy.dialects import mysql
op.create_table("ev", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")))
ev = sa.table("ev", sa.column("id", sa.Integer), sa.column("at", sa.DateTime))
plus_two = datetime.timezone(datetime.timedelta(hours=2))
op.bulk_insert(ev, [{"id": 1, "at": datetime.datetime(2026, 12, 7, 16, 1, 31, 242993, tzinfo=plus_two)}])
op.execute(ev.insert().values(id=2, at=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)))''')


#: the rows AWARE inserts, as the online run gets them
AWARE_ROWS = [
    {"id": 1, "at": datetime.datetime(2026, 12, 7, 16, 1, 31, 242993, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))},
    {"id": 2, "at": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)},
]
EV = sa.table("ev", sa.column("id", sa.Integer), sa.column("at", sa.DateTime))


def _stored_as_online(url: str) -> bool:
    """Whether what the script stored in ``ev`` is what the driver stores for AWARE_ROWS (``ev`` then holds those)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            offline = conn.exec_driver_sql("SELECT at FROM ev ORDER BY id").scalars().all()
            conn.exec_driver_sql("DELETE FROM ev")
            conn.execute(EV.insert(), AWARE_ROWS)
            return bool(conn.exec_driver_sql("SELECT at FROM ev ORDER BY id").scalars().all() == offline)
    finally:
        engine.dispose()


def test_mariadb_stores_an_aware_datetime_as_the_online_run_does(
    project: Callable[..., Config], mariadb_url: str, mariadb_client: Callable[..., object],
) -> None:
    # gnocchi's UPDATE and airflow's parameters: SQLAlchemy writes '...+02:00', which MariaDB refuses
    # (MySQL 8.0.19+ would convert it to the session's zone); the drivers send the wall-clock time
    config = project([AWARE], url=mariadb_url)
    script = script_of(config)
    assert "'2026-12-07 16:01:31.242993'" in script and "'2026-01-02 03:04:05'" in script and "+0" not in script
    result = mariadb_client(mariadb_url, script)
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    assert _stored_as_online(mariadb_url)  # PyMySQL sends the wall-clock time
    # Alembic's literal keeps the offset, and the same client refuses it
    theirs = _alembic_offline("mariadb", lambda op: op.bulk_insert(EV, [{**AWARE_ROWS[1], "id": 3}]))
    assert "+00:00'" in theirs
    failed = mariadb_client(mariadb_url, theirs)
    assert failed.returncode != 0 and "Incorrect datetime value" in failed.stderr  # type: ignore[attr-defined]


def test_postgresql_stores_an_aware_datetime_as_the_online_run_does(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object],
) -> None:
    # a timestamp column: SQLAlchemy's '...+02:00' literal stores the wall-clock time (PostgreSQL
    # drops the offset), psycopg's timestamptz parameter the time in the session's zone
    config = project([AWARE], url=pg_url)
    script = script_of(config)
    assert "CAST('2026-12-07 16:01:31.242993+02:00' AS TIMESTAMP WITH TIME ZONE)" in script
    result = psql(pg_url, script)
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    assert _stored_as_online(pg_url)  # psycopg sends a timestamptz
    # Alembic's (SQLAlchemy's) literal, run by the same client, stores another time
    theirs = _alembic_offline("postgresql", lambda op: op.bulk_insert(EV, [{**AWARE_ROWS[0], "id": 3}]))
    assert "'2026-12-07 16:01:31.242993+02:00'" in theirs
    assert psql(pg_url, theirs).returncode == 0  # type: ignore[attr-defined]
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT at FROM ev WHERE id = 3").scalar() != conn.exec_driver_sql(
            "SELECT at FROM ev WHERE id = 1").scalar()
    engine.dispose()


@pytest.mark.parametrize(
    ("dialect", "body", "words"),
    [
        # psql then reads \' as an escaped quote: the text after it is cut elsewhere (a DROP ran that no
        # tool showed, found by an audit of the review tools)
        ("postgresql", 'op.execute("SET standard_conforming_strings = off")\n'
                       'op.execute("SELECT \'a\\\\\\\\\' , \'; DROP TABLE account; --\'")', "standard_conforming_strings"),
        ("postgresql", 'op.execute("COPY account (name) FROM stdin")\nop.drop_table("account")', "FROM STDIN"),
        ("mysql", 'op.execute("SET SESSION sql_mode = \'ANSI_QUOTES\'")\nop.drop_table("account")', "sql_mode"),
        # a second audit: other spellings of the same (psql / the mariadb client ran a DROP no tool showed)
        ("postgresql", 'op.execute("SELECT set_config(\'standard_conforming_strings\', \'off\', false)")',
         "standard_conforming_strings"),
        ("postgresql", 'op.execute("/* legacy */ SET standard_conforming_strings = off")', "standard_conforming_strings"),
        ("postgresql", 'op.execute("SELECT \'DROP TABLE account\' \\\\gexec")', "backslash command"),
        ("mariadb", 'op.execute("SET @a = 1, sql_mode = \'NO_BACKSLASH_ESCAPES\'")', "sql_mode"),
        ("mariadb", 'op.execute("/*!40101 SET SQL_MODE=\'NO_BACKSLASH_ESCAPES\' */")', "sql_mode"),
        ("mysql", 'op.execute("/*!50100 DROP TABLE account */")', "conditional comment"),
        ("mysql", 'op.execute("UPDATE account SET name = \'x\' \\\\g DROP TABLE account")', "client command"),
        ("mssql", 'op.execute("SELECT 1\\nGO -- end of batch\\nDROP TABLE account")', "sqlcmd command line"),
        ("mssql", 'op.execute("UPDATE account SET name = \'$(USERNAME)\'")', "scripting variables"),
    ],
)
def test_a_statement_that_changes_how_the_client_reads_fails_the_check(
    project: Callable[..., Config], dialect: str, body: str, words: str
) -> None:
    """The check cannot say the script cuts back after it: it says why, whatever the cut gives."""
    cap = capture(project([ACCOUNT, ("b2", "a1", body)]), RevisionRange(), dialect=dialect)
    check = check_script(cap.script, cap.records)
    assert not check.ok and words in (check.problem or "") and check.revision == "b2"


def test_mariadb_dashes_and_a_control_character_are_no_comment_to_the_client(project: Callable[..., Config]) -> None:
    """``--`` and a control character: a comment to the server, not to the client, which cuts at the ';' and
    runs the rest (a DROP); the check does not vouch for the pieces (found by a second audit)."""
    body = 'op.execute("SELECT 1 --\\x01; DROP TABLE account")'
    cap = capture(project([ACCOUNT, ("b2", "a1", body)]), RevisionRange(), dialect="mariadb")
    assert not check_script(cap.script, cap.records).ok
