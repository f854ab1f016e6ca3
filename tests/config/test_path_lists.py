"""version_locations / prepend_sys_path splitting, path_separator and its legacy forms, hooks."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbeck.config import Config, ConfigValueError, LimbeckDeprecationWarning
from limbeck.config import values
from limbeck.errors import ConfigError, LimbeckWarning

WriteFile = Callable[[str, str], Path]  # the ``write`` fixture of conftest.py


def _config(write: WriteFile, body: str) -> Config:
    return Config(write("alembic.ini", "[alembic]\n" + body))


class TestPathSeparator:
    @pytest.mark.parametrize(
        ("setting", "expected"),
        [
            ("os", ["a b", "c"] if os.pathsep == ":" else ["a b:c"]),
            ("space", ["a", "b:c"]),
            (":", ["a b", "c"]),
            (";", ["a b:c"]),
        ],
    )
    def test_each_setting(self, write: WriteFile, setting: str, expected: list[str]) -> None:
        config = _config(write, f"path_separator = {setting}\nversion_locations = a b:c\nprepend_sys_path = a b:c\n")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an explicit separator never warns
            assert config.get_version_locations_list() == expected
            assert config.get_prepend_sys_paths_list() == expected

    def test_newline(self, write: WriteFile) -> None:
        config = _config(write, "path_separator = newline\nversion_locations =\n    /a b/x\n    c:d\n")
        assert config.get_version_locations_list() == ["/a b/x", "c:d"]

    def test_invalid_setting_names_file_and_option(self, write: WriteFile) -> None:
        config = _config(write, "path_separator = comma\nversion_locations = a\n")
        with pytest.raises(ConfigValueError, match=r"alembic\.ini \[alembic\]: 'comma' is not a valid value for path_separator"):
            config.get_version_locations_list()

    def test_invalid_setting_is_only_checked_when_a_list_is_read(self, write: WriteFile) -> None:
        assert _config(write, "path_separator = comma\n").get_version_locations_list() is None

    @pytest.mark.parametrize(
        ("body", "names", "expected"),
        [
            ("path_separator = os\n", ("path_separator",), os.pathsep),
            ("path_separator = newline\n", ("nothing", "path_separator"), "\n"),
            ("", ("path_separator",), None),
            ("version_path_separator = ;\npath_separator = space\n", ("path_separator", "version_path_separator"), " "),
        ],
    )
    def test_alembics_separator_helper(self, write: WriteFile, body: str, names: tuple[str, ...], expected: str | None) -> None:
        """``Config._get_file_separator_char``: private to Alembic, called by tools built on it (Flask-Alembic)."""
        assert _config(write, body)._get_file_separator_char(*names) == expected

    def test_alembics_separator_helper_refuses_and_warns_as_alembic(self, write: WriteFile) -> None:
        with pytest.raises(ValueError, match="'comma' is not a valid value for path_separator; expected 'space'"):
            _config(write, "path_separator = comma\n")._get_file_separator_char("path_separator")
        with pytest.warns(LimbeckDeprecationWarning, match="^The version_path_separator configuration parameter"):
            assert _config(write, "version_path_separator = ;\n")._get_file_separator_char("version_path_separator") == ";"

    def test_legacy_version_path_separator_warns_and_applies(self, write: WriteFile) -> None:
        config = _config(write, "version_path_separator = ;\nversion_locations = a b;c\n")
        with pytest.warns(LimbeckDeprecationWarning, match="^The version_path_separator configuration parameter is deprecated; please use path_separator$"):
            assert config.get_version_locations_list() == ["a b", "c"]

    def test_legacy_version_path_separator_does_not_apply_to_sys_path(self, write: WriteFile) -> None:
        config = _config(write, "version_path_separator = ;\nprepend_sys_path = a;b c\n")
        with pytest.warns(LimbeckDeprecationWarning, match="^No path_separator found in configuration; falling back to legacy splitting on spaces, commas, and colons for prepend_sys_path"):
            assert config.get_prepend_sys_paths_list() == ["a;b", "c"]

    def test_no_separator_uses_legacy_rules_with_a_deprecation(self, write: WriteFile) -> None:
        config = _config(write, "version_locations = a,b c:d\nprepend_sys_path = a,b c:d\n")
        with pytest.warns(LimbeckDeprecationWarning, match=r"^No path_separator found in configuration; falling back to legacy splitting on spaces/commas for version_locations\.  Consider adding path_separator=os to Alembic config\.$"):
            assert config.get_version_locations_list() == ["a", "b", "c:d"]
        with pytest.warns(LimbeckDeprecationWarning, match=r"legacy splitting on spaces, commas, and colons for prepend_sys_path"):
            assert config.get_prepend_sys_paths_list() == ["a", "b", "c", "d"]

    def test_deprecation_warning_is_a_deprecation_and_a_limbeck_warning(self) -> None:
        assert issubclass(LimbeckDeprecationWarning, DeprecationWarning)
        assert issubclass(LimbeckDeprecationWarning, LimbeckWarning)

    def test_absent_or_empty_lists_are_none(self, write: WriteFile) -> None:
        config = _config(write, "path_separator = os\nversion_locations =\n")
        assert config.get_version_locations_list() is None
        assert config.get_prepend_sys_paths_list() is None

    def test_empty_ini_value_falls_back_to_toml(self, write: WriteFile) -> None:
        config = Config(
            write("alembic.ini", "[alembic]\nversion_locations =\n"),
            toml_file=write("pyproject.toml", "[tool.alembic]\nversion_locations = ['t']\n"),
        )
        assert config.get_version_locations_list() == ["t"]


class TestSplitRules:
    @given(st.text(alphabet="ab :;,\t", max_size=20), st.sampled_from([":", ";", " ", "\n"]))
    def test_explicit_separator_pieces_are_stripped_and_never_contain_it(self, text: str, sep: str) -> None:
        pieces = values.split_on_separator(text, sep)
        assert all(sep not in piece and piece == piece.strip() for piece in pieces)
        assert len(pieces) == len([chunk for chunk in text.split(sep) if chunk])

    @given(st.text(alphabet="ab ,:;", min_size=1, max_size=20))
    def test_legacy_rules_lose_only_separators(self, text: str) -> None:
        kept = "".join(values.split_legacy_version_locations(text))
        assert kept == text.replace(",", "").replace(" ", "")
        assert "".join(values.split_legacy_sys_path(text)) == kept.replace(":", "")


class TestHooks:
    def test_ini_hooks(self, write: WriteFile, tmp_path: Path) -> None:
        config = _config(
            write,
            "[post_write_hooks]\nhooks = black ruff\nblack.type = console_scripts\nblack.entrypoint = black\n"
            "ruff.type = exec\nruff.executable = %(here)s/bin/ruff\nruff.options = check --fix REVISION_SCRIPT_FILENAME\n",
        )
        assert config.get_hooks_list() == [
            {"type": "console_scripts", "entrypoint": "black", "_hook_name": "black"},
            {
                "type": "exec",
                "executable": f"{tmp_path}/bin/ruff",
                "options": "check --fix REVISION_SCRIPT_FILENAME",
                "_hook_name": "ruff",
            },
        ]

    def test_hook_names_separated_by_commas_tabs_and_newlines(self, write: WriteFile) -> None:
        config = _config(write, "[post_write_hooks]\nhooks = a,\tb\n    c\n")
        assert [hook["_hook_name"] for hook in config.get_hooks_list()] == ["a", "b", "c"]

    def test_toml_hooks(self, write: WriteFile, tmp_path: Path) -> None:
        path = write(
            "pyproject.toml",
            "[tool.limbeck]\n[[tool.limbeck.post_write_hooks]]\nname = 'fmt'\ntype = 'exec'\n"
            "executable = '%(here)s/fmt'\n",
        )
        assert Config(toml_file=path).get_hooks_list() == [
            {"type": "exec", "executable": f"{tmp_path}/fmt", "_hook_name": "fmt"}
        ]

    def test_reading_hooks_does_not_change_the_toml_table(self, write: WriteFile) -> None:
        config = Config(toml_file=write("pyproject.toml", "[[tool.alembic.post_write_hooks]]\nname = 'a'\n"))
        config.get_hooks_list()
        assert config.get_hooks_list() == [{"_hook_name": "a"}]
        assert config.toml_alembic_config["post_write_hooks"] == [{"name": "a"}]

    @pytest.mark.parametrize(
        ("text", "pattern"),
        [
            ("[tool.alembic]\npost_write_hooks = 'black'\n", "post_write_hooks must be an array of tables"),
            ("[[tool.alembic.post_write_hooks]]\ntype = 'exec'\n", "post_write_hooks entry 1 has no 'name'"),
            ("[[tool.alembic.post_write_hooks]]\nname = 'a'\nflag = true\n", r"post_write_hooks\.flag must be a string"),
        ],
    )
    def test_bad_toml_hooks(self, write: WriteFile, text: str, pattern: str) -> None:
        with pytest.raises(ConfigError, match=pattern):
            Config(toml_file=write("pyproject.toml", text)).get_hooks_list()
