"""Revisions shaped like what ``revision --autogenerate`` writes for a growing application.

The classic generator (changes.py) draws one or two small changes per
revision. Real projects that autogenerate their migrations look different:
every revision carries a few operations of several kinds at once. Each
revision of this kind does, in this order (a part is left out when the lane
has no table it could act on yet):

1. ``create_table`` of a new table with 7 columns (two of them foreign keys,
   three with server defaults), a primary key, two foreign keys, a unique and
   a check constraint;
2. ``add_column`` plus ``create_index`` on another table of the lane;
3. a ``batch_alter_table`` block widening a string column's type;
4. a 3-row ``bulk_insert`` into the new table;
5. an ``op.execute(sa.text(...))`` UPDATE of another table;
6. ``drop_index`` + ``drop_table`` of an older table of the lane.

``downgrade()`` mirrors it in reverse: the dropped table and its indexes are
created again as they were, the UPDATE is reverted, the rows deleted, the
type narrowed, the added column and its index dropped, the new table dropped.

The new table's foreign keys point at itself (``parent_id``) and at the
lane's first table (``owner_id``), which is never dropped; the lane's first
table points at itself twice. So no foreign key crosses lanes and no
``depends_on`` is needed, and every table but a lane's first can be dropped
later. The DDL targets PostgreSQL and other servers (batch mode there is
plain ALTER); SQLite online would need batch mode for the type change, so
these trees are for ``--sql`` runs.
"""

from __future__ import annotations

import random

from changes import NOUNS, WORDS, Change
from schema import Column, Index, Lane, Table

# Tables kept in a lane (besides its first) before one is dropped per revision.
KEEP_TABLES = 3
STATUSES = ("new", "active", "archived", "pending")


def _columns(owner: str) -> list[Column]:
    return [
        Column("id", "sa.Integer()", "id", nullable=False),
        Column("code", "sa.String(length=32)", "code", nullable=False),
        Column("name", "sa.String(length=120)", "str", nullable=False),
        Column("status", "sa.String(length=20)", "status", False, "'new'"),
        Column("amount", "sa.Numeric(precision=12, scale=2)", "numeric", False, "'0'"),
        Column("parent_id", "sa.Integer()", "fk"),
        Column(owner, "sa.Integer()", "fk"),
    ]


def _create_lines(table: Table, fks: list[tuple[str, str]], check: str) -> list[str]:
    """``op.create_table(...)`` of ``table`` as autogenerate writes it, plus its indexes."""
    name = table.name
    lines = ["op.create_table(", f"    {name!r},"]
    lines += [f"    {c.render()}," for c in table.columns.values()]
    lines.append(f"    sa.CheckConstraint({check!r}, name=op.f('ck_{name}_amount')),")
    for col, target in fks:
        lines.append(f"    sa.ForeignKeyConstraint([{col!r}], ['{target}.id'], name=op.f('fk_{name}_{col}'), "
                     "ondelete='SET NULL'),")
    lines += [
        f"    sa.PrimaryKeyConstraint('id', name=op.f('pk_{name}')),",
        f"    sa.UniqueConstraint('code', name=op.f('uq_{name}_code')),",
        ")",
    ]
    lines += [ix.create(name) for ix in table.indexes.values()]
    return lines


class AutogenLane:
    """Per-lane bookkeeping on top of :class:`schema.Lane`: how to recreate each table."""

    def __init__(self) -> None:
        self.root: str | None = None
        #: first tables of this lane and of lanes merged into it: never dropped
        self.roots: set[str] = set()
        self.fks: dict[str, list[tuple[str, str]]] = {}

    def absorb(self, other: AutogenLane) -> None:
        self.roots |= other.roots
        self.fks.update(other.fks)


