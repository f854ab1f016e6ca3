"""Ask the database how it words the models' expressions: a temporary table, reflected, rolled back.

The probe is a ``CREATE TEMPORARY TABLE`` holding the columns the wanted
objects mention (with the models' types), the models' check constraints and
generated columns under names of its own, and (where that commits nothing)
the models' indexes. It is reflected exactly as the real table was, so the
two sides come back in the same words. All of it happens inside a
savepoint that is rolled back; where a rollback leaves a temporary table
behind (MySQL), it is dropped by name first.

A probe can fail: a column type the database does not know yet (a new enum
type), a function it lacks, a read-only connection. Then each object is
tried alone, and one that still fails is left out: it is not compared,
which is logged, never guessed.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.forms import (
    Forms,
    Wanted,
    checks_of,
    object_name,
    reflected_forms,
)

if TYPE_CHECKING:
    from sqlalchemy import Column, Table
    from sqlalchemy.engine import Connection

    from limbeck.autogenerate.api import AutogenContext

log = logging.getLogger("limbeck.autogenerate.compare")

#: index options a temporary table refuses or that cannot run in a transaction
_SKIPPED_INDEX_OPTIONS = ("_concurrently", "_tablespace")


def _probe_type(type_: Any) -> Any:
    """The column's type without the CHECK an Enum or Boolean would add to the probe."""
    copy = type_.copy()
    if hasattr(copy, "create_constraint"):
        copy.create_constraint = False
    return copy


def _mentioned(table: Table, texts: list[str]) -> list[Column[Any]]:
    """The table's columns named in any of ``texts`` (all of them if none is)."""
    found = [
        c for c in table.c
        if any(re.search(rf"(?<![\w$]){re.escape(c.name)}(?![\w$])", t, re.IGNORECASE) for t in texts)
    ]
    return found or list(table.c)


class _Probe:
    """One temporary table standing for ``meta_table``, holding the wanted objects."""

    def __init__(self, ctx: AutogenContext, meta_table: Table, wanted: Wanted) -> None:
        from limbeck.autogenerate.render.schema import sql_text

        self.ctx = ctx
        self.meta_table = meta_table
        self.wanted = wanted
        self.name = f"limbeck_probe_{uuid.uuid4().hex[:12]}"
        checks = checks_of(meta_table)
        self.check_texts = {name: sql_text(checks[name].sqltext, ctx) for name in wanted.checks}
        self.computed_texts = {name: sql_text(meta_table.c[name].computed.sqltext, ctx)  # type: ignore[union-attr]
                               for name in wanted.computed}
        indexes = {object_name(ix): ix for ix in meta_table.indexes}
        self.indexes = [indexes[name] for name in wanted.indexes]

    def _texts(self) -> list[str]:
        from limbeck.autogenerate.render.schema import sql_text

        texts = [*self.check_texts.values(), *self.computed_texts.values()]
        for index in self.indexes:
            texts += [sql_text(e, self.ctx) for e in index.expressions]
            texts += [str(v) if isinstance(v, str) else sql_text(v, self.ctx)
                      for k, v in index.dialect_kwargs.items() if k.endswith("_where") and v is not None]
        return texts

    def table(self) -> tuple[Table, list[Any]]:
        """The probe table and the indexes to create on it."""
        from sqlalchemy import CheckConstraint, Column, Computed, Index, MetaData, Table, text

        from limbeck.compiler.schemaobj import rebound

        columns = []
        for col in _mentioned(self.meta_table, self._texts()):
            args: list[Any] = []
            if col.name in self.computed_texts:
                args.append(Computed(text(self.computed_texts[col.name]), persisted=col.computed.persisted))  # type: ignore[union-attr]
            columns.append(Column(col.name, _probe_type(col.type), *args, nullable=True))
        checks = [CheckConstraint(text(t), name=f"limbeck_ck_{i}") for i, t in enumerate(self.check_texts.values())]
        probe = Table(self.name, MetaData(), *columns, *checks, prefixes=["TEMPORARY"])
        indexes = []
        for i, index in enumerate(self.indexes):
            kw = {k: v for k, v in index.dialect_kwargs.items() if not k.endswith(_SKIPPED_INDEX_OPTIONS)}
            exprs = [rebound(e, probe) for e in index.expressions]
            indexes.append(Index(f"limbeck_ix_{i}", *exprs, unique=bool(index.unique), _table=probe, **kw))
        return probe, indexes

    def forms(self, reflected: Forms) -> Forms:
        """The reflected probe's forms, under the models' names again."""
        forms = Forms()
        for i, name in enumerate(self.check_texts):
            if f"limbeck_ck_{i}" in reflected.checks:
                forms.checks[name] = reflected.checks[f"limbeck_ck_{i}"]
        forms.computed = {name: reflected.computed[name] for name in self.computed_texts if name in reflected.computed}
        for i, index in enumerate(self.indexes):
            if f"limbeck_ix_{i}" in reflected.indexes:
                forms.indexes[str(object_name(index))] = reflected.indexes[f"limbeck_ix_{i}"]
        return forms

    def run(self, connection: Connection) -> Forms:
        from sqlalchemy import MetaData, Table
        from sqlalchemy.schema import CreateIndex, CreateTable

        probe, indexes = self.table()
        savepoint = connection.begin_nested()
        try:
            connection.execute(CreateTable(probe))
            try:
                for index in indexes:
                    connection.execute(CreateIndex(index))
                reflected = Table(self.name, MetaData(), autoload_with=connection)
                return self.forms(reflected_forms(self.ctx, reflected))
            finally:
                drop = self.ctx.catalog.probe_drop
                if drop is not None:
                    connection.exec_driver_sql(drop.format(table=self.ctx.dialect.identifier_preparer.quote(self.name)))
        finally:
            savepoint.rollback()


def _split(wanted: Wanted) -> list[Wanted]:
    return (
        [Wanted(checks=[n]) for n in wanted.checks]
        + [Wanted(computed=[n]) for n in wanted.computed]
        + [Wanted(indexes=[n]) for n in wanted.indexes]
    )


def probe_forms(ctx: AutogenContext, meta_table: Table, wanted: Wanted) -> Forms:
    """The database's wording of the wanted model objects (those it would not take are left out)."""
    assert ctx.connection is not None
    if not ctx.catalog.probe_indexes:
        wanted = Wanted(checks=wanted.checks, computed=wanted.computed)
    if not wanted:
        return Forms()
    try:
        return _Probe(ctx, meta_table, wanted).run(ctx.connection)
    except Exception as error:  # noqa: BLE001 - the database refused: try the objects one by one
        if len(_split(wanted)) == 1:
            log.info("Not comparing %s on %r: the database would not take it (%s)", _what(wanted), meta_table.name,
                     str(error).splitlines()[0])
            return Forms()
    forms = Forms()
    for part in _split(wanted):
        found = probe_forms(ctx, meta_table, part)
        forms.checks.update(found.checks)
        forms.computed.update(found.computed)
        forms.indexes.update(found.indexes)
    return forms


def _what(wanted: Wanted) -> str:
    if wanted.checks:
        return f"check constraint {wanted.checks[0]!r}"
    if wanted.computed:
        return f"generated column {wanted.computed[0]!r}"
    return f"index {wanted.indexes[0]!r}"


__all__ = ["probe_forms"]
