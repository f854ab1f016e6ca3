"""Cross-dialect cases: one operation call, the SQL of every database it applies to.

Dialect-only arguments and behaviours are in ``test_<dialect>.py``; what is
here is shared ground (each case in the most general place that produces
it). Expected SQL is what each database accepts; where Alembic's differs,
``differs`` says why (checked by ``test_alembic_parity.py``).
"""

from __future__ import annotations

import datetime
import decimal

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn, Why

from limbeck.errors import CommandError, InvalidArgument, UnsupportedOperation

#: a target metadata with a naming convention, as env.py passes it to configure()
NAMING = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
NC = {"target_metadata": NAMING}

ALL_DIALECTS = cases.ALL

#: the DDL events of a Table, each of which create_table / drop_table fires where Alembic does
TABLE_EVENTS = ("before_create", "after_create", "before_drop", "after_drop")

CASES = [
    Case(
        "create_table",
        lambda op: op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(50), nullable=False, server_default="x"),
        ),
        {
            "sqlite": "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    name VARCHAR(50) DEFAULT 'x' NOT NULL, \n    PRIMARY KEY (id)\n)",
            "postgresql": "CREATE TABLE t (\n    id SERIAL NOT NULL, \n    name VARCHAR(50) DEFAULT 'x' NOT NULL, \n    PRIMARY KEY (id)\n)",
            "mysql mariadb": "CREATE TABLE t (\n    id INTEGER NOT NULL AUTO_INCREMENT, \n    name VARCHAR(50) NOT NULL DEFAULT 'x', \n    PRIMARY KEY (id)\n)",
            "mssql": "CREATE TABLE t (\n    id INTEGER NOT NULL IDENTITY, \n    name VARCHAR(50) NOT NULL DEFAULT 'x', \n    PRIMARY KEY (id)\n)",
            "oracle": "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    name VARCHAR2(50 CHAR) DEFAULT 'x' NOT NULL, \n    PRIMARY KEY (id)\n)",
        },
    ),
    Case(
        "create_table_constraints",
        lambda op: op.create_table(
            "t",
            sa.Column("id", sa.Integer),
            sa.Column("o", sa.Integer),
            sa.Column("v", sa.Integer),
            sa.PrimaryKeyConstraint("id", name="pk_t"),
            sa.UniqueConstraint("v", name="uq_v"),
            sa.CheckConstraint("v > 0", name="ck_v"),
            sa.ForeignKeyConstraint(["o"], ["other.id"], name="fk_o", ondelete="CASCADE"),
        ),
        {
            "sqlite oracle": "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    o INTEGER, \n    v INTEGER, \n    CONSTRAINT pk_t PRIMARY KEY (id), \n    CONSTRAINT uq_v UNIQUE (v), \n    CONSTRAINT ck_v CHECK (v > 0), \n    CONSTRAINT fk_o FOREIGN KEY(o) REFERENCES other (id) ON DELETE CASCADE\n)",
            "postgresql": "CREATE TABLE t (\n    id SERIAL NOT NULL, \n    o INTEGER, \n    v INTEGER, \n    CONSTRAINT pk_t PRIMARY KEY (id), \n    CONSTRAINT uq_v UNIQUE (v), \n    CONSTRAINT ck_v CHECK (v > 0), \n    CONSTRAINT fk_o FOREIGN KEY(o) REFERENCES other (id) ON DELETE CASCADE\n)",
            "mysql mariadb": "CREATE TABLE t (\n    id INTEGER NOT NULL AUTO_INCREMENT, \n    o INTEGER, \n    v INTEGER, \n    CONSTRAINT pk_t PRIMARY KEY (id), \n    CONSTRAINT uq_v UNIQUE (v), \n    CONSTRAINT ck_v CHECK (v > 0), \n    CONSTRAINT fk_o FOREIGN KEY(o) REFERENCES other (id) ON DELETE CASCADE\n)",
            "mssql": "CREATE TABLE t (\n    id INTEGER NOT NULL IDENTITY, \n    o INTEGER NULL, \n    v INTEGER NULL, \n    CONSTRAINT pk_t PRIMARY KEY (id), \n    CONSTRAINT uq_v UNIQUE (v), \n    CONSTRAINT ck_v CHECK (v > 0), \n    CONSTRAINT fk_o FOREIGN KEY(o) REFERENCES other (id) ON DELETE CASCADE\n)",
        },
    ),
    Case(
        "create_table_comment_args",
        lambda op: op.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True, comment="the id"), comment="a table"
        ),
        {
            "sqlite": "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    PRIMARY KEY (id)\n)",
            "postgresql": (
                "CREATE TABLE t (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n)",
                "COMMENT ON TABLE t IS 'a table'",
                "COMMENT ON COLUMN t.id IS 'the id'",
            ),
            "mysql mariadb": "CREATE TABLE t (\n    id INTEGER NOT NULL COMMENT 'the id' AUTO_INCREMENT, \n    PRIMARY KEY (id)\n)COMMENT='a table'",
            "mssql": (
                "CREATE TABLE t (\n    id INTEGER NOT NULL IDENTITY, \n    PRIMARY KEY (id)\n)",
                "execute sp_addextendedproperty 'MS_Description', N'a table', 'schema', dbo, 'table', t",
                "execute sp_addextendedproperty 'MS_Description', N'the id', 'schema', dbo, 'table', t, 'column', id",
            ),
            "oracle": (
                "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    PRIMARY KEY (id)\n)",
                "COMMENT ON TABLE t IS 'a table'",
                "COMMENT ON COLUMN t.id IS 'the id'",
            ),
        },
        differs={
            "mssql": Why.MSSQL_COMMENT,
        },
    ),
    Case(
        "create_table_if_not_exists",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer), if_not_exists=True),
        {
            "sqlite postgresql mysql mariadb oracle": "CREATE TABLE IF NOT EXISTS t (\n    id INTEGER\n)",
            "mssql": Warn(
                "if_not_exists=True ignored: SQL Server has no such clause for this sta",
                "CREATE TABLE t (\n    id INTEGER NULL\n)",
            ),
        },
        differs={
            "mssql": Why.NO_CLAUSE,
        },
    ),
    Case(
        "create_table_schema",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer), schema="s"),
        {
            "sqlite postgresql mysql mariadb oracle": "CREATE TABLE s.t (\n    id INTEGER\n)",
            "mssql": "CREATE TABLE s.t (\n    id INTEGER NULL\n)",
        },
    ),
    Case(
        "create_table_index_unique_flags",
        lambda op: op.create_table(
            "t", sa.Column("id", sa.Integer, index=True), sa.Column("b", sa.Integer, unique=True)
        ),
        {
            "sqlite postgresql mysql mariadb oracle": (
                "CREATE TABLE t (\n    id INTEGER, \n    b INTEGER, \n    UNIQUE (b)\n)",
                "CREATE INDEX ix_t_id ON t (id)",
            ),
            "mssql": (
                "CREATE TABLE t (\n    id INTEGER NULL, \n    b INTEGER NULL, \n    UNIQUE (b)\n)",
                "CREATE INDEX ix_t_id ON t (id)",
            ),
        },
    ),
    Case(
        "create_table_computed",
        lambda op: op.create_table("t", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, sa.Computed("a * 2"))),
        {
            "sqlite postgresql mysql mariadb oracle": "CREATE TABLE t (\n    a INTEGER, \n    b INTEGER GENERATED ALWAYS AS (a * 2)\n)",
            "mssql": "CREATE TABLE t (\n    a INTEGER NULL, \n    b AS (a * 2)\n)",
        },
    ),
    Case(
        "create_table_identity",
        lambda op: op.create_table(
            "t", sa.Column("id", sa.Integer, sa.Identity(start=5, increment=2), primary_key=True)
        ),
        {
            "sqlite": "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    PRIMARY KEY (id)\n)",
            "postgresql oracle": "CREATE TABLE t (\n    id INTEGER GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 2 START WITH 5), \n    PRIMARY KEY (id)\n)",
            "mysql mariadb": "CREATE TABLE t (\n    id INTEGER NOT NULL AUTO_INCREMENT, \n    PRIMARY KEY (id)\n)",
            "mssql": "CREATE TABLE t (\n    id INTEGER NOT NULL IDENTITY(5,2), \n    PRIMARY KEY (id)\n)",
        },
    ),
    Case(
        "create_table_quoting",
        lambda op: op.create_table(
            "Order",
            sa.Column("select", sa.Integer),
            sa.Column("Mixed Case", sa.Integer),
            sa.Column('em"b', sa.Integer),
            sa.Column("it's", sa.Integer),
        ),
        {
            "sqlite postgresql oracle": 'CREATE TABLE "Order" (\n    "select" INTEGER, \n    "Mixed Case" INTEGER, \n    "em""b" INTEGER, \n    "it\'s" INTEGER\n)',
            "mysql mariadb": "CREATE TABLE `Order` (\n    `select` INTEGER, \n    `Mixed Case` INTEGER, \n    `em\"b` INTEGER, \n    `it's` INTEGER\n)",
            "mssql": "CREATE TABLE [Order] (\n    [select] INTEGER NULL, \n    [Mixed Case] INTEGER NULL, \n    [em\"b] INTEGER NULL, \n    [it's] INTEGER NULL\n)",
        },
    ),
    Case(
        "create_table_columns_of_another_table",
        lambda op: op.create_table(
            "t", *sa.Table("x", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.String(5))).c
        ),
        {
            "sqlite postgresql mysql mariadb": "CREATE TABLE t (\n    a INTEGER, \n    b VARCHAR(5)\n)",
            "mssql": "CREATE TABLE t (\n    a INTEGER NULL, \n    b VARCHAR(5) NULL\n)",
            "oracle": "CREATE TABLE t (\n    a INTEGER, \n    b VARCHAR2(5 CHAR)\n)",
        },
    ),
    Case(
        "create_table_column_check",
        lambda op: op.create_table("t", sa.Column("c", sa.Integer, sa.CheckConstraint("c > 0"))),
        {
            "sqlite postgresql mysql mariadb oracle": "CREATE TABLE t (\n    c INTEGER CHECK (c > 0)\n)",
            "mssql": "CREATE TABLE t (\n    c INTEGER NULL CHECK (c > 0)\n)",
        },
    ),
    Case(
        "create_table_prefixes",
        lambda op: op.create_table("t", sa.Column("c", sa.Integer), prefixes=["TEMPORARY"]),
        {
            "sqlite postgresql mysql mariadb": "CREATE TEMPORARY TABLE t (\n    c INTEGER\n)",
        },
    ),
    Case(
        "create_table_enum",
        lambda op: op.create_table("t", sa.Column("e", sa.Enum("a", "b", name="myenum"))),
        {
            "sqlite": "CREATE TABLE t (\n    e VARCHAR(1)\n)",
            "postgresql": (
                "CREATE TYPE myenum AS ENUM ('a', 'b')",
                "CREATE TABLE t (\n    e myenum\n)",
            ),
            "mysql mariadb": "CREATE TABLE t (\n    e ENUM('a','b')\n)",
            "mssql": "CREATE TABLE t (\n    e VARCHAR(1) NULL\n)",
            "oracle": "CREATE TABLE t (\n    e VARCHAR(1 CHAR)\n)",
        },
    ),
    Case(
        "create_table_boolean_check",
        lambda op: op.create_table("t", sa.Column("b", sa.Boolean(create_constraint=True, name="ck_b"))),
        {
            "sqlite": "CREATE TABLE t (\n    b BOOLEAN, \n    CONSTRAINT ck_b CHECK (b IN (0, 1))\n)",
            "postgresql oracle": "CREATE TABLE t (\n    b BOOLEAN\n)",
            "mysql mariadb": "CREATE TABLE t (\n    b BOOL, \n    CONSTRAINT ck_b CHECK (b IN (0, 1))\n)",
            "mssql": "CREATE TABLE t (\n    b BIT NULL\n)",
        },
    ),
    Case(
        "create_table_ddl_events",
        lambda op: op.create_table(
            "t", sa.Column("id", sa.Integer), sa.Column("x", sa.Integer, index=True),
            listeners=[(event, sa.DDL(f"SELECT '{event} %(table)s'")) for event in TABLE_EVENTS],
        ),
        {
            "sqlite postgresql mysql mariadb oracle": (
                "SELECT 'before_create t'",
                "CREATE TABLE t (\n    id INTEGER, \n    x INTEGER\n)",
                "SELECT 'after_create t'",
                "CREATE INDEX ix_t_x ON t (x)",
            ),
            "mssql": (
                "SELECT 'before_create t'",
                "CREATE TABLE t (\n    id INTEGER NULL, \n    x INTEGER NULL\n)",
                "SELECT 'after_create t'",
                "CREATE INDEX ix_t_x ON t (x)",
            ),
        },
    ),
    Case(
        "create_table_ddl_event_for_one_dialect",
        lambda op: op.create_table(
            "t", sa.Column("id", sa.Integer),
            listeners=[("after_create", sa.DDL("COMMENT ON TABLE %(fullname)s IS 'x'").execute_if(dialect="postgresql"))],
        ),
        {
            "postgresql": ("CREATE TABLE t (\n    id INTEGER\n)", "COMMENT ON TABLE t IS 'x'"),
            "mysql": "CREATE TABLE t (\n    id INTEGER\n)",
        },
    ),
    Case(
        "create_table_index_object",
        lambda op: op.create_table(
            "t", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer), sa.Index("ix_ab", "a", "b", unique=True)
        ),
        {
            "sqlite postgresql mysql mariadb oracle": (
                "CREATE TABLE t (\n    a INTEGER, \n    b INTEGER\n)",
                "CREATE UNIQUE INDEX ix_ab ON t (a, b)",
            ),
            "mssql": (
                "CREATE TABLE t (\n    a INTEGER NULL, \n    b INTEGER NULL\n)",
                "CREATE UNIQUE INDEX ix_ab ON t (a, b)",
            ),
        },
    ),
    Case(
        "create_table_fk_column_without_type",
        lambda op: op.create_table("t", sa.Column("o", sa.ForeignKey("o.id"))),
        {
            "postgresql": Error(CommandError, "(in table 't', column 'o'): Can't generate DDL for NullType()"),
        },
    ),
    Case(
        "create_table_deferrable_fk",
        lambda op: op.create_table(
            "t", sa.Column("o", sa.Integer, sa.ForeignKey("o.id", deferrable=True, initially="DEFERRED"))
        ),
        {
            "sqlite postgresql oracle": "CREATE TABLE t (\n    o INTEGER, \n    FOREIGN KEY(o) REFERENCES o (id) DEFERRABLE INITIALLY DEFERRED\n)",
            "mysql": Error(UnsupportedOperation, "MySQL constraints cannot be deferred"),
            "mariadb": Error(UnsupportedOperation, "MariaDB constraints cannot be deferred"),
            "mssql": Error(UnsupportedOperation, "SQL Server constraints cannot be deferred"),
        },
        differs={
            "mysql mariadb mssql": Why.DEFERRABLE,
        },
    ),
    Case(
        "create_table_deferrable_check_and_unique",
        lambda op: op.create_table(
            "t", sa.Column("a", sa.Integer), sa.CheckConstraint("a > 0", name="ck", deferrable=True),
            sa.UniqueConstraint("a", name="uq", deferrable=True),
        ),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite CHECK constraints cannot be deferred"),
            "postgresql": Error(UnsupportedOperation, "PostgreSQL CHECK constraints cannot be deferred"),
            "oracle": "CREATE TABLE t (\n    a INTEGER, \n    CONSTRAINT ck CHECK (a > 0) DEFERRABLE, \n"
                      "    CONSTRAINT uq UNIQUE (a) DEFERRABLE\n)",
            "mysql": Error(UnsupportedOperation, "MySQL constraints cannot be deferred"),
        },
        differs={"sqlite postgresql": Why.DEFERRABLE_KIND, "mysql": Why.DEFERRABLE},
    ),
    Case(
        "create_table_not_deferrable_unique",
        lambda op: op.create_table("t", sa.Column("a", sa.Integer), sa.UniqueConstraint("a", name="uq", deferrable=False)),
        {
            "sqlite": Warn("NOT DEFERRABLE / INITIALLY IMMEDIATE left out", "CREATE TABLE t (\n    a INTEGER, \n    CONSTRAINT uq UNIQUE (a)\n)"),
            "postgresql": "CREATE TABLE t (\n    a INTEGER, \n    CONSTRAINT uq UNIQUE (a) NOT DEFERRABLE\n)",
        },
        differs={"sqlite": Why.NOT_DEFERRABLE},
    ),
    Case(
        "create_table_fk_use_alter",
        lambda op: op.create_table(
            "t", sa.Column("r", sa.Integer), sa.ForeignKeyConstraint(["r"], ["o.id"], name="fk_r", use_alter=True, deferrable=True)
        ),
        {
            "sqlite": "CREATE TABLE t (\n    r INTEGER, \n    CONSTRAINT fk_r FOREIGN KEY(r) REFERENCES o (id) DEFERRABLE\n)",
            "postgresql mysql": Warn("foreign key fk_r has use_alter=True and is not created by CREATE TABLE",
                                     "CREATE TABLE t (\n    r INTEGER\n)"),
        },
    ),
    Case(
        "drop_table",
        lambda op: op.drop_table("t"),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "DROP TABLE t",
        },
    ),
    Case(
        "drop_table_if_exists",
        lambda op: op.drop_table("t", if_exists=True),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "DROP TABLE IF EXISTS t",
        },
    ),
    Case(
        "drop_table_schema_quoted",
        lambda op: op.drop_table("Some Table", schema="Odd Schema"),
        {
            "sqlite postgresql oracle": 'DROP TABLE "Odd Schema"."Some Table"',
            "mysql mariadb": "DROP TABLE `Odd Schema`.`Some Table`",
            "mssql": "DROP TABLE [Odd Schema].[Some Table]",
        },
    ),
    Case(
        "drop_table_ddl_events",
        lambda op: op.drop_table(
            "t", schema="s", listeners=[(event, sa.DDL(f"SELECT '{event} %(fullname)s'")) for event in TABLE_EVENTS]
        ),
        {
            "sqlite postgresql mysql mariadb oracle mssql": (
                "SELECT 'before_drop s.t'",
                "DROP TABLE s.t",
                "SELECT 'after_drop s.t'",
            ),
        },
    ),
    Case(
        "rename_table",
        lambda op: op.rename_table("t", "u"),
        {
            "sqlite postgresql mysql mariadb oracle": "ALTER TABLE t RENAME TO u",
            "mssql": "EXEC sp_rename 't', u",
        },
    ),
    Case(
        "rename_table_schema",
        lambda op: op.rename_table("t", "u", schema="s"),
        {
            "sqlite postgresql oracle": "ALTER TABLE s.t RENAME TO u",
            "mysql mariadb": "ALTER TABLE s.t RENAME TO s.u",
            "mssql": "EXEC sp_rename 's.t', u",
        },
    ),
    Case(
        "rename_table_quoting",
        lambda op: op.rename_table("Old Name", "New'Name"),
        {
            "sqlite postgresql oracle": 'ALTER TABLE "Old Name" RENAME TO "New\'Name"',
            "mysql mariadb": "ALTER TABLE `Old Name` RENAME TO `New'Name`",
            "mssql": "EXEC sp_rename '[Old Name]', [New'Name]",
        },
    ),
    Case(
        "create_table_comment",
        lambda op: op.create_table_comment("t", "hello 'x'"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite does not store table or column comments"),
            "postgresql oracle": "COMMENT ON TABLE t IS 'hello ''x'''",
            "mysql mariadb": "ALTER TABLE t COMMENT 'hello ''x'''",
            "mssql": "execute sp_addextendedproperty 'MS_Description', N'hello ''x''', 'schema', dbo, 'table', t",
        },
        differs={
            "sqlite": Why.SQLITE_COMMENTS,
            "mssql": Why.MSSQL_COMMENT,
        },
    ),
    Case(
        "create_table_comment_schema",
        lambda op: op.create_table_comment("t", "hello", schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite does not store table or column comments"),
            "postgresql oracle": "COMMENT ON TABLE s.t IS 'hello'",
            "mysql mariadb": "ALTER TABLE s.t COMMENT 'hello'",
            "mssql": "execute sp_addextendedproperty 'MS_Description', N'hello', 'schema', s, 'table', t",
        },
        differs={
            "sqlite": Why.SQLITE_COMMENTS,
        },
    ),
    Case(
        "create_table_comment_existing",
        lambda op: op.create_table_comment("t", "new", existing_comment="old", schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite does not store table or column comments"),
            "postgresql oracle": "COMMENT ON TABLE s.t IS 'new'",
            "mysql mariadb": "ALTER TABLE s.t COMMENT 'new'",
            "mssql": "execute sp_updateextendedproperty 'MS_Description', N'new', 'schema', s, 'table', t",
        },
        differs={
            "sqlite": Why.SQLITE_COMMENTS,
            "mssql": "a comment that exists is updated (sp_updateextendedproperty); adding it again fails",
        },
    ),
    Case(
        "drop_table_comment",
        lambda op: op.drop_table_comment("t", existing_comment="old", schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite does not store table or column comments"),
            "postgresql": "COMMENT ON TABLE s.t IS NULL",
            "mysql mariadb": "ALTER TABLE s.t COMMENT ''",
            "mssql": "execute sp_dropextendedproperty 'MS_Description', 'schema', s, 'table', t",
            "oracle": "COMMENT ON TABLE s.t IS ''",
        },
        differs={
            "sqlite": Why.SQLITE_COMMENTS,
        },
    ),
    Case(
        "add_column",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer)),
        {
            "sqlite postgresql mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER",
            "mssql": "ALTER TABLE t ADD c INTEGER NULL",
            "oracle": "ALTER TABLE t ADD c INTEGER",
        },
    ),
    Case(
        "add_column_not_null_default",
        lambda op: op.add_column("t", sa.Column("c", sa.String(10), nullable=False, server_default="x")),
        {
            "sqlite postgresql": "ALTER TABLE t ADD COLUMN c VARCHAR(10) DEFAULT 'x' NOT NULL",
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c VARCHAR(10) NOT NULL DEFAULT 'x'",
            "mssql": "ALTER TABLE t ADD c VARCHAR(10) NOT NULL DEFAULT 'x'",
            "oracle": "ALTER TABLE t ADD c VARCHAR2(10 CHAR) DEFAULT 'x' NOT NULL",
        },
    ),
    Case(
        "add_column_sql_default",
        lambda op: op.add_column("t", sa.Column("c", sa.DateTime, server_default=sa.func.now())),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN c DATETIME DEFAULT CURRENT_TIMESTAMP",
            "postgresql": "ALTER TABLE t ADD COLUMN c TIMESTAMP WITHOUT TIME ZONE DEFAULT now()",
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c DATETIME DEFAULT (now())",
            "mssql": "ALTER TABLE t ADD c DATETIME NULL DEFAULT CURRENT_TIMESTAMP",
            "oracle": "ALTER TABLE t ADD c DATE DEFAULT CURRENT_TIMESTAMP",
        },
    ),
    Case(
        "add_column_text_default",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, server_default=sa.text("0"))),
        {
            "sqlite postgresql mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 0",
            "mssql": "ALTER TABLE t ADD c INTEGER NULL DEFAULT 0",
            "oracle": "ALTER TABLE t ADD c INTEGER DEFAULT 0",
        },
    ),
    Case(
        "add_column_fk",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, sa.ForeignKey("o.id", ondelete="CASCADE"))),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN c INTEGER REFERENCES o (id) ON DELETE CASCADE",
            "postgresql mysql mariadb": (
                "ALTER TABLE t ADD COLUMN c INTEGER",
                "ALTER TABLE t ADD FOREIGN KEY(c) REFERENCES o (id) ON DELETE CASCADE",
            ),
            "mssql": (
                "ALTER TABLE t ADD c INTEGER NULL",
                "ALTER TABLE t ADD FOREIGN KEY(c) REFERENCES o (id) ON DELETE CASCADE",
            ),
            "oracle": (
                "ALTER TABLE t ADD c INTEGER",
                "ALTER TABLE t ADD FOREIGN KEY(c) REFERENCES o (id) ON DELETE CASCADE",
            ),
        },
        differs={
            "sqlite": Why.SQLITE_FK_INLINE,
        },
    ),
    Case(
        "add_column_fk_named_schemas",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, sa.ForeignKey("s2.o.id", name="fk_c")), schema="s"),
        {
            "sqlite": "ALTER TABLE s.t ADD COLUMN c INTEGER CONSTRAINT fk_c REFERENCES o (id)",
            "postgresql mysql mariadb": (
                "ALTER TABLE s.t ADD COLUMN c INTEGER",
                "ALTER TABLE s.t ADD CONSTRAINT fk_c FOREIGN KEY(c) REFERENCES s2.o (id)",
            ),
            "mssql": (
                "ALTER TABLE s.t ADD c INTEGER NULL",
                "ALTER TABLE s.t ADD CONSTRAINT fk_c FOREIGN KEY(c) REFERENCES s2.o (id)",
            ),
            "oracle": (
                "ALTER TABLE s.t ADD c INTEGER",
                "ALTER TABLE s.t ADD CONSTRAINT fk_c FOREIGN KEY(c) REFERENCES s2.o (id)",
            ),
        },
        differs={
            "sqlite": Why.SQLITE_FK_INLINE,
        },
    ),
    Case(
        "add_column_comment",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, comment="cmt")),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN c INTEGER",
            "postgresql": (
                "ALTER TABLE t ADD COLUMN c INTEGER",
                "COMMENT ON COLUMN t.c IS 'cmt'",
            ),
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER COMMENT 'cmt'",
            "mssql": (
                "ALTER TABLE t ADD c INTEGER NULL",
                "execute sp_addextendedproperty 'MS_Description', N'cmt', 'schema', dbo, 'table', t, 'column', c",
            ),
            "oracle": (
                "ALTER TABLE t ADD c INTEGER",
                "COMMENT ON COLUMN t.c IS 'cmt'",
            ),
        },
        differs={
            "mssql": Why.MSSQL_COMMENT,
        },
    ),
    Case(
        "add_column_comment_schema",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, comment="cmt"), schema="s"),
        {
            "sqlite": "ALTER TABLE s.t ADD COLUMN c INTEGER",
            "postgresql": (
                "ALTER TABLE s.t ADD COLUMN c INTEGER",
                "COMMENT ON COLUMN s.t.c IS 'cmt'",
            ),
            "mysql mariadb": "ALTER TABLE s.t ADD COLUMN c INTEGER COMMENT 'cmt'",
            "mssql": (
                "ALTER TABLE s.t ADD c INTEGER NULL",
                "execute sp_addextendedproperty 'MS_Description', N'cmt', 'schema', s, 'table', t, 'column', c",
            ),
            "oracle": (
                "ALTER TABLE s.t ADD c INTEGER",
                "COMMENT ON COLUMN s.t.c IS 'cmt'",
            ),
        },
    ),
    Case(
        "add_column_computed",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, sa.Computed("a + 1", persisted=True))),
        {
            "sqlite postgresql mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER GENERATED ALWAYS AS (a + 1) STORED",
            "mssql": "ALTER TABLE t ADD c AS (a + 1) PERSISTED",
        },
    ),
    Case(
        "add_column_identity",
        lambda op: op.add_column("t", sa.Column("c", sa.BigInteger, sa.Identity(always=True))),
        {
            "sqlite mysql mariadb": "ALTER TABLE t ADD COLUMN c BIGINT NOT NULL",
            "postgresql": "ALTER TABLE t ADD COLUMN c BIGINT GENERATED ALWAYS AS IDENTITY",
            "mssql": "ALTER TABLE t ADD c BIGINT NOT NULL IDENTITY",
            "oracle": "ALTER TABLE t ADD c NUMBER(19) GENERATED ALWAYS AS IDENTITY",
        },
    ),
    Case(
        "add_column_if_not_exists",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer), if_not_exists=True),
        {
            "sqlite": Warn(
                "if_not_exists=True ignored: SQLite has no such clause for this stateme",
                "ALTER TABLE t ADD COLUMN c INTEGER",
            ),
            "postgresql mariadb": "ALTER TABLE t ADD COLUMN IF NOT EXISTS c INTEGER",
            "mysql": Warn(
                "if_not_exists=True ignored: MySQL has no such clause for this statemen",
                "ALTER TABLE t ADD COLUMN c INTEGER",
            ),
            "mssql": Warn(
                "if_not_exists=True ignored: SQL Server has no such clause for this sta",
                "ALTER TABLE t ADD c INTEGER NULL",
            ),
            "oracle": Warn(
                "if_not_exists=True ignored: Oracle has no such clause for this stateme", "ALTER TABLE t ADD c INTEGER"
            ),
        },
        differs={
            "sqlite mysql": Why.NO_CLAUSE,
        },
    ),
    Case(
        "add_column_inline_references",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, sa.ForeignKey("o.id")), inline_references=True),
        {
            "sqlite postgresql mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER REFERENCES o (id)",
            "mssql": "ALTER TABLE t ADD c INTEGER NULL REFERENCES o (id)",
            "oracle": "ALTER TABLE t ADD c INTEGER REFERENCES o (id)",
        },
        differs={
            "mssql oracle": Why.INLINE_REFS,
        },
    ),
    Case(
        "add_column_inline_references_named",
        lambda op: op.add_column(
            "t",
            sa.Column("c", sa.Integer, sa.ForeignKey("s.o.id", name="fk_c", ondelete="CASCADE")),
            inline_references=True,
        ),
        {
            "postgresql": "ALTER TABLE t ADD COLUMN c INTEGER CONSTRAINT fk_c REFERENCES s.o (id) ON DELETE CASCADE",
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER REFERENCES s.o (id) ON DELETE CASCADE",
            "oracle": "ALTER TABLE t ADD c INTEGER CONSTRAINT fk_c REFERENCES s.o (id) ON DELETE CASCADE",
        },
        differs={
            "postgresql": "the foreign key keeps its name (CONSTRAINT fk_c REFERENCES ...); Alembic drops the name",
            "oracle": Why.INLINE_REFS,
        },
    ),
    Case(
        "add_column_inline_primary_key",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, primary_key=True), inline_primary_key=True),
        {
            "sqlite": Error(UnsupportedOperation, "SQLite cannot add a PRIMARY KEY column"),
            "postgresql": "ALTER TABLE t ADD COLUMN c SERIAL NOT NULL PRIMARY KEY",
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY",
            "mssql": "ALTER TABLE t ADD c INTEGER NOT NULL IDENTITY PRIMARY KEY",
            "oracle": "ALTER TABLE t ADD c INTEGER NOT NULL PRIMARY KEY",
        },
        differs={
            "sqlite": "SQLite cannot add a PRIMARY KEY column: refused with the batch-mode remedy",
            "mssql oracle": Why.INLINE_PK,
        },
    ),
    Case(
        "add_column_inline_primary_key_needs_the_flag",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer), inline_primary_key=True),
        {
            "sqlite postgresql mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER",
            "mssql": "ALTER TABLE t ADD c INTEGER NULL",
            "oracle": "ALTER TABLE t ADD c INTEGER",
        },
    ),
    Case(
        "add_column_primary_key_flag",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, primary_key=True)),
        {
            "sqlite": "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL",
            "postgresql": "ALTER TABLE t ADD COLUMN c SERIAL NOT NULL",
            "mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL AUTO_INCREMENT",
            "mssql": "ALTER TABLE t ADD c INTEGER NOT NULL IDENTITY",
            "oracle": "ALTER TABLE t ADD c INTEGER NOT NULL",
        },
    ),
    Case(
        "add_column_unique",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, unique=True)),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb": (
                "ALTER TABLE t ADD COLUMN c INTEGER",
                "ALTER TABLE t ADD UNIQUE (c)",
            ),
            "mssql": (
                "ALTER TABLE t ADD c INTEGER NULL",
                "ALTER TABLE t ADD UNIQUE (c)",
            ),
            "oracle": (
                "ALTER TABLE t ADD c INTEGER",
                "ALTER TABLE t ADD UNIQUE (c)",
            ),
        },
    ),
    Case(
        "add_column_unique_index",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, unique=True, index=True)),
        {
            "sqlite postgresql mysql mariadb": (
                "ALTER TABLE t ADD COLUMN c INTEGER",
                "CREATE UNIQUE INDEX ix_t_c ON t (c)",
            ),
            "mssql": (
                "ALTER TABLE t ADD c INTEGER NULL",
                "CREATE UNIQUE INDEX ix_t_c ON t (c)",
            ),
            "oracle": (
                "ALTER TABLE t ADD c INTEGER",
                "CREATE UNIQUE INDEX ix_t_c ON t (c)",
            ),
        },
    ),
    Case(
        "add_column_column_check",
        lambda op: op.add_column("t", sa.Column("c", sa.Integer, sa.CheckConstraint("c > 0", name="ck_c"))),
        {
            "sqlite postgresql mysql mariadb": "ALTER TABLE t ADD COLUMN c INTEGER CONSTRAINT ck_c CHECK (c > 0)",
            "mssql": "ALTER TABLE t ADD c INTEGER NULL CONSTRAINT ck_c CHECK (c > 0)",
            "oracle": "ALTER TABLE t ADD c INTEGER CONSTRAINT ck_c CHECK (c > 0)",
        },
        differs={
            "mssql oracle": Why.INLINE_CHECK,
        },
    ),
    Case(
        "add_column_boolean_check",
        lambda op: op.add_column("t", sa.Column("b", sa.Boolean(create_constraint=True, name="ck_b"))),
        {
            "sqlite": Warn(
                "Skipping unsupported ALTER for creation of implicit constraint. Please refer to the batch",
                "ALTER TABLE t ADD COLUMN b BOOLEAN",
            ),
            "postgresql": "ALTER TABLE t ADD COLUMN b BOOLEAN",
            "mysql mariadb": (
                "ALTER TABLE t ADD COLUMN b BOOL",
                "ALTER TABLE t ADD CONSTRAINT ck_b CHECK (b IN (0, 1))",
            ),
            "mssql": "ALTER TABLE t ADD b BIT NULL",
            "oracle": "ALTER TABLE t ADD b BOOLEAN",
        },
    ),
    Case(
        "add_column_quoting",
        lambda op: op.add_column("Order", sa.Column("select", sa.Integer)),
        {
            "sqlite postgresql": 'ALTER TABLE "Order" ADD COLUMN "select" INTEGER',
            "mysql mariadb": "ALTER TABLE `Order` ADD COLUMN `select` INTEGER",
            "mssql": "ALTER TABLE [Order] ADD [select] INTEGER NULL",
            "oracle": 'ALTER TABLE "Order" ADD "select" INTEGER',
        },
    ),
    Case(
        "add_column_no_type",
        lambda op: op.add_column("t", sa.Column("o", sa.ForeignKey("o.id"))),
        {
            "postgresql": Error(CommandError, "(in table 't', column 'o'): Can't generate DDL for NullType()"),
        },
    ),
    Case(
        "alter_column_to_boolean_check",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Boolean(create_constraint=True, name="ck_b"), existing_type=sa.Integer(),
            existing_nullable=True,
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c TYPE BOOLEAN",
            "mysql mariadb": ("ALTER TABLE t MODIFY c BOOL NULL", "ALTER TABLE t ADD CONSTRAINT ck_b CHECK (c IN (0, 1))"),
            "mssql": "ALTER TABLE t ALTER COLUMN c BIT NULL",
            "oracle": "ALTER TABLE t MODIFY c BOOLEAN",
        },
    ),
    Case(
        "alter_column_from_boolean_check",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Integer(), existing_type=sa.Boolean(create_constraint=True, name="ck_b"),
            existing_nullable=True,
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c TYPE INTEGER",
            "mysql": ("ALTER TABLE t DROP CHECK ck_b", "ALTER TABLE t MODIFY c INTEGER NULL"),
            "mariadb": ("ALTER TABLE t DROP CONSTRAINT ck_b", "ALTER TABLE t MODIFY c INTEGER NULL"),
            "mssql": "ALTER TABLE t ALTER COLUMN c INTEGER NULL",
            "oracle": "ALTER TABLE t MODIFY c INTEGER",
        },
        differs={
            "mysql mariadb": Why.STALE_CHECK,
        },
    ),
    Case(
        "alter_column_enum_to_enum_check",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Enum("a", "b", "c", name="e2", create_constraint=True, native_enum=False),
            existing_type=sa.Enum("a", "b", name="e", create_constraint=True, native_enum=False), existing_nullable=False,
        ),
        {
            "postgresql": (
                "ALTER TABLE t DROP CONSTRAINT e", "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(1)",
                "ALTER TABLE t ADD CONSTRAINT e2 CHECK (c IN ('a', 'b', 'c'))",
            ),
            "mysql": (
                "ALTER TABLE t DROP CHECK e", "ALTER TABLE t MODIFY c VARCHAR(1) NOT NULL",
                "ALTER TABLE t ADD CONSTRAINT e2 CHECK (c IN ('a', 'b', 'c'))",
            ),
            "mariadb": (
                "ALTER TABLE t DROP CONSTRAINT e", "ALTER TABLE t MODIFY c VARCHAR(1) NOT NULL",
                "ALTER TABLE t ADD CONSTRAINT e2 CHECK (c IN ('a', 'b', 'c'))",
            ),
            "mssql": (
                "ALTER TABLE t DROP CONSTRAINT e", "ALTER TABLE t ALTER COLUMN c VARCHAR(1) NOT NULL",
                "ALTER TABLE t ADD CONSTRAINT e2 CHECK (c IN ('a', 'b', 'c'))",
            ),
            "oracle": (
                "ALTER TABLE t DROP CONSTRAINT e", "ALTER TABLE t MODIFY c VARCHAR(1 CHAR)",
                "ALTER TABLE t ADD CONSTRAINT e2 CHECK (c IN ('a', 'b', 'c'))",
            ),
        },
        differs={
            "mysql mariadb": Why.STALE_CHECK,
        },
    ),
    Case(
        "alter_column_to_enum_native_where_possible",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Enum("a", "b", name="e", create_constraint=True), existing_type=sa.String(5),
            existing_nullable=True,
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c TYPE e",
            "mysql mariadb": "ALTER TABLE t MODIFY c ENUM('a','b') NULL",
            "mssql": ("ALTER TABLE t ALTER COLUMN c VARCHAR(1) NULL", "ALTER TABLE t ADD CONSTRAINT e CHECK (c IN ('a', 'b'))"),
            "oracle": ("ALTER TABLE t MODIFY c VARCHAR(1 CHAR)", "ALTER TABLE t ADD CONSTRAINT e CHECK (c IN ('a', 'b'))"),
        },
    ),
    Case(
        "alter_column_to_enum_unnamed_check",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Enum("a", "b", create_constraint=True, native_enum=False), existing_type=sa.String(5),
            existing_nullable=True, schema="s",
        ),
        {
            "postgresql": ("ALTER TABLE s.t ALTER COLUMN c TYPE VARCHAR(1)", "ALTER TABLE s.t ADD CHECK (c IN ('a', 'b'))"),
            "mysql mariadb": ("ALTER TABLE s.t MODIFY c VARCHAR(1) NULL", "ALTER TABLE s.t ADD CHECK (c IN ('a', 'b'))"),
            "mssql": ("ALTER TABLE s.t ALTER COLUMN c VARCHAR(1) NULL", "ALTER TABLE s.t ADD CHECK (c IN ('a', 'b'))"),
            "oracle": ("ALTER TABLE s.t MODIFY c VARCHAR(1 CHAR)", "ALTER TABLE s.t ADD CHECK (c IN ('a', 'b'))"),
        },
    ),
    Case(
        "alter_column_from_enum_unnamed_check",
        lambda op: op.alter_column(
            "t", "c", type_=sa.String(5), existing_type=sa.Enum("a", "b", create_constraint=True, native_enum=False),
            existing_nullable=True,
        ),
        {
            dialect: Error(UnsupportedOperation, "the CHECK constraint of existing_type has no name")
            for dialect in ("postgresql", "mysql", "mariadb", "mssql", "oracle")
        },
        differs={
            "mysql mariadb": Why.STALE_CHECK,
        },
    ),
    Case(
        "alter_column_from_enum_check_named_by_convention",
        lambda op: op.alter_column(
            "t", "c", type_=sa.String(5), existing_type=sa.Enum("a", "b", create_constraint=True, native_enum=False),
            existing_nullable=True,
        ),
        {
            "postgresql": ("ALTER TABLE t DROP CONSTRAINT ck_t_c", "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(5)"),
            "mysql": ("ALTER TABLE t DROP CHECK ck_t_c", "ALTER TABLE t MODIFY c VARCHAR(5) NULL"),
            "mariadb": ("ALTER TABLE t DROP CONSTRAINT ck_t_c", "ALTER TABLE t MODIFY c VARCHAR(5) NULL"),
            "mssql": ("ALTER TABLE t DROP CONSTRAINT ck_t_c", "ALTER TABLE t ALTER COLUMN c VARCHAR(5) NULL"),
            "oracle": ("ALTER TABLE t DROP CONSTRAINT ck_t_c", "ALTER TABLE t MODIFY c VARCHAR2(5 CHAR)"),
        },
        differs={
            "mysql mariadb": Why.STALE_CHECK,
        },
        opts={"target_metadata": sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(column_0_name)s"})},
    ),
    Case(
        "drop_column",
        lambda op: op.drop_column("t", "c"),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "ALTER TABLE t DROP COLUMN c",
        },
    ),
    Case(
        "drop_column_schema",
        lambda op: op.drop_column("t", "c", schema="s"),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "ALTER TABLE s.t DROP COLUMN c",
        },
    ),
    Case(
        "drop_column_if_exists",
        lambda op: op.drop_column("t", "c", if_exists=True),
        {
            "sqlite": Warn(
                "if_exists=True ignored: SQLite has no such clause for this statement", "ALTER TABLE t DROP COLUMN c"
            ),
            "postgresql mariadb mssql": "ALTER TABLE t DROP COLUMN IF EXISTS c",
            "mysql": Warn(
                "if_exists=True ignored: MySQL has no such clause for this statement", "ALTER TABLE t DROP COLUMN c"
            ),
            "oracle": Warn(
                "if_exists=True ignored: Oracle has no such clause for this statement", "ALTER TABLE t DROP COLUMN c"
            ),
        },
        differs={
            "sqlite mysql oracle": Why.NO_CLAUSE,
        },
    ),
    Case(
        "drop_column_quoting",
        lambda op: op.drop_column("Order", "select"),
        {
            "sqlite postgresql oracle": 'ALTER TABLE "Order" DROP COLUMN "select"',
            "mysql mariadb": "ALTER TABLE `Order` DROP COLUMN `select`",
            "mssql": "ALTER TABLE [Order] DROP COLUMN [select]",
        },
    ),
    Case(
        "drop_column_unknown_keyword",
        lambda op: op.drop_column("t", "c", foo_bar=True),
        {
            "postgresql": Warn(
                "keyword foo_bar is not used by drop_column and was ignored", "ALTER TABLE t DROP COLUMN c"
            ),
        },
    ),
    Case(
        "create_primary_key",
        lambda op: op.create_primary_key("pk_t", "t", ["a", "b"]),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD CONSTRAINT pk_t PRIMARY KEY (a, b)",
        },
    ),
    Case(
        "create_primary_key_schema_unnamed",
        lambda op: op.create_primary_key(None, "t", ["a"], schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE s.t ADD PRIMARY KEY (a)",
        },
    ),
    Case(
        "create_unique_constraint",
        lambda op: op.create_unique_constraint("uq_t", "t", ["a", "b"]),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD CONSTRAINT uq_t UNIQUE (a, b)",
        },
    ),
    Case(
        "create_unique_constraint_unnamed",
        lambda op: op.create_unique_constraint(None, "t", ["a"], schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE s.t ADD UNIQUE (a)",
        },
    ),
    Case(
        "create_unique_constraint_deferrable",
        lambda op: op.create_unique_constraint("uq_t", "t", ["a"], deferrable=True, initially="DEFERRED"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql oracle": "ALTER TABLE t ADD CONSTRAINT uq_t UNIQUE (a) DEFERRABLE INITIALLY DEFERRED",
            "mysql": Error(UnsupportedOperation, "MySQL constraints cannot be deferred"),
            "mariadb": Error(UnsupportedOperation, "MariaDB constraints cannot be deferred"),
            "mssql": Error(UnsupportedOperation, "SQL Server constraints cannot be deferred"),
        },
        differs={
            "mysql mariadb mssql": Why.DEFERRABLE,
        },
    ),
    Case(
        "create_foreign_key",
        lambda op: op.create_foreign_key("fk_t", "t", "o", ["a"], ["id"]),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id)",
        },
    ),
    Case(
        "create_foreign_key_cascades",
        lambda op: op.create_foreign_key(
            "fk_t",
            "t",
            "o",
            ["a", "b"],
            ["x", "y"],
            onupdate="CASCADE",
            ondelete="SET NULL",
            source_schema="s1",
            referent_schema="s2",
        ),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql": "ALTER TABLE s1.t ADD CONSTRAINT fk_t FOREIGN KEY(a, b) REFERENCES s2.o (x, y) ON DELETE SET NULL ON UPDATE CASCADE",
            "oracle": "ALTER TABLE s1.t ADD CONSTRAINT fk_t FOREIGN KEY(a, b) REFERENCES s2.o (x, y) ON DELETE SET NULL",
        },
    ),
    Case(
        "create_foreign_key_deferrable",
        lambda op: op.create_foreign_key("fk_t", "t", "o", ["a"], ["id"], deferrable=True, initially="DEFERRED"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql oracle": "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id) DEFERRABLE INITIALLY DEFERRED",
            "mysql": Error(UnsupportedOperation, "MySQL constraints cannot be deferred"),
            "mariadb": Error(UnsupportedOperation, "MariaDB constraints cannot be deferred"),
            "mssql": Error(UnsupportedOperation, "SQL Server constraints cannot be deferred"),
        },
        differs={
            "mysql mariadb mssql": Why.DEFERRABLE,
        },
    ),
    Case(
        "create_foreign_key_not_deferrable",
        lambda op: op.create_foreign_key("fk_t", "t", "o", ["a"], ["id"], deferrable=False),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql oracle": "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id) NOT DEFERRABLE",
            "mysql": Warn(
                "NOT DEFERRABLE / INITIALLY IMMEDIATE left out: it is the only behaviou",
                "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id)",
            ),
            "mariadb": Warn(
                "NOT DEFERRABLE / INITIALLY IMMEDIATE left out: it is the only behaviou",
                "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id)",
            ),
            "mssql": Warn(
                "NOT DEFERRABLE / INITIALLY IMMEDIATE left out: it is the only behaviou",
                "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id)",
            ),
        },
        differs={
            "mysql mariadb mssql": Why.NOT_DEFERRABLE,
        },
    ),
    Case(
        "create_foreign_key_match",
        lambda op: op.create_foreign_key("fk_t", "t", "o", ["a"], ["id"], match="FULL"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql": "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES o (id) MATCH FULL",
            "mysql": Error(UnsupportedOperation, "MySQL ignores the 'MATCH' keyword while at the same time causes ON UPDATE/ON DELETE"),
            "mariadb": Error(UnsupportedOperation, "MySQL ignores the 'MATCH' keyword while at the same time causes ON UPDATE/ON DELETE"),
            "mssql": Error(UnsupportedOperation, "SQL Server foreign keys have no MATCH clause"),
            "oracle": Error(UnsupportedOperation, "Oracle foreign keys have no MATCH clause"),
        },
        differs={
            "mssql oracle": Why.MATCH,
        },
    ),
    Case(
        "create_foreign_key_unnamed_self",
        lambda op: op.create_foreign_key(None, "t", "t", ["parent"], ["id"]),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD FOREIGN KEY(parent) REFERENCES t (id)",
        },
    ),
    Case(
        "create_foreign_key_column_count",
        lambda op: op.create_foreign_key("fk", "t", "o", ["a", "b"], ["id"]),
        {
            "postgresql": Error(CommandError, "2 local column(s) but 1 remote column(s)"),
        },
    ),
    Case(
        "create_check_constraint",
        lambda op: op.create_check_constraint("ck_t", "t", "a > 5"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD CONSTRAINT ck_t CHECK (a > 5)",
        },
    ),
    Case(
        "create_check_constraint_expression",
        lambda op: op.create_check_constraint("ck_t", "t", sa.column("a") > 5, schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE s.t ADD CONSTRAINT ck_t CHECK (a > 5)",
        },
    ),
    Case(
        "create_check_constraint_text_quotes",
        lambda op: op.create_check_constraint("ck_t", "t", sa.text("name != 'x'")),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD CONSTRAINT ck_t CHECK (name != 'x')",
        },
    ),
    Case(
        "create_check_constraint_unnamed",
        lambda op: op.create_check_constraint(None, "t", "a > 5"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mysql mariadb mssql oracle": "ALTER TABLE t ADD CHECK (a > 5)",
        },
    ),
    Case(
        "create_exclude_constraint",
        lambda op: op.create_exclude_constraint("ex_t", "t", ("period", "&&"), using="gist"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql": "ALTER TABLE t ADD CONSTRAINT ex_t EXCLUDE USING gist (period WITH &&)",
            "mysql": Error(UnsupportedOperation, "EXCLUDE constraints exist only in PostgreSQL"),
            "mariadb": Error(UnsupportedOperation, "EXCLUDE constraints exist only in PostgreSQL"),
            "mssql": Error(UnsupportedOperation, "EXCLUDE constraints exist only in PostgreSQL"),
            "oracle": Error(UnsupportedOperation, "EXCLUDE constraints exist only in PostgreSQL"),
        },
    ),
    Case(
        "drop_constraint_untyped",
        lambda op: op.drop_constraint("c1", "t"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mssql oracle": "ALTER TABLE t DROP CONSTRAINT c1",
            "mysql": Error(UnsupportedOperation, "No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type"),
            "mariadb": Error(UnsupportedOperation, "No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type"),
        },
    ),
    Case(
        "drop_constraint_foreignkey",
        lambda op: op.drop_constraint("c1", "t", type_="foreignkey"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mssql oracle": "ALTER TABLE t DROP CONSTRAINT c1",
            "mysql mariadb": "ALTER TABLE t DROP FOREIGN KEY c1",
        },
    ),
    Case(
        "drop_constraint_primary",
        lambda op: op.drop_constraint("c1", "t", type_="primary"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mssql oracle": "ALTER TABLE t DROP CONSTRAINT c1",
            "mysql mariadb": "ALTER TABLE t DROP PRIMARY KEY",
        },
    ),
    Case(
        "drop_constraint_unique",
        lambda op: op.drop_constraint("c1", "t", type_="unique"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mssql oracle": "ALTER TABLE t DROP CONSTRAINT c1",
            "mysql mariadb": "ALTER TABLE t DROP INDEX c1",
        },
    ),
    Case(
        "drop_constraint_check",
        lambda op: op.drop_constraint("c1", "t", type_="check", schema="s"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mariadb mssql oracle": "ALTER TABLE s.t DROP CONSTRAINT c1",
            "mysql": "ALTER TABLE s.t DROP CHECK c1",
        },
    ),
    Case(
        "drop_constraint_if_exists",
        lambda op: op.drop_constraint("c1", "t", type_="foreignkey", if_exists=True),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql mssql": "ALTER TABLE t DROP CONSTRAINT IF EXISTS c1",
            "mysql": Warn(
                "if_exists=True ignored: MySQL has no such clause for this statement",
                "ALTER TABLE t DROP FOREIGN KEY c1",
            ),
            "mariadb": "ALTER TABLE t DROP FOREIGN KEY IF EXISTS c1",
            "oracle": Warn(
                "if_exists=True ignored: Oracle has no such clause for this statement",
                "ALTER TABLE t DROP CONSTRAINT c1",
            ),
        },
        differs={
            "mariadb": "MariaDB has DROP FOREIGN KEY IF EXISTS (Alembic drops the clause)",
            "oracle": Why.NO_CLAUSE,
        },
    ),
    Case(
        "drop_constraint_bad_type",
        lambda op: op.drop_constraint("c1", "t", type_="exclude"),
        {
            "postgresql": Error(CommandError, "'type' can be one of 'check', 'foreignkey', 'primary', 'unique', None"),
        },
    ),
    Case(
        "drop_constraint_quoting",
        lambda op: op.drop_constraint("Fk Odd", "Order", type_="foreignkey"),
        {
            "sqlite": Error(UnsupportedOperation, "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode"),
            "postgresql oracle": 'ALTER TABLE "Order" DROP CONSTRAINT "Fk Odd"',
            "mysql mariadb": "ALTER TABLE `Order` DROP FOREIGN KEY `Fk Odd`",
            "mssql": "ALTER TABLE [Order] DROP CONSTRAINT [Fk Odd]",
        },
    ),
    Case(
        "create_index",
        lambda op: op.create_index("ix", "t", ["a", "b"]),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "CREATE INDEX ix ON t (a, b)",
        },
    ),
    Case(
        "create_index_unique_schema",
        lambda op: op.create_index("ix", "t", ["a"], unique=True, schema="s"),
        {
            "sqlite": "CREATE UNIQUE INDEX s.ix ON t (a)",
            "postgresql mysql mariadb mssql": "CREATE UNIQUE INDEX ix ON s.t (a)",
            "oracle": "CREATE UNIQUE INDEX s.ix ON s.t (a)",
        },
    ),
    Case(
        "create_index_if_not_exists",
        lambda op: op.create_index("ix", "t", ["a"], if_not_exists=True),
        {
            "sqlite postgresql mariadb": "CREATE INDEX IF NOT EXISTS ix ON t (a)",
            "mysql": Warn(
                "if_not_exists=True ignored: MySQL has no such clause for this statemen", "CREATE INDEX ix ON t (a)"
            ),
            "mssql": Warn(
                "if_not_exists=True ignored: SQL Server has no such clause for this sta", "CREATE INDEX ix ON t (a)"
            ),
            "oracle": Warn(
                "if_not_exists=True ignored: Oracle has no such clause for this stateme", "CREATE INDEX ix ON t (a)"
            ),
        },
        differs={
            "mysql": Why.NO_CLAUSE,
        },
    ),
    Case(
        "create_index_text_expression",
        lambda op: op.create_index("ix", "t", [sa.text("lower(name)")]),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "CREATE INDEX ix ON t (lower(name))",
        },
    ),
    Case(
        "create_index_function_expression",
        lambda op: op.create_index("ix", "t", [sa.func.lower(sa.column("name")), "b"]),
        {
            "sqlite postgresql mssql oracle": "CREATE INDEX ix ON t (lower(name), b)",
            "mysql mariadb": "CREATE INDEX ix ON t ((lower(name)), b)",
        },
    ),
    Case(
        "create_index_descending",
        lambda op: op.create_index("ix", "t", [sa.column("a").desc()]),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "CREATE INDEX ix ON t (a DESC)",
        },
    ),
    Case(
        "create_index_unnamed",
        lambda op: op.create_index(None, "t", ["a"]),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "CREATE INDEX ix_t_a ON t (a)",
        },
    ),
    Case(
        "create_index_quoting",
        lambda op: op.create_index("Ix Odd", "Order", ["select"]),
        {
            "sqlite postgresql oracle": 'CREATE INDEX "Ix Odd" ON "Order" ("select")',
            "mysql mariadb": "CREATE INDEX `Ix Odd` ON `Order` (`select`)",
            "mssql": "CREATE INDEX [Ix Odd] ON [Order] ([select])",
        },
    ),
    Case(
        "drop_index",
        lambda op: op.drop_index("ix", table_name="t"),
        {
            "sqlite postgresql oracle": "DROP INDEX ix",
            "mysql mariadb mssql": "DROP INDEX ix ON t",
        },
    ),
    Case(
        "drop_index_no_table",
        lambda op: op.drop_index("ix"),
        {
            "sqlite postgresql oracle": "DROP INDEX ix",
            "mysql": Error(UnsupportedOperation, "an index belongs to a table in MySQL and DROP INDEX must name it"),
            "mariadb": Error(
                UnsupportedOperation, "an index belongs to a table in MariaDB and DROP INDEX must name it"
            ),
            "mssql": Error(
                UnsupportedOperation, "an index belongs to a table in SQL Server and DROP INDEX must name it"
            ),
        },
        differs={
            "mysql mariadb mssql": Why.NEEDS_TABLE,
        },
    ),
    Case(
        "drop_index_schema",
        lambda op: op.drop_index("ix", table_name="t", schema="s"),
        {
            "sqlite postgresql oracle": "DROP INDEX s.ix",
            "mysql mariadb mssql": "DROP INDEX ix ON s.t",
        },
    ),
    Case(
        "drop_index_if_exists",
        lambda op: op.drop_index("ix", table_name="t", if_exists=True),
        {
            "sqlite postgresql oracle": "DROP INDEX IF EXISTS ix",
            "mysql": Warn("if_exists=True ignored: MySQL has no such clause for this statement", "DROP INDEX ix ON t"),
            "mariadb mssql": "DROP INDEX IF EXISTS ix ON t",
        },
        differs={
            "mysql": Why.NO_CLAUSE,
        },
    ),
    Case(
        "drop_index_quoting",
        lambda op: op.drop_index("Ix Odd", table_name="Order"),
        {
            "sqlite postgresql oracle": 'DROP INDEX "Ix Odd"',
            "mysql mariadb": "DROP INDEX `Ix Odd` ON `Order`",
            "mssql": "DROP INDEX [Ix Odd] ON [Order]",
        },
    ),
    Case(
        "execute_string",
        lambda op: op.execute("UPDATE t SET x = 1"),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "UPDATE t SET x = 1",
        },
    ),
    Case(
        "execute_string_raw",
        lambda op: op.execute("UPDATE t SET v = '100%' WHERE w = ':name'"),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "UPDATE t SET v = '100%' WHERE w = ':name'",
        },
        differs={
            "sqlite postgresql mysql mariadb mssql oracle": Why.RAW_SQL,
        },
    ),
    Case(
        "execute_text_bound",
        lambda op: op.execute(sa.text("UPDATE t SET x = :v").bindparams(v=5)),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "UPDATE t SET x = 5",
        },
    ),
    Case(
        "execute_update_inline_literal",
        lambda op: op.execute(
            sa.table("t", sa.column("x"))
            .update()
            .where(sa.column("x") == op.inline_literal(5))
            .values(x=op.inline_literal("y'z"))
        ),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "UPDATE t SET x='y''z' WHERE x = 5",
        },
    ),
    Case(
        "execute_insert_table",
        lambda op: op.execute(
            sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(10)))
            .insert()
            .values(v="a")
        ),
        {
            "sqlite mysql mariadb oracle": "INSERT INTO t (v) VALUES ('a')",
            "postgresql": "INSERT INTO t (v) VALUES ('a') RETURNING t.id",
            "mssql": "INSERT INTO t (v) OUTPUT inserted.id VALUES ('a')",
        },
        differs={
            "oracle": Why.INSERT_INLINE,
        },
    ),
    Case(
        "execute_ddl_construct",
        lambda op: op.execute(sa.schema.CreateSequence(sa.Sequence("s1", start=5))),
        {
            "postgresql mariadb mssql oracle": "CREATE SEQUENCE s1 START WITH 5",
        },
    ),
    Case(
        "execute_ddl_string",
        lambda op: op.execute("CREATE VIEW v AS SELECT 1"),
        {
            "sqlite postgresql mysql mariadb mssql oracle": "CREATE VIEW v AS SELECT 1",
        },
    ),
    Case(
        "bulk_insert_table",
        lambda op: op.bulk_insert(
            sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(10))),
            [{"id": 1, "v": "a"}, {"id": 2, "v": "b'c"}],
        ),
        {
            "sqlite postgresql mysql mariadb oracle": (
                "INSERT INTO t (id, v) VALUES (1, 'a')",
                "INSERT INTO t (id, v) VALUES (2, 'b''c')",
            ),
            "mssql": (
                "SET IDENTITY_INSERT t ON",
                "INSERT INTO t (id, v) VALUES (1, 'a')",
                "INSERT INTO t (id, v) VALUES (2, 'b''c')",
                "SET IDENTITY_INSERT t OFF",
            ),
        },
    ),
    Case(
        "bulk_insert_inline_literal",
        # Alembic's docstring example: inline_literal() for values of another type than the column's
        lambda op: op.bulk_insert(
            sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("made", sa.Date)),
            [
                {"id": 1, "name": "John Smith", "made": op.inline_literal("2010-10-05")},
                {"id": op.inline_literal(2), "name": "Ed Williams", "made": datetime.date(2007, 5, 27)},
                {"id": 3, "name": op.inline_literal("Wendy O'Jones"), "made": op.inline_literal("2008-08-15")},
            ],
        ),
        {
            "sqlite postgresql mysql mariadb": (
                "INSERT INTO account (id, name, made) VALUES (1, 'John Smith', '2010-10-05')",
                "INSERT INTO account (id, name, made) VALUES (2, 'Ed Williams', '2007-05-27')",
                "INSERT INTO account (id, name, made) VALUES (3, 'Wendy O''Jones', '2008-08-15')",
            ),
            "oracle": (
                "INSERT INTO account (id, name, made) VALUES (1, 'John Smith', '2010-10-05')",
                "INSERT INTO account (id, name, made) VALUES (2, 'Ed Williams', TO_DATE('2007-05-27', 'YYYY-MM-DD'))",
                "INSERT INTO account (id, name, made) VALUES (3, 'Wendy O''Jones', '2008-08-15')",
            ),
            "mssql": (
                (
                    "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'account') AND name IN "
                    "(N'id', N'name', N'made')) SET IDENTITY_INSERT account ON"
                ),
                "INSERT INTO account (id, name, made) VALUES (1, 'John Smith', '2010-10-05')",
                "INSERT INTO account (id, name, made) VALUES (2, 'Ed Williams', '2007-05-27')",
                "INSERT INTO account (id, name, made) VALUES (3, 'Wendy O''Jones', '2008-08-15')",
                (
                    "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'account') AND name IN "
                    "(N'id', N'name', N'made')) SET IDENTITY_INSERT account OFF"
                ),
            ),
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
    Case(
        "bulk_insert_rows_not_dicts",
        lambda op: op.bulk_insert(sa.table("t", sa.column("id"), schema="s"), [(1,), (2,)]),
        {
            dialect: Error(InvalidArgument, "bulk_insert(s.t): List of dictionaries expected: row 1 is not a dict of column name -> value but tuple")
            for dialect in ALL_DIALECTS
        },
    ),
    Case(
        "bulk_insert_table_without_ids",
        lambda op: op.bulk_insert(
            sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(10))),
            [{"v": "a"}, {"v": "b"}],
        ),
        {
            "sqlite postgresql mysql mariadb mssql oracle": (
                "INSERT INTO t (v) VALUES ('a')",
                "INSERT INTO t (v) VALUES ('b')",
            ),
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
    Case(
        "bulk_insert_lightweight",
        lambda op: op.bulk_insert(
            sa.table("t", sa.column("id", sa.Integer), sa.column("v", sa.String)),
            [{"id": 1, "v": "a"}],
            multiinsert=False,
        ),
        {
            "sqlite postgresql mysql mariadb oracle": "INSERT INTO t (id, v) VALUES (1, 'a')",
            "mssql": (
                "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N't') AND name IN (N'id', N'v')) SET IDENTITY_INSERT t ON",
                "INSERT INTO t (id, v) VALUES (1, 'a')",
                "IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N't') AND name IN (N'id', N'v')) SET IDENTITY_INSERT t OFF",
            ),
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
    Case(
        "bulk_insert_ragged_rows",
        lambda op: op.bulk_insert(
            sa.table("t", sa.column("id", sa.Integer), sa.column("v", sa.String)), [{"id": 1}, {"v": "x"}]
        ),
        {
            "postgresql": (
                "INSERT INTO t (id) VALUES (1)",
                "INSERT INTO t (v) VALUES ('x')",
            ),
        },
    ),
    Case(
        "bulk_insert_untyped",
        lambda op: op.bulk_insert(
            sa.table("t", sa.column("id"), sa.column("v"), sa.column("d")),
            [{"id": 1, "v": "a", "d": datetime.date(2020, 1, 2)}, {"id": None, "v": None, "d": None}],
        ),
        {
            "sqlite postgresql": (
                "INSERT INTO t (id, v, d) VALUES (1, 'a', '2020-01-02')",
                "INSERT INTO t (id, v, d) VALUES (NULL, NULL, NULL)",
            ),
            "oracle": (
                "INSERT INTO t (id, v, d) VALUES (1, 'a', TO_DATE('2020-01-02', 'YYYY-MM-DD'))",
                "INSERT INTO t (id, v, d) VALUES (NULL, NULL, NULL)",
            ),
        },
        differs={
            "sqlite postgresql oracle": Why.UNTYPED,
        },
    ),
    Case(
        "bulk_insert_types",
        lambda op: op.bulk_insert(
            sa.table("t", sa.column("b", sa.Boolean), sa.column("d", sa.DateTime), sa.column("n", sa.Numeric(10, 2))),
            [{"b": True, "d": datetime.datetime(2020, 1, 2, 3, 4, 5), "n": decimal.Decimal("1.50")}],
        ),
        {
            "sqlite": "INSERT INTO t (b, d, n) VALUES (1, '2020-01-02 03:04:05.000000', 1.50)",
            "postgresql mysql": "INSERT INTO t (b, d, n) VALUES (true, '2020-01-02 03:04:05', 1.50)",
            "oracle": "INSERT INTO t (b, d, n) VALUES (1, TO_DATE('2020-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS'), 1.50)",
        },
    ),
    Case(
        "bulk_insert_empty",
        lambda op: op.bulk_insert(sa.table("t", sa.column("id", sa.Integer)), []),
        {
            "postgresql mssql": (),
        },
        differs={
            "mssql": Why.IDENTITY_INSERT,
        },
    ),
    Case(
        "bulk_insert_schema",
        lambda op: op.bulk_insert(sa.table("t", sa.column("id", sa.Integer), schema="s"), [{"id": 1}]),
        {
            "postgresql": "INSERT INTO s.t (id) VALUES (1)",
        },
    ),
    Case(
        "bulk_insert_into_created_table",
        lambda op: op.bulk_insert(
            op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(5))),
            [{"id": 1, "v": "x"}],
        ),
        {
            "sqlite": (
                "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    v VARCHAR(5), \n    PRIMARY KEY (id)\n)",
                "INSERT INTO t (id, v) VALUES (1, 'x')",
            ),
            "postgresql": (
                "CREATE TABLE t (\n    id SERIAL NOT NULL, \n    v VARCHAR(5), \n    PRIMARY KEY (id)\n)",
                "INSERT INTO t (id, v) VALUES (1, 'x')",
            ),
            "mysql mariadb": (
                "CREATE TABLE t (\n    id INTEGER NOT NULL AUTO_INCREMENT, \n    v VARCHAR(5), \n    PRIMARY KEY (id)\n)",
                "INSERT INTO t (id, v) VALUES (1, 'x')",
            ),
            "mssql": (
                "CREATE TABLE t (\n    id INTEGER NOT NULL IDENTITY, \n    v VARCHAR(5) NULL, \n    PRIMARY KEY (id)\n)",
                "SET IDENTITY_INSERT t ON",
                "INSERT INTO t (id, v) VALUES (1, 'x')",
                "SET IDENTITY_INSERT t OFF",
            ),
            "oracle": (
                "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    v VARCHAR2(5 CHAR), \n    PRIMARY KEY (id)\n)",
                "INSERT INTO t (id, v) VALUES (1, 'x')",
            ),
        },
    ),
    # -- naming conventions of the target metadata ----------------------------------------
    Case(
        "naming_unique_unnamed",
        lambda op: op.create_unique_constraint(None, "t", ["a"]),
        {"postgresql mssql": "ALTER TABLE t ADD CONSTRAINT uq_t_a UNIQUE (a)"},
        opts=NC,
    ),
    Case(
        "naming_unique_final_name",
        lambda op: op.create_unique_constraint(op.f("my_uq"), "t", ["a"]),
        {"postgresql mssql": "ALTER TABLE t ADD CONSTRAINT my_uq UNIQUE (a)"},
        opts=NC,
    ),
    Case(
        "naming_check_named",
        lambda op: op.create_check_constraint("positive", "t", "a > 0"),
        {"postgresql oracle": "ALTER TABLE t ADD CONSTRAINT ck_t_positive CHECK (a > 0)"},
        opts=NC,
    ),
    Case(
        "naming_check_unnamed",
        lambda op: op.create_check_constraint(None, "t", "a > 0"),
        {"postgresql": Error(sa.exc.InvalidRequestError, "requires that constraint is explicitly named")},
        opts=NC,
    ),
    Case(
        "naming_foreign_key_and_primary_key",
        lambda op: (
            op.create_foreign_key(None, "t", "o", ["a"], ["id"]),
            op.create_primary_key(None, "t", ["id"]),
        ),
        {
            "postgresql mysql": (
                "ALTER TABLE t ADD CONSTRAINT fk_t_a_o FOREIGN KEY(a) REFERENCES o (id)",
                "ALTER TABLE t ADD CONSTRAINT pk_t PRIMARY KEY (id)",
            )
        },
        opts=NC,
    ),
    Case(
        "naming_index",
        lambda op: (op.create_index(None, "t", ["a"]), op.drop_index(op.f("ix_t_a"), table_name="t")),
        {"postgresql": ("CREATE INDEX ix_t_a ON t (a)", "DROP INDEX ix_t_a")},
        opts=NC,
    ),
    Case(
        "naming_drop_constraint",
        lambda op: (
            op.drop_constraint("positive", "t", type_="check"),
            op.drop_constraint(op.f("ck_t_positive"), "t", type_="check"),
        ),
        {"postgresql": ("ALTER TABLE t DROP CONSTRAINT ck_t_positive", "ALTER TABLE t DROP CONSTRAINT ck_t_positive")},
        opts=NC,
    ),
    Case(
        "naming_create_table",
        lambda op: op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("a", sa.Integer, unique=True, index=True),
            sa.Column("o", sa.Integer, sa.ForeignKey("o.id")),
            sa.CheckConstraint("a > 0", name="pos"),
        ),
        {
            "postgresql": (
                (
                    "CREATE TABLE t (\n    id SERIAL NOT NULL, \n    a INTEGER, \n    o INTEGER, \n"
                    "    CONSTRAINT pk_t PRIMARY KEY (id), \n    CONSTRAINT ck_t_pos CHECK (a > 0), \n"
                    "    CONSTRAINT fk_t_o_o FOREIGN KEY(o) REFERENCES o (id)\n)"
                ),
                "CREATE UNIQUE INDEX ix_t_a ON t (a)",
            )
        },
        opts=NC,
    ),
    Case(
        "naming_add_column",
        lambda op: op.add_column("t", sa.Column("b", sa.Integer, sa.ForeignKey("o.id"), unique=True)),
        {
            "postgresql": (
                "ALTER TABLE t ADD COLUMN b INTEGER",
                "ALTER TABLE t ADD CONSTRAINT fk_t_b_o FOREIGN KEY(b) REFERENCES o (id)",
                "ALTER TABLE t ADD CONSTRAINT uq_t_b UNIQUE (b)",
            )
        },
        differs={"postgresql": Why.SET_ORDER},
        opts=NC,
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)
