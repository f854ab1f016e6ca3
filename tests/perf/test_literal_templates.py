"""Template-filled DML texts equal SQLAlchemy's own literal compile, statement by statement.

:class:`limbeck.runtime.literal_templates.LiteralTemplates` compiles a
statement shape once and fills later statements of that shape with their
values. The reference is :func:`limbeck.runtime.literals.compile_literal`, a
fresh compile of each statement. One renderer per dialect is shared by every
statement of a test run, so most statements are filled from a template made
for an earlier one with other values. Errors must be the same too (type and
message), and the NULL / non-NULL pattern of values, untyped columns,
``IN`` lists, ``text()`` with binds, ``inline_literal`` and values typed by
the column as well as by the value are all exercised.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from limbeck.dialects import behaviour_for
from limbeck.operations.schemaobj import InlineLiteral
from limbeck.runtime.literal_templates import LiteralTemplates
from limbeck.runtime.literals import compile_literal, literal_row
from limbeck.runtime.version_table import VersionTable, build_table
from tests.sqlalchemy_facts import SQLALCHEMY_2_0

pytestmark = [
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning"),
]

DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")


def make_dialect(name: str) -> Any:
    dialect_cls: Any = make_url(f"{name}://").get_dialect()
    return dialect_cls(paramstyle="named")


_DIALECT_OBJECTS = {name: make_dialect(name) for name in DIALECTS}
# one renderer per dialect for the whole module: templates made by one example serve the next
_RENDERERS = {name: LiteralTemplates(d) for name, d in _DIALECT_OBJECTS.items()}

# -- values ------------------------------------------------------------------------------
_TEXTS = ["", "plain", "it's", "50% off", "back\\slash", "tab\there", "line\nbreak", 'dq"', "\\:colon", "é ü", "x" * 40]
VALUES = st.one_of(
    st.none(),
    st.integers(-(2**40), 2**40),
    st.sampled_from(_TEXTS),
    st.text(max_size=12),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.datetimes(
        min_value=datetime.datetime(1900, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.sampled_from([datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=-5))]),
    ),
    st.times(),
    st.timedeltas(min_value=datetime.timedelta(days=-3), max_value=datetime.timedelta(days=3)),
    st.binary(max_size=6),
    st.uuids(),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), max_size=2),
)

# -- column types (None: an untyped sa.column, whose literal type comes from the value) ----
TYPES: list[Callable[[], Any] | None] = [
    None,
    sa.Integer,
    sa.BigInteger,
    lambda: sa.String(32),
    sa.Text,
    lambda: sa.Numeric(12, 2),
    sa.Float,
    sa.Boolean,
    sa.Date,
    sa.DateTime,
    lambda: sa.DateTime(timezone=True),
    sa.Time,
    sa.LargeBinary,
    sa.JSON,
    sa.Interval,
    sa.Uuid,
    lambda: sa.Enum("a", "b", "it's", name="kind"),
]
COLUMN_NAMES = ["id", "code", "name", "amount", "flag", "note", "order", "When"]


def outcome(fn: Callable[..., str], *args: Any) -> tuple[str, str]:
    """The text, or the error's type and message: both renderings must agree on either."""
    try:
        return ("text", fn(*args))
    except Exception as err:  # noqa: BLE001 - comparing whatever the reference raises
        return (type(err).__name__, str(err))


def reference_row(insert: Any, row: dict[str, Any], dialect: Any) -> str:
    """What the emitter rendered for a ``bulk_insert`` row before templates."""
    return compile_literal(insert.values(literal_row(insert, row)), dialect)


@st.composite
def tables(draw: Any) -> tuple[Any, list[str]]:
    """A lightweight ``sa.table()`` or a ``Table``, with a few typed or untyped columns.

    Few table names and types, so shapes repeat across examples and templates get reused.
    """
    count = draw(st.integers(1, 4))
    names = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=count, max_size=count, unique=True))
    types = [draw(st.sampled_from(TYPES)) for _ in names]
    # plain names share one template per shape (the name filled in); quoted ones, a name that is
    # also a column's, and the marker the shared templates are compiled with are in the mix
    table_name = draw(st.sampled_from(["t", "orders", "orders_2", "select", "Orders", "id", "zqtablemarkzq"]))
    if draw(st.booleans()):
        light = [sa.column(n, t()) if t is not None else sa.column(n) for n, t in zip(names, types)]
        return sa.table(table_name, *light, schema=draw(st.sampled_from([None, "audit"]))), names
    metadata = sa.MetaData()
    columns = [sa.Column(n, t() if t is not None else sa.types.NullType()) for n, t in zip(names, types)]
    return sa.Table(table_name, metadata, *columns), names


def rows_for(draw: Any, names: list[str]) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
        rows.append({k: draw(VALUES) for k in keys})
    return rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dialect=st.sampled_from(DIALECTS), data=st.data())
