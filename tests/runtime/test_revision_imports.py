"""Revision files are imported as Alembic imports them: all of them, once, in its order, before the first step.

Alembic imports every revision file of the script directory when it builds
its revision map, which ``upgrade``, ``downgrade`` and ``stamp`` do after
env.py's ``configure()``, before the first statement: version locations in
the order configured, the files of each in sorted order (then, with
``recursive_version_locations``, each sub-directory in sorted order, depth
first), each file once per command. What a file does when imported then
applies to the whole run: nova's initial revision registers a ``@compiles``
that drops the names of PostgreSQL foreign keys, and every later revision's
SQL follows it. Each tool runs here as its own command-line process (an
import-time ``@compiles`` must not leak into the test process), on the same
project; every revision file appends its name to a log when imported.

Where limbeck departs (README, "Running Alembic projects"): ``heads``,
``history``, ``current`` and a run with nothing to do import nothing
(nothing they print or run can depend on an import).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .cli_driver import ENV, run_commands  # type: ignore[import-not-found]

REVISION = '''import os
import sqlalchemy as sa
from alembic import op
{extra}
with open(os.environ["IMPORT_LOG"], "a") as log:
    log.write("{name}\\n")

revision = "{rev}"
down_revision = {down!r}


def upgrade():
    op.create_table("t_{rev}", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("p", sa.Integer, sa.ForeignKey("t_{parent}.id", name="fk_{rev}") if {down!r} else None))


def downgrade():
    op.drop_table("t_{rev}")
'''

#: what nova's initial revision does when imported: PostgreSQL foreign keys lose their names
COMPILES = '''
from sqlalchemy.ext.compiler import compiles

@compiles(sa.ForeignKeyConstraint, "postgresql")
def _unnamed(constraint, compiler, **kw):
    constraint.name = None
    return compiler.visit_foreign_key_constraint(constraint, **kw)
'''

#: (folder, file, revision, down_revision): files sort in another order than the history runs
FILES = [
    ("locA", "zz_first.py", "r1", None),
    ("locA", "aa_second.py", "r2", "r1"),
    ("locA", "Mm_third.py", "r3", "r2"),
    ("locA/sub/deep", "d_fifth.py", "r5", "r4"),
    ("locA/sub", "s_fourth.py", "r4", "r3"),
    ("locA/asub", "q_sixth.py", "r6", "r5"),
    ("locB", "b_seventh.py", "r7", "r6"),
]


def _project(root: Path, recursive: bool) -> Path:
    root.mkdir()
    (root / "env.py").write_text(ENV)
    for folder, name, rev, down in FILES:
        if not recursive and folder.startswith("locA/"):
            folder = "locA"  # the same history, every file in the top folder
        (root / folder).mkdir(parents=True, exist_ok=True)
        parent = f"r{int(rev[1:]) - 1}"
        extra = "" if rev != "r1" else COMPILES  # the first revision changes how the later ones render
        (root / folder / name).write_text(REVISION.format(extra=extra, name=name, rev=rev, down=down, parent=parent))
    (root / "locA" / "__init__.py").write_text("raise RuntimeError('not a revision file')\n")
    ini = root / "alembic.ini"
    ini.write_text(
        "[alembic]\nscript_location = %(here)s\npath_separator = space\n"
        "version_locations = %(here)s/locB %(here)s/locA\n"
        f"recursive_version_locations = {str(recursive).lower()}\n"
        "sqlalchemy.url = sqlite:///%(here)s/db.sqlite\n"
    )
    return ini


def _runs(tool: str, ini: Path, commands: list[tuple[str, ...]]) -> list[list[str]]:
    """The files each command imported, in order (each command must succeed)."""
    log = ini.with_name(f"imports-{tool}.log")
    results = run_commands(tool, ini, commands, {"IMPORT_LOG": str(log)}, log=log)
    for args, result in zip(commands, results):
        assert result.code == 0, f"{tool} {' '.join(args)} failed: {result.error}"
    return [result.log for result in results]


def _script(tool: str, ini: Path, *args: str) -> str:
    """What ``<tool> -c ini args`` prints, run on PostgreSQL offline in a process of its own."""
    pg = ini.with_name("postgresql.ini")
    pg.write_text(ini.read_text().replace("sqlite:///%(here)s/db.sqlite", "postgresql://"))
    done = subprocess.run([sys.executable, "-m", tool, "-c", str(pg), *args], capture_output=True, text=True,
                          env={**os.environ, "IMPORT_LOG": str(ini.with_name("script.log"))}, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module", params=[False, True], ids=["flat", "recursive"])
def projects(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same project twice, one per tool (each runs its own SQLite database)."""
    if importlib.util.find_spec("alembic") is None:
        pytest.skip("real Alembic is not installed (pip install -e '.[test]')")
    root = tmp_path_factory.mktemp("imports")
    return {tool: _project(root / tool, request.param) for tool in ("alembic", "limbeck")}


