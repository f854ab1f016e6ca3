"""mypy, strict, on ``src/limbeck`` (the ``[tool.mypy]`` table of pyproject.toml): CI runs it as a test.

CI installs the ``test`` extra, which has mypy, and runs the README's test command; this test is
how the type check gets there. Under ``CI=true`` a missing mypy fails the test; elsewhere it
skips, so a checkout without the extra still runs the rest of the suite.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_passes_on_src() -> None:
    if importlib.util.find_spec("mypy") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mypy is not installed: CI installs it with the test extra (pip install -e '.[test]')")
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    # the files and options come from pyproject.toml; the cache stays in the checkout (.gitignore)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, f"mypy reports errors:\n{done.stdout}{done.stderr}"
    assert "Success" in done.stdout
