"""What a newcomer's first failures print: one line naming the file, line, URL source and remedy.

A missing driver, a mistyped URL, an env.py that raises, Ctrl-C during a run, a closed
pipe: each ends with one line on stderr (or nothing, for the pipe) and the right exit
status; ``--raiseerr`` keeps the traceback; a limbeck bug keeps it always.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from limbeck import command
from limbeck.config import Config

Invoke = Callable[..., Result]
NewProject = Callable[..., Path]
LIMBECK = [sys.executable, "-m", "limbeck"]


def _set_url(home: Path, url: str) -> Path:
    ini = home / "limbeck.ini"
    lines = ini.read_text(encoding="utf-8").splitlines()
    ini.write_text(
        "\n".join(f"sqlalchemy.url = {url}" if line.startswith("sqlalchemy.url") else line for line in lines) + "\n",
        encoding="utf-8",
    )
    return ini


def _env_line(home: Path, text: str) -> int:
    """The line of env.py holding ``text`` (where a failure must be located)."""
    lines = (home / "migrations" / "env.py").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize("url, module, package", [
    ("mysql+mysqldb://u:secret@db/app", "MySQLdb", "mysqlclient"),
    ("postgresql+psycopg2://u:secret@db/app", "psycopg2", "psycopg2-binary"),
    ("postgresql+psycopg://u:secret@db/app", "psycopg", "psycopg[binary]"),
])
def test_a_missing_driver_names_the_env_py_line_and_the_package(
    url: str, module: str, package: str, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch,
    limbeck_project: NewProject,
) -> None:
    home = limbeck_project(tmp_path)
    _set_url(home, url)
    monkeypatch.setitem(sys.modules, module, None)  # "not installed", whatever this machine has
    result = invoke(home, "upgrade", "head")
    assert result.exit_code == 1
    env_py = home / "migrations" / "env.py"
    line = _env_line(home, "engine = engine_from_config(")
    assert result.stderr == (
        f"FAILED: {env_py}, line {line}: ModuleNotFoundError: import of {module} halted; None in sys.modules; "
        f"the database driver {module} is not installed: pip install {package} "
        "(or name an installed driver in the URL, dialect+driver://)\n"
    )
    with pytest.raises(ImportError):
        invoke(home, "--raiseerr", "upgrade", "head")


def test_the_async_template_without_greenlet_says_to_install_it(tmp_path: Path, limbeck_project: NewProject) -> None:
    home = limbeck_project(tmp_path, "async", {"a1": "pass"})
    _set_url(home, "sqlite+aiosqlite:///%(here)s/app.db")
    shim = tmp_path / "no_greenlet"
    shim.mkdir()
    (shim / "greenlet.py").write_text("raise ModuleNotFoundError(\"No module named 'greenlet'\", name='greenlet')\n")
    env = {**os.environ, "PYTHONPATH": str(shim)}
    run = subprocess.run([*LIMBECK, "upgrade", "head"], cwd=home, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"FAILED: {home / 'migrations' / 'env.py'}, line ")
    assert line.endswith("SQLAlchemy's asyncio support needs greenlet: pip install greenlet")


def test_an_env_py_that_needs_an_application_context(
    tmp_path: Path, invoke: Invoke, limbeck_project: NewProject,
) -> None:
    home = limbeck_project(tmp_path)
    env_py = home / "migrations" / "env.py"
    text = env_py.read_text(encoding="utf-8")
    env_py.write_text(
        "def current_app():\n    raise RuntimeError('Working outside of application context.')\n\n\n"
        "target_metadata_from_app = current_app()\n" + text,
        encoding="utf-8",
    )
    result = invoke(home, "current")
    assert result.exit_code == 1
    assert result.stderr == (
        f"FAILED: {env_py}, line 2: RuntimeError: Working outside of application context. "
        "(--raiseerr shows the traceback)\n"
    )


def test_a_limbeck_bug_keeps_its_traceback(
    make_project: Callable[..., Path], invoke: Invoke, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(config: Config, **kw: object) -> None:
        raise AttributeError("a limbeck bug, not the user's")

    monkeypatch.setattr(command, "heads", broken)
    with pytest.raises(AttributeError, match="limbeck bug"):
        invoke(make_project("linear"), "heads")


@pytest.mark.parametrize("url, problem", [
    ("postgresq://u:secret@db/app", "names no SQLAlchemy dialect ('postgresq'); did you mean 'postgresql'?"),
    ("postgres://u:secret@db/app", "names no SQLAlchemy dialect ('postgres'); did you mean 'postgresql'?"),
    ("postgresql+psycopg3://u:secret@db/app",
     "names a driver SQLAlchemy's postgresql dialect does not have, 'psycopg3'; did you mean 'postgresql+psycopg'?"),
    ("not a url", "is not a database URL (dialect+driver://user:password@host/database)"),
])
@pytest.mark.parametrize("sql", [False, True])
def test_a_bad_url_names_its_option_and_hides_the_password(
    url: str, problem: str, sql: bool, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch,
    limbeck_project: NewProject,
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    home = limbeck_project(tmp_path, revisions={"a1": "pass"})
    _set_url(home, url)
    result = invoke(home, "upgrade", "a1:head" if sql else "head", *(["--sql"] if sql else []))
    assert result.exit_code == 1
    shown = url.replace(":secret@", ":***@")
    assert result.stderr == f"FAILED: sqlalchemy.url in limbeck.ini [limbeck]: '{shown}' {problem}\n"
    assert "secret" not in result.output


def test_a_url_from_x_or_the_environment_is_named_as_such(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, limbeck_project: NewProject,
) -> None:
    home = limbeck_project(tmp_path)
    env_py = home / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text(encoding="utf-8").replace(
            "connection = config.attributes.get(\"connection\")",
            "config.set_main_option('sqlalchemy.url', context.get_x_argument(as_dictionary=True).get('db')"
            " or __import__('os').environ['DATABASE_URL'])\n    connection = config.attributes.get(\"connection\")",
        ),
        encoding="utf-8",
    )
    result = invoke(home, "-x", "db=mssqll://sa:pw@db/app", "current")
    assert result.stderr.startswith(
        "FAILED: sqlalchemy.url in limbeck.ini [limbeck] and -x db: 'mssqll://sa:***@db/app' names no "
    )
    monkeypatch.setenv("DATABASE_URL", "sqlit:///x.db")
    result = invoke(home, "current")
    assert result.stderr == (
        "FAILED: sqlalchemy.url in limbeck.ini [limbeck] and $DATABASE_URL: 'sqlit:///x.db' "
        "names no SQLAlchemy dialect ('sqlit'); did you mean 'sqlite'?\n"
    )


def test_a_closed_pipe_ends_quietly_with_status_0(tmp_path: Path, limbeck_project: NewProject) -> None:
    """``limbeck history | head -2`` under ``set -o pipefail``: what Alembic does."""
    home = limbeck_project(tmp_path, revisions={f"r{n:04d}": "pass" for n in range(400)}, doc="words " * 50)
    size = len(subprocess.run([*LIMBECK, "history", "-v"], cwd=home, capture_output=True, timeout=300, check=True).stdout)
    assert size > 2 * 65536  # well past what a pipe buffers, so the writer does meet the closed end
    run = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{sys.executable} -m limbeck history -v | head -2"],
        cwd=home, capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.startswith("Rev: r0399 (head)\n")


def test_a_closed_pipe_in_process(make_project: Callable[..., Path], invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(config: Config, **kw: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(command, "history", closed)
    result = invoke(make_project("linear"), "history")
    assert result.exit_code == 0 and result.output == ""


def test_ctrl_c_during_a_revision_says_where_the_database_is(
    tmp_path: Path, invoke: Invoke, limbeck_project: NewProject,
) -> None:
    home = limbeck_project(tmp_path, revisions={
        "a1": "op.create_table('t1', sa.Column('id', sa.Integer, primary_key=True))",
        "b2": "raise KeyboardInterrupt",
    })
    result = invoke(home, "upgrade", "head")
    assert result.exit_code == 130
    path = home / "migrations" / "versions" / "b2_r.py"
    assert result.stderr.splitlines()[-1] == (
        f"FAILED: {path} (revision b2, upgrade): interrupted (Ctrl-C); the database is at a1"
    )
    with pytest.raises(KeyboardInterrupt):  # a program running migrations still sees Ctrl-C
        command.upgrade(Config(str(home / "limbeck.ini")), "head")


def test_an_unparsable_url_from_code_is_not_blamed_on_an_unrelated_variable(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, limbeck_project: NewProject,
) -> None:
    monkeypatch.setenv("SERVICE_URL", "localhost:8080")  # URL-named, not a database URL, not used
    home = limbeck_project(tmp_path)
    env_py = home / "migrations" / "env.py"
    text = env_py.read_text(encoding="utf-8").replace(
        "config.get_section(config.config_ini_section, {}),", "{'sqlalchemy.url': 'db:5432/app'},"
    )
    env_py.write_text(text, encoding="utf-8")
    result = invoke(home, "current")
    line = _env_line(home, "engine = engine_from_config(")
    assert result.stderr == (
        f"FAILED: {env_py}, line {line}: the database URL 'db:5432/app' given to SQLAlchemy "
        "is not a database URL (dialect+driver://user:password@host/database)\n"
    )


@pytest.mark.parametrize("args", [("--sql",), ()], ids=["offline", "online"])
def test_a_revision_without_downgrade_is_named_once(
    tmp_path: Path, invoke: Invoke, limbeck_project: NewProject, args: tuple[str, ...],
) -> None:
    """magnum's b3e1cf4a2d5e (tests/realworld) has no downgrade(): the line names its file once."""
    home = limbeck_project(tmp_path, revisions={"a1": "pass", "b2": "pass"})
    path = home / "migrations" / "versions" / "b2_r.py"
    path.write_text(path.read_text(encoding="utf-8").split("\n\ndef downgrade")[0] + "\n", encoding="utf-8")
    if not args:
        assert invoke(home, "upgrade", "head").exit_code == 0
    result = invoke(home, "downgrade", "b2:a1" if args else "a1", *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"FAILED: {path} (revision b2, downgrade): revision b2 has no downgrade() function"
    )
