"""What is allowed to differ between Alembic's output and limbeck's, and nothing else.

Each rule in :func:`alembic_script` is one of limbeck's documented departures
(README, "Deliberate differences from Alembic's output", "Operations") that
shows wherever it applies, or Alembic's set-order noise, applied to Alembic's
text so that the two can be compared byte for byte. Departures that only a
known revision shows (``projects.py``: ``WrittenParameters``, ``StaleCheck``)
are undone in limbeck's text by :func:`limbeck_departures`, inside that
revision's block only, where limbeck's form is the unambiguous one (a
parameter's value written where Alembic wrote ``NULL``; one extra
statement); each must be found, so a rule can never hide anything but its
departure. ``print()`` output is compared raw (``offline_print = raw``, see
``harness.py``). :func:`clock` is the one rule applied to both: it removes
what the revision files themselves make different on every run.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from .projects import (
    FRESH_UUID,
    DelimitedBody,
    Departure,
    FreshUUIDs,
    StaleCheck,
    WrittenParameters,
)

__all__ = ["alembic_listing", "alembic_script", "clock", "fresh_uuids", "limbeck_departures", "table_indexes", "version_rows"]

# Departure (README, "Deliberate differences"): on Oracle the version-table INSERT has no
# "RETURNING ... INTO :ret_0", the form SQLAlchemy compiles for a key given as an
# expression, which is not valid in a SQL*Plus script (a bind variable it never declared).
# Elsewhere limbeck writes Alembic's RETURNING / OUTPUT inserted clause as it is.
# Only the INSERT into the version table is touched (Oracle scripts: rucio's, test_reduced.py's
# own history; idds-server's, in a schema whose name is quoted).
_NAME = r'(?:"[^"]+"|\w+)'
_VERSION_RETURNING_INTO = re.compile(
    rf"^(INSERT INTO (?:{_NAME}\.)?{_NAME} \(version_num\) VALUES \('[^']*'\)) RETURNING (?:{_NAME}\.)+{_NAME} INTO :ret_0$",
    re.MULTILINE,
)

_AWARE_DATETIME = re.compile(r"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d)'")
_DATETIME_OFFSET = re.compile(r"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)[+-]\d\d:\d\d'")

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
_GO = "GO"


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
        # on SQL Server each statement is followed by its batch separator, GO: the run is of
        # (CREATE INDEX, GO) pairs, and the table's own GO comes before it
        go = i < len(blocks) and blocks[i] == _GO
        if go:
            out.append(blocks[i])
            i += 1
        run = []
        while i < len(blocks) and (m := _CREATE_INDEX.match(blocks[i])) and m[2] == table[1] \
                and (not go or (i + 1 < len(blocks) and blocks[i + 1] == _GO)):
            run.append(blocks[i])
            i += 2 if go else 1
        # by name, then by text: an unnamed Index takes its name from the naming convention,
        # which can give two indexes of one table the same name (indico's f1eee7b4880a)
        for block in sorted(run, key=lambda block: (_CREATE_INDEX.match(block)[1], block)):  # type: ignore[index]
            out.extend((block, _GO) if go else (block,))
    return "\n\n".join(out)


# Set order (README, "Deliberate differences": "When a revision merges or unmerges version
# rows, which row is updated and which inserted or deleted is fixed"): upgrading a merge
# revision deletes all but one of its parents' rows and updates the last; downgrading it
# updates its row to one parent and inserts the others. Alembic picks that one from a set,
# so the choice changes from run to run; limbeck takes the first in down_revision order.
# In both outputs, each such run of version-table statements keeps its statements and their
# kinds in place, and gets its values assigned in sorted order (the updated row is the
# first of the sorted ids): the rows the run leaves are still compared, the choice is not.
_VERSION_ROW = re.compile(
    r"^(?:INSERT INTO (?P<it>\S+) \(version_num\) (?P<out>OUTPUT inserted\.version_num )?VALUES \('(?P<ins>[^']*)'\)"
    r"(?P<ret> RETURNING [\w.]+)?"
    r"|UPDATE (?P<ut>\S+) SET version_num='(?P<new>[^']*)' WHERE (?P=ut)\.version_num = '(?P<old>[^']*)'"
    r"|DELETE FROM (?P<dt>\S+) WHERE (?P=dt)\.version_num = '(?P<del>[^']*)');$"
)


def version_rows(text: str) -> str:
    """``text`` with the version-row choice of each merge and unmerge put in one order (see above)."""
    blocks = text.split("\n\n")
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _VERSION_ROW.match(blocks[j]):
            j += 1
        if j - i > 1:
            blocks[i:j] = _canonical([_VERSION_ROW.match(b) for b in blocks[i:j]])  # type: ignore[misc]
        i = max(j, i + 1)
    return "\n\n".join(blocks)


def _canonical(rows: list[re.Match[str]]) -> list[str]:
    table = next(m["it"] or m["ut"] or m["dt"] for m in rows)
    updates = [m for m in rows if m["ut"]]
    if len(updates) != 1:
        return [m[0] for m in rows]
    if any(m["it"] for m in rows):  # unmerge: one parent updated, the others inserted
        ids = sorted([updates[0]["new"]] + [m["ins"] for m in rows if m["it"]])
        fixed = updates[0]["old"]
        chosen, rest = ids[0], iter(ids[1:])
        # the INSERT's RETURNING / OUTPUT clause, as both tools write it (the same on every row)
        out, ret = next((m["out"] or "", m["ret"] or "") for m in rows if m["it"])
        return [f"UPDATE {table} SET version_num='{chosen}' WHERE {table}.version_num = '{fixed}';" if m["ut"]
                else f"INSERT INTO {table} (version_num) {out}VALUES ('{next(rest)}'){ret};" for m in rows]
    # merge: the other parents deleted, one updated to the merge revision
    ids = sorted([updates[0]["old"]] + [m["del"] for m in rows if m["dt"]])
    fixed = updates[0]["new"]
    chosen, rest = ids[0], iter(ids[1:])
    return [f"UPDATE {table} SET version_num='{fixed}' WHERE {table}.version_num = '{chosen}';" if m["ut"]
            else f"DELETE FROM {table} WHERE {table}.version_num = '{next(rest)}';" for m in rows]


# Not a tool's doing: revisions that insert ``datetime.now()`` (airflow's
# log_template rows, octavia's spares_pool) put the wall clock into the
# script, so two runs differ by the time between them. A timestamp with
# microseconds is replaced in both outputs; no pinned revision writes one as
# a constant.
_NOW = re.compile(r"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d{6}(?:[+-]\d\d:\d\d)?'")


def clock(text: str) -> str:
    """``text`` with run-time timestamps replaced by ``'<now>'``."""
    return _NOW.sub("'<now>'", text)


# Not a tool's doing either: a revision that writes uuid.uuid4() values into its SQL
# (indico's 26806768cd3f downgrade re-creates an OAuth application with fresh ids). Only
# in the blocks of the revisions a history names (``History.fresh``), in both outputs.
_UUID = re.compile(r"'[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'")


def fresh_uuids(text: str, fresh: Sequence[FreshUUIDs], direction: str) -> tuple[str, set[FreshUUIDs]]:
    """``text`` with the version-4 UUID literals of ``fresh``'s revision blocks replaced; those found."""
    blocks, found = _blocks(text, direction), set()
    for index, block in enumerate(blocks):
        for entry in fresh:
            if entry.direction == direction and _is_revision_block(block, direction, entry.revision):
                blocks[index], count = _UUID.subn("'<uuid4>'", block)
                if count:
                    found.add(entry)
    return "".join(blocks), found


