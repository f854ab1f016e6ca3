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


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a INT DEFAULT '(,)', b NUMERIC(12, 2), CHECK (a IN (1,2)), c TEXT",
         ["a INT DEFAULT '(,)'", "b NUMERIC(12, 2)", "CHECK (a IN (1,2))", "c TEXT"]),
        ("a TEXT DEFAULT 'it''s, (not) a cut', b INT", ["a TEXT DEFAULT 'it''s, (not) a cut'", "b INT"]),
        ("a TEXT DEFAULT '''', b INT", ["a TEXT DEFAULT ''''", "b INT"]),
        ("a TEXT DEFAULT 'open, never closed", ["a TEXT DEFAULT 'open, never closed"]),
        ("", []),
    ],
)
def test_top_level_cuts_and_closing_skip_literals(text: str, parts: list[str]) -> None:
    """The scan reads only parentheses, commas and quotes; literals are data however they look."""
    from limbeck.operations.written_ddl import closing, literal_end, split_top_level

    assert split_top_level(text) == parts
    assert closing(f"({text})", 0) == (len(text) + 1 if text.count("'") % 2 == 0 else -1)
    assert closing("(a, (b), ')') x", 0) == 12
    assert literal_end("'a''b' x", 0) == 6 and literal_end("'abc", 0) == 4
