"""Config errors are also the exception classes Alembic lets through, and the CLI still prints one line.

Which class Alembic raises for each input is recorded in facts/alembic_facts.json
(test_parity.py compares); this file checks what the recorded facts cannot: the
command line's one line, and that such an error keeps the library exception's
attributes.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from limbeck.config import Config
from limbeck.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib


@pytest.mark.parametrize(
    "ini_line, toml, expected",
    [
        ("truncate_slug_length = abc", None, "truncate_slug_length must be an integer, not 'abc'"),
        ("truncate_slug_length = 5%", None, "truncate_slug_length has a '%' that is not %(name)s"),
        ("recursive_version_locations = %(nope)s", None, "recursive_version_locations refers to %(nope)s"),
        (None, "[tool.alembic\n", "invalid TOML"),
        (None, "[tool.alembic]\nversion_locations = 5\n", "version_locations must be a list of strings"),
        (None, "[tool.alembic]\nfile_template = '%(nope)s'\n", "file_template refers to %(nope)s"),
    ],
)
def test_the_command_line_prints_one_line(
    ini_line: str | None, toml: str | None, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    no_config_env: None,
) -> None:
    from limbeck.cli import cli

    (tmp_path / "mig" / "versions").mkdir(parents=True)
    ini = "[alembic]\nscript_location = mig\n" + (f"{ini_line}\n" if ini_line else "")
    (tmp_path / "alembic.ini").write_text(ini, encoding="utf-8")
    if toml is not None:
        (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["heads"], prog_name="limbeck", catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("FAILED: ") and expected in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_programs_catch_the_library_class(tmp_path: Path) -> None:
    ini = tmp_path / "alembic.ini"
    ini.write_text("[alembic]\nraw = 50%\n[other]\nref = %(nope)s\n", encoding="utf-8")
    config = Config(str(ini))
    with pytest.raises(configparser.InterpolationSyntaxError) as syntax:
        config.get_main_option("raw")
    assert syntax.value.section == "alembic" and syntax.value.option == "raw"  # configparser's attributes
    with pytest.raises(configparser.InterpolationMissingOptionError) as missing:
        config.get_section("other")
    assert missing.value.reference == "nope"
    with pytest.raises(configparser.NoSectionError):
        Config(str(tmp_path / "absent.ini")).remove_main_option("x")
    (tmp_path / "pyproject.toml").write_text("[tool.alembic\n", encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        Config(toml_file=str(tmp_path / "pyproject.toml")).get_alembic_option("x")
    with pytest.raises(IsADirectoryError) as directory:
        Config(toml_file=str(tmp_path)).get_alembic_option("x")
    assert directory.value.errno is not None
    for error in (syntax.value, missing.value, directory.value):
        assert isinstance(error, ConfigError)
        assert "\n" not in str(error) and str(tmp_path) in str(error)  # one line naming the file
