"""Seeded random online migrations on SQLite tables holding data, for both tools.

``test_online_fuzz.py`` runs each case once through Alembic's ``op`` and once through
limbeck's, from the same tables and rows, and compares the schema and every row after the
upgrade and again after the downgrade. A case is a few random ``batch_alter_table`` blocks
(type, nullability, default and name changes, constraints, indexes, placements, copy_from,
partial_reordering, a naming convention) and plain operations (columns, indexes, table renames,
``bulk_insert``, ``execute`` of statements with ``op.inline_literal`` and bound values, several of
one shape in a row), with their inverse as the downgrade.

It leaves out what README lists as deliberate departures, so that any difference is a
regression: a text column's type changed to a numeric one (SQLite's CAST), a CHECK or index on a
renamed column, a column named by the name an earlier operation of its batch gave it, unnamed
constraints, ``bulk_insert`` rows naming different columns or holding ``inline_literal``\\ s.
Only SQLAlchemy is imported here: the source is run with each tool's ``op``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

TYPES = {"int": "sa.Integer()", "big": "sa.BigInteger()", "str": "sa.String(30)", "text": "sa.Text()",
         "num": "sa.Numeric(10, 2)", "float": "sa.Float()", "bool": "sa.Boolean()", "date": "sa.Date()",
         "dt": "sa.DateTime()", "bin": "sa.LargeBinary()"}
DEFAULTS = {"int": ["'0'", "sa.text('7')"], "big": ["'12'"], "str": ["'abc'", "'x''y'"], "text": ["'long'"],
            "num": ["'1.50'"], "float": ["'2.5'"], "bool": ["sa.false()"], "date": ["'2020-01-01'"],
            "dt": ["'2021-02-03 04:05:06'"], "bin": []}
#: type changes whose copy is Alembic's on SQLite: from numbers, and anything to text (README: CAST)
CHANGES = {"int": ["big", "num", "float", "str", "text"], "big": ["int", "str"], "num": ["float", "str"],
           "float": ["num", "text"], "bool": ["int"], "str": ["text"], "text": ["str"], "date": ["str"],
           "dt": ["text"], "bin": ["bin"]}
STRINGS = ["a", "O'Brien", "50%", ":name", "ünïcødé", "", "x\ny", "12", "tab\there", "semi;colon", "\\back"]
CONVENTION = {"ck": "ck_%(table_name)s_%(constraint_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
              "ix": "ix_%(column_0_label)s"}


def literal(rng: random.Random, kind: str, none: bool = True) -> str:
    """Python source of a value of ``kind`` (sometimes ``None``)."""
    if none and rng.random() < 0.15:
        return "None"
    if kind in ("int", "big"):
        return str(rng.choice([0, -5, 42, 2**31 - 1, rng.randint(-999, 999)]))
    if kind in ("str", "text"):
        return repr(rng.choice(STRINGS) + str(rng.randint(0, 9)))
    return {
        "num": lambda: f"decimal.Decimal('{rng.randint(-9999, 9999) / 100:.2f}')",
        "float": lambda: repr(rng.choice([0.5, -1.25, 1e10])),
        "bool": lambda: rng.choice(["True", "False"]),
        "date": lambda: f"datetime.date(20{rng.randint(10, 29)}, {rng.randint(1, 12)}, {rng.randint(1, 28)})",
        "dt": lambda: f"datetime.datetime(2020, {rng.randint(1, 12)}, 3, {rng.randint(0, 23)}, 5, 6, 120)",
        "bin": lambda: repr(bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 3)))),
    }[kind]()


@dataclass
class Col:
    name: str
    kind: str
    nullable: bool = True
    default: str | None = None

    def source(self, **over: Any) -> str:
        col = Col(**{**self.__dict__, **over})
        extra = "" if col.nullable else ", nullable=False"
        extra += "" if col.default is None else f", server_default={col.default}"
        return f"sa.Column({col.name!r}, {TYPES[col.kind]}{extra})"


@dataclass
class Table:
    name: str
    cols: list[Col]
    named: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, column)

    def used(self, column: str) -> bool:
        return any(c == column for _, c in self.named.values())

    def expr(self) -> str:
        cols = ", ".join(f"sa.column({c.name!r}, {TYPES[c.kind]})" for c in self.cols)
        return f"sa.table({self.name!r}, sa.column('id', sa.Integer()), {cols})"


@dataclass
class Case:
    seed: int
    setup: Callable[[sa.Connection], None]
    upgrade: str
    downgrade: str


class Fuzz:
    """One case: its tables (a model of the schema) and the lines of each direction."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = 0
        self.tables: list[Table] = []
        self.up: list[str] = []
        self.down: list[str] = []

    def fresh(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def column(self) -> Col:
        kind = self.rng.choice(list(TYPES))
        col = Col(self.fresh("c"), kind)
        if DEFAULTS[kind] and self.rng.random() < 0.4:
            col.default, col.nullable = self.rng.choice(DEFAULTS[kind]), self.rng.random() < 0.5
        return col

    def rows(self, table: Table, count: int) -> str:
        cols = [c for c in table.cols if c.default is None or self.rng.random() < 0.5]
        return "[" + ", ".join("{" + ", ".join(f"{c.name!r}: {literal(self.rng, c.kind, c.nullable)}" for c in cols) + "}"
                               for _ in range(count)) + "]"

    def emit(self, up: list[str], down: list[str]) -> None:
        self.up += up
        self.down[:0] = down

    # -- plain operations ----------------------------------------------------------------
    def create_table(self) -> None:
        table = Table(self.fresh("t"), [self.column() for _ in range(self.rng.randint(2, 4))])
        self.tables.append(table)
        cols = ", ".join(c.source() for c in table.cols)
        self.emit([f"_t = op.create_table({table.name!r}, sa.Column('id', sa.Integer(), primary_key=True), {cols})",
                   f"op.bulk_insert(_t, {self.rows(table, self.rng.randint(2, 5))}, multiinsert={self.rng.random() < 0.7})"],
                  [f"op.drop_table({table.name!r})"])

    def add_column(self, table: Table) -> None:
        col = self.column()
        col.nullable = col.nullable or col.default is None  # SQLite: no NOT NULL without default on rows
        table.cols.append(col)
        self.emit([f"op.add_column({table.name!r}, {col.source()})"], [f"op.drop_column({table.name!r}, {col.name!r})"])

    def index(self, table: Table) -> None:
        col = self.rng.choice(table.cols)
        name = self.fresh("ix_")
        table.named[name] = ("index", col.name)
        self.emit([f"op.create_index({name!r}, {table.name!r}, [{col.name!r}])"],
                  [f"op.drop_index({name!r}, table_name={table.name!r})"])

    def rename_table(self, table: Table) -> None:
        old, table.name = table.name, self.fresh("r")
        self.emit([f"op.rename_table({old!r}, {table.name!r})"], [f"op.rename_table({table.name!r}, {old!r})"])

    def data(self, table: Table) -> None:
        """Statements of one shape with changing values, literal and bound (a cache must not mix them)."""
        col = self.rng.choice(table.cols)
        lines = [f"_t = {table.expr()}"]
        style = self.rng.choice(["literal", "bound", "text", "insert", "delete", "bulk"])
        for key in range(1, self.rng.randint(3, 6)):
            value = literal(self.rng, col.kind, col.nullable)
            if style == "literal" and value != "None":
                lines.append(f"op.execute(_t.update().where(_t.c.id == op.inline_literal({key}))"
                             f".values({{{col.name!r}: op.inline_literal({value})}}))")
            elif style in ("literal", "bound"):
                lines.append(f"op.execute(_t.update().where(_t.c.id == {key}).values({{{col.name!r}: {value}}}))")
            elif style == "text":
                lines.append(f"op.execute(sa.text('UPDATE {table.name} SET {col.name} = :v WHERE id = :k')"
                             f".bindparams(sa.bindparam('v', {value}, type_={TYPES[col.kind]}), k={key}))")
            elif style == "insert" and value != "None" and col.kind != "bin" and all(
                    c.nullable or c.default is not None for c in table.cols if c is not col):
                lines.append(f"op.execute(_t.insert().values({{{col.name!r}: op.inline_literal({value})}}))")
            elif style == "delete":
                lines.append(f"op.execute(_t.delete().where(_t.c.id == op.inline_literal({key + 4})))")
        if style == "bulk":
            lines.append(f"op.bulk_insert(_t, {self.rows(table, 3)})")
        self.emit(lines, [])

    # -- batch -----------------------------------------------------------------------------
    def batch(self, table: Table) -> None:
        recreate = self.rng.choice(["auto", "always"])
        kw = f"recreate={recreate!r}"
        if self.rng.random() < 0.3:
            kw += f", naming_convention={CONVENTION!r}"
        if self.rng.random() < 0.2:
            kw += f", copy_from={self.copy_from(table)}"
            recreate = "always"
            kw = kw.replace("recreate='auto'", "recreate='always'")
        elif recreate == "always" and self.rng.random() < 0.15:
            names = ["id"] + [c.name for c in table.cols]
            self.rng.shuffle(names)
            kw += f", partial_reordering=[{tuple(names)!r}]"
        touched: set[str] = set()  # columns and names of this batch: Alembic knows them only by their old names
        up: list[str] = []
        down: list[str] = []
        for _ in range(self.rng.randint(1, 4)):
            free = [c for c in table.cols if c.name not in touched]
            step = self.rng.choice(["add", "drop", "alter", "alter", "rename", "constraint", "drop_named"])
            result = getattr(self, "b_" + step)(table, free, touched, recreate) if free or step == "add" else None
            if result:
                up.append(result[0])
                down[:0] = result[1:]
        if up:
            self.emit([f"with op.batch_alter_table({table.name!r}, {kw}) as b:", *("    " + x for x in up)],
                      [f"with op.batch_alter_table({table.name!r}, recreate={recreate!r}) as b:", *("    " + x for x in down)]
                      if down else [])

    def copy_from(self, table: Table) -> str:
        """The table as it is (its named constraints and indexes included: the rebuild keeps what it names)."""
        items = ["sa.Column('id', sa.Integer(), primary_key=True)", *(c.source() for c in table.cols)]
        for name, (kind, col) in table.named.items():
            items.append({"check": f"sa.CheckConstraint({col + ' IS NULL OR ' + col + ' = ' + col!r}, name={name!r})",
                          "unique": f"sa.UniqueConstraint({col!r}, name={name!r})", "index": f"sa.Index({name!r}, {col!r})",
                          "fk": f"sa.ForeignKeyConstraint([{col!r}], [{self.tables[0].name + '.id'!r}], name={name!r})"}[kind])
        return f"sa.Table({table.name!r}, sa.MetaData(), {', '.join(items)})"

    def b_add(self, table: Table, free: list[Col], touched: set[str], recreate: str) -> tuple[str, ...]:
        col = self.column()
        place = ""
        if free and self.rng.random() < 0.3:
            place = f", insert_{self.rng.choice(['before', 'after'])}={self.rng.choice(free).name!r}"
        table.cols.append(col)
        touched.add(col.name)
        return f"b.add_column({col.source()}{place})", f"b.drop_column({col.name!r})"

    def b_drop(self, table: Table, free: list[Col], touched: set[str], recreate: str) -> tuple[str, ...] | None:
        free = [c for c in free if not table.used(c.name)]
        if not free or len(table.cols) < 2:
            return None
        col = self.rng.choice(free)
        table.cols.remove(col)
        touched.add(col.name)
        return f"b.drop_column({col.name!r})", f"b.add_column({col.source(nullable=True)})"

    def b_rename(self, table: Table, free: list[Col], touched: set[str], recreate: str) -> tuple[str, ...] | None:
        free = [c for c in free if not table.used(c.name)]
        if not free:
            return None
        col = self.rng.choice(free)
        old, col.name = col.name, self.fresh("c")
        touched.update((old, col.name))
        return (f"b.alter_column({old!r}, new_column_name={col.name!r}, existing_type={TYPES[col.kind]})",
                f"b.alter_column({col.name!r}, new_column_name={old!r}, existing_type={TYPES[col.kind]})")

    def b_alter(self, table: Table, free: list[Col], touched: set[str], recreate: str) -> tuple[str, ...] | None:
        col = self.rng.choice(free)
        touched.add(col.name)
        before = Col(**col.__dict__)
        up, down = [], []
        if self.rng.random() < 0.5 and not table.used(col.name):
            col.kind = self.rng.choice(CHANGES[col.kind])
            up.append(f"type_={TYPES[col.kind]}")  # one way: back would be a CAST README departs from
        if self.rng.random() < 0.3:
            col.nullable = True
            up.append("nullable=True")
            down.append(f"nullable={before.nullable}")
        if self.rng.random() < 0.5:
            new = self.rng.choice(DEFAULTS[col.kind] + ["None"])
            col.default = None if new == "None" else new
            up.append(f"server_default={new}")
            down.append(f"server_default={before.default}")
        if not up:
            return None
        existing = f"existing_type={TYPES[before.kind]}, existing_nullable={before.nullable}"
        now = f"existing_type={TYPES[col.kind]}, existing_nullable={col.nullable}"
        back = f"b.alter_column({col.name!r}, {', '.join(down)}, {now})" if down else None
        return (f"b.alter_column({col.name!r}, {', '.join(up)}, {existing})", *([back] if back else []))

    def b_constraint(self, table: Table, free: list[Col], touched: set[str], recreate: str) -> tuple[str, ...] | None:
        col = self.rng.choice(free)
        kind = self.rng.choice(["check", "check", "unique", "index", "fk"] if self.tables[0] is not table else ["check", "index"])
        name = self.fresh(kind[:2] + "_")
        table.named[name] = (kind, col.name)
        touched.add(name)
        if kind == "check":
            cond = f"{col.name} IS NULL OR {col.name} = {col.name}"
            return f"b.create_check_constraint({name!r}, {cond!r})", f"b.drop_constraint({name!r}, type_='check')"
        if kind == "unique":
            return f"b.create_unique_constraint({name!r}, [{col.name!r}])", f"b.drop_constraint({name!r}, type_='unique')"
        if kind == "index":
            return f"b.create_index({name!r}, [{col.name!r}])", f"b.drop_index({name!r})"
        return (f"b.create_foreign_key({name!r}, {self.tables[0].name!r}, [{col.name!r}], ['id'])",
                f"b.drop_constraint({name!r}, type_='foreignkey')")

    def b_drop_named(self, table: Table, free: list[Col], touched: set[str], recreate: str) -> tuple[str, ...] | None:
        names = [n for n, (kind, col) in table.named.items() if col not in touched and n not in touched]
        if not names:
            return None
        name = self.rng.choice(names)
        kind, col = table.named.pop(name)
        touched.add(col)  # the inverse recreates it: the column keeps its name in this batch
        if kind == "index":
            return f"b.drop_index({name!r})", f"b.create_index({name!r}, [{col!r}])"
        if kind == "check":
            cond = f"{col} IS NULL OR {col} = {col}"
            return f"b.drop_constraint({name!r}, type_='check')", f"b.create_check_constraint({name!r}, {cond!r})"
        if kind == "unique":
            return f"b.drop_constraint({name!r}, type_='unique')", f"b.create_unique_constraint({name!r}, [{col!r}])"
        return (f"b.drop_constraint({name!r}, type_='foreignkey')",
                f"b.create_foreign_key({name!r}, {self.tables[0].name!r}, [{col!r}], ['id'])")


def case(seed: int) -> Case:
    """The tables to start from (with rows), then random operations and their inverse."""
    fuzz = Fuzz(seed)
    for _ in range(fuzz.rng.randint(1, 2)):
        fuzz.create_table()
    setup_lines, fuzz.up, fuzz.down = fuzz.up, [], []
    for _ in range(fuzz.rng.randint(4, 8)):
        table = fuzz.rng.choice(fuzz.tables)
        action = fuzz.rng.choice(["batch", "batch", "batch", "data", "data", "add_column", "index", "rename_table"])
        getattr(fuzz, action)(table)
    if fuzz.rng.random() < 0.3:
        fuzz.create_table()
    setup = "\n".join(setup_lines)

    def build(conn: sa.Connection) -> None:
        # the starting tables, made through plain SQLAlchemy DDL (the same for both tools)
        from sqlalchemy.schema import CreateTable

        class Plain:
            def create_table(self, name: str, *cols: Any) -> sa.Table:
                table = sa.Table(name, sa.MetaData(), *cols)
                conn.execute(CreateTable(table))
                return table

            def bulk_insert(self, table: sa.Table, rows: list[dict[str, Any]], multiinsert: bool = True) -> None:
                for row in rows:
                    conn.execute(table.insert().values(row))

        exec(setup, namespace(Plain()))

    return Case(seed, build, "\n".join(fuzz.up), "\n".join(fuzz.down) or "pass")


def namespace(op: Any) -> dict[str, Any]:
    import datetime
    import decimal

    return {"op": op, "sa": sa, "datetime": datetime, "decimal": decimal}
