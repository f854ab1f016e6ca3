"""Config.get_script_settings: every script-directory key, its default and its type check."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.config import Config, ScriptSettings, resolve_script_location
from limbeck.errors import ConfigError

WriteFile = Callable[[str, str], Path]  # the ``write`` fixture of conftest.py


def _ini(write: WriteFile, body: str) -> Config:
    return Config(write("alembic.ini", "[alembic]\npath_separator = os\n" + body))


def _toml(write: WriteFile, body: str) -> Config:
    return Config(toml_file=write("pyproject.toml", "[tool.alembic]\n" + body))


def test_defaults(write: WriteFile) -> None:
    assert _ini(write, "script_location = m\n").get_script_settings() == ScriptSettings(script_location="m")


def test_every_key_from_ini(write: WriteFile, tmp_path: Path) -> None:
    settings = _ini(
        write,
        "script_location = %(here)s/m\n"
        "version_locations = %(here)s/a:b\n"
        "prepend_sys_path = .:src\n"
        "file_template = %%(year)d_%%(rev)s\n"
        "truncate_slug_length = 12\n"
        "sourceless = true\n"
        "recursive_version_locations = true\n"
        "revision_environment = true\n"
        "output_encoding = latin-1\n"
        "timezone = Europe/Paris\n"
        "[post_write_hooks]\nhooks = h\nh.type = exec\n",
    ).get_script_settings()
    assert settings == ScriptSettings(
        script_location=f"{tmp_path}/m",
        version_locations=(f"{tmp_path}/a", "b"),
        prepend_sys_path=(".", "src"),
        file_template="%(year)d_%(rev)s",
        truncate_slug_length=12,
        sourceless=True,
        recursive_version_locations=True,
        revision_environment=True,
        output_encoding="latin-1",
        timezone="Europe/Paris",
        hooks=({"type": "exec", "_hook_name": "h"},),
    )


def test_every_key_from_toml(write: WriteFile, tmp_path: Path) -> None:
    settings = _toml(
        write,
        'script_location = "%(here)s/m"\n'
        'version_locations = ["a"]\n'
        'prepend_sys_path = ["."]\n'
        'file_template = "%%(rev)s"\n'
        "truncate_slug_length = 12\n"
        "sourceless = true\n"
        "recursive_version_locations = true\n"
        "revision_environment = true\n"
        'output_encoding = "utf-16"\n'
        'timezone = "UTC"\n',
    ).get_script_settings()
    assert settings == ScriptSettings(
        script_location=f"{tmp_path}/m",
        version_locations=("a",),
        prepend_sys_path=(".",),
        file_template="%(rev)s",
        truncate_slug_length=12,
        sourceless=True,
        recursive_version_locations=True,
        revision_environment=True,
        output_encoding="utf-16",
        timezone="UTC",
    )


def test_missing_script_location_names_the_files(write: WriteFile) -> None:
    with pytest.raises(ConfigError, match=r"No 'script_location' key found in configuration\. \(looked in '.*alembic\.ini'\)"):
        _ini(write, "").get_script_settings()


def test_missing_script_location_without_any_file() -> None:
    with pytest.raises(ConfigError, match=r"No 'script_location' key found.*no config file was found"):
        Config().get_script_settings()


@pytest.mark.parametrize("value", ["abc", "", "1.5"])
def test_truncate_slug_length_must_be_an_integer(write: WriteFile, value: str) -> None:
    config = _ini(write, f"script_location = m\ntruncate_slug_length = {value}\n")
    with pytest.raises(ConfigError, match=r"alembic\.ini \[alembic\]: truncate_slug_length must be an integer"):
        config.get_script_settings()


@pytest.mark.parametrize(("value", "expected"), [("7", 7), ("-1", -1), ('" 9 "', 9)])
def test_truncate_slug_length_in_toml(write: WriteFile, value: str, expected: int) -> None:
    config = _toml(write, f'script_location = "m"\ntruncate_slug_length = {value}\n')
    assert config.get_script_settings().truncate_slug_length == expected


def test_truncate_slug_length_boolean_in_toml(write: WriteFile) -> None:
    config = _toml(write, 'script_location = "m"\ntruncate_slug_length = true\n')
    with pytest.raises(ConfigError, match=r"\[tool\.alembic\]: truncate_slug_length must be an integer"):
        config.get_script_settings()


def test_script_location_must_be_a_string(write: WriteFile) -> None:
    with pytest.raises(ConfigError, match=r"pyproject\.toml \[tool\.alembic\]: script_location must be a string"):
        _toml(write, 'script_location = ["m"]\n').get_script_settings()


def test_unknown_output_encoding(write: WriteFile) -> None:
    config = _ini(write, "script_location = m\noutput_encoding = klingon\n")
    with pytest.raises(ConfigError, match="output_encoding 'klingon' is not a known encoding"):
        config.get_script_settings()


def test_blank_values(write: WriteFile) -> None:
    settings = _ini(write, "script_location = m\ntimezone =\noutput_encoding =\nfile_template =\n").get_script_settings()
    assert (settings.timezone, settings.output_encoding, settings.file_template) == (None, "utf-8", "")


def test_unrecognised_ini_boolean_warns(write: WriteFile) -> None:
    config = _ini(write, "script_location = m\nsourceless = yes\n")
    with pytest.warns(UserWarning, match=r"sourceless = 'yes' is not 'true' or 'false'"):
        assert config.get_script_settings().sourceless is False


@pytest.mark.parametrize("value", ["TRUE", "True", " true"])
def test_ini_true_in_any_case(write: WriteFile, value: str) -> None:
    config = _ini(write, f"script_location = m\nsourceless = {value}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert config.get_script_settings().sourceless is True


class TestResolveScriptLocation:
    @pytest.mark.parametrize(
        ("location", "expected"),
        [("./mig//", "mig"), ("", "."), ("/abs/a/../m", "/abs/a/../m"), ("C:/migrations", "C:/migrations")],
    )
    def test_paths_are_normalised_not_resolved(self, location: str, expected: str) -> None:
        assert resolve_script_location(location) == expected

    def test_package_resource(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        package = tmp_path / "limbeck_test_cfgpkg" / "sub"
        (package / "migrations").mkdir(parents=True)
        (package.parent / "__init__.py").write_text("", encoding="utf-8")
        (package / "__init__.py").write_text("", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        assert resolve_script_location("limbeck_test_cfgpkg.sub:migrations") == str(package / "migrations")
        assert resolve_script_location("limbeck_test_cfgpkg.sub:") == str(package)

    def test_settings_resolve_lazily(self, write: WriteFile) -> None:
        settings = _ini(write, "script_location = limbeck_no_such_package:migrations\n").get_script_settings()
        assert settings.script_location == "limbeck_no_such_package:migrations"
        with pytest.raises(ConfigError, match=r"cannot import package 'limbeck_no_such_package'"):
            settings.resolve_script_location()
