"""Which configuration files a command line means.

The CLI calls :func:`resolve_config_paths` with the ``-c`` values; with no
``-c`` it gets :func:`default_config_paths`. Kept apart from ``Config`` so
the CLI can decide on files without constructing anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Union

from limbeck.errors import ConfigError

StrPath = Union[str, "os.PathLike[str]"]

#: Environment variables naming the config file, checked in this order.
CONFIG_ENV_VARS = ("LIMBECK_CONFIG", "ALEMBIC_CONFIG")
#: Ini files looked for in the working directory, in this order.
INI_FILE_NAMES = ("limbeck.ini", "alembic.ini")
PYPROJECT_FILE_NAME = "pyproject.toml"


def is_toml_path(path: StrPath) -> bool:
    """Whether a file named on the command line is a TOML file (by its suffix)."""
    return os.fspath(path).lower().endswith(".toml")


def default_config_paths(
    cwd: StrPath | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str | None, str | None]:
    """Return ``(ini_path, toml_path)`` for a command line without ``-c``.

    The ini file is the one named by ``LIMBECK_CONFIG`` or ``ALEMBIC_CONFIG``
    when set, else ``limbeck.ini`` or ``alembic.ini`` when present in ``cwd``.
    The TOML file is ``cwd/pyproject.toml`` when present. An environment value
    ending in ``.toml`` names the TOML file instead of the ini file. Paths
    are joined to ``cwd``; with ``cwd=None`` they stay relative, as Alembic
    reports them. A path named by the environment is returned even if it does
    not exist; :func:`resolve_config_paths` checks it.
    """
    base = "" if cwd is None else os.fspath(cwd)
    env = os.environ if environ is None else environ
    ini: str | None = None
    toml: str | None = None
    named = _env_config(env)
    if named is not None:
        path = os.path.join(base, named[1])
        if is_toml_path(path):
            toml = path
        else:
            ini = path
    if ini is None:
        ini = _first_existing(base, INI_FILE_NAMES)
    if toml is None:
        toml = _first_existing(base, (PYPROJECT_FILE_NAME,))
    return ini, toml


def resolve_config_paths(
    given: Sequence[StrPath] = (),
    cwd: StrPath | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[str | None, str | None]:
    """Return ``(ini_path, toml_path)`` for the ``-c`` values of a command line.

    ``-c`` may be given twice, once for an ini file and once for a TOML file
    (told apart by the ``.toml`` suffix). The kind not given falls back to
    :func:`default_config_paths`, so ``-c custom.ini`` still picks up
    ``pyproject.toml``. A file named explicitly, by ``-c`` or by an
    environment variable, must exist.

    Raises:
        ConfigError: two files of one kind, or a named file that does not exist.
    """
    base = "" if cwd is None else os.fspath(cwd)
    env = os.environ if environ is None else environ
    ini, toml = _classify_given(given, base)
    default_ini, default_toml = default_config_paths(cwd, env)
    named = _env_config(env)
    if named is not None and (ini is None or toml is None):
        var, value = named
        path = os.path.join(base, value)
        if (is_toml_path(path) and toml is None) or (not is_toml_path(path) and ini is None):
            _require_file(path, f"{var} names {value!r}, which")
    return (ini if ini is not None else default_ini, toml if toml is not None else default_toml)


def _classify_given(given: Sequence[StrPath], base: str) -> tuple[str | None, str | None]:
    ini: str | None = None
    toml: str | None = None
    for value in given:
        path = os.path.join(base, os.fspath(value))
        _require_file(path, f"config file {os.fspath(value)!r} given with -c")
        if is_toml_path(path):
            if toml is not None:
                raise ConfigError(f"-c names two TOML files ({toml!r} and {path!r}); give at most one")
            toml = path
        else:
            if ini is not None:
                raise ConfigError(f"-c names two ini files ({ini!r} and {path!r}); give at most one")
            ini = path
    return ini, toml


def _env_config(env: Mapping[str, str]) -> tuple[str, str] | None:
    for var in CONFIG_ENV_VARS:
        value = env.get(var)
        if value:
            return var, value
    return None


def _first_existing(base: str, names: Sequence[str]) -> str | None:
    for name in names:
        path = os.path.join(base, name)
        if os.path.isfile(path):
            return path
    return None


def _require_file(path: str, subject: str) -> None:
    if os.path.isdir(path):
        raise ConfigError(f"{subject} is a directory, not a file")
    if not os.path.exists(path):
        raise ConfigError(f"{subject} does not exist")
