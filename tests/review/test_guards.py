"""--guard: the script first checks the version table; run for real with psql and the mariadb client."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config


def render(config: Config, rev_range: str, dialect: str | None = None, **kw: object) -> str:
    config.output_buffer = io.StringIO()
    command.upgrade(config, rev_range, sql=True, guard=True, dialect=dialect, **kw)  # type: ignore[arg-type]
    return config.output_buffer.getvalue()


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", ("DO $limbeck_guard$\nBEGIN\n    IF (SELECT COUNT(*) FROM alembic_version) <> 1 OR "
         "(SELECT COUNT(*) FROM alembic_version WHERE version_num IN ('b2')) <> 1 THEN\n"
         "        RAISE EXCEPTION 'limbeck guard: alembic_version must hold exactly b2; this script starts there';\n"
         "    END IF;\nEND\n$limbeck_guard$;\n\n")),
        ("mssql", ("IF (SELECT COUNT(*) FROM alembic_version) <> 1 OR (SELECT COUNT(*) FROM alembic_version WHERE "
         "version_num IN ('b2')) <> 1\n    THROW 50000, 'limbeck guard: alembic_version must hold exactly b2; this script "
         "starts there', 1;\n\nGO\n\n")),
        ("oracle", ("DECLARE\n    n_wrong INTEGER;\nBEGIN\n    SELECT CASE WHEN (SELECT COUNT(*) FROM alembic_version) <> 1 OR "
         "(SELECT COUNT(*) FROM alembic_version WHERE version_num IN ('b2')) <> 1 THEN 1 ELSE 0 END INTO n_wrong FROM dual;\n"
         "    IF n_wrong > 0 THEN\n        RAISE_APPLICATION_ERROR(-20000, 'limbeck guard: alembic_version must hold exactly "
         "b2; this script starts there');\n    END IF;\nEND;\n\n/\n\n")),
        ("mysql", ("SELECT CASE WHEN (SELECT COUNT(*) FROM alembic_version) <> 1 OR (SELECT COUNT(*) FROM alembic_version "
         "WHERE version_num IN ('b2')) <> 1 THEN (SELECT 'limbeck guard: alembic_version must hold exactly b2; this "
         "script starts there' UNION ALL SELECT NULL) ELSE 'ok' END AS limbeck_guard;\n\n")),
    ],
)
def test_guard_text_per_dialect(project: Callable[..., Config], dialect: str, expected: str) -> None:
    script = render(project(), "b2:heads", dialect)
    assert expected in script
    assert script.index("-- limbeck guard: continue only if alembic_version holds exactly: b2") < script.index(expected)
    assert script.index(expected) < script.index("-- Running upgrade b2 -> c3")


def test_sqlite_says_it_cannot(project: Callable[..., Config]) -> None:
    script = render(project(), "b2:heads")
    assert script.startswith(
        "-- limbeck guard: sqlite cannot stop a script on a condition; check by hand that alembic_version holds exactly: b2\n\n"
    )


def test_from_base_the_guard_wants_no_version_table(project: Callable[..., Config]) -> None:
    script = render(project(), "base:heads", "postgresql")
    assert "IF to_regclass('alembic_version') IS NOT NULL THEN" in script
    assert "already exists; this script starts from an empty database" in script
    assert "OBJECT_ID('alembic_version', 'U') IS NOT NULL" in render(project(), "base:heads", "mssql")


def test_guard_validates_as_unchecked_procedural_block(
    project: Callable[..., Config], capsys: pytest.CaptureFixture[str], temporary_pg: str
) -> None:
    for dialect in ("mssql", "oracle"):
        render(project(), "b2:heads", dialect, validate=True)
        err = capsys.readouterr().err
        assert "not checked: env.py, version guard" in err and "procedural block sqlglot does not parse" in err
        assert " invalid" not in err
    render(project(), "b2:heads", "mysql", validate=True)
    assert "not checked" not in capsys.readouterr().err
    # PostgreSQL's parser reads the DO block, its PL/pgSQL body included; the temporary server
    # runs it (after the revisions before b2, so the guard finds the version it expects)
    render(project(), "b2:heads", "postgresql", validate=True)
    err = capsys.readouterr().err
    assert "not checked" not in err and " invalid" not in err and "parsed (pglast)" in err
    assert f"env.py: 1 executed ({temporary_pg})" in err


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
def test_guarded_script_runs_only_where_it_starts(
    project: Callable[..., Config], server: str, request: pytest.FixtureRequest, versions: Callable[[str], set[str]]
) -> None:
    url = str(request.getfixturevalue("pg_url" if server == "postgresql" else "mariadb_url"))
    run = request.getfixturevalue("psql" if server == "postgresql" else "mariadb_client")
    config = project(url=url)
    script = render(config, "b2:heads")
    command.upgrade(config, "a1")
    refused = run(url, script)
    assert refused.returncode != 0
    expected = "limbeck guard: alembic_version must hold exactly b2" if server == "postgresql" else "ERROR 1242"
    assert expected in refused.stderr
    assert versions(url) == {"a1"}
    command.upgrade(config, "b2")
    applied = run(url, script)
    assert applied.returncode == 0, applied.stderr
    assert versions(url) == {"c3"}
    again = run(url, render(config, "base:heads"))
    expected = "alembic_version already exists" if server == "postgresql" else "ERROR 1242"
    assert again.returncode != 0 and expected in again.stderr and versions(url) == {"c3"}


#: c3 commits half way (autocommit_block) to build an index CONCURRENTLY, then goes on
SEGMENTED = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))'),
    ("b2", "a1", 'op.add_column("account", sa.Column("x", sa.Integer))'),
    ("c3", "b2", ('op.add_column("account", sa.Column("y", sa.Integer))\n'
                  'with op.get_context().autocommit_block():\n'
                  '    op.create_index("ix_y", "account", ["y"], postgresql_concurrently=True)\n'
                  'op.execute("UPDATE account SET y = 1")')),
    ("d4", "c3", 'op.add_column("account", sa.Column("z", sa.Integer))'),
]


def _columns_and_indexes(url: str) -> tuple[set[str], set[str]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    inspector = sa.inspect(engine)
    return {c["name"] for c in inspector.get_columns("account")}, {i["name"] for i in inspector.get_indexes("account")}


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "transaction-per-migration"])
def test_every_transaction_segment_is_guarded_without_on_error_stop(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], versions: Callable[[str], set[str]],
    per_migration: bool,
) -> None:
    config = project(SEGMENTED, url=pg_url)
    if per_migration:
        env = config.attributes["project"].root / "migrations" / "env.py"
        env.write_text(env.read_text().replace("literal_binds=True,", "literal_binds=True, transaction_per_migration=True,"))
    script = render(config, "b2:heads")
    # a guard at every segment: after BEGIN (raises, the transaction refuses the rest) and after the
    # autocommit block's COMMIT (outside a transaction: makes the session read-only, then raises)
    assert script.count("-- limbeck guard, again where a new transaction segment starts") == (4 if per_migration else 2)
    assert "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;" in script
    command.upgrade(config, "a1")
    refused = psql(pg_url, script, stop=False)  # psql carries on after errors
    assert "limbeck guard: alembic_version must hold exactly b2" in refused.stderr  # type: ignore[attr-defined]
    assert versions(pg_url) == {"a1"}
    assert _columns_and_indexes(pg_url) == ({"id", "name"}, set())  # CONCURRENTLY did not run, nor anything after
    command.upgrade(config, "b2")
    applied = psql(pg_url, script, stop=False)
    assert applied.returncode == 0 and not applied.stderr, applied.stderr  # type: ignore[attr-defined]
    assert versions(pg_url) == {"d4"}
    assert _columns_and_indexes(pg_url) == ({"id", "name", "x", "y", "z"}, {"ix_y"})


def test_a_segment_guard_expects_what_the_script_wrote_by_then(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], versions: Callable[[str], set[str]]
) -> None:
    """The first transaction fails on its own (not the guard): the next segment must not run either."""
    history = [*SEGMENTED[:2], ("c3", "b2", 'op.execute("UPDATE missing_table SET y = 1")'),
               ("d4", "c3", SEGMENTED[2][2])]
    config = project(history, url=pg_url)
    env = config.attributes["project"].root / "migrations" / "env.py"
    env.write_text(env.read_text().replace("literal_binds=True,", "literal_binds=True, transaction_per_migration=True,"))
    script = render(config, "b2:heads")
    assert "alembic_version must hold exactly c3 here" in script
    command.upgrade(config, "b2")
    result = psql(pg_url, script, stop=False)
    assert 'relation "missing_table" does not exist' in result.stderr  # type: ignore[attr-defined]
    assert "alembic_version must hold exactly c3 here" in result.stderr  # type: ignore[attr-defined]
    assert versions(pg_url) == {"b2"}
    assert _columns_and_indexes(pg_url) == ({"id", "name", "x"}, set())


def test_a_commit_the_revision_writes_itself_starts_a_guarded_segment(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], versions: Callable[[str], set[str]]
) -> None:
    """``op.execute("COMMIT")`` ends the transaction behind the framing: a guard follows it, so psql without
    ON_ERROR_STOP runs nothing after it on a database elsewhere (it created the index and dropped a
    column there; found by an audit of the review tools)."""
    raw = ('op.add_column("account", sa.Column("y", sa.Integer))\nop.execute("COMMIT")\n'
           'op.execute("CREATE INDEX CONCURRENTLY ix_y ON account (y)")\nop.execute("BEGIN")')
    history = [*SEGMENTED[:2], ("c3", "b2", raw), ("d4", "c3", 'op.drop_column("account", "name")')]
    config = project(history, url=pg_url)
    script = render(config, "b2:heads")
    assert script.count("limbeck guard") >= 3
    command.upgrade(config, "a1")  # the database is elsewhere: at a1, not b2
    result = psql(pg_url, script, stop=False)
    assert "alembic_version must hold exactly b2" in result.stderr  # type: ignore[attr-defined]
    assert versions(pg_url) == {"a1"}
    assert _columns_and_indexes(pg_url) == ({"id", "name"}, set())


def test_a_commit_inside_a_longer_text_starts_a_guarded_segment(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], versions: Callable[[str], set[str]]
) -> None:
    """``op.execute("UPDATE ...; COMMIT")``: psql runs the COMMIT as a statement of its own, so the rest is a
    segment of its own too; its guard was missing, and psql without ON_ERROR_STOP dropped a column on a
    database elsewhere (found by an audit of the review tools)."""
    raw = 'op.execute("UPDATE account SET name = \'x\'; COMMIT")'
    history = [*SEGMENTED[:2], ("c3", "b2", raw), ("d4", "c3", 'op.drop_column("account", "name")')]
    config = project(history, url=pg_url)
    script = render(config, "b2:heads")
    assert script.count("limbeck guard") >= 3
    command.upgrade(config, "a1")  # the database is elsewhere: at a1, not b2
    psql(pg_url, script, stop=False)
    assert versions(pg_url) == {"a1"}
    assert _columns_and_indexes(pg_url) == ({"id", "name"}, set())
