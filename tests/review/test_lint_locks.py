"""PostgreSQL lock rules (LB020-LB025, LB008's inline REFERENCES): the SQL that triggers each and the SQL that does not.

Each rule is checked through the operations (construct path) where an
operation exists, and as raw ``op.execute()`` text read by PostgreSQL's own
parser (pglast), and by sqlglot when pglast is absent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from limbeck.config import Config
from limbeck.review.capture import RevisionRange
from limbeck.review.lint import lint

BASE = (
    "a1",
    None,
    """
    op.create_table("team", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)),
                    sa.Column("team_id", sa.Integer))
    op.create_table("tag", sa.Column("id", sa.Integer, nullable=False), sa.Column("label", sa.String(20)))
    op.create_index("ix_name", "account", ["name"])
    """,
)

AUTOCOMMIT = "with op.get_context().autocommit_block():\n    "
TIMEOUTS = "op.execute(\"SET lock_timeout = '2s'\")\nop.execute(\"SET statement_timeout = '60s'\")\n"


def execute(sql: str, autocommit: bool = False) -> str:
    return (AUTOCOMMIT if autocommit else "") + f"op.execute({sql!r})"


#: rule -> [(upgrade body that triggers it, one that does not)], operations and raw SQL
LOCK_CASES: dict[str, list[tuple[str, str]]] = {
    "LB020": [
        ('op.drop_index("ix_name", table_name="account")',
         AUTOCOMMIT + 'op.drop_index("ix_name", table_name="account", postgresql_concurrently=True)'),
        (execute("DROP INDEX ix_name"), execute("DROP INDEX CONCURRENTLY ix_name", autocommit=True)),
        # an index this revision created blocks nobody
        (execute("DROP INDEX public.ix_name"),
         'op.create_index("ix_new", "account", ["team_id"])\n' + execute("DROP INDEX ix_new")),
    ],
    "LB021": [
        ('op.add_column("account", sa.Column("token", sa.String(36), server_default=sa.text("gen_random_uuid()")))',
         'op.add_column("account", sa.Column("created", sa.DateTime, server_default=sa.func.now()))'),
        (execute("ALTER TABLE account ADD COLUMN r FLOAT DEFAULT random()"),
         execute("ALTER TABLE account ADD COLUMN r FLOAT DEFAULT 0.5")),
        (execute("ALTER TABLE account ADD COLUMN n INTEGER GENERATED ALWAYS AS (id * 2) STORED"),
         'op.create_table("fresh", sa.Column("id", sa.Integer))\n'
         + execute("ALTER TABLE fresh ADD COLUMN c TIMESTAMP DEFAULT clock_timestamp()")),
    ],
    "LB022": [
        ('op.create_primary_key("pk_tag", "tag", ["id"])',
         'op.create_table("fresh", sa.Column("id", sa.Integer))\nop.create_primary_key("pk_fresh", "fresh", ["id"])'),
        (execute("ALTER TABLE tag ADD PRIMARY KEY (id)"),
         AUTOCOMMIT + 'op.create_index("ix_tag_id", "tag", ["id"], unique=True, postgresql_concurrently=True)\n'
         + execute("ALTER TABLE tag ADD CONSTRAINT tag_pkey PRIMARY KEY USING INDEX ix_tag_id")),
    ],
    "LB023": [
        ('op.add_column("account", sa.Column("x", sa.Integer))', TIMEOUTS + 'op.add_column("account", sa.Column("x", sa.Integer))'),
        (execute("SET lock_timeout = '2s'") + '\nop.add_column("account", sa.Column("x", sa.Integer))',
         TIMEOUTS + execute("ALTER TABLE account ADD COLUMN x INTEGER")),
        # no lock on an existing table: nothing to time out
        ('op.add_column("account", sa.Column("x", sa.Integer))', 'op.create_table("fresh", sa.Column("id", sa.Integer))'),
    ],
    "LB024": [
        (execute("REINDEX TABLE account"), execute("REINDEX TABLE CONCURRENTLY account", autocommit=True)),
        (execute("REINDEX INDEX ix_name"), execute("REINDEX INDEX CONCURRENTLY ix_name", autocommit=True)),
    ],
    "LB025": [
        (execute("TRUNCATE account CASCADE"), execute("TRUNCATE account")),
    ],
    # batch mode's rebuild copies rows while others write (tests/review/test_lint_batch.py)
    "LB026": [
        ('with op.batch_alter_table("tag", recreate="always", copy_from=sa.Table("tag", sa.MetaData(), '
         'sa.Column("id", sa.Integer), sa.Column("label", sa.String(20)))) as b:\n    b.add_column(sa.Column("x", sa.Integer))',
         execute("LOCK TABLE tag IN SHARE MODE") + '\nwith op.batch_alter_table("tag", recreate="always", copy_from=sa.Table('
         '"tag", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("label", sa.String(20)))) as b:\n'
         '    b.add_column(sa.Column("x", sa.Integer))'),
    ],
}

#: LB008 (constraint without NOT VALID) also covers an inline REFERENCES of ADD COLUMN
REFERENCES = [
    ('op.add_column("account", sa.Column("team2_id", sa.Integer, sa.ForeignKey("team.id")))',
     'op.add_column("account", sa.Column("team2_id", sa.Integer))'),
    (execute("ALTER TABLE account ADD COLUMN team2_id INTEGER REFERENCES team (id)"),
     execute("ALTER TABLE account ADD COLUMN team2_id INTEGER")),
]


def found(config: Config, dialect: str = "postgresql", revision: str = "b2") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in lint(config, RevisionRange(), dialect).active():
        if finding.revision == revision:
            out.setdefault(finding.rule, []).append(finding.message)
    return out


def test_every_lock_rule_has_cases() -> None:
    from limbeck.review.lint import locks

    assert {r.id for r in locks.RULES} == set(LOCK_CASES)


CASE_IDS = [(rule, n) for rule, cases in LOCK_CASES.items() for n in range(len(cases))]


@pytest.mark.parametrize("rule, n", CASE_IDS, ids=[f"{r}-{n}" for r, n in CASE_IDS])
def test_lock_rule_fails_and_passes(project: Callable[..., Config], rule: str, n: int) -> None:
    bad, good = LOCK_CASES[rule][n]
    assert rule in found(project([BASE, ("b2", "a1", bad)]))
    assert rule not in found(project([BASE, ("b2", "a1", good)]))


@pytest.mark.parametrize("n", range(len(REFERENCES)))
def test_inline_references_is_a_constraint_without_not_valid(project: Callable[..., Config], n: int) -> None:
    bad, good = REFERENCES[n]
    messages = found(project([BASE, ("b2", "a1", bad)])).get("LB008", [])
    assert messages
    if "REFERENCES" in bad:  # limbeck itself renders add_column's foreign key as a separate constraint
        assert "inline REFERENCES team" in messages[0] and "SHARE ROW EXCLUSIVE" in messages[0]
    assert "LB008" not in found(project([BASE, ("b2", "a1", good)]))


@pytest.mark.parametrize("rule, n", [("LB020", 1), ("LB021", 1), ("LB025", 0)])
def test_raw_sql_without_pglast_goes_through_sqlglot(
    project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch, rule: str, n: int
) -> None:
    monkeypatch.setattr("limbeck.review.validate.pglast_available", lambda: False)
    bad, good = LOCK_CASES[rule][n]
    assert rule in found(project([BASE, ("b2", "a1", bad)]))
    assert rule not in found(project([BASE, ("b2", "a1", good)]))


def test_lock_rules_stay_quiet_where_there_is_no_lock_model(project: Callable[..., Config]) -> None:
    body = "\n".join(bad for rule in ("LB020", "LB021", "LB022", "LB023") for bad, _ in LOCK_CASES[rule][:1])
    assert not {"LB020", "LB021", "LB022", "LB023"} & set(found(project([BASE, ("b2", "a1", body)]), "mysql"))


def test_timeouts_set_earlier_in_the_stream_count(project: Callable[..., Config]) -> None:
    add = 'op.add_column("account", sa.Column("x", sa.Integer))'
    config = project([BASE, ("b2", "a1", TIMEOUTS), ("c3", "b2", add)])
    assert "LB023" not in found(config, revision="c3")
    # SET LOCAL ends with the transaction of its revision
    local = TIMEOUTS.replace("SET ", "SET LOCAL ")
    config = project([BASE, ("b2", "a1", local), ("c3", "b2", add)])
    config.set_main_option("transaction_per_migration", "true")
    assert "LB023" not in found(config, revision="b2")


def test_timeout_rule_level_is_configurable(project: Callable[..., Config]) -> None:
    from limbeck.errors import CommandError

    config = project([BASE, ("b2", "a1", 'op.add_column("account", sa.Column("x", sa.Integer))')])
    for value, expected in (("off", None), ("error", "error"), ("warn", "warning"), ("warning", "warning")):
        config.set_main_option("lint_timeouts", value)
        levels = [f.level for f in lint(config, RevisionRange(), "postgresql").findings if f.rule == "LB023"]
        assert levels == ([expected] if expected else [])
    config.set_main_option("lint_timeouts", "sometimes")
    with pytest.raises(CommandError, match=r"^lint_timeouts = 'sometimes': expected off, warning or error$"):
        lint(config, RevisionRange(), "postgresql")


def test_messages_name_the_lock_and_the_alternative(project: Callable[..., Config]) -> None:
    messages = {rule: found(project([BASE, ("b2", "a1", cases[0][0])]))[rule][0] for rule, cases in LOCK_CASES.items()}
    assert "ACCESS EXCLUSIVE" in messages["LB020"] and "postgresql_concurrently=True" in messages["LB020"]
    assert "gen_random_uuid()" in messages["LB021"] and "backfill" in messages["LB021"]
    assert "USING INDEX" in messages["LB022"] and "CONCURRENTLY" in messages["LB022"]
    assert "ACCESS EXCLUSIVE lock on account" in messages["LB023"] and "lock_timeout" in messages["LB023"]
    assert "CONCURRENTLY" in messages["LB024"]
    assert "empties every table with a foreign key" in messages["LB025"]


def test_missing_timeout_names_the_lock_with_its_article(project: Callable[..., Config]) -> None:
    messages = found(project([BASE, ("b2", "a1", LOCK_CASES["LB023"][0][0])]))["LB023"]
    assert messages[0].startswith("takes an ACCESS EXCLUSIVE lock on account with no lock_timeout or statement_timeout")
