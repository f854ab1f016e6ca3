"""The plan's lock rows, each checked against what PostgreSQL does.

Every statement below runs in a transaction on the suite's PostgreSQL; the
lock it holds on the table is read from ``pg_locks``, a rewrite from the
table's new ``relfilenode``, an index build from a new row in ``pg_index``.
The plan's row (``revision_locks``, what ``plan`` lists) must name the same
mode, and call the statement a rewrite, an index build or neither exactly
where the server did one. ``LOCK TABLE``, ``CLUSTER``, ``REFRESH MATERIALIZED
VIEW`` and ``DROP SCHEMA`` / ``DROP TYPE ... CASCADE`` had no row; ``SET
UNLOGGED`` was a catalog change and ``ADD CONSTRAINT ... EXCLUDE`` a scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from limbeck import command
from limbeck.config import Config
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.lint import locks
from limbeck.review.sqlfiles import group_by_revision

SETUP = [
    "CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT, period INT4RANGE)",
    "INSERT INTO account VALUES (1, 'a', '[1,2)')",
    "CREATE MATERIALIZED VIEW mv AS SELECT id FROM account",
    "CREATE UNIQUE INDEX mv_id ON mv (id)",
    "CREATE SCHEMA archive",
    "CREATE TABLE archive.old (id INTEGER)",
    "CREATE TYPE mood AS ENUM ('glad')",
    "CREATE TABLE feel (id INTEGER, m mood)",
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    "CREATE TRIGGER t0 BEFORE INSERT ON account FOR EACH ROW EXECUTE FUNCTION touch()",
]

#: statement -> (the table whose lock is read, the plan's mode, what it is held for)
CASES: dict[str, tuple[str, str, str]] = {
    "LOCK TABLE account IN SHARE MODE": ("account", "SHARE", locks.TRANSACTION),
    "LOCK account": ("account", "ACCESS EXCLUSIVE", locks.TRANSACTION),
    "LOCK TABLE account IN ROW EXCLUSIVE MODE": ("account", "ROW EXCLUSIVE", locks.TRANSACTION),
    "CLUSTER account USING account_pkey": ("account", "ACCESS EXCLUSIVE", locks.REWRITE),
    "REFRESH MATERIALIZED VIEW mv": ("mv", "ACCESS EXCLUSIVE", locks.REWRITE),
    "REFRESH MATERIALIZED VIEW CONCURRENTLY mv": ("mv", "EXCLUSIVE", locks.SCAN),
    "DROP SCHEMA archive CASCADE": ("archive.old", "ACCESS EXCLUSIVE", locks.BRIEF),
    "DROP TYPE mood CASCADE": ("feel", "ACCESS EXCLUSIVE", locks.BRIEF),
    "ALTER TABLE account SET UNLOGGED": ("account", "ACCESS EXCLUSIVE", locks.REWRITE),
    "ALTER TABLE account ADD CONSTRAINT no_overlap EXCLUDE USING gist (period WITH &&)": (
        "account", "ACCESS EXCLUSIVE", locks.BUILD),
    "ALTER TABLE account ALTER COLUMN name TYPE VARCHAR(10)": ("account", "ACCESS EXCLUSIVE", locks.REWRITE),
    "ALTER TABLE account ADD COLUMN x INTEGER": ("account", "ACCESS EXCLUSIVE", locks.BRIEF),
    "ANALYZE account": ("account", "SHARE UPDATE EXCLUSIVE", locks.SCAN),
    # what hangs on a table, and the ALTER TABLE forms that take less than ACCESS EXCLUSIVE
    "CREATE TRIGGER t1 BEFORE INSERT ON account FOR EACH ROW EXECUTE FUNCTION touch()": (
        "account", "SHARE ROW EXCLUSIVE", locks.BRIEF),
    "DROP TRIGGER t0 ON account": ("account", "ACCESS EXCLUSIVE", locks.BRIEF),
    "CREATE POLICY p ON account USING (true)": ("account", "ACCESS EXCLUSIVE", locks.BRIEF),
    "CREATE RULE r AS ON INSERT TO account DO INSTEAD NOTHING": ("account", "ACCESS EXCLUSIVE", locks.BRIEF),
    "CREATE STATISTICS st ON id, name FROM account": ("account", "SHARE UPDATE EXCLUSIVE", locks.BRIEF),
    "COMMENT ON COLUMN account.name IS 'shown'": ("account", "SHARE UPDATE EXCLUSIVE", locks.BRIEF),
    "ALTER TABLE account DISABLE TRIGGER t0": ("account", "SHARE ROW EXCLUSIVE", locks.BRIEF),
    "ALTER TABLE account ALTER COLUMN name SET STATISTICS 100": ("account", "SHARE UPDATE EXCLUSIVE", locks.BRIEF),
    "ALTER TABLE account ALTER COLUMN name SET (n_distinct = 1)": ("account", "SHARE UPDATE EXCLUSIVE", locks.BRIEF),
    "ALTER TABLE account CLUSTER ON account_pkey": ("account", "SHARE UPDATE EXCLUSIVE", locks.BRIEF),
}


def _mode(pg_name: str) -> str:
    """``ShareRowExclusiveLock`` -> ``SHARE ROW EXCLUSIVE``."""
    return " ".join(re.findall(r"[A-Z][a-z]+", pg_name.removesuffix("Lock"))).upper()


def observed(url: str, statement: str, table: str) -> tuple[str, str]:
    """The strongest lock ``statement`` holds on ``table``, and what the server did to it."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        oid, node = conn.exec_driver_sql(f"SELECT oid, relfilenode FROM pg_class WHERE oid = '{table}'::regclass").one()
        indexes = conn.exec_driver_sql(f"SELECT count(*) FROM pg_index WHERE indrelid = {oid}").scalar()
        conn.commit()
        with conn.begin() as transaction:
            conn.exec_driver_sql(statement)
            held = {_mode(m) for m in conn.exec_driver_sql(
                f"SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = {oid}"
            ).scalars()}
            after = conn.exec_driver_sql(f"SELECT relfilenode FROM pg_class WHERE oid = {oid}").scalar()
            built = conn.exec_driver_sql(f"SELECT count(*) FROM pg_index WHERE indrelid = {oid}").scalar()
            transaction.rollback()
    strongest = min(held, key=list(locks.BLOCKS).index)
    if statement.startswith("LOCK"):
        did = locks.TRANSACTION
    elif after is not None and after != node:
        did = locks.REWRITE
    elif built != indexes:
        did = locks.BUILD
    else:
        did = "other"
    return strongest, did


