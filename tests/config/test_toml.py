"""The pyproject.toml side of Config: table choice, typed values, %(here)s, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.config import Config
from limbeck.errors import ConfigError

WriteFile = Callable[[str, str], Path]  # the ``write`` fixture of conftest.py

BOTH_TABLES = '[tool.alembic]\nscript_location = "from-alembic"\n[tool.limbeck]\nscript_location = "from-limbeck"\n'


class TestTableChoice:
    def test_limbeck_table_preferred(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", BOTH_TABLES))
        assert config.toml_table_name == "tool.limbeck"
        assert config.get_alembic_option("script_location") == "from-limbeck"

    def test_alembic_table_alone(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", '[tool.alembic]\nscript_location = "m"\n'))
        assert config.toml_table_name == "tool.alembic"
        assert config.toml_alembic_config == {"script_location": "m"}

    def test_neither_table(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", "[project]\nname = 'x'\n"))
        assert config.toml_table_name is None
        assert config.toml_alembic_config == {}
        assert config.get_alembic_option("script_location") is None

    def test_pyproject_only_project(self, write: WriteFile) -> None:
        """Alembic 1.16+ projects may have no ini file at all."""
        path = write("pyproject.toml", '[tool.alembic]\nscript_location = "%(here)s/migrations"\n')
        config = Config(file_=None, toml_file=path)
        assert config.config_file_name is None
        assert config.get_main_option("sqlalchemy.url") is None
        assert config.get_script_settings().script_location == f"{path.parent}/migrations"

    def test_limbeck_spelling_of_the_accessors(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", "[tool.limbeck]\nflag = true\nname = 'n'\n"))
        assert config.get_limbeck_option("name") == config.get_alembic_option("name") == "n"
        assert config.get_limbeck_boolean_option("flag") is True

    def test_table_is_read_once(self, write: WriteFile) -> None:
        path = write("pyproject.toml", "[tool.alembic]\nx = 'first'\n")
        config = Config(toml_file=path)
        assert config.get_alembic_option("x") == "first"
        path.write_text("[tool.alembic]\nx = 'second'\n", encoding="utf-8")
        assert config.get_alembic_option("x") == "first"


class TestValues:
    def test_here_in_strings_lists_and_tables(self, write: WriteFile, tmp_path: Path) -> None:
        path = write(
            "conf/pyproject.toml",
            "[tool.alembic]\n"
            's = "%(here)s/a"\n'
            'l = ["%(here)s/b", "plain"]\n'
            't = { k = "%(here)s/c" }\n'
            'pct = "100%% sure"\n',
        )
        config = Config(toml_file=path)
        here = tmp_path / "conf"
        assert config.get_alembic_option("s") == f"{here}/a"
        assert config.get_alembic_option("l") == [f"{here}/b", "plain"]
        assert config.get_alembic_option("t") == {"k": f"{here}/c"}
        assert config.get_alembic_option("pct") == "100% sure"

    def test_relative_toml_path_gets_absolute_here(
        self, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write("pyproject.toml", "[tool.alembic]\ns = '%(here)s'\n")
        monkeypatch.chdir(tmp_path)
        config = Config(toml_file="pyproject.toml")
        assert config.toml_file_name == "pyproject.toml"
        assert config.get_alembic_option("s") == str(tmp_path)

    def test_types_are_kept(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", "[tool.alembic]\nn = 7\nb = false\n"))
        assert config.get_alembic_option("n") == 7
        assert config.get_alembic_option("b") is False

    def test_boolean_accessor(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", "[tool.alembic]\nyes = true\nno = false\n"))
        assert config.get_alembic_boolean_option("yes") is True
        assert config.get_alembic_boolean_option("no") is False
        assert config.get_alembic_boolean_option("absent") is False

    def test_ini_value_wins_over_toml(self, write: WriteFile) -> None:
        config = Config(
            write("alembic.ini", "[alembic]\nsourceless = false\n"),
            toml_file=write("pyproject.toml", "[tool.alembic]\nsourceless = true\n"),
        )
        assert config.get_alembic_boolean_option("sourceless") is False

    def test_main_option_does_not_read_toml(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", "[tool.alembic]\nx = 'toml'\n"))
        assert config.get_main_option("x") is None


class TestErrors:
    @pytest.mark.parametrize(
        ("line", "option", "pattern"),
        [
            ("f = 1.5", "f", r"unsupported TOML value type for f: float"),
            ("l = [1, 2]", "l", r"l must be a list of strings or of tables, not a list of integer"),
            ("t = { k = 1 }", "t", r"t\.k must be a string, not integer"),
            ('s = "50%"', "s", r"s = '50%' has a '%' that is not %\(here\)s"),
            ('s = "%(nope)s"', "s", r"s refers to %\(nope\)s; only %\(here\)s is available"),
            ('s = "%(here)d"', "s", r"has a '%' that is not %\(here\)s"),
        ],
    )
    def test_bad_values_name_file_table_and_option(
        self, write: WriteFile, line: str, option: str, pattern: str
    ) -> None:
        path = write("pyproject.toml", f"[tool.alembic]\n{line}\n")
        with pytest.raises(ConfigError, match=pattern) as info:
            Config(toml_file=path).get_alembic_option(option)
        assert str(info.value).startswith(f"{path} [tool.alembic]: ")

    @pytest.mark.parametrize("value", ['"true"', "1"])
    def test_boolean_must_be_a_toml_boolean(self, write: WriteFile, value: str) -> None:
        path = write("pyproject.toml", f"[tool.limbeck]\nsourceless = {value}\n")
        with pytest.raises(ConfigError, match=r"\[tool\.limbeck\]: sourceless must be a TOML boolean"):
            Config(toml_file=path).get_alembic_boolean_option("sourceless")

    def test_invalid_toml_names_file_and_position(self, write: WriteFile) -> None:
        path = write("pyproject.toml", "[tool.alembic\n")
        with pytest.raises(ConfigError, match=r"pyproject\.toml: invalid TOML: .*line 1") as info:
            Config(toml_file=path).get_alembic_option("x")
        assert "\n" not in str(info.value)

    @pytest.mark.parametrize(
        ("text", "pattern"),
        [
            ("tool = 3\n", r"'tool' must be a table"),
            ("[tool]\nalembic = 5\n", r"\[tool\.alembic\] must be a table"),
            ("[tool]\nlimbeck = 'x'\n", r"\[tool\.limbeck\] must be a table"),
        ],
    )
    def test_tables_of_the_wrong_type(self, write: WriteFile, text: str, pattern: str) -> None:
        with pytest.raises(ConfigError, match=pattern):
            Config(toml_file=write("pyproject.toml", text)).get_alembic_option("x")

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "pyproject.toml"
        path.write_bytes(b"[tool.alembic]\nx = '\xff'\n")
        with pytest.raises(ConfigError, match="invalid TOML"):
            Config(toml_file=path).get_alembic_option("x")

    def test_missing_toml_is_empty_like_alembic(self, tmp_path: Path) -> None:
        assert Config(toml_file=tmp_path / "missing.toml").toml_alembic_config == {}

    @pytest.mark.parametrize("value", ['"a b"', "5", "[1]"])
    def test_path_lists_must_be_arrays_of_strings(self, write: WriteFile, value: str) -> None:
        path = write("pyproject.toml", f"[tool.alembic]\nversion_locations = {value}\n")
        with pytest.raises(ConfigError, match="version_locations must be a"):
            Config(toml_file=path).get_version_locations_list()
