"""``alembic.config``: limbeck's configuration, plus ``main`` and ``CommandLine`` (the command line)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from limbeck.config import *
from limbeck.config import __all__ as _config_names


def __getattr__(name: str) -> Any:
    # the command line's classes load click: only when a program asks for them
    if name in ("CommandLine", "CommandFunction"):
        from limbeck.cli import extend

        return getattr(extend, name)
    raise AttributeError(f"module 'alembic.config' has no attribute {name!r}")


def main(argv: Sequence[str] | None = None, prog: str | None = None, **kwargs: Any) -> None:
    """Run the command line, as Alembic's ``main`` does (its ``alembic`` script calls this).

    With ``LIMBECK_AS_ALEMBIC=1`` the ``alembic`` console script of the
    installed Alembic lands here, so ``alembic upgrade head`` runs limbeck.
    ``kwargs`` are the extra ``Config`` arguments Alembic accepts; limbeck's
    command line builds its own ``Config`` from the options, so any given
    are refused rather than silently dropped.
    """
    if kwargs:
        from limbeck.errors import CommandError

        raise CommandError(f"alembic.config.main(): limbeck does not take Config arguments here ({', '.join(sorted(kwargs))})")
    from limbeck.cli import main as cli_main

    cli_main(argv, prog=prog or "alembic")


# limbeck.config's names, whatever they are, plus main
__all__ = [*_config_names, "CommandFunction", "CommandLine", "main"]  # noqa: PLE0604
