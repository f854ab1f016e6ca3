"""SQLite: what its ALTER TABLE can do in place, and a clear error for the rest.

https://www.sqlite.org/lang_altertable.html: rename a table, rename, add and
drop a column. Everything else needs the table rebuilt (batch mode).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn, Why

from limbeck.errors import UnsupportedOperation


def _table(*columns: sa.Column[Any], checks: tuple[sa.CheckConstraint, ...] = ()) -> sa.Table:
    """``t (id INTEGER PRIMARY KEY, *columns)`` as a batch's ``copy_from``."""
    return sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), *columns, *checks)


def _retype(old: Any, new: Any) -> Callable[[Any], None]:
    """A batch that changes column ``c`` from ``old`` to ``new`` (the copy's CAST is the point)."""

    def fn(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=_table(sa.Column("c", old))) as b:
            b.alter_column("c", type_=new)

    return fn


def _checked() -> sa.Table:
    """A column-level named CHECK, an unnamed table-level one, and one naming two columns."""
    return _table(
        sa.Column("y", sa.Integer, sa.CheckConstraint("y > 0", name="ck_y")),
        sa.Column("z", sa.Integer),
        checks=(sa.CheckConstraint('"y" < 100 AND z <> \'y\''),),
    )


def _batch(table: Callable[[], sa.Table], change: Callable[[Any], None], **kw: Any) -> Callable[[Any], None]:
    def fn(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=table(), **kw) as b:
            change(b)

    return fn


def _copy(columns: str, select: str, create: str) -> list[str]:
    """The statements of a rebuild of ``t``."""
    return [
        f"CREATE TABLE _alembic_tmp_t (\n{create}\n)",
        f"INSERT INTO _alembic_tmp_t ({columns}) SELECT {select} \nFROM t",
        "DROP TABLE t",
        "ALTER TABLE _alembic_tmp_t RENAME TO t",
    ]


