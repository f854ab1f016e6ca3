"""Parsing rules for single option values, shared by the ini and TOML readers.

Alembic projects rely on exact splitting rules (``path_separator`` and the
legacy fallbacks it replaced), on ``"true"`` being the only true ini boolean
and on ``%(here)s`` working inside ``pyproject.toml`` strings. The rules live
here, apart from :class:`~limbeck.config.Config`, so they can be tested one
by one and reused by the CLI and the script directory without a Config.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping
from typing import TypedDict, Union

from limbeck.config.errors import ConfigValueError, config_error_like
from limbeck.errors import ConfigError, LimbeckWarning

#: What a ``[tool.alembic]`` / ``[tool.limbeck]`` value may be once read.
TomlOption = Union[str, int, bool, list[str], dict[str, str], list[dict[str, str]]]

#: One post-write hook: its options plus ``_hook_name`` (Alembic's key for the name).
PostWriteHookConfig = dict[str, str]


class MessagingOptions(TypedDict, total=False):
    """``Config.messaging_opts`` and ``ScriptDirectory(messaging_opts=...)``: ``quiet`` is ``-q``."""

    quiet: bool


class LimbeckDeprecationWarning(LimbeckWarning, DeprecationWarning):
    """A deprecated configuration form that still works.

    A :class:`DeprecationWarning` so Python's default filters treat it as
    Alembic's own deprecation warnings are treated.
    """


#: ``path_separator`` / ``version_path_separator`` values and what they split on.
PATH_SEPARATORS: Mapping[str, str] = {
    "space": " ",
    "newline": "\n",
    "os": os.pathsep,
    ":": ":",
    ";": ";",
}

# Before ``path_separator`` existed these were the only rules, and ini files
# written then must still split the same way (no stripping, empties kept).
_LEGACY_VERSION_LOCATIONS_SPLIT = re.compile(r", *|(?: +)")
_LEGACY_SYS_PATH_SPLIT = re.compile(r", *|(?: +)|:")
_HOOK_NAMES_SPLIT = re.compile(r"[\s,]+")


def separator_for(value: str, option: str, where: str) -> str:
    """Return the character a ``path_separator``-style option names.

    Raises:
        ConfigValueError: ``value`` is not one of the names in :data:`PATH_SEPARATORS`.
    """
    try:
        return PATH_SEPARATORS[value]
    except KeyError:
        expected = ", ".join(repr(name) for name in PATH_SEPARATORS)
        raise ConfigValueError(
            f"{where}: {value!r} is not a valid value for {option}; expected {expected}"
        ) from None


def split_on_separator(value: str, separator: str) -> list[str]:
    """Split a path list on an explicit separator, as ``path_separator`` does.

    Pieces are stripped; only pieces that were empty *before* stripping are
    dropped, which is what Alembic does (``"a : : b"`` keeps an empty middle).
    """
    return [piece.strip() for piece in value.split(separator) if piece]


def split_legacy_version_locations(value: str) -> list[str]:
    """Split ``version_locations`` the pre-``path_separator`` way (spaces, commas)."""
    return _LEGACY_VERSION_LOCATIONS_SPLIT.split(value)


def split_legacy_sys_path(value: str) -> list[str]:
    """Split ``prepend_sys_path`` the pre-``path_separator`` way (spaces, commas, colons)."""
    return _LEGACY_SYS_PATH_SPLIT.split(value)


def split_hook_names(value: str) -> list[str]:
    """Split the ini ``hooks`` option into hook names.

    Alembic splits on spaces and commas; newlines and tabs are accepted here as
    well, since a hook name can never contain whitespace.
    """
    return [name for name in _HOOK_NAMES_SPLIT.split(value) if name]


def warn_deprecated(message: str) -> None:
    """Issue a :class:`LimbeckDeprecationWarning` pointing at the caller's caller."""
    warnings.warn(message, LimbeckDeprecationWarning, stacklevel=4)


def ini_boolean(value: str, option: str, where: str) -> bool:
    """Read an ini boolean the way Alembic documents it: ``true`` or not.

    Alembic treats anything but the exact text ``true`` as false. limbeck
    accepts any case of ``true``/``false`` and warns about other text (such as
    ``yes`` or ``1``) instead of silently reading it as false.
    """
    text = value.strip().lower()
    if text == "true":
        return True
    if text not in ("false", ""):
        warnings.warn(
            f"{where}: {option} = {value!r} is not 'true' or 'false'; treating it as false",
            LimbeckWarning,
            stacklevel=3,
        )
    return False


def toml_boolean(value: object, option: str, where: str) -> bool:
    """Require a real TOML boolean (TOML has typed values; ``"true"`` is a string)."""
    if isinstance(value, bool):
        return value
    raise ConfigError(f"{where}: {option} must be a TOML boolean (true or false), not {_toml_type(value)}")


def interpolate_toml(value: object, here: str, option: str, where: str) -> TomlOption:
    """Substitute ``%(here)s`` (and ``%%``) in a TOML value, checking its type.

    Strings, lists of strings, tables of strings and lists of such tables are
    interpolated; integers and booleans pass through. Anything else (floats,
    dates, nested lists) is no valid option value.

    Raises:
        ConfigError: an unsupported type, or a string whose ``%`` is not
            ``%(here)s`` or ``%%`` (also the ``TypeError``, ``KeyError`` or
            ``ValueError`` Alembic lets through there).
    """
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        return _interpolate_string(value, here, option, where)
    if isinstance(value, dict):
        return _interpolate_table(value, here, option, where)
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return [_interpolate_string(item, here, option, where) for item in value]
        if all(isinstance(item, dict) for item in value):
            return [_interpolate_table(item, here, option, where) for item in value]
        kinds = sorted({_toml_type(item) for item in value})
        raise config_error_like(
            f"{where}: {option} must be a list of strings or of tables, not a list of {', '.join(kinds)}", TypeError
        )
    raise ConfigError(f"{where}: unsupported TOML value type for {option}: {_toml_type(value)}")


def _interpolate_table(table: Mapping[object, object], here: str, option: str, where: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, item in table.items():
        if not isinstance(item, str):
            raise config_error_like(f"{where}: {option}.{key} must be a string, not {_toml_type(item)}", TypeError)
        result[str(key)] = _interpolate_string(item, here, f"{option}.{key}", where)
    return result


def _interpolate_string(text: str, here: str, option: str, where: str) -> str:
    try:
        return text % {"here": here}
    except KeyError as exc:
        raise config_error_like(
            f"{where}: {option} refers to %({exc.args[0]})s; only %(here)s is available in TOML", exc
        ) from None
    except (ValueError, TypeError) as exc:
        raise config_error_like(
            f"{where}: {option} = {text!r} has a '%' that is not %(here)s; write a literal '%' as '%%'", exc
        ) from None


def _toml_type(value: object) -> str:
    names = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}
    return names.get(type(value), type(value).__name__)


def parse_x_arguments(values: Iterable[str] | None) -> dict[str, str]:
    """Turn ``-x key=value`` strings into a dict, as ``get_x_argument(as_dictionary=True)``.

    The text is split at the first ``=``; a value without ``=`` maps to ``''``.
    Nothing is stripped and a later key replaces an earlier one, so results
    match Alembic's for the same command line.
    """
    result: dict[str, str] = {}
    for item in values or ():
        key, _, value = item.partition("=")
        result[key] = value
    return result


def x_arguments(cmd_opts: object) -> list[str]:
    """Return the raw ``-x`` strings of parsed command-line options (``[]`` if none)."""
    values = getattr(cmd_opts, "x", None)
    return list(values) if values else []
