"""Configuration errors that are also the exception Alembic lets through for the same mistake.

Alembic reports a bad configuration value with whatever the library under it
raised: ``configparser.InterpolationSyntaxError`` for a raw ``%`` in the ini
file, ``NoSectionError``, ``TypeError`` for a non-string passed to
``set_main_option``, ``ValueError`` for a ``truncate_slug_length`` that is no
integer, ``KeyError`` for an unknown ``%(name)s`` in ``pyproject.toml``,
``tomllib.TOMLDecodeError``, ``IsADirectoryError``. Programs that drive
Alembic catch those classes. limbeck says the same thing in one line naming
the file and option (a :class:`~limbeck.errors.ConfigError`, so the command
line prints it without a traceback), and that line's exception is also an
instance of the class Alembic raised, with the original's attributes
(``section``, ``option``, ``errno``, ...), so those ``except`` clauses still
catch it.

The classes are made on first use, one per library class, because the set is
open-ended (every ``configparser`` and ``OSError`` subclass) and a table of
hand-written twins would drift from the library's hierarchy.
"""

from __future__ import annotations

import importlib
from typing import Any

from limbeck.errors import ConfigError

__all__ = ["ConfigValueError", "config_error_like"]


class ConfigValueError(ConfigError, ValueError):
    """An option value that cannot be used as given.

    Also a :class:`ValueError` because Alembic raises that for the same
    mistakes (a bad ``path_separator``, a raw ``%`` passed to
    ``set_main_option``), and code written against Alembic may catch it.
    """


_CLASSES: dict[type[BaseException], type[ConfigError]] = {ValueError: ConfigValueError}
# OSError's attributes live in slots, not __dict__: copied one by one.
_OS_ERROR_FIELDS = ("errno", "strerror", "filename", "filename2")


class _ConfigErrorLike(ConfigError):
    """Base of the made classes: one line of text whatever the library class prints."""

    def __init__(self, message: str) -> None:
        # The library class's own __init__ wants its own arguments (section, option,
        # lineno, ...); those attributes are copied from the original instead.
        Exception.__init__(self, message)
        self.message = message  # what configparser's errors print

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The class is made at run time; rebuild it from its library base in the unpickling process.
        base = next(c for c in type(self).__mro__ if c in _CLASSES)
        state = dict(vars(self))
        if isinstance(self, OSError):
            state.update((name, getattr(self, name)) for name in _OS_ERROR_FIELDS)
        return (_rebuild, (base.__module__, base.__qualname__, str(self)), state)


def _class_like(base: type[BaseException]) -> type[ConfigError]:
    made = _CLASSES.get(base)
    if made is None:
        made = type(base.__name__, (_ConfigErrorLike, base), {"__module__": __name__, "__doc__": base.__doc__})
        _CLASSES[base] = made
    return made


def config_error_like(message: str, original: BaseException | type[BaseException]) -> ConfigError:
    """A :class:`ConfigError` saying ``message`` that is also an instance of ``original``'s class.

    ``original`` is the exception the library raised (its attributes are
    kept) or, where limbeck checks a value before the library sees it, the
    class Alembic would let through for that value.
    """
    base = original if isinstance(original, type) else type(original)
    error = _class_like(base)(message)
    if not isinstance(original, type):
        state = {key: value for key, value in vars(original).items() if key != "message"}
        error.__dict__.update(state)
        if isinstance(original, OSError):
            for name in _OS_ERROR_FIELDS:
                setattr(error, name, getattr(original, name))
    return error


def _rebuild(module: str, qualname: str, message: str) -> ConfigError:
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return config_error_like(message, target)