def _copy_c(type_sql: str, select_c: str) -> list[str]:
    return _copy("id, c", f"t.id, {select_c}", f"    id INTEGER NOT NULL, \n    c {type_sql}, \n    PRIMARY KEY (id)")


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
            "sqlite": Warn("autoincrement and existing_autoincrement only make sense for MySQL", ()),
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
        "add_column_not_null_without_default",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, nullable=False)),
        {
            # SQLite takes it while the table is empty; online a refusal gets the remedy, offline lint LB004
            "sqlite": "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL",
        },
    ),
    Case(
        "add_column_stored_not_null",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, sa.Computed("id * 2", persisted=True), nullable=False)),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL GENERATED ALWAYS AS (id * 2) STORED",
        },
    ),
    Case(
        "batch_add_stored_column_rebuilds",
        _batch(lambda: _table(sa.Column("a", sa.Integer)),
               lambda b: b.add_column(sa.Column("c", sa.Integer, sa.Computed("a + 1", persisted=True)))),
        {
            "sqlite": _copy(
                "id, a", "t.id, t.a",
                "    id INTEGER NOT NULL, \n    a INTEGER, \n    c INTEGER GENERATED ALWAYS AS (a + 1) STORED, \n"
                "    PRIMARY KEY (id)",
            ),
        },
    ),
    Case(
        "batch_add_not_null_column_alters",
        _batch(lambda: _table(sa.Column("a", sa.Integer)), lambda b: b.add_column(sa.Column("c", sa.Integer, nullable=False))),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL",
        },
    ),
    Case(
        "batch_recreate_never_drop_column",
        lambda op: _batch(lambda: _table(sa.Column("c", sa.Integer)), lambda b: b.drop_column("c"), recreate="never")(op),
        {
            "sqlite": "ALTER TABLE t DROP COLUMN c",
        },
    ),
    Case(
        "batch_recreate_never_rename_column",
        _batch(lambda: _table(sa.Column("c", sa.Integer)), lambda b: b.alter_column("c", new_column_name="d"),
               recreate="never"),
        {
            "sqlite": "ALTER TABLE t RENAME COLUMN c TO d",
        },
    ),
    Case(
        "batch_text_to_json_copies_as_is",
        _retype(sa.Text(), sa.JSON()),
        {
            "sqlite": _copy_c("JSON", "t.c"),
        },
    ),
    Case(
        "batch_integer_to_json_copies_as_is",
        _retype(sa.Integer(), sa.JSON()),
        {
            "sqlite": _copy_c("JSON", "t.c"),
        },
    ),
    Case(
        "batch_string_to_integer_copies_as_is",
        _retype(sa.String(20), sa.Integer()),
        {
            "sqlite": _copy_c("INTEGER", "t.c"),
        },
        differs={
            "sqlite": Why.SQLITE_CAST,
        },
    ),
    Case(
        "batch_datetime_to_date_copies_as_is",
        _retype(sa.DateTime(), sa.Date()),
        {
            "sqlite": _copy_c("DATE", "t.c"),
        },
        differs={
            "sqlite": Why.SQLITE_CAST,
        },
    ),
    Case(
        "batch_text_to_boolean_copies_as_is",
        _retype(sa.Text(), sa.Boolean()),
        {
            "sqlite": _copy_c("BOOLEAN", "t.c"),
        },
        differs={
            "sqlite": Why.SQLITE_CAST,
        },
    ),
    Case(
        "batch_numeric_to_float_casts",
        _retype(sa.Numeric(10, 2), sa.Float()),
        {
            "sqlite": _copy_c("FLOAT", "CAST(t.c AS FLOAT) AS c"),
        },
    ),
    Case(
        "batch_integer_to_boolean_casts",
        _retype(sa.Integer(), sa.Boolean()),
        {
            "sqlite": _copy_c("BOOLEAN", "CAST(t.c AS BOOLEAN) AS c"),
        },
    ),
    Case(
        "batch_datetime_to_string_casts",
        _retype(sa.DateTime(), sa.String(30)),
        {
            "sqlite": _copy_c("VARCHAR(30)", "CAST(t.c AS VARCHAR(30)) AS c"),
        },
    ),
    Case(
        "batch_text_to_binary_casts",
        _retype(sa.Text(), sa.LargeBinary()),
        {
            "sqlite": _copy_c("BLOB", "CAST(t.c AS BLOB) AS c"),
        },
    ),
    Case(
        "batch_copy_from_keeps_checks",
        _batch(_checked, lambda b: b.alter_column("z", nullable=False, existing_type=sa.Integer)),
        {
            "sqlite": _copy(
                "id, y, z", "t.id, t.y, t.z",
                "    id INTEGER NOT NULL, \n    y INTEGER CONSTRAINT ck_y CHECK (y > 0), \n    z INTEGER NOT NULL, \n"
                "    PRIMARY KEY (id), \n    CHECK (\"y\" < 100 AND z <> 'y')",
            ),
        },
    ),
    Case(
        "batch_rename_inside_checks",
        _batch(_checked, lambda b: b.alter_column("y", new_column_name="Why")),
        {
            "sqlite": _copy(
                'id, "Why", z', "t.id, t.y, t.z",
                '    id INTEGER NOT NULL, \n    "Why" INTEGER CONSTRAINT ck_y CHECK ("Why" > 0), \n    z INTEGER, \n'
                "    PRIMARY KEY (id), \n    CHECK (\"Why\" < 100 AND z <> 'y')",
            ),
        },
        differs={
            "sqlite": Why.CHECK_RENAME,
        },
    ),
    Case(
        "batch_drop_column_level_check",
        _batch(_checked, lambda b: b.drop_constraint("ck_y", type_="check")),
        {
            "sqlite": _copy(
                "id, y, z", "t.id, t.y, t.z",
                "    id INTEGER NOT NULL, \n    y INTEGER, \n    z INTEGER, \n    PRIMARY KEY (id), \n"
                "    CHECK (\"y\" < 100 AND z <> 'y')",
            ),
        },
    ),
    Case(
        "batch_drop_column_named_in_check",
        _batch(_checked, lambda b: b.drop_column("z")),
        {
            "sqlite": Warn(
                "CHECK constraint (\"y\" < 100 AND z <> 'y') names the dropped column 'z' and is dropped with it",
                _copy("id, y", "t.id, t.y",
                      "    id INTEGER NOT NULL, \n    y INTEGER CONSTRAINT ck_y CHECK (y > 0), \n    PRIMARY KEY (id)"),
            ),
        },
        differs={
            "sqlite": Why.CHECK_DROPPED_COLUMN,
        },
    ),
    Case(
        "create_check_constraint",
        lambda op: op.create_check_constraint("ck", "t", "a > 0"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
        },
    ),
    Case(
        "drop_constraint",
        lambda op: op.drop_constraint("uq", "t", type_="unique"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
        },
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)
