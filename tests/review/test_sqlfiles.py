"""limbeck sql: per-revision upgrade and rollback files, combined scripts, flags, determinism."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.approval import compile_approval
from limbeck.review.capture import RevisionRange
from limbeck.review.errors import UnrenderedRevisions

UNSAFE_DOWN = [
    ("a1", None, 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("account")',
     "create account"),
    ("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))', "pass", "add email, no way back"),
    ("c3", "b2", 'op.execute("UPDATE account SET email = \'x\'")',
     'op.get_bind().execute(sa.text("SELECT email FROM account")).fetchall()', "downgrade reads rows"),
]


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)).replace(os.sep, "/"): p.read_bytes()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_layout_names_and_manifest(project: Callable[..., Config], tmp_path: Path, printed: Callable[[Config], str]) -> None:
    config = project()
    out = tmp_path / "out"
    command.sql(config, None, str(out), ["postgresql", "mssql"])
    names = sorted(files(out))
    assert names == sorted(
        ["MANIFEST.limbeck"]
        + [f"{d}/{n}" for d in ("postgresql", "mssql") for n in (
            "0001_a1_create_account.upgrade.sql", "0001_a1_create_account.rollback.sql",
            "0002_b2_add_email.upgrade.sql", "0002_b2_add_email.rollback.sql",
            "0003_c3_fill_names.upgrade.sql", "0003_c3_fill_names.rollback.sql",
            "upgrade.sql", "rollback.sql",
        )]
    )
    text = printed(config)
    assert "Writing " in text and "Manifest hash " in text


def test_each_file_is_self_contained(project: Callable[..., Config]) -> None:
    approval = compile_approval(project(), RevisionRange(), ("postgresql",))
    by_path = {f.path: f.text for f in approval.files}
    first = by_path["postgresql/0001_a1_create_account.upgrade.sql"]
    assert first.startswith("BEGIN;\n\nCREATE TABLE alembic_version")
    assert "INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;" in first
    assert first.endswith("COMMIT;\n\n")
    second = by_path["postgresql/0002_b2_add_email.upgrade.sql"]
    assert second.startswith("BEGIN;\n\n-- Running upgrade a1 -> b2")
    assert "CREATE TABLE alembic_version" not in second
    assert "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';" in second
    assert second.endswith("COMMIT;\n\n")
    rollback = by_path["postgresql/0002_b2_add_email.rollback.sql"]
    assert rollback.startswith("BEGIN;\n\n-- Running downgrade b2 -> a1")
    assert "ALTER TABLE account DROP COLUMN email;" in rollback
    assert "UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';" in rollback


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql", "mssql", "oracle"])
def test_combined_scripts_are_the_per_revision_files_in_order(project: Callable[..., Config], dialect: str) -> None:
    approval = compile_approval(project(), RevisionRange(), (dialect,))
    per = [f for f in approval.files if f.revision is not None]
    combined = {f.path.rsplit("/", 1)[1]: f.text for f in approval.files if f.revision is None}
    assert combined["upgrade.sql"] == "".join(f.text for f in per if f.direction == "upgrade")
    down_order = [f for f in reversed(per) if f.direction == "rollback"]
    assert combined["rollback.sql"] == "".join(f.text for f in down_order)


def test_output_is_byte_for_byte_deterministic(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    command.sql(config, "base:heads", str(tmp_path / "one"), ["postgresql", "oracle"])
    command.sql(config, "base:heads", str(tmp_path / "two"), ["postgresql", "oracle"])
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_range_and_rewrite_of_the_same_folder(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    command.sql(config, None, str(out), ["postgresql"])
    command.sql(config, "a1:c3", str(out), ["postgresql"])
    names = set(files(out))
    assert "postgresql/0001_b2_add_email.upgrade.sql" in names
    assert not any("create_account" in n for n in names)  # files of the earlier approval are gone
    assert b"CREATE TABLE alembic_version" not in files(out)["postgresql/upgrade.sql"]


def test_refuses_a_folder_with_other_files(project: Callable[..., Config], tmp_path: Path) -> None:
    from limbeck.errors import CommandError

    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="folder is not empty"):
        command.sql(project(), None, str(tmp_path / "busy"), [])


def test_empty_downgrades_are_flagged(
    project: Callable[..., Config], tmp_path: Path, printed: Callable[[Config], str]
) -> None:
    config = project(UNSAFE_DOWN[:2])
    approval = compile_approval(config, RevisionRange(), ("postgresql",))
    flags = {f.revision: f.reason for f in approval.flags}
    assert flags == {"b2": "downgrade is empty"}
    command.sql(config, None, str(tmp_path / "out"), ["postgresql"])
    assert "Flagged postgresql revision b2: downgrade is empty" in printed(config)


def test_an_upgrade_that_cannot_be_rendered_stops(project: Callable[..., Config], tmp_path: Path) -> None:
    history = [
        ("a1", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))'),
        ("b2", "a1", 'op.get_bind().execute(sa.text("SELECT id FROM t")).fetchall()'),
    ]
    with pytest.raises(UnrenderedRevisions, match="b2_revision.py"):
        command.sql(project(history), None, str(tmp_path / "out"), [])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("body", ['op.execute("-- cannot be undone")', 'op.execute("/* irreversible */")', 'op.execute(";")'])
def test_a_downgrade_of_comments_only_is_flagged_empty(project: Callable[..., Config], body: str) -> None:
    """Its rollback file does nothing: flagged as an empty downgrade (found by an audit of the review tools)."""
    history = [UNSAFE_DOWN[0], ("b2", "a1", 'op.add_column("account", sa.Column("email", sa.String(100)))', body, "add email")]
    approval = compile_approval(project(history), RevisionRange(), ("postgresql",))
    assert {f.revision: f.reason for f in approval.flags} == {"b2": "downgrade is empty"}