def autogen_change(rng: random.Random, suffix: str, lane: Lane, extra: AutogenLane) -> Change:
    """One autogenerate-shaped revision body for ``lane`` (see the module docstring)."""
    noun = rng.choice(NOUNS)
    name = f"{noun}_{suffix}"
    owner_target = extra.root or name
    owner_col = "owner_id" if extra.root else "origin_id"
    table = Table(name, noun, {c.name: c for c in _columns(owner_col)})
    fks = [("parent_id", name), (owner_col, owner_target)]
    up = _create_lines(table, fks, "amount >= 0")
    down: list[list[str]] = [[f"op.drop_table({name!r})"]]
    others = sorted(n for n in lane.tables if n not in extra.roots)
    victim = None
    if len(others) >= KEEP_TABLES:  # step 6 drops it; steps 2 to 5 leave it alone
        victim = min(others, key=lambda n: (not lane.tables[n].indexes, n))
        others.remove(victim)
    kept = sorted(n for n in lane.tables if n != victim)
    messages = [f"create {name}"]

    # columns an earlier revision added, to widen in step 3
    widenable = sorted((t.name, c.name) for t in lane.tables.values() for c in t.columns.values()
                       if t.name != victim and c.added and _length(c.type_code) < 1024)

    # 2. add_column + create_index on another table
    if kept:
        target = lane.tables[rng.choice(kept)]
        col = Column(f"label_{suffix}", "sa.String(length=64)", "str", added=True)
        target.columns[col.name] = col
        index = Index(f"ix_{target.name}_{col.name}", [col.name])
        target.indexes[index.name] = index
        up += [f"op.add_column({target.name!r}, {col.render()})", index.create(target.name)]
        down.append([index.drop(target.name), f"op.drop_column({target.name!r}, {col.name!r})"])
        messages.append(f"add {col.name}")

    # 3. batch_alter_table widening a string column added earlier
    if widenable:
        tname, cname = widenable[rng.randrange(len(widenable))]
        col = lane.tables[tname].columns[cname]
        old = col.type_code
        col.type_code = f"sa.String(length={_length(old) * 2})"
        up += _batch_alter(tname, cname, old, col.type_code, col.nullable)
        down.append(_batch_alter(tname, cname, col.type_code, old, col.nullable))

    # 4. three rows into the new table
    rows = []
    for _ in range(3):
        row_id = table.next_id
        table.next_id += 1
        rows.append({"id": row_id, "code": f"{noun[:3].upper()}-{row_id:05d}",
                     "name": f"{rng.choice(WORDS)} {row_id}", "status": rng.choice(STATUSES),
                     "amount": rng.randint(0, 99999) / 100})
    up += [f"{name}_t = sa.table(", f"    {name!r},", "    sa.column('id', sa.Integer()),",
           "    sa.column('code', sa.String()),", "    sa.column('name', sa.String()),",
           "    sa.column('status', sa.String()),", "    sa.column('amount', sa.Numeric()),", ")",
           f"op.bulk_insert({name}_t, ["]
    up += [f"    {row!r}," for row in rows]
    up.append("])")
    down.append([f"op.execute(sa.text(\"DELETE FROM {name} WHERE id IN (1, 2, 3)\"))"])

    # 5. a text UPDATE of another table
    if others:
        other = rng.choice(others)
        cutoff = rng.randint(1, 500)
        up.append(f"op.execute(sa.text(\"UPDATE {other} SET status = 'active' "
                  f"WHERE status = 'new' AND id < {cutoff}\"))")
        down.append([f"op.execute(sa.text(\"UPDATE {other} SET status = 'new' "
                     f"WHERE status = 'active' AND id < {cutoff}\"))"])

    # 6. drop_index + drop_table of the oldest droppable table
    if victim is not None:
        gone = lane.tables.pop(victim)
        drop = [ix.drop(gone.name) for ix in reversed(list(gone.indexes.values()))]
        up += drop + [f"op.drop_table({gone.name!r})"]
        down.append(_create_lines(gone, extra.fks.pop(gone.name), "amount >= 0"))
        messages.append(f"drop {gone.name}")

    lane.tables[name] = table
    extra.fks[name] = fks
    if extra.root is None:
        extra.root = name
        extra.roots.add(name)
    flat: list[str] = []
    for part in reversed(down):
        flat += part
    return Change(", ".join(messages), up, flat)


def _length(type_code: str) -> int:
    """``sa.String(length=64)`` -> 64."""
    return int(type_code.split("length=")[1].rstrip(")"))


def _batch_alter(table: str, column: str, old: str, new: str, nullable: bool) -> list[str]:
    return [
        f"with op.batch_alter_table({table!r}, schema=None) as batch_op:",
        f"    batch_op.alter_column({column!r},",
        f"        existing_type={old},",
        f"        type_={new},",
        f"        existing_nullable={nullable})",
    ]
