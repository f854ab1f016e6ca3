"""Ask the database how it words expressions: a temporary table, reflected, rolled back.

The probe is a ``CREATE TEMPORARY TABLE`` holding the columns the
expressions mention (with the models' types), each check condition as a
check constraint and each generation expression as a generated column,
under names of the probe's own, and (where that commits nothing) the
models' indexes. It is reflected exactly as the real table was, so the
answer comes back in the same words. All of it happens inside a savepoint
that is rolled back; where a rollback leaves a temporary table behind
(MySQL), it is dropped by name first.

A probe can fail: a column type the database does not know yet (a new enum
type), a function it lacks, a read-only connection. Then each expression is
tried alone, and one that still fails is left out: it is not compared,
which is logged, never guessed.
"""

from __future__ import annotations

import logging
import re
import uuid
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.forms import IndexForm, index_form_from_object

if TYPE_CHECKING:
    from sqlalchemy import Column, Index, Table
    from sqlalchemy.engine import Connection

    from limbeck.autogenerate.api import AutogenContext

log = logging.getLogger("limbeck.autogenerate.compare")

#: index options a temporary table refuses or that cannot run in a transaction
_SKIPPED_INDEX_OPTIONS = ("_concurrently", "_tablespace")


@dataclass
class Request:
    """What to ask, by keys of the caller's choosing."""

    #: key -> check condition (SQL text)
    checks: dict[str, str] = field(default_factory=dict)
    #: key -> (model column whose type it has, generation expression)
    computed: dict[str, tuple[Column[Any], str]] = field(default_factory=dict)
    #: key -> model index
    indexes: dict[str, Index] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.checks or self.computed or self.indexes)

    def split(self) -> list[Request]:
        return (
            [Request(checks={k: v}) for k, v in self.checks.items()]
            + [Request(computed={k: v}) for k, v in self.computed.items()]
            + [Request(indexes={k: v}) for k, v in self.indexes.items()]
        )

    def describe(self) -> str:
        kind = "check constraint" if self.checks else "generated column" if self.computed else "index"
        return f"{kind} {next(iter({**self.checks, **self.computed, **self.indexes}))!r}"


@dataclass
class Answer:
    """The database's words: raw texts for checks and generated columns, forms for indexes."""

    checks: dict[str, str] = field(default_factory=dict)
    computed: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, IndexForm] = field(default_factory=dict)

    def update(self, other: Answer) -> None:
        self.checks.update(other.checks)
        self.computed.update(other.computed)
        self.indexes.update(other.indexes)


def _probe_type(type_: Any) -> Any:
    """The column's type without the CHECK an Enum or Boolean would add to the probe."""
    copy = type_.copy()
    if hasattr(copy, "create_constraint"):
        copy.create_constraint = False
    return copy


def _mentioned(table: Table, texts: list[str]) -> list[Column[Any]]:
    """The table's columns named in any of ``texts``."""
    return [
        c for c in table.c
        if any(re.search(rf"(?<![\w$]){re.escape(c.name)}(?![\w$])", t, re.IGNORECASE) for t in texts)
    ]


