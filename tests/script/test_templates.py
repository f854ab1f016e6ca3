"""The init templates: complete, rendering, compiling, and lint-clean."""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from limbeck.config import Config
from limbeck.script import ScriptDirectory
from limbeck.script.generate import render_template_to_file
from limbeck.script.headers import read_headers

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "limbeck" / "script" / "templates"
NAMES = ["async", "generic", "multidb", "pyproject", "pyproject_async"]
PYPROJECT = {"pyproject", "pyproject_async"}


def test_the_template_set() -> None:
    assert sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and not p.name.startswith("_")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_template_has_its_files(name: str) -> None:
    expected = {"README", "env.py", "script.py.mako", "limbeck.ini.mako"}
    if name in PYPROJECT:
        expected.add("pyproject.toml.mako")
    assert {p.name for p in (TEMPLATES / name).iterdir() if p.name != "__pycache__"} == expected
    assert (TEMPLATES / name / "README").read_text().splitlines()[0].strip()


@pytest.mark.parametrize("name", NAMES)
def test_env_py_compiles_and_uses_limbeck(name: str) -> None:
    source = (TEMPLATES / name / "env.py").read_text()
    compile(source, f"{name}/env.py", "exec")
    assert "from limbeck import context" in source
    assert 'config.attributes.get("connection")' in source or name == "multidb"
    assert "literal_binds=True" in source and '"dialect_name"' in source


def render(tmp_path: Path, name: str, filename: str, **kw: object) -> str:
    dest = tmp_path / f"{name}-{filename}.out"
    render_template_to_file(TEMPLATES / name / filename, dest, "utf-8", **kw)
    return dest.read_text()


@pytest.mark.parametrize("name", NAMES)
def test_ini_renders(name: str, tmp_path: Path) -> None:
    text = render(tmp_path, name, "limbeck.ini.mako", script_location="%(here)s/migrations")
    parser = configparser.ConfigParser(defaults={"here": "/proj"})
    parser.read_string(text)
    assert parser.has_section("limbeck")
    assert parser.get("logger_limbeck", "qualname") == "limbeck"
    if name == "multidb":
        assert parser.get("limbeck", "databases") == "engine1, engine2"
        assert parser.get("engine1", "sqlalchemy.url") == "sqlite:////proj/engine1.db"
    else:
        assert parser.get("limbeck", "sqlalchemy.url").endswith(":////proj/app.db")
    if name not in PYPROJECT:
        assert parser.get("limbeck", "script_location") == "/proj/migrations"
        assert parser.get("limbeck", "path_separator") == "os"


@pytest.mark.parametrize("name", sorted(PYPROJECT))
def test_pyproject_renders(name: str, tmp_path: Path) -> None:
    text = render(tmp_path, name, "pyproject.toml.mako", script_location="%(here)s/migrations")
    table = tomllib.loads(text)["tool"]["limbeck"]
    assert table == {"script_location": "%(here)s/migrations", "prepend_sys_path": ["."]}


def revision_args(**extra: object) -> dict[str, object]:
    from limbeck.util import format_as_comma

    return {
        "up_revision": "abc123", "down_revision": ("x1", "y2"), "branch_labels": ("feat",),
        "depends_on": None, "create_date": "2024-01-01 00:00:00", "comma": format_as_comma,
        "message": "Add things", **extra,
    }


@pytest.mark.parametrize("name", NAMES)
def test_script_template_renders_valid_revision(name: str, tmp_path: Path) -> None:
    config = Config()
    config.set_main_option("databases", "engine1, engine2")
    text = render(tmp_path, name, "script.py.mako", **revision_args(config=config))
    path = tmp_path / "rev.py"
    path.write_text(text)
    headers = read_headers(path)
    assert headers is not None
    assert (headers.revision, headers.down_revision, headers.branch_labels) == ("abc123", ("x1", "y2"), ("feat",))
    assert headers.doc is not None and headers.doc.startswith("Add things\n\nRevision ID: abc123\nRevises: x1, y2\n")
    namespace: dict[str, object] = {}
    exec(compile(text, str(path), "exec"), namespace)  # noqa: S102
    if name == "multidb":
        assert callable(namespace["upgrade_engine1"]) and callable(namespace["downgrade_engine2"])
    else:
        assert callable(namespace["upgrade"]) and callable(namespace["downgrade"])


def test_multidb_per_database_bodies(tmp_path: Path) -> None:
    config = Config()
    config.set_main_option("databases", "one, two")
    text = render(tmp_path, "multidb", "script.py.mako",
                  **revision_args(config=config, one_upgrades="op.create_table('a')"))
    assert "def upgrade_one() -> None:\n    op.create_table('a')\n" in text
    assert "def upgrade_two() -> None:\n    pass\n" in text


def _ruff() -> list[str] | None:
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    exe = shutil.which("ruff")
    return [exe] if exe else None


@pytest.mark.parametrize("name", NAMES)
def test_generated_python_passes_ruff_defaults(name: str, tmp_path: Path) -> None:
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed")
    config = Config()
    config.set_main_option("databases", "engine1, engine2")
    (tmp_path / "rev.py").write_text(render(tmp_path, name, "script.py.mako", **revision_args(config=config)))
    shutil.copy(TEMPLATES / name / "env.py", tmp_path / "env.py")
    result = subprocess.run([*ruff, "check", "--isolated", "--no-cache", "rev.py", "env.py"],
                            cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generic_environment_generates_and_lists(tmp_path: Path) -> None:
    env = tmp_path / "migrations"
    shutil.copytree(TEMPLATES / "generic", env)
    (env / "versions").mkdir()
    sd = ScriptDirectory(env)
    first = sd.generate_revision("a1", "create users")
    second = sd.generate_revision("b2", "add email")
    assert first is not None and second is not None
    fresh = ScriptDirectory(env)
    assert fresh.get_heads() == ["b2"]
    assert [s.doc for s in fresh.walk_revisions()] == ["add email", "create users"]