def test_bulk_insert_rows_equal_fresh_compiles(dialect: str, data: Any) -> None:
    renderer = _RENDERERS[dialect]
    d = _DIALECT_OBJECTS[dialect]
    table, names = data.draw(tables())
    insert = table.insert().inline()
    for row in rows_for(data.draw, names):
        expected = outcome(reference_row, insert, row, d)
        assert outcome(renderer.row, insert, row) == expected
        # twice: the second one is certainly filled from the template the first one made
        assert outcome(renderer.row, insert, row) == expected


@st.composite
def dml(draw: Any) -> Any:
    """UPDATE / DELETE / INSERT statements with bound values in several positions."""
    table, names = draw(tables())
    col = table.c[draw(st.sampled_from(names))]
    other = table.c[draw(st.sampled_from(names))]
    value = draw(VALUES)
    conditions = [
        lambda: col == draw(VALUES),
        lambda: sa.and_(col == draw(VALUES), other != draw(VALUES)),
        lambda: col.in_([draw(VALUES), draw(VALUES)]),
        lambda: col.between(draw(VALUES), draw(VALUES)),
        lambda: col.like(draw(st.sampled_from(_TEXTS))),
        lambda: col.is_(None),
        lambda: sa.text("id < :limit").bindparams(limit=draw(st.integers(0, 9))),
        lambda: sa.text("id > 0"),
        lambda: col == InlineLiteral(draw(VALUES)),
        lambda: col == sa.literal(draw(VALUES)),
    ]
    where = draw(st.sampled_from(conditions))()
    kind = draw(st.sampled_from(["update", "delete", "insert", "update_inline"]))
    if kind == "update":
        return table.update().where(where).values({col.name: value})
    if kind == "update_inline":
        return table.update().where(where).values({col.name: InlineLiteral(value)})
    if kind == "delete":
        return table.delete().where(where)
    return table.insert().inline().values({col.name: value, other.name: draw(VALUES)})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dialect=st.sampled_from(DIALECTS), statements=st.lists(dml(), min_size=1, max_size=4))
def test_dml_statements_equal_fresh_compiles(dialect: str, statements: list[Any]) -> None:
    renderer = _RENDERERS[dialect]
    d = _DIALECT_OBJECTS[dialect]
    for stmt in statements:
        expected = outcome(compile_literal, stmt, d)
        assert outcome(renderer.statement, stmt) == expected
        assert outcome(renderer.statement, stmt) == expected


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("schema", [None, "audit"])
def test_version_table_statements_are_filled_and_equal(dialect: str, schema: str | None) -> None:
    """The version table's once-built statements render exactly as statements built with the values."""
    d = make_dialect(dialect)
    renderer = LiteralTemplates(d)
    table = build_table("alembic_version", schema)
    returning = behaviour_for(d).implicit_returning
    version = VersionTable(table, insert_returning=returning)
    col = table.c.version_num

    def insert(value: str) -> Any:
        # as Alembic: the key an expression, so SQLAlchemy adds the dialect's RETURNING / OUTPUT
        return table.insert().values(version_num=sa.type_coerce(value, col.type) if returning else value)

    ids = ["ae1027a6acf", "it's", "27c6a30d7c24", "%(x)s", "1a2b\\3c"]
    cases = [(version.insert(ids[0]), insert(ids[0]))]
    cases.append((version.delete(ids[0]), table.delete().where(col == ids[0])))
    cases += [(version.update(a, b), table.update().where(col == a).values(version_num=b)) for a, b in itertools.pairwise(ids)]
    cases += [(version.insert(i), insert(i)) for i in ids]
    cases += [(version.delete(i), table.delete().where(col == i)) for i in ids]
    for stmt, reference in cases:
        assert stmt.params is not None
        assert renderer.prepared(stmt.element, stmt.params) == compile_literal(reference, d)
    # one template per statement shape (insert, update, delete); every statement is a fill
    assert renderer.hits == len(cases)
    assert len(renderer._prepared) == 3
    purge = version.delete_all()
    assert purge.params is None and renderer.statement(purge.element) == compile_literal(table.delete(), d)
    first = renderer.prepared(cases[0][0].element, cases[0][0].params)
    fetched = {"postgresql": " RETURNING ", "sqlite": " RETURNING ", "mssql": " OUTPUT inserted.version_num "}
    if not SQLALCHEMY_2_0:  # 2.0's MariaDB dialect turns RETURNING on from the server's version: never offline
        fetched["mariadb"] = " RETURNING "
    assert (fetched[dialect] in first) if dialect in fetched else ("RETURNING" not in first and "OUTPUT" not in first)


def test_prepared_statement_with_a_null_value_is_compiled_plainly() -> None:
    d = make_dialect("postgresql")
    renderer = LiteralTemplates(d)
    table = build_table()
    stmt = VersionTable(table).update("a", "b")
    text = renderer.prepared(stmt.element, {"version_num_old": None, "version_num_new": "b"})
    # a bound NULL compares with "=", as it would when executed with that parameter
    assert text == "UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = NULL"
    assert renderer.hits == 0


