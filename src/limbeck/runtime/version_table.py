"""The version table: where a database records which revisions it is at.

Named ``alembic_version`` by default so databases Alembic manages carry on
where they are. Its writes are ordinary statements of the stream (kind
VERSION), so offline scripts, online runs and every observer see the same
INSERT/UPDATE/DELETE.

How rows move with branches: upgrading revision R consumes those of R's
(normalized) down revisions that are current heads, deleting all but the last
and updating the last to R, or inserts R when none is a head. Downgrading
is the mirror image: R is replaced by the down revisions that no remaining
head already covers, updating R to the last one and inserting the others, or
R is deleted when every one of them is still covered. Both are deterministic
(Alembic picks rows in set order when it downgrades a merge).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from sqlalchemy import (
    Column,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    bindparam,
    inspect,
    select,
    type_coerce,
)
from sqlalchemy.schema import CreateTable

from limbeck.compiler.statement import Kind, Statement

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: width of ``version_num``; longer revision ids are refused before any SQL runs
VERSION_NUM_LENGTH = 32
#: ids written into an online statement as they are (anything else goes as a bound parameter)
_LITERAL_SAFE = re.compile(r"[A-Za-z0-9_.\-]+")


def build_table(name: str = "alembic_version", schema: str | None = None, pk: bool = True) -> Table:
    """The version table as a SQLAlchemy ``Table`` (its own MetaData)."""
    table = Table(
        name,
        MetaData(),
        Column("version_num", String(VERSION_NUM_LENGTH), nullable=False),
        schema=schema,
    )
    if pk:
        table.append_constraint(PrimaryKeyConstraint("version_num", name=f"{name}_pkc"))
    return table


class VersionTable:
    """Statements that read and write one version table, and its current rows.

    A run writes the table once per revision, always with the same three
    statement shapes, so each is built once (with named bound parameters)
    and every revision's statement carries just its ids as ``params``.
    """

    def __init__(
        self, table: Table, insert_returning: bool = True, render: Callable[[Any, dict[str, str]], str] | None = None
    ) -> None:
        self.table = table
        #: INSERT's value as an expression, as Alembic writes it (see
        #: ``DialectBehaviour.implicit_returning``): SQLAlchemy then fetches the
        #: key back with the dialect's RETURNING / OUTPUT, online and in the script
        self.insert_returning = insert_returning
        #: online, each write is sent as its text with the ids written in, as Alembic's
        #: ``literal_column`` statements are: the statement logs read the same, and a
        #: driver that prepares a statement it runs again and again (psycopg after five
        #: runs) never prepares one behind a pooler that cannot keep it (PgBouncer's
        #: transaction mode). ``render`` is the emitter's literal templates (the shape
        #: compiled once, the ids filled in: the text an offline script has)
        self.render = render
        self._shapes: dict[str, Any] = {}

    def _stmt(self, element: object, **info: object) -> Statement:
        return Statement(Kind.VERSION, element, info=dict(info))

    def _shape(self, action: str) -> Any:
        shape = self._shapes.get(action)
        if shape is None:
            col = self.table.c.version_num
            old = bindparam("version_num_old", type_=String(VERSION_NUM_LENGTH))
            new = bindparam("version_num_new", type_=String(VERSION_NUM_LENGTH))
            if action == "insert":
                shape = self.table.insert().values(version_num=type_coerce(new, new.type) if self.insert_returning else new)
            elif action == "update":
                shape = self.table.update().where(col == old).values(version_num=new)
            else:
                shape = self.table.delete().where(col == old)
            self._shapes[action] = shape
        return shape

    def _prepared(self, action: str, params: dict[str, str], **info: object) -> Statement:
        if self.render is not None and all(map(_LITERAL_SAFE.fullmatch, params.values())):
            return Statement(Kind.VERSION, self.render(self._shape(action), params), info=dict(info, action=action))
        return Statement(Kind.VERSION, self._shape(action), params=params, info=dict(info, action=action))

    def create(self) -> Statement:
        return self._stmt(CreateTable(self.table), action="create")

    def insert(self, rev: str) -> Statement:
        return self._prepared("insert", {"version_num_new": rev}, to=rev)

    def update(self, old: str, new: str) -> Statement:
        return self._prepared("update", {"version_num_old": old, "version_num_new": new}, frm=old, to=new)

    def delete(self, rev: str) -> Statement:
        return self._prepared("delete", {"version_num_old": rev}, frm=rev)

    def delete_all(self) -> Statement:
        return self._stmt(self.table.delete(), action="purge")

    # -- online reads -------------------------------------------------------------------
    def exists(self, connection: "Connection") -> bool:
        return bool(inspect(connection).has_table(self.table.name, schema=self.table.schema))

    def read(self, connection: "Connection") -> tuple[str, ...]:
        """Current rows, in a stable order; empty when the table is missing."""
        if not self.exists(connection):
            return ()
        rows = connection.execute(select(self.table.c.version_num)).scalars().all()
        return tuple(rows)


class Heads:
    """The version rows as a run moves them, producing the statements to match.

    Kept as an ordered list (insertion order) so every run makes the same
    choices and the same SQL.
    """

    def __init__(self, table: VersionTable, heads: Iterable[str]) -> None:
        self.table = table
        self.heads: list[str] = list(dict.fromkeys(heads))

    def __contains__(self, rev: object) -> bool:
        return rev in self.heads

    def _replace(self, old: str, new: str) -> Statement:
        self.heads[self.heads.index(old)] = new
        return self.table.update(old, new)

    def _remove(self, rev: str) -> Statement:
        self.heads.remove(rev)
        return self.table.delete(rev)

    def _add(self, rev: str) -> Statement:
        self.heads.append(rev)
        return self.table.insert(rev)

    def upgrade(self, rev: str, down_revisions: Sequence[str]) -> list[Statement]:
        """Record that ``rev`` was applied on top of ``down_revisions``."""
        present = [d for d in down_revisions if d in self.heads]
        if not present:
            return [self._add(rev)]
        stmts = [self._remove(d) for d in present[:-1]]
        stmts.append(self._replace(present[-1], rev))
        return stmts

    def downgrade(self, rev: str, restore: Sequence[str]) -> list[Statement]:
        """Record that ``rev`` was undone, making ``restore`` heads again.

        ``restore`` holds the down revisions no other remaining head covers
        (the caller computes coverage from the revision graph).
        """
        if rev not in self.heads:
            # a partially stamped table: bring back the down revisions only
            return [self._add(r) for r in restore if r not in self.heads]
        restore = [r for r in restore if r not in self.heads]
        if not restore:
            return [self._remove(rev)]
        stmts = [self._add(r) for r in restore[:-1]]
        stmts.append(self._replace(rev, restore[-1]))
        return stmts

    def stamp(self, target: str | None, related: Sequence[str]) -> list[Statement]:
        """Move the rows in ``related`` (heads on ``target``'s lineage) to ``target``.

        ``target=None`` (base) removes them. With no related row, ``target``
        becomes a new head of its own.
        """
        related = [r for r in related if r in self.heads and r != target]
        if target is None:
            return [self._remove(r) for r in related]
        if target in self.heads:
            return [self._remove(r) for r in related]
        if not related:
            return [self._add(target)]
        stmts = [self._remove(r) for r in related[:-1]]
        stmts.append(self._replace(related[-1], target))
        return stmts

    def purge(self) -> Statement:
        """Forget every row (``stamp --purge``)."""
        self.heads.clear()
        return self.table.delete_all()
