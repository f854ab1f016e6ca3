"""Index operations of a run share their stub tables: the SQL is what separate stubs give.

The reference is the same operations lowered with a new MetaData per
operation (what lowering did before the sharing); every dialect, with
schemas, quoting, expressions, INCLUDE columns and dialect keywords, and
the same table touched again and again with other columns.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.sql.elements import quoted_name

from limbeck.operations import schemaobj
from limbeck.testing import compile_ops

DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")


def index_ops(op: Any) -> None:
    op.create_index("ix_q0", quoted_name("accounts", True), [quoted_name("name", True)])
    op.create_index("ix_a", "accounts", ["name"])
    op.create_index("ix_b", "accounts", ["name", "email"], unique=True)
    op.create_index("ix_c", "accounts", [sa.text("lower(email)")])
    op.drop_index("ix_a", table_name="accounts")
    op.create_index("ix_a", "accounts", ["email"])
    op.create_index("ix_s", "accounts", ["name"], schema="audit")
    op.drop_index("ix_s", table_name="accounts", schema="audit")
    op.create_index("ix_q", quoted_name("Accounts", True), ["name"])
    op.create_index("ix_q2", "Accounts", [quoted_name("Name", True)])
    op.create_index("ix_u", "accounts", ["Name"])
    op.create_index(op.f("ix_f"), "ledger", ["total"], postgresql_include=["memo"], mssql_include=["memo"])
    op.drop_index("ix_f", table_name="ledger")
    op.create_index("ix_w", "ledger", ["total"], postgresql_where=sa.text("total > 0"), mysql_length={"total": 4})
    op.drop_index("ix_b", table_name="accounts")


def unshared(monkeypatch: pytest.MonkeyPatch) -> None:
    original = schemaobj.SchemaObjects.for_behaviour.__func__  # type: ignore[attr-defined]

    def fresh(cls: type, behaviour: Any) -> Any:
        objects = original(cls, behaviour)
        objects.index_stubs = None
        return objects

    monkeypatch.setattr(schemaobj.SchemaObjects, "for_behaviour", classmethod(fresh))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_shared_stub_tables_render_like_separate_ones(dialect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    convention = {"ix": "ix_%(table_name)s_%(column_0_name)s"}
    shared = compile_ops(dialect, index_ops)
    shared_named = compile_ops(dialect, _unnamed, target_metadata=sa.MetaData(naming_convention=convention))
    unshared(monkeypatch)
    assert compile_ops(dialect, index_ops) == shared
    assert compile_ops(dialect, _unnamed, target_metadata=sa.MetaData(naming_convention=convention)) == shared_named
    assert "ix_accounts_name" in shared_named and "ix_ledger_total" in shared_named


def _unnamed(op: Any) -> None:
    op.create_index(None, "accounts", ["name"])
    op.create_index(None, "ledger", ["total"])
    op.create_index(None, "accounts", ["email"])


def test_quoted_names_never_share() -> None:
    text = compile_ops("postgresql", index_ops)
    assert 'CREATE INDEX ix_q0 ON "accounts" ("name")' in text
    assert "CREATE INDEX ix_a ON accounts (name)" in text
    assert 'CREATE INDEX ix_q ON "Accounts" (name)' in text
    assert 'CREATE INDEX ix_q2 ON "Accounts" ("Name")' in text
    assert 'CREATE INDEX ix_u ON accounts ("Name")' in text
