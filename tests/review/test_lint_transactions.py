"""LB007 reads the transaction as the database has it: a COMMIT / BEGIN a revision writes as SQL counts.

``--guard`` and validation already read ``op.execute("COMMIT")`` as the end of
the transaction (``review.stream.transaction_control``); lint read only the
framing's own BEGIN / COMMIT, so a ``CREATE INDEX CONCURRENTLY`` after a raw
COMMIT was an error (LB007) the database does not raise, and one after a raw
BEGIN inside an ``autocommit_block()`` was not one it does raise. Each case
is also run with psql on the suite's PostgreSQL: lint says LB007 exactly
where the server refuses the statement.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.capture import RevisionRange
from limbeck.review.lint import lint

BASE = ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))')
CONCURRENTLY = 'op.create_index("ix_name", "account", ["name"], postgresql_concurrently=True)'
AUTOCOMMIT = "with op.get_context().autocommit_block():\n"

#: case -> (the revisions after a1, whether the CONCURRENTLY runs inside a transaction)
CASES: dict[str, tuple[list[tuple[str, str, str]], bool]] = {
    "raw COMMIT": ([("b2", "a1", f'op.execute("COMMIT")\n{CONCURRENTLY}')], False),
    "raw commit; in lower case": ([("b2", "a1", f'op.execute("commit;")\n{CONCURRENTLY}')], False),
    "raw END as text()": ([("b2", "a1", f'op.execute(sa.text("END"))\n{CONCURRENTLY}')], False),
    "raw COMMIT then BEGIN": ([("b2", "a1", f'op.execute("COMMIT")\nop.execute("BEGIN")\n{CONCURRENTLY}')], True),
    "raw COMMIT then START TRANSACTION": (
        [("b2", "a1", f'op.execute("COMMIT")\nop.execute("START TRANSACTION")\n{CONCURRENTLY}')], True),
    # one frame for the run: the raw COMMIT of b2 leaves c3 outside a transaction too
    "raw COMMIT in the revision before": (
        [("b2", "a1", 'op.execute("COMMIT")'), ("c3", "b2", CONCURRENTLY)], False),
    "autocommit block": ([("b2", "a1", f"{AUTOCOMMIT}    {CONCURRENTLY}")], False),
    "raw BEGIN inside an autocommit block": (
        [("b2", "a1", f'{AUTOCOMMIT}    op.execute("BEGIN")\n    {CONCURRENTLY}')], True),
    "raw BEGIN and COMMIT inside an autocommit block": (
        [("b2", "a1", f'{AUTOCOMMIT}    op.execute("BEGIN")\n    op.execute("COMMIT")\n    {CONCURRENTLY}')], False),
    # the framing's BEGIN after the autocommit block opens the transaction again
    "after an autocommit block that held a raw COMMIT": (
        [("b2", "a1", f'{AUTOCOMMIT}    op.execute("COMMIT")\n{CONCURRENTLY}')], True),
    "framed": ([("b2", "a1", CONCURRENTLY)], True),
}


def lb007(config: Config) -> list[str | None]:
    return [f.revision for f in lint(config, RevisionRange(), "postgresql").active() if f.rule == "LB007"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_lb007_follows_a_transaction_the_revision_ends_or_opens(project: Callable[..., Config], case: str) -> None:
    history, inside = CASES[case]
    found = lb007(project([BASE, *history]))
    assert found == ([history[-1][0]] if inside else [])


@pytest.mark.parametrize("case", sorted(CASES))
def test_lb007_says_what_postgresql_does(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], case: str
) -> None:
    history, inside = CASES[case]
    config = project([BASE, *history], url=pg_url)
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True)
    result = psql(pg_url, config.output_buffer.getvalue())
    refused = "cannot run inside a transaction block" in result.stderr  # type: ignore[attr-defined]
    assert refused == inside == bool(lb007(config)), result.stderr  # type: ignore[attr-defined]


def test_a_commit_written_as_sql_ends_set_local(project: Callable[..., Config]) -> None:
    """SET LOCAL lasts until the transaction ends: a raw COMMIT ends it as the framing's does (LB023)."""
    timeouts = 'op.execute("SET LOCAL lock_timeout = \'5s\'")\nop.execute("SET LOCAL statement_timeout = \'1min\'")\n'
    alter = 'op.alter_column("account", "name", nullable=False)'
    found = lint(project([BASE, ("b2", "a1", timeouts + alter)]), RevisionRange(), "postgresql").active()
    assert "LB023" not in {f.rule for f in found if f.revision == "b2"}
    found = lint(project([BASE, ("b2", "a1", timeouts + 'op.execute("COMMIT AND CHAIN")\n' + alter)]),
                 RevisionRange(), "postgresql").active()
    assert "LB023" in {f.rule for f in found if f.revision == "b2"}


