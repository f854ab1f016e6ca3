"""SQL Server: ALTER COLUMN restating type and nullability, default constraints, sp_rename, extended properties, IDENTITY_INSERT.

https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-table-transact-sql
"""

from __future__ import annotations

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn, Why

from limbeck.errors import CommandError, UnsupportedOperation

CASES = [
    Case(
        "drop_column_drop_default",
        lambda op: op.drop_column("t", "c", mssql_drop_default=True),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t DROP COLUMN c",
            ),
        },
    ),
    Case(
        "drop_column_drop_check",
        lambda op: op.drop_column("t", "c", schema="s", mssql_drop_check=True),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.check_constraints\nwhere parent_object_id = object_id('s.t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table s.t drop constraint ' + @const_name)",
                "ALTER TABLE s.t DROP COLUMN c",
            ),
        },
    ),
    Case(
        "drop_column_drop_foreign_key",
        lambda op: op.drop_column("t", "c", mssql_drop_foreign_key=True),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from\nsys.foreign_keys fk join sys.foreign_key_columns fkc\non fk.object_id=fkc.constraint_object_id\nwhere fkc.parent_object_id = object_id('t')\nand col_name(fkc.parent_object_id, fkc.parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t DROP COLUMN c",
            ),
        },
    ),
    Case(
        "drop_column_drop_all",
        lambda op: op.drop_column(
            "t", "c", mssql_drop_check=True, mssql_drop_default=True, mssql_drop_foreign_key=True, if_exists=True
        ),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.check_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from\nsys.foreign_keys fk join sys.foreign_key_columns fkc\non fk.object_id=fkc.constraint_object_id\nwhere fkc.parent_object_id = object_id('t')\nand col_name(fkc.parent_object_id, fkc.parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t DROP COLUMN IF EXISTS c",
            ),
        },
    ),
    Case(
        "drop_column_drop_default_quoting",
        lambda op: op.drop_column("Order", "it's", mssql_drop_default=True),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('[Order]')\nand col_name(parent_object_id, parent_column_id) = 'it''s'\nexec('alter table [Order] drop constraint ' + @const_name)",
                "ALTER TABLE [Order] DROP COLUMN [it's]",
            ),
        },
        differs={
            "mssql": "the table name inside object_id() is quoted like everywhere else (Alembic leaves it bare); quotes inside the names are escaped (Alembic's text breaks)",
        },
    ),
    Case(
        "alter_column_not_null",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer),
        {
            "mssql": "ALTER TABLE t ALTER COLUMN c INTEGER NOT NULL",
        },
    ),
    Case(
        "alter_column_null_needs_type",
        lambda op: op.alter_column("t", "c", nullable=True),
        {
            "mssql": Error(CommandError, "MS-SQL ALTER COLUMN operations with NULL or NOT NULL require the existing_type or a new"),
        },
    ),
    Case(
        "alter_column_type_keeps_not_null",
        lambda op: op.alter_column("t", "c", type_=sa.String(20), existing_type=sa.Integer, existing_nullable=False),
        {
            "mssql": "ALTER TABLE t ALTER COLUMN c VARCHAR(20) NOT NULL",
        },
    ),
    Case(
        "alter_column_type_nullability_unknown",
        lambda op: op.alter_column("t", "c", type_=sa.String(20)),
        {
            "mssql": Warn(
                "MS-SQL ALTER COLUMN operations that specify type_= should also specify a nullable= or",
                "ALTER TABLE t ALTER COLUMN c VARCHAR(20)",
            ),
        },
    ),
    Case(
        "alter_column_type_and_nullable",
        lambda op: op.alter_column("t", "c", type_=sa.Unicode(20), nullable=False, existing_type=sa.String(10)),
        {
            "mssql": "ALTER TABLE t ALTER COLUMN c NVARCHAR(20) NOT NULL",
        },
    ),
    Case(
        "alter_column_type_with_existing_default",
        lambda op: op.alter_column(
            "t", "c", type_=sa.String(20), existing_type=sa.Integer, existing_server_default="5", existing_nullable=True
        ),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t ALTER COLUMN c VARCHAR(20) NULL",
                "ALTER TABLE t ADD DEFAULT '5' FOR c",
            ),
        },
        differs={
            "mssql": "a default constraint blocks changing the type: it is dropped before the ALTER COLUMN and put back after (Alembic leaves it, and SQL Server refuses)",
        },
    ),
    Case(
        "alter_column_nullable_with_existing_default",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer, existing_server_default="5"),
        {
            "mssql": "ALTER TABLE t ALTER COLUMN c INTEGER NOT NULL",
        },
    ),
    Case(
        "alter_column_set_default",
        lambda op: op.alter_column("t", "c", server_default="x"),
        {
            "mssql": "ALTER TABLE t ADD DEFAULT 'x' FOR c",
        },
    ),
    Case(
        "alter_column_set_default_function",
        lambda op: op.alter_column("t", "c", server_default=sa.func.getdate(), existing_type=sa.DateTime),
        {
            "mssql": "ALTER TABLE t ADD DEFAULT getdate() FOR c",
        },
    ),
    Case(
        "alter_column_drop_default",
        lambda op: op.alter_column("t", "c", server_default=None, schema="s"),
        {
            "mssql": "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('s.t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table s.t drop constraint ' + @const_name)",
        },
    ),
    Case(
        "alter_column_replace_default",
        lambda op: op.alter_column(
            "t", "c", server_default="y", existing_server_default="x", existing_type=sa.String(20)
        ),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t ADD DEFAULT 'y' FOR c",
            ),
        },
    ),
    Case(
        "alter_column_type_and_new_default",
        lambda op: op.alter_column(
            "t", "c", type_=sa.String(20), server_default="q", existing_type=sa.Integer, existing_nullable=True
        ),
        {
            "mssql": (
                "ALTER TABLE t ALTER COLUMN c VARCHAR(20) NULL",
                "ALTER TABLE t ADD DEFAULT 'q' FOR c",
            ),
        },
    ),
    Case(
        "alter_column_rename",
        lambda op: op.alter_column("t", "c", new_column_name="d"),
        {
            "mssql": "EXEC sp_rename 't.c', d, 'COLUMN'",
        },
    ),
    Case(
        "alter_column_rename_schema",
        lambda op: op.alter_column("t", "c", new_column_name="d", schema="s"),
        {
            "mssql": "EXEC sp_rename 's.t.c', d, 'COLUMN'",
        },
    ),
    Case(
        "alter_column_rename_quoting",
        lambda op: op.alter_column("My Tbl", "o'c", new_column_name="n c", schema="dbo"),
        {
            "mssql": "EXEC sp_rename 'dbo.[My Tbl].[o''c]', [n c], 'COLUMN'",
        },
        differs={
            "mssql": "a quote inside the name is escaped in the sp_rename literal (Alembic's text breaks)",
        },
    ),
    Case(
        "alter_column_add_comment",
        lambda op: op.alter_column("t", "c", comment="new", existing_type=sa.Integer),
        {
            "mssql": "exec sp_addextendedproperty 'MS_Description', N'new', 'schema', dbo, 'table', t, 'column', c",
        },
        differs={
            "mssql": Why.MSSQL_COMMENT,
        },
    ),
    Case(
        "alter_column_update_comment",
        lambda op: op.alter_column("t", "c", comment="new", existing_comment="old", schema="s"),
        {
            "mssql": "exec sp_updateextendedproperty 'MS_Description', N'new', 'schema', s, 'table', t, 'column', c",
        },
    ),
    Case(
        "alter_column_drop_comment",
        lambda op: op.alter_column("t", "c", comment=None, existing_comment="old"),
        {
            "mssql": "exec sp_dropextendedproperty 'MS_Description', 'schema', dbo, 'table', t, 'column', c",
        },
        differs={
            "mssql": Why.MSSQL_COMMENT,
        },
    ),
    Case(
        "alter_column_everything",
        lambda op: op.alter_column(
            "t",
            "c",
            nullable=False,
            server_default="x",
            existing_server_default="y",
            type_=sa.String(20),
            new_column_name="d",
            comment="hey",
            existing_type=sa.Integer,
            existing_nullable=True,
        ),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t ALTER COLUMN c VARCHAR(20) NOT NULL",
                "exec sp_addextendedproperty 'MS_Description', N'hey', 'schema', dbo, 'table', t, 'column', c",
                "ALTER TABLE t ADD DEFAULT 'x' FOR c",
                "EXEC sp_rename 't.c', d, 'COLUMN'",
            ),
        },
        differs={
            "mssql": Why.MSSQL_COMMENT,
        },
    ),
    Case(
        "alter_column_default_and_comment",
        lambda op: op.alter_column("t", "c", server_default="x", comment="hey", schema="s"),
        {
            "mssql": (
                "exec sp_addextendedproperty 'MS_Description', N'hey', 'schema', s, 'table', t, 'column', c",
                "ALTER TABLE s.t ADD DEFAULT 'x' FOR c",
            ),
        },
    ),
    Case(
        "alter_column_default_over_stated_none",
        lambda op: op.alter_column("t", "c", server_default="x", existing_server_default=None),
        {
            "mssql": (
                "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere parent_object_id = object_id('t')\nand col_name(parent_object_id, parent_column_id) = 'c'\nexec('alter table t drop constraint ' + @const_name)",
                "ALTER TABLE t ADD DEFAULT 'x' FOR c",
            ),
        },
    ),
    Case(
        "alter_column_autoincrement",
        lambda op: op.alter_column("t", "c", nullable=False, existing_type=sa.Integer, autoincrement=True),
        {
            "mssql": Warn(
                "autoincrement and existing_autoincrement only make sense for MySQL",
                "ALTER TABLE t ALTER COLUMN c INTEGER NOT NULL",
            ),
        },
    ),
    Case(
        "alter_column_identity",
        lambda op: op.alter_column("t", "c", server_default=sa.Identity(), existing_type=sa.Integer),
        {
            "mssql": Error(
                UnsupportedOperation, "Adding, removing or modifying an \"identity\" construct, e.g. GENERATED AS IDENTITY, to or from an existing"
            ),
        },
    ),
    Case(
        "create_index_include_clustered_where",
        lambda op: op.create_index(
            "ix", "t", ["a"], mssql_include=["b", "c"], mssql_clustered=False, mssql_where=sa.text("a > 1")
        ),
        {
            "mssql": "CREATE NONCLUSTERED INDEX ix ON t (a) INCLUDE (b, c) WHERE a > 1",
        },
    ),
    Case(
        "create_index_clustered",
        lambda op: op.create_index("ix", "t", ["a"], mssql_clustered=True),
        {
            "mssql": "CREATE CLUSTERED INDEX ix ON t (a)",
        },
    ),
    Case(
        "create_unique_constraint_clustered",
        lambda op: op.create_unique_constraint("uq_t", "t", ["a"], mssql_clustered=True),
        {
            "mssql": "ALTER TABLE t ADD CONSTRAINT uq_t UNIQUE CLUSTERED (a)",
        },
    ),
    Case(
        "create_table_comment_quoting",
        lambda op: op.create_table_comment("My Table", "it's", schema="Odd Schema"),
        {
            "mssql": "execute sp_addextendedproperty 'MS_Description', N'it''s', 'schema', [Odd Schema], 'table', [My Table]",
        },
    ),
    Case(
        "bulk_insert_mixed_rows",
        lambda op: op.bulk_insert(
            sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(10))),
            [{"v": "a"}, {"id": 2, "v": "b"}, {"id": 3, "v": "c"}],
        ),
        {
            "mssql": (
                "INSERT INTO t (v) VALUES ('a')",
                "SET IDENTITY_INSERT t ON",
                "INSERT INTO t (id, v) VALUES (2, 'b')",
                "INSERT INTO t (id, v) VALUES (3, 'c')",
                "SET IDENTITY_INSERT t OFF",
            ),
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
    Case(
        "bulk_insert_no_autoincrement",
        lambda op: op.bulk_insert(
            sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True, autoincrement=False)),
            [{"id": 1}],
        ),
        {
            "mssql": "INSERT INTO t (id) VALUES (1)",
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
    Case(
        "bulk_insert_identity_column",
        lambda op: op.bulk_insert(
            sa.Table(
                "t", sa.MetaData(), sa.Column("n", sa.Integer, sa.Identity()), sa.Column("v", sa.String(5)), schema="s"
            ),
            [{"n": 1, "v": "a"}],
            multiinsert=False,
        ),
        {
            "mssql": (
                "SET IDENTITY_INSERT s.t ON",
                "INSERT INTO s.t (n, v) VALUES (1, 'a')",
                "SET IDENTITY_INSERT s.t OFF",
            ),
        },
    ),
    Case(
        "bulk_insert_lightweight_runs",
        lambda op: op.bulk_insert(
            sa.table("t", sa.column("id", sa.Integer), sa.column("v", sa.String), schema="s"),
            [{"id": 1, "v": "a"}, {"v": "b"}],
        ),
        {
            "mssql": (
                "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N's.t') AND name IN (N'id', N'v')) SET IDENTITY_INSERT s.t ON",
                "INSERT INTO s.t (id, v) VALUES (1, 'a')",
                "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N's.t') AND name IN (N'id', N'v')) SET IDENTITY_INSERT s.t OFF",
                "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N's.t') AND name IN (N'v')) SET IDENTITY_INSERT s.t ON",
                "INSERT INTO s.t (v) VALUES ('b')",
                "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N's.t') AND name IN (N'v')) SET IDENTITY_INSERT s.t OFF",
            ),
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)
