"""The ini side of Config: section choice, interpolation, setting options, errors."""

from __future__ import annotations

import configparser
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.config import Config, ConfigValueError
from limbeck.errors import ConfigError, LimbeckError

WriteFile = Callable[[str, str], Path]  # the ``write`` fixture of conftest.py

BOTH_SECTIONS = "[alembic]\nx = from-alembic\n[limbeck]\nx = from-limbeck\n[custom]\nx = from-custom\n"


class TestSectionChoice:
    def test_limbeck_section_preferred(self, write: WriteFile) -> None:
        config = Config(write("limbeck.ini", BOTH_SECTIONS))
        assert config.config_ini_section == "limbeck"
        assert config.get_main_option("x") == "from-limbeck"

    def test_alembic_section_when_no_limbeck_section(self, write: WriteFile) -> None:
        config = Config(write("alembic.ini", "[alembic]\nx = 1\n"))
        assert config.config_ini_section == "alembic"
        assert config.get_main_option("x") == "1"

    @pytest.mark.parametrize("name", ["alembic", "custom"])
    def test_explicit_section_wins(self, write: WriteFile, name: str) -> None:
        config = Config(write("a.ini", BOTH_SECTIONS), ini_section=name)
        assert config.config_ini_section == name
        assert config.get_main_option("x") == f"from-{name}"

    def test_no_file_uses_alembic_section(self) -> None:
        config = Config()
        assert config.config_ini_section == "alembic"
        assert config.file_config.sections() == ["alembic"]

    def test_missing_file_defaults_to_alembic(self, tmp_path: Path) -> None:
        assert Config(tmp_path / "nope.ini").config_ini_section == "alembic"

    def test_section_can_be_reassigned(self, write: WriteFile) -> None:
        config = Config(write("a.ini", BOTH_SECTIONS))
        config.config_ini_section = "custom"
        assert config.get_main_option("x") == "from-custom"

    def test_named_section_missing_is_an_error_naming_file_and_section(self, write: WriteFile) -> None:
        path = write("a.ini", BOTH_SECTIONS)
        with pytest.raises(ConfigError, match=r"a\.ini.*has no \[nope\] section"):
            Config(path, ini_section="nope").get_main_option("x")

    def test_missing_file_error_says_not_found(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match=r"nope\.ini' not found"):
            Config(tmp_path / "nope.ini").get_main_option("x")


