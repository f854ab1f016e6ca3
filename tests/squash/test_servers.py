"""squash and check-squash on the suite's real PostgreSQL and MariaDB, with what each database has of its own.

PostgreSQL: an enum type two tables share, a serial table renamed (its sequence keeps the old
name), identity columns, a standalone sequence, rows seeded without ids (sequences moved on),
foreign keys in a cycle, comments, named checks, expression and partial indexes. MariaDB:
AUTO_INCREMENT, the index InnoDB makes for a foreign key, inline ENUM, TINYINT booleans.
On both, a trigger (and on PostgreSQL a function and a view) that reflection cannot see is
listed, warned about and makes the check fail, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from limbeck.errors import CommandError

from .conftest import Project, Rev

PG_HISTORY = [
    Rev("p1", None, """
        from sqlalchemy.dialects import postgresql

        op.create_table(
            "ticket",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(40), nullable=False, comment="what it is about"),
            sa.Column("state", sa.Enum("new", "done", name="state"), server_default="new", nullable=False),
            sa.CheckConstraint("length(name) > 0", name="ck_ticket_name"),
            comment="work to do",
        )
        op.create_index("ix_ticket_lower_name", "ticket", [sa.text("lower(name)")])
        op.create_index("ix_ticket_open", "ticket", ["state"], postgresql_where=sa.text("state = 'new'"))
        op.create_table(
            "event",
            sa.Column("id", sa.BigInteger, sa.Identity(start=100), primary_key=True),
            sa.Column("state", postgresql.ENUM(name="state", create_type=False)),
            sa.Column("ticket_id", sa.Integer),
        )
        op.execute(sa.schema.CreateSequence(sa.Sequence("invoice_no", start=1000)))
        op.execute("SELECT nextval('invoice_no')")
        op.execute("INSERT INTO ticket (name) VALUES ('first'), ('second')")
        op.execute("INSERT INTO event (state, ticket_id) VALUES ('done', 1)")
        op.create_table("owner", sa.Column("id", sa.Integer, primary_key=True), sa.Column("ticket_id", sa.Integer))
        op.create_foreign_key("fk_owner_ticket", "owner", "ticket", ["ticket_id"], ["id"])
        op.add_column("ticket", sa.Column("owner_id", sa.Integer))
        op.create_foreign_key("fk_ticket_owner", "ticket", "owner", ["owner_id"], ["id"], ondelete="SET NULL")
        """, """
        op.drop_constraint("fk_ticket_owner", "ticket", type_="foreignkey")
        op.drop_table("owner")
        op.drop_table("event")
        op.drop_table("ticket")
        op.execute("DROP SEQUENCE invoice_no")
        op.execute("DROP TYPE state")
        """, "tickets"),
    Rev("p2", "p1", """
        op.rename_table("ticket", "issue")
        op.rename_table("event", "happening")
        op.execute("INSERT INTO issue (name) VALUES ('third')")
        """, """
        op.execute("DELETE FROM issue WHERE name = 'third'")
        op.rename_table("happening", "event")
        op.rename_table("issue", "ticket")
        """, "rename"),
    Rev("p3", "p2", """
        op.execute("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
        op.execute("CREATE TRIGGER issue_touch BEFORE UPDATE ON issue FOR EACH ROW EXECUTE FUNCTION touch()")
        op.execute("CREATE VIEW open_issues AS SELECT id, name FROM issue WHERE state = 'new'")
        """, """
        op.execute("DROP VIEW open_issues")
        op.execute("DROP TRIGGER issue_touch ON issue")
        op.execute("DROP FUNCTION touch()")
        """, "trigger and view"),
]

MARIADB_HISTORY = [
    Rev("m1", None, """
        op.create_table(
            "ticket",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(40), nullable=False),
            sa.Column("state", sa.Enum("new", "done"), server_default="new", nullable=False),
            sa.Column("urgent", sa.Boolean, server_default=sa.false(), nullable=False),
            sa.CheckConstraint("char_length(name) > 0", name="ck_ticket_name"),
            mysql_engine="InnoDB",
        )
        op.create_table(
            "event",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("ticket_id", sa.Integer, sa.ForeignKey("ticket.id", name="fk_event_ticket")),
            mysql_engine="InnoDB",
        )
        op.execute("INSERT INTO ticket (name) VALUES ('first'), ('second')")
        op.execute("INSERT INTO event (ticket_id) VALUES (1), (2)")
        """, 'op.drop_table("event")\nop.drop_table("ticket")', "tickets"),
    Rev("m2", "m1", """
        op.rename_table("ticket", "issue")
        op.create_index("ix_issue_name", "issue", ["name"], unique=True)
        """, 'op.drop_index("ix_issue_name", table_name="issue")\nop.rename_table("issue", "ticket")', "rename"),
    Rev("m3", "m2", """
        op.execute("CREATE TRIGGER issue_touch BEFORE UPDATE ON issue FOR EACH ROW SET NEW.name = NEW.name")
        """, 'op.execute("DROP TRIGGER issue_touch")', "trigger"),
]


@pytest.fixture
def scratch() -> Iterator[Callable[[str], str]]:
    """``scratch(url)``: another empty database on *url*'s server, dropped afterwards."""
    made: list[tuple[str, str]] = []

    def make(url: str) -> str:
        base, _, name = url.rpartition("/")
        admin = f"{base}/{'postgres' if url.startswith('postgresql') else 'mysql'}"
        new = f"{name}_s{len(made)}"
        _admin(admin, f"CREATE DATABASE {new}")
        made.append((admin, new))
        return f"{base}/{new}"

    yield make
    for admin, name in made:
        _admin(admin, f"DROP DATABASE IF EXISTS {name}" + (" WITH (FORCE)" if admin.startswith("postgresql") else ""))


