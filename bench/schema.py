"""The schema a generated history builds, tracked while revisions are written.

The generator needs to know which tables and columns exist at each point so
every revision's DDL is valid when applied in order, and so downgrade() can
be the exact inverse of upgrade(). State is kept per lane (see shapes.py): a
lane only touches tables it created (or inherited through a merge), because
revisions of two open lanes can be applied in either order.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Column:
    """A column as the generator renders it.

    ``kind`` decides which sample values and alterations suit the column;
    ``added`` marks columns that later revisions may alter or drop (the
    original create_table columns stay fixed so FKs and inserts stay valid).
    """

    name: str
    type_code: str
    kind: str
    nullable: bool = True
    server_default: str | None = None
    added: bool = False

    def render(self) -> str:
        parts = [repr(self.name), self.type_code]
        if self.server_default is not None:
            parts.append(f"server_default={self.server_default}")
        parts.append(f"nullable={self.nullable}")
        return f"sa.Column({', '.join(parts)})"


@dataclass
class Index:
    name: str
    columns: list[str]
    unique: bool = False

    def create(self, table: str) -> str:
        return f"op.create_index(op.f({self.name!r}), {table!r}, {self.columns!r}, unique={self.unique})"

    def drop(self, table: str) -> str:
        return f"op.drop_index(op.f({self.name!r}), table_name={table!r})"


@dataclass
class Table:
    """A table plus what later revisions need to keep their DDL valid.

    ``pinned`` tables are the target of a foreign key, so they are never
    renamed (the referencing revision may sit on another branch).
    """

    name: str
    noun: str
    columns: dict[str, Column]
    indexes: dict[str, Index] = field(default_factory=dict)
    pinned: bool = False
    next_id: int = 1

    def insertable(self) -> list[Column]:
        """Columns an insert should fill (FKs and server-timestamped ones stay default)."""
        return [c for c in self.columns.values() if c.kind in ("int", "str", "bool", "numeric", "code")]

    def indexes_on(self, column: str) -> list[Index]:
        return [ix for ix in self.indexes.values() if column in ix.columns]


@dataclass
class Lane:
    """The tables a lane may touch, keyed by their current name."""

    tables: dict[str, Table] = field(default_factory=dict)

    def rename(self, old: str, new: str) -> Table:
        table = self.tables.pop(old)
        table.name = new
        self.tables[new] = table
        return table

    def absorb(self, other: Lane) -> None:
        self.tables.update(other.tables)
