"""Many operations of mixed shapes in one ``upgrade --sql`` run, under each tool.

The operation corpus renders each call on its own. Offline, limbeck fills DDL and DML from
templates compiled once per shape and kept for the run, so a shape key that leaves something
out would only show when two different calls share a run. Here each scenario writes one
revision of 450 seeded random calls (tables, columns, ``alter_column``, indexes, foreign keys,
``bulk_insert`` and UPDATEs with values of many types; quoting, schemas, comments, server
defaults), two thirds of them of a few repeated structures whose details vary (so they share
templates: leaving a column's type or comment out of its shape key fails these scenarios), and
renders it for PostgreSQL, where no listed departure applies to these calls (no
``index=True``: Alembic writes a table's indexes in a set's order) but, on SQLAlchemy 2.0,
the backslash written once (undone by test_commands_vs_alembic.py); the repeated structures
alone are also rendered for MySQL.
Run in child processes by ``command_harness``; see test_commands_vs_alembic.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from alembic import command
from command_harness import Stage

NAMES = ["id", "name", "Name", "user", "order", "select", "a b", "x_1", "data", "CamelCase", "value"]
TABLES = ["t1", "account", "User", "order", "my table"]
TYPES = ["sa.Integer()", "sa.BigInteger()", "sa.SmallInteger()", "sa.String(50)", "sa.String()", "sa.Text()",
         "sa.Unicode(20)", "sa.Numeric(10, 2)", "sa.Numeric()", "sa.Float()", "sa.Boolean()",
         "sa.Boolean(create_constraint=True)", "sa.Date()", "sa.DateTime()", "sa.DateTime(timezone=True)",
         "sa.Time()", "sa.LargeBinary()", "sa.JSON()", "sa.Interval()", "sa.Uuid()", "sa.String(30, collation='C')",
         "sa.Enum('a', 'b', name='e1')", "sa.Enum('a', 'b', 'c', name='e2', native_enum=False)", "sa.CHAR(3)",
         "sa.VARCHAR(10)"]
DEFAULTS = ["'x'", "'0'", "sa.text('0')", "sa.text(\"'it''s'\")", "sa.func.now()", "sa.text('CURRENT_TIMESTAMP')",
            "'1.5'"]
COMMENTS = ["'a comment'", "\"it's\"", "'percent % sign'", "'multi\\nline'"]
VALUES = [
    ("i", "sa.Integer()", ["0", "-5", "2147483647", "None"]),
    ("b", "sa.Boolean()", ["True", "False", "None"]),
    ("s", "sa.String(50)", ["'plain'", "\"it's\"", "'100%'", "'a:b'", "'%(x)s'", "'back\\\\slash'", "'new\\nline'",
                            "'é ü'", "''", "None", "'?'", "':name'"]),
    ("n", "sa.Numeric(10, 2)", ["decimal.Decimal('1.50')", "decimal.Decimal('-0.01')", "None", "3"]),
    ("f", "sa.Float()", ["1.5", "1e-10", "None"]),
    ("d", "sa.Date()", ["datetime.date(2024, 2, 29)", "None"]),
    ("dt", "sa.DateTime()", ["datetime.datetime(2024, 1, 2, 3, 4, 5)", "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)",
                             "None"]),
    ("tm", "sa.Time()", ["datetime.time(12, 30)", "None"]),
    ("u", "sa.Uuid()", ["uuid.UUID('12345678-1234-5678-1234-567812345678')", "None"]),
    ("bi", "sa.BigInteger()", ["9007199254740993", "None"]),
]

REVISION = '''\
"""mixed shapes"""
import datetime
import decimal
import uuid

import sqlalchemy as sa
from alembic import op

revision = "m1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
'''


def _column(rnd: random.Random, name: str, pk: bool = False) -> str:
    parts = [repr(name), rnd.choice(TYPES), *(["primary_key=True"] if pk else [])]
    parts += _some(rnd, [(.4, lambda: f"nullable={rnd.random() < .5}"), (.4, lambda: f"server_default={rnd.choice(DEFAULTS)}"),
                         (.3, lambda: f"comment={rnd.choice(COMMENTS)}"), (.1, lambda: "unique=True")])
    return f"sa.Column({', '.join(parts)})"


def _some(rnd: random.Random, options: list[tuple[float, Callable[[], str]]]) -> list[str]:
    """Each keyword argument with its probability, in order."""
    return [make() for chance, make in options if rnd.random() < chance]


def calls(seed: int, count: int) -> list[str]:
    """``count`` lines of seeded random ``op.*`` calls."""
    rnd = random.Random(seed)
    lines = []
    for i in range(count):
        table = f"{rnd.choice(TABLES)}_{i}"
        schema = ", schema='s1'" if rnd.random() < .2 else ""
        kind = rnd.random()
        if kind < .25:
            cols = [_column(rnd, "id", pk=True)] + [_column(rnd, f"c{j}_{rnd.choice(NAMES)}") for j in range(rnd.randint(1, 4))]
            if rnd.random() < .3:
                cols.append(f"sa.UniqueConstraint('id', name='uq_{i}')")
            if rnd.random() < .3:
                cols.append(f"sa.CheckConstraint('id > {i}', name='ck_{i}')")
            if rnd.random() < .2:
                cols.append("sa.ForeignKeyConstraint(['id'], ['other.id'], ondelete='CASCADE')")
            lines.append(f"op.create_table({table!r}, {', '.join(cols)}{schema})")
        elif kind < .4:
            lines.append(f"op.add_column({table!r}, {_column(rnd, rnd.choice(NAMES))}{schema})")
        elif kind < .55:
            kw = [f"existing_type={rnd.choice(TYPES)}"]
            kw += _some(rnd, [(.5, lambda: f"type_={rnd.choice(TYPES)}"), (.4, lambda: f"nullable={rnd.random() < .5}"),
                              (.3, lambda: f"server_default={rnd.choice([*DEFAULTS, 'None'])}"),
                              (.2, lambda i=i: f"new_column_name='renamed_{i}'"),
                              (.2, lambda: f"comment={rnd.choice([*COMMENTS, 'None'])}")])
            if len(kw) == 1:
                kw.append("nullable=False")
            lines.append(f"op.alter_column({table!r}, {rnd.choice(NAMES)!r}, {', '.join(kw)}{schema})")
        elif kind < .65:
            unique = ", unique=True" if rnd.random() < .3 else ""
            lines.append(f"op.create_index('ix_{i}', {table!r}, {rnd.sample(NAMES, rnd.randint(1, 3))!r}{unique}{schema})")
        elif kind < .7:
            lines.append(f"op.drop_index('ix_{i}', table_name={table!r}{schema})")
        elif kind < .75:
            lines.append(f"op.drop_column({table!r}, {rnd.choice(NAMES)!r}{schema})")
        elif kind < .8:
            source = ", source_schema='s1'" if schema else ""
            lines.append(f"op.create_foreign_key('fk_{i}', {table!r}, 'other', ['a'], ['b'], ondelete='SET NULL'{source})")
        elif kind < .83:
            lines.append(f"op.drop_table({table!r}{schema})")
        else:
            picked = rnd.sample(VALUES, rnd.randint(2, 5))
            lite = f"sa.table({table!r}, {', '.join(f'sa.column({n!r}, {t})' for n, t, _ in picked)})"
            if rnd.random() < .6:
                rows = ["{" + ", ".join(f"{n!r}: {rnd.choice(v)}" for n, _, v in picked) + "}"
                        for _ in range(rnd.randint(1, 3))]
                lines.append(f"op.bulk_insert({lite}, [{', '.join(rows)}], multiinsert={rnd.random() < .5})")
            else:
                (first, _, values), rest = picked[0], picked[1:]
                sets = ", ".join(f"{n}={rnd.choice(v)}" for n, _, v in rest)
                lines.append(f"t = {lite}; op.execute(t.update().where(t.c.{first} == {rnd.choice(values)}).values({sets}))")
    return lines


#: offline as Alembic's generic env.py renders (named paramstyle: no doubled % in literals)
ENV = '''\
from alembic import context

context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True,
                  dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
'''


def families(seed: int, count: int) -> list[str]:
    """Calls of a few repeated structures whose names, types, defaults and comments vary.

    Such calls share templates (a shape seen twice is templated): each detail a shape key
    leaves out makes one of them render with another call's value.
    """
    rnd = random.Random(seed)
    small_types = ["sa.Integer()", "sa.String(50)", "sa.String(20)", "sa.Text()", "sa.Boolean()", "sa.Numeric(10, 2)",
                   "sa.Numeric(12, 4)", "sa.DateTime()", "sa.DateTime(timezone=True)"]
    small_defaults = ["None", "'x'", "'y'", "sa.text('0')", "sa.text('1')"]
    small_comments = ["None", "'one'", "'two'"]

    def col(name: str) -> str:
        return (f"sa.Column({name!r}, {rnd.choice(small_types)}, nullable={rnd.random() < .5}, "
                f"server_default={rnd.choice(small_defaults)}, comment={rnd.choice(small_comments)})")

    lines = []
    for i in range(count):
        table = f"fam_{i % 7}_{i}"
        kind = rnd.randrange(5)
        if kind == 0:
            lines.append(f"op.add_column({table!r}, {col(f'c{i}')})")
        elif kind == 1:
            lines.append(f"op.create_table({table!r}, sa.Column('id', sa.Integer(), primary_key=True), {col('v')})")
        elif kind == 2:
            kw = [f"existing_type={rnd.choice(small_types)}", f"type_={rnd.choice(small_types)}",
                  f"nullable={rnd.random() < .5}", f"server_default={rnd.choice(small_defaults)}"]
            lines.append(f"op.alter_column({table!r}, 'v', {', '.join(kw)})")
        elif kind == 3:
            unique = rnd.random() < .5
            lines.append(f"op.create_index('ixf_{i}', {table!r}, ['v'], unique={unique})")
        else:
            value = rnd.choice(["'a'", "'b'", "None", "'it''s'".replace("''", "\\'")])
            text_type = rnd.choice(["sa.String(50)", "sa.String(20)", "sa.Text()"])
            lines.append(f"op.bulk_insert(sa.table({table!r}, sa.column('v', {text_type})), "
                         f"[{{'v': {value}}}])")
    return lines


def _mixed(stage: Stage, seed: int, url: str = "postgresql://localhost/db", random_calls: int = 150) -> None:
    cfg = stage.project(url=url, env=ENV)
    lines = calls(seed, random_calls) + families(seed, 300)
    random.Random(seed).shuffle(lines)
    body = "\n".join("    " + line for line in lines)
    (stage.versions / "m1_mixed.py").write_text(REVISION.format(body=body), encoding="utf-8")
    stage.call("upgrade --sql", command.upgrade, cfg, "head", sql=True)


def scenario_mixed_shapes_1(stage: Stage) -> None:
    _mixed(stage, 1)


def scenario_mixed_shapes_2(stage: Stage) -> None:
    _mixed(stage, 2)


def scenario_mixed_shapes_3(stage: Stage) -> None:
    _mixed(stage, 3)


def scenario_mixed_shapes_mysql(stage: Stage) -> None:
    # the repeated structures only: the random calls meet MySQL's listed departures
    _mixed(stage, 4, "mysql://localhost/db", random_calls=0)
