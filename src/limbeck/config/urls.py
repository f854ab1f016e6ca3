"""Where a database URL came from, for messages about a URL SQLAlchemy rejected.

env.py usually builds its engine from ``sqlalchemy.url``, but the string may
as well come from a ``-x`` argument or an environment variable, and
SQLAlchemy's errors name none of these (``Could not parse SQLAlchemy URL from
given URL string``). :func:`url_sources` lists every place of this run that
holds a URL-like value, so a message can name the ones holding the URL at
fault. Nothing here imports SQLAlchemy except :func:`dialect_names` and
:func:`driver_names`, which are only called once a URL has failed.
"""

from __future__ import annotations

import difflib
import importlib
import os
import re
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from limbeck.config.core import Config

__all__ = ["UrlSource", "dialect_names", "driver_names", "mask_password", "nearest", "url_sources"]

#: ``scheme://user:password@`` with the password as group 2.
_PASSWORD = re.compile(r"^([^:/@\s]+://[^:/@\s]*:)([^@]*)(@)")
#: Environment variables worth looking at even when their value has no ``://``.
_URL_NAME = re.compile(r"(URL|URI|DSN)$", re.IGNORECASE)


@dataclass(frozen=True)
class UrlSource:
    """One place a URL can come from: ``where`` says it for a message."""

    where: str
    value: str

    @property
    def drivername(self) -> str | None:
        """``postgresql+psycopg`` of ``postgresql+psycopg://...``; None without ``://``."""
        scheme, sep, _ = self.value.partition("://")
        return scheme if sep else None


def mask_password(url: str) -> str:
    """``url`` with its password shown as ``***``; works on URLs SQLAlchemy cannot parse."""
    return _PASSWORD.sub(r"\1***\3", url.strip())


def url_sources(config: Config | None, environ: dict[str, str] | None = None) -> list[UrlSource]:
    """The URL-like values of this run, most specific first: config options, ``-x``, environment."""
    found: list[UrlSource] = []
    if config is not None:
        found.extend(_config_sources(config))
        for item in getattr(config.cmd_opts, "x", None) or ():
            key, sep, value = str(item).partition("=")
            if sep:
                found.append(UrlSource(f"-x {key}", value))
    env = os.environ if environ is None else environ
    for name in sorted(env):
        value = env[name]
        if "://" in value or _URL_NAME.search(name):
            found.append(UrlSource(f"${name}", value))
    return found


def _config_sources(config: Config) -> list[UrlSource]:
    name = config.config_file_name or "<programmatic config>"
    try:
        parser = config.file_config
        sections = [config.config_ini_section] + [s for s in parser.sections() if s != config.config_ini_section]
        found = []
        for section in sections:
            if not parser.has_section(section):
                continue
            for option in parser.options(section):
                if option == "url" or option.endswith(".url"):
                    found.append(UrlSource(f"{option} in {name} [{section}]", parser.get(section, option)))
        return found
    except Exception:  # noqa: BLE001 - a config that cannot be read names no source
        return []


def dialect_names() -> list[str]:
    """Dialect names SQLAlchemy can load: its own and those installed as plugins."""
    # SQLAlchemy and the entry points only for this message: a failed `limbeck heads` loads neither
    from importlib.metadata import entry_points

    import sqlalchemy.dialects

    names = set(sqlalchemy.dialects.__all__) | {"mariadb"}
    names |= {ep.name.partition(".")[0] for ep in entry_points(group="sqlalchemy.dialects")}
    return sorted(names)


def driver_names(dialect: str) -> list[str]:
    """The drivers SQLAlchemy has for ``dialect`` (``psycopg``, ``asyncpg``, ... for postgresql)."""
    from sqlalchemy.dialects import registry  # only for this message (see dialect_names)

    try:  # the package of the dialect's default driver holds all its drivers
        module = importlib.import_module(registry.load(dialect).__module__.rpartition(".")[0])
    except Exception:  # noqa: BLE001 - a dialect that cannot load has no drivers to offer
        return []
    return sorted(
        name for name, value in vars(module).items()
        if isinstance(value, ModuleType) and hasattr(value, "dialect") and name != "base"
    )


def nearest(name: str, choices: list[str]) -> str | None:
    """The choice closest to a mistyped ``name`` (``postgresq`` -> ``postgresql``), if any is close."""
    matches = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None
