"""limbeck plan: the change-ticket document, in Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from limbeck import command
from limbeck.config import Config
from limbeck.review.manifest import MANIFEST_NAME, parse

HISTORY = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))',
     'op.drop_table("account")', "create account"),
    ("b2", "a1", 'op.create_index("ix_name", "account", ["name"])\nop.execute("UPDATE account SET name = \'n\'")',
     "pass", "index names"),
    ("c3", "b2", ('op.add_column("account", sa.Column("x", sa.Integer))\nwith op.get_context().autocommit_block():\n'
     '    op.create_index("ix_x", "account", ["x"], postgresql_concurrently=True)'), 'op.drop_column("account", "x")', "x"),
]


def test_json_plan(project: Callable[..., Config], printed: Callable[[Config], str], tmp_path: Path) -> None:
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
    assert revs["b2"]["validation"] == {"verified": 5, "unverified": 0, "invalid": 0}
    assert [f["rule"] for f in revs["b2"]["lint"]] == ["LB006"]
    assert {f["rule"] for f in revs["c3"]["lint"]} == {"LB010"}
    assert revs["b2"]["flags"] == ["downgrade is empty"]
    assert revs["a1"]["upgrade_file"] == "postgresql/0001_a1_create_account.upgrade.sql"
    assert data["script_check"] == "ok" and data["lint_errors"] == 0 and data["lint_warnings"] == 2
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
    assert "| 1 | `b2` | a1 | index names | 1 | 1 | 1 | none (the database commits each DDL statement) | 3 verified | LB011 |" in text
    assert "## Lint findings" in text and "LB011 warning mixed-ddl-dml" in text
    assert "## Rollback flags\n\n- `b2`: downgrade is empty" in text
    assert "`a1`" not in text.split("## Files")[1]
