"""The click application: global options, error reporting, JSON output, read-only verbs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from limbeck import __version__, command
from limbeck.cli import cli
from limbeck.cli.base import GlobalOptions, make_cmd_opts
from limbeck.errors import LimbeckError

Invoke = Callable[..., Result]
MakeProject = Callable[..., Path]

VERBS = (
    "branches",
    "edit",
    "heads",
    "history",
    "init",
    "list_templates",
    "merge",
    "revision",
    "show",
)


def test_help_lists_every_verb(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(tmp_path, "--help")
    assert result.exit_code == 0
    for verb in VERBS:
        assert f"  {verb} " in result.stdout
    assert "-x KEY=VALUE" in result.stdout


def test_dash_h_is_help(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke(tmp_path, "-h").stdout == invoke(tmp_path, "--help").stdout


def test_version(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(tmp_path, "--version")
    assert (result.exit_code, result.stdout) == (0, f"limbeck {__version__}\n")


@pytest.mark.parametrize(
    "args",
    [
        ["bogus"],
        ["merge"],
        ["show"],
        ["history", "--format", "xml"],
        ["heads", "--nope"],
        ["heads", "-x", "a"],
    ],
)
def test_usage_errors_exit_2(invoke: Invoke, tmp_path: Path, args: list[str]) -> None:
    assert invoke(tmp_path, *args).exit_code == 2


def test_no_config_is_one_line_naming_script_location(
    invoke: Invoke, tmp_path: Path
) -> None:
    result = invoke(tmp_path, "heads")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("FAILED: ") and "script_location" in result.stderr


def test_missing_config_file_named_with_c(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(tmp_path, "-c", "nope.ini", "heads")
    assert result.exit_code != 0
    assert result.stderr.startswith("FAILED: ") and "nope.ini" in result.stderr


def test_raiseerr_shows_the_exception(
    make_project: MakeProject, invoke: Invoke
) -> None:
    home = make_project("linear")
    with pytest.raises(LimbeckError, match="zzzz"):
        invoke(home, "--raiseerr", "show", "zzzz")


def test_quiet_prints_nothing(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("linear")
    result = invoke(home, "-q", "history")
    assert (result.exit_code, result.stdout) == (0, "")


def test_config_given_with_c_from_another_folder(
    make_project: MakeProject, invoke: Invoke, tmp_path: Path
) -> None:
    home = make_project("linear")
    (home / "alembic.ini").rename(home / "custom.ini")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = invoke(elsewhere, "-c", str(home / "custom.ini"), "heads")
    assert (result.exit_code, result.stdout) == (0, "5e4a4f5c6b7d (head)\n")


def test_name_selects_ini_section(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("linear")
    (home / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/nowhere\n\n[other]\nscript_location = %(here)s/migrations\n",
        encoding="utf-8",
    )
    assert invoke(home, "-n", "other", "heads").stdout == "5e4a4f5c6b7d (head)\n"
    assert invoke(home, "heads").exit_code != 0


def test_limbeck_ini_preferred_over_alembic_ini(
    make_project: MakeProject, invoke: Invoke
) -> None:
    home = make_project("linear")
    (home / "limbeck.ini").write_text(
        "[limbeck]\nscript_location = %(here)s/nowhere\n", encoding="utf-8"
    )
    result = invoke(home, "heads")
    assert result.exit_code != 0 and "nowhere" in result.stderr


def test_cmd_opts_shaped_like_alembics_namespace() -> None:
    options = GlobalOptions(
        config=("a.ini", "b.toml"), name="sect", x=("k=v", "flag"), quiet=True
    )
    opts = make_cmd_opts(
        options,
        "heads",
        (),
        {"verbose": True, "resolve_dependencies": False, "format": "text"},
    )
    assert opts.config == ["a.ini", "b.toml"]
    assert (opts.name, opts.x, opts.raiseerr, opts.quiet) == (
        "sect",
        ["k=v", "flag"],
        False,
        True,
    )
    assert opts.verbose is True
    fn, positional, kwargs = opts.cmd
    assert fn is command.heads and positional == []
    assert kwargs == ["verbose", "resolve_dependencies", "format"]
    bare = make_cmd_opts(GlobalOptions(), "show", ("rev",), {"rev": "head"})
    assert (bare.config, bare.x, bare.cmd[1]) == (None, None, ["rev"])


def test_x_arguments_reach_env_py(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("linear", db_heads=())
    env_py = home / "migrations" / "env.py"
    env_py.write_text(
        "from alembic import context\n"
        "from pathlib import Path\n"
        "Path(context.config.get_main_option('here') or '.', 'x.json').write_text(\n"
        "    __import__('json').dumps([context.get_x_argument(), context.get_x_argument(as_dictionary=True)]))\n"
        + env_py.read_text(encoding="utf-8").split("\n", 1)[1],
        encoding="utf-8",
    )
    result = invoke(home, "-x", "db=one", "-x", "plain", "show", "current")
    assert result.exit_code == 0, result.stderr
    assert json.loads((home / "x.json").read_text()) == [
        ["db=one", "plain"],
        {"db": "one", "plain": ""},
    ]


# -- JSON output ---------------------------------------------------------------------


def test_heads_json(make_project: MakeProject, invoke: Invoke) -> None:
    home = make_project("branchy")
    result = invoke(home, "heads", "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    by_id = {r["revision"]: r for r in records}
    assert set(by_id) == {
        "0b8c7d6e5f4a",
        "3f5e9b8c7d6a",
        "7e6f5a4b3c2d",
        "8d7e6f5a4b3c",
        "f6a1b2c3d4e5",
    }
    assert by_id["f6a1b2c3d4e5"]["branch_labels"] == ["analytics", "reporting"]
    assert by_id["f6a1b2c3d4e5"]["down_revisions"] == ["e5f6a1b2c3d4"]
    assert by_id["7e6f5a4b3c2d"]["path"] == str(
        home / "migrations" / "versions" / "7e6f5a4b3c2d_rev.py"
    )
    assert all(r["is_head"] and r["is_current"] is None for r in records)
    resolved = json.loads(
        invoke(home, "heads", "--resolve-dependencies", "--format", "json").stdout
    )
    assert "0b8c7d6e5f4a" not in {r["revision"] for r in resolved}


def test_history_json_follows_text_order(
    make_project: MakeProject, invoke: Invoke
) -> None:
    home = make_project("branchy", db_heads=("b2c3d4e5f6a1",))
    text = invoke(home, "history", "-r", "a1b2:feature@head").stdout.splitlines()
    records = json.loads(
        invoke(home, "history", "-r", "a1b2:feature@head", "--format", "json").stdout
    )
    assert [r["revision"] for r in records] == [
        line.split(" -> ")[1].split(" ")[0].rstrip(",") for line in text
    ]
    merge = next(r for r in records if r["revision"] == "3f5e6a1b2c3d")
    assert merge["is_merge_point"] and merge["down_revisions"] == [
        "c3d4e5f6a1b2",
        "d4e5f6a1b2c3",
    ]
    assert merge["doc"] == "merge feature and hotfix"
    current = json.loads(invoke(home, "history", "-i", "--format", "json").stdout)
    assert {r["revision"] for r in current if r["is_current"]} == {"b2c3d4e5f6a1"}


def test_history_text_keeps_no_current_marker_between_calls(
    make_project: MakeProject,
) -> None:
    """``-i`` marks scripts while printing; a later plain listing must not show it."""
    from limbeck.config import Config

    home = make_project("linear", db_heads=("3c2e2d3a4f5b",))
    out: list[str] = []

    class Buffer:
        encoding = "utf-8"

        def write(self, text: str) -> None:
            out.append(text)

    config = Config(str(home / "alembic.ini"), stdout=Buffer())  # type: ignore[arg-type]
    command.history(config, indicate_current=True)
    assert "(current)" in "".join(out)
    out.clear()
    command.history(config)
    assert "(current)" not in "".join(out)


def test_branches_on_linear_history_prints_nothing(
    make_project: MakeProject, invoke: Invoke
) -> None:
    result = invoke(make_project("linear"), "branches", "-v")
    assert (result.exit_code, result.stdout) == (0, "")


def test_console_runner_default_prog_name(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_project("linear"))
    result = CliRunner().invoke(cli, ["history", "-r", "-2:"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith(
        "4d3f3e4b5a6c -> 5e4a4f5c6b7d (head)"
    )


def test_unknown_format_from_python_api(make_project: MakeProject) -> None:
    from limbeck.config import Config

    config = Config(str(make_project("linear") / "alembic.ini"))
    with pytest.raises(LimbeckError, match="xml"):
        command.heads(config, format="xml")


def _set_url(home: Path, url: str) -> None:
    ini = home / "alembic.ini"
    text = ini.read_text(encoding="utf-8").replace(
        f"sqlite:///{home}/app.db".replace(str(home), "%(here)s"), url
    )
    ini.write_text(text, encoding="utf-8")


def test_database_errors_in_env_py_are_one_line(
    make_project: MakeProject, invoke: Invoke
) -> None:
    home = make_project("linear")
    _set_url(home, "nodriver://somewhere")
    result = invoke(home, "history", "-i")
    assert result.exit_code == 1
    assert result.stderr == (
        "FAILED: sqlalchemy.url in alembic.ini [alembic]: 'nodriver://somewhere' "
        "names no SQLAlchemy dialect ('nodriver')\n"
    )
    with pytest.raises(Exception, match="nodriver"):
        invoke(home, "--raiseerr", "show", "current")


def test_a_raise_in_env_py_is_one_line_naming_its_line(
    make_project: MakeProject, invoke: Invoke
) -> None:
    home = make_project("linear")
    env = home / "migrations" / "env.py"
    env.write_text("x = 1\nraise RuntimeError('boom')\n")
    result = invoke(home, "show", "current")
    assert result.exit_code == 1
    assert result.stderr == (
        f"FAILED: {env}, line 2: RuntimeError: boom (--raiseerr shows the traceback)\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        invoke(home, "--raiseerr", "show", "current")
