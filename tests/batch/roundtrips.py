"""Online batch round trips: the tables and changes Alembic's own round-trip tests run, as data.

Each trip names the tables it starts from (built here with their rows), the
batch it runs through ``op`` (Alembic's or limbeck's, the same code) and,
optionally, what it does to the database afterwards (an insert that relies
on a default). ``test_roundtrip_parity.py`` runs every trip on SQLite,
PostgreSQL and MariaDB once with each tool, from the same starting database,
and compares what is left: rows, columns, keys, indexes, checks, comments.
Only SQLAlchemy is imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    func,
    text,
)

BACKENDS = ("sqlite", "postgresql", "mariadb")
FOO_ROWS = [{"id": 1, "data": "d1", "x": 5}, {"id": 2, "data": "22", "x": 6}, {"id": 3, "data": "8.5", "x": 7},
            {"id": 4, "data": "9.46", "x": 8}, {"id": 5, "data": "d5", "x": 9}]

#: builds one table (and its rows) into the metadata, for the backend named
Fixture = Callable[[sa.MetaData, str], list[dict[str, Any]]]


def _foo(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("foo", m, Column("id", Integer, primary_key=True), Column("data", String(50)), Column("x", Integer))
    return FOO_ROWS


def _nopk(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("nopk", m, Column("a", Integer), Column("b", Integer), Column("c", Integer))
    return [{"a": 1, "b": 2, "c": 3}, {"a": 2, "b": 4, "c": 5}]


def _t_w_ix(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    t = sa.Table("t_w_ix", m, Column("id", Integer, primary_key=True), Column("thing", Integer), Column("data", String(20)))
    sa.Index("ix_thing", t.c.thing)
    return [{"id": 1, "thing": 4, "data": "abc"}]


def _hasbool(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("hasbool", m, Column("x", Boolean(create_constraint=True, name="ck1")), Column("y", Integer))
    return [{"x": True, "y": 1}, {"x": False, "y": 2}, {"x": None, "y": 3}]


def _hasint(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("hasbool", m, Column("x", Integer))
    return [{"x": 1}, {"x": 0}]


def _hasts(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    import datetime

    sa.Table("hasts", m, Column("x", DateTime()))
    return [{"x": datetime.datetime(2012, 5, 18, 15, 32, 5)}]


def now_default(backend: str) -> Any:
    return func.datetime("now", "localtime") if backend == "sqlite" else func.current_timestamp()


def _hasts_default(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("hasts", m, Column("x", DateTime(), server_default=now_default(backend), nullable=False))
    return []


def _ck_table(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("ck_table", m, Column("id", Integer, nullable=False), sa.CheckConstraint("id is not NULL", name="ck"))
    return [{"id": 3}]


def _bar_to_foo(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("bar", m, Column("id", Integer, primary_key=True), Column("foo_id", Integer, ForeignKey("foo.id")))
    return [{"id": 1, "foo_id": 3}]


def _bar_selfref(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("bar", m, Column("id", Integer, primary_key=True), Column("bar_id", Integer, ForeignKey("bar.id")),
             Column("data", String(50)))
    return [{"id": 1, "data": "x", "bar_id": None}, {"id": 2, "data": "y", "bar_id": 1}]


def _bar_bool(name: str | None, create_constraint: bool = True) -> Fixture:
    def build(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
        sa.Table("bar", m, Column("id", Integer, primary_key=True),
                 Column("flag", Boolean(create_constraint=create_constraint, name=name)))
        return [{"id": 1, "flag": True}, {"id": 2, "flag": False}]
    return build


def _native_bool(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("has_native_bool", m, Column("x", Boolean(create_constraint=True), server_default="false", nullable=False),
             Column("y", Integer))
    return [{"x": True, "y": 1}]


def _rich(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    """Everything a rebuild must carry over: defaults, checks, unique, index, foreign key, comments.

    No table references it: PostgreSQL and MariaDB refuse to drop a referenced
    table, so such a rebuild fails with either tool (``fk_points_to_me_*``).
    """
    sa.Table("parent", m, Column("id", Integer, primary_key=True, autoincrement=False))
    sa.Table(
        "rich", m,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("name", String(40), nullable=False, server_default="anon", comment="who"),
        Column("score", sa.Numeric(10, 2), server_default=text("0")),
        Column("flag", Boolean(create_constraint=True, name="ck_rich_flag"), server_default=sa.false()),
        Column("parent_id", Integer, ForeignKey("parent.id", name="fk_rich_parent", ondelete="CASCADE")),
        Column("note", sa.Text),
        sa.UniqueConstraint("name", name="uq_rich_name"),
        sa.CheckConstraint("score >= 0", name="ck_rich_score"),
        sa.Index("ix_rich_score", "score"),
        comment="the rich table",
    )
    return []


RICH_ROWS = {
    "parent": [{"id": 1}, {"id": 2}],
    "rich": [{"id": 1, "name": "ann", "score": 1.5, "flag": True, "parent_id": 1, "note": "it's"},
             {"id": 2, "name": "bob", "score": None, "flag": None, "parent_id": None, "note": None},
             {"id": 3, "name": "cy", "score": 99999999.99, "flag": False, "parent_id": 2, "note": ""}],
}


@dataclass(frozen=True)
class Trip:
    id: str
    fixtures: tuple[Fixture, ...]
    change: Callable[[Any, str], None]
    #: run on the database after the batch (both tools), e.g. an insert that needs a default
    after: Callable[[sa.Connection], None] | None = None
    backends: tuple[str, ...] = BACKENDS
    #: (table, column) whose non-NULL values vary from run to run (a clock default): compared as "set"
    volatile: frozenset[tuple[str, str]] = frozenset()
    #: rows to insert instead of the fixtures' own, per table
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: the naming convention of the context's target_metadata (none: no target_metadata)
    target_convention: dict[str, Any] | None = None


TRIPS: list[Trip] = []


def trip(id: str, *fixtures: Fixture, **kw: Any) -> Callable[[Callable[[Any, str], None]], Callable[[Any, str], None]]:
    def register(fn: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
        TRIPS.append(Trip(id, fixtures, fn, **kw))
        return fn
    return register


def simple(id: str, fixtures: tuple[Fixture, ...], table: str, body: Callable[[Any], None], recreate: str = "auto",
           **kw: Any) -> None:
    """A trip that is one ``batch_alter_table`` block on one table.

    With ``recreate="auto"`` it runs on SQLite only unless told otherwise:
    elsewhere that block is plain ALTERs, whose text the operation corpus
    (``tests/parity``) already compares on every dialect.
    """
    def change(op: Any, backend: str) -> None:
        with op.batch_alter_table(table, recreate=recreate) as b:
            body(b)
    kw.setdefault("backends", BACKENDS if recreate == "always" else ("sqlite",))
    TRIPS.append(Trip(id, fixtures, change, **kw))


FOO = (_foo,)
for _r in ("auto", "always"):
    simple(f"fk_points_to_me_{_r}", (_foo, _bar_to_foo), "foo",
           lambda b: b.alter_column("data", new_column_name="newdata", existing_type=String(50)), _r)
    simple(f"selfref_fk_{_r}", (_bar_selfref,), "bar",
           lambda b: b.alter_column("data", new_column_name="newdata", existing_type=String(50)), _r)
    simple(f"add_pk_constraint_{_r}", (_nopk,), "nopk", lambda b: b.create_primary_key("newpk", ["a", "b"]), _r)
    simple(f"add_ck_constraint_{_r}", FOO, "foo", lambda b: b.create_check_constraint("newck", text("x > 0")), _r)
    simple(f"drop_ck_constraint_{_r}", (_ck_table,), "ck_table", lambda b: b.drop_constraint("ck", "check"), _r)
    simple(f"add_uq_{_r}", FOO, "foo", lambda b: b.create_unique_constraint("newuk", ["x"]), _r)
    simple(f"add_uq_plus_col_{_r}", FOO, "foo", lambda b: (
        b.add_column(Column("y", Integer)), b.create_unique_constraint("newuk", ["x", "y"])), _r)
    simple(f"add_column_comment_{_r}", FOO, "foo", lambda b: b.add_column(Column("y", Integer, comment="some comment")), _r)
    simple(f"alter_column_comment_{_r}", FOO, "foo",
           lambda b: b.alter_column("x", existing_type=Integer(), comment="some comment"), _r)
    simple(f"add_column_default_{_r}", FOO, "foo",
           lambda b: b.add_column(Column("data2", String(50), server_default="hi")), _r)
    simple(f"rich_add_column_{_r}", (_rich,), "rich", lambda b: b.add_column(Column("extra", Integer)), _r,
           rows=RICH_ROWS)
    simple(f"rich_alter_type_{_r}", (_rich,), "rich", lambda b: b.alter_column(
        "note", type_=String(200), existing_type=sa.Text), _r, rows=RICH_ROWS)
    simple(f"rich_drop_column_{_r}", (_rich,), "rich", lambda b: b.drop_column("note"), _r, rows=RICH_ROWS)
    simple(f"rich_rename_column_{_r}", (_rich,), "rich", lambda b: b.alter_column(
        "score", new_column_name="points", existing_type=sa.Numeric(10, 2)), _r, rows=RICH_ROWS)
    simple(f"rich_nullable_default_{_r}", (_rich,), "rich", lambda b: b.alter_column(
        "note", nullable=False, server_default="none", existing_type=sa.Text), _r,
        rows={**RICH_ROWS, "rich": [{**r, "note": r["note"] or "x"} for r in RICH_ROWS["rich"]]})

simple("change_type_boolean_to_int", (_hasbool,), "hasbool", lambda b: b.alter_column(
    "x", type_=Integer, existing_type=Boolean(create_constraint=True, name="ck1")))
simple("no_net_change_timestamp", (_hasts,), "hasts", lambda b: b.alter_column("x", type_=DateTime()))
simple("drop_col_schematype", (_hasbool,), "hasbool", lambda b: b.drop_column(
    "x", existing_type=Boolean(create_constraint=True, name="ck1")))
simple("change_type_int_to_boolean", (_hasint,), "hasbool", lambda b: b.alter_column(
    "x", type_=Boolean(create_constraint=True, name="ck1")))
simple("ix_existing", (_t_w_ix,), "t_w_ix", lambda b: (
    b.alter_column("data", type_=String(30)), b.create_index("ix_data", ["data"])))
simple("change_type", FOO, "foo", lambda b: b.alter_column("data", type_=Integer))
simple("drop_column", FOO, "foo", lambda b: b.drop_column("data"))
simple("drop_column_recreate", FOO, "foo", lambda b: b.drop_column("data"), "always")
simple("drop_pk_col_readd_col", FOO, "foo", lambda b: (b.drop_column("id"), b.add_column(Column("id", Integer))))
simple("drop_pk_col_readd_pk_col", FOO, "foo", lambda b: (
    b.drop_column("id"), b.add_column(Column("id", Integer, primary_key=True))))
simple("drop_pk_col_readd_col_also_pk_const", FOO, "foo", lambda b: (
    b.drop_column("id"), b.add_column(Column("id", Integer)), b.create_primary_key("newpk", ["id"])))
simple("rename_column", FOO, "foo", lambda b: b.alter_column("x", new_column_name="y"))
simple("rename_column_boolean", (_bar_bool(None),), "bar", lambda b: b.alter_column(
    "flag", new_column_name="bflag", existing_type=Boolean))
simple("rename_column_boolean_named_ck", (_bar_bool("ck1"),), "bar", lambda b: b.alter_column(
    "flag", new_column_name="bflag", existing_type=Boolean(create_constraint=True, name="ck1")), "always")
simple("drop_column_pk", FOO, "foo", lambda b: b.drop_column("id"))
simple("rename_column_pk", FOO, "foo", lambda b: b.alter_column("id", new_column_name="ident"))
simple("add_column_insert_before_recreate", FOO, "foo", lambda b: b.add_column(
    Column("data2", String(50), server_default="hi"), insert_before="data"), "always")
simple("add_column_insert_after_recreate", FOO, "foo", lambda b: b.add_column(
    Column("data2", String(50), server_default="hi"), insert_after="data"), "always")
simple("add_column_insert_before_on_alter", FOO, "foo", lambda b: b.add_column(
    Column("data2", String(50), server_default="hi"), insert_before="data"))
# Alembic decides at the add_column call, from the operations before it: a placement that only a
# later operation's rebuild would honour is refused; one after it is kept (found by online fuzzing)
simple("insert_before_then_rebuild", FOO, "foo", lambda b: (
    b.add_column(Column("data2", String(50)), insert_before="data"), b.drop_column("x")))
simple("rebuild_then_insert_before", FOO, "foo", lambda b: (
    b.drop_column("x"), b.add_column(Column("data2", String(50)), insert_before="data")))
simple("unique_on_renamed_column", FOO, "foo", lambda b: (
    b.alter_column("x", new_column_name="y"), b.create_unique_constraint("uq_y", ["y"])))
simple("create_index_recreate", FOO, "foo", lambda b: b.create_index("ix_data", ["data"], unique=True), "always")
simple("add_column_identity", (_nopk,), "nopk", lambda b: b.add_column(Column("id", Integer, sa.Identity())),
       backends=("postgresql",))
for _persisted in (True, False):
    simple(f"add_column_computed_{_persisted}", FOO, "foo", lambda b, p=_persisted: b.add_column(
        Column("data2", Integer, sa.Computed("1 + 1", persisted=p))), backends=("sqlite",))


@trip("create_then_drop_index_recreate", _foo)
def _create_then_drop_index(op: Any, backend: str) -> None:
    with op.batch_alter_table("foo", recreate="always") as b:
        b.create_index("ix_data", ["data"], unique=True)
    with op.batch_alter_table("foo", recreate="always") as b:
        b.drop_index("ix_data")


def _insert_defaults(conn: sa.Connection) -> None:
    conn.execute(sa.Table("hasts", sa.MetaData(), Column("x", DateTime())).insert(), [{}])


@trip("no_net_change_timestamp_w_default", _hasts_default, volatile=frozenset({("hasts", "x")}), after=_insert_defaults)
def _timestamp_default(op: Any, backend: str) -> None:
    with op.batch_alter_table("hasts") as b:
        b.alter_column("x", type_=DateTime(), nullable=False, server_default=now_default(backend))


@trip("add_column_clock_default", _foo, volatile=frozenset({("foo", "data2")}))
def _clock_default(op: Any, backend: str) -> None:
    with op.batch_alter_table("foo") as b:
        b.add_column(Column("data2", DateTime(), server_default=now_default(backend)))


@trip("drop_foreign_key_by_convention", _foo, _bar_to_foo)
def _drop_fk_convention(op: Any, backend: str) -> None:
    with op.batch_alter_table("bar", naming_convention={
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}) as b:
        b.drop_constraint("fk_bar_foo_id_foo", type_="foreignkey")


@trip("table_comment_create_then_drop", _foo, backends=("postgresql", "mariadb"))
def _table_comment(op: Any, backend: str) -> None:
    with op.batch_alter_table("foo") as b:
        b.create_table_comment("some comment")
    with op.batch_alter_table("foo") as b:
        b.create_table_comment("some new comment", existing_comment="some comment")
    with op.batch_alter_table("foo") as b:
        b.drop_table_comment(existing_comment="some new comment")


@trip("table_comment_create", _foo, backends=("postgresql", "mariadb"))
def _table_comment_kept(op: Any, backend: str) -> None:
    with op.batch_alter_table("foo") as b:
        b.create_table_comment("some comment")


@trip("rename_column_non_native_boolean_no_ck", _bar_bool(None, create_constraint=False), backends=("sqlite", "mariadb"),
      )
def _non_native_boolean(op: Any, backend: str) -> None:
    op.execute(text("insert into bar (id, flag) values (3, 5)"))
    with op.batch_alter_table("bar", reflect_args=[Column("flag", Boolean(create_constraint=False))]) as b:
        b.alter_column("flag", new_column_name="bflag", existing_type=Boolean)


@trip("add_col_table_has_native_boolean", _native_bool, backends=("postgresql",))
def _native_boolean(op: Any, backend: str) -> None:
    def listen_for_reflect(inspector: Any, table: Any, column_info: dict[str, Any]) -> None:
        if isinstance(column_info["type"], Boolean):
            column_info["type"].create_constraint = True

    with op.batch_alter_table("has_native_bool", recreate="always",
                              reflect_kwargs={"listeners": [("column_reflect", listen_for_reflect)]}) as b:
        b.add_column(Column("data", Integer))


# --- plain operations online (no batch): what a restated or altered column keeps ----------------
SERVERS = ("postgresql", "mariadb")


def _kept(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    """A column with everything a MySQL/MariaDB ``CHANGE``/``MODIFY`` must restate: type, NOT NULL, default, comment."""
    sa.Table("kept", m, Column("id", Integer, primary_key=True, autoincrement=False),
             Column("c", String(20), nullable=False, server_default="dflt", comment="the c"),
             Column("n", Integer, server_default=text("7")))
    return [{"id": 1, "c": "one", "n": 1}, {"id": 2, "c": "two", "n": None}]


_EXISTING = {"existing_type": String(20), "existing_nullable": False, "existing_server_default": "dflt",
             "existing_comment": "the c"}
for _name, _kw in [
    ("rename", {"new_column_name": "c2"}),
    ("widen", {"type_": String(60)}),
    ("nullable", {"nullable": True}),
    ("new_default", {"server_default": "other"}),
    ("drop_default", {"server_default": None}),
    ("new_comment", {"comment": "a new comment"}),
    ("rename_widen_nullable", {"new_column_name": "c2", "type_": String(60), "nullable": True}),
]:
    TRIPS.append(Trip(f"op_alter_{_name}", (_kept,), lambda op, backend, k=_kw: op.alter_column(
        "kept", "c", **{**_EXISTING, **k}), backends=SERVERS))
TRIPS.append(Trip("op_alter_int_default", (_kept,), lambda op, backend: op.alter_column(
    "kept", "n", server_default=text("8"), existing_type=Integer, existing_server_default=text("7")), backends=SERVERS))
TRIPS.append(Trip("op_alter_int_to_bigint", (_kept,), lambda op, backend: op.alter_column(
    "kept", "n", type_=sa.BigInteger, existing_type=Integer, existing_server_default=text("7")), backends=SERVERS))
TRIPS.append(Trip("op_add_not_null_default", (_kept,), lambda op, backend: op.add_column(
    "kept", Column("d", String(10), nullable=False, server_default="filled"))))
TRIPS.append(Trip("op_add_boolean_default", (_kept,), lambda op, backend: op.add_column(
    "kept", Column("b", Boolean(create_constraint=True, name="ck_kept_b"), nullable=False, server_default=sa.false()))))


def _insert_target(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("ins", m, Column("id", Integer, primary_key=True), Column("v1", String(20)),
             Column("v2", String(20), server_default="d2"), Column("j", sa.JSON), Column("at", DateTime))
    return []


def _ins() -> Any:
    return sa.table("ins", sa.column("id", Integer), sa.column("v1", String), sa.column("v2", String),
                    sa.column("j", sa.JSON), sa.column("at", DateTime))


for _multi in (True, False):
    TRIPS.append(Trip(f"op_bulk_insert_{'multi' if _multi else 'single'}", (_insert_target,),
                      lambda op, backend, m=_multi: op.bulk_insert(_ins(), [
                          {"id": 1, "v1": "a", "v2": "b"}, {"id": 2, "v1": "it's", "v2": None},
                          {"id": 3, "v1": "100%", "v2": "%(v1)s"}], multiinsert=m)))
    TRIPS.append(Trip(f"op_bulk_insert_mixed_keys_{'multi' if _multi else 'single'}", (_insert_target,),
                      lambda op, backend, m=_multi: op.bulk_insert(_ins(), [
                          {"id": 1, "v1": "a", "v2": "b"}, {"id": 2, "v1": "it's"}], multiinsert=m)))


@trip("op_bulk_insert_typed", _insert_target)
def _bulk_typed(op: Any, backend: str) -> None:
    import datetime

    op.bulk_insert(_ins(), [{"id": 1, "v1": "x", "j": {"a": [1, None]}, "at": datetime.datetime(2024, 5, 1, 10, 0)},
                            {"id": 2, "v1": "y", "j": None, "at": None}])


@trip("op_bulk_insert_inline_literal", _insert_target)
def _bulk_inline_literal(op: Any, backend: str) -> None:
    op.bulk_insert(_ins(), [{"id": 1, "v1": op.inline_literal("lit")}, {"id": 2, "v1": op.inline_literal("it's")}])


@trip("op_bulk_insert_no_ids", _insert_target)
def _bulk_no_ids(op: Any, backend: str) -> None:
    op.bulk_insert(sa.table("ins", sa.column("v1", String)), [{"v1": "first"}, {"v1": "second"}])
TRIPS.append(Trip("op_alter_type_using", (_kept,), lambda op, backend: op.alter_column(
    "kept", "c", type_=Integer, existing_type=String(20), existing_server_default="dflt",
    server_default=None, postgresql_using="length(c)"), backends=("postgresql",)))


def _tab(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("tab", m, Column("col", String(50)))
    return [{"col": "old data 1"}, {"col": "old data 2.1"}, {"col": "old data 3"}]


@trip("op_inline_literal_percent", _tab)
def _inline_percent(op: Any, backend: str) -> None:
    # Alembic's PostgresqlInlineLiteralTest: a literal holding % runs without parameters
    tab = sa.table("tab", sa.column("col"))
    op.execute(tab.update().where(tab.c.col.like(op.inline_literal("%.%"))).values(col=op.inline_literal("new data")),
               execution_options={"no_parameters": True})


# --- more rebuilds: what Alembic's batch tests leave to reflection ---------------------------------
def _typed(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    import datetime
    import decimal

    sa.Table("typed", m, Column("id", Integer, primary_key=True, autoincrement=False), Column("i", Integer),
             Column("f", sa.Float), Column("n", sa.Numeric(8, 3)), Column("d", sa.Date), Column("s", String(30)),
             Column("ts", DateTime), sa.UniqueConstraint("s"), sa.CheckConstraint("i >= 0", name="ck_typed_i"))
    return [{"id": 1, "i": 5, "f": 1.25, "n": decimal.Decimal("3.125"), "d": datetime.date(2024, 2, 29), "s": "12",
             "ts": datetime.datetime(2024, 2, 29, 23, 59, 58)},
            {"id": 2, "i": None, "f": None, "n": None, "d": None, "s": None, "ts": None}]


for _r in ("auto", "always"):
    simple(f"typed_widen_{_r}", (_typed,), "typed", lambda b: (
        b.alter_column("i", type_=sa.BigInteger, existing_type=Integer),
        b.alter_column("s", type_=String(60), existing_type=String(30)),
        b.alter_column("f", type_=sa.Numeric(10, 4), existing_type=sa.Float)), _r)
    simple(f"typed_to_text_{_r}", (_typed,), "typed", lambda b: (
        b.alter_column("i", type_=String(20), existing_type=Integer),
        b.alter_column("n", type_=String(20), existing_type=sa.Numeric(8, 3))), _r)
    simple(f"typed_nullable_default_{_r}", (_typed,), "typed", lambda b: b.alter_column(
        "i", nullable=False, server_default="0", existing_type=Integer), _r,
        rows={"typed": [{"id": 1, "i": 5}, {"id": 2, "i": 0}]})


@trip("drop_unnamed_unique_by_convention", _typed, backends=("sqlite",))
def _drop_unnamed_uq(op: Any, backend: str) -> None:
    with op.batch_alter_table("typed", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as b:
        b.drop_constraint("uq_typed_s", type_="unique")


CK_CONVENTION = {"ck": "ck_%(table_name)s_%(constraint_name)s"}


@trip("constraint_name_convention_keeps_names", _ck_table)
def _constraint_name_convention(op: Any, backend: str) -> None:
    # a %(constraint_name)s template renames neither the reflected "ck" nor the new "ck_new",
    # rebuild after rebuild, so dropping them by those names works (found by online fuzzing)
    for _ in range(2):
        with op.batch_alter_table("ck_table", naming_convention=CK_CONVENTION, recreate="always") as b:
            b.add_column(Column(f"c{_}", Integer))
    with op.batch_alter_table("ck_table", naming_convention=CK_CONVENTION, recreate="always") as b:
        b.create_check_constraint("ck_new", "c0 > 0")
    with op.batch_alter_table("ck_table", naming_convention=CK_CONVENTION, recreate="always") as b:
        b.drop_constraint("ck", type_="check")


@trip("table_args_not_named_by_batch_convention", _typed)
def _table_args_convention(op: Any, backend: str) -> None:
    # Alembic builds the new table in a MetaData of its own: the batch's convention names what the
    # table was reflected with, not table_args ("ck_ta" stays "ck_ta", not "ck_typed_ck_ta"; the
    # unnamed UNIQUE stays unnamed), so a later drop_constraint("ck_ta") works (found by online fuzzing)
    with op.batch_alter_table("typed", recreate="always", naming_convention={**CK_CONVENTION, "uq": "uq_%(table_name)s_%(column_0_name)s"},
                              table_args=(sa.CheckConstraint("id > 0", name="ck_ta"), sa.UniqueConstraint("i"))) as b:
        b.add_column(Column("z", Integer))


def _written(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    """Indexes a SQLite rebuild restores from their statements (DESC, COLLATE, an expression, a WHERE)."""
    t = sa.Table("wr", m, Column("id", Integer, primary_key=True), Column("seen", Integer), Column("name", String(20)),
                 Column("note", String(20)), Column("flag", Integer))
    sa.Index("ix_wr_seen_desc", t.c.seen.desc())
    sa.Index("ix_wr_name_nocase", t.c.name.collate("NOCASE"))
    sa.Index("ix_wr_note_lower", sa.func.lower(t.c.note))
    sa.Index("ix_wr_flagged", t.c.id, sqlite_where=t.c.flag == 1)
    return [{"id": 1, "seen": 2, "name": "a", "note": "b", "flag": 1}, {"id": 2, "seen": 3, "name": "A", "note": None,
                                                                          "flag": 0}]


# the restored statements name the renamed columns (limbeck kept the old names: "no such column"; found by
# online fuzzing); a column a WHERE names, renamed or dropped, breaks Alembic's rebuild (README)
simple("written_indexes_follow_renames", (_written,), "wr", lambda b: [
    b.alter_column(old, new_column_name=new) for old, new in (("seen", "seen_at"), ("name", "label"), ("note", "remark"))])
simple("written_partial_index_column_renamed", (_written,), "wr", lambda b: b.alter_column("flag", new_column_name="f"))
simple("written_partial_index_column_dropped", (_written,), "wr", lambda b: b.drop_column("flag"))


def _ck_unnamed(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("ck_unnamed", m, Column("id", Integer, primary_key=True), Column("n", Integer), sa.CheckConstraint("n > 0"))
    return [{"id": 1, "n": 5}]


@trip("unnamed_check_under_constraint_name_convention", _ck_unnamed, backends=("sqlite",))
def _unnamed_check_convention(op: Any, backend: str) -> None:
    # Alembic crashes reading the unnamed CHECK under a template that needs its name (README)
    with op.batch_alter_table("ck_unnamed", recreate="always", naming_convention=CK_CONVENTION) as b:
        b.add_column(Column("m", Integer))


def _twice_checked(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    """A table holding one named CHECK twice, as a rebuild with reflect_args=[Column("flag", Boolean(
    create_constraint=True, name="ck_flag"))] leaves it (both tools; SQLite keeps duplicate names)."""
    sa.Table("twice", m, Column("id", Integer, primary_key=True), Column("flag", Boolean),
             sa.CheckConstraint("flag IN (0, 1)", name="ck_flag"), sa.CheckConstraint("flag IN (0, 1)", name="ck_flag"))
    return [{"id": 1, "flag": True}]


# the next rebuild has it once, as Alembic's, which keys the old table's named constraints by name
# (found by online fuzzing)
simple("named_check_held_twice", (_twice_checked,), "twice", lambda b: b.add_column(Column("z", Integer)), "always",
       backends=("sqlite",))


def _nullable_x(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("nx", m, Column("id", Integer, primary_key=True), Column("x", Integer))
    return [{"id": 1, "x": None}, {"id": 2, "x": 4}]


simple("failing_copy_raises_the_database_error", (_nullable_x,), "nx",
       lambda b: b.alter_column("x", nullable=False, existing_type=Integer), "always", backends=("postgresql",))


def _cv(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    """A table made under CK_CONVENTION: its Boolean's CHECK is called ck_cv_flag in the database."""
    sa.Table("cv", m, Column("id", Integer, primary_key=True), Column("flag", Boolean(create_constraint=False)),
             sa.CheckConstraint("flag IN (0, 1)", name="ck_cv_flag"))
    return [{"id": 1, "flag": True}, {"id": 2, "flag": False}]


