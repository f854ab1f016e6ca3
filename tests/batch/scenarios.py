"""Batch-mode scenarios shared by the tests and by ``record_alembic.py``.

Each scenario is a function of ``op`` only, so the same code runs through
limbeck's Operations in the tests and through Alembic's in the recorder (the
oracle whose output is kept in ``alembic_facts/``). Only SQLAlchemy is
imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
FACTS = HERE / "alembic_facts"
SNAPSHOTS = HERE.parent.parent / "snapshots" / "batch"

Scenario = Callable[[Any], None]


def foo_table(schema: str | None = None) -> sa.Table:
    """The table most scenarios rebuild, as ``copy_from`` describes it."""
    m = sa.MetaData()
    return sa.Table(
        "foo", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("x", sa.String(50), nullable=False, server_default="hi"),
        sa.Column("y", sa.Integer),
        sa.Column("z", sa.Integer, sa.ForeignKey("bar.id", name="fk_z")),
        sa.UniqueConstraint("x", name="uq_x"),
        sa.Index("ix_y", "y"),
        schema=schema,
    )


def checked_table(column_check_name: str | None = "ck_lo", table_check_name: str | None = None) -> sa.Table:
    """``ck`` with CHECKs on its columns and on the table, named and unnamed (the online rebuilds)."""
    return sa.Table(
        "ck", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("lo", sa.Integer, sa.CheckConstraint("lo >= 0", name=column_check_name)),
        sa.Column("hi", sa.Integer, sa.CheckConstraint("hi < 1000")),
        sa.CheckConstraint("lo <= hi", name=table_check_name),
    )


#: JSON documents stored as text in ``doc.body``, and what reading them back as JSON gives
JSON_DOCUMENTS = {'{"a": [1, 2], "b": null}': {"a": [1, 2], "b": None}, "[]": [], '"text"': "text", "3.5": 3.5}
_DOC = sa.Table("doc", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                sa.Column("body", sa.Text))


def text_documents(conn: sa.Connection) -> None:
    """``doc (id, body TEXT)`` holding :data:`JSON_DOCUMENTS` (the online rebuilds into JSON)."""
    _DOC.create(conn)
    conn.execute(_DOC.insert(), [{"id": i, "body": text} for i, text in enumerate(JSON_DOCUMENTS)])


def text_to_json(op: Any, recreate: str = "always") -> None:
    with op.batch_alter_table("doc", recreate=recreate) as b:
        b.alter_column("body", type_=sa.JSON, existing_type=sa.Text)


def json_documents(conn: sa.Connection) -> list[Any]:
    """``doc.body`` read as JSON, in id order."""
    doc = sa.Table("doc", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("body", sa.JSON))
    return [r.body for r in conn.execute(sa.select(doc.c.body).order_by(doc.c.id))]


def letters_table() -> sa.Table:
    m = sa.MetaData()
    return sa.Table("t", m, *[sa.Column(name, sa.Integer) for name in "abcd"])


def _alter_type_add_drop(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.alter_column("y", type_=sa.String(20))
        b.add_column(sa.Column("q", sa.Integer, server_default="5"))
        b.drop_column("z")


def _add_column(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.add_column(sa.Column("q", sa.Integer))
        b.create_index("ix_q", ["q"])


def _drop_column(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.drop_column("z")


def _rename_column(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.alter_column("y", new_column_name="why", existing_type=sa.Integer)


def _nullable_default(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.alter_column("y", nullable=False, server_default="0", existing_type=sa.Integer)
        b.alter_column("x", server_default=None, existing_type=sa.String(50))


def _cast_types(op: Any) -> None:
    m = sa.MetaData()
    source = sa.Table(
        "t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Numeric(10, 2)),
        sa.Column("i", sa.Integer), sa.Column("s", sa.String(50)), sa.Column("d", sa.DateTime),
    )
    with op.batch_alter_table("t", copy_from=source, recreate="always") as b:
        b.alter_column("n", type_=sa.Float)
        b.alter_column("i", type_=sa.BigInteger)
        b.alter_column("s", type_=sa.Text)
        b.alter_column("d", type_=sa.Date, new_column_name="day")


def _boolean_check(op: Any) -> None:
    m = sa.MetaData()
    source = sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("flag", sa.Integer))
    with op.batch_alter_table("t", copy_from=source) as b:
        b.alter_column("flag", type_=sa.Boolean(create_constraint=True, name="ck_flag"), existing_type=sa.Integer)


def _server_default_expression(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.add_column(sa.Column("created", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")))


def _placed_columns(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table(), recreate="always") as b:
        b.add_column(sa.Column("q", sa.Integer), insert_before="x")
        b.add_column(sa.Column("r", sa.String(10)), insert_after="y")


def _partial_reordering(op: Any) -> None:
    with op.batch_alter_table("t", copy_from=letters_table(), partial_reordering=[("d", "c", "a")]) as b:
        b.drop_column("b")


def _indexes(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.drop_index("ix_y")
        b.create_index("ix_xy", ["x", "y"], unique=True)
        b.alter_column("x", type_=sa.String(80), existing_type=sa.String(50))


def _constraints(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.drop_constraint("uq_x", type_="unique")
        b.create_unique_constraint("uq_y", ["y"])
        b.create_check_constraint("ck_y", "y > 0")


def _foreign_keys(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.drop_constraint("fk_z", type_="foreignkey")
        b.create_foreign_key("fk_y", "baz", ["y"], ["id"], ondelete="CASCADE")


def _primary_key(op: Any) -> None:
    with op.batch_alter_table("foo", copy_from=foo_table()) as b:
        b.create_primary_key("pk_foo", ["id", "x"])


def _checks(op: Any) -> None:
    source = sa.Table(
        "t", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("lo", sa.Integer, sa.CheckConstraint("lo >= 0", name="ck_lo")),
        sa.Column("hi", sa.Integer, sa.CheckConstraint("hi < 1000")),
        sa.Column("note", sa.String(20)),
        sa.CheckConstraint("lo <= hi"),
    )
    with op.batch_alter_table("t", copy_from=source) as b:
        b.drop_constraint("ck_lo", type_="check")
        b.alter_column("note", new_column_name="remark", existing_type=sa.String(20))


def _json_copy(op: Any) -> None:
    source = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("body", sa.Text))
    with op.batch_alter_table("t", copy_from=source, recreate="always") as b:
        b.alter_column("body", type_=sa.JSON, existing_type=sa.Text)


#: scenario name -> function of op; every one is recorded from Alembic for SQLite
SCENARIOS: dict[str, Scenario] = {
    "add_column": _add_column,
    "alter_type_add_drop": _alter_type_add_drop,
    "drop_column": _drop_column,
    "rename_column": _rename_column,
    "nullable_default": _nullable_default,
    "cast_types": _cast_types,
    "boolean_check": _boolean_check,
    "server_default_expression": _server_default_expression,
    "placed_columns": _placed_columns,
    "partial_reordering": _partial_reordering,
    "indexes": _indexes,
    "constraints": _constraints,
    "foreign_keys": _foreign_keys,
    "primary_key": _primary_key,
    "checks": _checks,
    "json_copy": _json_copy,
}

#: scenario -> (why limbeck's script deliberately differs from Alembic's, [(Alembic's text, limbeck's)]):
#: the parity test applies the replacements to Alembic's script and then wants the two equal
DEPARTURES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "cast_types": (
        (
            "SQLite's CAST(x AS DATE) turns the DATETIME text '2024-05-01 10:00:00' into 2024: copied as is, "
            "the text is kept"
        ),
        [("CAST(t.d AS DATE) AS d", "t.d")],
    ),
}

#: scenarios that use the constraint records (limbeck.operations.constraints)

#: scenarios rendered as plain ALTERs on the databases that can ALTER
ALTER_SCENARIOS = ("add_column", "alter_type_add_drop", "drop_column", "rename_column", "nullable_default", "indexes")

# -- column ordering -------------------------------------------------------------------------
#: a step: ("add", name, insert_before, insert_after) | ("drop", name) | ("rename", old, new)
Step = tuple[Any, ...]

ORDERING_CASES: dict[str, tuple[list[tuple[str, ...]], list[Step]]] = {
    "append": ([], [("add", "q", None, None)]),
    "append_two": ([], [("add", "q", None, None), ("add", "r", None, None)]),
    "add_then_drop_last": ([], [("add", "q", None, None), ("drop", "d")]),
    "drop_last_then_add": ([], [("drop", "d"), ("add", "q", None, None)]),
    "drop_middle_then_add": ([], [("drop", "b"), ("add", "q", None, None)]),
    "before_b": ([], [("add", "q", "b", None)]),
    "after_b": ([], [("add", "q", None, "b")]),
    "after_last": ([], [("add", "q", None, "d")]),
    "before_first": ([], [("add", "q", "a", None)]),
    "before_and_after": ([], [("add", "q", "b", "a")]),
    "two_after_b": ([], [("add", "q", None, "b"), ("add", "r", None, "b")]),
    "before_new": ([], [("add", "q", None, None), ("add", "r", "q", None)]),
    "after_b_then_drop_b": ([], [("add", "q", None, "b"), ("drop", "b")]),
    "after_renamed_old_name": ([], [("rename", "b", "bb"), ("add", "q", None, "b")]),
    "first_then_after_it": ([], [("add", "q", "a", None), ("add", "r", None, "q")]),
    "after_d_then_after_b": ([], [("add", "q", None, "d"), ("add", "r", None, "b")]),
    "two_before_c": ([], [("add", "q", "c", None), ("add", "r", "c", None)]),
    "after_b_then_before_it": ([], [("add", "q", None, "b"), ("add", "r", "q", None)]),
    "chain_after_b": ([], [("add", "q", None, "b"), ("add", "r", None, "q")]),
    "two_before_first": ([], [("add", "q", "a", None), ("add", "r", "a", None)]),
    "drop_first_then_before_b": ([], [("drop", "a"), ("add", "q", "b", None)]),
    "before_b_then_drop_a": ([], [("add", "q", "b", None), ("drop", "a")]),
    "after_b_then_drop_c": ([], [("add", "q", None, "b"), ("drop", "c")]),
    "append_then_before_first": ([], [("add", "q", None, None), ("add", "r", "a", None)]),
    "before_c_then_before_it": ([], [("add", "q", "c", None), ("add", "r", "q", None)]),
    "fan_after_new": ([], [("add", "q", None, "a"), ("add", "r", None, "q"), ("add", "s", None, "q")]),
    "three_new": ([], [("add", "q", "a", None), ("add", "r", None, "q"), ("add", "s", "r", None)]),
    "after_a_before_b": ([], [("add", "q", None, "a"), ("add", "r", "b", None)]),
    "after_b_drop_b_after_new": ([], [("add", "q", None, "b"), ("drop", "b"), ("add", "r", None, "q")]),
    "two_appended_then_before_second": ([], [("add", "q", None, None), ("add", "r", None, None), ("add", "s", "r", None)]),
    "after_appended": ([], [("add", "q", None, None), ("add", "r", None, "q")]),
    "after_dropped": ([], [("drop", "b"), ("add", "q", None, "b")]),
    "partial_last_first": ([("d", "a")], []),
    "partial_three": ([("c", "a", "b")], []),
    "partial_reverse": ([("d", "c", "b", "a")], []),
    "partial_two_groups": ([("b", "a"), ("d", "c")], []),
    "partial_with_new": ([("q", "a")], [("add", "q", None, None)]),
    "partial_and_append": ([("d", "a")], [("add", "q", None, None)]),
    "partial_and_before": ([("d", "a")], [("add", "q", "b", None)]),
    "partial_and_after": ([("d", "a")], [("add", "q", None, "b")]),
    "partial_and_drop": ([("d", "a")], [("drop", "c")]),
    "partial_c_before_b": ([("c", "b")], []),
    "partial_unknown_column": ([("a", "x")], []),
}


def ordering_scenario(partial: list[tuple[str, ...]], steps: list[Step]) -> Scenario:
    """``steps`` on the a, b, c, d table, always rebuilt, as a function of op."""

    def run(op: Any) -> None:
        with op.batch_alter_table("t", copy_from=letters_table(), recreate="always", partial_reordering=partial) as b:
            for step in steps:
                if step[0] == "add":
                    kw = {k: v for k, v in (("insert_before", step[2]), ("insert_after", step[3])) if v}
                    b.add_column(sa.Column(step[1], sa.Integer), **kw)
                elif step[0] == "drop":
                    b.drop_column(step[1])
                else:
                    b.alter_column(step[1], new_column_name=step[2])

    return run


def created_columns(sql: str) -> list[str]:
    """Column names of the CREATE TABLE of the temporary table in ``sql``."""
    body = sql.split("CREATE TABLE _alembic_tmp_t (", 1)[1].split("\n)", 1)[0]
    names = []
    for line in body.strip().splitlines():
        word = line.strip().split()[0]
        if word not in ("PRIMARY", "CONSTRAINT", "UNIQUE", "FOREIGN", "CHECK"):
            names.append(word)
    return names

