"""Expression, DESC and partial indexes (issue 18 §1-2, and index definitions beyond Alembic).

Comparing used to crash on expression and DESC indexes after having
attached copies of them to the caller's tables; SQLite proposed to create
its expression indexes again on every run. Now comparing leaves the models
untouched, SQLite's expression indexes are read from ``sqlite_master``, and
a named index whose elements, order or WHERE changed is dropped and
created again, on each database that can have such an index.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from .conftest import compare, create, produce


def fingerprint(metadata: sa.MetaData) -> list[Any]:
    """Everything comparing could change in a MetaData, object identities included."""
    out: list[Any] = [id(metadata), dict(metadata.naming_convention), sorted(metadata.tables)]
    for key, table in sorted(metadata.tables.items()):
        columns = [
            (id(c), c.name, repr(c.type), c.nullable, c.primary_key, repr(c.server_default), id(c.table), c.index, c.unique)
            for c in table.c
        ]
        constraints = sorted(
            (type(k).__name__, str(k.name), id(k), tuple(c.name for c in getattr(k, "columns", ())), id(k.table))
            for k in table.constraints
        )
        indexes = sorted(
            (str(i.name), id(i), tuple(str(e) for e in i.expressions), sorted(i.dialect_kwargs), id(i.table))
            for i in table.indexes
        )
        out.append((key, id(table), columns, constraints, indexes, dict(table.info), table.comment))
    return out


def _models() -> sa.MetaData:
    m = sa.MetaData(naming_convention={"ix": "ix_%(column_0_label)s", "ck": "ck_%(table_name)s_%(constraint_name)s"})
    sa.Table("parent", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(10)))
    t = sa.Table(
        "t", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.ForeignKey("parent.id")),
        sa.Column("name", sa.String(20), index=True),
        sa.Column("n", sa.Integer),
        sa.Column("kind", sa.Enum("a", "b", name="kind", native_enum=False, create_constraint=True)),
        sa.CheckConstraint("n > 0", name="npos"),
        sa.UniqueConstraint("parent_id", "name", name="uq_t_parent_name"),
    )
    sa.Index("ix_t_lower", sa.func.lower(t.c.name))
    sa.Index("ix_t_desc", t.c.n.desc(), t.c.name)
    return m


def test_comparing_never_changes_the_models(any_db: sa.Engine) -> None:
    before = _models()
    expected = fingerprint(before)
    compare(any_db, before)
    upgrade, _ = produce(any_db, before)
    assert fingerprint(before) == expected
    # and the output does not depend on having compared before
    assert produce(any_db, _models())[0] == upgrade
    assert upgrade.count("ix_t_desc") == 1


def test_compare_and_produce_after_creating_the_expression_indexes(db2: sa.Engine) -> None:
    m = _models()
    create(db2, m)
    assert compare(db2, m) == []
    expected = fingerprint(m)
    assert produce(db2, m)[0].splitlines()[1].strip() == "pass"
    assert fingerprint(m) == expected


def _indexed(where: int = 0, expr: str = "lower", desc: bool = True) -> sa.MetaData:
    m = sa.MetaData()
    t = sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)),
                 sa.Column("n", sa.Integer))
    sa.Index("ix_expr", getattr(sa.func, expr)(t.c.name))
    sa.Index("ix_order", t.c.n.desc() if desc else t.c.n)
    sa.Index("ix_part", t.c.n, sqlite_where=t.c.n > where, postgresql_where=t.c.n > where)
    sa.Index("ix_plain", t.c.name, t.c.n)
    return m


@pytest.mark.parametrize(
    ("change", "models", "names"),
    [
        ("expression", _indexed(expr="upper"), ["ix_expr"]),
        ("order", _indexed(desc=False), ["ix_order"]),
        ("where", _indexed(where=5), ["ix_part"]),
        ("nothing", _indexed(), []),
    ],
)
def test_index_definitions(db2: sa.Engine, change: str, models: sa.MetaData, names: list[str]) -> None:
    create(db2, _indexed())
    diffs = compare(db2, models)
    assert [(d[0], d[1].name) for d in diffs] == [("remove_index", n) for n in names] + [("add_index", n) for n in names]
    assert compare(db2, models, compare_expressions=False) == []


def test_sqlite_expression_index_round_trips_through_its_statement(tmp_path: Any) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/db.sqlite")
    create(engine, _indexed())
    upgrade, downgrade = produce(engine, _indexed(expr="upper", desc=False))
    assert 'op.drop_index(op.f("ix_expr"), table_name="t")' in upgrade
    assert 'op.create_index("ix_expr", "t", [sa.literal_column("upper(name)")], unique=False)' in upgrade
    # the downgrade puts back what sqlite_master said, DESC included (reflection loses it)
    assert '[sa.literal_column("lower(name)")]' in downgrade
    assert 'op.create_index(op.f("ix_order"), "t", [sa.literal_column("n DESC")], unique=False)' in downgrade


def test_new_expression_index_on_sqlite_is_created(tmp_path: Any) -> None:
    """Alembic skips it with a warning (the index is never created); limbeck creates it."""
    engine = sa.create_engine(f"sqlite:///{tmp_path}/db.sqlite")
    m = _indexed()
    create(engine, m)
    t = m.tables["t"]
    sa.Index("ix_new", sa.func.abs(t.c.n))
    assert [(d[0], d[1].name) for d in compare(engine, m)] == [("add_index", "ix_new")]


def test_batch_rebuild_on_sqlite_keeps_what_reflection_loses(tmp_path: Any) -> None:
    """The rebuilt table gets back the expression index, the DESC order and the generation expression."""
    from limbeck.operations import Operations
    from limbeck.runtime.migration import MigrationContext

    engine = sa.create_engine(f"sqlite:///{tmp_path}/db.sqlite")
    with engine.begin() as conn:
        for sql in (
            ("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20), n NUMERIC(10, 2), "
            "total NUMERIC(12, 2) GENERATED ALWAYS AS (n * 2) VIRTUAL, gone INTEGER)"),
            "CREATE INDEX ix_lower ON t (lower(name))",
            "CREATE INDEX ix_desc ON t (n DESC) WHERE n > 0",
        ):
            conn.exec_driver_sql(sql)
    with engine.begin() as conn, Operations(MigrationContext.configure(conn)).batch_alter_table("t") as batch:
        batch.drop_column("gone")
    with engine.connect() as conn:
        written = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master").all())
    assert written["ix_lower"] == "CREATE INDEX ix_lower ON t (lower(name))"
    assert written["ix_desc"] == "CREATE INDEX ix_desc ON t (n DESC) WHERE n > 0"
    assert "GENERATED ALWAYS AS (n * 2)" in written["t"] and "gone" not in written["t"]


@pytest.mark.parametrize(
    ("sql", "unique", "elements", "where"),
    [
        ('CREATE UNIQUE INDEX "ix x" ON t (lower(name), n DESC, substr(a, 1, 2)) WHERE n > 0',
         True, ("lower(name)", "n DESC", "substr(a, 1, 2)"), "n > 0"),
        ("CREATE INDEX IF NOT EXISTS ix ON main.t(a, 'x,y')", False, ("a", "'x,y'"), None),
    ],
)
def test_create_index_taken_apart(sql: str, unique: bool, elements: tuple[str, ...], where: str | None) -> None:
    from limbeck.operations.written_ddl import parse_create_index

    parsed = parse_create_index(sql)
    assert parsed is not None and (parsed.unique, parsed.elements, parsed.where) == (unique, elements, where)


def test_generation_expressions_after_a_type_with_a_comma() -> None:
    from limbeck.operations.written_ddl import generated_expressions

    sql = ('CREATE TABLE item (\n\tprice NUMERIC(10, 2), \n\ttotal NUMERIC(12, 2) GENERATED ALWAYS AS (price * (2)) '
           'STORED, "x y" INT AS (a + b), CONSTRAINT ck CHECK (a > 0)\n)')
    assert generated_expressions(sql) == {"total": "price * (2)", "x y": "a + b"}
