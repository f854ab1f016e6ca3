"""compare_metadata, feature by feature, on SQLite and on the real PostgreSQL server.

Each test creates the database side with plain SQL, compares it with models,
and asserts the diff entries (Alembic's tuples) that come back.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from limbeck.autogenerate import compare_metadata, produce_migrations
from limbeck.errors import CommandError
from limbeck.runtime.migration import MigrationContext

Compare = Callable[..., list[Any]]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/db.sqlite"
    else:
        url = request.getfixturevalue("pg_url")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


def _setup(engine: sa.Engine, *sql: str) -> None:
    with engine.begin() as conn:
        for statement in sql:
            conn.exec_driver_sql(statement)


def _compare(engine: sa.Engine, metadata: sa.MetaData, **opts: Any) -> list[Any]:
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(conn, opts={"target_metadata": metadata, **opts})
        return compare_metadata(context, metadata)


def _kinds(diffs: list[Any]) -> list[Any]:
    return [[d[0] for d in diff] if isinstance(diff, list) else diff[0] for diff in diffs]


def test_identical_schema_has_no_diffs(db: sa.Engine) -> None:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20), nullable=False),
             sa.Column("price", sa.Numeric(10, 2)), sa.Column("at", sa.DateTime), sa.Column("ok", sa.Boolean),
             sa.Column("body", sa.Text), sa.Column("big", sa.BigInteger), sa.Index("ix_t_name", "name"))
    m.create_all(db)
    assert _compare(db, m, compare_server_default=True) == []


def test_tables_added_and_removed(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE gone (id INTEGER PRIMARY KEY)")
    m = sa.MetaData()
    sa.Table("fresh", m, sa.Column("id", sa.Integer, primary_key=True))
    diffs = _compare(db, m)
    assert [(d[0], d[1].name) for d in diffs] == [("add_table", "fresh"), ("remove_table", "gone")]


def test_version_table_is_never_compared(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    assert _compare(db, sa.MetaData()) == []


def test_columns_added_removed_and_nullability(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, a INTEGER NOT NULL, gone INTEGER)")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer, nullable=True),
             sa.Column("new", sa.String(5)))
    diffs = _compare(db, m)
    assert _kinds(diffs) == ["add_column", ["modify_nullable"], "remove_column"]
    assert diffs[0][2:4] == ("t", diffs[0][3]) and diffs[0][3].name == "new"
    assert diffs[1][0][2:4] == ("t", "a") and diffs[1][0][5:] == (False, True)
    assert diffs[2][3].name == "gone"


@pytest.mark.parametrize(
    ("ddl", "model", "changed"),
    [
        ("VARCHAR(10)", sa.String(10), False),
        ("VARCHAR(10)", sa.String(20), True),
        ("INTEGER", sa.BigInteger(), True),
        ("NUMERIC(10, 2)", sa.Numeric(), False),
        ("NUMERIC(10, 2)", sa.Numeric(12, 2), True),
        ("TEXT", sa.Text(), False),
        ("TEXT", sa.Integer(), True),
    ],
)
def test_types(db: sa.Engine, ddl: str, model: Any, changed: bool) -> None:
    _setup(db, f"CREATE TABLE t (id INTEGER PRIMARY KEY, c {ddl})")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("c", model))
    diffs = _compare(db, m)
    assert _kinds(diffs) == ([["modify_type"]] if changed else [])
    assert _compare(db, m, compare_type=False) == []


def test_compare_type_callable_decides(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, c VARCHAR(10))")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("c", sa.String(10)))
    calls: list[Any] = []

    def compare_type(context: Any, conn_col: Any, meta_col: Any, conn_type: Any, meta_type: Any) -> Any:
        calls.append(meta_col.name)
        return True if meta_col.name == "c" else None

    assert _kinds(_compare(db, m, compare_type=compare_type)) == [["modify_type"]]
    assert calls == ["id", "c"]


def test_server_defaults_only_when_asked(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(5) DEFAULT 'x', b INTEGER DEFAULT 0, "
               "c VARCHAR(5), d INTEGER DEFAULT 1)")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.String(5), server_default="y"),
             sa.Column("b", sa.Integer, server_default="0"), sa.Column("c", sa.String(5), server_default="z"),
             sa.Column("d", sa.Integer))
    assert _compare(db, m) == []
    diffs = _compare(db, m, compare_server_default=True)
    assert [(d[0][0], d[0][3]) for d in diffs] == [("modify_default", "a"), ("modify_default", "c"),
                                                   ("modify_default", "d")]
    verdicts = _compare(db, m, compare_server_default=lambda *args: args[1].name == "b")
    assert [d[0][3] for d in verdicts] == ["b"]


def test_indexes_and_unique_constraints(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c INTEGER, CONSTRAINT uq_t_a UNIQUE (a))",
           "CREATE INDEX ix_t_b ON t (b)", "CREATE INDEX ix_t_c ON t (c)")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer),
             sa.Column("b", sa.Integer), sa.Column("c", sa.Integer),
             sa.Index("ix_t_b", "b"), sa.Index("ix_t_c", "c", "b"), sa.UniqueConstraint("b", "c", name="uq_t_bc"))
    diffs = _compare(db, m)
    # Alembic's order: what the models lack, then each changed one dropped and created, then the new ones
    assert [(d[0], d[1].name) for d in diffs] == [
        ("remove_constraint", "uq_t_a"), ("remove_index", "ix_t_c"), ("add_index", "ix_t_c"),
        ("add_constraint", "uq_t_bc"),
    ]


def test_unnamed_unique_matches_by_columns(db: sa.Engine) -> None:
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer, unique=True))
    m.create_all(db)
    assert _compare(db, m) == []


def test_unnamed_unique_met_by_a_unique_index(db: sa.Engine) -> None:
    # README departure: Alembic drops the index and adds a constraint of no name (an upgrade
    # SQLite refuses, a downgrade that cannot name what it drops)
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)", "CREATE UNIQUE INDEX ix_t_a ON t (a)")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer, unique=True))
    assert _compare(db, m) == []


def test_foreign_keys_by_what_they_do(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE p (id INTEGER PRIMARY KEY, other INTEGER UNIQUE)",
           "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER, q_id INTEGER, "
           "CONSTRAINT fk_old FOREIGN KEY (p_id) REFERENCES p (id), "
           "CONSTRAINT fk_q FOREIGN KEY (q_id) REFERENCES p (id))")
    m = sa.MetaData()
    sa.Table("p", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("other", sa.Integer, unique=True))
    sa.Table("c", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("p_id", sa.ForeignKey("p.id", name="fk_renamed")),
             sa.Column("q_id", sa.ForeignKey("p.other", ondelete="CASCADE", name="fk_q")))
    diffs = _compare(db, m)
    # a renamed FK is the same FK; another target or ON DELETE is a new one
    assert [(d[0], d[1].name) for d in diffs] == [("remove_fk", "fk_q"), ("add_fk", "fk_q")]


def test_named_check_constraints(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, CONSTRAINT ck_old CHECK (n > 0), "
               "CONSTRAINT ck_same CHECK (n < 10))")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer),
             sa.CheckConstraint("n < 10", name="ck_same"), sa.CheckConstraint("n <> 5", name="ck_new"))
    diffs = _compare(db, m)
    # Alembic's order (its check constraint plugin): what the models lack first, then what they add
    assert [(d[0], d[1].name) for d in diffs] == [("remove_constraint", "ck_old"), ("add_constraint", "ck_new")]


def test_an_unnamed_model_check_keeps_database_checks(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, CONSTRAINT ck_db CHECK (n > 0))")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer),
             sa.CheckConstraint("n > 0"))
    assert _compare(db, m) == []


def test_include_name_and_include_object(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE keep_me (id INTEGER PRIMARY KEY, x INTEGER)", "CREATE TABLE skip_me (id INTEGER PRIMARY KEY)")
    m = sa.MetaData()
    sa.Table("keep_me", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("model_only", m, sa.Column("id", sa.Integer, primary_key=True))
    seen: list[tuple[Any, ...]] = []

    def include_name(name: Any, type_: str, parent_names: dict[str, Any]) -> bool:
        seen.append((name, type_, parent_names.get("schema_qualified_table_name")))
        return name != "skip_me"

    def include_object(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
        return not (type_ == "table" and name == "model_only")

    diffs = _compare(db, m, include_name=include_name, include_object=include_object)
    assert [(d[0], d[3].name) for d in diffs] == [("remove_column", "x")]
    assert ("skip_me", "table", "skip_me") in seen and ("x", "column", "keep_me") in seen


def test_offline_context_refuses() -> None:
    context = MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True})
    with pytest.raises(CommandError, match="autogenerate can't use as_sql=True as it prevents querying the database for schema information"):
        compare_metadata(context, sa.MetaData())


def test_no_metadata_refuses(tmp_path: Any) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        from limbeck.autogenerate import AutogenContext

        # as in Alembic, a context built by hand (to render records) needs no models ...
        ctx = AutogenContext(context)
        assert ctx.metadata is None
        # ... but comparing without them refuses (every table would be reported removed)
        from limbeck.autogenerate.compare import compare_into
        from limbeck.operations.ops import UpgradeOps

        with pytest.raises(CommandError, match="does not provide a MetaData"):
            compare_into(ctx, UpgradeOps([]))


def test_produce_migrations_reverses_into_downgrade(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer),
             sa.Column("b", sa.Integer))
    with db.connect() as conn:
        script = produce_migrations(MigrationContext.configure(conn, opts={"target_metadata": m}), m)
    assert script.upgrade_ops is not None and script.downgrade_ops is not None
    assert [type(o).__name__ for o in script.upgrade_ops.ops[0].ops] == ["AddColumnOp"]
    assert [type(o).__name__ for o in script.downgrade_ops.ops[0].ops] == ["DropColumnOp"]


@pytest.mark.postgresql
def test_postgresql_comments_schemas_and_expression_indexes(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    _setup(engine, "CREATE SCHEMA other", "CREATE TABLE other.o (id INTEGER PRIMARY KEY, name VARCHAR(20))",
           "CREATE INDEX ix_o_lower ON other.o (lower(name))", "COMMENT ON TABLE other.o IS 'before'",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, doc JSONB)")
    m = sa.MetaData()
    o = sa.Table("o", m, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("name", sa.String(20), comment="the name"), schema="other", comment="after")
    sa.Index("ix_o_lower", sa.func.lower(o.c.name))
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("doc", postgresql.JSONB))
    for opts in ({}, {"include_schemas": True}):  # a schema the models name is compared either way
        diffs = _compare(engine, m, **opts)
        assert _kinds(diffs) == [["modify_comment"], "add_table_comment"]
        assert diffs[0][0][1:4] == ("other", "o", "name")


@pytest.mark.postgresql
def test_schemas_the_models_name_without_include_schemas(pg_url: str) -> None:
    """Issue 18 §3: Alembic reports an existing other.audit as new forever and the new one as well."""
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    _setup(engine, "CREATE SCHEMA other", "CREATE TABLE other.audit (id INTEGER PRIMARY KEY)",
           "CREATE TABLE other.foreign_app (id INTEGER PRIMARY KEY)", "CREATE SCHEMA unnamed",
           "CREATE TABLE unnamed.x (id INTEGER PRIMARY KEY)")
    m = sa.MetaData()
    sa.Table("audit", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("at", sa.DateTime), schema="other")
    sa.Table("audit_new", m, sa.Column("id", sa.Integer, primary_key=True), schema="other")
    diffs = _compare(engine, m)
    # the new table is created, the existing one compared; other.foreign_app and unnamed.x are not ours
    assert [(d[0], d[1].name) if d[0] == "add_table" else (d[0], d[1], d[2]) for d in diffs] == [
        ("add_table", "audit_new"), ("add_column", "other", "audit"),
    ]
    kinds = _kinds(_compare(engine, m, include_schemas=True))
    assert kinds == ["add_table", "remove_table", "remove_table", "add_column"]


@pytest.mark.postgresql
def test_postgresql_identity_and_serial_are_not_changes(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    m = sa.MetaData()
    sa.Table("s", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer, server_default="1"))
    sa.Table("i", m, sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
             sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now()))
    m.create_all(engine)
    assert _compare(engine, m, compare_server_default=True) == []


@pytest.mark.mariadb
def test_mariadb_implicit_foreign_key_indexes(mariadb_url: str) -> None:
    engine = sa.create_engine(mariadb_url, poolclass=sa.pool.NullPool)
    m = sa.MetaData()
    sa.Table("p", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("c", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("p_id", sa.ForeignKey("p.id")),
             sa.Column("flag", sa.Boolean), sa.Column("code", sa.String(5), unique=True))
    m.create_all(engine)
    assert _compare(engine, m, compare_server_default=True) == []


def test_several_metadata_objects(db: sa.Engine) -> None:
    _setup(db, "CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY)")
    m1, m2 = sa.MetaData(), sa.MetaData()
    sa.Table("a", m1, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("b", m2, sa.Column("id", sa.Integer, primary_key=True))
    with db.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), [m1, m2])
    assert [(d[0], d[1].name) for d in diffs] == [("add_table", "b")]
    m3 = sa.MetaData()
    sa.Table("b", m3, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("a", m3, sa.Column("id", sa.Integer, primary_key=True))
    # Alembic's ValueError and text: every key held twice, sorted, quoted
    with db.connect() as conn, pytest.raises(ValueError) as caught:
        compare_metadata(MigrationContext.configure(conn), [m1, m2, m3])
    assert str(caught.value) == 'Duplicate table keys across multiple MetaData objects: "a", "b"'
    assert isinstance(caught.value, CommandError)


@pytest.mark.postgresql
def test_postgresql_tables_in_other_schemas(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    _setup(engine, "CREATE SCHEMA app", "CREATE SCHEMA ignored", "CREATE TABLE ignored.x (id INTEGER PRIMARY KEY)",
           "CREATE TABLE app.old (id INTEGER PRIMARY KEY)")
    m = sa.MetaData()
    sa.Table("new", m, sa.Column("id", sa.Integer, primary_key=True), schema="app")
    sa.Table("p", m, sa.Column("id", sa.Integer, primary_key=True), schema="public")
    diffs = _compare(engine, m, include_schemas=True, include_name=lambda n, t, p: not (t == "schema" and n == "ignored"))
    assert [(d[0], d[1].schema, d[1].name) for d in diffs] == [
        ("add_table", "app", "new"), ("add_table", "public", "p"), ("remove_table", "app", "old"),
    ]


@pytest.mark.mariadb
@pytest.mark.parametrize("scheme", ["mysql+pymysql", "mariadb+pymysql"])
def test_mariadb_json_behind_either_url_is_unchanged(mariadb_url: str, scheme: str) -> None:
    """MariaDB keeps JSON as LONGTEXT; a ``mysql://`` URL must not make that a type change on every run."""
    url = sa.engine.make_url(mariadb_url).set(drivername=scheme)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        m = sa.MetaData()
        sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("doc", sa.JSON))
        m.create_all(engine)
        assert _compare(engine, m) == []
    finally:
        engine.dispose()
