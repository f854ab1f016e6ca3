"""Batch mode's rebuild on PostgreSQL: the copy runs while others write, and their rows are lost.

``batch_alter_table(recreate="always")`` copies the table into a new one
(INSERT ... SELECT, an ACCESS SHARE lock only), drops the old one and renames
the new. Lint called it a DROP TABLE of every row (LB001) and a rename that
breaks code (LB003), and the plan listed two catalog changes: none of it
said that a row another session writes during the copy is gone once the old
table is dropped. Checked on the suite's PostgreSQL below.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from limbeck.config import Config
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.lint import lint, locks
from limbeck.review.sqlfiles import group_by_revision

BASE = ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))')
BATCH = (
    't = sa.Table("account", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))\n'
    'with op.batch_alter_table("account", recreate="always", copy_from=t) as b:\n'
    '    b.add_column(sa.Column("x", sa.Integer))'
)
LOCKED = 'op.execute("LOCK TABLE account IN EXCLUSIVE MODE")\n' + BATCH


def findings(config: Config) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in lint(config, RevisionRange(), "postgresql").active():
        if f.revision == "b2":
            out.setdefault(f.rule, []).append(f.message)
    return out


def test_a_batch_rebuild_says_writes_during_the_copy_are_lost(project: Callable[..., Config]) -> None:
    found = findings(project([BASE, ("b2", "a1", BATCH)]))
    assert found["LB026"] == [
        "batch mode rebuilds account: every row is copied under an ACCESS SHARE lock only, so a row another "
        "session writes during the copy is lost when the old table is dropped; LOCK TABLE account IN EXCLUSIVE "
        "MODE first, or alter it in place (batch mode is for SQLite)"
    ]
    assert "LB001" not in found and "LB003" not in found  # its rows are copied, and the name stays
    assert "LB026" not in findings(project([BASE, ("b2", "a1", LOCKED)]))
    # SQLite has no other writer while the rebuild's transaction holds the database
    assert "LB026" not in {f.rule for f in lint(project([BASE, ("b2", "a1", BATCH)]), RevisionRange(), "sqlite").active()}


def test_the_plan_lists_the_copy_as_a_rewrite(project: Callable[..., Config]) -> None:
    config = project([BASE, ("b2", "a1", BATCH)])
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    taken = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert [(t.lock.table, t.lock.mode, t.lock.duration, t.lock.existing) for t in taken][:2] == [
        ("account", "ACCESS SHARE", locks.REWRITE, True),
        ("account", "ACCESS EXCLUSIVE", locks.BRIEF, True),
    ]


def test_the_lost_write_on_postgresql(pg_url: str) -> None:
    """What the rule says, on the server: a row written during the copy is gone; LOCK TABLE stops the writer."""
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT)")
        conn.exec_driver_sql("INSERT INTO account VALUES (1, 'a')")
    for lock in ("", "LOCK TABLE account IN EXCLUSIVE MODE"):
        with engine.connect() as migration, engine.connect() as writer:
            if lock:
                migration.exec_driver_sql(lock)
            migration.exec_driver_sql("CREATE TABLE tmp (id INTEGER PRIMARY KEY, name TEXT)")
            migration.exec_driver_sql("INSERT INTO tmp SELECT id, name FROM account")
            writer.exec_driver_sql("SET lock_timeout = '200ms'")
            try:
                writer.exec_driver_sql("INSERT INTO account VALUES (2, 'written meanwhile')")
                writer.commit()
                wrote = True
            except sa.exc.OperationalError:
                writer.rollback()
                wrote = False
            migration.exec_driver_sql("DROP TABLE account")
            migration.exec_driver_sql("ALTER TABLE tmp RENAME TO account")
            migration.commit()
            assert wrote == (not lock)
            with engine.connect() as conn:
                assert list(conn.exec_driver_sql("SELECT id FROM account ORDER BY id").scalars()) == [1]


def test_what_a_rebuild_does_to_columns_is_linted(project: Callable[..., Config]) -> None:
    """The rebuild's SQL is a copy of the rows: the column it leaves out, renames or retypes is read from the
    batch's operations (SQLite's everyday batch said nothing of a dropped column's data)."""
    base = ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), '
                        'sa.Column("name", sa.String(50)), sa.Column("email", sa.String(50)))')
    body = (
        't = sa.Table("account", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), '
        'sa.Column("name", sa.String(50)), sa.Column("email", sa.String(50)))\n'
        'with op.batch_alter_table("account", recreate="always", copy_from=t) as b:\n'
        '    b.drop_column("email")\n'
        '    b.alter_column("name", new_column_name="full_name")\n'
        '    b.add_column(sa.Column("age", sa.Integer, nullable=False))\n'
        '    b.alter_column("id", type_=sa.BigInteger, existing_type=sa.Integer)'
    )
    for dialect in ("sqlite", "postgresql"):
        found = {f.rule: f.message for f in lint(project([base, ("b2", "a1", body)]), RevisionRange(), dialect).active()
                 if f.revision == "b2"}
        assert found["LB002"].startswith("drops column account.email and its data"), dialect
        assert found["LB003"].startswith("renames column account.name to full_name"), dialect
        assert found["LB004"].startswith("adds NOT NULL column account.age without a server default"), dialect
        assert found["LB005"].startswith("changes the type of account.id"), dialect
        assert "LB001" not in found
