"""Changes Alembic does not detect, one by one, on each database (issue 18, "beyond Alembic").

The round trip (``test_beyond_roundtrip.py``) proves the migrations run;
these pin the diff entries, the switches that turn each detection off, and
the cases that must stay quiet (a condition spelled differently, a model
table without a primary key, an expression the database will not take).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import sqlalchemy as sa

from .conftest import compare, create, produce


def _entries(diffs: list[Any]) -> list[Any]:
    """(kind, name) per entry; a column's grouped changes as (kind, column) pairs."""
    out: list[Any] = []
    for diff in diffs:
        if isinstance(diff, list):
            out += [(d[0], d[3]) for d in diff]
        elif diff[0] in ("add_column", "remove_column"):
            out.append((diff[0], diff[3].name))
        elif diff[0] == "modify_enum":
            out.append((diff[0], diff[2], diff[3], diff[4]))
        else:
            out.append((diff[0], str(diff[1].name)))
    return out


# -- check conditions ----------------------------------------------------------------------
def _checked(condition: str, name: str = "ck_t_n") -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Numeric(10, 2)),
             sa.Column("s", sa.String(5)), sa.CheckConstraint(condition, name=name))
    return m


@pytest.mark.parametrize(
    ("model", "changed"),
    [
        ("n > 0 AND s IN ('a', 'b')", False),
        ("N>0 and s in ('a','b')", False),  # spelled differently, same condition
        ("(n > 0) AND (s IN ('a', 'b'))", False),  # the database's own words tell (SQLite keeps the text)
        ("n >= 0 AND s IN ('a', 'b')", True),
        ("n > 0 AND s IN ('a', 'b', 'c')", True),
    ],
)
def test_check_condition(any_db: sa.Engine, model: str, changed: bool) -> None:
    if model.startswith("(") and any_db.dialect.name == "sqlite":
        changed = True
    create(any_db, _checked("n > 0 AND s IN ('a', 'b')"))
    expected = [("remove_constraint", "ck_t_n"), ("add_constraint", "ck_t_n")] if changed else []
    assert _entries(compare(any_db, _checked(model))) == expected
    assert compare(any_db, _checked(model), compare_expressions=False) == []


def test_check_the_database_will_not_take_is_not_compared(any_db: sa.Engine) -> None:
    create(any_db, _checked("n > 0"))
    # a function no database here has: not compared, and the comparison goes on
    m = _checked("no_such_function(n) > 0")
    sa.Table("u", m, sa.Column("id", sa.Integer, primary_key=True))
    kinds = [e[0] for e in _entries(compare(any_db, m))]
    if any_db.dialect.name == "sqlite":  # SQLite keeps the text: it differs, whatever it means
        assert kinds == ["add_table", "remove_constraint", "add_constraint"]
    else:
        assert kinds == ["add_table"]


def test_non_native_enum_values_through_their_check(any_db: sa.Engine) -> None:
    def models(*values: str) -> sa.MetaData:
        m = sa.MetaData()
        sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("size", sa.Enum(*values, name="size", native_enum=False, create_constraint=True)))
        return m

    create(any_db, models("s", "m"))
    assert compare(any_db, models("s", "m")) == []
    for values in (("s", "m", "l"), ("s",), ("m", "s")):
        assert _entries(compare(any_db, models(*values))) == [("remove_constraint", "size"), ("add_constraint", "size")]


# -- primary keys --------------------------------------------------------------------------
def _keyed(*pk: str) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("a", sa.Integer, nullable=False, autoincrement=False),
             sa.Column("b", sa.Integer, nullable=False, autoincrement=False), sa.Column("c", sa.Integer),
             sa.PrimaryKeyConstraint(*pk) if pk else sa.PrimaryKeyConstraint())
    return m


def test_primary_key_columns(any_db: sa.Engine) -> None:
    create(any_db, _keyed("a"))
    assert compare(any_db, _keyed("a")) == []
    for pk in (("a", "b"), ("b",), ("b", "a")):
        diffs = compare(any_db, _keyed(*pk))
        assert [d[0] for d in diffs] == ["remove_constraint", "add_constraint"]
        assert [c.name for c in diffs[1][1].columns] == list(pk)
    # a model that declares no key leaves the database's alone
    assert compare(any_db, _keyed()) == []


def _autoincrement_second(x_type: Any, *, x_in_key: bool = True) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("a", m, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("x", x_type, primary_key=x_in_key, autoincrement=True))
    return m


@pytest.mark.parametrize("server", [pytest.param("postgresql", marks=pytest.mark.postgresql),
                                    pytest.param("mariadb", marks=pytest.mark.mariadb)])
