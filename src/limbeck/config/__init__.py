"""Configuration: the ini file, ``pyproject.toml`` and command-line options.

``limbeck.config.Config`` is the Alembic-compatible entry point
(``from limbeck.config import Config`` replaces ``from alembic.config import
Config``). This package must stay import-light: ``limbeck --help`` imports
it, so it never imports SQLAlchemy or Mako, and the TOML parser and
:mod:`importlib.resources` are only imported when used.
"""

from __future__ import annotations

from typing import Any

from limbeck.config.core import Config
from limbeck.config.discovery import default_config_paths, resolve_config_paths
from limbeck.config.errors import ConfigValueError
from limbeck.config.values import (
    LimbeckDeprecationWarning,
    MessagingOptions,
    PostWriteHookConfig,
    TomlOption,
    parse_x_arguments,
    x_arguments,
)

# dataclasses and pathlib cost more to import than the rest of this package;
# only the script directory needs them, so they load on first use (PEP 562).
_LAZY = {"ScriptSettings", "resolve_script_location"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from limbeck.config import script_settings  # see _LAZY

        return getattr(script_settings, name)
    raise AttributeError(f"module 'limbeck.config' has no attribute {name!r}")


__all__ = [
    "Config",
    "ConfigValueError",
    "LimbeckDeprecationWarning",
    "MessagingOptions",
    "PostWriteHookConfig",
    "ScriptSettings",
    "TomlOption",
    "default_config_paths",
    "parse_x_arguments",
    "resolve_config_paths",
    "resolve_script_location",
    "x_arguments",
]
