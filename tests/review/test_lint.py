"""Every lint rule with a failing and a passing case, suppression, output formats and exit status."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.capture import RevisionRange
from limbeck.review.errors import LintFailed
from limbeck.review.lint import RULES, lint

BASE = (
    "a1",
    None,
    """
    op.create_table("team", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50)),
        sa.Column("email", sa.String(100)),
        sa.Column("team_id", sa.Integer),
    )
    """,
)

NEW_TABLE = 'op.create_table("fresh", sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(10)))\n'

#: rule -> (dialect, upgrade body that triggers it, one that does not)
CASES: dict[str, tuple[str, str, str]] = {
    "LB001": ("sqlite", 'op.drop_table("team")', NEW_TABLE + 'op.drop_table("fresh")'),
    "LB002": ("sqlite", 'op.drop_column("account", "email")', 'op.add_column("account", sa.Column("phone", sa.String(20)))'),
    "LB003": ("postgresql", 'op.alter_column("account", "name", new_column_name="full_name")',
              'op.alter_column("account", "name", comment="display name")'),
    # a server default fills only new rows: SET NOT NULL still fails on existing NULLs (issue 16)
    "LB004": ("postgresql", 'op.alter_column("account", "name", nullable=False, existing_type=sa.String(50), existing_server_default="?")',
              NEW_TABLE + 'op.alter_column("fresh", "v", nullable=False, existing_type=sa.String(10))'),
    "LB005": ("postgresql", 'op.alter_column("account", "name", type_=sa.Text(), existing_type=sa.String(50))',
              NEW_TABLE + 'op.alter_column("fresh", "v", type_=sa.Text(), existing_type=sa.String(10))'),
    "LB006": ("postgresql", 'op.create_index("ix_name", "account", ["name"])',
              'with op.get_context().autocommit_block():\n    op.create_index("ix_name", "account", ["name"], postgresql_concurrently=True)'),
    "LB007": ("postgresql", 'op.create_index("ix_name", "account", ["name"], postgresql_concurrently=True)',
              'with op.get_context().autocommit_block():\n    op.create_index("ix_name", "account", ["name"], postgresql_concurrently=True)'),
    "LB008": ("postgresql", 'op.create_foreign_key("fk_team", "account", "team", ["team_id"], ["id"])',
              'op.create_foreign_key("fk_team", "account", "team", ["team_id"], ["id"], postgresql_not_valid=True)'),
    "LB009": ("postgresql", 'op.create_unique_constraint("uq_email", "account", ["email"])',
              NEW_TABLE + 'op.create_index("ix_fresh_v", "fresh", ["v"], unique=True)'),
    "LB010": ("postgresql", 'op.add_column("account", sa.Column("x", sa.Integer))\nwith op.get_context().autocommit_block():\n    op.execute("VACUUM account")',
              'op.add_column("account", sa.Column("x", sa.Integer))\nop.execute("ANALYZE account")'),
    "LB011": ("mysql", 'op.add_column("account", sa.Column("x", sa.Integer))\nop.execute("UPDATE account SET x = 1")',
              'op.add_column("account", sa.Column("x", sa.Integer))\nop.add_column("account", sa.Column("y", sa.Integer))'),
    "LB015": ("sqlite", 'op.add_column("account", sa.Column("total", sa.Integer, sa.Computed("id * 2", persisted=True)))',
              NEW_TABLE + 'op.add_column("fresh", sa.Column("total", sa.Integer, sa.Computed("id * 2", persisted=True)))'),
    "LB013": ("sqlite", 'op.get_bind().execute(sa.text("SELECT id FROM account")).fetchall()',
              'op.get_bind().execute(sa.text("UPDATE account SET name = \'x\'"))'),
    "LB014": ("postgresql", 'op.execute(sa.select(sa.table("account", sa.column("id"))))',
              ('op.execute(sa.text("WITH old AS (SELECT id FROM account) UPDATE account SET name = \'x\' '
               'WHERE id IN (SELECT id FROM old)"))')),
}


def findings(config: Config, dialect: str, revision: str = "b2") -> dict[str, list[str]]:
    result = lint(config, RevisionRange(), dialect)
    out: dict[str, list[str]] = {}
    for finding in result.active():
        if finding.revision == revision:
            out.setdefault(finding.rule, []).append(finding.message)
    return out


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fails_and_passes(project: Callable[..., Config], rule: str) -> None:
    dialect, bad, good = CASES[rule]
    assert rule in findings(project([BASE, ("b2", "a1", bad)]), dialect)
    assert rule not in findings(project([BASE, ("b2", "a1", good)]), dialect)


def test_every_rule_has_cases() -> None:
    from limbeck.review.lint import locks

    # the lock rules have their cases in test_lint_locks.py
    assert {r.id for r in RULES} == set(CASES) | {r.id for r in locks.RULES} | {"LB012"}
    assert [r.id for r in RULES][:15] == [f"LB{n:03d}" for n in range(1, 16)]
    assert [r.id for r in RULES] == sorted({r.id for r in RULES})


def test_alter_column_with_a_sql_function_default_does_not_crash(project: Callable[..., Config]) -> None:
    # issue 16: sa.func.now() as server_default made lint and plan crash with a traceback
    bad = 'op.alter_column("account", "name", nullable=False, server_default=sa.func.now())'
    config = project([BASE, ("b2", "a1", bad), ("c3", "b2", bad)])
    result = lint(config, RevisionRange(), "postgresql")
    assert [(f.rule, f.revision) for f in result.findings if f.rule == "LB004"] == [("LB004", "b2"), ("LB004", "c3")]
    assert not [f for f in result.findings if f.rule == "LB000"]
    command.plan(config, None, "json", "postgresql")


def test_a_failing_rule_is_a_finding_and_the_review_goes_on(
    project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    from limbeck.review.lint import registry, rules

    def broken(record: object, fact: object, scope: object) -> str | None:
        raise TypeError("Boolean value of this clause is not defined")

    patched = tuple(
        rules.Rule(r.id, r.name, r.level, r.summary, statement=broken) if r.id == "LB005" else r for r in registry.RULES
    )
    monkeypatch.setattr("limbeck.review.lint.engine.RULES", patched)
    config = project([BASE, ("b2", "a1", 'op.drop_table("team")'), ("c3", "b2", 'op.drop_column("account", "email")')])
    result = lint(config, RevisionRange(), "sqlite")
    by_rule = [(f.rule, f.revision) for f in result.findings]
    assert ("LB001", "b2") in by_rule and ("LB002", "c3") in by_rule
    failed = [f for f in result.findings if f.rule == "LB000"]
    assert {f.revision for f in failed} == {"a1", "b2", "c3"} and failed[0].level == "error"
    assert "rule LB005 (column-type-change) failed here and did not check this statement: TypeError" in failed[0].message


@pytest.mark.parametrize("parser", ["pglast", "sqlglot"])
def test_an_index_rename_is_not_a_table_rename(
    project: Callable[..., Config], monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    # issue 16: ALTER INDEX ... RENAME was reported as LB003 (a table rename)
    if parser == "sqlglot":
        monkeypatch.setattr("limbeck.review.validate.pglast_available", lambda: False)
    config = project([BASE, ("b2", "a1", 'op.create_index("ix_name", "account", ["name"])'),
                      ("c3", "b2", 'op.execute("ALTER INDEX ix_name RENAME TO ix_account_name")')])
    assert "LB003" not in findings(config, "postgresql", "c3")
    # a table rename as text still is one
    renamed = project([BASE, ("b2", "a1", 'op.execute("ALTER TABLE team RENAME TO squad")')])
    assert "LB003" in findings(renamed, "postgresql")


@pytest.mark.parametrize(
    "rule, dialect, text",
    [
        ("LB001", "postgresql", "DROP TABLE team"),
        ("LB002", "mysql", "ALTER TABLE account DROP COLUMN email"),
        ("LB003", "postgresql", "ALTER TABLE team RENAME TO squad"),
        ("LB004", "postgresql", "ALTER TABLE account ALTER COLUMN name SET NOT NULL"),
        ("LB005", "postgresql", "ALTER TABLE account ALTER COLUMN name TYPE TEXT"),
        ("LB006", "postgresql", "CREATE INDEX ix ON account (name)"),
        ("LB007", "postgresql", "CREATE INDEX CONCURRENTLY ix ON account (name)"),
        ("LB008", "postgresql", "ALTER TABLE account ADD CONSTRAINT ck CHECK (id > 0)"),
        ("LB009", "postgresql", "ALTER TABLE account ADD CONSTRAINT uq UNIQUE (email)"),
        ("LB014", "postgresql", "SELECT id FROM account"),
        ("LB014", "mssql", "WITH a AS (SELECT id FROM account) SELECT * FROM a"),
        ("LB014", "mysql", "SELECT 1 UNION SELECT 2"),
    ],
)
def test_plain_text_execute_is_read_through_sqlglot(project: Callable[..., Config], rule: str, dialect: str, text: str) -> None:
    assert rule in findings(project([BASE, ("b2", "a1", f"op.execute({text!r})")]), dialect)


def test_select_into_creates_a_table_and_is_not_a_read(project: Callable[..., Config]) -> None:
    body = 'op.execute("SELECT * INTO account_copy FROM account")'
    assert "LB014" not in findings(project([BASE, ("b2", "a1", body)]), "mssql")


def test_not_valid_text_passes(project: Callable[..., Config]) -> None:
    body = 'op.execute("ALTER TABLE account ADD CONSTRAINT fk FOREIGN KEY (team_id) REFERENCES team (id) NOT VALID")'
    assert "LB008" not in findings(project([BASE, ("b2", "a1", body)]), "postgresql")


def test_not_null_column_added_without_default(project: Callable[..., Config]) -> None:
    bad = 'op.add_column("account", sa.Column("age", sa.Integer, nullable=False))'
    good = 'op.add_column("account", sa.Column("age", sa.Integer, nullable=False, server_default="0"))'
    assert "LB004" in findings(project([BASE, ("b2", "a1", bad)]), "postgresql")
    assert "LB004" not in findings(project([BASE, ("b2", "a1", good)]), "postgresql")


def test_sqlite_columns_that_need_an_empty_table(project: Callable[..., Config]) -> None:
    stored = 'op.add_column("account", sa.Column("total", sa.Integer, sa.Computed("id * 2", persisted=True)))'
    found = findings(project([BASE, ("b2", "a1", stored)]), "sqlite")
    assert found["LB015"] == [
        (
            "adds column account.total, which fails on a table with rows: SQLite adds a STORED generated column "
            "only to an empty table; use Computed(..., persisted=False), or add it in op.batch_alter_table(), "
            "which rebuilds the table"
        )
    ]
    # elsewhere a STORED column is added to a table with rows
    assert "LB015" not in findings(project([BASE, ("b2", "a1", stored)]), "postgresql")
    # NOT NULL without a default is LB004's (once); an Identity gives SQLite no default, so LB015 says it
    not_null = 'op.add_column("account", sa.Column("age", sa.Integer, nullable=False))'
    found = findings(project([BASE, ("b2", "a1", not_null)]), "sqlite")
    assert "LB004" in found and "LB015" not in found
    identity = 'op.add_column("account", sa.Column("seq", sa.Integer, sa.Identity()))'
    assert "without a default only to an empty table" in findings(project([BASE, ("b2", "a1", identity)]), "sqlite")["LB015"][0]


def test_postgresql_rules_stay_quiet_elsewhere(project: Callable[..., Config]) -> None:
    config = project([BASE, ("b2", "a1", CASES["LB006"][1] + "\n" + CASES["LB008"][1])])
    assert not {"LB006", "LB008"} & set(findings(config, "mysql"))


def test_revision_id_too_long(project: Callable[..., Config]) -> None:
    long_id = "x" * 33
    result = lint(project([BASE, (long_id, "a1", "pass")]), RevisionRange(), "sqlite")
    assert [(f.rule, f.revision) for f in result.findings] == [("LB012", long_id)]
    assert "33 characters; version_num holds 32" in result.findings[0].message
    assert result.stopped and result.errors == 1
    ok = lint(project([BASE, ("y" * 32, "a1", "pass")]), RevisionRange(), "sqlite")
    assert not [f for f in ok.findings if f.rule == "LB012"]


def test_finding_points_at_the_line_of_the_operation(project: Callable[..., Config]) -> None:
    config = project([BASE, ("b2", "a1", 'op.add_column("account", sa.Column("x", sa.Integer))\nop.drop_table("team")')])
    (finding,) = [f for f in lint(config, RevisionRange(), "sqlite").findings if f.rule == "LB001"]
    source = config.attributes["project"].path("b2").read_text().splitlines()
    assert finding.line is not None and source[finding.line - 1].strip() == 'op.drop_table("team")'
    assert finding.path is not None and finding.path.endswith("b2_revision.py")


@pytest.mark.parametrize("comment", ["# limbeck: allow LB001", "# limbeck: allow drop-table, LB003", "#limbeck:allow lb001"])
def test_suppression_comment(project: Callable[..., Config], comment: str) -> None:
    config = project([BASE, ("b2", "a1", 'op.drop_table("team")', "pass", None, comment)])
    result = lint(config, RevisionRange(), "sqlite")
    (finding,) = [f for f in result.findings if f.rule == "LB001"]
    assert finding.suppressed and result.errors == 0


def test_suppression_must_be_a_comment_and_is_per_revision(project: Callable[..., Config]) -> None:
    in_string = 'NOTE = "# limbeck: allow LB001"'
    config = project([
        BASE,
        ("b2", "a1", 'op.drop_table("team")', "pass", None, in_string),
        ("c3", "b2", 'op.drop_column("account", "email")', "pass", None, "# limbeck: allow LB001"),
    ])
    result = lint(config, RevisionRange(), "sqlite")
    assert [(f.rule, f.revision, f.suppressed) for f in result.findings if f.level == "error"] == [
        ("LB001", "b2", False), ("LB002", "c3", False),
    ]


def test_text_and_json_output_and_exit_status(
    project: Callable[..., Config], printed: Callable[[Config], str], invoke: Callable[..., object]
) -> None:
    config = project([BASE, ("b2", "a1", 'op.drop_table("team")\nop.alter_column("account", "name", new_column_name="n")')])
    config.set_main_option("lint_timeouts", "off")
    proj = config.attributes["project"]
    ini = proj.root / "limbeck.ini"
    ini.write_text(ini.read_text().replace("[limbeck]\n", "[limbeck]\nlint_timeouts = off\n", 1))
    with pytest.raises(LintFailed, match="lint found 1 error in base:heads"):
        command.lint(config, None, "text", "postgresql")
    text = printed(config)
    assert "b2_revision.py:" in text and ": LB001 error drop-table: drops table team" in text
    assert "LB003 warning rename" in text
    assert text.rstrip().endswith("postgresql base:heads: 1 error, 1 warning")
    result = invoke(config, "lint", "--format", "json", "--dialect", "postgresql")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["errors"] == 1 and data["warnings"] == 1 and data["dialect"] == "postgresql"
    assert {f["rule"] for f in data["findings"]} == {"LB001", "LB003"}
    assert set(data["findings"][0]) == {"rule", "name", "level", "revision", "path", "line", "message", "suppressed"}
    clean = invoke(project([BASE]), "lint")
    assert clean.exit_code == 0 and "0 errors" in clean.stdout  # type: ignore[attr-defined]


def test_the_reason_after_an_allow_list_allows_nothing_more(project: Callable[..., Config]) -> None:
    """Words of the reason that happen to name rules ("drop-table") are not rules allowed (found by an audit)."""
    comment = "# limbeck: allow LB006 because the table is tiny - a rename or drop-table comes later"
    body = 'op.create_index("ix_name", "account", ["name"])\nop.drop_table("team")'
    config = project([BASE, ("b2", "a1", body, "pass", None, comment)])
    result = lint(config, RevisionRange(), "postgresql")
    states = {f.rule: f.suppressed for f in result.findings if f.revision == "b2"}
    assert states["LB006"] is True and states["LB001"] is False and result.errors >= 1


def test_a_statement_not_read_is_always_an_error_and_cannot_be_allowed(project: Callable[..., Config]) -> None:
    """LB000 says no rule checked a statement: PostgreSQL's parser refusing it is an error, never allowed away."""
    body = 'op.execute("DROP TABLE team; SELEC 1")'
    config = project([BASE, ("b2", "a1", body, "pass", None, "# limbeck: allow LB000")])
    result = lint(config, RevisionRange(), "postgresql")
    (finding,) = [f for f in result.findings if f.rule == "LB000"]
    assert not finding.suppressed and finding.level == "error" and "could not be read" in finding.message
    assert result.errors == 1


