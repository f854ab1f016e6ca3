"""MySQL (and MariaDB where they agree): CHANGE / MODIFY restating the whole column.

https://dev.mysql.com/doc/refman/8.0/en/alter-table.html. MariaDB-only
behaviour is in ``test_mariadb.py``.
"""

from __future__ import annotations

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn, Why
from sqlalchemy.dialects import mysql

from limbeck.errors import CommandError, UnsupportedOperation

CASES = [
    Case(
        "alter_column_not_null",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c INTEGER NOT NULL",
        },
    ),
    Case(
        "alter_column_null_keeps_default_comment",
        lambda op: op.alter_column(
            "t", "c", nullable=True, existing_type=sa.String(20), existing_server_default="x", existing_comment="it's"
        ),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c VARCHAR(20) NULL DEFAULT 'x' COMMENT 'it''s'",
        },
    ),
    Case(
        "alter_column_needs_existing_type",
        lambda op: op.alter_column("t", "c", nullable=False),
        {
            "mysql": Error(CommandError, "All MySQL CHANGE/MODIFY COLUMN operations require the existing type."),
            "mariadb": Error(CommandError, "All MySQL CHANGE/MODIFY COLUMN operations require the existing type."),
        },
    ),
    Case(
        "alter_column_type_keeps_nullability",
        lambda op: op.alter_column("t", "c", type_=sa.String(20), existing_type=sa.Integer, existing_nullable=False),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c VARCHAR(20) NOT NULL",
        },
    ),
    Case(
        "alter_column_type_nullability_unknown",
        lambda op: op.alter_column("t", "c", type_=sa.BigInteger, existing_type=sa.Integer),
        {
            "mysql": Warn(
                "neither nullable= nor existing_nullable= given: CHANGE/MODIFY makes th",
                "ALTER TABLE t MODIFY c BIGINT NULL",
            ),
            "mariadb": Warn(
                "neither nullable= nor existing_nullable= given: CHANGE/MODIFY makes th",
                "ALTER TABLE t MODIFY c BIGINT NULL",
            ),
        },
    ),
    Case(
        "alter_column_type_enum",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Enum("a", "b"), existing_type=sa.String(20), existing_nullable=True
        ),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c ENUM('a','b') NULL",
        },
    ),
    Case(
        "alter_column_rename",
        lambda op: op.alter_column("t", "c", new_column_name="d", existing_type=sa.Integer, existing_nullable=True),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c d INTEGER NULL",
        },
    ),
    Case(
        "alter_column_rename_full",
        lambda op: op.alter_column(
            "t",
            "c",
            new_column_name="d",
            existing_type=sa.String(20),
            existing_nullable=False,
            existing_server_default="x",
            existing_comment="cm",
        ),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c d VARCHAR(20) NOT NULL DEFAULT 'x' COMMENT 'cm'",
        },
    ),
    Case(
        "alter_column_rename_needs_existing_type",
        lambda op: op.alter_column("t", "c", new_column_name="d"),
        {
            "mysql": Error(CommandError, "All MySQL CHANGE/MODIFY COLUMN operations require the existing type."),
            "mariadb": Error(CommandError, "All MySQL CHANGE/MODIFY COLUMN operations require the existing type."),
        },
    ),
    Case(
        "alter_column_rename_quoting_schema",
        lambda op: op.alter_column(
            "Order", "select", new_column_name="From", existing_type=sa.Integer, existing_nullable=False, schema="s"
        ),
        {
            "mysql mariadb": "ALTER TABLE s.`Order` CHANGE `select` `From` INTEGER NOT NULL",
        },
    ),
    Case(
        "alter_column_comment",
        lambda op: op.alter_column("t", "c", comment="new", existing_type=sa.Integer, existing_nullable=True),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c INTEGER NULL COMMENT 'new'",
        },
    ),
    Case(
        "alter_column_drop_comment",
        lambda op: op.alter_column(
            "t", "c", comment=None, existing_type=sa.Integer, existing_nullable=True, existing_comment="old"
        ),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c INTEGER NULL",
        },
    ),
    Case(
        "alter_column_comment_text_default",
        lambda op: op.alter_column(
            "t",
            "c",
            comment="x",
            existing_type=sa.DateTime,
            existing_nullable=False,
            existing_server_default=sa.text("CURRENT_TIMESTAMP"),
        ),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'x'",
        },
    ),
    Case(
        "alter_column_default_only",
        lambda op: op.alter_column("t", "c", server_default="x"),
        {
            "mysql mariadb": "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'",
        },
    ),
    Case(
        "alter_column_default_only_text",
        lambda op: op.alter_column("t", "c", server_default=sa.text("0"), existing_type=sa.Integer),
        {
            "mysql mariadb": "ALTER TABLE t ALTER COLUMN c SET DEFAULT 0",
        },
    ),
    Case(
        "alter_column_drop_default",
        lambda op: op.alter_column("t", "c", server_default=None, existing_type=sa.Integer),
        {
            "mysql mariadb": "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
        },
    ),
    Case(
        "alter_column_default_and_rename",
        lambda op: op.alter_column(
            "t", "c", server_default="x", new_column_name="d", existing_type=sa.Integer, existing_nullable=True
        ),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c d INTEGER NULL DEFAULT 'x'",
        },
    ),
    Case(
        "alter_column_type_and_default",
        lambda op: op.alter_column(
            "t", "c", type_=sa.String(20), server_default="q", existing_type=sa.Integer, existing_nullable=True
        ),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c VARCHAR(20) NULL DEFAULT 'q'",
        },
    ),
    Case(
        "alter_column_datetime_not_null",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.DateTime()),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c c DATETIME NOT NULL",
        },
    ),
    Case(
        "alter_column_datetime_type",
        lambda op: op.alter_column(
            "t", "c", type_=mysql.DATETIME(fsp=6), existing_type=sa.Integer, existing_nullable=True,
            existing_server_default="0",
        ),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c c DATETIME(6) NULL DEFAULT '0'",
        },
    ),
    Case(
        "alter_column_datetime_drop_default_modifies",
        lambda op: op.alter_column(
            "t", "c", nullable=False, server_default=None, existing_type=sa.TIMESTAMP(), existing_comment="x"
        ),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c TIMESTAMP NOT NULL COMMENT 'x'",
        },
    ),
    Case(
        "alter_column_datetime_literal_default",
        lambda op: op.alter_column(
            "t", "c", server_default="2020-01-01 00:00:00", existing_type=sa.DateTime(), existing_nullable=False
        ),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c c DATETIME NOT NULL DEFAULT '2020-01-01 00:00:00'",
        },
    ),
    Case(
        "alter_column_datetime_now",
        lambda op: op.alter_column(
            "t", "c", server_default=sa.text("NOW()"), existing_type=sa.DateTime(), existing_nullable=True
        ),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c c DATETIME NULL DEFAULT NOW()",
        },
    ),
    Case(
        "alter_column_datetime_func_nullability_unknown",
        lambda op: op.alter_column("t", "c", server_default=sa.func.now(), existing_type=sa.DateTime()),
        {
            "mysql mariadb": Warn(
                "neither nullable= nor existing_nullable= given", "ALTER TABLE t CHANGE c c DATETIME NULL DEFAULT now()"
            ),
        },
    ),
    Case(
        "alter_column_on_update",
        lambda op: op.alter_column(
            "t", "c", server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
            existing_type=sa.TIMESTAMP(), existing_nullable=False,
        ),
        {
            "mysql mariadb": (
                "ALTER TABLE t CHANGE c c TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"
            ),
        },
    ),
    Case(
        "alter_column_on_update_type_class",
        lambda op: op.alter_column(
            "t", "c", server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
            existing_type=sa.TIMESTAMP, existing_nullable=True,
        ),
        {
            "mysql mariadb": (
                "ALTER TABLE t CHANGE c c TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"
            ),
        },
        differs={
            "mysql mariadb": Why.MYSQL_ON_UPDATE,
        },
    ),
    Case(
        "alter_column_on_update_needs_type",
        lambda op: op.alter_column("t", "c", server_default=sa.text("now() on update now()")),
        {
            "mysql": Error(CommandError, "on mysql: All MySQL CHANGE/MODIFY COLUMN operations require the existing type. (this default"),
            "mariadb": Error(CommandError, "on mariadb: All MySQL CHANGE/MODIFY COLUMN operations require the existing type. (this default"),
        },
        differs={
            "mysql mariadb": Why.MYSQL_ON_UPDATE,
        },
    ),
    Case(
        "alter_column_function_default_no_type",
        lambda op: op.alter_column("t", "c", server_default=sa.text("CURRENT_TIMESTAMP")),
        {
            "mysql": "ALTER TABLE t ALTER COLUMN c SET DEFAULT (CURRENT_TIMESTAMP)",
            "mariadb": "ALTER TABLE t ALTER COLUMN c SET DEFAULT CURRENT_TIMESTAMP",
        },
        differs={
            "mysql": Why.MYSQL_SET_DEFAULT_EXPR,
        },
    ),
    Case(
        "alter_column_function_default_type_class",
        lambda op: op.alter_column(
            "t", "c", server_default=sa.func.now(), existing_type=sa.DateTime, existing_nullable=False
        ),
        {
            "mysql": "ALTER TABLE t CHANGE c c DATETIME NOT NULL DEFAULT now()",
            "mariadb": "ALTER TABLE t ALTER COLUMN c SET DEFAULT now()",
        },
        differs={
            "mysql": Why.MYSQL_SET_DEFAULT_EXPR,
        },
    ),
    Case(
        "alter_column_function_default_string_column",
        lambda op: op.alter_column("t", "c", server_default=sa.text("uuid()"), existing_type=sa.String(36)),
        {
            "mysql": "ALTER TABLE t ALTER COLUMN c SET DEFAULT (uuid())",
            "mariadb": "ALTER TABLE t ALTER COLUMN c SET DEFAULT uuid()",
        },
        differs={
            "mysql": Why.MYSQL_SET_DEFAULT_EXPR,
        },
    ),
    Case(
        "alter_column_expression_defaults_kept",
        lambda op: (
            op.alter_column("t", "a", server_default=sa.text("(uuid())"), existing_type=sa.String(36)),
            op.alter_column("t", "b", server_default=sa.text("-1.5"), existing_type=sa.Numeric(5, 2)),
            op.alter_column("t", "c", server_default=sa.text("'it''s'"), existing_type=sa.String(5)),
            op.alter_column("t", "d", server_default=sa.text("NULL")),
        ),
        {
            "mysql mariadb": [
                "ALTER TABLE t ALTER COLUMN a SET DEFAULT (uuid())",
                "ALTER TABLE t ALTER COLUMN b SET DEFAULT -1.5",
                "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'it''s'",
                "ALTER TABLE t ALTER COLUMN d SET DEFAULT NULL",
            ],
        },
    ),
    Case(
        "alter_column_datetime_nothing",
        lambda op: op.alter_column("t", "c", existing_type=sa.DateTime(), existing_nullable=False),
        {
            "mysql mariadb": (),
        },
        differs={
            "mysql mariadb": Why.MYSQL_NO_CHANGE,
        },
    ),
    Case(
        "alter_column_autoincrement",
        lambda op: op.alter_column("t", "c", autoincrement=True, existing_type=sa.Integer, existing_nullable=False),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c INTEGER NOT NULL AUTO_INCREMENT",
        },
    ),
    Case(
        "alter_column_existing_autoincrement",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer, existing_autoincrement=True),
        {
            "mysql mariadb": "ALTER TABLE t MODIFY c INTEGER NOT NULL AUTO_INCREMENT",
        },
    ),
    Case(
        "alter_column_everything",
        lambda op: op.alter_column(
            "t",
            "c",
            nullable=False,
            server_default="5",
            comment="cm",
            autoincrement=True,
            new_column_name="d",
            type_=sa.BigInteger,
            existing_type=sa.Integer,
        ),
        {
            "mysql mariadb": "ALTER TABLE t CHANGE c d BIGINT NOT NULL AUTO_INCREMENT DEFAULT '5' COMMENT 'cm'",
        },
    ),
    Case(
        "alter_column_identity",
        lambda op: op.alter_column("t", "c", server_default=sa.Identity(), existing_type=sa.Integer),
        {
            "mysql": Error(
                UnsupportedOperation, "Adding, removing or modifying an \"identity\" construct, e.g. GENERATED AS IDENTITY, to or from an existing"
            ),
            "mariadb": Error(
                UnsupportedOperation, "Adding, removing or modifying an \"identity\" construct, e.g. GENERATED AS IDENTITY, to or from an existing"
            ),
        },
    ),
    Case(
        "alter_column_nothing",
        lambda op: op.alter_column("t", "c", existing_type=sa.Integer),
        {
            "mysql mariadb": (),
        },
    ),
    Case(
        "drop_constraint_primary_if_exists",
        lambda op: op.drop_constraint("pk", "t", type_="primary", if_exists=True),
        {
            "mysql": Warn(
                "if_exists=True ignored: MySQL has no such clause for this statement", "ALTER TABLE t DROP PRIMARY KEY"
            ),
            "mariadb": Warn(
                "if_exists=True ignored: DROP PRIMARY KEY has no IF EXISTS", "ALTER TABLE t DROP PRIMARY KEY"
            ),
        },
    ),
    Case(
        "create_index_length_prefix",
        lambda op: op.create_index("ix", "t", ["a", "b"], mysql_length={"a": 10}, mysql_prefix="FULLTEXT"),
        {
            "mysql mariadb": "CREATE FULLTEXT INDEX ix ON t (a(10), b)",
        },
        differs={
            "mariadb": Why.MARIADB_KW,
        },
    ),
    Case(
        "create_index_length_using",
        lambda op: op.create_index("ix", "t", ["a"], mysql_length=10, mysql_using="btree"),
        {
            "mysql mariadb": "CREATE INDEX ix ON t (a(10)) USING btree",
        },
        differs={
            "mariadb": Why.MARIADB_KW,
        },
    ),
    Case(
        "create_table_engine_charset",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer), mysql_engine="InnoDB", mysql_charset="utf8mb4"),
        {
            "mysql mariadb": "CREATE TABLE t (\n    id INTEGER\n)ENGINE=InnoDB CHARSET=utf8mb4",
        },
        differs={
            "mariadb": Why.MARIADB_KW,
        },
    ),
    Case(
        "create_foreign_key_match",
        lambda op: op.create_foreign_key("fk", "t", "o", ["a"], ["id"], match="FULL"),
        {
            "mysql": Error(UnsupportedOperation, "MySQL ignores the 'MATCH' keyword while at the same time causes ON UPDATE/ON DELETE"),
            "mariadb": Error(UnsupportedOperation, "MySQL ignores the 'MATCH' keyword while at the same time causes ON UPDATE/ON DELETE"),
        },
    ),
    Case(
        "add_column_after_comment",
        lambda op: op.add_column("t", sa.Column("c", sa.String(5), nullable=False, server_default="x", comment="cm")),
        {
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c VARCHAR(5) NOT NULL COMMENT 'cm' DEFAULT 'x'",
        },
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)


@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_unnamed_old_check_under_a_convention_needing_its_name_is_refused_with_the_remedy(dialect: str) -> None:
    """A "ck" convention with %(constraint_name)s names no unnamed CHECK: SQLAlchemy's error (Alembic's) with the remedy."""
    from sqlalchemy.exc import InvalidRequestError

    convention = sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})
    with pytest.raises(UnsupportedOperation, match="requires that constraint is explicitly named. Name the existing") as err:
        cases.limbeck_statements(dialect, lambda op: op.alter_column(
            "t", "c", type_=sa.Text(), existing_type=sa.Boolean(create_constraint=True), existing_nullable=True,
        ), target_metadata=convention)
    assert isinstance(err.value, InvalidRequestError)
