"""What SQLAlchemy's reflection loses where the catalog keeps DDL as written (SQLite), read back.

SQLite keeps each ``CREATE TABLE`` and ``CREATE INDEX`` in ``sqlite_master``
as it was written. SQLAlchemy skips expression indexes (with a warning),
reports ``x DESC`` as plain ``x``, and misses a generation expression after
a type with a comma (``NUMERIC(12, 2) GENERATED ALWAYS AS (...)`` comes
back as ``""``). A reflected table that is to be rebuilt (batch mode) or
compared (autogenerate) gets them back from those statements, so a rebuild
keeps its indexes and a comparison sees them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

_CREATE_INDEX = re.compile(
    r"^\s*CREATE\s+(?P<unique>UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?.+?\s+ON\s+[^(]+?\s*\(",
    re.IGNORECASE | re.DOTALL,
)
_WHERE = re.compile(r"^\s*WHERE\s+(?P<where>.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL)
_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\s+AS\s*\(|\bAS\s*\(", re.IGNORECASE)
_DEFINED_NAME = re.compile(r'^\s*("[^"]+"|`[^`]+`|\[[^\]]+\]|\w+)')
_COLUMN_NAME = re.compile(r'\w+|"[^"]+"|`[^`]+`|\[[^\]]+\]')
#: the warning SQLAlchemy gives for each expression index it skips
SKIPPED_INDEX_WARNING = "Skipped unsupported reflection of expression-based index"


def literal_end(text: str, start: int) -> int:
    """The index just past the string literal opening at ``start`` (``''`` is a quote inside)."""
    i = start + 1
    while True:
        i = text.find("'", i)
        if i < 0:
            return len(text)
        if text.startswith("'", i + 1):
            i += 2
            continue
        return i + 1


_SIGNIFICANT = re.compile(r"[(),']")


def _structure(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) for the parentheses and commas outside string literals.

    Only those: the callers look for nothing else, and a step per character of every
    ``CREATE TABLE`` a batch rebuild reads back was most of the time it spent here.
    """
    depth = 0
    search = _SIGNIFICANT.search
    match = search(text, start)
    while match is not None:
        i = match.start()
        ch = text[i]
        if ch == "'":
            match = search(text, literal_end(text, i))
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        yield i, ch, depth
        match = search(text, i + 1)


def closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one at ``start`` (-1 if none)."""
    for i, ch, depth in _structure(text, start):
        if ch == ")" and depth == 0:
            return i
    return -1


def split_top_level(text: str) -> list[str]:
    """``text`` cut at the commas outside parentheses and string literals."""
    cuts = [i for i, ch, depth in _structure(text) if ch == "," and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(text)])
    return [part for a, b in bounds if (part := text[a + 1:b].strip())]


@dataclass(frozen=True)
class IndexSQL:
    """A ``CREATE INDEX`` statement taken apart, its pieces as written."""

    unique: bool
    elements: tuple[str, ...]
    where: str | None

    @property
    def plain(self) -> bool:
        """Whether every element is a bare column name (what reflection reports faithfully)."""
        return all(_COLUMN_NAME.fullmatch(e) for e in self.elements)


def parse_create_index(sql: str) -> IndexSQL | None:
    """The pieces of ``CREATE [UNIQUE] INDEX name ON table (elements) [WHERE condition]``."""
    match = _CREATE_INDEX.match(sql)
    if match is None:
        return None
    open_at = match.end() - 1
    close_at = closing(sql, open_at)
    if close_at < 0:
        return None
    rest = sql[close_at + 1:]
    where = _WHERE.match(rest)
    if rest.strip().rstrip(";").strip() and where is None:
        return None
    return IndexSQL(
        unique=bool(match.group("unique")),
        elements=tuple(split_top_level(sql[open_at + 1:close_at])),
        where=where.group("where") if where else None,
    )


def generated_expressions(create_table: str) -> dict[str, str]:
    """Column name -> generation expression, from a ``CREATE TABLE`` statement as written."""
    open_at = create_table.find("(")
    close_at = closing(create_table, open_at) if open_at >= 0 else -1
    if close_at < 0:
        return {}
    found: dict[str, str] = {}
    for definition in split_top_level(create_table[open_at + 1:close_at]):
        name = _DEFINED_NAME.match(definition)
        match = _GENERATED.search(definition)
        if name is None or match is None or name.group(1).upper() in ("CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE"):
            continue
        start = match.end() - 1
        end = closing(definition, start)
        if end > start:
            found[name.group(1).strip('"`[]')] = definition[start + 1:end].strip()
    return found


_COLLATE = re.compile(r'\bCOLLATE\s+("[^"]+"|`[^`]+`|\[[^\]]+\]|\w+)', re.IGNORECASE)
_AUTOINCREMENT = re.compile(r"\bAUTOINCREMENT\b", re.IGNORECASE)


def _without_literals(text: str) -> str:
    """``text`` with every string literal emptied (so a keyword inside a default is not taken)."""
    out, i = [], 0
    while (start := text.find("'", i)) >= 0:
        end = literal_end(text, start)
        out.append(text[i:start] + "''")
        i = end
    return "".join(out) + text[i:]


def table_details(create_table: str) -> tuple[bool, dict[str, str]]:
    """(whether the table is AUTOINCREMENT, column name -> COLLATE), from a ``CREATE TABLE`` as written."""
    open_at = create_table.find("(")
    close_at = closing(create_table, open_at) if open_at >= 0 else -1
    if close_at < 0:
        return False, {}
    body = _without_literals(create_table[open_at + 1:close_at])
    collations: dict[str, str] = {}
    for definition in split_top_level(body):
        name = _DEFINED_NAME.match(definition)
        collate = _COLLATE.search(definition)
        if name is None or collate is None or name.group(1).upper() in ("CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE"):
            continue
        collations[name.group(1).strip('"`[]')] = collate.group(1).strip('"`[]')
    return bool(_AUTOINCREMENT.search(body)), collations


def written_ddl(connection: Connection, table: Table, query: str) -> list[tuple[str, str, str]]:
    """(type, name, sql) of each statement the catalog keeps for ``table``."""
    # SQLAlchemy only when reading a catalog: `limbeck revision` imports autogenerate (and this) without it
    from sqlalchemy import text

    preparer = connection.dialect.identifier_preparer
    schema = f"{preparer.quote_schema(table.schema)}." if table.schema else ""
    rows = connection.execute(text(query.format(schema=schema)), {"table": table.name}).all()
    return [(str(kind), str(name), str(sql)) for kind, name, sql in rows if sql]


def _index(table: Table, name: str, parsed: IndexSQL) -> Any:
    # SQLAlchemy only when reading a catalog: `limbeck revision` imports autogenerate (and this) without it
    from sqlalchemy import Index, literal_column, text
    from sqlalchemy.sql.elements import conv

    kw: dict[str, Any] = {"sqlite_where": text(parsed.where)} if parsed.where else {}
    return Index(conv(name), *[literal_column(e) for e in parsed.elements], unique=parsed.unique, _table=table, **kw)


def restore_reflected(
    connection: Connection, table: Table, query: str, *, rebuild: bool = False, autoincrement_kwarg: str | None = None
) -> dict[str, IndexSQL]:
    """Put back into ``table`` what reflection lost; return its index statements by name.

    ``rebuild``: the table is to be recreated from it (batch mode), so it also
    gets back the column ``COLLATE`` clauses and the table's
    ``AUTOINCREMENT`` (as the table keyword ``autoincrement_kwarg``), which
    SQLite reflection does not report: without them the new table would
    compare text case-sensitively where the old one did not, and reuse the
    ids of deleted rows.
    """
    # SQLAlchemy only when reading a catalog: `limbeck revision` imports autogenerate (and this) without it
    from sqlalchemy import String, text

    indexes: dict[str, IndexSQL] = {}
    generated: dict[str, str] = {}
    autoincrement, collations = False, dict[str, str]()
    for kind, name, sql in written_ddl(connection, table, query):
        if kind == "table":
            generated = generated_expressions(sql)
            autoincrement, collations = table_details(sql)
        elif kind == "index" and (parsed := parse_create_index(sql)) is not None:
            indexes[name] = parsed
    if rebuild:
        for column in table.c:
            collation = collations.get(column.name)
            if collation is not None and isinstance(column.type, String) and column.type.collation is None:
                column.type.collation = collation
        if autoincrement and autoincrement_kwarg is not None:
            table.dialect_kwargs[autoincrement_kwarg] = True
    for name, parsed in indexes.items():
        found = next((ix for ix in table.indexes if ix.name == name), None)
        if found is not None and parsed.plain:
            continue
        if found is not None:
            table.indexes.discard(found)
        _index(table, name, parsed)
    for column in table.c:
        if column.computed is not None and not str(column.computed.sqltext).strip() and column.name in generated:
            column.computed.sqltext = text(generated[column.name])
    return indexes


def reflect_quietly(reflect: Any, *args: Any, **kw: Any) -> Any:
    """``reflect(*args, **kw)`` without SQLAlchemy's warning for the indexes restored here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=SKIPPED_INDEX_WARNING)
        return reflect(*args, **kw)


__all__ = [
    "IndexSQL",
    "closing",
    "generated_expressions",
    "literal_end",
    "parse_create_index",
    "reflect_quietly",
    "restore_reflected",
    "split_top_level",
    "table_details",
    "written_ddl",
]
