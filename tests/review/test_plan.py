"""limbeck plan: the change-ticket document, in Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import PlanFailed
from limbeck.review.manifest import MANIFEST_NAME, parse

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))',
     'op.drop_table("account")', "create account"),
    ("b2", "a1", 'op.create_index("ix_name", "account", ["name"])\nop.execute("UPDATE account SET name = \'n\'")',
     "pass", "index names"),
    ("c3", "b2", ('op.add_column("account", sa.Column("x", sa.Integer))\nwith op.get_context().autocommit_block():\n'
     '    op.create_index("ix_x", "account", ["x"], postgresql_concurrently=True)'), 'op.drop_column("account", "x")', "x"),
]


def test_json_plan(project: Callable[..., Config], printed: Callable[[Config], str], tmp_path: Path, temporary_pg: str) -> None:
    config = project(HISTORY)
    command.plan(config, None, "json", "postgresql")
    data = json.loads(printed(config))
    assert data["range"] == "base:heads" and data["dialect"] == "postgresql"
    revs = {r["revision"]: r for r in data["revisions"]}
    assert [r["revision"] for r in data["revisions"]] == ["a1", "b2", "c3"]
    assert revs["a1"]["statements"] == {"ddl": 1, "dml": 0, "version": 2}
    assert revs["b2"]["statements"] == {"ddl": 1, "dml": 1, "version": 1}
    assert revs["b2"]["down_revisions"] == ["a1"] and revs["b2"]["message"] == "index names"
    assert revs["a1"]["transaction"] == "own transaction (BEGIN ... COMMIT)"
    assert revs["c3"]["transaction"] == "own transaction (BEGIN ... COMMIT), split by 1 autocommit block"
    # the script has an autocommit block: it ran on a database of its own on the temporary server,
    # its BEGIN and COMMIT included
    assert revs["b2"]["validation"] == {f"executed ({temporary_pg})": 5}
    assert [f["rule"] for f in revs["b2"]["lint"]] == ["LB006", "LB023"]
    assert {f["rule"] for f in revs["c3"]["lint"]} == {"LB010", "LB023"}
    assert revs["b2"]["flags"] == ["downgrade is empty"]
    assert revs["a1"]["upgrade_file"] == "postgresql/0001_a1_create_account.upgrade.sql"
    assert data["script_check"] == "ok" and data["lint_errors"] == 0 and data["lint_warnings"] == 4
    assert data["validation_problems"] == []
    # b2's index on account, created by a1 of the same range: not a table that existed before the change
    assert revs["b2"]["locks"] == [{
        "revision": "b2", "statement": "CREATE INDEX ix_name ON account (name)", "table": "account", "mode": "SHARE",
        "held_for": "index build", "blocks": "writes", "existing_table": False,
    }]
    assert data["longest_lock"] is None
    # the manifest hash is the one limbeck sql writes for the same range and dialect
    command.sql(config, None, str(tmp_path / "out"), ["postgresql"])
    manifest = parse((tmp_path / "out" / MANIFEST_NAME).read_text(), "m")
    assert data["manifest_hash"] == manifest.digest


def test_markdown_plan(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    config = project(HISTORY)
    result = invoke(config, "plan", "a1:heads", "--dialect", "mysql")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = result.stdout  # type: ignore[attr-defined]
    assert text.startswith("# Migration plan: a1:heads (mysql)\n")
    assert "- Manifest hash: `" in text
    assert "| 1 | `b2` | a1 | index names | 1 | 1 | 1 | none (the database commits each DDL statement) | 3 parsed (sqlglot, lenient) | LB011 |" in text
    assert "## Lint findings" in text and "LB011 warning mixed-ddl-dml" in text
    assert "## Rollback flags\n\n- `b2`: downgrade is empty" in text
    assert "`a1`" not in text.split("## Files")[1]
    assert "## Locks" not in text and "Longest exclusive lock" not in text  # MySQL has no lock model here


def test_plan_lock_table_and_longest_lock(
    project: Callable[..., Config], printed: Callable[[Config], str], temporary_pg: str
) -> None:
    config = project(HISTORY)
    later = [
        ("d4", "c3", ('op.alter_column("account", "name", type_=sa.Text(), existing_type=sa.String(50))\n'
         'op.add_column("account", sa.Column("y", sa.Integer))'), "pass", "retype"),
    ]
    config.attributes["project"].write(later[0])
    command.plan(config, "c3:heads", "md", "postgresql")
    text = printed(config)
    assert (
        "- Longest exclusive lock on a table that existed before this change: ACCESS EXCLUSIVE on account for a "
        "rewrite of every row, blocking reads and writes (`d4`: `ALTER TABLE account ALTER COLUMN name TYPE TEXT`)"
    ) in text
    assert "| `d4` | `ALTER TABLE account ADD COLUMN y INTEGER` | account | ACCESS EXCLUSIVE | catalog change | reads and writes |" in text
    assert "- Validation: " in text and f" executed ({temporary_pg}); script check: ok" in text


def test_plan_validation_problems_and_sqlite_engine(project: Callable[..., Config], printed: Callable[[Config], str]) -> None:
    import json

    broken = [*HISTORY[:1], ("b2", "a1", 'op.execute("ALTER TABLE nowhere ADD COLUMN x INTEGER")', "pass", "broken")]
    config = project(broken)
    # an invalid statement makes the range unapprovable: the plan is printed, then the command fails
    with pytest.raises(PlanFailed, match=r"revision b2: invalid statement \(sqlite: no such table: nowhere\)"):
        command.plan(config, None, "json", "sqlite")
    data = json.loads(printed(config))
    revs = {r["revision"]: r for r in data["revisions"]}
    assert revs["a1"]["validation"] == {"executed (sqlite)": 3}
    assert revs["b2"]["validation"] == {"executed (sqlite)": 1, "invalid": 1}
    (problem,) = data["validation_problems"]
    assert problem["verdict"] == "invalid" and "no such table: nowhere" in problem["detail"]
    assert any("invalid statement" in e and "ALTER TABLE nowhere" in e for e in data["errors"])


def test_plan_of_an_empty_range(project: Callable[..., Config], invoke: Callable[..., object]) -> None:
    # head:heads renders nothing (as `upgrade head:heads --sql`): a plan of nothing, not a traceback
    # (an IndexError, seen on thirteen real histories' ranges that start at their head)
    result = invoke(project(HISTORY), "plan", "head:heads", "--dialect", "postgresql")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = result.stdout  # type: ignore[attr-defined]
    assert "- Revisions: 0; statements: 0 DDL, 0 DML, 0 version table" in text and "script check: ok" in text


def test_a_range_across_branches_has_no_rollback(project: Callable[..., Config], invoke: Callable[..., object],
                                                  tmp_path: Path) -> None:
    # neutron-fwaas' expand head to a contract revision: the upgrade renders, its downgrade does not
    # exist; the line says it is the rollback, and which downgrade that would have been
    branches = [*HISTORY[:1], ("x2", "a1", 'op.add_column("account", sa.Column("x", sa.Integer))', "pass", "x"),
                ("y2", "a1", 'op.add_column("account", sa.Column("y", sa.Integer))', "pass", "y")]
    config = project(branches)
    for args in (["plan", "x2:y2"], ["sql", "x2:y2", "--output-dir", str(tmp_path / "out")]):
        result = invoke(config, *args, "--dialect", "postgresql")
        assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
        assert "no rollback for x2:y2 (downgrade y2:x2): Destination x2 is not a valid downgrade target" in (
            result.output)  # type: ignore[attr-defined]
        assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_a_commit_written_as_sql_is_in_the_transaction_column(project: Callable[..., Config]) -> None:
    """The revision's 'own transaction' ends at its op.execute("COMMIT"): what follows runs outside it."""
    from limbeck.review.capture import RevisionRange
    from limbeck.review.plan import build_plan

    raw = 'op.execute("COMMIT")\nop.add_column("account", sa.Column("y", sa.Integer))'
    config = project([*HISTORY[:1], ("b2", "a1", raw, "pass", "raw commit")])
    config.set_main_option("validate_temporary_server", "false")
    plan = build_plan(config, RevisionRange(), "postgresql")
    revs = {r.revision: r for r in plan.revisions}
    assert revs["a1"].transaction == "own transaction (BEGIN ... COMMIT)"
    assert revs["b2"].transaction == (
        "own transaction (BEGIN ... COMMIT), with 1 COMMIT / BEGIN written as SQL: the framing's transaction "
        "does not hold what follows it")
