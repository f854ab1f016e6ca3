"""The CLI as users start it: ``python -m limbeck``, the console script, and its import cost.

``--help`` must never import SQLAlchemy or Mako, and the listing commands (``heads``,
``history``, ``branches``, ``show``) and a plain ``revision -m`` must not import SQLAlchemy
either: they read revision headers statically. (Timing is measured in bench/, not asserted here.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

MakeProject = Callable[..., Path]

_PROBE = """\
import runpy, sys
sys.argv = ["limbeck", *{args!r}]
try:
    runpy.run_module("limbeck", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    status = exc.code
else:
    status = 0
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & set({modules!r}))
sys.stderr.write("HEAVY=" + ",".join(heavy) + "\\n")
sys.exit(status)
"""


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LIMBECK_CONFIG", "ALEMBIC_CONFIG")
    }
    env["COLUMNS"] = "200"
    return env


def _probe(cwd: Path, *args: str, modules: tuple[str, ...] = ("sqlalchemy", "mako")) -> tuple[int, str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(args=list(args), modules=modules)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    heavy_line = [
        line for line in proc.stderr.splitlines() if line.startswith("HEAVY=")
    ]
    assert heavy_line, proc.stderr
    heavy = {name for name in heavy_line[-1][len("HEAVY=") :].split(",") if name}
    return proc.returncode, proc.stdout, heavy


def test_help_imports_neither_sqlalchemy_nor_mako(tmp_path: Path) -> None:
    status, out, heavy = _probe(tmp_path, "--help")
    assert status == 0 and "Usage: limbeck" in out
    assert heavy == set()


@pytest.mark.parametrize(
    "args",
    [
        ("heads",),
        ("heads", "-v"),
        ("history",),
        ("history", "-v", "-r", "base:heads"),
        ("branches",),
        ("show", "heads"),
        ("heads", "--format", "json"),
    ],
)
def test_listing_commands_do_not_import_sqlalchemy(
    make_project: MakeProject, args: tuple[str, ...]
) -> None:
    status, out, heavy = _probe(make_project("branchy"), *args)
    assert status == 0 and out
    assert heavy == set()


@pytest.mark.parametrize("verb", ["heads", "history", "branches"])
def test_listing_commands_import_no_module_they_do_not_use(make_project: MakeProject, verb: str) -> None:
    """``dataclasses`` (which imports ``inspect``, ``ast``, ``dis`` and ``tokenize``), ``uuid`` (with
    ``platform``) and ``tempfile`` (with ``random``) cost a listing command about 11 ms together: a
    tenth of a warm ``heads`` on 5,000 revisions. The first run writes the caches (``tempfile``'s use)."""
    status, out, loaded = _probe(make_project("branchy"), verb, modules=("inspect", "dataclasses", "uuid", "tempfile"))
    assert status == 0 and out
    assert loaded == set()


def test_cmd_opts_name_the_defaulted_parameters_inspect_names() -> None:
    """``cmd_opts.cmd[2]`` is read from the function's code without :mod:`inspect`: the same names."""
    import functools
    import inspect

    from limbeck import command
    from limbeck.cli.run import defaulted_parameters

    def reference(fn: Callable[..., object]) -> list[str]:
        return [name for name, p in inspect.signature(fn).parameters.items() if p.default is not p.empty]

    def mixed(a: int, /, b: int, c: int = 1, *args: int, d: int, e: int = 2, **kw: int) -> None: ...

    @functools.wraps(mixed)
    def wrapped(*args: int) -> None: ...

    functions = [getattr(command, name) for name in command.__all__ if callable(getattr(command, name))]
    for fn in [*functions, mixed, wrapped, functools.partial(mixed, 1), lambda x, y=2: None]:
        assert defaulted_parameters(fn) == reference(fn), fn
    assert defaulted_parameters(command.heads) == ["verbose", "resolve_dependencies", "format"]


def test_plain_revision_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    """``revision -m`` without ``--autogenerate`` or ``revision_environment`` only writes a template.

    Alembic imports SQLAlchemy for it; limbeck needs Mako and the revision headers.
    """
    assert _probe(tmp_path, "init", "migrations")[0] == 0
    for message in ("first", "add a thing"):
        status, out, heavy = _probe(tmp_path, "revision", "-m", message)
        assert status == 0 and f"_{message.replace(' ', '_')}.py" in out
        assert heavy == {"mako"}
    first = next(tmp_path.rglob("*_first.py")).name.split("_")[0]
    written = next(tmp_path.rglob("*_add_a_thing.py")).read_text()
    assert f'down_revision: str | Sequence[str] | None = "{first}"' in written


def test_python_dash_m(make_project: MakeProject, tmp_path: Path) -> None:
    home = make_project("linear")
    proc = subprocess.run(
        [sys.executable, "-m", "limbeck", "heads"],
        cwd=home,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert (proc.returncode, proc.stdout) == (0, "5e4a4f5c6b7d (head)\n")


def test_console_script(make_project: MakeProject) -> None:
    script = Path(sys.executable).with_name("limbeck")
    if not script.exists():
        pytest.skip(
            "the limbeck console script is not installed next to this interpreter"
        )
    home = make_project("linear")
    ok = subprocess.run(
        [str(script), "history", "-r", "-2:"],
        cwd=home,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert ok.returncode == 0
    assert ok.stdout.splitlines() == [  # what alembic 1.20.1 prints for -r -2: here
        "4d3f3e4b5a6c -> 5e4a4f5c6b7d (head), drop the old column",
        "3c2e2d3a4f5b -> 4d3f3e4b5a6c, rename a table",
        "2b1d1c2f3e4a -> 3c2e2d3a4f5b, add an index",
    ]
    bad = subprocess.run(
        [str(script), "show", "nope"],
        cwd=home,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr == "FAILED: Can't locate revision identified by 'nope'\n"
