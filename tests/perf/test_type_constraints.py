"""``alter_column`` builds no table for a type that cannot bring a constraint: same SQL, same errors.

The reference is the same operations with the shortcut switched off
(:func:`limbeck.compiler.alter_column.may_bring_constraints` always true, so
a table is built for every type, as before), on every dialect, for plain
types and for the types that do bring a CHECK: ``Boolean`` and non-native
``Enum`` (directly, in a ``TypeDecorator``, as a variant), and with a
listener on every ``Column`` that adds one.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql

from limbeck.compiler import alter_column
from limbeck.testing import compile_ops

#: SQLite has no ALTER COLUMN: its batch mode rebuilds the table and does not use this path
DIALECTS = ("postgresql", "mysql", "mariadb", "mssql", "oracle")


class Flag(sa.types.TypeDecorator[bool]):
    impl = sa.Boolean(create_constraint=True, name="ck_flag")
    cache_ok = True


def alter_ops(op: Any) -> None:
    alter = op.alter_column
    alter("t", "a", existing_type=sa.String(10), type_=sa.String(20), existing_nullable=True)
    alter("t", "b", existing_type=sa.Integer(), type_=sa.BigInteger())
    alter("t", "c", type_=sa.Numeric(12, 2), existing_type=sa.Float(), nullable=False)
    alter("t", "d", existing_type=sa.Boolean(create_constraint=True, name="ck_d"), type_=sa.Integer())
    alter("t", "e", existing_type=sa.Integer(), type_=sa.Boolean(create_constraint=True, name="ck_e"))
    alter("t", "f", existing_type=sa.String(5), type_=sa.Enum("x", "y", name="ck_f", native_enum=False,
                                                              create_constraint=True))
    alter("t", "g", existing_type=sa.Integer(), type_=Flag())
    alter("t", "h", existing_type=sa.Integer(),
          type_=sa.Integer().with_variant(sa.Boolean(create_constraint=True, name="ck_h"), "mysql", "mssql"))
    alter("t", "i", existing_type=sa.Text(), type_=sa.Text().with_variant(sa.String(200), "mysql", "mariadb"))
    alter("t", "j", existing_type=sa.DateTime(), type_=sa.DateTime(timezone=True), schema="audit")


def with_tables_for_every_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alter_column, "may_bring_constraints", lambda type_: True)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_same_sql_without_the_tables(dialect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = compile_ops(dialect, alter_ops)
    with_tables_for_every_type(monkeypatch)
    assert compile_ops(dialect, alter_ops) == fast


def test_plain_types_take_the_shortcut() -> None:
    assert not alter_column.may_bring_constraints(sa.String(10))
    assert not alter_column.may_bring_constraints(postgresql.JSONB().with_variant(sa.Text(), "sqlite"))
    assert alter_column.may_bring_constraints(sa.Boolean())
    assert alter_column.may_bring_constraints(Flag())
    assert alter_column.may_bring_constraints(postgresql.ARRAY(sa.Enum("a", name="e")))
    assert alter_column.may_bring_constraints(sa.Integer().with_variant(sa.Enum("a", name="e"), "mysql"))


def test_a_listener_on_every_column_is_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def add_check(column: Any, table: Any) -> None:
        if isinstance(table, sa.Table) and column.name == "a":
            table.append_constraint(sa.CheckConstraint("a <> ''", name="ck_listener"))

    event.listen(sa.Column, "after_parent_attach", add_check)
    try:
        assert alter_column.may_bring_constraints(sa.String(10))
        fast = compile_ops("postgresql", alter_ops)
        assert "ck_listener" in fast
        with monkeypatch.context() as patch:
            with_tables_for_every_type(patch)
            assert compile_ops("postgresql", alter_ops) == fast
    finally:
        event.remove(sa.Column, "after_parent_attach", add_check)
    assert not alter_column.may_bring_constraints(sa.String(10))