@trip("type_check_named_by_copy_from_convention", _cv, backends=("sqlite", "mariadb"))
def _type_check_copy_from(op: Any, backend: str) -> None:
    # Alembic #1844: the type's CHECK keeps the name copy_from's convention gives it (ck_cv_flag, not
    # flag); a column the batch adds has its type's own name (no target metadata)
    cv = sa.Table("cv", sa.MetaData(naming_convention=CK_CONVENTION), Column("id", Integer, primary_key=True),
                  Column("flag", Boolean(create_constraint=True, name="flag")))
    with op.batch_alter_table("cv", copy_from=cv, recreate="always") as b:
        b.add_column(Column("z", Boolean(create_constraint=True, name="zz")))


@trip("type_check_added_named_by_target_convention", _cv, backends=("sqlite", "mariadb"),
      target_convention=CK_CONVENTION)
def _type_check_added(op: Any, backend: str) -> None:
    # Alembic #1768: an added column's type CHECK is named by the target metadata's convention (ck_cv_zz)
    with op.batch_alter_table("cv", naming_convention=CK_CONVENTION, recreate="always") as b:
        b.add_column(Column("z", Boolean(create_constraint=True, name="zz")))


def _pg_enum(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("withenum", m, Column("id", Integer, primary_key=True), Column("e", sa.Enum("a", "b", name="letters")))
    return [{"id": 1, "e": "a"}, {"id": 2, "e": "b"}]


simple("enum_table_rebuilt", (_pg_enum,), "withenum", lambda b: b.add_column(Column("q", Integer)), "always")


def _details(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    """Index and column details a reflected rebuild can lose: a partial unique index, a collation, a composite unique."""
    collation = {"sqlite": "NOCASE", "postgresql": "C", "mariadb": "latin1_bin"}[backend]
    t = sa.Table("det", m, Column("id", Integer, primary_key=True, autoincrement=False),
                 Column("code", String(20, collation=collation)), Column("flag", Integer), Column("a", Integer),
                 Column("b", Integer), sa.UniqueConstraint("a", "b", name="uq_det_ab"))
    sa.Index("ix_det_code_live", t.c.code, unique=True, sqlite_where=t.c.flag == 1, postgresql_where=t.c.flag == 1)
    return [{"id": 1, "code": "x", "flag": 1, "a": 1, "b": 1}, {"id": 2, "code": "x", "flag": 0, "a": 1, "b": 2},
            {"id": 3, "code": "x", "flag": 0, "a": 2, "b": 1}]


def _insert_other_case(conn: sa.Connection) -> None:
    # under the column's collation 'X' may equal the live row's 'x': the partial unique index then refuses it
    det = sa.table("det", sa.column("id", Integer), sa.column("code", String), sa.column("flag", Integer))
    conn.execute(det.insert().values(id=9, code="X", flag=1))


# MariaDB has no partial index
simple("details_add_column", (_details,), "det", lambda b: b.add_column(Column("extra", Integer)), "always",
       after=_insert_other_case, backends=("sqlite", "postgresql"))
simple("details_rename_unique_column", (_details,), "det", lambda b: b.alter_column(
    "a", new_column_name="a2", existing_type=Integer), "always", backends=("sqlite", "postgresql"))


def _autoinc(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("ai", m, Column("id", Integer, primary_key=True), Column("v", String(10)), sqlite_autoincrement=True)
    return [{"id": 1, "v": "a"}, {"id": 7, "v": "b"}]


def _insert_after_delete(conn: sa.Connection) -> None:
    # whether ids are reused after the highest row is deleted (AUTOINCREMENT / sequence state)
    ai = sa.table("ai", sa.column("id", Integer), sa.column("v", String))
    conn.execute(ai.delete().where(ai.c.id == 7))
    conn.execute(ai.insert().values(v="c"))


TRIPS.append(Trip("autoincrement_kept", (_autoinc,), lambda op, backend: _rebuild_add(op, "ai"),
                  after=_insert_after_delete))


def _rebuild_add(op: Any, table: str) -> None:
    with op.batch_alter_table(table, recreate="always") as b:
        b.add_column(Column("extra", Integer))


def _composite_pk(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("cpk", m, Column("a", Integer, primary_key=True, autoincrement=False),
             Column("b", Integer, primary_key=True, autoincrement=False), Column("v", String(10)))
    return [{"a": 1, "b": 1, "v": "x"}, {"a": 1, "b": 2, "v": "y"}]


simple("composite_pk_rename_member", (_composite_pk,), "cpk", lambda b: b.alter_column(
    "b", new_column_name="b2", existing_type=Integer), "always")
simple("composite_pk_drop_member", (_composite_pk,), "cpk", lambda b: b.drop_column("v"), "always")


# --- server-side details a PostgreSQL or MariaDB rebuild must carry ---------------------------------
def _pg_kinds(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    from sqlalchemy.dialects import postgresql as pg

    seq = sa.Sequence("shared_seq", metadata=m)
    sa.Table("kinds", m, Column("id", Integer, seq, server_default=seq.next_value(), primary_key=True),
             Column("ident", Integer, sa.Identity(always=False, start=100)),
             Column("tags", pg.ARRAY(String(10))), Column("doc", pg.JSONB), Column("u", sa.Uuid))
    return [{"id": 5, "tags": ["a", "b"], "doc": {"k": [1, 2]}, "u": None},
            {"id": 6, "tags": [], "doc": None, "u": None}]


def _insert_kind(conn: sa.Connection) -> None:
    kinds = sa.table("kinds", sa.column("tags"))
    conn.execute(kinds.insert().values(tags=None))


simple("pg_kinds_add_column", (_pg_kinds,), "kinds", lambda b: b.add_column(Column("extra", Integer)), "always",
       backends=("postgresql",), after=_insert_kind)


def _charset(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
    sa.Table("cs", m, Column("id", Integer, primary_key=True, autoincrement=False), Column("txt", String(40)),
             Column("bin", sa.LargeBinary), mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin",
             mysql_engine="InnoDB", comment="with options")
    return [{"id": 1, "txt": "héllo ☃ 🎉", "bin": b"\x00\xff"}, {"id": 2, "txt": "Hello", "bin": None}]


simple("charset_kept", (_charset,), "cs", lambda b: b.add_column(Column("extra", Integer)), "always")


# --- Alembic's MySQLBackendOpTest: a date/time column given a server default, online -----------------
def _clock_column(type_: Any) -> Fixture:
    def build(m: sa.MetaData, backend: str) -> list[dict[str, Any]]:
        sa.Table("x", m, Column("id", Integer, primary_key=True, autoincrement=False), Column("colname", type_))
        return [{"id": 1, "colname": None}]
    return build


for _tname, _type in (("timestamp", sa.TIMESTAMP), ("datetime", sa.DATETIME)):
    for _dname, _default in (("current_timestamp", "CURRENT_TIMESTAMP"), ("now", "NOW()"),
                             ("onupdate", "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP")):
        TRIPS.append(Trip(
            f"op_{_tname}_default_{_dname}", (_clock_column(_type()),),
            lambda op, backend, t=_type, d=_default: op.alter_column(
                "x", "colname", existing_type=t(), existing_server_default=False, existing_nullable=True,
                server_default=text(d)),
            backends=("mariadb",), volatile=frozenset({("x", "colname")})))
