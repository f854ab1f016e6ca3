"""Verbs that write or open revision files: revision, merge, edit; and list_templates."""

from __future__ import annotations

import ast
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from limbeck import command
from limbeck.config import Config
from limbeck.errors import CommandError

Invoke = Callable[..., Result]
MakeProject = Callable[..., Path]

TEMPLATES = Path(command.__file__).resolve().parent / "script" / "templates"


@pytest.fixture
def writable(make_project: MakeProject) -> Callable[..., Path]:
    """A fixture project that can generate revisions (it gets the generic script.py.mako)."""

    def build(name: str, db_heads: tuple[str, ...] | None = None) -> Path:
        home = make_project(name, db_heads)
        shutil.copy(
            TEMPLATES / "generic" / "script.py.mako",
            home / "migrations" / "script.py.mako",
        )
        return home

    return build


def _new_files(home: Path, before: set[Path]) -> list[Path]:
    return sorted(set((home / "migrations" / "versions").glob("*.py")) - before)


def _versions(home: Path) -> set[Path]:
    return set((home / "migrations" / "versions").glob("*.py"))


def _header(path: Path, name: str) -> Any:
    """The literal value a generated file assigns to *name* at module level."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            assert node.value is not None
            return ast.literal_eval(node.value)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path} assigns no {name}")


# -- revision ------------------------------------------------------------------------


def test_revision_writes_a_file_on_the_head(
    writable: Callable[..., Path], invoke: Invoke
) -> None:
    home = writable("linear")
    before = _versions(home)
    result = invoke(home, "revision", "-m", "Add a Table!", "--rev-id", "abc123")
    assert result.exit_code == 0, result.stderr
    (path,) = _new_files(home, before)
    assert path.name == "abc123_add_a_table.py"
    assert result.stdout == f"Generating {path} ...  done\n"
    assert _header(path, "down_revision") == "5e4a4f5c6b7d"
    assert invoke(home, "heads").stdout == "abc123 (head)\n"


def test_revision_options_reach_the_file(
    writable: Callable[..., Path], invoke: Invoke
) -> None:
    home = writable("branchy")
    before = _versions(home)
    result = invoke(
        home,
        "revision",
        "-m",
        "spliced",
        "--head",
        "b2c3d4e5f6a1",
        "--splice",
        "--branch-label",
        "newline",
        "--depends-on",
        "a1b2",
        "--depends-on",
        "audit",
        "--rev-id",
        "ddd111",
    )
    assert result.exit_code == 0, result.stderr
    (path,) = _new_files(home, before)
    assert _header(path, "down_revision") == "b2c3d4e5f6a1"
    assert _header(path, "branch_labels") == ("newline",)
    assert _header(path, "depends_on") == ["a1b2c3d4e5f6", "audit"]


def test_revision_new_base_needs_no_head(
    writable: Callable[..., Path], invoke: Invoke
) -> None:
    home = writable("branchy")
    before = _versions(home)
    result = invoke(
        home, "revision", "-m", "new root", "--head", "base", "--branch-label", "fresh"
    )
    assert result.exit_code == 0, result.stderr
    (path,) = _new_files(home, before)
    assert _header(path, "down_revision") is None


def test_revision_quiet(writable: Callable[..., Path], invoke: Invoke) -> None:
    home = writable("linear")
    result = invoke(home, "-q", "revision", "-m", "x")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--rev-id", "1a0c0b1e2d3f"], ["1a0c0b1e2d3f"]),
        (["--head", "2b1d1c2f3e4a"], ["2b1d1c2f3e4a", "splice"]),
        (["--version-path", "/no/such/place"], ["/no/such/place"]),
    ],
)
def test_revision_errors_write_nothing(
    writable: Callable[..., Path], invoke: Invoke, args: list[str], words: list[str]
) -> None:
    home = writable("linear")
    before = _versions(home)
    result = invoke(home, "revision", *args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("FAILED: ")
    for word in words:
        assert word in result.stderr
    assert _versions(home) == before


def _config(home: Path, **kw: Any) -> Config:
    return Config(str(home / "alembic.ini"), **kw)


def test_process_revision_directives_can_rename_and_duplicate(
    writable: Callable[..., Path],
) -> None:
    home = writable("linear")
    seen: list[Any] = []

    def hook(context: Any, revision: Any, directives: list[Any]) -> None:
        seen.append(revision)
        directives[0].rev_id = "fromhook"
        directives[0].imports.add("import json")
        second = command.RevisionDirective(
            rev_id="second", message="also", head="fromhook"
        )
        directives.append(second)

    scripts = command.revision(
        _config(home), message="orig", rev_id="given", process_revision_directives=hook
    )
    assert isinstance(scripts, list)
    assert [s.revision for s in scripts if s is not None] == ["fromhook", "second"]
    assert seen == [("given",)]
    text = (home / "migrations" / "versions" / "fromhook_orig.py").read_text(
        encoding="utf-8"
    )
    assert "import json" in text
    assert (
        _header(home / "migrations" / "versions" / "second_also.py", "down_revision")
        == "fromhook"
    )


def test_process_revision_directives_can_cancel(writable: Callable[..., Path]) -> None:
    home = writable("linear")
    before = _versions(home)
    result = command.revision(
        _config(home),
        message="x",
        process_revision_directives=lambda c, r, d: d.clear(),
    )
    assert result == []
    assert _versions(home) == before


def _env_with_configure(home: Path, configure_args: str) -> None:
    env = home / "migrations" / "env.py"
    text = env.read_text(encoding="utf-8")
    env.write_text(
        text.replace(
            "context.configure(connection=connection)",
            f"context.configure(connection=connection, {configure_args})",
        ).replace("literal_binds=True)", f"literal_binds=True, {configure_args})"),
        encoding="utf-8",
    )
    ini = home / "alembic.ini"
    ini.write_text(
        ini.read_text(encoding="utf-8") + "revision_environment = true\n",
        encoding="utf-8",
    )


def test_revision_environment_runs_env_py(
    writable: Callable[..., Path], invoke: Invoke
) -> None:
    home = writable("linear")
    (home / "migrations" / "script.py.mako").write_text(
        '"""${message}"""\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n'
        "team = ${repr(team)}\n",
        encoding="utf-8",
    )
    hooks = home / "hooks_log.json"
    _env_with_configure(
        home,
        "template_args={'team': 'data'}, process_revision_directives="
        f"lambda ctx, rev, d: open({str(hooks)!r}, 'w').write(__import__('json').dumps(list(rev)))",
    )
    for extra in ([], ["--sql"]):
        before = _versions(home)
        result = invoke(home, "revision", "-m", "env", *extra)
        assert result.exit_code == 0, result.stderr
        (path,) = _new_files(home, before)
        assert _header(path, "team") == "data"
        # the hook's second argument is the database's current heads (none here), as in Alembic
        assert json.loads(hooks.read_text()) == []


def test_revision_sql_needs_revision_environment(writable: Callable[..., Path]) -> None:
    with pytest.raises(CommandError, match="revision_environment"):
        command.revision(_config(writable("linear")), message="x", sql=True)


# -- merge ---------------------------------------------------------------------------


def test_merge_heads(writable: Callable[..., Path], invoke: Invoke) -> None:
    home = writable("branchy")
    before = _versions(home)
    result = invoke(
        home,
        "merge",
        "-m",
        "join all",
        "--rev-id",
        "m1",
        "--branch-label",
        "joined",
        "heads",
    )
    assert result.exit_code == 0, result.stderr
    (path,) = _new_files(home, before)
    assert path.name == "m1_join_all.py"
    # "heads" means the real heads: the audit head is reached through a dependency
    assert _header(path, "down_revision") == (
        "3f5e9b8c7d6a",
        "7e6f5a4b3c2d",
        "8d7e6f5a4b3c",
        "f6a1b2c3d4e5",
    )
    # what alembic 1.20.1 prints after the same merge (labels sorted)
    assert invoke(home, "heads").stdout == (
        "0b8c7d6e5f4a (audit) (effective head)\nm1 (analytics, feature, joined, reporting, right) (head)\n"
    )


def test_merge_non_head_needs_splice(
    writable: Callable[..., Path], invoke: Invoke
) -> None:
    home = writable("branchy")
    args = ["merge", "--rev-id", "m2", "b2c3d4e5f6a1", "0a9b8c7d6e5f"]
    failed = invoke(home, *args)
    assert failed.exit_code == 1 and "b2c3d4e5f6a1" in failed.stderr
    spliced = invoke(home, *args[:1], "--splice", *args[1:])
    assert spliced.exit_code == 0, spliced.stderr
    assert _header(home / "migrations" / "versions" / "m2_.py", "down_revision") == (
        "b2c3d4e5f6a1",
        "0a9b8c7d6e5f",
    )


# -- edit ------------------------------------------------------------------------------


@pytest.fixture
def editor(tmp_path: Path) -> tuple[str, Path]:
    """An $EDITOR that records the files it is asked to open."""
    log = tmp_path / "edited.txt"
    script = tmp_path / "fake_editor.py"
    script.write_text(
        f"import sys\nwith open({str(log)!r}, 'a') as fh:\n    fh.write(sys.argv[-1] + '\\n')\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}", log


def test_edit_opens_each_named_revision(
    make_project: MakeProject, invoke: Invoke, editor: tuple[str, Path]
) -> None:
    home = make_project("branchy")
    cmd, log = editor
    assert invoke(home, "edit", "7e6f", env={"EDITOR": cmd}).exit_code == 0
    assert invoke(home, "edit", "feature@head", env={"EDITOR": cmd}).exit_code == 0
    versions = home / "migrations" / "versions"
    assert log.read_text().splitlines() == [
        str(versions / "7e6f5a4b3c2d_rev.py"),
        str(versions / "3f5e9b8c7d6a_rev.py"),
    ]


def test_edit_current_opens_database_heads(
    make_project: MakeProject, invoke: Invoke, editor: tuple[str, Path]
) -> None:
    home = make_project("branchy", db_heads=("3f5e9b8c7d6a", "f6a1b2c3d4e5"))
    cmd, log = editor
    result = invoke(home, "edit", "current", env={"EDITOR": cmd})
    assert result.exit_code == 0, result.stderr
    assert sorted(Path(p).name for p in log.read_text().splitlines()) == [
        "3f5e9b8c7d6a_rev.py",
        "f6a1b2c3d4e5_rev.py",
    ]


def test_edit_editor_failure_is_one_line(
    make_project: MakeProject, invoke: Invoke
) -> None:
    home = make_project("linear")
    result = invoke(home, "edit", "head", env={"EDITOR": "false"})
    assert result.exit_code == 1
    assert (
        result.stderr.startswith("FAILED: Error executing editor")
        and result.stderr.count("\n") == 1
    )


# -- list_templates ----------------------------------------------------------------------


def test_list_templates(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(tmp_path, "list_templates")
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert lines[:2] == ["Available templates:", ""]
    names = sorted(
        p.name
        for p in TEMPLATES.iterdir()
        if p.is_dir() and not p.name.startswith(("_", "."))
    )
    listed = lines[2 : 2 + len(names)]
    assert [line.split(" - ")[0] for line in listed] == names
    for name, line in zip(names, listed):
        first = (
            (TEMPLATES / name / "README")
            .read_text(encoding="utf-8")
            .splitlines()[0]
            .strip()
        )
        assert line == f"{name} - {first}"
    assert lines[2 + len(names) :] == [
        "",
        "Templates are used via the 'init' command, e.g.:",
        "",
        "  limbeck init --template generic ./scripts",
        "",
    ]


@pytest.mark.parametrize("program", ["alembic", "limbeck"])
def test_list_templates_names_the_program_that_runs(
    program: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as Alembic's command (its console script under LIMBECK_AS_ALEMBIC), the example says `alembic init`."""
    from click.testing import CliRunner

    from limbeck.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["list_templates"], prog_name=program, catch_exceptions=False)
    assert result.stdout.splitlines()[-1] == f"  {program} init --template generic ./scripts"
    config = Config(stdout=__import__("io").StringIO())
    command.list_templates(config)  # called from Python, not as the command line: limbeck's name
    assert config.stdout.getvalue().splitlines()[-1] == "  limbeck init --template generic ./scripts"


def test_revision_environment_runs_env_py_for_history_and_merge(
    writable: Callable[..., Path], invoke: Invoke
) -> None:
    """As with Alembic, ``revision_environment = true`` runs env.py for these commands."""
    home = writable("branchy")
    marker = home / "env_ran.txt"
    _env_with_configure(
        home, f"template_args={{'marker': open({str(marker)!r}, 'a').write('x')}}"
    )
    assert invoke(home, "history").exit_code == 0
    assert marker.read_text() == "x"
    result = invoke(home, "merge", "-m", "m", "heads")
    assert result.exit_code == 0, result.stderr
    assert marker.read_text() == "xx"
    assert invoke(home, "heads").exit_code == 0  # heads never needs the database
    assert marker.read_text() == "xx"