# Departure (README, "Operations": "A clause a database lacks (IF [NOT] EXISTS)
# ... is left out with a LimbeckWarning"): MySQL has no DROP INDEX IF EXISTS
# (MariaDB has), and rejects the statement Alembic writes. MySQL scripts only.
_MYSQL_DROP_INDEX_IF_EXISTS = re.compile(r"^DROP INDEX IF EXISTS (\S+ ON \S+;)$", re.MULTILINE)


def alembic_script(text: str, dialect: str | None = None) -> str:
    """Alembic's ``--sql`` output with limbeck's documented departures and set-order noise removed."""
    if dialect == "oracle":
        text = _VERSION_RETURNING_INTO.sub(r"\1", text)
    if dialect == "mysql":
        text = _MYSQL_DROP_INDEX_IF_EXISTS.sub(r"DROP INDEX \1", text)
    if dialect == "postgresql":
        # Departure: "an aware datetime is written as a timestamptz, as psycopg sends it" (gnocchi,
        # dstack, airflow): Alembic's plain string loses its offset in a timestamp column
        text = _AWARE_DATETIME.sub(r"CAST('\1' AS TIMESTAMP WITH TIME ZONE)", text)
    if dialect in ("mysql", "mariadb"):
        # Departure: "a NUL byte in a MySQL or MariaDB statement is written \0" (monasca-api's
        # BINARY server_default): Alembic writes the byte, which stops the mysql client
        text = text.replace("\0", "\\0")
        # Departure: "an aware datetime is written without its offset, as the drivers send it"
        # (gnocchi's UPDATE, airflow's parameters): MariaDB refuses Alembic's '...+00:00'
        text = _DATETIME_OFFSET.sub(r"'\1'", text)
    return _DOUBLE_TERMINATOR.sub(";", text)