class _Probe:
    """One temporary table standing for ``meta_table``, holding the requested expressions."""

    def __init__(self, ctx: AutogenContext, meta_table: Table, request: Request) -> None:
        self.ctx = ctx
        self.meta_table = meta_table
        self.request = request
        self.name = f"limbeck_probe_{uuid.uuid4().hex[:12]}"
        self.check_names = {key: f"limbeck_ck_{i}" for i, key in enumerate(request.checks)}
        self.computed_names = {key: f"limbeck_gen_{i}" for i, key in enumerate(request.computed)}
        self.index_names = {key: f"limbeck_ix_{i}" for i, key in enumerate(request.indexes)}

    def _texts(self) -> list[str]:
        from limbeck.autogenerate.render.schema import sql_text

        texts = [*self.request.checks.values(), *(text for _, text in self.request.computed.values())]
        for index in self.request.indexes.values():
            texts += [sql_text(e, self.ctx) for e in index.expressions]
            texts += [v if isinstance(v, str) else sql_text(v, self.ctx)
                      for k, v in index.dialect_kwargs.items() if k.endswith("_where") and v is not None]
        return texts

    def table(self) -> tuple[Table, list[Any]]:
        """The probe table and the indexes to create on it."""
        from sqlalchemy import CheckConstraint, Column, Computed, Index, MetaData, Table, text

        from limbeck.compiler.schemaobj import rebound

        columns = [Column(c.name, _probe_type(c.type), nullable=True) for c in _mentioned(self.meta_table, self._texts())]
        for key, (model_column, expression) in self.request.computed.items():
            persisted = model_column.computed.persisted if model_column.computed is not None else None
            computed = Computed(text(expression), persisted=persisted)
            columns.append(Column(self.computed_names[key], _probe_type(model_column.type), computed))
        checks = [CheckConstraint(text(t), name=self.check_names[k]) for k, t in self.request.checks.items()]
        probe = Table(self.name, MetaData(), *columns, *checks, prefixes=["TEMPORARY"])
        indexes = []
        for key, index in self.request.indexes.items():
            kw = {k: v for k, v in index.dialect_kwargs.items() if not k.endswith(_SKIPPED_INDEX_OPTIONS)}
            exprs = [rebound(e, probe) for e in index.expressions]
            indexes.append(Index(self.index_names[key], *exprs, unique=bool(index.unique), _table=probe, **kw))
        return probe, indexes

    def answer(self, reflected: Table) -> Answer:
        """The reflected probe's texts, under the caller's keys."""
        from sqlalchemy import CheckConstraint

        answer = Answer()
        found = {str(c.name): c for c in reflected.constraints if isinstance(c, CheckConstraint)}
        for key, name in self.check_names.items():
            if name in found:
                answer.checks[key] = str(found[name].sqltext)
        for key, name in self.computed_names.items():
            column = reflected.c.get(name)
            if column is not None and column.computed is not None:
                answer.computed[key] = str(column.computed.sqltext)
        indexes = {str(ix.name): ix for ix in reflected.indexes}
        for key, name in self.index_names.items():
            if name in indexes:
                answer.indexes[key] = index_form_from_object(self.ctx, indexes[name])
        return answer

    def run(self, connection: Connection) -> Answer:
        from sqlalchemy import MetaData, Table
        from sqlalchemy.schema import CreateIndex, CreateTable

        probe, indexes = self.table()
        savepoint = connection.begin_nested()
        try:
            with warnings.catch_warnings():
                # SQLAlchemy's remarks on the models' DDL were the models' business already
                warnings.simplefilter("ignore")
                connection.execute(CreateTable(probe))
            try:
                for index in indexes:
                    connection.execute(CreateIndex(index))
                return self.answer(Table(self.name, MetaData(), autoload_with=connection))
            finally:
                drop = self.ctx.catalog.probe_drop
                if drop is not None:
                    connection.exec_driver_sql(drop.format(table=self.ctx.dialect.identifier_preparer.quote(self.name)))
        finally:
            savepoint.rollback()


def ask(ctx: AutogenContext, meta_table: Table, request: Request) -> Answer:
    """The database's wording of the requested expressions (those it would not take are left out)."""
    assert ctx.connection is not None
    if not ctx.catalog.probe_indexes:
        request = Request(checks=request.checks, computed=request.computed)
    if not request:
        return Answer()
    try:
        return _Probe(ctx, meta_table, request).run(ctx.connection)
    except Exception as error:  # noqa: BLE001 - the database refused: try the expressions one by one
        parts = request.split()
        if len(parts) == 1:
            log.info("Not comparing %s on %r: the database would not take it (%s)", request.describe(),
                     meta_table.name, str(error).splitlines()[0])
            return Answer()
    answer = Answer()
    for part in parts:
        answer.update(ask(ctx, meta_table, part))
    return answer


__all__ = ["Answer", "Request", "ask"]