class TestInterpolation:
    def test_here_is_the_absolute_directory_of_the_file(
        self, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write("sub/alembic.ini", "[alembic]\nloc = %(here)s/migrations\n")
        monkeypatch.chdir(tmp_path)
        config = Config("sub/alembic.ini")
        assert config.config_file_name == "sub/alembic.ini"  # kept as given, like Alembic
        assert config.get_main_option("loc") == f"{tmp_path / 'sub'}/migrations"

    def test_here_with_a_percent_in_the_directory(self, tmp_path: Path) -> None:
        folder = tmp_path / "100%done"
        folder.mkdir()
        (folder / "alembic.ini").write_text("[alembic]\nloc = %(here)s/m\n", encoding="utf-8")
        config = Config(folder / "alembic.ini")
        assert config.get_main_option("loc") == f"{folder}/m"
        assert config.get_main_option("here") == str(folder)

    def test_pathlike_file_name_becomes_str(self, write: WriteFile) -> None:
        path = write("alembic.ini", "[alembic]\n")
        assert Config(path).config_file_name == str(path)

    def test_other_options_and_escaped_percent(self, write: WriteFile) -> None:
        config = Config(write("a.ini", "[alembic]\nbase = db\nurl = sqlite:///%(base)s.sqlite\npct = 5%%\n"))
        assert config.get_main_option("url") == "sqlite:///db.sqlite"
        assert config.get_main_option("pct") == "5%"

    def test_config_args_are_defaults_but_here_is_computed(self, write: WriteFile, tmp_path: Path) -> None:
        path = write("a.ini", "[alembic]\nurl = %(driver)s://%(here)s\n")
        config = Config(path, config_args={"driver": "sqlite", "here": "/elsewhere"})
        assert config.get_main_option("url") == f"sqlite://{tmp_path}"

    def test_config_args_with_raw_percent_fails_when_used(self, write: WriteFile) -> None:
        config = Config(write("a.ini", "[alembic]\nx = 1\n"), config_args={"pw": "50%"})
        assert config.get_main_option("x") == "1"
        with pytest.raises(ConfigError, match=r"\[alembic\] pw has a '%'"):
            config.get_main_option("pw")

    def test_utf8_bom_is_accepted(self, tmp_path: Path) -> None:
        path = tmp_path / "a.ini"
        path.write_bytes(b"\xef\xbb\xbf[alembic]\nname = caf\xc3\xa9\n")
        assert Config(path).get_main_option("name") == "café"

    def test_get_section_includes_here_and_defaults(self, write: WriteFile, tmp_path: Path) -> None:
        config = Config(write("a.ini", "[DEFAULT]\nd = 1\n[alembic]\n[engine]\nurl = %(d)s\n"))
        assert config.get_section("engine") == {"here": str(tmp_path), "d": "1", "url": "1"}

    def test_file_config_is_a_configparser_read_once(self, write: WriteFile) -> None:
        config = Config(write("a.ini", "[alembic]\n"))
        assert isinstance(config.file_config, configparser.ConfigParser)
        assert config.file_config is config.file_config


class TestSettingOptions:
    def test_set_main_option_on_empty_config(self) -> None:
        config = Config()
        config.set_main_option("sqlalchemy.url", "sqlite://")
        assert config.get_main_option("sqlalchemy.url") == "sqlite://"

    def test_escaped_percent_reads_back_unescaped(self) -> None:
        config = Config()
        config.set_main_option("url", "postgresql://u:p%%40ss@h/db")
        assert config.get_main_option("url") == "postgresql://u:p%40ss@h/db"

    def test_raw_percent_is_rejected_like_alembic(self) -> None:
        config = Config()
        with pytest.raises(ConfigValueError, match=r"\[alembic\] url") as info:
            config.set_main_option("url", "p%40ss")
        assert isinstance(info.value, ValueError)  # what Alembic raises
        assert isinstance(info.value, LimbeckError)

    def test_non_string_value_is_rejected_like_alembic(self) -> None:
        with pytest.raises(TypeError, match="port") as info:  # what Alembic raises
            Config().set_main_option("port", 5432)  # type: ignore[arg-type]
        assert isinstance(info.value, ConfigError)
        assert not isinstance(info.value, ValueError)

    def test_set_section_option_creates_the_section(self, write: WriteFile) -> None:
        config = Config(write("a.ini", "[alembic]\n"))
        config.set_section_option("extra", "k", "v")
        assert config.get_section("extra") is not None
        assert config.get_section_option("extra", "k") == "v"

    def test_set_main_option_on_a_file_without_the_section_adds_it(self, write: WriteFile) -> None:
        config = Config(write("a.ini", "[other]\n"))
        config.set_main_option("y", "2")
        assert config.file_config.sections() == ["other", "alembic"]
        assert config.get_main_option("y") == "2"

    def test_remove_main_option(self, write: WriteFile) -> None:
        config = Config(write("a.ini", "[alembic]\nx = 1\n"))
        config.remove_main_option("x")
        config.remove_main_option("x")  # already gone: nothing happens
        assert config.get_main_option("x") is None


class TestMalformedIni:
    @pytest.mark.parametrize(
        ("text", "pattern"),
        [
            ("garbage\n[alembic]\n", r"line 1: 'garbage' comes before any \[section\] header"),
            ("[alembic]\nx = 1\nx = 2\n", r"line 3: option 'x' appears twice in section \[alembic\]"),
            ("[alembic]\n[alembic]\n", r"line 2: section \[alembic\] appears twice"),
            ("[alembic]\nx = 1\nloose line\n", r"line 3: cannot parse 'loose line'"),
        ],
    )
    def test_parse_errors_name_file_and_line(self, write: WriteFile, text: str, pattern: str) -> None:
        path = write("bad.ini", text)
        with pytest.raises(ConfigError, match=pattern) as info:
            Config(path).get_main_option("x")
        assert str(info.value).startswith(str(path))
        assert "\n" not in str(info.value)

    @pytest.mark.parametrize(
        ("option", "pattern"),
        [
            ("ref", r"\[alembic\] ref refers to %\(nope\)s, which is not defined"),
            ("raw", r"\[alembic\] raw has a '%' that is not %\(name\)s"),
            ("loop", r"\[alembic\] loop refers to itself"),
        ],
    )
    def test_interpolation_errors_name_the_option(self, write: WriteFile, option: str, pattern: str) -> None:
        path = write("a.ini", "[alembic]\nref = %(nope)s\nraw = 5%\nloop = %(loop)s\n")
        with pytest.raises(ConfigError, match=pattern):
            Config(path).get_main_option(option)

    def test_get_section_reports_the_bad_option(self, write: WriteFile) -> None:
        path = write("a.ini", "[alembic]\nok = 1\n[engine]\nurl = %(missing)s\n")
        with pytest.raises(ConfigError, match=r"\[engine\] url"):
            Config(path).get_section("engine")

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "a.ini"
        path.write_bytes(b"[alembic]\nx = \xff\xfe\n")
        with pytest.raises(ConfigError, match="not UTF-8"):
            Config(path).get_main_option("x")

    def test_directory_instead_of_file(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="cannot read config file"):
            Config(tmp_path).get_main_option("x")
