"""Operation records made from schema objects give those objects back, forwards and reversed, as Alembic's do.

Rewriters (``process_revision_directives``) and tools build records with
``from_constraint`` / ``from_index`` / ``from_table`` / ``from_column_and_tablename``,
flip them with ``reverse()`` and read the object back with ``to_constraint()`` & co.
Alembic's ``test_autogen_diffs.py`` (``OrigObjectTest``) pins that the object comes
back the same and still bound to a table; here both libraries get the same objects
and what comes back is described and compared. The objects are ours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa


def _objects() -> dict[str, Any]:
    m = sa.MetaData()
    t = sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer),
                 sa.Column("y", sa.String(20), server_default="a", comment="why"), schema=None)
    fk = sa.ForeignKeyConstraint(["t_id"], ["t.id"], name="fk_q_t", ondelete="CASCADE", deferrable=True)
    q = sa.Table("q", m, sa.Column("t_id", sa.Integer), fk)
    ck = sa.CheckConstraint(t.c.x > 5, name="ck_x")
    t.append_constraint(ck)
    uq = sa.UniqueConstraint(q.c.t_id, name="uq_q_t_id")
    s = sa.Table("s", m, sa.Column("a", sa.Integer, primary_key=True), schema="other",
                 comment="in another schema")
    return {
        "t": t, "q": q, "s": s, "fk": fk, "ck": ck, "uq": uq, "pk": t.primary_key,
        "ix": sa.Index("ix1", t.c.id), "ix_unique": sa.Index("ix2", t.c.x, t.c.y, unique=True),
        "ix_expr": sa.Index("ix3", sa.func.lower(t.c.y)),
    }


def _describe(obj: Any) -> Any:
    if isinstance(obj, sa.Table):
        return ["Table", obj.schema, obj.name, [_describe(c) for c in obj.c], obj.comment,
                sorted(type(c).__name__ for c in obj.constraints)]
    if isinstance(obj, sa.Column):
        default = getattr(getattr(obj.server_default, "arg", None), "text", getattr(obj.server_default, "arg", None))
        return ["Column", obj.name, repr(obj.type), obj.nullable, obj.primary_key, str(default), obj.comment,
                getattr(obj.table, "name", None)]
    if isinstance(obj, sa.Index):
        return ["Index", obj.name, bool(obj.unique), [str(e) for e in obj.expressions], obj.table.name]
    if isinstance(obj, sa.ForeignKeyConstraint):
        return ["FK", obj.name, [c.name for c in obj.columns], [e.target_fullname for e in obj.elements],
                obj.ondelete, obj.deferrable, obj.table.name]
    if isinstance(obj, sa.CheckConstraint):
        return ["CK", obj.name, str(obj.sqltext), obj.table.name]
    if isinstance(obj, sa.Constraint):
        return [type(obj).__name__, obj.name, [c.name for c in obj.columns], obj.table.name]
    return repr(obj)


#: case -> (the record built from the objects, the method that gives the object back)
CASES: dict[str, tuple[Callable[[Any, dict[str, Any]], Any], str]] = {
    "add_fk": (lambda ops, o: ops.AddConstraintOp.from_constraint(o["fk"]), "to_constraint"),
    "drop_fk": (lambda ops, o: ops.DropConstraintOp.from_constraint(o["fk"]), "to_constraint"),
    "add_check": (lambda ops, o: ops.AddConstraintOp.from_constraint(o["ck"]), "to_constraint"),
    "drop_check": (lambda ops, o: ops.DropConstraintOp.from_constraint(o["ck"]), "to_constraint"),
    "add_unique": (lambda ops, o: ops.AddConstraintOp.from_constraint(o["uq"]), "to_constraint"),
    "drop_unique": (lambda ops, o: ops.DropConstraintOp.from_constraint(o["uq"]), "to_constraint"),
    "add_pk": (lambda ops, o: ops.AddConstraintOp.from_constraint(o["pk"]), "to_constraint"),
    "drop_pk": (lambda ops, o: ops.DropConstraintOp.from_constraint(o["pk"]), "to_constraint"),
    "add_pk_no_orig": (lambda ops, o: ops.CreatePrimaryKeyOp("pk1", "t", ["x", "y"]), "to_constraint"),
    "add_fk_no_orig": (lambda ops, o: ops.CreateForeignKeyOp("fk1", "q", "t", ["t_id"], ["id"], ondelete="SET NULL"),
                       "to_constraint"),
    "add_unique_no_orig": (lambda ops, o: ops.CreateUniqueConstraintOp("uq1", "t", ["x", "y"], schema="sc"),
                           "to_constraint"),
    "add_check_no_orig": (lambda ops, o: ops.CreateCheckConstraintOp("ck1", "t", "x > 1"), "to_constraint"),
    "add_column": (lambda ops, o: ops.AddColumnOp.from_column_and_tablename(None, "t", o["t"].c.y), "to_column"),
    "drop_column": (lambda ops, o: ops.DropColumnOp.from_column_and_tablename(None, "t", o["t"].c.y), "to_column"),
    "add_table": (lambda ops, o: ops.CreateTableOp.from_table(o["t"]), "to_table"),
    "drop_table": (lambda ops, o: ops.DropTableOp.from_table(o["t"]), "to_table"),
    "add_table_other_schema": (lambda ops, o: ops.CreateTableOp.from_table(o["s"]), "to_table"),
    "drop_table_other_schema": (lambda ops, o: ops.DropTableOp.from_table(o["s"]), "to_table"),
    "create_index": (lambda ops, o: ops.CreateIndexOp.from_index(o["ix"]), "to_index"),
    "drop_index": (lambda ops, o: ops.DropIndexOp.from_index(o["ix"]), "to_index"),
    "create_unique_index": (lambda ops, o: ops.CreateIndexOp.from_index(o["ix_unique"]), "to_index"),
    "drop_unique_index": (lambda ops, o: ops.DropIndexOp.from_index(o["ix_unique"]), "to_index"),
    "create_expression_index": (lambda ops, o: ops.CreateIndexOp.from_index(o["ix_expr"]), "to_index"),
    # made by name only (as a revision's op.drop_* call makes them): nothing to give back when reversed
    "drop_constraint_by_name": (lambda ops, o: ops.DropConstraintOp("fk1", "q", type_="foreignkey"), "to_constraint"),
    "drop_unique_by_name": (lambda ops, o: ops.DropConstraintOp("uq1", "q", type_="unique"), "to_constraint"),
    "drop_index_by_name": (lambda ops, o: ops.DropIndexOp("ix1", table_name="t"), "to_index"),
    "drop_index_by_name_no_table": (lambda ops, o: ops.DropIndexOp("ix1", schema="sc"), "to_index"),
    "drop_column_by_name": (lambda ops, o: ops.DropColumnOp("t", "x"), "to_column"),
    "drop_table_by_name": (lambda ops, o: ops.DropTableOp("t"), "to_table"),
}


def _run(ops: Any, case: str) -> Any:
    build, method = CASES[case]
    try:
        record = build(ops, _objects())
        forward = _describe(getattr(record, method)())
    except Exception as exc:  # noqa: BLE001 - a refusal is an answer to compare
        return ["raised", type(exc).__name__]
    try:
        reverse = record.reverse()
        back = _describe(getattr(reverse, method)())
        kind = type(reverse).__name__
    except Exception as exc:  # noqa: BLE001
        back, kind = ["raised", type(exc).__name__], None
    return {"forward": forward, "reverse": kind, "reversed": back}


@pytest.mark.parametrize("case", sorted(CASES))
def test_record_gives_the_object_back_as_alembic(case: str) -> None:
    pytest.importorskip("alembic")
    from alembic.operations import ops as alembic_ops

    from limbeck.operations import ops as limbeck_ops

    assert _run(limbeck_ops, case) == _run(alembic_ops, case)


def test_placeholder_column_stays_off_the_runs_stub_tables() -> None:
    """``DropIndexOp.to_index()`` in a run gives Alembic's placeholder column "x" on a table of its own:
    the run's shared stub table of that name, which later index operations build on, gains no column."""
    from limbeck.operations.ops import CreateIndexOp, DropIndexOp
    from limbeck.operations.schemaobj import SchemaObjects
    from limbeck.runtime.migration import MigrationContext

    ctx = MigrationContext.configure(dialect_name="postgresql", opts={"as_sql": True})
    index = DropIndexOp("ix1", table_name="t").to_index(ctx)
    assert [c.name for c in index.table.c] == ["x"]
    later = CreateIndexOp("ix2", "t", ["y"]).to_index(ctx)
    assert later.table.metadata is SchemaObjects.for_context(ctx).index_stubs  # the shared one
    assert [c.name for c in later.table.c] == ["y"]