@pytest.mark.parametrize("unset", ["RESET lock_timeout", "SET lock_timeout = 0", "SET lock_timeout TO DEFAULT", "RESET ALL"])
def test_a_timeout_turned_off_is_no_timeout(project: Callable[..., Config], unset: str) -> None:
    both = 'op.execute("SET lock_timeout = \'2s\'")\nop.execute("SET statement_timeout = \'60s\'")\n'
    body = both + f'op.execute("{unset}")\nop.create_index("ix_name", "account", ["name"])'
    assert "LB023" in findings(project([BASE, ("b2", "a1", body)]), "postgresql")
    kept = both + 'op.create_index("ix_name", "account", ["name"])'
    assert "LB023" not in findings(project([BASE, ("b2", "a1", kept)]), "postgresql")


def test_a_table_created_in_another_schema_is_not_the_one_dropped(project: Callable[..., Config]) -> None:
    """``archive.account`` made in the change does not make ``drop_table("account")`` a drop of a new table
    (lint and plan keyed tables by name alone; found by an audit of the review tools)."""
    body = ('op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), schema="archive")\n'
            'op.drop_table("account")')
    assert "LB001" in findings(project([BASE, ("b2", "a1", body)]), "postgresql")
    same = ('op.create_table("fresh", sa.Column("id", sa.Integer, primary_key=True), schema="archive")\n'
            'op.drop_table("fresh", schema="archive")')
    assert "LB001" not in findings(project([BASE, ("b2", "a1", same)]), "postgresql")