def test_primary_key_of_flags_is_compared_in_the_order_create_table_writes(
    request: pytest.FixtureRequest, server: str
) -> None:
    # CREATE TABLE writes PRIMARY KEY (x, id): the autoincrement column first (Alembic's
    # test_alter_column_autoincrement_compositepk_explicit_true): a type change is no key change.
    # SQLite has no autoincrement in a composite primary key.
    url = request.getfixturevalue("pg_url" if server == "postgresql" else "mariadb_url")
    any_db = sa.create_engine(url, poolclass=sa.pool.NullPool)
    create(any_db, _autoincrement_second(sa.Integer))
    assert [e[0] for e in _entries(compare(any_db, _autoincrement_second(sa.Integer)))] == []
    assert [e[0] for e in _entries(compare(any_db, _autoincrement_second(sa.BigInteger)))] == ["modify_type"]
    # a key that does change is created in that order too, as create_all() would write it
    _autoincrement_second(sa.Integer).drop_all(any_db)
    create(any_db, _autoincrement_second(sa.Integer, x_in_key=False))
    diffs = compare(any_db, _autoincrement_second(sa.Integer))
    assert [d[0] for d in diffs if not isinstance(d, list)][-2:] == ["remove_constraint", "add_constraint"]
    assert [c.name for c in diffs[-1][1].columns] == ["x", "id"]


@pytest.mark.postgresql
def test_primary_key_change_on_postgresql_keeps_the_name(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    create(engine, _keyed("a"))
    upgrade, downgrade = produce(engine, _keyed("b", "a"))
    assert 'op.drop_constraint(op.f("t_pkey"), "t", type_="primary")' in upgrade
    assert 'op.create_primary_key(op.f("t_pkey"), "t", ["b", "a"])' in upgrade
    assert 'op.create_primary_key(op.f("t_pkey"), "t", ["a"])' in downgrade


def test_primary_key_change_goes_around_column_changes(tmp_path: Any) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/db.sqlite")
    old = sa.MetaData()
    sa.Table("t", old, sa.Column("a", sa.Integer, autoincrement=False), sa.Column("b", sa.Integer, nullable=True),
             sa.PrimaryKeyConstraint("a", name="pk_t"))
    create(engine, old)
    new = sa.MetaData()
    sa.Table("t", new, sa.Column("a", sa.Integer, autoincrement=False), sa.Column("b", sa.Integer, nullable=False),
             sa.Column("c", sa.Integer), sa.PrimaryKeyConstraint("a", "b", name="pk_t"))
    upgrade, _ = produce(engine, new, render_as_batch=True)
    lines = [line.strip() for line in upgrade.splitlines()]
    order = [next(i for i, line in enumerate(lines) if line.startswith(p)) for p in (
        "batch_op.add_column", 'batch_op.drop_constraint(batch_op.f("pk_t")', "batch_op.alter_column",
        "batch_op.create_primary_key")]
    assert order == sorted(order)


# -- computed columns ----------------------------------------------------------------------
def _computed(expression: str, persisted: bool | None = None, index: bool = False) -> sa.MetaData:
    m = sa.MetaData()
    t = sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("price", sa.Numeric(10, 2)),
                 sa.Column("total", sa.Numeric(12, 2), sa.Computed(expression, persisted=persisted)))
    if index:
        sa.Index("ix_t_total", t.c.total)
    return m


def test_computed_expression(any_db: sa.Engine) -> None:
    persisted = True if any_db.dialect.name == "postgresql" else None
    create(any_db, _computed("price * 2", persisted, index=True))
    assert compare(any_db, _computed("price * 2", persisted, index=True), compare_server_default=True) == []
    assert compare(any_db, _computed("price*2", persisted, index=True), compare_server_default=True) == []
    changed = _computed("price * 3", persisted, index=True)
    assert _entries(compare(any_db, changed, compare_server_default=True)) == [
        ("remove_index", "ix_t_total"), ("remove_column", "total"), ("add_column", "total"), ("add_index", "ix_t_total"),
    ]
    # Alembic's switch, and limbeck's
    assert compare(any_db, changed) == []
    assert compare(any_db, changed, compare_server_default=True, compare_expressions=False) == []


def _plain_total() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("price", sa.Numeric(10, 2)),
             sa.Column("total", sa.Numeric(12, 2)))
    return m


