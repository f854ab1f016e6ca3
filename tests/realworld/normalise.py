"""What is allowed to differ between Alembic's output and limbeck's, and nothing else.

Each rule is one of limbeck's documented departures (README, "Deliberate
differences from Alembic's output") applied to Alembic's text, so that the
two can be compared byte for byte. A rule never touches limbeck's output:
whatever limbeck prints is compared as printed.
"""

from __future__ import annotations

import re

__all__ = ["alembic_script"]

# Departure: "The version-table INSERT has no RETURNING / OUTPUT inserted /
# RETURNING ... INTO :ret_0 clause". Alembic 1.20 compiles the version INSERT
# with SQLAlchemy's implicit returning on PostgreSQL (and the OUTPUT / INTO
# forms elsewhere); the clause returns nothing anyone reads, and its Oracle
# form is not valid SQL. Only the INSERT into the version table is touched.
_VERSION_RETURNING = re.compile(
    r"^(INSERT INTO (?:\w+\.)?\w+ \(version_num\) VALUES \('[^']*'\)) RETURNING [\w.]+;$", re.MULTILINE
)

# Departure: "A text statement already ending in ; gets no second ;
# (Alembic writes ;;)". Alembic appends its terminator to op.execute() text
# that already ends in one.
_DOUBLE_TERMINATOR = re.compile(r";;$", re.MULTILINE)


def alembic_script(text: str) -> str:
    """Alembic's ``--sql`` output with limbeck's documented departures applied."""
    text = _VERSION_RETURNING.sub(r"\1;", text)
    return _DOUBLE_TERMINATOR.sub(";", text)
