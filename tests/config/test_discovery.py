"""Which files a command line means: default_config_paths and resolve_config_paths."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from limbeck.config import default_config_paths, resolve_config_paths
from limbeck.errors import ConfigError

WriteFile = Callable[[str, str], Path]  # the ``write`` fixture of conftest.py

pytestmark = pytest.mark.usefixtures("no_config_env")


def _in(tmp_path: Path, name: str) -> str:
    return os.path.join(str(tmp_path), name)


class TestDefaults:
    def test_nothing_present(self, tmp_path: Path) -> None:
        assert default_config_paths(tmp_path) == (None, None)

    def test_alembic_ini_and_pyproject(self, write: WriteFile, tmp_path: Path) -> None:
        write("alembic.ini", "[alembic]\n")
        write("pyproject.toml", "")
        assert default_config_paths(tmp_path) == (_in(tmp_path, "alembic.ini"), _in(tmp_path, "pyproject.toml"))

    def test_limbeck_ini_preferred(self, write: WriteFile, tmp_path: Path) -> None:
        write("alembic.ini", "")
        write("limbeck.ini", "")
        assert default_config_paths(tmp_path)[0] == _in(tmp_path, "limbeck.ini")

    def test_pyproject_only(self, write: WriteFile, tmp_path: Path) -> None:
        write("pyproject.toml", "")
        assert default_config_paths(tmp_path) == (None, _in(tmp_path, "pyproject.toml"))

    def test_a_directory_named_like_a_config_is_ignored(self, tmp_path: Path) -> None:
        (tmp_path / "alembic.ini").mkdir()
        assert default_config_paths(tmp_path) == (None, None)

    def test_relative_names_without_cwd(
        self, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write("alembic.ini", "")
        monkeypatch.chdir(tmp_path)
        assert default_config_paths() == ("alembic.ini", None)

    @pytest.mark.parametrize("var", ["LIMBECK_CONFIG", "ALEMBIC_CONFIG"])
    def test_environment_variable_names_the_ini(self, write: WriteFile, tmp_path: Path, var: str) -> None:
        write("alembic.ini", "")
        assert default_config_paths(tmp_path, {var: "conf/other.ini"}) == (_in(tmp_path, "conf/other.ini"), None)

    def test_limbeck_variable_checked_first(self, tmp_path: Path) -> None:
        env = {"ALEMBIC_CONFIG": "a.ini", "LIMBECK_CONFIG": "l.ini"}
        assert default_config_paths(tmp_path, env)[0] == _in(tmp_path, "l.ini")

    def test_environment_variable_may_name_a_toml_file(self, write: WriteFile, tmp_path: Path) -> None:
        write("alembic.ini", "")
        assert default_config_paths(tmp_path, {"LIMBECK_CONFIG": "cfg/x.toml"}) == (
            _in(tmp_path, "alembic.ini"),
            _in(tmp_path, "cfg/x.toml"),
        )

    def test_reads_os_environ_by_default(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ALEMBIC_CONFIG", "from-env.ini")
        assert default_config_paths(tmp_path)[0] == _in(tmp_path, "from-env.ini")


class TestResolve:
    def test_no_c_option_gives_defaults(self, write: WriteFile, tmp_path: Path) -> None:
        write("alembic.ini", "")
        assert resolve_config_paths((), tmp_path) == default_config_paths(tmp_path)

    def test_ini_given_keeps_default_pyproject(self, write: WriteFile, tmp_path: Path) -> None:
        write("custom.ini", "")
        write("alembic.ini", "")
        write("pyproject.toml", "")
        assert resolve_config_paths(["custom.ini"], tmp_path) == (
            _in(tmp_path, "custom.ini"),
            _in(tmp_path, "pyproject.toml"),
        )

    def test_toml_given_keeps_default_ini(self, write: WriteFile, tmp_path: Path) -> None:
        write("alembic.ini", "")
        write("conf/settings.toml", "")
        assert resolve_config_paths(["conf/settings.toml"], tmp_path) == (
            _in(tmp_path, "alembic.ini"),
            _in(tmp_path, "conf/settings.toml"),
        )

    def test_both_given_in_any_order(self, write: WriteFile, tmp_path: Path) -> None:
        write("a.ini", "")
        write("b.toml", "")
        expected = (_in(tmp_path, "a.ini"), _in(tmp_path, "b.toml"))
        assert resolve_config_paths(["b.toml", "a.ini"], tmp_path) == expected
        assert resolve_config_paths(["a.ini", "b.toml"], tmp_path) == expected

    def test_absolute_path_is_kept(self, write: WriteFile, tmp_path: Path) -> None:
        path = write("abs.ini", "")
        assert resolve_config_paths([str(path)], "/somewhere/else")[0] == str(path)

    @pytest.mark.parametrize(
        ("given", "pattern"),
        [
            (["a.ini", "b.ini"], r"-c names two ini files"),
            (["a.toml", "b.toml"], r"-c names two TOML files"),
        ],
    )
    def test_two_files_of_one_kind(self, write: WriteFile, tmp_path: Path, given: list[str], pattern: str) -> None:
        for name in given:
            write(name, "")
        with pytest.raises(ConfigError, match=pattern):
            resolve_config_paths(given, tmp_path)

    def test_missing_c_file(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match=r"config file 'nope\.ini' given with -c does not exist"):
            resolve_config_paths(["nope.ini"], tmp_path)

    def test_c_names_a_directory(self, tmp_path: Path) -> None:
        (tmp_path / "dir.ini").mkdir()
        with pytest.raises(ConfigError, match=r"'dir\.ini' given with -c is a directory"):
            resolve_config_paths(["dir.ini"], tmp_path)

    def test_missing_file_named_by_environment(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match=r"LIMBECK_CONFIG names 'gone\.ini', which does not exist"):
            resolve_config_paths((), tmp_path, {"LIMBECK_CONFIG": "gone.ini"})

    def test_c_option_overrides_environment(self, write: WriteFile, tmp_path: Path) -> None:
        write("given.ini", "")
        env = {"ALEMBIC_CONFIG": "gone.ini"}
        assert resolve_config_paths(["given.ini"], tmp_path, env)[0] == _in(tmp_path, "given.ini")
