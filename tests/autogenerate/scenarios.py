"""Autogenerate scenarios shared by the Alembic recorder and the parity tests.

Each scenario is a database set up by SQL statements plus the models
(``MetaData``) to compare it with, and the ``configure()`` options. The same
scenario runs under Alembic (``record_alembic.py``, which stores what it
renders) and under limbeck (``test_alembic_parity.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


@dataclass(frozen=True)
class Scenario:
    name: str
    dialect: str  # "sqlite" or "postgresql"
    setup: tuple[str, ...]
    models: Callable[[], sa.MetaData]
    opts: dict[str, Any] = field(default_factory=dict)
    render_as_batch: bool = False


def _empty() -> sa.MetaData:
    return sa.MetaData()


def _new_tables() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "account", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, comment="the name"),
        sa.Column("data", sa.JSON),
        sa.Column("n", sa.Numeric(10, 2), server_default="0"),
        sa.Column("created", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.UniqueConstraint("name"),
        sa.Index("ix_acc_data", "data"),
        comment="accounts",
    )
    sa.Table(
        "entry", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("amount", sa.Float(asdecimal=True)),
        sa.CheckConstraint("amount > 0", name="ck_entry_positive"),
    )
    return m


def _naming_convention() -> sa.MetaData:
    m = sa.MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })
    sa.Table("p", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "t", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer, sa.ForeignKey("p.id"), index=True),
        sa.Column("b", sa.String(5), unique=True),
        sa.Column("c", sa.Boolean(create_constraint=True, name="cbool"), nullable=False, server_default=sa.true()),
        sa.CheckConstraint("a > 0", name="apos"),
        sa.UniqueConstraint("a", "b", name="uq_ab_explicit"),
        info={"x": 1},
    )
    return m


_KEEP_SETUP = (
    "CREATE TABLE old (id INTEGER PRIMARY KEY, x VARCHAR(10))",
    (
        "CREATE TABLE keep (id INTEGER NOT NULL PRIMARY KEY, a VARCHAR(10), b INTEGER NOT NULL, gone TEXT, "
        "CONSTRAINT uq_keep_a UNIQUE (a))"
    ),
    "CREATE INDEX ix_keep_b ON keep (b)",
)


def _keep_changed() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "keep", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.String(20)),
        sa.Column("b", sa.Integer, nullable=True),
        sa.Column("c", sa.Integer, server_default=sa.text("5")),
        sa.Column("d", sa.Text, nullable=False, server_default="x"),
        sa.Index("ix_keep_c", "c", unique=True),
    )
    return m


def _keep_same() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "old", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("x", sa.String(10)),
    )
    sa.Table(
        "keep", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.String(10)),
        sa.Column("b", sa.Integer, nullable=False, index=True),
        sa.Column("gone", sa.Text),
        sa.UniqueConstraint("a", name="uq_keep_a"),
    )
    return m


_PG_SETUP = (
    (
        "CREATE TABLE parent (id SERIAL PRIMARY KEY, code VARCHAR(10) UNIQUE, name VARCHAR(20) NOT NULL "
        "DEFAULT 'x', big BIGINT, amount NUMERIC(10, 2), t TEXT)"
    ),
    "COMMENT ON TABLE parent IS 'old comment'",
    "COMMENT ON COLUMN parent.t IS 'tcomment'",
    (
        "CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER, CONSTRAINT fk_child_parent FOREIGN KEY (pid) "
        "REFERENCES parent (id))"
    ),
    "CREATE INDEX ix_lower ON parent (lower(name))",
)


def _pg_models() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "parent", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(12)),
        sa.Column("name", sa.String(20), nullable=False, server_default="y"),
        sa.Column("big", sa.Integer),
        sa.Column("amount", sa.Numeric(12, 2)),
        sa.Column("t", sa.Text, comment="new c"),
        sa.Column("doc", postgresql.JSONB),
        sa.Column("ident", sa.BigInteger, sa.Identity(start=5, increment=2)),
        sa.UniqueConstraint("name", "code", name="uq_name_code"),
        comment="new comment",
    )
    sa.Table(
        "child", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pid", sa.Integer),
        sa.ForeignKeyConstraint(["pid"], ["parent.id"], name="fk_child_parent_renamed", ondelete="SET NULL"),
    )
    return m


_DEVIATIONS_SETUP = (
    "CREATE TABLE tagged (id INTEGER PRIMARY KEY, n INTEGER, CONSTRAINT ck_tagged_old CHECK (n > 0))",
)


def _deviations() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "tagged", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer),
        sa.Column("tags", postgresql.ARRAY(sa.String(5))),
        sa.CheckConstraint("n < 100", name="ck_tagged_new"),
    )
    return m


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("empty", "sqlite", (), _empty),
    Scenario("new_tables", "sqlite", (), _new_tables),
    Scenario("naming_convention", "sqlite", (), _naming_convention),
    Scenario("keep_changed", "sqlite", _KEEP_SETUP, _keep_changed),
    Scenario("keep_changed_batch", "sqlite", _KEEP_SETUP, _keep_changed, render_as_batch=True),
    Scenario("keep_changed_defaults", "sqlite", _KEEP_SETUP, _keep_changed, opts={"compare_server_default": True}),
    Scenario("keep_same", "sqlite", _KEEP_SETUP, _keep_same),
    Scenario("keep_no_types", "sqlite", _KEEP_SETUP, _keep_changed, opts={"compare_type": False}),
    Scenario("pg_changes", "postgresql", _PG_SETUP, _pg_models),
    Scenario("pg_changes_defaults", "postgresql", _PG_SETUP, _pg_models, opts={"compare_server_default": True}),
    Scenario("pg_changes_batch", "postgresql", _PG_SETUP, _pg_models, render_as_batch=True),
    Scenario("pg_deviations", "postgresql", _DEVIATIONS_SETUP, _deviations),
)

BY_NAME = {s.name: s for s in SCENARIOS}


def prepare(connection: sa.Connection, scenario: Scenario) -> None:
    for statement in scenario.setup:
        connection.exec_driver_sql(statement)
