"""``LIMBECK_AS_ALEMBIC=1`` and ``pytest -p limbeck.as_alembic``: limbeck as ``alembic`` for a whole process.

Every check runs a fresh interpreter: the switch acts at interpreter start-up
(``limbeck-as-alembic.pth``), which an in-process test cannot observe.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from limbeck.compat import ALEMBIC_VERSION

REPO = Path(__file__).resolve().parents[2]
PTH_SOURCE = REPO / "src" / "limbeck-as-alembic.pth"
BIN = Path(sys.executable).parent


def _env(switch: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LIMBECK_AS_ALEMBIC"}
    if switch is not None:
        env["LIMBECK_AS_ALEMBIC"] = switch
    return env


def _python(code: str, switch: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args, "-c", textwrap.dedent(code)], env=_env(switch),
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_hook_is_installed_in_site_packages() -> None:
    """``pip install -e '.[test]'`` (how this venv and CI's are made) put the file there."""
    site_dirs = [*site.getsitepackages(), sysconfig.get_paths()["purelib"]]
    installed = [Path(d, PTH_SOURCE.name) for d in site_dirs if Path(d, PTH_SOURCE.name).is_file()]
    assert installed, f"{PTH_SOURCE.name} is not in {site_dirs}: reinstall with pip install -e '.[test]'"
    assert installed[0].read_text() == PTH_SOURCE.read_text()


@pytest.mark.parametrize("switch", [None, "", "0", "no"])
def test_unset_costs_nothing(switch: str | None) -> None:
    run = _python("import sys; print(sorted(m for m in sys.modules if m.split('.')[0] in ('limbeck', 'alembic')))", switch)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_unset_leaves_the_real_alembic() -> None:
    run = _python("import alembic, alembic.config; print(alembic.__file__); print(alembic.config.Config.__module__)", None)
    assert run.returncode == 0, run.stderr
    path, module = run.stdout.split()
    assert "limbeck" not in path
    assert module == "alembic.config"


@pytest.mark.parametrize("switch", ["1", "true", "YES", "on"])
def test_switched_on_every_alembic_import_is_limbeck(switch: str) -> None:
    code = """
        import importlib.metadata
        import alembic
        from alembic import command, context, op
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from alembic.runtime.migration import MigrationContext
        print(alembic.__version__)
        print(Config.__module__, ScriptDirectory.__module__, MigrationContext.__module__)
        print(command.__name__, context.__name__, op.__name__)
        print(importlib.metadata.version("alembic"))
    """
    run = _python(code, switch)
    assert run.returncode == 0, run.stderr
    version, modules, names, dist_version = run.stdout.splitlines()
    assert version == ALEMBIC_VERSION
    assert modules.split() == ["limbeck.config.core", "limbeck.alembic_modules.script_base", "limbeck.runtime.migration"]
    assert names.split() == ["limbeck.command", "limbeck.context", "limbeck.op"]
    # Alembic stays installed: its distribution metadata is still there for tools that ask
    assert dist_version == "1.20.1"


def test_the_alembic_command_runs_limbeck() -> None:
    alembic = BIN / "alembic"
    real = subprocess.run([str(alembic), "--version"], env=_env(None), capture_output=True, text=True, timeout=120, check=False)
    switched = subprocess.run([str(alembic), "--version"], env=_env("1"), capture_output=True, text=True, timeout=120, check=False)
    assert real.stdout.strip() == "alembic 1.20.1", real.stderr
    assert switched.stdout.strip().startswith("limbeck "), switched.stderr


def test_unknown_alembic_module_is_a_clear_import_error() -> None:
    run = _python("import alembic.testing.fixtures", "1")
    assert run.returncode == 1
    assert "ModuleNotFoundError: limbeck does not provide 'alembic.testing'" in run.stderr


def test_switching_after_alembic_was_imported_warns() -> None:
    code = """
        import warnings
        import alembic.util
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import limbeck.as_alembic
        import alembic
        print(alembic.__version__)
        print(caught[0].message)
    """
    run = _python(code, None)
    assert run.returncode == 0, run.stderr
    version, message = run.stdout.splitlines()
    assert version == ALEMBIC_VERSION
    assert "imported before the switch" in message and "alembic.util" in message


def test_pytest_option(tmp_path: Path) -> None:
    """``-p limbeck.as_alembic`` switches before entry-point plugins (pytest-alembic) load."""
    (tmp_path / "test_which.py").write_text(
        "import alembic\n\ndef test_which():\n    print('ALEMBIC=' + alembic.__name__)\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")

    def run(*options: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *options], cwd=tmp_path,
            env=_env(None), capture_output=True, text=True, timeout=300, check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return next(line for line in done.stdout.splitlines() if "ALEMBIC=" in line)

    assert run().endswith("ALEMBIC=alembic")
    assert run("-p", "limbeck.as_alembic").endswith("ALEMBIC=limbeck.compat.alembic_package")


def test_log_messages_reach_the_alembic_logger_when_switched_on() -> None:
    """An Alembic project's logging config names ``alembic``; limbeck's messages must reach it."""
    code = "from limbeck.compat import logger_name; print(logger_name('limbeck.autogenerate.compare'))"
    assert _python(code, "1").stdout.strip() == "alembic.autogenerate.compare"
    assert _python(code, None).stdout.strip() == "limbeck.autogenerate.compare"


def test_a_regular_wheel_carries_the_hook(tmp_path: Path) -> None:
    """``pip install limbeck`` (a wheel, not editable) installs the file too, listed in RECORD."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode != 0:
        reason = f"cannot build a wheel (build isolation needs PyPI): {done.stderr.strip()[-300:]}"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    (wheel,) = (tmp_path / "dist").glob("limbeck-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(PTH_SOURCE.name) == PTH_SOURCE.read_bytes()
        record = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        assert any(line.startswith(f"{PTH_SOURCE.name},sha256=") for line in archive.read(record).decode().splitlines())
