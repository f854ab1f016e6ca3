"""Reading the two configuration files: the ini file and ``pyproject.toml``.

Both readers turn every parser exception into a one-line
:class:`~limbeck.errors.ConfigError` naming the file (and line or option),
because ``configparser`` and ``tomllib`` messages span lines, name internal
classes, and would reach users as tracebacks. The error is also an instance
of the parser's exception class, which Alembic lets through
(:mod:`limbeck.config.errors`).
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping
from typing import Any

from limbeck.config.errors import config_error_like
from limbeck.errors import ConfigError

#: ``[tool.X]`` tables read from ``pyproject.toml``, most preferred first.
TOML_TABLES = ("limbeck", "alembic")


def new_parser(defaults: Mapping[str, str]) -> configparser.ConfigParser:
    """Make the ConfigParser behind ``Config.file_config``.

    ``defaults`` become ``[DEFAULT]`` values (``here`` and ``config_args``),
    which is how ``%(here)s`` interpolates in every section. They are stored
    unchecked; a bad one is reported when an option using it is read.
    """
    return configparser.ConfigParser(defaults=dict(defaults))


def read_ini(parser: configparser.ConfigParser, path: str) -> bool:
    """Read ``path`` into ``parser``; return False when the file does not exist.

    A missing file is not an error here: like Alembic, a Config built on a
    missing file only fails when an option of its main section is asked for,
    so programmatic configs can still be filled with ``set_main_option``.
    """
    try:
        with open(path, encoding="utf-8-sig") as stream:
            parser.read_file(stream, source=path)
    except FileNotFoundError:
        return False
    except configparser.Error as exc:
        raise config_error_like(f"{path}: {describe_ini_error(exc)}", exc) from None
    except UnicodeDecodeError as exc:
        raise config_error_like(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})", exc) from None
    except OSError as exc:
        raise config_error_like(f"{path}: cannot read config file: {exc.strerror or exc}", exc) from None
    return True


def describe_ini_error(exc: configparser.Error) -> str:
    """One line saying what is wrong in an ini file and where."""
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno}: {exc.line.strip()!r} comes before any [section] header"
    if isinstance(exc, configparser.DuplicateOptionError):
        return f"line {exc.lineno}: option {exc.option!r} appears twice in section [{exc.section}]"
    if isinstance(exc, configparser.DuplicateSectionError):
        return f"line {exc.lineno}: section [{exc.section}] appears twice"
    if isinstance(exc, configparser.ParsingError):
        lineno, line = exc.errors[0]
        return f"line {lineno}: cannot parse {_unrepr(line)!r} (expected 'key = value' or a [section])"
    if isinstance(exc, configparser.InterpolationMissingOptionError):
        return (
            f"[{exc.section}] {exc.option} refers to %({exc.reference})s, which is not defined "
            "(write a literal '%' as '%%')"
        )
    if isinstance(exc, configparser.InterpolationSyntaxError):
        return f"[{exc.section}] {exc.option} has a '%' that is not %(name)s; write a literal '%' as '%%'"
    if isinstance(exc, configparser.InterpolationDepthError):
        return f"[{exc.section}] {exc.option} refers to itself through %(...)s substitutions"
    return str(exc).splitlines()[0]


def _unrepr(line: str) -> str:
    # ParsingError keeps repr(line), newline included; show the text itself.
    if len(line) >= 2 and line[0] == line[-1] and line[0] in "'\"":
        line = line[1:-1].replace("\\n", "")
    return line.strip()


def ini_get(parser: configparser.ConfigParser, section: str, name: str, where: str) -> str:
    """Interpolated value of an option known to exist."""
    try:
        return parser.get(section, name)
    except configparser.Error as exc:
        raise config_error_like(f"{where}: {describe_ini_error(exc)}", exc) from None


def ini_items(parser: configparser.ConfigParser, section: str, where: str) -> dict[str, str]:
    """Interpolated options of a section, ``[DEFAULT]`` values (``here``) first."""
    try:
        return dict(parser.items(section))
    except configparser.Error as exc:
        raise config_error_like(f"{where}: {describe_ini_error(exc)}", exc) from None


def load_toml_table(path: str) -> tuple[dict[str, Any], str | None]:
    """Return the ``[tool.limbeck]`` or else ``[tool.alembic]`` table, and its name.

    A missing file, or one without either table, gives ``({}, None)``: a
    ``pyproject.toml`` that configures other tools only is normal.
    """
    try:
        with open(path, "rb") as stream:
            data = _toml_module().load(stream)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        raise config_error_like(f"{path}: cannot read TOML file: {exc.strerror or exc}", exc) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError and UnicodeDecodeError are ValueErrors
        raise config_error_like(f"{path}: invalid TOML: {str(exc).splitlines()[0]}", exc) from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: 'tool' must be a table")
    for name in TOML_TABLES:
        if name in tool:
            table = tool[name]
            if not isinstance(table, dict):
                raise ConfigError(f"{path}: [tool.{name}] must be a table")
            return table, f"tool.{name}"
    return {}, None


def _toml_module() -> Any:
    # Imported on first use: most commands never read pyproject.toml values.
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    else:  # pragma: no cover - Python 3.10 only
        import tomli

        return tomli


def here_of(path: str) -> str:
    """The ``%(here)s`` value for a config file: its directory, made absolute."""
    return os.path.abspath(os.path.dirname(path))
