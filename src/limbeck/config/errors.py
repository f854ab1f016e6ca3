"""Configuration errors that are also the exception Alembic lets through for the same mistake.

Alembic reports a bad configuration value with whatever the library under it
raised: ``configparser.InterpolationSyntaxError`` for a raw ``%`` in the ini
file, ``NoSectionError``, ``TypeError`` for a non-string passed to
``set_main_option``, ``ValueError`` for a ``truncate_slug_length`` that is no
integer, ``KeyError`` for an unknown ``%(name)s`` in ``pyproject.toml``,
``tomllib.TOMLDecodeError``, ``IsADirectoryError``. Programs that drive
Alembic catch those classes. limbeck says the same thing in one line naming
the file and option (a :class:`~limbeck.errors.ConfigError`, so the command
line prints it without a traceback), and that error is also an instance of
the class Alembic raised, with the original's attributes (``section``,
``option``, ``errno``, ...), made by :func:`limbeck.errors.also_as` as
limbeck's other errors standing for a library's are.
"""

from __future__ import annotations

from limbeck.errors import ConfigError, also_as

__all__ = ["ConfigValueError", "config_error_like"]


class ConfigValueError(ConfigError, ValueError):
    """An option value that cannot be used as given.

    Also a :class:`ValueError` because Alembic raises that for the same
    mistakes (a bad ``path_separator``, a raw ``%`` passed to
    ``set_main_option``), and code written against Alembic may catch it.
    """


def config_error_like(message: str, original: BaseException | type[BaseException]) -> ConfigError:
    """A :class:`ConfigError` saying ``message`` that is also an instance of ``original``'s class.

    ``original`` is the exception the library raised (its attributes are
    kept) or, where limbeck checks a value before the library sees it, the
    class Alembic would let through for that value.
    """
    if original is ValueError or type(original) is ValueError:
        return ConfigValueError(message)
    error = also_as(ConfigError, original(message) if isinstance(original, type) else original, message)
    if hasattr(error, "message"):
        error.message = message  # configparser's errors show it as their repr
    if isinstance(original, OSError) and isinstance(error, OSError):
        # kept in slots, which also_as does not copy
        error.errno, error.strerror, error.filename = original.errno, original.strerror, original.filename
    return error