@pytest.mark.parametrize(
    "text, control",
    [
        ("COMMIT", "COMMIT"), ("commit work;", "COMMIT"), ("-- done\nCOMMIT", "COMMIT"), ("/* x */ END", "END"),
        ("COMMIT AND CHAIN", "COMMIT AND CHAIN"), ("ROLLBACK AND NO CHAIN", "ROLLBACK AND NO CHAIN"),
        ("BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY", "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"),
        ("START TRANSACTION WITH CONSISTENT SNAPSHOT", "START TRANSACTION WITH CONSISTENT SNAPSHOT"),
        ("ROLLBACK TO SAVEPOINT s", None), ("COMMIT PREPARED 'x'", None), ("BEGIN\n  NULL;\nEND;", None),
    ],
)
def test_transaction_control_reads_the_options(text: str, control: str | None) -> None:
    from limbeck.review.stream import opens_transaction, transaction_control

    assert transaction_control(text) == control
    if control is not None:
        assert opens_transaction(control) == control.startswith(("BEGIN", "START", "COMMIT AND CHAIN"))


def test_reindex_concurrently_inside_a_transaction(project: Callable[..., Config]) -> None:
    """REINDEX CONCURRENTLY cannot run inside a transaction block either (LB007 knew only CREATE / DROP INDEX)."""
    reindex = 'op.execute("REINDEX TABLE CONCURRENTLY account")'
    assert lb007(project([BASE, ("b2", "a1", reindex)])) == ["b2"]
    assert lb007(project([BASE, ("b2", "a1", f"{AUTOCOMMIT}    {reindex}")])) == []


@pytest.mark.parametrize("text", ["UPDATE account SET name = 'x'; COMMIT", "COMMIT; SELECT 1", "SELECT 'a;b'; END;"])
def test_a_commit_inside_a_longer_text_is_read(text: str) -> None:
    from limbeck.review.stream import transaction_control

    assert transaction_control(text, "postgresql") in ("COMMIT", "END")
    assert transaction_control("SELECT 'COMMIT; BEGIN'", "postgresql") is None
    assert transaction_control("DO $$BEGIN COMMIT; END$$", "postgresql") is None


#: statements PostgreSQL refuses inside a transaction block, besides CONCURRENTLY
NO_TRANSACTION = ["VACUUM account", "VACUUM (FULL) account", "CLUSTER", "CREATE DATABASE limbeck_never", "ALTER SYSTEM RESET work_mem"]


@pytest.mark.parametrize("statement", NO_TRANSACTION)
def test_statements_that_cannot_run_in_a_transaction_are_lb007(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object], statement: str
) -> None:
    inside = project([BASE, ("b2", "a1", f"op.execute({statement!r})")], url=pg_url)
    assert lb007(inside) == ["b2"]
    config = inside.attributes["project"].fresh_config()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True)
    result = psql(pg_url, config.output_buffer.getvalue())
    assert "cannot run inside a transaction block" in result.stderr  # type: ignore[attr-defined]
    outside = project([BASE, ("b2", "a1", f"{AUTOCOMMIT}    op.execute({statement!r})")])
    assert lb007(outside) == []


def test_a_commit_written_as_sql_splits_the_revision(project: Callable[..., Config]) -> None:
    """LB010 said autocommit_block() splits a revision's transaction; op.execute("COMMIT") does the same."""
    body = 'op.add_column("account", sa.Column("x", sa.Integer))\nop.execute("UPDATE account SET x = 1; COMMIT")'
    found = [f.message for f in lint(project([BASE, ("b2", "a1", body)]), RevisionRange(), "postgresql").active()
             if f.rule == "LB010"]
    assert found == ["a COMMIT written as SQL commits the revision's transaction midway: its earlier DDL and its "
                     "version-table update are no longer atomic"]
    # inside an autocommit block no transaction is open: the block itself is what splits it
    inside = f'op.add_column("account", sa.Column("x", sa.Integer))\n{AUTOCOMMIT}    op.execute("COMMIT")'
    found = [f.message for f in lint(project([BASE, ("b2", "a1", inside)]), RevisionRange(), "postgresql").active()
             if f.rule == "LB010"]
    assert found == ["autocommit_block() commits the revision's transaction midway: its earlier DDL and its "
                     "version-table update are no longer atomic"]


@pytest.mark.parametrize(
    "dialect, text, control",
    [
        ("mssql", "IF 1 = 1 BEGIN UPDATE account SET name = 'x'; END", None),  # a T-SQL block's END
        ("mysql", "UPDATE account SET name = 'x'; END", None),
        ("mssql", "UPDATE account SET name = 'x'; COMMIT", "COMMIT"),
        ("sqlite", "UPDATE account SET name = 'x'; END TRANSACTION", "END"),
        ("postgresql", "UPDATE account SET name = 'x'; ABORT", "ABORT"),
    ],
)
def test_end_ends_a_transaction_only_where_the_database_reads_it_so(dialect: str, text: str, control: str | None) -> None:
    from limbeck.review.stream import transaction_control

    assert transaction_control(text, dialect) == control
