"""``Config``: one object over the ini file, ``pyproject.toml`` and the command line.

It has the public surface of Alembic's ``alembic.config.Config`` so that
``env.py`` files and programmatic callers written for Alembic work unchanged.
Files are read lazily, on first use, because ``limbeck --help`` and commands
that fail early should not pay for parsing.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO

from limbeck.config import sources, values
from limbeck.config.errors import config_error_like
from limbeck.config.values import PostWriteHookConfig, TomlOption
from limbeck.errors import ConfigError

if TYPE_CHECKING:
    from limbeck.config.script_settings import ScriptSettings

#: The ini section read when neither ``ini_section`` nor ``-n`` names one.
DEFAULT_INI_SECTIONS = ("limbeck", "alembic")
POST_WRITE_HOOKS_SECTION = "post_write_hooks"


class Config:
    """The configuration of one migration environment.

    Args:
        file_: the ini file (``alembic.ini`` / ``limbeck.ini``), or None.
        toml_file: the ``pyproject.toml`` whose ``[tool.limbeck]`` or
            ``[tool.alembic]`` table is read, or None.
        ini_section: the main ini section. None means ``[limbeck]`` when the
            ini file has one, else ``[alembic]``, so unchanged ``alembic.ini``
            files work.
        output_buffer: where offline (``--sql``) SQL goes instead of stdout.
        stdout: where :meth:`print_stdout` writes; None means the
            ``sys.stdout`` of the moment the Config is made (so test runners
            that swap ``sys.stdout`` capture the output).
        cmd_opts: the parsed command line (``-x``, ``-q``, ``--sql``, ...).
        config_args: extra ``[DEFAULT]`` values for ini interpolation.
        attributes: initial contents of :attr:`attributes` (copied).
    """

    def __init__(
        self,
        file_: str | os.PathLike[str] | None = None,
        toml_file: str | os.PathLike[str] | None = None,
        ini_section: str | None = None,
        output_buffer: TextIO | None = None,
        stdout: TextIO | None = None,
        cmd_opts: Any = None,
        config_args: Mapping[str, Any] | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> None:
        self.config_file_name: str | None = _file_name(file_, "file_")
        self.toml_file_name: str | None = _file_name(toml_file, "toml_file")
        self._ini_section = ini_section
        self.output_buffer = output_buffer
        self.stdout: TextIO = sys.stdout if stdout is None else stdout
        self.cmd_opts = cmd_opts
        self.config_args: dict[str, Any] = dict(config_args or {})
        if attributes:
            self.attributes.update(attributes)

    # -- the sources ---------------------------------------------------------

    @cached_property
    def attributes(self) -> dict[str, Any]:
        """Free-form values shared with ``env.py`` (connections, engines, flags).

        Unlike options these are never strings from a file: this is how a
        program hands a live connection to ``env.py``.
        """
        return {}

    @cached_property
    def file_config(self) -> configparser.ConfigParser:
        """The ini file as a ConfigParser, with ``%(here)s`` set to its directory.

        Without an ini file it is empty apart from the main section, so
        :meth:`set_main_option` works on a purely programmatic Config.
        """
        here = "." if self.config_file_name is None else sources.here_of(self.config_file_name)
        defaults = {**self.config_args, "here": here.replace("%", "%%")}
        parser = sources.new_parser(defaults)
        if self.config_file_name is not None:
            sources.read_ini(parser, self.config_file_name)
        else:
            parser.add_section(DEFAULT_INI_SECTIONS[-1] if self._ini_section is None else self._ini_section)
        return parser

    @property
    def config_ini_section(self) -> str:
        """Name of the main ini section (``-n`` on the command line)."""
        if self._ini_section is None:
            parser = self.file_config
            self._ini_section = next(
                (name for name in DEFAULT_INI_SECTIONS if parser.has_section(name)), DEFAULT_INI_SECTIONS[-1]
            )
        return self._ini_section

    @config_ini_section.setter
    def config_ini_section(self, name: str) -> None:
        self._ini_section = name

    @cached_property
    def _toml(self) -> tuple[dict[str, Any], str | None]:
        if not self.toml_file_name:
            return {}, None
        return sources.load_toml_table(self.toml_file_name)

    @property
    def toml_alembic_config(self) -> Mapping[str, Any]:
        """The raw ``[tool.limbeck]`` (preferred) or ``[tool.alembic]`` table; ``{}`` if none."""
        return self._toml[0]

    @property
    def toml_table_name(self) -> str | None:
        """``"tool.limbeck"`` or ``"tool.alembic"``: the table actually read, if any."""
        return self._toml[1]

    @cached_property
    def messaging_opts(self) -> Mapping[str, bool]:
        """Output options taken from the command line; ``quiet`` is ``-q``."""
        return {"quiet": bool(getattr(self.cmd_opts, "quiet", False))}

    def print_stdout(self, text: str, *arg: Any) -> None:
        """Print a line of command output unless ``-q`` was given.

        ``text`` is %-formatted only when ``arg`` is given, so a message that
        contains ``%`` prints as is. Characters the stream's encoding cannot
        represent become ``?`` rather than failing the command.
        """
        if self.messaging_opts["quiet"]:
            return
        output = text % arg if arg else str(text)
        encoding = getattr(self.stdout, "encoding", None) or "ascii"
        self.stdout.write(output.encode(encoding, "replace").decode(encoding))
        self.stdout.write("\n")

    # -- ini options -----------------------------------------------------------

    def get_main_option(self, name: str, default: str | None = None) -> str | None:
        """An option of the main ini section, interpolated; ``default`` if absent.

        Raises:
            ConfigError: the ini file is missing or has no main section.
        """
        return self.get_section_option(self.config_ini_section, name, default)

    def set_main_option(self, name: str, value: str) -> None:
        """Set an option of the main ini section (created if needed).

        The value goes through ini interpolation when read back: write a
        literal ``%`` as ``%%`` and refer to other options as ``%(name)s``.

        Raises:
            ConfigValueError: ``value`` has a ``%`` that is neither.
        """
        self.set_section_option(self.config_ini_section, name, value)

    def remove_main_option(self, name: str) -> None:
        """Remove an option of the main ini section; nothing happens if it is absent.

        Raises:
            ConfigError: the main section does not exist (also configparser's
                ``NoSectionError``, as Alembic raises).
        """
        section = self.config_ini_section
        if not self.file_config.has_section(section):
            raise config_error_like(self._missing_section_message(section), configparser.NoSectionError(section))
        self.file_config.remove_option(section, name)

    def get_section(self, name: str, default: Mapping[str, str] | None = None) -> Mapping[str, str] | None:
        """All options of an ini section as a dict (``here`` included), or ``default``."""
        if not self.file_config.has_section(name):
            return default
        return sources.ini_items(self.file_config, name, self._where_ini)

    def get_section_option(self, section: str, name: str, default: str | None = None) -> str | None:
        """One option of an ini section, interpolated; ``default`` if absent.

        Raises:
            ConfigError: the section does not exist (the file may be missing).
        """
        parser = self.file_config
        if not parser.has_section(section):
            raise ConfigError(self._missing_section_message(section))
        if not parser.has_option(section, name):
            return default
        return sources.ini_get(parser, section, name, self._where_ini)

    def set_section_option(self, section: str, name: str, value: str) -> None:
        """Set an option of any ini section, creating the section if needed.

        Raises:
            ConfigError: ``value`` has a raw ``%`` (also a ``ValueError``), or
                ``name`` or ``value`` is not a string (also a ``TypeError``), as Alembic raises.
        """
        parser = self.file_config
        if not parser.has_section(section):
            parser.add_section(section)
        try:
            parser.set(section, name, value)
        except TypeError as exc:
            raise config_error_like(f"[{section}] {name!r} = {value!r} cannot be set: {exc}", exc) from None
        except ValueError as exc:
            raise config_error_like(
                f"[{section}] {name} = {value!r} cannot be set: {exc} (write a literal '%' as '%%')", exc
            ) from None

    # -- options from either file ---------------------------------------------------

    def get_alembic_option(self, name: str, default: str | None = None) -> TomlOption | None:
        """An option from the main ini section, else from the TOML table.

        The ini file wins when both have the option, as in Alembic. TOML
        values keep their types (lists, integers, booleans) with
        ``%(here)s`` substituted in strings.
        """
        ini = self._ini_option(name)
        if ini is not None:
            return ini
        return self._toml_option(name, default)

    def get_alembic_boolean_option(self, name: str) -> bool:
        """A boolean option from the ini file (``true``/``false``) or TOML (a boolean); False if absent."""
        ini = self._ini_option(name)
        if ini is not None:
            return values.ini_boolean(ini, name, self._where_ini_option)
        if name in self.toml_alembic_config:
            return values.toml_boolean(self.toml_alembic_config[name], name, self._where_toml)
        return False

    get_limbeck_option = get_alembic_option
    get_limbeck_boolean_option = get_alembic_boolean_option

    def get_version_locations_list(self) -> list[str] | None:
        """``version_locations`` as a list of paths; None when not configured."""
        raw = self._ini_option("version_locations")
        if raw:
            separator = self._path_separator("version_locations", legacy_option="version_path_separator")
            if separator is None:
                return values.split_legacy_version_locations(raw)
            return values.split_on_separator(raw, separator)
        return self._toml_path_list("version_locations")

    def get_prepend_sys_paths_list(self) -> list[str] | None:
        """``prepend_sys_path`` as a list of paths; None when not configured."""
        raw = self._ini_option("prepend_sys_path")
        if raw:
            separator = self._path_separator("prepend_sys_path")
            if separator is None:
                return values.split_legacy_sys_path(raw)
            return values.split_on_separator(raw, separator)
        return self._toml_path_list("prepend_sys_path")

    def get_hooks_list(self) -> list[PostWriteHookConfig]:
        """Post-write hook configurations, each with its name under ``_hook_name``.

        An ini ``[post_write_hooks]`` section, when present, is used even if it
        names no hooks; otherwise the TOML ``post_write_hooks`` list is.
        """
        if self.file_config.has_section(POST_WRITE_HOOKS_SECTION):
            return self._ini_hooks()
        return self._toml_hooks()

    def get_template_directory(self) -> str:
        """The directory of the ``init`` templates bundled with limbeck."""
        package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        return os.path.join(package_dir, "script", "templates")

    def get_script_settings(self) -> ScriptSettings:
        """Every option the script directory needs, read and type-checked at once.

        Raises:
            ConfigError: no ``script_location``, or an option of the wrong type.
        """
        # dataclasses and pathlib load with the script directory (see limbeck.config._LAZY)
        from limbeck.config.script_settings import read_script_settings

        return read_script_settings(self)

    def describe_option_source(self, name: str) -> str:
        """Where the value of option ``name`` comes from: file and section/table.

        For error messages about a value that has the wrong type.
        """
        if self._ini_option_exists(name):
            return self._where_ini_option
        return self._where_toml

    # -- helpers -------------------------------------------------------------------

    @property
    def _where_ini(self) -> str:
        return self.config_file_name or "<programmatic config>"

    @property
    def _where_ini_option(self) -> str:
        return f"{self._where_ini} [{self.config_ini_section}]"

    @property
    def _where_toml(self) -> str:
        return f"{self.toml_file_name} [{self.toml_table_name or 'tool.alembic'}]"

    def _missing_section_message(self, section: str) -> str:
        if self.config_file_name is None:
            return f"no config file was given, and no [{section}] section has been set"
        if not os.path.isfile(self.config_file_name):
            return f"config file {self.config_file_name!r} not found (looking for its [{section}] section)"
        return f"config file {self.config_file_name!r} has no [{section}] section"

    def _ini_option_exists(self, name: str) -> bool:
        parser = self.file_config
        section = self.config_ini_section
        return parser.has_section(section) and parser.has_option(section, name)

    def _ini_option(self, name: str) -> str | None:
        """The main-section value, or None when the section or option is absent."""
        if not self._ini_option_exists(name):
            return None
        return sources.ini_get(self.file_config, self.config_ini_section, name, self._where_ini)

    def _toml_option(self, name: str, default: TomlOption | None = None) -> TomlOption | None:
        table = self.toml_alembic_config
        if name not in table or self.toml_file_name is None:
            return default
        here = sources.here_of(self.toml_file_name)
        return values.interpolate_toml(table[name], here, name, self._where_toml)

    def _toml_path_list(self, name: str) -> list[str] | None:
        value = self._toml_option(name)
        if value is None:
            return None
        paths = [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
        if not isinstance(value, list) or len(paths) != len(value):
            # a TypeError, as Alembic's script directory raises on iterating such a value
            raise config_error_like(f"{self._where_toml}: {name} must be a list of strings", TypeError)
        return paths

    def _get_file_separator_char(self, *names: str) -> str | None:
        """The character the first of ``names`` set in the main section names; None if none is set.

        Alembic's (private) helper, which programs built on it call to split
        paths as Alembic would (Flask-Alembic reads ``path_separator`` so).

        Raises:
            ConfigValueError: a value that names no separator (also a ``ValueError``, as Alembic's).
        """
        for name in names:
            setting = self.get_main_option(name)
            if setting is not None:
                break
        else:
            return None
        separator = values.separator_for(setting, name, self._where_ini_option)
        if name == "version_path_separator":
            values.warn_deprecated(
                "The version_path_separator configuration parameter is deprecated; please use path_separator"
            )
        return separator

    def _path_separator(self, option: str, legacy_option: str | None = None) -> str | None:
        """The split character for an ini path list; None means the legacy rules."""
        where = self._where_ini_option
        setting = self._ini_option("path_separator")
        if setting is not None:
            return values.separator_for(setting, "path_separator", where)
        if legacy_option is not None:
            legacy = self._ini_option(legacy_option)
            if legacy is not None:
                separator = values.separator_for(legacy, legacy_option, where)
                values.warn_deprecated(
                    f"The {legacy_option} configuration parameter is deprecated; please use path_separator"
                )
                return separator
        # Alembic's words, which deprecation filters written for it match
        rules = "spaces, commas, and colons" if option == "prepend_sys_path" else "spaces/commas"
        values.warn_deprecated(
            f"No path_separator found in configuration; falling back to legacy splitting on {rules} for "
            f"{option}.  Consider adding path_separator=os to Alembic config."
        )
        return None

    def _ini_hooks(self) -> list[PostWriteHookConfig]:
        options = sources.ini_items(self.file_config, POST_WRITE_HOOKS_SECTION, self._where_ini)
        hooks: list[PostWriteHookConfig] = []
        for name in values.split_hook_names(options.get("hooks", "")):
            prefix = f"{name}."
            hook = {key[len(prefix) :]: value for key, value in options.items() if key.startswith(prefix)}
            hook["_hook_name"] = name
            hooks.append(hook)
        return hooks

    def _toml_hooks(self) -> list[PostWriteHookConfig]:
        value = self._toml_option("post_write_hooks")
        if value is None:
            return []
        tables = [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
        if not isinstance(value, list) or len(tables) != len(value):
            # Alembic makes a dict of each item: a number is no sequence (TypeError), text no pairs (ValueError)
            like = TypeError if isinstance(value, int) else ValueError
            raise config_error_like(f"{self._where_toml}: post_write_hooks must be an array of tables", like)
        hooks: list[PostWriteHookConfig] = []
        for index, table in enumerate(tables):
            hook: PostWriteHookConfig = dict(table)
            name = hook.pop("name", None)
            if not name:
                message = f"{self._where_toml}: post_write_hooks entry {index + 1} has no 'name'"
                raise config_error_like(message, KeyError)
            hook["_hook_name"] = name
            hooks.append(hook)
        return hooks


def _file_name(path: str | os.PathLike[str] | None, argument: str) -> str | None:
    """A config file's name; None for none given (an empty name included, as Alembic reads it)."""
    if not path:
        return None
    name = os.fspath(path)
    if not isinstance(name, str):
        # Alembic's pathlib refuses bytes when the Config is made: the same class, at the same moment
        raise config_error_like(f"Config({argument}={path!r}): a config file name must be a str or os.PathLike", TypeError)
    return name
