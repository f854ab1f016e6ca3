"""Existing Alembic projects run unchanged: alembic.ini / [tool.alembic], Alembic-style
env.py files (generic, pyproject, async, multidb) and ``from alembic import op`` scripts."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest

from limbeck import command
from limbeck.config import Config

from .conftest import HISTORY, write_revision  # type: ignore[import-not-found]

ENVS = Path(__file__).parent / "alembic_envs"

LOGGING = """
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""


def alembic_project(root: Path, env: str, ini_main: str, pyproject: str | None = None, history=HISTORY) -> Config:
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text((ENVS / env).read_text())
    (root / "alembic.ini").write_text(ini_main + LOGGING)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject)
    for entry in history:
        write_revision(root / "migrations" / "versions", *entry, package="alembic")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        from limbeck.config import default_config_paths

        ini, toml = default_config_paths(str(root))
    finally:
        os.chdir(cwd)
    return Config(ini, toml_file=toml)


def rows(db: Path, sql: str) -> set:
    with sqlite3.connect(db) as conn:
        return set(conn.execute(sql).fetchall())


def test_generic_alembic_project(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    ini = f"[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///{db}\n"
    config = alembic_project(tmp_path, "generic_env.py", ini)
    assert config.config_ini_section == "alembic"
    command.upgrade(config, "heads")
    assert rows(db, "SELECT version_num FROM alembic_version") == {("e5",), ("g7",)}
    out = io.StringIO()
    config.stdout = out
    command.current(config)
    assert out.getvalue() == "e5 (head) (mergepoint)\ng7 (head)\n"
    sql = io.StringIO()
    config.output_buffer = sql
    command.downgrade(config, "e5:b2", sql=True)
    assert "DROP TABLE audit;" in sql.getvalue() and "DROP TABLE tag;" in sql.getvalue()


def test_connection_shared_through_attributes(tmp_path: Path) -> None:
    import sqlalchemy as sa

    db = tmp_path / "shared.db"
    ini = "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///nowhere.db\n"
    config = alembic_project(tmp_path, "generic_env.py", ini)
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "b2")
        command.upgrade(config, "c3")
    assert rows(db, "SELECT version_num FROM alembic_version") == {("c3",)}
    assert not (tmp_path / "nowhere.db").exists()


def test_x_arguments_reach_env_py(tmp_path: Path) -> None:
    import argparse

    db = tmp_path / "app.db"
    ini = f"[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///{db}\n"
    config = alembic_project(tmp_path, "generic_env.py", ini)
    config.cmd_opts = argparse.Namespace(x=["tag_table=tagged"])
    command.upgrade(config, "a1")
    assert config.attributes["tag_table"] == "tagged"


def test_pyproject_alembic_project(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    pyproject = '[tool.alembic]\nscript_location = "%(here)s/migrations"\nprepend_sys_path = ["."]\n'
    ini = f"[alembic]\nsqlalchemy.url = sqlite:///{db}\n"
    config = alembic_project(tmp_path, "generic_env.py", ini, pyproject=pyproject)
    command.upgrade(config, "heads")
    assert rows(db, "SELECT version_num FROM alembic_version") == {("e5",), ("g7",)}


def test_async_alembic_project(tmp_path: Path) -> None:
    import aiosqlite  # noqa: F401  (in the test extra: a missing driver fails, never skips)
    db = tmp_path / "app.db"
    ini = f"[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite+aiosqlite:///{db}\n"
    config = alembic_project(tmp_path, "async_env.py", ini)
    command.upgrade(config, "heads")
    assert rows(db, "SELECT version_num FROM alembic_version") == {("e5",), ("g7",)}


MULTIDB_HISTORY = [
    (
        "m1",
        None,
        None,
        None,
        "globals()[f'upgrade_{engine_name}']()\n",
        "globals()[f'downgrade_{engine_name}']()\n",
    )
]


def test_multidb_alembic_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ini = (
        "[alembic]\nscript_location = %(here)s/migrations\ndatabases = engine1, engine2\n\n"
        f"[engine1]\nsqlalchemy.url = sqlite:///{one}\n\n[engine2]\nsqlalchemy.url = sqlite:///{two}\n"
    )
    config = alembic_project(tmp_path, "multidb_env.py", ini, history=[])
    path = tmp_path / "migrations" / "versions" / "m1_multi.py"
    path.write_text(
        '"""two databases"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
        'revision = "m1"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\n'
        "def upgrade(engine_name):\n    globals()[f'upgrade_{engine_name}']()\n\n\n"
        "def downgrade(engine_name):\n    globals()[f'downgrade_{engine_name}']()\n\n\n"
        'def upgrade_engine1():\n    op.create_table("one", sa.Column("id", sa.Integer))\n\n\n'
        'def downgrade_engine1():\n    op.drop_table("one")\n\n\n'
        'def upgrade_engine2():\n    op.create_table("two", sa.Column("id", sa.Integer))\n\n\n'
        'def downgrade_engine2():\n    op.drop_table("two")\n'
    )
    command.upgrade(config, "head")
    assert rows(one, "SELECT name FROM sqlite_master WHERE type='table'") == {("one",), ("alembic_version",)}
    assert rows(two, "SELECT name FROM sqlite_master WHERE type='table'") == {("two",), ("alembic_version",)}
    monkeypatch.chdir(tmp_path)
    command.upgrade(config, "head", sql=True)
    assert "CREATE TABLE one" in (tmp_path / "engine1.sql").read_text()
    assert "CREATE TABLE two" in (tmp_path / "engine2.sql").read_text()
