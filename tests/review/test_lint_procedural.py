"""What a DO block runs is read: its static SQL by the same rules, the rest said to be unread.

``op.execute("DO $$ BEGIN DROP TABLE account; END $$")`` passed lint with
no finding and had no row in the plan's lock table: PostgreSQL's parser sees
one DoStmt, and nothing read its body. Now PL/pgSQL's own parser (pglast)
gives the statements the block runs; what cannot be known offline
(``EXECUTE`` of a built string, ``CALL`` of a procedure, a block in another
language) is an LB000 warning: no rule checked it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from limbeck.config import Config
from limbeck.review.capture import RevisionRange, capture
from limbeck.review.lint import lint, locks
from limbeck.review.sqlfiles import group_by_revision

BASE = ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))')


def found(config: Config) -> list[tuple[str, str, str]]:
    return [(f.rule, f.level, f.message) for f in lint(config, RevisionRange(), "postgresql").active() if f.revision == "b2"]


def test_a_do_blocks_static_sql_is_linted_and_locked(project: Callable[..., Config]) -> None:
    body = ('op.execute("DO $$ BEGIN IF true THEN ALTER TABLE account ALTER COLUMN name TYPE varchar(10); END IF; '
            'DROP TABLE account; END $$")')
    config = project([BASE, ("b2", "a1", body)])
    rules = {rule for rule, _, _ in found(config)}
    assert {"LB001", "LB005"} <= rules and "LB000" not in rules
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    taken = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert [(t.lock.mode, t.lock.duration, t.text) for t in taken] == [
        ("ACCESS EXCLUSIVE", locks.REWRITE, "ALTER TABLE account ALTER COLUMN name TYPE varchar(10)"),
        ("ACCESS EXCLUSIVE", locks.BRIEF, "DROP TABLE account"),
    ]


@pytest.mark.parametrize(
    "text, unread",
    [
        ("DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'account'); END $$", "EXECUTE of a string built at run time"),
        ("CALL cleanup()", "CALL runs a procedure"),
        ("DO LANGUAGE plperl $$ 1; $$", "a DO block in plperl"),
    ],
)
def test_what_cannot_be_read_offline_is_said(project: Callable[..., Config], text: str, unread: str) -> None:
    (finding,) = found(project([BASE, ("b2", "a1", f"op.execute({text!r})")]))
    assert finding[:2] == ("LB000", "warning") and unread in finding[2] and "no rule checked" in finding[2]


def test_a_plain_statement_in_a_longer_text_has_its_own_row(project: Callable[..., Config]) -> None:
    body = 'op.execute("ALTER TABLE account ADD COLUMN z INTEGER; DROP TABLE account")'
    config = project([BASE, ("b2", "a1", body)])
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    taken = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert [t.text for t in taken] == ["ALTER TABLE account ADD COLUMN z INTEGER", "DROP TABLE account"]


def test_concurrently_inside_a_do_block_fails_even_outside_a_transaction(
    project: Callable[..., Config], pg_url: str, psql: Callable[..., object]
) -> None:
    """PostgreSQL refuses CREATE INDEX CONCURRENTLY run from a function or DO block, transaction or not: LB007."""
    block = 'op.execute("DO $$ BEGIN CREATE INDEX CONCURRENTLY ix_name ON account (name); END $$")'
    config = project([BASE, ("b2", "a1", f"with op.get_context().autocommit_block():\n    {block}")], url=pg_url)
    assert [rule for rule, _, _ in found(config)].count("LB007") == 1
    import io

    from limbeck import command

    config.output_buffer = io.StringIO()
    command.upgrade(config, "heads", sql=True)
    result = psql(pg_url, config.output_buffer.getvalue())
    assert "cannot be executed from a function" in result.stderr  # type: ignore[attr-defined]


def test_a_longer_text_with_letters_beyond_ascii_is_cut_at_its_statements(project: Callable[..., Config]) -> None:
    body = 'op.execute("UPDATE account SET name = \'ééé\'; DROP TABLE account")'
    config = project([BASE, ("b2", "a1", body)])
    records = capture(config, RevisionRange("a1", "b2"), dialect="postgresql").records
    taken = locks.revision_locks("b2", group_by_revision(records)[1]["b2"], "postgresql", set())
    assert [t.text for t in taken] == ["DROP TABLE account"]