def test_rows_of_the_same_shape_reuse_one_template() -> None:
    renderer = LiteralTemplates(make_dialect("postgresql"))
    rows = [{"id": i, "name": f"n{i}"} for i in range(5)]
    for _ in range(2):  # a second op on a new but identical sa.table() shares the template
        table = sa.table("t", sa.column("id", sa.Integer()), sa.column("name", sa.String(20)))
        insert = table.insert().inline()
        for row in rows:
            renderer.row(insert, row)
    assert renderer.hits == 9


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rows_of_tables_of_one_shape_share_a_template(dialect: str) -> None:
    """``sa.table()`` s that differ only in a plain name: one template, the name filled in like a value."""
    d = make_dialect(dialect)
    renderer = LiteralTemplates(d)
    names = ["account_1", "account_2", "Account_3", "select", "account_4", "id"]
    for i, name in enumerate(names):
        table = sa.table(name, sa.column("id", sa.Integer()), sa.column("code", sa.String()),
                         sa.column("amount", sa.Numeric()))
        insert = table.insert().inline()
        for row in ({"id": i, "code": f"c-{i}", "amount": decimal.Decimal("1.50")}, {"id": i + 10, "code": "it's"}):
            assert renderer.row(insert, row) == reference_row(insert, row, d)
    # 4 plain names, 2 row shapes (with and without amount): the first table makes both templates,
    # the other 3 fill them; the quoted names (Account_3, select) have templates of their own table
    assert renderer.hits == 3 * 2
    named = [shape for shape in renderer._rows if shape[0][0] == "table"]
    assert len(named) == 2  # the two row shapes (with and without amount), for every plain-named table


def test_a_table_that_is_more_than_sa_table_is_not_shared() -> None:
    renderer = LiteralTemplates(make_dialect("postgresql"))
    table = sa.table("t1", sa.column("id", sa.Integer()))
    assert renderer._insert_shape(table.insert().inline())[1] == "t1"
    assert renderer._insert_shape(table.insert())[1] is None  # not inline(): RETURNING may follow
    assert renderer._insert_shape(table.insert().inline().returning(table.c.id))[1] is None
    keyed = sa.table("t2", sa.column("id", sa.Integer()))
    keyed.c.id.key = "other"
    assert renderer._insert_shape(keyed.insert().inline())[1] is None
    full = sa.Table("t3", sa.MetaData(), sa.Column("id", sa.Integer()))
    assert renderer._insert_shape(full.insert().inline())[1] is None
    typed = sa.table("t4", sa.column("id", sa.Enum("a", name="e")))
    assert renderer._insert_shape(typed.insert().inline())[1] is None


def test_text_with_binds_and_in_lists_are_not_templated() -> None:
    renderer = LiteralTemplates(make_dialect("postgresql"))
    t = sa.table("t", sa.column("id", sa.Integer()))
    with_text = t.delete().where(sa.text("id = :v").bindparams(v=1))
    with_in = t.delete().where(t.c.id.in_([1, 2]))
    for stmt in (with_text, with_in, with_text, with_in):
        renderer.statement(stmt)
    assert renderer.hits == 0
    assert renderer.statement(t.delete().where(sa.text("id = :v").bindparams(v="a\\:b"))) == compile_literal(
        t.delete().where(sa.text("id = :v").bindparams(v="a\\:b")), make_dialect("postgresql")
    )


def test_uuid_values_render_like_the_reference() -> None:
    d = make_dialect("mssql")
    renderer = LiteralTemplates(d)
    t = sa.table("t", sa.column("u", sa.Uuid()))
    for value in (uuid.UUID(int=1), uuid.UUID(int=2)):
        stmt = t.update().values(u=value)
        assert renderer.statement(stmt) == compile_literal(stmt, d)


def test_values_a_renderer_refuses_fail_the_same_way() -> None:
    d = make_dialect("postgresql")
    renderer = LiteralTemplates(d)
    t = sa.table("t", sa.column("n", sa.Numeric(10, 2)))
    insert = t.insert().inline()
    renderer.row(insert, {"n": decimal.Decimal("1.50")})
    bad = {"n": decimal.Decimal("NaN")}
    assert outcome(renderer.row, insert, bad) == outcome(reference_row, insert, bad, d)
    assert outcome(renderer.row, insert, bad)[0] == "LiteralValueError"



def test_a_template_compiler_made_elsewhere_renders_plainly() -> None:
    """SQLAlchemy could instantiate the compiler class itself: it must then behave as the literal one."""
    d = make_dialect("postgresql")
    renderer = LiteralTemplates(d)
    t = sa.table("t", sa.column("id", sa.Integer()))
    stmt = t.update().values(id=5)
    compiler = renderer._compiler_cls(d, stmt, compile_kwargs={"literal_binds": True})
    assert str(compiler) == compile_literal(stmt, d)
