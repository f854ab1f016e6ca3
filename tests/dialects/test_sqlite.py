"""SQLite: what its ALTER TABLE can do in place, and a clear error for the rest.

https://www.sqlite.org/lang_altertable.html: rename a table, rename, add and
drop a column. Everything else needs the table rebuilt (batch mode).
"""

from __future__ import annotations

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn, Why

from limbeck.errors import UnsupportedOperation

CASES = [
    Case(
        "alter_column_nullable",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite's ALTER TABLE cannot change nullable"),
        },
        differs={
            "sqlite": Why.SQLITE_BATCH,
        },
    ),
    Case(
        "alter_column_type",
        lambda op: op.alter_column("t", "c", type_=sa.String(20), existing_type=sa.Integer),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite's ALTER TABLE cannot change type_"),
        },
        differs={
            "sqlite": Why.SQLITE_BATCH,
        },
    ),
    Case(
        "alter_column_server_default",
        lambda op: op.alter_column("t", "c", server_default="x"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite's ALTER TABLE cannot change server_default"),
        },
        differs={
            "sqlite": Why.SQLITE_BATCH,
        },
    ),
    Case(
        "alter_column_drop_server_default",
        lambda op: op.alter_column("t", "c", server_default=None),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite's ALTER TABLE cannot change server_default"),
        },
        differs={
            "sqlite": Why.SQLITE_BATCH,
        },
    ),
    Case(
        "alter_column_comment",
        lambda op: op.alter_column("t", "c", comment="x", existing_type=sa.Integer),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite does not store column comments"),
        },
    ),
    Case(
        "alter_column_rename",
        lambda op: op.alter_column("t", "c", new_column_name="d"),
        {
            "sqlite": "ALTER TABLE t RENAME COLUMN c TO d",
        },
    ),
    Case(
        "alter_column_rename_schema_quoting",
        lambda op: op.alter_column("Order", "select", new_column_name="From", schema="main"),
        {
            "sqlite": 'ALTER TABLE main."Order" RENAME COLUMN "select" TO "From"',
        },
    ),
    Case(
        "alter_column_rename_and_nullable",
        lambda op: op.alter_column("t", "c", new_column_name="d", nullable=True, existing_type=sa.Integer),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite's ALTER TABLE cannot change nullable"),
        },
        differs={
            "sqlite": Why.SQLITE_BATCH,
        },
    ),
    Case(
        "alter_column_nothing",
        lambda op: op.alter_column("t", "c", existing_type=sa.Integer),
        {
            "sqlite": (),
        },
    ),
    Case(
        "alter_column_autoincrement",
        lambda op: op.alter_column("t", "c", autoincrement=True, existing_type=sa.Integer),
        {
            "sqlite": Warn("autoincrement= and existing_autoincrement= only apply to MySQL and wer", ()),
        },
    ),
    Case(
        "create_index_partial",
        lambda op: op.create_index("ix", "t", ["a"], sqlite_where=sa.text("a > 5")),
        {
            "sqlite": "CREATE INDEX ix ON t (a) WHERE a > 5",
        },
    ),
    Case(
        "create_table_autoincrement",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sqlite_autoincrement=True),
        {
            "sqlite": "CREATE TABLE t (\n    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n)",
        },
    ),
    Case(
        "add_column_fk_deferrable",
        lambda op: op.add_column(
            "t", sa.Column("o", sa.Integer, sa.ForeignKey("o.id", deferrable=True, initially="DEFERRED"))
        ),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN o INTEGER REFERENCES o (id) DEFERRABLE INITIALLY DEFERRED",
        },
        differs={
            "sqlite": Why.SQLITE_FK_INLINE,
        },
    ),
    Case(
        "add_column_fk_other_schema",
        lambda op: op.add_column("t", sa.Column("o", sa.Integer, sa.ForeignKey("aux.o.id"))),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN o INTEGER REFERENCES o (id)",
        },
        differs={
            "sqlite": Why.SQLITE_FK_INLINE,
        },
    ),
    Case(
        "create_check_constraint",
        lambda op: op.create_check_constraint("ck", "t", "a > 0"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite cannot add or drop constraints of an existing table"),
        },
    ),
    Case(
        "drop_constraint",
        lambda op: op.drop_constraint("uq", "t", type_="unique"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite cannot add or drop constraints of an existing table"),
        },
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)