def _admin(url: str, sql: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def test_postgresql_checkpoint_keeps_types_sequences_and_positions(
    make_project: Callable[..., Project], pg_url: str, scratch: Callable[[str], str],
) -> None:
    project = make_project(PG_HISTORY, url=pg_url)
    out = project.run("squash", "base:p2", message="pg checkpoint", url=scratch(pg_url))
    assert "builds the same database on PostgreSQL" in out and "is empty again" in out
    text = project.checkpoint_file().read_text()
    for expected in (
        'state_type = postgresql.ENUM("new", "done", name="state", create_type=False)\n    state_type.create(op.get_bind())',
        'sa.Sequence("ticket_id_seq", data_type=sa.Integer())',  # the renamed serial's own sequence
        "ALTER SEQUENCE ticket_id_seq OWNED BY issue.id",
        'sa.Sequence("invoice_no", data_type=sa.BigInteger())',
        "SELECT setval('invoice_no', 1000)",
        "SELECT setval('ticket_id_seq', 3)",
        "sa.Identity(",
        "ALTER SEQUENCE happening_id_seq RENAME TO event_id_seq",  # a renamed identity table's sequence
        "SELECT setval('event_id_seq', 100)",
        'op.create_foreign_key(\n        op.f("fk_ticket_owner")',
        'postgresql_where="(state = \'new\'::state)"',
        'comment="work to do"',
    ):
        assert expected in text, expected
    # the checkpoint on a fresh database, then later revisions: next ids are where the history left them
    project.run("upgrade", "head")
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        assert conn.execute(sa.text("INSERT INTO issue (name) VALUES ('fourth') RETURNING id")).scalar() == 4
        assert conn.execute(sa.text("SELECT nextval('invoice_no')")).scalar() == 1001
    engine.dispose()
    assert project.heads_in() == ["p3"]


def test_postgresql_objects_reflection_cannot_see_are_listed_and_fail_the_check(
    make_project: Callable[..., Project], pg_url: str, scratch: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = make_project(PG_HISTORY, url=pg_url)
    with pytest.raises(CommandError, match=r"p3_checkpoint_of_base_p3.py was written, but it does not build what reflection "
                                           r"cannot see \(function touch\(\), trigger issue.issue_touch, view open_issues\)"):
        project.run("squash", "base:p3", url=scratch(pg_url))
    warnings = capsys.readouterr().err
    for kind, name in (("trigger", "issue.issue_touch"), ("function", "touch()"), ("view", "open_issues")):
        assert f"the replaced revisions made {kind} {name}, which this checkpoint does not build; add it by hand" in warnings
        assert f"#   {kind} {name}" in project.checkpoint_file().read_text()
    # the check finds them missing until they are added by hand; then it passes
    with pytest.raises(CommandError, match="only the replaced revisions build 'function touch\\(\\)'"):
        project.run("check_squash", "p3", urls=[scratch(pg_url)])
    path = project.checkpoint_file()
    up, down = PG_HISTORY[2].upgrade, PG_HISTORY[2].downgrade
    text = path.read_text().replace("\n\n\ndef downgrade() -> None:\n", "\n" + _indented(up) + "\n\ndef downgrade() -> None:\n" + _indented(down))
    path.write_text(text)
    out = project.run("check_squash", "p3", urls=[scratch(pg_url)])
    assert "builds the same database on PostgreSQL" in out


def _indented(body: str) -> str:
    return "".join(f"    {line.strip()}\n" for line in body.strip().splitlines())


def test_mariadb_checkpoint(
    make_project: Callable[..., Project], mariadb_url: str, scratch: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = make_project(MARIADB_HISTORY, url=mariadb_url)
    out = project.run("squash", "base:m2", message="maria checkpoint", url=scratch(mariadb_url))
    assert "builds the same database on MariaDB" in out
    text = project.checkpoint_file().read_text()
    assert 'mysql_engine="InnoDB"' in text and "mysql_default_charset=" in text
    assert "fk_event_ticket" in text and 'op.create_index(op.f("fk_event_ticket")' not in text  # InnoDB makes it
    project.run("upgrade", "head")
    assert project.heads_in() == ["m3"]
    with pytest.raises(CommandError, match=r"was written, but it does not build what reflection cannot see \(trigger "):
        project.run("squash", "base:m3", url=scratch(mariadb_url))
    assert "the replaced revisions made trigger issue.issue_touch" in capsys.readouterr().err


def test_postgresql_tables_of_another_schema_with_schema_option(
    make_project: Callable[..., Project], pg_url: str, scratch: Callable[[str], str],
) -> None:
    history = [Rev("s1", None, """
        op.execute("CREATE SCHEMA audit")
        op.create_table("log", sa.Column("id", sa.Integer, primary_key=True), sa.Column("msg", sa.Text), schema="audit")
        op.create_table("item", sa.Column("id", sa.Integer, primary_key=True))
        op.bulk_insert(sa.table("log", sa.column("id"), sa.column("msg"), schema="audit"), [{"id": 1, "msg": "hi"}])
        """, 'op.drop_table("log", schema="audit")\nop.drop_table("item")\nop.execute("DROP SCHEMA audit")', "two schemas")]
    project = make_project(history, url=pg_url)
    out = project.run("squash", "base:s1", url=scratch(pg_url), schemas=["audit"])
    assert "builds the same database on PostgreSQL" in out
    text = project.checkpoint_file().read_text()
    assert 'op.execute(sa.schema.CreateSchema("audit", if_not_exists=True))' in text
    assert 'op.execute(sa.schema.DropSchema("audit", if_exists=True))' in text
    assert 'schema="audit"' in text and '"msg": "hi"' in text
    assert "builds the same database" in project.run("check_squash", urls=[scratch(pg_url)], schemas=["audit"])
