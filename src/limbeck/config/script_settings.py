"""The options of the script directory, read and type-checked in one place.

``ScriptDirectory.from_config`` needs a dozen options, each with its own
default and parsing rule, from either the ini file (strings) or
``pyproject.toml`` (typed values). Reading them here means a bad value is
reported once, naming the file and option, before any script is touched.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from limbeck.config.errors import config_error_like
from limbeck.config.values import PostWriteHookConfig
from limbeck.errors import ConfigError

if TYPE_CHECKING:
    from limbeck.config.core import Config

DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"
DEFAULT_TRUNCATE_SLUG_LENGTH = 40
DEFAULT_OUTPUT_ENCODING = "utf-8"

# ``package.sub:resource/dir``; a one-letter "package" followed by a slash is a
# Windows drive (``C:/migrations``), not a package.
_PACKAGE_RESOURCE = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):(.*)", re.DOTALL)


class ScriptSettings(NamedTuple):
    """Script-directory options with their defaults applied.

    ``script_location`` is kept as configured (possibly ``package:resource``);
    call :meth:`resolve_script_location` once ``prepend_sys_path`` is on
    ``sys.path``, since the package may only be importable from there.
    """

    script_location: str
    version_locations: tuple[str, ...] = ()
    prepend_sys_path: tuple[str, ...] = ()
    file_template: str = DEFAULT_FILE_TEMPLATE
    truncate_slug_length: int = DEFAULT_TRUNCATE_SLUG_LENGTH
    sourceless: bool = False
    recursive_version_locations: bool = False
    output_encoding: str = DEFAULT_OUTPUT_ENCODING
    timezone: str | None = None
    revision_environment: bool = False
    hooks: tuple[PostWriteHookConfig, ...] = ()

    def resolve_script_location(self) -> str:
        """The script directory as a filesystem path (see :func:`resolve_script_location`)."""
        return resolve_script_location(self.script_location)


def resolve_script_location(location: str) -> str:
    """Turn a ``script_location`` into a directory path.

    ``package:resource`` is looked up with :mod:`importlib.resources`, which
    imports the package; anything else is a path, normalised as
    :class:`pathlib.Path` does (``./mig/`` becomes ``mig``; relative paths stay
    relative to the working directory, as in Alembic). The path is not checked
    for existence: the script directory reports that with its own advice.

    Raises:
        ConfigError: the package cannot be imported or is not on the filesystem.
    """
    match = _PACKAGE_RESOURCE.fullmatch(location)
    if match is None or (len(match[1]) == 1 and match[2][:1] in ("/", "\\")):
        return os.fspath(Path(location))
    package, resource = match.groups()
    import importlib.resources  # a package:resource location only: most projects name a folder

    try:
        root = importlib.resources.files(package)
    except (ImportError, TypeError) as exc:
        raise ConfigError(f"script_location {location!r}: cannot import package {package!r} ({exc})") from None
    path = root.joinpath(resource) if resource else root
    if not isinstance(path, Path):
        raise ConfigError(
            f"script_location {location!r}: package {package!r} is not a directory on disk (zipped?)"
        )
    return os.fspath(path)


def read_script_settings(config: Config) -> ScriptSettings:
    """Read every script-directory option of ``config``.

    Raises:
        ConfigError: ``script_location`` is missing, or an option has the wrong type.
    """
    location = config.get_alembic_option("script_location")
    if location is None:
        raise ConfigError(f"No 'script_location' key found in configuration. ({_searched(config)})")
    return ScriptSettings(
        script_location=_string(config, "script_location", location),
        version_locations=tuple(config.get_version_locations_list() or ()),
        prepend_sys_path=tuple(config.get_prepend_sys_paths_list() or ()),
        file_template=_string_option(config, "file_template", DEFAULT_FILE_TEMPLATE),
        truncate_slug_length=_integer_option(config, "truncate_slug_length", DEFAULT_TRUNCATE_SLUG_LENGTH),
        sourceless=config.get_alembic_boolean_option("sourceless"),
        recursive_version_locations=config.get_alembic_boolean_option("recursive_version_locations"),
        output_encoding=_encoding_option(config),
        timezone=_string_option(config, "timezone", "") or None,
        revision_environment=config.get_alembic_boolean_option("revision_environment"),
        hooks=tuple(config.get_hooks_list()),
    )


def _searched(config: Config) -> str:
    files = [name for name in (config.config_file_name, config.toml_file_name) if name]
    if not files:
        return "no config file was found; run 'init' or pass -c"
    return "looked in " + " and ".join(repr(name) for name in files)


def _string(config: Config, option: str, value: object) -> str:
    if not isinstance(value, str):
        message = f"{config.describe_option_source(option)}: {option} must be a string, not {type(value).__name__}"
        raise config_error_like(message, TypeError)  # what Alembic's path handling raises for it
    return value


def _string_option(config: Config, option: str, default: str) -> str:
    # Only absence gives the default: an explicitly empty value stays empty, as in Alembic.
    value = config.get_alembic_option(option)
    return default if value is None else _string(config, option, value)


def _integer_option(config: Config, option: str, default: int) -> int:
    value = config.get_alembic_option(option)
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    # Alembic's int() raises ValueError for text, TypeError for other kinds
    like = ValueError if isinstance(value, str) else TypeError
    message = f"{config.describe_option_source(option)}: {option} must be an integer, not {value!r}"
    raise config_error_like(message, like)


def _encoding_option(config: Config) -> str:
    # Alembic keeps an empty output_encoding and fails when writing; empty means the default here.
    encoding = _string_option(config, "output_encoding", "") or DEFAULT_OUTPUT_ENCODING
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(
            f"{config.describe_option_source('output_encoding')}: output_encoding {encoding!r} is not a known encoding"
        ) from None
    return encoding
