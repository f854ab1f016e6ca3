"""Where limbeck's caches go: never into the project tree under PYTHONDONTWRITEBYTECODE or when it is read-only.

Before: with ``PYTHONDONTWRITEBYTECODE=1`` limbeck still wrote
``versions/__pycache__/limbeck-*`` (and its precompile children's files)
into a review checkout. Each test runs the real ``limbeck`` command in a
child process with the environment under test, on a history long enough for
the background header scan and compile children to start, and compares the
project tree before and after.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from limbeck.script.cachefile import cache_folder, user_cache_folder
from limbeck.script.headers import CACHE_FILENAME

COUNT = 40  # above precompile.MIN_FILES: the background children run too

SOURCE = '''"""revision {n}"""
from alembic import op

revision = "r{n:04d}"
down_revision = {down!r}


def upgrade():
    op.execute("SELECT {n}")


def downgrade():
    op.execute("SELECT -{n}")
'''

ENV = (
    "from alembic import context\n"
    "context.configure(url='postgresql://', literal_binds=True)\n"
    "with context.begin_transaction():\n"
    "    context.run_migrations()\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV, encoding="utf-8")
    (root / "limbeck.ini").write_text("[limbeck]\nscript_location = %(here)s/migrations\n", encoding="utf-8")
    for n in range(COUNT):
        down = None if n == 0 else f"r{n - 1:04d}"
        (versions / f"r{n:04d}_rev.py").write_text(SOURCE.format(n=n, down=down), encoding="utf-8")
    return root


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def run(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    full.update(env, LIMBECK_PRECOMPILE="1")
    return subprocess.run(
        [sys.executable, "-m", "limbeck", "-c", str(root / "limbeck.ini"), *args],
        capture_output=True, text=True, env=full, cwd=root, timeout=120, check=False,
    )


def run_twice_and_compare(root: Path, env: dict[str, str]) -> None:
    """heads, history and an offline upgrade, twice; the output never changes."""
    outputs = []
    for _ in range(2):
        results = [run(root, env, *args) for args in (["heads"], ["history"], ["-q", "upgrade", "base:head", "--sql"])]
        for result in results:
            assert result.returncode == 0, result.stderr
            assert result.stderr == "", result.stderr  # no warning about the tree, nothing at all
        outputs.append([r.stdout for r in results])
    assert outputs[0] == outputs[1] and "r0039 (head)" in outputs[0][0] and "SELECT 39" in outputs[0][2]


def test_dont_write_bytecode_writes_nothing_into_the_project(project: Path, tmp_path: Path) -> None:
    before = tree(project)
    xdg = tmp_path / "xdg"
    run_twice_and_compare(project, {"PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(xdg)})
    assert tree(project) == before
    (folder,) = (xdg / "limbeck").iterdir()
    assert folder.name.startswith("migrations-versions-")
    assert (folder / CACHE_FILENAME).is_file()
    assert [p.name for p in folder.glob("limbeck-code-v1.*.bin")]  # the compiled revisions: the speed is kept
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".limbeck-")]  # no child leftovers


def test_pycache_prefix_mirrors_the_versions_folder(project: Path, tmp_path: Path) -> None:
    before = tree(project)
    prefix = tmp_path / "prefix"
    run_twice_and_compare(project, {"PYTHONPYCACHEPREFIX": str(prefix), "XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert tree(project) == before  # Python puts env.py's .pyc under the prefix as well
    mirrored = prefix / str(project / "migrations" / "versions").lstrip(os.sep)
    assert (mirrored / CACHE_FILENAME).is_file() and list(mirrored.glob("limbeck-code-v1.*.bin"))
    assert not (tmp_path / "xdg").exists()


def test_a_read_only_checkout_runs_quietly_and_caches_elsewhere(read_only: Path, tmp_path: Path) -> None:
    before = tree(read_only)
    xdg = tmp_path / "xdg"
    run_twice_and_compare(read_only, {"XDG_CACHE_HOME": str(xdg)})
    assert tree(read_only) == before
    (folder,) = (xdg / "limbeck").iterdir()
    assert (folder / CACHE_FILENAME).is_file()


def test_where_the_caches_go(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert cache_folder(str(versions)) == str(versions / "__pycache__")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    mine = cache_folder(str(versions))
    assert mine == user_cache_folder(str(versions)) and mine is not None
    assert mine.startswith(str(tmp_path / "xdg" / "limbeck" / f"{tmp_path.name}-versions-"))
    other = tmp_path / "other" / "versions"
    assert user_cache_folder(str(other)) != mine  # keyed by the folder's path, not its name
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if sys.platform.startswith("linux"):
        assert str(user_cache_folder(str(versions))).startswith(str(tmp_path / "home" / ".cache" / "limbeck"))