@pytest.mark.parametrize("before, after", [("computed", "plain"), ("plain", "computed")])
def test_computed_presence_warns_as_alembic(any_db: sa.Engine, before: str, after: str) -> None:
    """Alembic's text and switch: a filter written against Alembic's warning matches limbeck's."""
    models = {"computed": lambda: _computed("price * 2", True if any_db.dialect.name == "postgresql" else None),
              "plain": _plain_total}
    from limbeck.autogenerate import compare_metadata
    from limbeck.runtime.migration import MigrationContext

    def warned(**opts: Any) -> list[str]:
        with any_db.connect() as conn, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            context = MigrationContext.configure(conn, opts={"target_metadata": models[after](), **opts})
            assert compare_metadata(context, models[after]()) == []
        return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]

    create(any_db, models[before]())
    assert warned(compare_server_default=True) == ["Computed default on t.total cannot be modified"]
    assert warned() == []


@pytest.mark.mariadb
def test_computed_storage(mariadb_url: str) -> None:
    engine = sa.create_engine(mariadb_url, poolclass=sa.pool.NullPool)
    create(engine, _computed("price * 2", persisted=False))
    assert compare(engine, _computed("price * 2"), compare_server_default=True) == []
    assert [e[0] for e in _entries(compare(engine, _computed("price * 2", persisted=True), compare_server_default=True))] \
        == ["remove_column", "add_column"]


# -- PostgreSQL enum types -----------------------------------------------------------------
def _enum_models(*values: str, default: str | None = "a") -> sa.MetaData:
    m = sa.MetaData()
    kind = sa.Enum(*values, name="kind")
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("k", kind, server_default=default), sa.Column("k2", kind))
    return m


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("values", "statements"),
    [
        (("a", "b", "c"), ["ALTER TYPE kind ADD VALUE 'c'"]),
        (("z", "a", "b"), ["ALTER TYPE kind ADD VALUE 'z' BEFORE 'a'"]),
        (("a", "x", "b", "y"), ["ALTER TYPE kind ADD VALUE 'x' AFTER 'a'", "ALTER TYPE kind ADD VALUE 'y'"]),
        (("b", "a"), [
            "ALTER TYPE kind RENAME TO kind_old", "CREATE TYPE kind AS ENUM ('b', 'a')",
            "ALTER TABLE other_app ALTER COLUMN k TYPE kind USING k::text::kind",
            "ALTER TABLE t ALTER COLUMN k DROP DEFAULT", "ALTER TABLE t ALTER COLUMN k TYPE kind USING k::text::kind",
            "ALTER TABLE t ALTER COLUMN k SET DEFAULT 'a'", "ALTER TABLE t ALTER COLUMN k2 TYPE kind USING k2::text::kind",
            "DROP TYPE kind_old",
        ]),
    ],
)
def test_postgresql_enum_values(pg_url: str, values: tuple[str, ...], statements: list[str]) -> None:
    from limbeck.autogenerate.api import AutogenContext
    from limbeck.autogenerate.compare import compare_into
    from limbeck.autogenerate.records import EnumValuesOp
    from limbeck.operations.containers import UpgradeOps
    from limbeck.runtime.migration import MigrationContext

    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    create(engine, _enum_models("a", "b"))
    with engine.begin() as conn:  # another table uses the type too: it moves with the rest
        conn.exec_driver_sql("CREATE TABLE other_app (id INTEGER PRIMARY KEY, k kind)")
    models = _enum_models(*values)
    sa.Table("other_app", models, sa.Column("id", sa.Integer, primary_key=True), sa.Column("k", sa.Enum(*values, name="kind")))
    assert _entries(compare(engine, models)) == [("modify_enum", "kind", ("a", "b"), values)]
    with engine.connect() as conn:
        ctx = AutogenContext(MigrationContext.configure(conn, opts={"target_metadata": models}), models)
        ops = UpgradeOps([])
        compare_into(ctx, ops)
    record = ops.ops[0]
    assert isinstance(record, EnumValuesOp)
    assert record.statements == statements
    assert record.reverse().reverse_statements == statements
    assert compare(engine, models, compare_type=False) == []


@pytest.mark.postgresql
def test_postgresql_enum_renders_as_execute(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    create(engine, _enum_models("a", "b"))
    upgrade, downgrade = produce(engine, _enum_models("a", "b", "c"))
    assert upgrade.splitlines()[1].strip() == """op.execute("ALTER TYPE kind ADD VALUE 'c'")"""
    assert "# kind: a value goes or moves, so the type is made anew" in downgrade
    assert 'op.execute("DROP TYPE kind_old")' in downgrade


@pytest.mark.mariadb
def test_mariadb_enum_column_values(mariadb_url: str) -> None:
    engine = sa.create_engine(mariadb_url, poolclass=sa.pool.NullPool)
    create(engine, _enum_models("a", "b"))
    assert compare(engine, _enum_models("a", "b")) == []
    for values in (("a", "b", "c"), ("a",), ("b", "a")):
        assert _entries(compare(engine, _enum_models(*values))) == [("modify_type", "k"), ("modify_type", "k2")]
