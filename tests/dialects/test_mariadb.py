"""MariaDB where it differs from MySQL: IF [NOT] EXISTS clauses, DROP CONSTRAINT, ``mariadb_*`` keywords.

https://mariadb.com/kb/en/alter-table/
"""

from __future__ import annotations

from typing import Any

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case

def _text_to_json(op: Any) -> None:
    source = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("c", sa.Text))
    with op.batch_alter_table("t", copy_from=source, recreate="always") as b:
        b.alter_column("c", type_=sa.JSON, existing_type=sa.Text)


def _rebuild(select_c: str) -> list[str]:
    return [
        "CREATE TABLE _alembic_tmp_t (\n    id INTEGER NOT NULL AUTO_INCREMENT, \n    c JSON, \n    PRIMARY KEY (id)\n)",
        f"INSERT INTO _alembic_tmp_t (id, c) SELECT t.id, {select_c} \nFROM t",
        "DROP TABLE t",
        "ALTER TABLE _alembic_tmp_t RENAME TO t",
    ]


CASES = [
    Case(
        "batch_text_to_json_copies_without_cast",
        _text_to_json,
        {
            "mysql": _rebuild("CAST(t.c AS JSON) AS c"),
            "mariadb": _rebuild("t.c"),
        },
        differs={
            "mariadb": "MariaDB has no CAST(x AS JSON) (a syntax error); its JSON column checks the copied "
                       "documents itself",
        },
    ),
    Case(
        "add_column_if_not_exists",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer), if_not_exists=True),
        {
            "mariadb": "ALTER TABLE t ADD COLUMN IF NOT EXISTS c INTEGER",
        },
    ),
    Case(
        "drop_column_if_exists",
        lambda op: op.drop_column("t", "c", if_exists=True),
        {
            "mariadb": "ALTER TABLE t DROP COLUMN IF EXISTS c",
        },
    ),
    Case(
        "create_index_if_not_exists",
        lambda op: op.create_index("ix", "t", ["a"], if_not_exists=True),
        {
            "mariadb": "CREATE INDEX IF NOT EXISTS ix ON t (a)",
        },
    ),
    Case(
        "drop_index_if_exists",
        lambda op: op.drop_index("ix", table_name="t", if_exists=True),
        {
            "mariadb": "DROP INDEX IF EXISTS ix ON t",
        },
    ),
    Case(
        "drop_unique_if_exists",
        lambda op: op.drop_constraint("uq", "t", type_="unique", if_exists=True),
        {
            "mariadb": "ALTER TABLE t DROP INDEX IF EXISTS uq",
        },
        differs={
            "mariadb": "MariaDB has DROP INDEX IF EXISTS (Alembic drops the clause)",
        },
    ),
    Case(
        "drop_check_if_exists",
        lambda op: op.drop_constraint("ck", "t", type_="check", if_exists=True),
        {
            "mariadb": "ALTER TABLE t DROP CONSTRAINT IF EXISTS ck",
        },
        differs={
            "mariadb": "MariaDB has DROP CONSTRAINT IF EXISTS (Alembic drops the clause)",
        },
    ),
    Case(
        "drop_check",
        lambda op: op.drop_constraint("ck", "t", type_="check"),
        {
            "mariadb": "ALTER TABLE t DROP CONSTRAINT ck",
        },
    ),
    Case(
        "create_index_mariadb_keywords",
        lambda op: op.create_index("ix", "t", ["a"], mariadb_length=10, mariadb_using="hash"),
        {
            "mariadb": "CREATE INDEX ix ON t (a(10)) USING hash",
        },
    ),
    Case(
        "create_table_mariadb_engine",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer), mariadb_engine="Aria"),
        {
            "mariadb": "CREATE TABLE t (\n    id INTEGER\n)ENGINE=Aria",
        },
    ),
    Case(
        "create_table_both_keywords",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer), mysql_engine="InnoDB", mariadb_engine="Aria"),
        {
            "mariadb": "CREATE TABLE t (\n    id INTEGER\n)ENGINE=Aria",
        },
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)
