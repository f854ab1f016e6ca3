"""PostgreSQL: ALTER COLUMN forms, USING, identity columns, EXCLUDE, CONCURRENTLY.

https://www.postgresql.org/docs/current/sql-altertable.html
"""

from __future__ import annotations

import uuid

import limbeck_dialect_cases as cases
import pytest
import sqlalchemy as sa
from limbeck_dialect_cases import Case, Error, Warn
from sqlalchemy.dialects import postgresql as pg

from limbeck.errors import UnsupportedOperation

CASES = [
    Case(
        "bulk_insert_uuid_inline_literal",
        lambda op: op.bulk_insert(
            sa.table("t", sa.column("u", pg.UUID)),
            [{"u": op.inline_literal(uuid.UUID(int=1))}, {"u": uuid.UUID(int=2)}],
        ),
        {
            "postgresql": (
                "INSERT INTO t (u) VALUES ('00000000-0000-0000-0000-000000000001')",
                "INSERT INTO t (u) VALUES ('00000000-0000-0000-0000-000000000002')",
            ),
        },
    ),
    Case(
        "alter_column_not_null",
        lambda op: op.alter_column("t", "c", nullable=False),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
        },
    ),
    Case(
        "alter_column_null",
        lambda op: op.alter_column("t", "c", nullable=True, schema="s"),
        {
            "postgresql": "ALTER TABLE s.t ALTER COLUMN c DROP NOT NULL",
        },
    ),
    Case(
        "alter_column_type",
        lambda op: op.alter_column("t", "c", type_=sa.String(20), existing_type=sa.Integer),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(20)",
        },
    ),
    Case(
        "alter_column_type_using",
        lambda op: op.alter_column(
            "t", "c", type_=sa.Integer, existing_type=sa.String(20), postgresql_using="c::integer"
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c::integer",
        },
    ),
    Case(
        "alter_column_type_enum",
        lambda op: op.alter_column("t", "c", type_=sa.Enum("a", "b", name="e"), existing_type=sa.String(20)),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c TYPE e",
        },
    ),
    Case(
        "alter_column_default",
        lambda op: op.alter_column("t", "c", server_default="x"),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'",
        },
    ),
    Case(
        "alter_column_default_text",
        lambda op: op.alter_column("t", "c", server_default=sa.text("now()"), existing_type=sa.DateTime),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET DEFAULT now()",
        },
    ),
    Case(
        "alter_column_default_function",
        lambda op: op.alter_column("t", "c", server_default=sa.func.now(), existing_type=sa.DateTime),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET DEFAULT now()",
        },
    ),
    Case(
        "alter_column_default_replace",
        lambda op: op.alter_column("t", "c", server_default="y", existing_server_default="x"),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'y'",
        },
    ),
    Case(
        "alter_column_drop_default",
        lambda op: op.alter_column("t", "c", server_default=None),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
        },
    ),
    Case(
        "alter_column_rename",
        lambda op: op.alter_column("t", "c", new_column_name="d"),
        {
            "postgresql": "ALTER TABLE t RENAME c TO d",
        },
    ),
    Case(
        "alter_column_comment",
        lambda op: op.alter_column("t", "c", comment="it's new", existing_comment="old"),
        {
            "postgresql": "COMMENT ON COLUMN t.c IS 'it''s new'",
        },
    ),
    Case(
        "alter_column_drop_comment",
        lambda op: op.alter_column("t", "c", comment=None, schema="s"),
        {
            "postgresql": "COMMENT ON COLUMN s.t.c IS NULL",
        },
    ),
    Case(
        "alter_column_everything",
        lambda op: op.alter_column(
            "t",
            "c",
            nullable=False,
            server_default="x",
            type_=sa.String(20),
            new_column_name="d",
            comment="hey",
            existing_type=sa.Integer,
            existing_nullable=True,
            postgresql_using="c::varchar",
        ),
        {
            "postgresql": (
                "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(20) USING c::varchar",
                "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
                "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'",
                "COMMENT ON COLUMN t.c IS 'hey'",
                "ALTER TABLE t RENAME c TO d",
            ),
        },
    ),
    Case(
        "alter_column_quoting",
        lambda op: op.alter_column("Order", "select", new_column_name="From", nullable=False),
        {
            "postgresql": (
                'ALTER TABLE "Order" ALTER COLUMN "select" SET NOT NULL',
                'ALTER TABLE "Order" RENAME "select" TO "From"',
            ),
        },
    ),
    Case(
        "alter_column_add_identity",
        lambda op: op.alter_column("t", "c", server_default=sa.Identity(start=3), existing_type=sa.Integer),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 3)",
        },
    ),
    Case(
        "alter_column_add_identity_options",
        lambda op: op.alter_column(
            "t",
            "c",
            server_default=sa.Identity(
                always=True, start=1, increment=1, minvalue=1, maxvalue=1000, cycle=False, cache=5
            ),
            existing_type=sa.Integer,
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c ADD GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 START WITH 1 MINVALUE 1 MAXVALUE 1000 CACHE 5 NO CYCLE)",
        },
    ),
    Case(
        "alter_column_change_identity",
        lambda op: op.alter_column(
            "t",
            "c",
            server_default=sa.Identity(start=5, increment=3, always=True),
            existing_server_default=sa.Identity(),
            existing_type=sa.Integer,
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET GENERATED ALWAYS SET INCREMENT BY 3 SET START WITH 5",
        },
    ),
    Case(
        "alter_column_change_identity_limits",
        lambda op: op.alter_column(
            "t",
            "c",
            server_default=sa.Identity(minvalue=1, maxvalue=100, cycle=True, cache=10),
            existing_server_default=sa.Identity(start=1),
            existing_type=sa.Integer,
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c SET CACHE 10 SET CYCLE SET MAXVALUE 100 SET MINVALUE 1",
        },
    ),
    Case(
        "alter_column_same_identity",
        lambda op: op.alter_column(
            "t",
            "c",
            server_default=sa.Identity(start=5),
            existing_server_default=sa.Identity(start=5),
            existing_type=sa.Integer,
        ),
        {
            "postgresql": (),
        },
        differs={
            "postgresql": "an unchanged identity needs no statement (Alembic emits a bare, invalid 'ALTER COLUMN c')",
        },
    ),
    Case(
        "alter_column_drop_identity",
        lambda op: op.alter_column(
            "t", "c", server_default=None, existing_server_default=sa.Identity(), existing_type=sa.Integer
        ),
        {
            "postgresql": "ALTER TABLE t ALTER COLUMN c DROP IDENTITY",
        },
    ),
    Case(
        "alter_column_identity_to_default",
        lambda op: op.alter_column(
            "t", "c", server_default="5", existing_server_default=sa.Identity(), existing_type=sa.Integer
        ),
        {
            "postgresql": (
                "ALTER TABLE t ALTER COLUMN c DROP IDENTITY",
                "ALTER TABLE t ALTER COLUMN c SET DEFAULT '5'",
            ),
        },
        differs={
            "postgresql": "identity replaced by a plain default: DROP IDENTITY, then SET DEFAULT (Alembic fails)",
        },
    ),
    Case(
        "alter_column_identity_to_default_and_text",
        lambda op: op.alter_column(
            "t", "c", type_=sa.String(10), server_default="x", existing_server_default=sa.Identity()
        ),
        {
            # the identity goes first: "identity column type must be smallint, integer, or bigint"
            "postgresql": (
                "ALTER TABLE t ALTER COLUMN c DROP IDENTITY",
                "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(10)",
                "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'",
            ),
        },
        differs={
            "postgresql": "identity replaced by a plain default: DROP IDENTITY, then SET DEFAULT (Alembic fails)",
        },
    ),
    Case(
        "alter_column_default_to_identity",
        lambda op: op.alter_column(
            "t", "c", type_=sa.BigInteger(), server_default=sa.Identity(), existing_server_default="5"
        ),
        {
            # ADD GENERATED on a column with a default: "column "c" ... already has a default value"
            "postgresql": (
                "ALTER TABLE t ALTER COLUMN c TYPE BIGINT",
                "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
                "ALTER TABLE t ALTER COLUMN c ADD GENERATED BY DEFAULT AS IDENTITY",
            ),
        },
        differs={
            "postgresql": "a plain default replaced by an identity: DROP DEFAULT, then ADD GENERATED (Alembic fails)",
        },
    ),
    Case(
        "alter_column_computed",
        lambda op: op.alter_column("t", "c", server_default=sa.Computed("a + 1"), existing_type=sa.Integer),
        {
            "postgresql": Error(
                UnsupportedOperation, "Adding or removing a \"computed\" construct, e.g. GENERATED ALWAYS AS, to or from an existing"
            ),
        },
    ),
    Case(
        "alter_column_unknown_keyword",
        lambda op: op.alter_column("t", "c", nullable=True, postgresql_bogus=1),
        {
            "postgresql": Warn(
                "keyword postgresql_bogus is not used by alter_column and was ignored",
                "ALTER TABLE t ALTER COLUMN c DROP NOT NULL",
            ),
        },
    ),
    Case(
        "create_exclude_constraint_where",
        lambda op: op.create_exclude_constraint(
            "ex_t", "t", (sa.column("period"), "&&"), (sa.column("room"), "="), where=sa.column("a") > 5, using="gist"
        ),
        {
            "postgresql": "ALTER TABLE t ADD CONSTRAINT ex_t EXCLUDE USING gist (period WITH &&, room WITH =) WHERE (a > 5)",
        },
    ),
    Case(
        "create_exclude_constraint_schema_text_where",
        lambda op: op.create_exclude_constraint(
            "ex_t", "t", ("period", "&&"), using="gist", schema="s", where="a > 1", deferrable=True
        ),
        {
            "postgresql": "ALTER TABLE s.t ADD CONSTRAINT ex_t EXCLUDE USING gist (period WITH &&) WHERE (a > 1) DEFERRABLE",
        },
    ),
    Case(
        "create_index_concurrently_where_using",
        lambda op: op.create_index(
            "ix", "t", ["a"], postgresql_concurrently=True, postgresql_where=sa.text("a > 5"), postgresql_using="gin"
        ),
        {
            "postgresql": "CREATE INDEX CONCURRENTLY ix ON t USING gin (a) WHERE a > 5",
        },
    ),
    Case(
        "create_index_include_ops",
        lambda op: op.create_index(
            "ix", "t", ["a"], postgresql_include=["b"], postgresql_ops={"a": "text_pattern_ops"}
        ),
        {
            "postgresql": "CREATE INDEX ix ON t (a text_pattern_ops) INCLUDE (b)",
        },
    ),
    Case(
        "create_index_where_expression",
        lambda op: op.create_index("ix", "t", ["a"], postgresql_where=sa.column("a") > 5),
        {
            "postgresql": "CREATE INDEX ix ON t (a) WHERE a > 5",
        },
    ),
    Case(
        "create_index_nulls_not_distinct",
        lambda op: op.create_index("ix", "t", ["a"], unique=True, postgresql_nulls_not_distinct=True),
        {
            "postgresql": "CREATE UNIQUE INDEX ix ON t (a) NULLS NOT DISTINCT",
        },
    ),
    Case(
        "drop_index_concurrently",
        lambda op: op.drop_index("ix", table_name="t", postgresql_concurrently=True),
        {
            "postgresql": "DROP INDEX CONCURRENTLY ix",
        },
    ),
    Case(
        "create_unique_constraint_nulls_not_distinct",
        lambda op: op.create_unique_constraint("uq_t", "t", ["a"], postgresql_nulls_not_distinct=True),
        {
            "postgresql": "ALTER TABLE t ADD CONSTRAINT uq_t UNIQUE NULLS NOT DISTINCT (a)",
        },
    ),
    Case(
        "create_table_partition_by",
        lambda op: op.create_table("t", sa.Column("c", sa.Integer), postgresql_partition_by="RANGE (c)"),
        {
            "postgresql": "CREATE TABLE t (\n    c INTEGER\n)\n PARTITION BY RANGE (c)",
        },
    ),
    Case(
        "create_table_existing_enum",
        lambda op: op.create_table("t", sa.Column("e", pg.ENUM("a", "b", name="myenum", create_type=False))),
        {
            "postgresql": "CREATE TABLE t (\n    e myenum\n)",
        },
    ),
    Case(
        "create_table_unnamed_enum",
        lambda op: op.create_table("t", sa.Column("e", sa.Enum("a", "b"))),
        {
            "postgresql": Error(sa.exc.CompileError, "PostgreSQL ENUM type requires a name."),
        },
    ),
    Case(
        "create_table_sequence_column",
        lambda op: op.create_table("t", sa.Column("id", sa.Integer, sa.Sequence("t_id_seq"), primary_key=True)),
        {
            "postgresql": "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    PRIMARY KEY (id)\n)",
        },
    ),
    Case(
        "add_column_enum",
        lambda op: op.add_column("t", sa.Column("e", sa.Enum("a", "b", name="myenum"))),
        {
            "postgresql": "ALTER TABLE t ADD COLUMN e myenum",
        },
    ),
    Case(
        "add_column_jsonb_default",
        lambda op: op.add_column("t", sa.Column("j", pg.JSONB, server_default=sa.text("'{}'::jsonb"), nullable=False)),
        {
            "postgresql": "ALTER TABLE t ADD COLUMN j JSONB DEFAULT '{}'::jsonb NOT NULL",
        },
    ),
    Case(
        "execute_drop_sequence",
        lambda op: op.execute(sa.schema.DropSequence(sa.Sequence("s1"))),
        {
            "postgresql": "DROP SEQUENCE s1",
        },
    ),
]


@pytest.mark.parametrize("case,dialect", list(cases.params(CASES)))
def test_sql(case: Case, dialect: str) -> None:
    cases.check(case, dialect)
