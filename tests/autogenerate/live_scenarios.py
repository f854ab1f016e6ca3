"""Scenarios compared with real Alembic at test time (issue 18 §1-4), and a plain form of diff entries.

Imported by ``test_alembic_live.py`` and, in a subprocess, by the script
that runs real Alembic on the same database: so it imports nothing but
SQLAlchemy. ``plain`` turns diff entries (SQLAlchemy objects inside) into
JSON-able lists, so the two processes' answers can be compared as values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class Live:
    name: str
    dialects: tuple[str, ...]
    setup: Callable[[str], list[str]]
    models: Callable[[], sa.MetaData]
    opts: dict[str, Any] = field(default_factory=dict)


def _plain_type(type_: Any) -> str:
    return repr(type_)


def plain(obj: Any, dialect: Any = None) -> Any:
    """A JSON-able value standing for a diff entry or anything inside one."""
    from sqlalchemy.schema import Computed, DefaultClause, Identity

    if isinstance(obj, (list, tuple)):
        return [plain(o, dialect) for o in obj]
    if isinstance(obj, dict):
        return {str(k): plain(v, dialect) for k, v in sorted(obj.items())}
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, sa.Table):
        return ["Table", obj.schema, obj.name, [c.name for c in obj.c]]
    if isinstance(obj, sa.Column):
        return ["Column", obj.name, _plain_type(obj.type), obj.nullable]
    if isinstance(obj, sa.Index):
        exprs = [str(e.compile(dialect=dialect, compile_kwargs={"include_table": False})) for e in obj.expressions]
        return ["Index", str(obj.name), bool(obj.unique), exprs]
    if isinstance(obj, sa.ForeignKeyConstraint):
        options = [obj.ondelete, obj.onupdate, obj.initially, obj.deferrable, obj.match]
        return ["ForeignKeyConstraint", str(obj.name), [c.name for c in obj.columns],
                [e.target_fullname for e in obj.elements], options]
    if isinstance(obj, sa.Constraint):
        return [type(obj).__name__, str(obj.name), [c.name for c in getattr(obj, "columns", ())]]
    if isinstance(obj, DefaultClause):
        arg = obj.arg
        return ["DefaultClause", str(getattr(arg, "text", arg))]
    if isinstance(obj, Computed):
        return ["Computed", str(obj.sqltext), obj.persisted]
    if isinstance(obj, Identity):
        return ["Identity", repr(obj)]
    if isinstance(obj, sa.types.TypeEngine):
        return _plain_type(obj)
    return repr(obj)


def _expression_indexes() -> sa.MetaData:
    m = sa.MetaData()
    t = sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)),
                 sa.Column("n", sa.Integer))
    sa.Index("ix_lower", sa.func.lower(t.c.name))
    sa.Index("ix_desc", t.c.n.desc())
    return m


def _kept_expression_index() -> sa.MetaData:
    m = sa.MetaData()
    t = sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)),
                 sa.Column("n", sa.Integer, nullable=False))
    sa.Index("ix_lower", sa.func.lower(t.c.name))
    return m


def _other_schema() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("audit", m, sa.Column("id", sa.Integer, primary_key=True), schema="other")
    sa.Table("audit_new", m, sa.Column("id", sa.Integer, primary_key=True), schema="other")
    return m


def _defaults() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("d", sa.Integer),
             sa.Column("e", sa.Integer, server_default="4"), sa.Column("f", sa.String(10), nullable=False))
    return m


def _identity_nullable() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("d", sa.Integer, sa.Identity()),
             sa.Column("e", sa.Integer, sa.Identity(), nullable=True))
    return m


def _identity_options() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("a", sa.Integer, sa.Identity(always=True, start=10), nullable=False),
             sa.Column("b", sa.Integer, sa.Identity(start=5)), sa.Column("c", sa.Integer))
    return m


def _identity_unsupported() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("d", sa.Integer, sa.Identity()))
    return m


def _computed_nullable() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("b", sa.Integer),
             sa.Column("c", sa.Integer, sa.Computed("b * 2"), nullable=False),
             sa.Column("d", sa.BigInteger, sa.Computed("b * 3")))
    return m


def _optional_key() -> sa.MetaData:
    """meltano's ``plugin_settings``: a key column annotated ``Mapped[Optional[StrPK]]``.

    The ORM sets such a column's ``nullable`` to True without the model saying so; in a new
    table it is NOT NULL (the primary key's rule), as Alembic renders it.
    """
    from typing import Annotated, Optional

    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    key = Annotated[str, mapped_column(primary_key=True)]

    class Base(DeclarativeBase):
        pass

    class Setting(Base):
        __tablename__ = "plugin_settings"
        # the annotations as objects: this module's ``from __future__`` would leave strings
        __annotations__ = {"name": Mapped[key], "namespace": Mapped[Optional[key]],  # noqa: UP045
                           "label": Mapped[Optional[str]]}  # noqa: UP045

    return Base.metadata


def _column_check() -> sa.MetaData:
    """phoenix's ``mapped_column(CheckConstraint(...))``: a CHECK declared on its column."""
    m = sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_`%(constraint_name)s`"})
    sa.Table("evaluators", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("kind", sa.String(10), sa.CheckConstraint("kind IN ('LLM', 'CODE')", name="valid_kind"),
                       nullable=False))
    return m


def _multiline_default() -> sa.MetaData:
    """prefect's ``GenerateUUID()`` on SQLite: a server default whose SQL spans several lines."""
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.String(36), primary_key=True,
                               server_default=sa.text("(\n    lower(hex(randomblob(4)))\n    || '-'\n)")))
    return m


