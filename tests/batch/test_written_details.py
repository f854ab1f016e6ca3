"""What a SQLite rebuild reads back from the table's definition: column COLLATE clauses and AUTOINCREMENT.

SQLite's reflection reports neither; a rebuilt table without them compares
text case-sensitively where the old one did not, and reuses the ids of
deleted rows (``tests/batch/test_roundtrip_parity.py`` shows both online).
"""

from __future__ import annotations

import pytest

from limbeck.operations.written_ddl import table_details


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT COLLATE NOCASE)", (True, {"a": "NOCASE"})),
        ('CREATE TABLE "t" ("my col" VARCHAR(5) COLLATE "RTRIM" NOT NULL, b INT)', (False, {"my col": "RTRIM"})),
        # inside a default or a CHECK's literal the words are data
        ("CREATE TABLE t (a TEXT DEFAULT 'x COLLATE NOCASE AUTOINCREMENT', b TEXT, CHECK (b <> 'COLLATE y'))",
         (False, {})),
        ("CREATE TABLE t (a TEXT, CONSTRAINT uq UNIQUE (a COLLATE NOCASE))", (False, {})),
        ("CREATE TABLE t (a TEXT COLLATE BINARY DEFAULT 'it''s', `b` TEXT COLLATE nocase)",
         (False, {"a": "BINARY", "b": "nocase"})),
        ("not a create table", (False, {})),
    ],
)
def test_table_details(sql: str, expected: tuple[bool, dict[str, str]]) -> None:
    assert table_details(sql) == expected
