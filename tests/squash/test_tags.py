"""Release tags: tags.txt, the naming rule, and a tag wherever a revision is accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from limbeck.cli import cli
from limbeck.errors import CommandError

from .conftest import Project, Rev


def _cli(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-c", str(project.root / "limbeck.ini"), *args], prog_name="limbeck")
    return result.exit_code, result.stdout, result.stderr


def _tagged(project: Project) -> Project:
    project.run("tag", "v1.0", "b2")
    project.run("tag", "v1.1", "e5")
    return project


def test_tag_writes_one_line_per_tag_with_full_ids(project: Project) -> None:
    assert project.run("tag", "v1.0", "b2").startswith("Tagged b2 as v1.0 in ")
    project.run("tag", "release_2")  # the head
    lines = (project.root / "migrations" / "tags.txt").read_text().splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["v1.0 = b2", "release_2 = f6"]


def test_listing_moving_and_deleting_keep_the_other_lines(project: Project) -> None:
    path = _tagged(project).root / "migrations" / "tags.txt"
    path.write_text(path.read_text() + "# kept: a reviewer's note\n")
    assert project.run("tag").splitlines() == ["v1.0 -> b2 (tag: v1.0), add email", "v1.1 -> e5 (tag: v1.1), merge"]
    with pytest.raises(CommandError, match=r"tag 'v1.0' already names b2 \(.*tags.txt:3\); --force moves it"):
        project.run("tag", "v1.0", "c3")
    project.run("tag", "v1.0", "c3", force=True)
    project.run("tag", "v1.1", delete=True)
    text = path.read_text()
    assert "v1.0 = c3\n" in text and "v1.1" not in text and text.endswith("# kept: a reviewer's note\n")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("head", "'head' is a revision keyword"),
        ("heads", "'heads' is a revision keyword"),
        ("base", "'base' is a revision keyword"),
        ("current", "'current' is a revision keyword"),
        ("v2-3", "must start with a letter and hold only letters, digits, '_' and '.'"),
        ("v2+1", "must start with a letter"),
        ("rel@head", "must start with a letter"),
        ("2.3", "must start with a letter"),
        ("a1", "'a1' is a revision id"),
        ("a", "'a' is the start of revision id a1, so a partial id would change meaning"),
        ("x" * 65, "a tag has at most 64 characters"),
    ],
)
def test_names_that_would_change_an_identifier_are_refused_in_one_line(project: Project, name: str, problem: str) -> None:
    code, out, err = _cli(project, "tag", name, "b2")
    assert code == 1 and out == ""
    assert err.startswith("FAILED: tag: ") and problem in err and err.count("\n") == 1


def test_a_tag_names_exactly_one_revision(project: Project) -> None:
    project.write(Rev("g7", "e5", "pass", "pass", "second head"))
    code, _, err = _cli(project, "tag", "v9", "heads")
    assert code == 1 and "names 2 revisions; a tag names exactly one revision" in err
    code, _, err = _cli(project, "tag", "v9", "base")
    assert code == 1 and "names no revision (base)" in err


def test_a_broken_tags_file_stops_every_command_naming_its_line(project: Project) -> None:
    path = project.root / "migrations" / "tags.txt"
    for text, problem in [
        ("v1 b2\n", "tags.txt:1: expected 'NAME = REVISION', got 'v1 b2'"),
        ("v1 = b2\nv1 = c3\n", "tags.txt:2: tag 'v1' is already given on line 1"),
        ("# a comment\nhead = b2\n", "tags.txt:2: 'head' is a revision keyword"),
        ("v1 = zz9\n", "tags.txt:1: tag 'v1' names revision zz9, which is not present"),
        ("a1 = b2\n", "tags.txt:1: 'a1' is a revision id; rename the tag"),
    ]:
        path.write_text(text)
        code, _, err = _cli(project, "heads")
        assert code == 1 and problem in err and err.count("\n") == 1, (text, err)


def test_heads_current_history_and_show_name_the_tags(project: Project) -> None:
    _tagged(project)
    project.run("tag", "stable", "e5")
    project.run("upgrade", "e5")
    assert project.run("heads") == "f6 (head)\n"
    assert project.run("current") == "e5 (tag: v1.1, tag: stable) (mergepoint)\n"
    history = project.run("history").splitlines()
    assert "c3, d4 -> e5 (tag: v1.1, tag: stable) (mergepoint), merge" in history
    assert "a1 -> b2 (tag: v1.0) (branchpoint), add email" in history
    assert "Tags: v1.1, stable" in project.run("show", "stable")
    records = json.loads(project.run("history", format="json"))
    assert {r["revision"]: r["tags"] for r in records}["e5"] == ["v1.1", "stable"]


def test_history_ranges_take_tags(project: Project) -> None:
    _tagged(project)
    by_tag = project.run("history", rev_range="v1.0:v1.1")
    assert by_tag == project.run("history", rev_range="b2:e5")
    walked = json.loads(project.run("history", rev_range="v1.0:v1.1", format="json"))
    assert sorted(r["revision"] for r in walked) == ["b2", "c3", "d4", "e5"]
    assert project.run("history", rev_range="v1.1:") == project.run("history", rev_range="e5:")


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle"])
def test_offline_scripts_take_tags_and_write_revision_ids(
    project: Project, dialect: str, capsys: pytest.CaptureFixture[str],
) -> None:
    _tagged(project)
    outputs = []
    for rng in ("v1.0:v1.1", "b2:e5"):
        project.run("upgrade", rng, sql=True, dialect=dialect)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "version_num='d4' WHERE alembic_version.version_num = 'b2'" in outputs[0]
    assert "v1.0" not in outputs[0]
    project.run("downgrade", "v1.1:v1.0", sql=True, dialect=dialect)
    down = capsys.readouterr().out
    project.run("downgrade", "e5:b2", sql=True, dialect=dialect)
    assert down == capsys.readouterr().out
    assert "version_num='b2' WHERE alembic_version.version_num = 'd4'" in down


def test_online_commands_take_tags(project: Project) -> None:
    _tagged(project)
    project.run("upgrade", "v1.1")
    assert project.heads_in() == ["e5"]
    project.run("downgrade", "v1.0")
    assert project.heads_in() == ["b2"]
    project.run("stamp", "v1.1")
    assert project.heads_in() == ["e5"]


def test_sql_and_plan_take_a_tag_range(project: Project, tmp_path: Path) -> None:
    _tagged(project)
    out = tmp_path / "change-43"
    project.run("sql", "v1.0:v1.1", str(out), ["sqlite"])
    files = sorted(p.name for p in (out / "sqlite").glob("*.upgrade.sql"))
    assert sorted(name.split("_")[1] for name in files) == ["c3", "d4", "e5"]
    plan = json.loads(project.run("plan", "v1.0:v1.1", "json", "sqlite"))
    by_id = json.loads(project.run("plan", "b2:e5", "json", "sqlite"))
    # the manifest records the range as the change board was given it
    assert plan == by_id | {"range": plan["range"], "manifest_hash": plan["manifest_hash"]}
    assert sorted(r["revision"] for r in plan["revisions"]) == ["c3", "d4", "e5"]
