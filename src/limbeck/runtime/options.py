"""What a command asks of a run: ``--sql``, ``--dialect``, ``--tag`` and the review flags, typed.

A command function (``limbeck.command.upgrade`` and friends) turns its
arguments into one :class:`RunOptions` as it starts; everything below it
(the review of the offline script, the run of env.py, the environment
context env.py talks to) reads this object and nothing else. Which option
needs which is checked here, once, when the object is made.

Import-light: ``limbeck heads`` imports the commands, and so this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from limbeck.errors import CommandError

__all__ = ["RunOptions"]

#: options that only mean something for an offline script, in the order they are checked
_NEED_SQL = (
    ("--validate", "validate"),
    ("--validate-on", "validate_on"),
    ("--guard", "guard"),
    ("--keep-going", "keep_going"),
    ("--from-db", "from_db"),
)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """One command's run options, checked once when made.

    Raises:
        CommandError: an option that needs ``--sql`` without it (``--purge``
            with it), an unknown ``--dialect``, or ``--from-db`` with
            ``--dialect``.
    """

    #: render the offline script instead of running on the database (Alembic's ``as_sql``)
    sql: bool = False
    #: render for this SQLAlchemy dialect instead of the one env.py configures
    dialect: str | None = None
    #: ``--tag``, for env.py (``context.get_tag_argument()``)
    tag: str | None = None
    #: mark a revision that cannot be rendered offline and go on
    keep_going: bool = False
    #: check every statement of the script
    validate: bool = False
    #: also run the whole script on this scratch database
    validate_on: str | None = None
    #: start from the live database's version table
    from_db: bool = False
    #: begin the script (and each transaction segment) with a check of the version table
    guard: bool = False
    #: ``stamp --purge``: empty the version table first
    purge: bool = False
    #: ``--jobs``: processes rendering the offline script (0: by CPUs and what the range renders; 1, what the
    #: commands give unless told, and None: serial); see :mod:`limbeck.runtime.parallel`
    jobs: int | None = None

    def __post_init__(self) -> None:
        if self.sql and self.purge:
            raise CommandError("Can't use --purge with --sql mode")
        if self.dialect is not None and not self.sql:
            raise CommandError("--dialect renders for another database and needs --sql")
        for flag, name in _NEED_SQL:
            if getattr(self, name) and not self.sql:
                raise CommandError(f"{flag} works on the offline script and needs --sql")
        if self.jobs is not None and not self.sql:
            raise CommandError("--jobs renders the offline script on several cores and needs --sql")
        if self.jobs is not None and self.jobs < 0:
            raise CommandError(f"--jobs: {self.jobs} workers? 1 renders in this process, 0 picks by CPUs and range length")
        if self.dialect is not None:
            _check_dialect(self.dialect)
        if self.from_db and self.dialect:
            raise CommandError("--from-db renders for the database it reads; it cannot be combined with --dialect")

    @classmethod
    def from_context_opts(cls, opts: Mapping[str, Any]) -> RunOptions:
        """The options of an ``EnvironmentContext(config, script, as_sql=..., tag=...)`` made the Alembic way."""
        return cls(sql=bool(opts.get("as_sql", False)), tag=opts.get("tag"))

    def context_opts(self) -> dict[str, Any]:
        """These options under the names Alembic's ``context.opts`` gives them (what the runtime reads)."""
        # both always there, as in Alembic's (revisions read opts["as_sql"] online too)
        opts: dict[str, Any] = {"as_sql": self.sql, "tag": self.tag}
        if self.keep_going:
            opts["keep_going"] = True
        if self.purge:
            opts["purge"] = True
        if self.jobs is not None:
            opts["offline_jobs"] = self.jobs
        return opts

    def split_range(self, revision: str) -> tuple[str | None, str]:
        """``start:end`` (``--sql`` only) as its two ends; a plain revision has no start."""
        if ":" not in revision:
            return None, revision
        if not self.sql:
            raise CommandError("Range revision not allowed")
        start, _, end = revision.partition(":")
        return start or None, end


def _check_dialect(name: str) -> None:
    # SQLAlchemy only when --dialect is given: `limbeck heads` imports this module
    from sqlalchemy.dialects import registry
    from sqlalchemy.exc import NoSuchModuleError

    try:
        registry.load(name.replace("+", "."))
    except NoSuchModuleError:
        raise CommandError(f"--dialect: unknown SQLAlchemy dialect '{name}'") from None
