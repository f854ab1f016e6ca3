"""``alembic.ddl.base`` and ``alembic.ddl.postgresql`` under limbeck: what third-party dialects extend.

sqlalchemy-redshift, sqlalchemy-bigquery and env.py files import Alembic's
ALTER constructs and helpers and register ``@compiles`` functions on them.
Under limbeck the imports must work, the helpers must write Alembic's text,
and a function registered on a construct must render limbeck's statements
as it renders Alembic's.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import alembic.ddl.base as alembic_base
import alembic.ddl.postgresql as alembic_pg
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mssql, mysql, oracle, postgresql, sqlite

import limbeck.alembic_modules.ddl_base as ours
import limbeck.alembic_modules.ddl_postgresql as ours_pg
from limbeck.compat import alembic_aliases
from limbeck.testing import compile_ops

DIALECTS = [postgresql.dialect(), mysql.dialect(), sqlite.dialect(), mssql.dialect(), oracle.dialect()]


def _compiler(dialect: Any) -> Any:
    return dialect.ddl_compiler(dialect, None)


def _columns() -> list[sa.Column[Any]]:
    metadata = sa.MetaData()
    sa.Table("o", metadata, sa.Column("id", sa.Integer, primary_key=True))
    table = sa.Table(
        "t", metadata,
        sa.Column("x", sa.Integer, sa.ForeignKey("o.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("Mixed Case", sa.String(5), sa.CheckConstraint("1 = 1", name="ck"), server_default="a"),
        sa.Column("n", sa.Numeric(10, 2), nullable=False, comment="c"),
    )
    return list(table.c)


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_helpers_write_alembics_text(dialect: Any) -> None:
    compiler = _compiler(dialect)

    def both(name: str, *args: Any, **kw: Any) -> None:
        assert getattr(ours, name)(compiler, *args, **kw) == getattr(alembic_base, name)(compiler, *args, **kw), name

    for table, schema in (("t", None), ("Tab", "s"), ("t", "my.Schema"), ("select", "x")):
        both("format_table_name", table, schema)
        both("alter_table", table, schema)
    for name in ("c", "Mixed", "order", "a b"):
        both("format_column_name", name)
        both("alter_column", name)
        both("drop_column", name)
        both("drop_column", name, if_exists=True)
    for default in ("x", "it's", sa.text("now()"), sa.DefaultClause("z")):
        both("format_server_default", default)
    for type_ in (sa.String(5), sa.Numeric(10, 2), sa.DateTime(timezone=True), sa.Boolean()):
        both("format_type", type_)
    for column in _columns():
        both("add_column", column)
        both("add_column", column, if_not_exists=True, inline_references=True, inline_primary_key=True)
    quote = compiler.preparer.quote
    for dotted in ("plain", "a.B", sa.sql.elements.quoted_name("a.b", True)):
        assert ours.quote_dotted(dotted, quote) == alembic_base.quote_dotted(dotted, quote)


def _pg_cases(module: Any, pg_module: Any) -> list[Any]:
    return [
        (pg_module.visit_rename_table, module.RenameTable("t", "n", schema="s")),
        (pg_module.visit_column_comment, module.ColumnComment("t", "c", "it's", schema="s")),
        (pg_module.visit_column_comment, module.ColumnComment("t", "c", None)),
        (pg_module.visit_column_type, pg_module.PostgresqlColumnType("t", "c", sa.Integer(), using="c::int", schema="s")),
        (pg_module.visit_column_type, pg_module.PostgresqlColumnType("t", "c", sa.String(3))),
        (pg_module.visit_identity_column,
         module.IdentityColumnDefault("t", "c", sa.Identity(start=5), None, existing_server_default=None, schema="s")),
        (pg_module.visit_identity_column,
         module.IdentityColumnDefault("t", "c", None, None, existing_server_default=sa.Identity())),
        (module.visit_rename_table, module.RenameTable("t", "n", schema="s")),
        (module.visit_column_name, module.ColumnName("t", "c", "d")),
    ]


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()], ids=lambda d: d.name)
def test_postgresql_renderers_are_alembics_whatever_dialect_calls_them(dialect: Any) -> None:
    """What sqlalchemy-redshift does: PostgreSQL's visit functions registered for another dialect."""
    compiler = _compiler(dialect)
    ours_text = [fn(element, compiler) for fn, element in _pg_cases(ours, ours_pg)]
    # Alembic's type change without USING ends in a space (its statements are stripped before use)
    theirs = [fn(element, compiler).rstrip() for fn, element in _pg_cases(alembic_base, alembic_pg)]
    assert ours_text == theirs


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()], ids=lambda d: d.name)
def test_computed_and_identity_constructs_refuse_as_alembics(dialect: Any) -> None:
    for module in (alembic_base, ours):
        with pytest.raises(sa.exc.CompileError, match='"computed" construct'):
            module.ComputedColumnDefault("t", "c", sa.Computed("a + 1")).compile(dialect=dialect)
    if dialect.name == "sqlite":
        for module in (alembic_base, ours):
            with pytest.raises(sa.exc.CompileError, match='"identity" construct'):
                module.IdentityColumnDefault("t", "c", sa.Identity(), None).compile(dialect=dialect)


@pytest.fixture
def add_column_override() -> Iterator[None]:
    """An env.py's ``@compiles(AddColumn, "postgresql")`` (IF NOT EXISTS), on both tools' construct; undone after."""
    classes = (alembic_base.AddColumn, ours.AddColumn)
    saved = [dict(cls._compiler_dispatcher.specs) for cls in classes]  # type: ignore[attr-defined]

    def if_not_exists(module: Any) -> Any:
        def visit(element: Any, compiler: Any, **kw: Any) -> str:
            return " ".join([
                module.alter_table(compiler, element.table_name, element.schema),
                module.add_column(compiler, element.column, if_not_exists=True),
            ])
        return visit

    for cls, module in zip(classes, (alembic_base, ours)):
        sa.ext.compiler.compiles(cls, "postgresql")(if_not_exists(module))
    try:
        yield
    finally:
        for cls, specs in zip(classes, saved):
            cls._compiler_dispatcher.specs.clear()  # type: ignore[attr-defined]
            cls._compiler_dispatcher.specs.update(specs)  # type: ignore[attr-defined]


def test_a_compiles_override_renders_limbecks_statements(add_column_override: None) -> None:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    def fn(op: Any) -> None:
        for name in ("a", "b", "c"):  # the second of a shape is rendered from a template
            op.add_column("t", sa.Column(name, sa.Integer(), nullable=False), schema="s")

    import io

    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True, "output_buffer": buffer})
    fn(Operations(context))
    assert compile_ops("postgresql", fn) == buffer.getvalue().strip()
    assert "ADD COLUMN IF NOT EXISTS c INTEGER NOT NULL" in buffer.getvalue()


def test_imports_under_the_alembic_names() -> None:
    with alembic_aliases():
        from alembic.ddl.base import (
            AddColumn,
            ColumnType,
            alter_table,
            format_column_name,
            visit_rename_table,
        )
        from alembic.ddl.postgresql import PostgresqlImpl, visit_column_comment

        assert AddColumn is importlib.import_module("limbeck.compiler.constructs").AddColumn
        assert ColumnType is ours_pg.PostgresqlColumnType
        assert (alter_table, format_column_name, visit_rename_table) == (
            ours.alter_table, ours.format_column_name, ours.visit_rename_table,
        )
        assert visit_column_comment is ours_pg.visit_column_comment
        assert PostgresqlImpl.__dialect__ == "postgresql"
