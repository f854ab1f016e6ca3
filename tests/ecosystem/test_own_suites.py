"""The tools' own test suites, run against limbeck (``LIMBECK_AS_ALEMBIC=1``) and against Alembic.

Of the five tools only Flask-Migrate publishes its tests in its sdist
(pytest-alembic's, alembic-utils' and alembic-postgresql-enum's sdists hold
no tests; SQLAlchemy-Utils' suite does not use Alembic). The pinned sdist is
fetched with pip at test time into the test cache (``$LIMBECK_TEST_CACHE``,
else ``~/.cache/limbeck-tests``), checked against its SHA-256, and its suite
runs as published: every test that passes on Alembic must pass on limbeck.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from limbeck_ecosystem_harness import WHO_ANSWERS, twin_projects

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: requirement, sdist file name, its SHA-256 (as PyPI lists it), folder of its tests
FLASK_MIGRATE = ("flask-migrate==4.1.0", "flask_migrate-4.1.0.tar.gz",
                 "1a336b06eb2c3ace005f5f2ded8641d534c18798d64061f6ff11f79e1434126d", "tests")

_OUTCOME = re.compile(r"^(PASSED|FAILED|ERROR) (\S+::\S+)", re.MULTILINE)


def _cache() -> Path:
    explicit = os.environ.get("LIMBECK_TEST_CACHE")
    base = Path(explicit) if explicit else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "limbeck-tests"
    return base / "sdists"


def _sdist(requirement: str, filename: str, sha256: str) -> Path:
    target = _cache() / filename
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", requirement,
             "-d", str(target.parent)],
            capture_output=True, text=True, timeout=600, check=False,
        )
        if done.returncode != 0 or not target.exists():
            message = f"cannot download {requirement} from PyPI: {done.stderr.strip()[-500:]}"
            pytest.fail(message) if IN_CI else pytest.skip(message)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert digest == sha256, f"{target}: sha256 {digest}, pinned {sha256} (delete it to download again)"
    return target


def _suite_files(archive: Path, folder: str) -> dict[str, str]:
    with tarfile.open(archive) as tar:
        root = tar.getnames()[0].split("/")[0]
        members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(f"{root}/{folder}/")]
        return {m.name[len(root) + 1:]: tar.extractfile(m).read().decode() for m in members}  # type: ignore[union-attr]


def test_flask_migrate_suite_passes_on_limbeck(tmp_path: Path) -> None:
    requirement, filename, sha256, folder = FLASK_MIGRATE
    files = _suite_files(_sdist(requirement, filename, sha256), folder)
    assert f"{folder}/conftest.py" not in files
    files[f"{folder}/conftest.py"] = WHO_ANSWERS  # the run's (and its subprocesses') alembic, recorded
    pair = twin_projects(tmp_path, files)
    outcomes = []
    for twin in (pair.alembic, pair.limbeck):
        done = twin.run(
            "python", "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:pytest_alembic", "-rA", folder, timeout=900
        )
        outcomes.append({name: outcome for outcome, name in _OUTCOME.findall(done.stdout)})
    on_alembic, on_limbeck = outcomes
    assert len(on_alembic) == 7 and set(on_alembic.values()) == {"PASSED"}, on_alembic
    assert on_limbeck == on_alembic
    pair.check_answered()
