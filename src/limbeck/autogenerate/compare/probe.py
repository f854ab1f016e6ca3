"""Ask the database how it words expressions: a temporary table, reflected, rolled back.

The probe is a ``CREATE TEMPORARY TABLE`` holding the columns the
expressions mention (with the models' types), each check condition as a
check constraint and each generation expression as a generated column,
under names of the probe's own, and (where that commits nothing) the
models' indexes. It is reflected exactly as the real table was, so the
answer comes back in the same words. The probes of all compared tables are
created in one savepoint and reflected with one multi-table call per kind
(one query each on PostgreSQL), then the savepoint is rolled back; where a
rollback leaves a temporary table behind (MySQL), it is dropped by name
first.

A probe can fail: a column type the database does not know yet (a new enum
type), a function it lacks, a read-only connection. Then each expression is
asked about table by table, then expression by expression, and one that
still fails is left out: it is not compared, which is logged, never guessed.
"""

from __future__ import annotations

import logging
import re
import uuid
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from limbeck.autogenerate.compare.forms import IndexForm, index_form_from_reflection

if TYPE_CHECKING:
    from sqlalchemy import Column, Index, Table
    from sqlalchemy.engine import Connection

    from limbeck.autogenerate.api import AutogenContext
    from limbeck.autogenerate.compare.forms import TableForms

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
        from sqlalchemy import (
            CheckConstraint,
            Column,
            Computed,
            Index,
            MetaData,
            Table,
            text,
        )

        from limbeck.operations.schemaobj import rebound

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

    def answer(self, reflected: _Reflected) -> Answer:
        """The probe's reflection, under the caller's keys."""
        answer = Answer()
        checks = {str(c["name"]): c["sqltext"] for c in reflected.checks.get(self.name, [])}
        for key, name in self.check_names.items():
            if name in checks:
                answer.checks[key] = str(checks[name])
        columns = {str(c["name"]): c for c in reflected.columns.get(self.name, [])}
        for key, name in self.computed_names.items():
            computed = columns.get(name, {}).get("computed")
            if computed:
                answer.computed[key] = str(computed["sqltext"])
        indexes = {str(ix["name"]): ix for ix in reflected.indexes.get(self.name, [])}
        for key, name in self.index_names.items():
            if name in indexes:
                answer.indexes[key] = index_form_from_reflection(indexes[name])
        return answer


@dataclass
class _Reflected:
    """What the inspector said about the probe tables, by table name."""

    checks: dict[str, list[Any]] = field(default_factory=dict)
    columns: dict[str, list[Any]] = field(default_factory=dict)
    indexes: dict[str, list[Any]] = field(default_factory=dict)


def _reflect(connection: Connection, probes: list[_Probe]) -> _Reflected:
    """One multi-table reflection call per kind asked (one query each on PostgreSQL)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine.reflection import ObjectKind, ObjectScope

    inspector = inspect(connection)
    names = [p.name for p in probes]
    found = _Reflected()
    calls = (
        ("checks", any(p.check_names for p in probes), inspector.get_multi_check_constraints),
        ("columns", any(p.computed_names for p in probes), inspector.get_multi_columns),
        ("indexes", any(p.index_names for p in probes), inspector.get_multi_indexes),
    )
    for attribute, needed, method in calls:
        if needed:
            result = method(filter_names=names, kind=ObjectKind.ANY, scope=ObjectScope.ANY)
            setattr(found, attribute, {key[1]: value for key, value in result.items()})
    return found


def _run(ctx: AutogenContext, items: list[tuple[Table, Request]]) -> list[Answer]:
    from sqlalchemy.schema import CreateIndex, CreateTable

    connection = ctx.connection
    assert connection is not None
    probes = [_Probe(ctx, table, request) for table, request in items]
    created: list[_Probe] = []
    savepoint = connection.begin_nested()
    try:
        for probe in probes:
            table, indexes = probe.table()
            with warnings.catch_warnings():
                # SQLAlchemy's remarks on the models' DDL were the models' business already
                warnings.simplefilter("ignore")
                connection.execute(CreateTable(table))
            created.append(probe)
            for index in indexes:
                connection.execute(CreateIndex(index))
        reflected = _reflect(connection, probes)
        return [probe.answer(reflected) for probe in probes]
    finally:
        drop = ctx.catalog.probe_drop
        if drop is not None:
            for probe in created:
                connection.exec_driver_sql(drop.format(table=ctx.dialect.identifier_preparer.quote(probe.name)))
        savepoint.rollback()


def ask(ctx: AutogenContext, items: list[tuple[Table, Request]]) -> list[Answer]:
    """The database's wording of each request (an expression it will not take is left out)."""
    if not items:
        return []
    try:
        return _run(ctx, items)
    except Exception as error:  # noqa: BLE001 - the database refused something: ask in smaller parts
        if len(items) == 1 and len(items[0][1].split()) == 1:
            table, request = items[0]
            log.info("Not comparing %s on %r: the database would not take it (%s)", request.describe(),
                     table.name, str(error).splitlines()[0])
            return [Answer()]
    if len(items) > 1:
        return [ask(ctx, [item])[0] for item in items]
    table, request = items[0]
    answer = Answer()
    for part in request.split():
        answer.update(ask(ctx, [(table, part)])[0])
    return [answer]


def settle(ctx: AutogenContext, tables: list[TableForms]) -> None:
    """Settle the models' forms of these table pairs: at most two batches of questions for all of them."""
    pending = [(t, r) for t in tables if not t.settled and (r := t.start()) is not None]
    answers = ask(ctx, [(t.meta_table, r) for t, r in pending])
    again = [(t, r) for (t, _), a in zip(pending, answers) if (r := t.first(a)) is not None]
    for (t, _), answer in zip(again, ask(ctx, [(t.meta_table, r) for t, r in again])):
        t.second(answer)


__all__ = ["Answer", "Request", "ask", "settle"]