@pytest.mark.parametrize("statement", sorted(CASES))
def test_plan_lock_rows_say_what_postgresql_does(project: Callable[..., Config], pg_url: str, statement: str) -> None:
    table, mode, held_for = CASES[statement]
    setup = "\n".join(f"op.execute({s!r})" for s in SETUP)
    config = project([("a1", None, setup), ("b2", "a1", f"op.execute({statement!r})")], url=pg_url)
    command.upgrade(config, "a1")
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    (taken,) = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert (taken.lock.mode, taken.lock.duration) == (mode, held_for)
    assert taken.lock.existing
    server_mode, server_did = observed(pg_url, statement, table)
    assert server_mode == mode
    assert server_did == held_for or (server_did == "other" and held_for in (locks.BRIEF, locks.SCAN))


@pytest.mark.parametrize("statement", ["DROP SCHEMA archive", "DROP TYPE mood", "DROP DOMAIN d"])
def test_a_drop_that_fails_unless_nothing_uses_it_locks_no_table(project: Callable[..., Config], statement: str) -> None:
    config = project([("a1", None, f"op.execute({statement!r})")])
    records = capture(config, RevisionRange(), dialect="postgresql").records
    assert locks.revision_locks("a1", records, "postgresql", set()) == []


def test_cascading_drops_are_lint_errors(project: Callable[..., Config]) -> None:
    from limbeck.review.lint import lint

    body = 'op.execute("DROP SCHEMA archive CASCADE")\nop.execute("DROP TYPE mood CASCADE")\nop.execute("DROP TYPE glad")'
    found = {(f.rule, f.message) for f in lint(project([("a1", None, body)]), RevisionRange(), "postgresql").active()}
    assert ("LB001", "drops schema archive with CASCADE: every table in it goes, and every row in them") in found
    assert ("LB002", "drops type mood with CASCADE: every column of that type goes, and its data") in found
    assert not any("glad" in message for _, message in found)


def test_a_table_dropped_in_another_schema_is_not_the_one_the_change_made(project: Callable[..., Config]) -> None:
    """DROP TABLE archive.account written as text kept only ``account``: the new public table hid the drop."""
    from limbeck.review.lint import lint

    body = ('op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))\n'
            'op.execute("DROP TABLE archive.account")')
    found = [f.message for f in lint(project([("a1", None, body)]), RevisionRange(), "postgresql").active() if f.rule == "LB001"]
    assert found == ["drops table archive.account and every row in it"]


def test_create_exclude_constraint_builds_an_index(project: Callable[..., Config]) -> None:
    setup = 'op.create_table("booking", sa.Column("id", sa.Integer, primary_key=True), sa.Column("period", sa.Integer))'
    exclude = 'op.create_exclude_constraint("no_overlap", "booking", ("period", "="), using="gist")'
    config = project([("a1", None, setup), ("b2", "a1", exclude)])
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    (taken,) = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert (taken.lock.mode, taken.lock.duration) == ("ACCESS EXCLUSIVE", locks.BUILD)


def test_vacuum_full_rewrites_the_table(project: Callable[..., Config], pg_url: str) -> None:
    """VACUUM cannot run in a transaction, so its lock is not read here; VACUUM FULL's new relfilenode is."""
    config = project([("a1", None, "\n".join(f"op.execute({s!r})" for s in SETUP)),
                      ("b2", "a1", 'op.execute("VACUUM FULL account")\nop.execute("VACUUM account")')], url=pg_url)
    command.upgrade(config, "a1")
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    taken = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert [(t.lock.mode, t.lock.duration) for t in taken] == [
        ("ACCESS EXCLUSIVE", locks.REWRITE), ("SHARE UPDATE EXCLUSIVE", locks.SCAN)]
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        node = "SELECT relfilenode FROM pg_class WHERE oid = 'account'::regclass"
        before = conn.exec_driver_sql(node).scalar()
        conn.exec_driver_sql("VACUUM account")
        assert conn.exec_driver_sql(node).scalar() == before
        conn.exec_driver_sql("VACUUM FULL account")
        assert conn.exec_driver_sql(node).scalar() != before
