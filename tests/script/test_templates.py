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
    text = render(tmp_path, name, "limbeck.ini.mako", script_location="%(here)s/migrations", section="limbeck")
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
    text = render(tmp_path, name, "pyproject.toml.mako", script_location="%(here)s/migrations", section="limbeck")
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


def test_imports_are_rendered(tmp_path: Path) -> None:
    text = render(tmp_path, "generic", "script.py.mako", **revision_args(imports="import json", op_package="limbeck"))
    # one isort section: plain imports first, then from-imports, each sorted
    assert "import json\nimport sqlalchemy as sa  # noqa: F401\nfrom limbeck import op  # noqa: F401\n\n# revision" in text


@pytest.mark.parametrize("name", NAMES)
def test_op_comes_from_alembic_where_alembic_renders(name: str, tmp_path: Path) -> None:
    """A tool that copies the template into a project (Flask-Alembic's mkdir) leaves it to Alembic
    to render when the project goes back to it: Alembic passes no op_package, and op comes from alembic."""
    config = Config()
    config.set_main_option("databases", "engine1, engine2")
    text = render(tmp_path, name, "script.py.mako", **revision_args(config=config))
    assert "\nfrom alembic import op  # noqa: F401\n" in text
    assert "limbeck" not in text.split("# revision")[0]


# -- end to end, through the command API (init, revision, upgrade) -----------------


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str) -> Config:
    from limbeck import command

    monkeypatch.chdir(tmp_path)
    config = Config(str(tmp_path / "limbeck.ini"))
    command.init(config, str(tmp_path / "migrations"), template=template)
    return Config(str(tmp_path / "limbeck.ini"))


def test_generic_project_runs_online_on_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from limbeck import command

    config = _project(tmp_path, monkeypatch, "generic")
    rev = command.revision(config, "create users")
    assert rev is not None and not isinstance(rev, list)
    Path(rev.path).write_text(Path(rev.path).read_text().replace(
        "def upgrade() -> None:\n    pass",
        "def upgrade() -> None:\n    op.create_table('users', sa.Column('id', sa.Integer, primary_key=True))",
    ))
    command.upgrade(config, "head")
    with sqlite3.connect(tmp_path / "app.db") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
        (version,) = db.execute("select version_num from alembic_version").fetchone()
    assert "users" in tables and version == rev.revision


def test_generic_project_renders_sql_from_a_dialect_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from limbeck import command

    config = _project(tmp_path, monkeypatch, "generic")
    ini = tmp_path / "limbeck.ini"
    ini.write_text(ini.read_text().replace("sqlalchemy.url = sqlite:///%(here)s/app.db", "sqlalchemy.url =")
                   .replace("# dialect_name =", "dialect_name = postgresql"))
    config = Config(str(ini))
    rev = command.revision(config, "first")
    capsys.readouterr()
    command.upgrade(config, "head", sql=True)
    out = capsys.readouterr().out
    assert "BEGIN;" in out and "CREATE TABLE alembic_version" in out
    assert f"INSERT INTO alembic_version (version_num) VALUES ('{rev.revision}') RETURNING alembic_version.version_num;" in out  # type: ignore[union-attr]
    assert not (tmp_path / "app.db").exists()


def test_multidb_project_runs_each_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from limbeck import command

    config = _project(tmp_path, monkeypatch, "multidb")
    rev = command.revision(config, "per database")
    assert rev is not None and not isinstance(rev, list)
    text = Path(rev.path).read_text()
    assert "def upgrade_engine1() -> None:" in text and "def downgrade_engine2() -> None:" in text
    Path(rev.path).write_text(text.replace(
        "def upgrade_engine2() -> None:\n    pass",
        "def upgrade_engine2() -> None:\n    op.create_table('only_two', sa.Column('id', sa.Integer))",
    ))
    command.upgrade(config, "head")
    for name, expected in (("engine1", False), ("engine2", True)):
        with sqlite3.connect(tmp_path / f"{name}.db") as db:
            tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
        assert ("only_two" in tables) is expected and "alembic_version" in tables
    capsys.readouterr()
    command.upgrade(config, f"base:{rev.revision}", sql=True)
    assert "CREATE TABLE only_two" in (tmp_path / "engine2.sql").read_text()
    assert "only_two" not in (tmp_path / "engine1.sql").read_text()