@pytest.mark.parametrize("column", ["seq bigserial", "ident integer GENERATED ALWAYS AS IDENTITY"])
def test_a_serial_or_identity_column_added_to_a_table_is_a_rewrite(project: Callable[..., Config], column: str) -> None:
    """Each existing row gets its own number: the table is rewritten (plan called it a catalog change)."""
    body = f'op.execute("ALTER TABLE account ADD COLUMN {column}")'
    assert "LB021" in findings(project([BASE, ("b2", "a1", body)]), "postgresql")


def test_a_text_with_bound_values_is_read_as_it_runs(project: Callable[..., Config]) -> None:
    """``sa.text("... :n").bindparams(n=...)``: PostgreSQL's parser was given ``:n`` and lint called the
    statement unreadable (an LB000 error) instead of reading what the script runs."""
    body = ('op.execute(sa.text("UPDATE account SET name = :n WHERE id = :i").bindparams(n="x", i=1))\n'
            'op.execute(sa.text("DROP TABLE team WHERE false = :f").bindparams(f=False)) if False else None\n'
            'op.execute(sa.text("ALTER TABLE account RENAME COLUMN email TO mail -- :x"))')
    found = findings(project([BASE, ("b2", "a1", body)]), "postgresql")
    assert "LB000" not in found and "LB003" in found