LIVE: tuple[Live, ...] = (
    Live("expression_indexes_added", ("sqlite", "postgresql"),
         lambda d: ["CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), n INTEGER)"],
         _expression_indexes),
    Live("expression_index_kept", ("sqlite", "postgresql"),
         lambda d: ["CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), n INTEGER)",
                    "CREATE INDEX ix_lower ON t (lower(name))"], _kept_expression_index),
    Live("other_schema", ("postgresql",),
         lambda d: ["CREATE SCHEMA other", "CREATE TABLE other.audit (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY)"], _other_schema),
    Live("defaults", ("sqlite", "postgresql", "mariadb"),
         lambda d: ["CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, d INTEGER DEFAULT 3, e INTEGER, f VARCHAR(10))"],
         _defaults, {"compare_server_default": True}),
    Live("identity_nullable", ("sqlite", "postgresql", "mariadb"),
         lambda d: ["CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, d INTEGER, e INTEGER NOT NULL)"],
         _identity_nullable),
    Live("identity_options", ("postgresql",),
         lambda d: [("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER GENERATED ALWAYS AS IDENTITY (START WITH 5), "
                    "b INTEGER GENERATED BY DEFAULT AS IDENTITY, c INTEGER GENERATED BY DEFAULT AS IDENTITY)")],
         _identity_options, {"compare_server_default": True}),
    Live("identity_unsupported", ("sqlite", "mariadb"),
         lambda d: ["CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, d INTEGER)"],
         _identity_unsupported, {"compare_server_default": True}),
    Live("computed_nullable", ("postgresql", "mariadb"),
         lambda d: [("CREATE TABLE t (id INTEGER PRIMARY KEY, b INTEGER, c INTEGER GENERATED ALWAYS AS (b * 2) "
                    f"{'STORED' if d == 'postgresql' else 'VIRTUAL'}, d INTEGER GENERATED ALWAYS AS (b * 3) "
                    f"{'STORED' if d == 'postgresql' else 'VIRTUAL'})")],
         _computed_nullable),
    Live("orm_optional_key", ("sqlite", "postgresql"), lambda d: [], _optional_key),
    Live("column_check", ("sqlite", "postgresql", "mariadb"), lambda d: [], _column_check),
    Live("multiline_default", ("sqlite",),
         lambda d: [("CREATE TABLE t (id VARCHAR(36) DEFAULT (\n    lower(hex(randomblob(4)))\n    || '-'\n) "
                     "NOT NULL PRIMARY KEY)")], _multiline_default, {"compare_server_default": True}),
)

BY_NAME = {s.name: s for s in LIVE}
