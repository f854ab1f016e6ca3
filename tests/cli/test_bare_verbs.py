"""``limbeck heads`` (history, branches, current) given alone runs without click: the same as with it.

:func:`limbeck.cli.main` runs these four verbs, when nothing else is on the
command line, through :func:`limbeck.cli.run.run_bare` instead of the click
group. These tests hold the two paths to the same call, the same output and
exit status (also on failure and on Ctrl-C), and the click group to the
verbs it loads lazily.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import limbeck.cli
from limbeck.cli import BARE_VERBS, base, group, run

MakeProject = Callable[..., Path]


def _captured(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def execute(options: Any, name: str, positional: Any, kwargs: Any, stop: Any) -> None:
        calls.append((options, name, tuple(positional), dict(kwargs)))

    monkeypatch.setattr(module, "execute", execute)
    return calls


#: global options in the forms the click-free path reads them, and what they mean
GLOBALS: list[tuple[list[str], run.GlobalOptions]] = [
    ([], run.GlobalOptions()),
    (["-c", "x.ini"], run.GlobalOptions(config=("x.ini",))),
    (["--config=x.ini", "-c", "pyproject.toml"], run.GlobalOptions(config=("x.ini", "pyproject.toml"))),
    (["-cx.ini", "--config", "y.toml"], run.GlobalOptions(config=("x.ini", "y.toml"))),
    (["-c=x.ini"], run.GlobalOptions(config=("=x.ini",))),  # click keeps the "=" of a short option's value
    (["-n", "one", "--name=two"], run.GlobalOptions(name="two")),  # given twice: the last
    (["-x", "a=b", "-xc=d", "-nsection"], run.GlobalOptions(x=("a=b", "c=d"), name="section")),
    (["--raiseerr", "-q"], run.GlobalOptions(raiseerr=True, quiet=True)),
    (["--quiet", "-c", "x.ini", "--raiseerr"], run.GlobalOptions(config=("x.ini",), raiseerr=True, quiet=True)),
]


@pytest.mark.parametrize("given, meant", GLOBALS, ids=[" ".join(g) or "none" for g, _ in GLOBALS])
@pytest.mark.parametrize("verb", sorted(BARE_VERBS))
def test_the_bare_call_is_the_one_click_makes(
    monkeypatch: pytest.MonkeyPatch, verb: str, given: list[str], meant: run.GlobalOptions
) -> None:
    through_click = _captured(monkeypatch, base)
    result = CliRunner().invoke(limbeck.cli.cli, [*given, verb])
    assert result.exit_code == 0, result.output
    bare = _captured(monkeypatch, run)
    with pytest.raises(SystemExit) as stopped:
        limbeck.cli.main([*given, verb])
    assert stopped.value.code == 0
    assert through_click == bare == [(meant, verb, (), dict(BARE_VERBS[verb]))]


@pytest.mark.parametrize(
    "given",
    [["-qc", "x.ini"], ["-c"], ["-c", "-x"], ["--config="], ["--", "x"], ["-x", "--quiet"], ["--conf", "x.ini"],
     ["--version"], ["-h"], ["heads"]],
)
def test_other_global_options_are_left_to_click(monkeypatch: pytest.MonkeyPatch, given: list[str]) -> None:
    """Combined flags, a missing or dash-led value, abbreviations: click reads the line (and refuses it or not)."""
    bare = _captured(monkeypatch, run)
    _captured(monkeypatch, base)
    with pytest.raises(SystemExit):
        limbeck.cli.main([*given, "heads"])
    assert bare == []


def test_every_verb_is_declared_where_the_group_looks_for_it() -> None:
    declared: dict[str, str] = {}
    for module_name in sorted(set(group.VERB_MODULES.values())):
        for command in importlib.import_module(module_name).COMMANDS:
            assert command.name not in declared, command.name
            declared[command.name] = module_name
    assert declared == group.VERB_MODULES


def test_help_lists_every_verb_and_an_unknown_verb_is_refused() -> None:
    runner = CliRunner()
    listed = runner.invoke(limbeck.cli.cli, ["--help"])
    assert listed.exit_code == 0
    commands = listed.output.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in commands] == sorted(group.VERB_MODULES)
    assert all(len(line.split()) > 1 for line in commands)  # each with its short help
    unknown = runner.invoke(limbeck.cli.cli, ["hedas"])
    assert unknown.exit_code == 2 and "No such command 'hedas'" in unknown.output


def _run(cwd: Path, *args: str, probe: bool = False) -> tuple[int, str, str]:
    code = (
        "import sys\nfrom limbeck.cli import main\n"
        f"try:\n    main({list(args)!r})\nfinally:\n"
        "    sys.stderr.write('CLICK=%s\\n' % ('click' in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LIMBECK_CONFIG", "ALEMBIC_CONFIG")}
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env, check=False)
    err, _, click_line = proc.stderr.rstrip("\n").rpartition("\n")
    if probe:
        return proc.returncode, proc.stdout, click_line
    return proc.returncode, proc.stdout, err


@pytest.mark.parametrize("verb", sorted(BARE_VERBS))
def test_alone_or_through_click_the_same_output(make_project: MakeProject, verb: str) -> None:
    home = make_project("branchy", db_heads=("3f5e9b8c7d6a",)) if verb == "current" else make_project("branchy")
    status, out, loaded = _run(home, verb, probe=True)
    assert loaded == "CLICK=False"  # not even imported
    # --format text is the default: the same command, parsed by click
    assert (status, out, "") == _run(home, verb, "--format", "text")
    assert status == 0 and out
    # naming the config file, as scripts do: still without click, the same output
    assert _run(home, "-c", "alembic.ini", verb, probe=True) == (status, out, "CLICK=False")
    assert (status, out, "") == _run(home, "-c", "alembic.ini", verb, "--format", "text")


@pytest.mark.parametrize("verb", sorted(BARE_VERBS))
def test_a_failure_is_reported_the_same(tmp_path: Path, verb: str) -> None:
    """No config file: one FAILED line and the error's status either way."""
    status, out, err = _run(tmp_path, verb)
    assert (status, out, err) == _run(tmp_path, verb, "--format", "text")
    assert status != 0 and err.startswith("FAILED: ") and "\n" not in err


def test_ctrl_c_ends_as_click_ends_it(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "execute", interrupted)
    with pytest.raises(SystemExit) as bare:
        limbeck.cli.main(["heads"])
    bare_err = capsys.readouterr().err
    monkeypatch.setattr(base, "execute", interrupted)
    with pytest.raises(SystemExit) as through_click:
        limbeck.cli.main(["heads", "--format", "text"])
    assert bare.value.code == through_click.value.code == 1
    assert bare_err == capsys.readouterr().err == "\nAborted!\n"
