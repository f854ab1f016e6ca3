"""generate_revision: every option, every rule, every error (before any file is written)."""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.errors import CommandError
from limbeck.script import ScriptDirectory
from limbeck.script.headers import read_headers

WriteRev = Callable[..., Path]


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.fixture
def sd(script_dir: Path) -> ScriptDirectory:
    return ScriptDirectory(script_dir)


def test_first_and_second(sd: ScriptDirectory, script_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = sd.generate_revision("aaa111", "Add users!")
    assert first is not None
    path = script_dir / "versions" / "aaa111_add_users.py"
    assert Path(first.path) == path
    assert capsys.readouterr().out == f"Generating {path} ...  done\n"
    text = path.read_text()
    assert text.startswith('"""Add users!\n\nRevision ID: aaa111\nRevises:\nCreate Date: ')
    assert 'revision: str = "aaa111"' in text and "down_revision: str | Sequence[str] | None = None" in text
    assert "from limbeck import op" in text and "    pass\n" in text
    compile(text, str(path), "exec")
    second = sd.generate_revision("bbb222", "two")
    assert second is not None and second.down_revision == "aaa111"
    assert sd.get_heads() == ["bbb222"]
    assert sd.get_revision("bbb222") is second
    assert "Revises: aaa111" in Path(second.path).read_text()


def test_message_none_and_empty(sd: ScriptDirectory) -> None:
    s = sd.generate_revision("a1", None)
    assert s is not None and Path(s.path).name == "a1_.py" and s.doc == "empty message"
    s = sd.generate_revision("a2", "")
    assert s is not None and s.doc.startswith("Revision ID: a2")


def test_not_a_head_needs_splice(sd: ScriptDirectory, script_dir: Path) -> None:
    sd.generate_revision("a", "one")
    sd.generate_revision("b", "two")
    with pytest.raises(CommandError, match="Revision a is not a head revision; please specify --splice"):
        sd.generate_revision("c", "x", head="a")
    assert files(script_dir / "versions") == ["a_one.py", "b_two.py"]
    spliced = sd.generate_revision("c", "x", head="a", splice=True)
    assert spliced is not None and spliced.down_revision == "a"


def test_multiple_heads(sd: ScriptDirectory) -> None:
    sd.generate_revision("a", "one")
    sd.generate_revision("b", "two", head="base")
    with pytest.raises(CommandError, match="Multiple heads are present; please specify the head revision"):
        sd.generate_revision("c", "x")
    merge = sd.generate_revision("m", "merge", head="heads")
    assert merge is not None and merge.down_revision == ("a", "b")
    assert "Revises: a, b" in Path(merge.path).read_text()
    explicit = sd.generate_revision("n", "merge2", head=["m"])
    assert explicit is not None and explicit.down_revision == "m"


def test_branch_labels(sd: ScriptDirectory, script_dir: Path) -> None:
    sd.generate_revision("a", "one")
    root = sd.generate_revision("f", "feature root", head="base", branch_labels="feat")
    assert root is not None and root.branch_labels == {"feat"}
    assert 'branch_labels: str | Sequence[str] | None = ("feat",)' in Path(root.path).read_text()
    before = files(script_dir / "versions")
    with pytest.raises(CommandError, match="Branch name 'feat' in revision g already used by revision f"):
        sd.generate_revision("g", "x", head="f", branch_labels=["feat"])
    assert files(script_dir / "versions") == before
    on_label = sd.generate_revision("h", "on the branch", head="feat@head")
    assert on_label is not None and on_label.down_revision == "f"


def test_empty_branch_labels_are_written_as_alembic_writes_them(sd: ScriptDirectory) -> None:
    """None stays None; an empty list (Flask-Alembic passes one for most revisions) is written ()."""
    given = sd.generate_revision("a", "one", branch_labels=[])
    plain = sd.generate_revision("b", "two")
    assert given is not None and plain is not None
    assert "branch_labels: str | Sequence[str] | None = ()\n" in Path(given.path).read_text()
    assert "branch_labels: str | Sequence[str] | None = None\n" in Path(plain.path).read_text()


def test_depends_on_resolution(sd: ScriptDirectory) -> None:
    sd.generate_revision("aaa111", "one")
    sd.generate_revision("fff666", "root", head="base", branch_labels="lbl")
    single = sd.generate_revision("ccc333", "x", head="fff666", depends_on="aaa")
    assert single is not None
    assert 'depends_on: str | Sequence[str] | None = "aaa111"' in Path(single.path).read_text()
    several = sd.generate_revision("ddd444", "y", head="ccc333", depends_on=["lbl", "aaa1"])
    assert several is not None
    assert 'depends_on: str | Sequence[str] | None = ["lbl", "aaa111"]' in Path(several.path).read_text()
    with pytest.raises(CommandError, match="Can't locate revision identified by 'zzz'"):
        sd.generate_revision("eee555", "z", head="ddd444", depends_on="zzz")


def test_identity_errors_write_nothing(sd: ScriptDirectory, script_dir: Path) -> None:
    sd.generate_revision("a", "one")
    with pytest.raises(CommandError, match=r"Revision id a is already present in .*a_one\.py"):
        sd.generate_revision("a", "again")
    with pytest.raises(CommandError, match="not allowed in revision identifier"):
        sd.generate_revision("x-y", "bad")
    with pytest.raises(CommandError, match="Can't locate revision identified by 'zz'"):
        sd.generate_revision("b", "x", head="zz")
    assert files(script_dir / "versions") == ["a_one.py"]


def test_existing_file_is_not_overwritten(script_dir: Path) -> None:
    sd = ScriptDirectory(script_dir, file_template="fixed")
    sd.generate_revision("a", "one")
    with pytest.raises(CommandError, match=r"fixed\.py already exists"):
        sd.generate_revision("b", "two")


def test_file_template_subdirectories_and_override(script_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sd = ScriptDirectory(script_dir, file_template="%(year)d/%(month).2d/%(rev)s_%(slug)s",
                         recursive_version_locations=True, timezone="UTC")
    s = sd.generate_revision("a", "x y")
    now = datetime.datetime.now(datetime.timezone.utc)
    assert s is not None
    assert Path(s.path).relative_to(script_dir / "versions").parts[:2] in {
        (f"{now.year}", f"{now.month:02d}"), (f"{now.year - 1}", "12")}
    assert "Creating directory" in capsys.readouterr().out
    other = sd.generate_revision("b", "z", file_template="%(rev)s-custom")
    assert other is not None and Path(other.path).name == "b-custom.py"
    assert ScriptDirectory(script_dir, recursive_version_locations=True).get_heads() == ["b"]


def test_timezone_in_create_date(script_dir: Path) -> None:
    s = ScriptDirectory(script_dir, timezone="Asia/Tokyo").generate_revision("a", "tz")
    assert s is not None and "+09:00" in s.longdoc
    with pytest.raises(CommandError, match="Can't locate timezone: Nowhere/Bogus"):
        ScriptDirectory(script_dir, timezone="Nowhere/Bogus").generate_revision("b", "tz")


def test_output_encoding(script_dir: Path) -> None:
    template = script_dir / "script.py.mako"
    # an expression, because Mako would take a literal first-line cookie as its own
    template.write_text('${"# -*- coding: latin-1 -*-"}\n' + template.read_text())
    s = ScriptDirectory(script_dir, output_encoding="latin-1").generate_revision("a", "café")
    assert s is not None
    assert "café".encode("latin-1") in Path(s.path).read_bytes()
    assert s.doc == "café"
    assert read_headers(s.path) is not None


def test_template_arguments(script_dir: Path) -> None:
    (script_dir / "script.py.mako").write_text(
        '"""${message}"""\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n'
        "EXTRA = ${repr(extra)}\nDATE = ${repr(str(create_date))}\nUP = ${repr(upgrades)}\n"
    )
    s = ScriptDirectory(script_dir).generate_revision("a", "m", extra=[1, 2], upgrades="op.x()")
    assert s is not None
    assert s.module.EXTRA == [1, 2] and s.module.UP == "op.x()"


def test_template_errors_name_the_template(script_dir: Path) -> None:
    (script_dir / "script.py.mako").write_text("line one\n${undefined_function()}\n")
    with pytest.raises(CommandError) as failed:
        ScriptDirectory(script_dir).generate_revision("a", "m")
    # Alembic's text, whole, then where and what
    found = re.match(r"^Template rendering failed; see (.+?) for a template-oriented traceback\. \((.*)\)$",
                     str(failed.value))
    assert found is not None, str(failed.value)
    assert re.match(r".*script\.py\.mako at line 2: TypeError", found.group(2))
    traceback_file = Path(found.group(1))
    assert "${undefined_function()}" in traceback_file.read_text()
    traceback_file.unlink()
    assert files(script_dir / "versions") == []
    (script_dir / "script.py.mako").unlink()
    with pytest.raises(CommandError, match=r"Template file .*script\.py\.mako not found"):
        ScriptDirectory(script_dir).generate_revision("a", "m")


def test_version_paths(script_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir()
    sd = ScriptDirectory(script_dir, version_locations=[v1, v2])
    with pytest.raises(CommandError, match="Multiple version locations present, please specify --version-path"):
        sd.generate_revision("a", "m")
    with pytest.raises(CommandError, match=r"^Path /tmp/nowhere is not represented in current version locations"):
        sd.generate_revision("a", "m", version_path="/tmp/nowhere/")
    a = sd.generate_revision("a", "m", version_path=str(v2) + "/")
    assert a is not None and Path(a.path).parent == v2
    assert f"Creating directory {v2}" in capsys.readouterr().out
    b = sd.generate_revision("b", "m", head="base", branch_labels="other", version_path=v1)
    assert b is not None and Path(b.path).parent == v1
    # without a version path, a revision goes where its head lives
    c = sd.generate_revision("c", "m", head="a")
    d = sd.generate_revision("d", "m", head="other@head")
    assert c is not None and Path(c.path).parent == v2
    assert d is not None and Path(d.path).parent == v1
    e = sd.generate_revision("e", "m", head="d", version_path=v2)
    assert e is not None and Path(e.path).parent == v2


def test_hooks_run_after_writing(script_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = "import sys; p = sys.argv[1]; open(p, 'a').write('HOOKED = True\\n')"
    hooks = [{"_hook_name": "mark", "type": "exec", "executable": sys.executable,
              "options": f'-c "{code}" REVISION_SCRIPT_FILENAME'}]
    s = ScriptDirectory(script_dir, hooks=hooks).generate_revision("a", "m")
    assert s is not None and s.module.HOOKED is True
    out = capsys.readouterr().out
    assert out.index("Generating") < out.index("Running post write hook 'mark' ...")


def test_quiet(script_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ScriptDirectory(script_dir, messaging_opts={"quiet": True}).generate_revision("a", "m")
    assert capsys.readouterr().out == ""


def test_generated_revision_is_read_statically(sd: ScriptDirectory) -> None:
    s = sd.generate_revision("a", "m")
    assert s is not None and not s.module_loaded


def test_heads_considering_depends_on(sd: ScriptDirectory) -> None:
    """``get_heads(consider_depends_on=True)`` (Alembic 1.18.5): a head another revision depends on is left out."""
    sd.generate_revision("y", "one", head="base")
    sd.generate_revision("z", "two", head="base", splice=True, depends_on="y")
    assert sorted(sd.get_heads()) == ["y", "z"]
    assert sd.get_heads(consider_depends_on=True) == ["z"]


def test_version_locations_is_a_list_when_none_are_set(sd: ScriptDirectory) -> None:
    """Alembic's value is [] (callers iterate it), not None."""
    assert ScriptDirectory(sd.dir).version_locations == []
