"""The bad-input catalogue (issue 8 §6): every mistake gets one clear line, a non-zero exit, no traceback.

Each case starts from a working project (an SQLite database already at a1),
breaks one thing, runs one command line, and checks that stderr is exactly
one line naming what is at fault, that the exit status is non-zero, and that
nothing was half-written: the project's files and the database are what
they were before the command ran.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import limbeck_reliability_project as project
import pytest
from click.testing import CliRunner
from limbeck_reliability_project import Rev

from limbeck import command
from limbeck.cli import cli

BASE = [
    Rev("a1", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("t")'),
    Rev("b2", "a1", 'op.add_column("t", sa.Column("x", sa.Integer))', 'op.drop_column("t", "x")'),
]


def _revision(root: Path, rev: Rev, name: str | None = None) -> None:
    """Write ``rev`` into versions/ (as ``name`` when given, beside a file of the same id)."""
    versions = root / "migrations" / "versions"
    if name is None:
        project.write_revision(versions, rev)
        return
    spare = root / "spare"
    spare.mkdir(exist_ok=True)
    project.write_revision(spare, rev).rename(versions / name)
    spare.rmdir()


def _edit(root: Path, filename: str, old: str, new: str) -> None:
    path = root / filename
    text = path.read_text()
    assert old in text, (filename, old)
    path.write_text(text.replace(old, new))


def _ini(root: Path, old: str, new: str) -> None:
    _edit(root, "limbeck.ini", old, new)


def _stamp_unknown(root: Path) -> None:
    con = sqlite3.connect(root / "app.db")
    con.execute("UPDATE alembic_version SET version_num = 'zz99'")
    con.commit()
    con.close()


@dataclass
class Case:
    id: str
    argv: list[str]
    #: regular expression the one FAILED line must match
    expect: str
    prepare: Callable[[Path], None] = lambda root: None
    exit_code: int = 1
    #: the line's prefix (click's own usage errors say "Error:")
    prefix: str = "FAILED: "
    env: dict[str, str] = field(default_factory=dict)


CASES = [
    # -- revision files --------------------------------------------------------------
    Case("syntax error in a revision file", ["upgrade", "head"], r"c3_revision\.py.*(SyntaxError|invalid syntax)",
         lambda r: _revision(r, Rev("c3", "b2", "def oops(:", ""))),
    Case("revision file without a revision id", ["heads"], r"c3_revision\.py",
         lambda r: _edit(r, "migrations/versions/c3_revision.py", "revision = 'c3'\n", "")
         if _revision(r, Rev("c3", "b2", "", "")) is None else None),
    Case("revision that raises on import", ["upgrade", "heads"], r"c3_revision\.py.*ZeroDivisionError",
         lambda r: _edit(r, "migrations/versions/c3_revision.py", "revision = 'c3'", "1 / 0\nrevision = 'c3'")
         if _revision(r, Rev("c3", "b2", "", "")) is None else None),
    Case("cycle", ["upgrade", "heads"], r"[Cc]ycl",
         lambda r: _edit(r, "migrations/versions/a1_revision.py", "down_revision = None", "down_revision = 'b2'")),
    Case("dangling down_revision", ["upgrade", "heads"], r"nope",
         lambda r: _revision(r, Rev("c3", "nope", "", ""))),
    Case("dangling depends_on", ["upgrade", "heads"], r"gone",
         lambda r: _revision(r, Rev("c3", "b2", "", "", depends="gone"))),
    Case("duplicate revision ids", ["heads"], r"b2",
         lambda r: _revision(r, Rev("b2", "a1", "", ""), name="b2_again.py")),
    Case("ambiguous prefix", ["upgrade", "ab"], r"ab",
         lambda r: (_revision(r, Rev("abc1", "b2", "", "")), _revision(r, Rev("abc2", "b2", "", "")))),
    Case("unknown revision", ["upgrade", "nope"], r"nope"),
    Case("revision id too long for the version table", ["upgrade", "heads"], r"x{33}.*32",
         lambda r: _revision(r, Rev("x" * 33, "b2", "", ""))),
    Case("revision without upgrade()", ["upgrade", "heads"], r"c3_revision\.py.*no upgrade\(\) function",
         lambda r: _edit(r, "migrations/versions/c3_revision.py", "def upgrade()", "def not_upgrade()")
         if _revision(r, Rev("c3", "b2", "", "")) is None else None),
    # -- configuration ---------------------------------------------------------------
    Case("missing config file", ["-c", "nothere.ini", "heads"], r"nothere\.ini"),
    Case("malformed config file", ["heads"], r"limbeck\.ini",
         lambda r: (r / "limbeck.ini").write_text("[limbeck\nscript_location = x\n")),
    Case("missing script_location", ["heads"], r"script_location",
         lambda r: _ini(r, "script_location = ", "# script_location = ")),
    Case("script_location that does not exist", ["heads"], r"nowhere",
         lambda r: _ini(r, "script_location = ", "script_location = nowhere\n# ")),
    Case("missing sqlalchemy.url", ["upgrade", "heads"], r"sqlalchemy\.url",
         lambda r: _ini(r, "sqlalchemy.url = ", "# sqlalchemy.url = ")),
    Case("unknown database in the URL", ["upgrade", "heads"], r"nosuchdb",
         lambda r: _ini(r, "sqlalchemy.url = ", "sqlalchemy.url = nosuchdb://x/y\n# ")),
    Case("unparsable URL", ["upgrade", "heads"], r"URL|url",
         lambda r: _ini(r, "sqlalchemy.url = ", "sqlalchemy.url = ::not a url::\n# ")),
    Case("unknown --dialect", ["upgrade", "head", "--sql", "--dialect", "nosuchdb"], r"--dialect.*nosuchdb"),
    Case("--dialect without --sql", ["upgrade", "head", "--dialect", "postgresql"], r"--dialect.*--sql"),
    Case("range without --sql", ["upgrade", "a1:b2"], r"[Rr]ange"),
    Case("downgrade --sql without a range", ["downgrade", "base", "--sql"], r"fromrev"),
    Case("lock_timeout not a number", ["upgrade", "heads"], r"lock_timeout.*soon",
         lambda r: _ini(r, "script_location = ", "lock_timeout = soon\nscript_location = ")),
    Case("migration_lock not a boolean", ["upgrade", "heads"], r"migration_lock",
         lambda r: _ini(r, "script_location = ", "migration_lock = maybe\nscript_location = ")),
    # -- command line ----------------------------------------------------------------
    Case("-x without its value", ["-x"], r"'-x' requires an argument", exit_code=2, prefix="Error: "),
    Case("-x garbage where env.py expects a URL", ["-x", "url=%%garbage%%", "upgrade", "heads"],
         r"-x url: '%%garbage%%' is not a database URL",
         lambda r: _edit(
             r, "migrations/env.py", "config.get_section(config.config_ini_section, {}),",
             '{**config.get_section(config.config_ini_section, {}), **({"sqlalchemy.url": context.get_x_argument(as_dictionary=True)["url"]} if context.get_x_argument() else {})},',
         )),
    Case("unwritable --output-dir", ["sql", "--output-dir", "afile/sub"], r"afile",
         lambda r: (r / "afile").write_text("not a folder")),
    Case("revision into a folder that is a file", ["revision", "-m", "x", "--version-path", "afile"], r"afile",
         lambda r: (r / "afile").write_text("not a folder")),
    # -- the database ----------------------------------------------------------------
    Case("database at an unknown revision", ["upgrade", "heads"], r"zz99", _stamp_unknown),
    Case("current on a database at an unknown revision", ["current"], r"zz99", _stamp_unknown),
]


def _files(root: Path) -> dict[str, str]:
    """Every file under ``root`` (caches aside) with a hash of its content."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            path = Path(dirpath, name)
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _database(root: Path) -> Any:
    con = sqlite3.connect(root / "app.db")
    try:
        return con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall(), con.execute(
            "SELECT version_num FROM alembic_version").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_one_clear_line(case: Case, new_project: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "proj0" / "app.db"
    config = new_project(f"sqlite:///{db}", BASE)
    command.upgrade(config, "a1")
    root = Path(config.config_file_name).parent
    case.prepare(root)
    files, database = _files(root), _database(root)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, case.argv, prog_name="limbeck", env=case.env)
    assert result.exit_code == case.exit_code, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(case.prefix), lines[0]
    assert re.search(case.expect, lines[0]), lines[0]
    assert _files(root) == files, "files were written or changed"
    assert _database(root) == database, "the database changed"
