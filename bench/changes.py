"""The kinds of change a generated revision makes, as op.* source lines.

Each builder inspects and updates a lane's schema (schema.py) and returns the
upgrade lines plus the downgrade lines that undo them, so every revision is
reversible. Builders return ``None`` when the lane has nothing they can act
on. Only ``alter`` and ``drop_column`` need more than SQLite can do without
batch mode; they are used when the tree is not ``--portable``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from schema import Column, Index, Lane, Table

NOUNS = (
    "account", "invoice", "customer", "orders", "product", "shipment", "payment",
    "address", "vendor", "ticket", "project", "employee", "asset", "contract",
    "ledger", "region", "warehouse", "coupon", "review", "device",
)
# name prefix -> (type source, kind); the kind picks sample values and alterations
ADDED_COLUMNS = (
    ("note", "sa.String(length=200)", "str"),
    ("label", "sa.String(length=64)", "str"),
    ("score", "sa.Integer()", "int"),
    ("quantity", "sa.Integer()", "int"),
    ("flag", "sa.Boolean()", "bool"),
    ("memo", "sa.Text()", "text"),
    ("due_at", "sa.DateTime()", "ts"),
)
WORDS = ("alpha", "bravo", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper")
# server defaults that are constants on every dialect (SQLite's ADD COLUMN
# refuses expressions; PostgreSQL reads '0' as a boolean too)
NOT_NULL_DEFAULTS = {"str": "''", "int": "'0'", "bool": "'0'"}


@dataclass
class Change:
    """One group of operations and its inverse, in source form (unindented)."""

    message: str
    up: list[str]
    down: list[str]
    depends_on: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What a builder may look at: randomness, the lane's schema, a name suffix.

    ``suffix`` makes the names a change invents unique: the revision's index,
    plus a letter for the second change of a revision.

    ``foreign`` lists (table, head revision id) pairs from other open lanes
    that a new table may reference; referencing one adds a depends_on.
    """

    rng: random.Random
    suffix: str
    lane: Lane
    portable: bool
    foreign: list[tuple[Table, str]] = field(default_factory=list)


def _value(kind: str, table: Table, row_id: int, rng: random.Random) -> object:
    if kind == "code":
        return f"{table.noun[:3].upper()}-{row_id:05d}"
    if kind == "str":
        return f"{rng.choice(WORDS)} {row_id}"
    if kind == "int":
        return rng.randint(0, 9999)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "numeric":
        return rng.randint(100, 99999)
    raise ValueError(f"no sample value for kind {kind!r}")


def _sa_table(var: str, table: Table, columns: list[Column]) -> list[str]:
    lines = [f"{var} = sa.table(", f"    {table.name!r},", "    sa.column('id', sa.Integer()),"]
    for col in columns:
        lines.append(f"    sa.column({col.name!r}, {col.type_code}),")
    lines.append(")")
    return lines


def _bulk_insert(table: Table, rng: random.Random, rows: int) -> tuple[list[str], list[int]]:
    """A ``sa.table`` definition plus ``op.bulk_insert`` of a few rows."""
    columns = table.insertable()
    var = f"{table.name}_rows"
    lines = _sa_table(var, table, columns) + ["op.bulk_insert(", f"    {var},", "    ["]
    ids: list[int] = []
    for _ in range(rows):
        row_id = table.next_id
        table.next_id += 1
        ids.append(row_id)
        row: dict[str, object] = {"id": row_id}
        row.update({c.name: _value(c.kind, table, row_id, rng) for c in columns})
        lines.append(f"        {row!r},")
    lines += ["    ],", ")"]
    return lines, ids


