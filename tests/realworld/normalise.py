"""What is allowed to differ between Alembic's output and limbeck's, and nothing else.

Each rule in :func:`alembic_script` is one of limbeck's documented departures
(README, "Deliberate differences from Alembic's output") or Alembic's set-order
noise, applied to Alembic's text so that the two can be compared byte for
byte; limbeck's output is compared as printed. :func:`clock` is the one rule
applied to both: it removes what the revision files themselves make
different on every run.
"""

from __future__ import annotations

import re

__all__ = ["alembic_listing", "alembic_script", "clock", "table_indexes"]

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


# Set order: ``create_table`` writes CREATE INDEX for the Table's indexes
# (``index=True`` columns, ``Index`` objects) right after the CREATE TABLE.
# SQLAlchemy keeps ``Table.indexes`` in a set, and Alembic writes them in that
# set's iteration order, which follows object ids and changes from run to run
# (the README: "anything SQLAlchemy keeps in a set is sorted"); limbeck sorts
# them by name. The text cannot tell those from op.create_index() calls that
# follow at once, so the run of CREATE INDEX on the new table is sorted in
# both outputs (:func:`table_indexes`): their order there is not compared,
# their text and every other statement's place is.
_CREATE_TABLE = re.compile(r"^CREATE TABLE (?:IF NOT EXISTS )?(\S+) \(")
_CREATE_INDEX = re.compile(r"^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\S+) ON (\S+) ")


def table_indexes(text: str) -> str:
    """``text`` with each run of CREATE INDEX after a CREATE TABLE of their table sorted by name."""
    blocks = text.split("\n\n")
    out: list[str] = []
    i = 0
    while i < len(blocks):
        out.append(blocks[i])
        table = _CREATE_TABLE.match(blocks[i])
        i += 1
        if not table:
            continue
        run = []
        while i < len(blocks) and (m := _CREATE_INDEX.match(blocks[i])) and m[2] == table[1]:
            run.append(blocks[i])
            i += 1
        out.extend(sorted(run, key=lambda block: _CREATE_INDEX.match(block)[1]))  # type: ignore[index]
    return "\n\n".join(out)


# Not a tool's doing: revisions that insert ``datetime.now()`` (airflow's
# log_template rows, octavia's spares_pool) put the wall clock into the
# script, so two runs differ by the time between them. A timestamp with
# microseconds is replaced in both outputs; no pinned revision writes one as
# a constant.
_NOW = re.compile(r"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d{6}(?:[+-]\d\d:\d\d)?'")


def clock(text: str) -> str:
    """``text`` with run-time timestamps replaced by ``'<now>'``."""
    return _NOW.sub("'<now>'", text)


def alembic_script(text: str) -> str:
    """Alembic's ``--sql`` output with limbeck's documented departures and set-order noise removed."""
    text = _VERSION_RETURNING.sub(r"\1;", text)
    return _DOUBLE_TERMINATOR.sub(";", text)


# Set order in listings: a revision's branch labels are a set, printed by
# Alembic in its iteration order, which for strings changes with hash
# randomisation from one process to the next; limbeck prints them sorted
# (README: "sets (branch labels, ...) are printed sorted"). The labels are
# the parenthesised list right after the revision id.
_LABELS = re.compile(r"(^|-> )([\w.]+) \(([^()]*, [^()]*)\)", re.MULTILINE)


def alembic_listing(text: str) -> str:
    """Alembic's ``heads``/``history`` output with each revision's branch labels sorted."""
    return _LABELS.sub(lambda m: f"{m[1]}{m[2]} ({', '.join(sorted(m[3].split(', ')))})", text)
