"""The chained manifest and limbeck verify: tamper detection (edit, reorder, insert)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config
from limbeck.review.errors import ManifestMismatch
from limbeck.review.manifest import (
    MANIFEST_NAME,
    Entry,
    Manifest,
    chain_next,
    chain_start,
    parse,
)


def approve(config: Config, out: Path, *dialects: str) -> str:
    command.sql(config, None, str(out), list(dialects))
    return (out / MANIFEST_NAME).read_text()


def test_chain_covers_each_file_and_every_line_above(project: Callable[..., Config], tmp_path: Path) -> None:
    text = approve(project(), tmp_path / "out", "postgresql")
    manifest = parse(text, "m")
    assert manifest.range == "base:heads" and manifest.dialects == ("postgresql",)
    previous = hashlib.sha256("\n".join(text.splitlines()[:3]).encode()).hexdigest()
    assert previous == chain_start(manifest.header)
    for line in manifest.lines:
        entry = line.entry
        if entry.kind == "sql":
            assert entry.digest == hashlib.sha256((tmp_path / "out" / entry.path).read_bytes()).hexdigest()
        expected = hashlib.sha256(f"{previous}\n{entry.kind} {entry.digest} {entry.path}".encode()).hexdigest()
        assert line.chain == expected
        previous = expected
    assert [l.entry.path for l in manifest.lines[:3]] == ["versions/a1_revision.py", "versions/b2_revision.py", "versions/c3_revision.py"]
    assert manifest.render() == text


def test_manifest_hash_changes_with_any_entry() -> None:
    a = Manifest.build("base:heads", ["sqlite"], [Entry("sql", "0" * 64, "x.sql"), Entry("sql", "1" * 64, "y.sql")])
    b = Manifest.build("base:heads", ["sqlite"], [Entry("sql", "0" * 64, "x.sql"), Entry("sql", "2" * 64, "y.sql")])
    c = Manifest.build("base:heads", ["sqlite"], [Entry("sql", "1" * 64, "y.sql"), Entry("sql", "0" * 64, "x.sql")])
    assert len({a.digest, b.digest, c.digest}) == 3
    assert a.lines[0].chain == b.lines[0].chain == chain_next(chain_start(a.header), a.lines[0].entry)


def test_verify_passes_on_an_untouched_approval(project: Callable[..., Config], tmp_path: Path, printed: Callable[[Config], str]) -> None:
    config = project()
    approve(config, tmp_path / "out", "postgresql", "mysql")
    command.verify(config, str(tmp_path / "out"))
    assert "Verified 19 files of" in printed(config)


def test_edited_revision_is_named(project: Callable[..., Config], proj_of: Callable[..., object], tmp_path: Path) -> None:
    config = project()
    approve(config, tmp_path / "out", "postgresql")
    path = proj_of(config).path("b2")  # type: ignore[attr-defined]
    path.write_text(path.read_text().replace('sa.String(100)', 'sa.String(200)'))
    with pytest.raises(ManifestMismatch, match=r"b2_revision.py: revision file changed since approval"):
        command.verify(config, str(tmp_path / "out"))


def test_comment_only_edit_of_a_revision_is_still_a_change(project: Callable[..., Config], proj_of: Callable[..., object], tmp_path: Path) -> None:
    config = project()
    approve(config, tmp_path / "out", "postgresql")
    path = proj_of(config).path("c3")  # type: ignore[attr-defined]
    path.write_text(path.read_text() + "\n# reviewed\n")
    with pytest.raises(ManifestMismatch, match=r"c3_revision.py: revision file changed"):
        command.verify(config, str(tmp_path / "out"))


def test_edited_sql_file_is_named(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out, "postgresql")
    target = out / "postgresql" / "0002_b2_add_email.upgrade.sql"
    target.write_text(target.read_text().replace("VARCHAR(100)", "VARCHAR(10)"))
    with pytest.raises(ManifestMismatch, match=r"0002_b2_add_email.upgrade.sql: edited after approval"):
        command.verify(config, str(out))


def test_reordered_manifest_lines_break_the_chain(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    lines = approve(config, out, "postgresql").splitlines()
    lines[4], lines[5] = lines[5], lines[4]
    (out / MANIFEST_NAME).write_text("\n".join(lines) + "\n")
    with pytest.raises(ManifestMismatch, match=r"line 5 \(versions/c3_revision.py\) was altered or moved"):
        command.verify(config, str(out))


def test_reordered_history_is_named(project: Callable[..., Config], tmp_path: Path) -> None:
    history = [
        ("a1", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))', "pass", "base"),
        ("b2", "a1", 'op.add_column("t", sa.Column("x", sa.Integer))', "pass", "x"),
        ("c3", "b2", 'op.add_column("t", sa.Column("y", sa.Integer))', "pass", "y"),
    ]
    config = project(history)
    out = tmp_path / "out"
    approve(config, out, "sqlite")
    proj = config.attributes["project"]
    proj.set_down("c3", "a1")  # c3 now runs before b2
    proj.set_down("b2", "c3")
    with pytest.raises(
        ManifestMismatch,
        match=r"c3_revision.py: out of the approved order \(history reordered: the manifest has versions/b2_revision.py here\)",
    ):
        command.verify(config, str(out))


def test_inserted_revision_is_named(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out, "postgresql")
    proj = config.attributes["project"]
    proj.write(("b25", "b2", 'op.create_index("ix_email", "account", ["email"])', 'op.drop_index("ix_email")', "index"))
    proj.set_down("c3", "b25")
    with pytest.raises(ManifestMismatch, match=r"b25_revision.py: revision file not in the approved manifest"):
        command.verify(config, str(out))


def test_removed_revision_is_named(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out, "postgresql")
    config.attributes["project"].path("c3").unlink()
    with pytest.raises(ManifestMismatch, match=r"c3_revision.py: approved but no longer in the range"):
        command.verify(config, str(out))


def test_different_sql_from_the_same_sources_is_named(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out, "postgresql")
    env = config.attributes["project"].root / "migrations" / "env.py"
    env.write_text(env.read_text().replace("literal_binds=True,", 'literal_binds=True, version_table="schema_version",'))
    with pytest.raises(ManifestMismatch, match=r"postgresql/0001_a1_create_account.upgrade.sql: the revisions now compile to different SQL"):
        command.verify(config, str(out))


def test_other_dialect_is_named(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out)  # the configured dialect: sqlite
    config.set_main_option("sqlalchemy.url", "postgresql://")
    with pytest.raises(ManifestMismatch, match=r"postgresql/0001_a1_create_account.upgrade.sql: not in the approved manifest"):
        command.verify(config, str(out))


def test_missing_or_foreign_manifest(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    with pytest.raises(ManifestMismatch, match="no manifest here"):
        command.verify(config, str(tmp_path))
    (tmp_path / MANIFEST_NAME).write_text("hello\n")
    with pytest.raises(ManifestMismatch, match="not a limbeck manifest"):
        command.verify(config, str(tmp_path))


def test_cli_verify_exit_status(project: Callable[..., Config], tmp_path: Path, invoke: Callable[..., object]) -> None:
    config = project()
    out = tmp_path / "out"
    ok = invoke(config, "sql", "--output-dir", str(out), "--dialect", "postgresql")
    assert ok.exit_code == 0, ok.output  # type: ignore[attr-defined]
    assert invoke(config, "verify", str(out)).exit_code == 0  # type: ignore[attr-defined]
    (out / "postgresql" / "upgrade.sql").write_text("DROP TABLE account;\n")
    bad = invoke(config, "verify", str(out))
    assert bad.exit_code == 1  # type: ignore[attr-defined]
    assert "FAILED: " in bad.stderr and "upgrade.sql: edited after approval" in bad.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "added",
    [
        "postgresql/0004_fix.upgrade.sql",  # beside the approved files
        "fix.sql",  # at the top of the folder
        "extra/fix.sql",  # in a folder of its own
        "postgresql/.hidden.sql",
    ],
)
def test_a_file_the_manifest_does_not_list_fails_verify(project: Callable[..., Config], tmp_path: Path, added: str) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out, "postgresql")
    target = out / added
    target.parent.mkdir(exist_ok=True)
    target.write_text("DROP TABLE package;\n")
    with pytest.raises(ManifestMismatch, match=rf"{re.escape(str(target))}: not in the approved manifest"):
        command.verify(config, str(out))
    # limbeck sql will not write over such a folder either
    with pytest.raises(ManifestMismatch, match=rf"{re.escape(str(target))}: not in the approved manifest \(remove it or use a new folder"):
        approve(config, out, "postgresql")


def test_a_linked_folder_the_manifest_does_not_list_fails_verify(project: Callable[..., Config], tmp_path: Path) -> None:
    config = project()
    out = tmp_path / "out"
    approve(config, out, "postgresql")
    (tmp_path / "elsewhere").mkdir()
    (out / "more").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(ManifestMismatch, match=r"more: not in the approved manifest"):
        command.verify(config, str(out))
    (out / "more").unlink()
    (out / "empty").mkdir()
    command.verify(config, str(out))  # an empty folder holds nothing to run


def test_a_file_given_for_a_folder_is_one_line(tmp_path: Path) -> None:
    """``verify afile`` said NotADirectoryError; it names the argument (found by an audit of the review tools)."""
    from limbeck.review.approval import verify

    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(ManifestMismatch, match="afile: is a file, not a folder"):
        verify(Config(), str(afile))