def create_table(ctx: Context) -> Change | None:
    rng, i = ctx.rng, ctx.suffix
    noun = rng.choice(NOUNS)
    name = f"{noun}_{i}"
    cols = [
        Column("id", "sa.Integer()", "id", nullable=False),
        Column("code", "sa.String(length=32)", "code", nullable=False),
        Column("name", "sa.String(length=120)", "str", nullable=False),
        Column("status", "sa.String(length=20)", "status", False, "'new'"),
        Column("amount", "sa.Numeric(precision=12, scale=2)", "numeric"),
        Column("created_at", "sa.DateTime()", "ts", False, "sa.text('CURRENT_TIMESTAMP')"),
    ]
    depends: list[str] = []
    target = None
    if ctx.foreign and rng.random() < 0.2:
        target, head = rng.choice(ctx.foreign)
        depends.append(head)
    elif ctx.lane.tables and rng.random() < 0.5:
        target = ctx.lane.tables[rng.choice(sorted(ctx.lane.tables))]
    fk_lines = []
    if target is not None:
        target.pinned = True
        fk = "parent_id" if target.noun == noun else f"{target.noun}_id"
        cols.append(Column(fk, "sa.Integer()", "fk"))
        ondelete = ", ondelete='CASCADE'" if rng.random() < 0.5 else ""
        fk_lines.append(
            f"sa.ForeignKeyConstraint([{fk!r}], [{target.name + '.id'!r}], "
            f"name=op.f({'fk_' + name + '_' + fk!r}){ondelete}),"
        )
    table = Table(name, noun, {c.name: c for c in cols})
    up = ["op.create_table(", f"    {name!r},"]
    up += [f"    {c.render()}," for c in cols]
    up += [f"    {line}" for line in fk_lines]
    up += [
        f"    sa.PrimaryKeyConstraint('id', name=op.f('pk_{name}')),",
        f"    sa.UniqueConstraint('code', name=op.f('uq_{name}_code')),",
        ")",
    ]
    index_cols = ["status"] + ([cols[-1].name] if target is not None else [])
    for col in index_cols:
        index = Index(f"ix_{name}_{col}", [col])
        table.indexes[index.name] = index
        up.append(index.create(name))
    rows, _ = _bulk_insert(table, rng, rng.randint(2, 4))
    up += rows
    down = [ix.drop(name) for ix in reversed(list(table.indexes.values()))] + [f"op.drop_table({name!r})"]
    ctx.lane.tables[name] = table
    return Change(f"create {name} table", up, down, depends)


def _pick_table(ctx: Context, want: Callable[[Table], bool] = lambda t: True) -> Table | None:
    names = sorted(n for n, t in ctx.lane.tables.items() if want(t))
    return ctx.lane.tables[ctx.rng.choice(names)] if names else None


def add_column(ctx: Context) -> Change | None:
    table = _pick_table(ctx)
    if table is None:
        return None
    rng = ctx.rng
    prefix, type_code, kind = rng.choice(ADDED_COLUMNS)
    col = Column(f"{prefix}_{ctx.suffix}", type_code, kind, added=True)
    if kind in NOT_NULL_DEFAULTS and rng.random() < 0.3:
        col.nullable, col.server_default = False, NOT_NULL_DEFAULTS[kind]
    table.columns[col.name] = col
    up = [f"op.add_column({table.name!r}, {col.render()})"]
    down = [f"op.drop_column({table.name!r}, {col.name!r})"]
    if kind != "text" and rng.random() < 0.5:
        index = Index(f"ix_{table.name}_{col.name}", [col.name])
        table.indexes[index.name] = index
        up.append(index.create(table.name))
        down.insert(0, index.drop(table.name))
    return Change(f"add {col.name} to {table.name}", up, down)


def data(ctx: Context) -> Change | None:
    table = _pick_table(ctx)
    if table is None:
        return None
    rng = ctx.rng
    first_new = table.next_id
    up, ids = _bulk_insert(table, rng, rng.randint(2, 4))
    where = f"status = 'new' AND id < {first_new}"
    back = f"status = 'active' AND id < {first_new}"
    if rng.random() < 0.5:
        up.append(f"op.execute(\"UPDATE {table.name} SET status = 'active' WHERE {where}\")")
    else:
        var = f"{table.name}_t"
        up += [
            f"{var} = sa.table({table.name!r}, sa.column('id', sa.Integer()), sa.column('status', sa.String()))",
            "op.execute(",
            f"    {var}.update()",
            f"    .where({var}.c.status == op.inline_literal('new'))",
            f"    .where({var}.c.id < op.inline_literal({first_new}))",
            "    .values({'status': op.inline_literal('active')})",
            ")",
        ]
    id_list = ", ".join(str(x) for x in ids)
    down = [
        f"op.execute(\"UPDATE {table.name} SET status = 'new' WHERE {back}\")",
        f"op.execute(\"DELETE FROM {table.name} WHERE id IN ({id_list})\")",
    ]
    return Change(f"backfill {table.name}", up, down)


