"""limbeck.config is imported by `limbeck --help`: it must not pull in heavy modules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("sqlalchemy", "mako", "sqlglot", "dataclasses", "tomllib", "tomli", "importlib.resources")

SCRIPT = """
import json, sys
before = set(sys.modules)
import limbeck.config
from limbeck.config import Config
config = Config({ini!r})
config.get_main_option("script_location")
config.get_version_locations_list()
config.get_hooks_list()
config.print_stdout("x")
loaded = set(sys.modules) - before
print(json.dumps(sorted(m for m in loaded if m.split(".")[0] in {heavy_roots!r} or m in {heavy!r})))
"""


def _loaded_heavy_modules(tmp_path: Path, ini_text: str) -> list[str]:
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini_text, encoding="utf-8")
    roots = sorted({name.split(".")[0] for name in HEAVY if "." not in name})
    code = SCRIPT.format(ini=str(ini), heavy_roots=roots, heavy=list(HEAVY))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_reading_an_ini_config_imports_nothing_heavy(tmp_path: Path) -> None:
    text = "[alembic]\nscript_location = m\npath_separator = os\nversion_locations = a:b\n"
    assert _loaded_heavy_modules(tmp_path, text) == []


def test_the_check_would_see_a_heavy_import(tmp_path: Path) -> None:
    """Guards the test above: a TOML read does load tomllib, and the probe notices."""
    (tmp_path / "pyproject.toml").write_text("[tool.alembic]\nx = 1\n", encoding="utf-8")
    code = (
        "import sys\nfrom limbeck.config import Config\n"
        f"Config(toml_file={str(tmp_path / 'pyproject.toml')!r}).get_alembic_option('x')\n"
        "print('tomllib' in sys.modules or 'tomli' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