def _blocks(text: str, direction: str) -> list[str]:
    """``text`` cut before each ``-- Running <direction>`` line (the first piece is the preamble)."""
    return re.split(rf"(?m)^(?=-- Running {direction} )", text)


def _is_revision_block(block: str, direction: str, revision: str) -> bool:
    header = block.split("\n", 1)[0]
    low, _, high = header[len(f"-- Running {direction} "):].partition(" -> ")
    return (high if direction == "upgrade" else low).split(", ") == [revision]


def _literal(value: Any, dialect: str) -> str:
    """``value`` as SQLAlchemy writes it as a literal for ``dialect`` (how limbeck inlines a parameter)."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import registry

    from limbeck.dialects import behaviour_class

    if isinstance(value, datetime.datetime):
        own = behaviour_class(dialect).datetime_literal(value)
        if own is not None:
            return own
    compiled = sa.literal(value).compile(dialect=registry.load(dialect)(), compile_kwargs={"literal_binds": True})
    return str(compiled)


def _undo(block: str, departure: Departure, dialect: str) -> str:
    if isinstance(departure, WrittenParameters):
        for value in departure.values:
            # only where it stands as a value (after "=", "(" or ","), a whole token: a literal
            # 0 is not the 0 of a quoted '001', nor '{}' the server default DEFAULT '{}'
            literal = _UUID.pattern if value is FRESH_UUID else re.escape(_literal(value, dialect))
            block = re.sub(rf"(?<=[=(,] ){literal}(?![\w'])|(?<=[(,]){literal}(?![\w'])", "NULL", block)
        return block
    if isinstance(departure, DelimitedBody):
        return _DELIMITED.sub(lambda m: m["body"] + ";", block)
    assert isinstance(departure, StaleCheck)
    return block.replace(f"ALTER TABLE {departure.table} DROP CHECK {departure.name};\n\n", "", 1)


#: a text between the mysql client's DELIMITER lines (limbeck's departure: DelimitedBody)
_DELIMITED = re.compile(r"^DELIMITER (?P<mark>\S+)\n(?P<body>.*?)\n(?P=mark)\nDELIMITER ;$", re.MULTILINE | re.DOTALL)


def limbeck_departures(text: str, departures: Sequence[Departure], direction: str, dialect: str) -> tuple[str, set[Departure]]:
    """limbeck's script with ``departures`` undone, and those it found (each in its revision's block)."""
    blocks, found = _blocks(text, direction), set()
    for index, block in enumerate(blocks):
        for departure in departures:
            if _is_revision_block(block, direction, departure.revision):
                undone = _undo(block, departure, dialect)
                if undone != block:
                    found.add(departure)
                blocks[index] = block = undone
    return "".join(blocks), found


# Set order in listings: a revision's branch labels are a set, printed by
# Alembic in its iteration order, which for strings changes with hash
# randomisation from one process to the next; limbeck prints them sorted
# (README: "sets (branch labels, ...) are printed sorted"). The labels are
# the parenthesised list right after the revision id (not a down revision's depends_on,
# which "history" prints in the same form before " -> ").
_LABELS = re.compile(r"(^|-> )([\w.]+) \(([^()]*, [^()]*)\)(?! -> )", re.MULTILINE)


def alembic_listing(text: str) -> str:
    """Alembic's ``heads``/``history`` output with each revision's branch labels sorted."""
    return _LABELS.sub(lambda m: f"{m[1]}{m[2]} ({', '.join(sorted(m[3].split(', ')))})", text)