def rename_table(ctx: Context) -> Change | None:
    table = _pick_table(ctx, lambda t: not t.pinned)
    if table is None:
        return None
    old, new = table.name, f"{table.noun}_r{ctx.suffix}"
    ctx.lane.rename(old, new)
    return Change(f"rename {old} to {new}", [f"op.rename_table({old!r}, {new!r})"],
                  [f"op.rename_table({new!r}, {old!r})"])


def reindex(ctx: Context) -> Change | None:
    table = _pick_table(ctx, lambda t: any(not ix.unique for ix in t.indexes.values()))
    if table is None:
        return None
    old = table.indexes.pop(ctx.rng.choice(sorted(table.indexes)))
    columns = old.columns + ["created_at"] if len(old.columns) == 1 else old.columns[:1]
    new = Index(f"ix_{table.name}_{ctx.suffix}", columns)
    table.indexes[new.name] = new
    return Change(f"reindex {table.name}", [old.drop(table.name), new.create(table.name)],
                  [new.drop(table.name), old.create(table.name)])


def alter(ctx: Context) -> Change | None:
    """Tighten nullability or widen a type of an added column (not portable)."""
    table = _pick_table(ctx, lambda t: any(c.added and c.kind in ("str", "int") for c in t.columns.values()))
    if table is None:
        return None
    col = table.columns[ctx.rng.choice(sorted(n for n, c in table.columns.items() if c.added and c.kind in ("str", "int")))]
    head = f"op.alter_column({table.name!r}, {col.name!r}, existing_type={col.type_code}"
    if col.nullable:
        fill = "'n/a'" if col.kind == "str" else "0"
        col.nullable = False
        up = [f"op.execute(\"UPDATE {table.name} SET {col.name} = {fill} WHERE {col.name} IS NULL\")",
              f"{head}, nullable=False)"]
        return Change(f"make {table.name}.{col.name} required", up, [f"{head}, nullable=True)"])
    if col.kind == "int":
        wider = "sa.BigInteger()"
    else:
        length = int(col.type_code.split("length=")[1].rstrip(")"))
        wider = f"sa.String(length={length * 2})" if length < 1000 else col.type_code
    if wider == col.type_code:
        return None
    old_type, col.type_code = col.type_code, wider
    up = [f"op.alter_column({table.name!r}, {col.name!r}, existing_type={old_type}, type_={wider}, "
          f"existing_nullable={col.nullable})"]
    down = [f"op.alter_column({table.name!r}, {col.name!r}, existing_type={wider}, type_={old_type}, "
            f"existing_nullable={col.nullable})"]
    return Change(f"widen {table.name}.{col.name}", up, down)


def drop_column(ctx: Context) -> Change | None:
    """Drop a nullable added column and its indexes (not portable)."""
    table = _pick_table(ctx, lambda t: any(c.added and c.nullable for c in t.columns.values()))
    if table is None:
        return None
    col = table.columns.pop(ctx.rng.choice(sorted(n for n, c in table.columns.items() if c.added and c.nullable)))
    indexes = table.indexes_on(col.name)
    for ix in indexes:
        del table.indexes[ix.name]
    up = [ix.drop(table.name) for ix in indexes] + [f"op.drop_column({table.name!r}, {col.name!r})"]
    down = [f"op.add_column({table.name!r}, {col.render()})"] + [ix.create(table.name) for ix in indexes]
    return Change(f"drop {table.name}.{col.name}", up, down)


Builder = Callable[[Context], "Change | None"]
# (builder, weight when --portable, weight otherwise)
BUILDERS: tuple[tuple[Builder, float, float], ...] = (
    (create_table, 0.34, 0.26),
    (add_column, 0.24, 0.20),
    (data, 0.18, 0.14),
    (rename_table, 0.10, 0.08),
    (reindex, 0.14, 0.10),
    (alter, 0.0, 0.14),
    (drop_column, 0.0, 0.08),
)


def pick_change(ctx: Context) -> Change:
    """Draw a builder by weight until one applies (create_table always does)."""
    weights = [b[1] if ctx.portable else b[2] for b in BUILDERS]
    while True:
        builder = ctx.rng.choices([b[0] for b in BUILDERS], weights)[0]
        change = builder(ctx)
        if change is not None:
            return change
