"""The one line the command line prints for a failed command, instead of a traceback.

limbeck's own errors are written to be printed as they are. Everything else
that reaches the command line was raised by the project's code or by
SQLAlchemy while env.py ran: a missing database driver, a mistyped URL, an
application that needs its context, a plain ``raise``. Those get one line
that says what failed, the env.py line that led to it, and the remedy where
one is known (the package to install, the option holding a bad URL).
Anything raised outside env.py that is not a user error is a limbeck bug and
keeps its traceback.

Only imported once a command has failed: it may import SQLAlchemy.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from limbeck.config.urls import dialect_names, driver_names, mask_password, nearest, url_sources
from limbeck.errors import LimbeckError

if TYPE_CHECKING:
    from limbeck.config import Config

__all__ = ["DRIVER_PACKAGES", "describe_failure", "env_location", "first_line", "is_user_error"]

#: Module a missing import names -> what ``pip install`` brings it.
DRIVER_PACKAGES: dict[str, str] = {
    "MySQLdb": "mysqlclient",
    "pymysql": "PyMySQL",
    "mysql": "mysql-connector-python",
    "mariadb": "mariadb",
    "aiomysql": "aiomysql",
    "asyncmy": "asyncmy",
    "psycopg2": "psycopg2-binary",
    "psycopg": "psycopg[binary]",
    "asyncpg": "asyncpg",
    "pg8000": "pg8000",
    "aiosqlite": "aiosqlite",
    "pyodbc": "pyodbc",
    "aioodbc": "aioodbc",
    "pymssql": "pymssql",
    "oracledb": "oracledb",
    "cx_Oracle": "cx_Oracle",
    "greenlet": "greenlet",
}

_ENV_MODULES = ("env_py", "env_pyc")
_UNKNOWN_PLUGIN = re.compile(r"sqlalchemy\.dialects:(\S+)")


def describe_failure(exc: BaseException, config: Config | None) -> str | None:
    """The one-line message for ``exc``; None when it is a limbeck bug (show the traceback)."""
    if isinstance(exc, LimbeckError):
        if exc.__cause__ is not None and not getattr(exc, "located", False):
            url = _url_problem(exc.__cause__, config, None)
            if url is not None:
                return url
        return " ".join(str(exc).split())
    where = env_location(exc)
    url = _url_problem(exc, config, where)
    if url is not None:
        return url
    if where is None and not is_user_error(exc):
        return None
    message = first_line(exc)
    if where is not None:
        message = f"{where[0]}, line {where[1]}: {message}"
    remedy = _driver_remedy(exc)
    if remedy is not None:
        return f"{message}; {remedy}"
    if not is_user_error(exc):
        return f"{message} (--raiseerr shows the traceback)"
    return message


def first_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (SQLAlchemy appends a background-link line)."""
    text = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def env_location(exc: BaseException) -> tuple[str, int] | None:
    """File and line of the deepest env.py frame ``exc`` went through, if it did."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals.get("__name__") in _ENV_MODULES:
            found = (frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def is_user_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the user's to fix wherever it was raised.

    A missing permission or a full disk (``OSError``), and SQLAlchemy's own
    errors (a database that refuses the connection). SQLAlchemy is only
    consulted if it is already imported.
    """
    if isinstance(exc, LimbeckError):
        return True
    if isinstance(exc, OSError):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


_GREENLET = "SQLAlchemy's asyncio support needs greenlet: pip install greenlet"


def _driver_remedy(exc: BaseException) -> str | None:
    """``pip install <package>`` when ``exc`` comes from a missing driver or greenlet."""
    for err in _chain(exc):
        if isinstance(err, ValueError) and "greenlet library is required" in str(err):
            return _GREENLET  # SQLAlchemy 2.0 says it with a ValueError
        if not isinstance(err, ImportError):
            continue
        name = (err.name or "").partition(".")[0]
        if name == "greenlet" or "'greenlet'" in str(err):
            return _GREENLET
        if name in DRIVER_PACKAGES:
            return (
                f"the database driver {name} is not installed: pip install {DRIVER_PACKAGES[name]} "
                "(or name an installed driver in the URL, dialect+driver://)"
            )
    return None


def _url_problem(exc: BaseException, config: Config | None, where: tuple[str, int] | None) -> str | None:
    """A message naming the source of a URL SQLAlchemy rejected; None for other errors."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.ArgumentError):
        return None
    sources = url_sources(config)
    plugin = _UNKNOWN_PLUGIN.search(str(exc))
    failing = None
    if isinstance(exc, sa_exc.NoSuchModuleError) and plugin is not None:
        name = plugin.group(1)
        problem = _unknown_dialect(name)
        matches = [s for s in sources if (s.drivername or "").replace("+", ".") == name]
    elif "Could not parse SQLAlchemy URL" in str(exc):
        problem = "is not a database URL (dialect+driver://user:password@host/database)"
        failing = _url_in_traceback(exc)
        matches = [s for s in sources if (s.value == failing if failing is not None else not _parses(s.value))]
    else:
        return None
    if not matches:
        place = f"{where[0]}, line {where[1]}" if where else "env.py"
        shown = f" {mask_password(failing)!r}" if failing is not None else ""
        return f"{place}: the database URL{shown} given to SQLAlchemy {problem}"

    value = matches[0].value
    named = " and ".join(s.where for s in matches if s.value == value)
    return f"{named}: {mask_password(value)!r} {problem}"


def _unknown_dialect(name: str) -> str:
    dialect, _, driver = name.partition(".")
    if dialect in dialect_names():
        drivers = driver_names(dialect)
        near = nearest(driver, drivers)
        hint = f"; did you mean '{dialect}+{near}'?" if near else ""
        if not near and drivers:
            hint = f" (it has: {', '.join(drivers)})"
        return f"names a driver SQLAlchemy's {dialect} dialect does not have, '{driver}'{hint}"
    near = nearest(dialect, dialect_names())
    hint = f"; did you mean '{near}'?" if near else ""
    return f"names no SQLAlchemy dialect ('{dialect}'){hint}"


def _url_in_traceback(exc: BaseException) -> str | None:
    """The string SQLAlchemy's URL parser was given, read from its frame; None if not found."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals.get("__name__") == "sqlalchemy.engine.url":
            for name in ("name", "name_or_url"):
                value = frame.f_locals.get(name)
                if isinstance(value, str):
                    found = value
                    break
        tb = tb.tb_next
    return found


def _parses(value: str) -> bool:
    # only once SQLAlchemy raised: a failed `limbeck heads` never loads it
    from sqlalchemy.engine import make_url

    try:
        make_url(value)
    except Exception:  # noqa: BLE001 - any failure means SQLAlchemy would reject it too
        return False
    return True