#: commands that run or render migrations, in this order (the online ones share a database)
COMMANDS = [
    ("upgrade", "r2:r4", "--sql"),
    ("upgrade", "r3"),
    ("upgrade", "heads"),
    ("downgrade", "r5"),
    ("stamp", "r2"),
    ("stamp", "r2:r6", "--sql"),
    ("downgrade", "r6:r4", "--sql"),
    ("stamp", "heads"),
]

#: then what prints or does nothing: limbeck's departure, it imports no revision file
READ_ONLY = [("heads",), ("history",), ("current",), ("upgrade", "heads")]


def test_same_imports_as_alembic(projects: dict[str, Path]) -> None:
    commands = COMMANDS + READ_ONLY
    theirs = _runs("alembic", projects["alembic"], commands)
    ours = _runs("limbeck", projects["limbeck"], commands)
    for args, alembic, limbeck in zip(COMMANDS, theirs, ours):
        assert limbeck == alembic, args
    # each file once, in the files' order, not the history's: location B first, then A's files sorted
    assert theirs[0][0] == "b_seventh.py" and sorted(theirs[0]) == sorted(name for _, name, _, _ in FILES)
    # the departure: nothing these print or do can depend on an import, so limbeck reads headers only
    for args, alembic, limbeck in zip(READ_ONLY, theirs[len(COMMANDS):], ours[len(COMMANDS):]):
        assert len(alembic) == len(FILES) and limbeck == [], args


def test_import_time_compiles_applies_to_the_whole_run(projects: dict[str, Path]) -> None:
    """nova's shape: r1 is not in the range, its import-time @compiles still shapes r2..r4's SQL."""
    theirs = _script("alembic", projects["alembic"], "upgrade", "r1:r4", "--sql")
    ours = _script("limbeck", projects["limbeck"], "upgrade", "r1:r4", "--sql")
    assert "    FOREIGN KEY(p) REFERENCES t_r1 (id)" in ours and "fk_r" not in ours
    assert ours == theirs


def test_a_broken_file_outside_the_range_stops_the_run(projects: dict[str, Path]) -> None:
    """As in Alembic, every file is imported, so one that fails stops a run that does not execute it."""
    ini = projects["limbeck"]
    broken = ini.parent / "locB" / "c_broken.py"
    broken.write_text('revision = "rx"\ndown_revision = "r7"\nraise RuntimeError("broken on import")\n')
    try:
        done = subprocess.run([sys.executable, "-m", "limbeck", "-c", str(ini), "upgrade", "r1:r2", "--sql"],
                              env={**os.environ, "IMPORT_LOG": str(ini.with_name("broken.log"))},
                              capture_output=True, text=True, timeout=120, check=False)
    finally:
        broken.unlink()
    assert done.returncode != 0 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert "c_broken.py" in lines[-1] and "broken on import" in lines[-1] and "Traceback" not in done.stderr
