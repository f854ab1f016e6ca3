"""Reading the facts of a statement (see :mod:`limbeck.review.lint.facts`).

Facts come from the statement's SQLAlchemy construct (limbeck's own ALTER
constructs and SQLAlchemy's CREATE/DROP/ADD CONSTRAINT). A plain-text
statement (``op.execute("...")`` or ``text()``) has nothing but its text:
it is parsed (PostgreSQL's own parser, pglast, on PostgreSQL when it is
installed; sqlglot otherwise; see :mod:`limbeck.review.lint.text_facts`)
and read from the syntax tree, never matched with regular expressions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable, DropConstraint, DropIndex, DropTable
from sqlalchemy.sql.selectable import SelectBase

from limbeck.compiler import constructs as c
from limbeck.operations.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from limbeck.compiler.statement import Kind
from limbeck.review.lint.facts import (
    ADD_COLUMN,
    ADD_CONSTRAINT,
    ALTER_TABLE,
    BATCH_COPY,
    CHANGE_TYPE,
    CHECK,
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_COLUMN,
    DROP_INDEX,
    DROP_TABLE,
    EXCLUDE,
    FOREIGN_KEY,
    PRIMARY_KEY,
    RENAME_COLUMN,
    RENAME_TABLE,
    SELECT,
    SET_NOT_NULL,
    UNIQUE,
    Fact,
)
from limbeck.review.lint.text_facts import from_text, text_of, volatile_default
from limbeck.review.stream import Record

__all__ = ["facts"]


def _name(table: Any) -> str | None:
    """A table's (or index's) name, with its schema where it has one: ``archive.accounts`` is not ``accounts``."""
    if table is None:
        return None
    name = str(getattr(table, "name", table))
    schema = getattr(table, "schema", None)
    return f"{schema}.{name}" if schema else name


def _qualified(element: Any) -> str:
    """The table of an ``ALTER TABLE`` construct, with its schema where it has one."""
    schema = getattr(element, "schema", None)
    return f"{schema}.{element.table_name}" if schema else str(element.table_name)


def _pg_option(element: Any, key: str) -> bool:
    options = getattr(element, "dialect_options", None)
    try:
        return bool(options["postgresql"][key]) if options is not None else False
    except KeyError:
        return False


def _constraint_kind(constraint: Any) -> str | None:
    if getattr(constraint, "__visit_name__", None) == "exclude_constraint":  # op.create_exclude_constraint()
        return EXCLUDE
    for klass, kind in (
        (ForeignKeyConstraint, FOREIGN_KEY),
        (CheckConstraint, CHECK),
        (UniqueConstraint, UNIQUE),
        (PrimaryKeyConstraint, PRIMARY_KEY),
    ):
        if isinstance(constraint, klass):
            return kind
    return None


def _given(value: Any) -> bool:
    # identity, not ``in``: a SQL expression (``sa.func.now()``) overloads ``==``
    return value is not None and value is not False


def _has_default(element: Any, source: Any) -> bool:
    return _given(element.existing_server_default) or _given(getattr(source, "modify_server_default", False))


def _referenced(constraint: Any) -> str | None:
    elements = getattr(constraint, "elements", None) or []
    for fk in elements:
        spec = getattr(fk, "target_fullname", None) or ""
        if spec:
            return str(spec).rsplit(".", 1)[0]
    return None


def _from_construct(element: Any, record: Record) -> list[Fact]:
    if isinstance(element, CreateTable):
        return [Fact(CREATE_TABLE, _name(element.element))]
    if isinstance(element, DropTable):
        return [Fact(DROP_TABLE, _name(element.element))]
    if isinstance(element, (CreateIndex, DropIndex)):
        index = element.element
        action = CREATE_INDEX if isinstance(element, CreateIndex) else DROP_INDEX
        return [
            Fact(action, _name(index.table), unique=bool(index.unique), concurrently=_pg_option(index, "concurrently"),
                 index=_name(index))
        ]
    if isinstance(element, AddConstraint):
        constraint = element.element
        kind = _constraint_kind(constraint)
        return [
            Fact(
                ADD_CONSTRAINT, _name(getattr(constraint, "table", None)), constraint=kind,
                not_valid=_pg_option(constraint, "not_valid"),
                references=_referenced(constraint) if kind == FOREIGN_KEY else None,
            )
        ]
    if isinstance(element, DropConstraint):
        return [Fact(ALTER_TABLE, _name(getattr(element.element, "table", None)))]
    if isinstance(element, c.AlterTable):
        return _from_alter(element, record)
    if isinstance(element, SelectBase):
        return [Fact(SELECT, None)]
    return []


def _add_column(element: Any, record: Record) -> Fact:
    column = element.column
    references = None
    if element.inline_references:
        for fk in getattr(column, "foreign_keys", ()) or ():
            references = str(fk.target_fullname).rsplit(".", 1)[0]
            break
    has_default = column.server_default is not None
    return Fact(
        ADD_COLUMN, _qualified(element), column.name, nullable=bool(column.nullable), has_default=has_default,
        volatile=volatile_default(record.texts, record.dialect) if has_default else None, references=references,
        constraint=PRIMARY_KEY if element.inline_primary_key else None,
    )


def _from_alter(element: Any, record: Record) -> list[Fact]:
    table = _qualified(element)
    if isinstance(element, c.RenameTable):
        schema = getattr(element, "schema", None)
        renamed = f"{schema}.{element.new_table_name}" if schema else element.new_table_name
        return [Fact(RENAME_TABLE, table, new_name=renamed)]
    if isinstance(element, c.AddColumn):
        return [_add_column(element, record)]
    if isinstance(element, c.DropColumn):
        return [Fact(DROP_COLUMN, table, _name(element.column))]
    if isinstance(element, c.ColumnName):
        return [Fact(RENAME_COLUMN, table, element.column_name, new_name=element.newname)]
    if isinstance(element, c.ColumnType):
        return [Fact(CHANGE_TYPE, table, element.column_name)]
    if isinstance(element, c.ColumnNullable) and not element.nullable:
        has_default = _has_default(element, record.source)
        return [Fact(SET_NOT_NULL, table, element.column_name, nullable=False, has_default=has_default)]
    return [Fact(ALTER_TABLE, table, getattr(element, "column_name", None))]


def facts(record: Record) -> list[Fact]:
    """The changes ``record`` makes (none for version, framing and comment statements)."""
    if record.kind not in (Kind.DDL, Kind.DML):
        return []
    element = record.statement.element
    text = text_of(element)
    if text is not None:
        # what runs: the rendered text, its bound values written in (``:name`` is no SQL to a parser)
        return [fact for rendered in record.texts or (text,) for fact in from_text(rendered, record.dialect)]
    step = record.info.get("batch_step")
    if step == "copy":  # INSERT INTO the rebuilt copy SELECT ... FROM the table
        froms = element.select.get_final_froms()
        return [Fact(BATCH_COPY, _name(froms[0]) if froms else None), *_rebuild_changes(record.source)]
    found = _from_construct(element, record)
    return [replace(fact, batch=True) for fact in found] if step in ("drop", "rename") else found


def _rebuild_changes(batch: Any) -> list[Fact]:
    """What a batch rebuild does to the table's columns, from its operations (its SQL is a copy of the rows).

    Marked ``batch``: the rebuild's own statements take the locks; these say
    what the copy drops, renames, retypes or makes NOT NULL, for the rules.
    """
    table = f"{batch.schema}.{batch.table_name}" if getattr(batch, "schema", None) else getattr(batch, "table_name", None)
    out: list[Fact] = []
    for op in getattr(batch, "ops", ()):
        if isinstance(op, DropColumnOp):
            out.append(Fact(DROP_COLUMN, table, op.column_name, batch=True))
        elif isinstance(op, AddColumnOp):
            column = op.column
            out.append(Fact(ADD_COLUMN, table, column.name, nullable=bool(column.nullable),
                            has_default=column.server_default is not None, batch=True))
        elif isinstance(op, AlterColumnOp):
            if op.modify_name:
                out.append(Fact(RENAME_COLUMN, table, op.column_name, new_name=op.modify_name, batch=True))
            if op.modify_type is not None:
                out.append(Fact(CHANGE_TYPE, table, op.column_name, batch=True))
            if op.modify_nullable is False:
                out.append(Fact(SET_NOT_NULL, table, op.column_name, nullable=False, batch=True,
                                has_default=_has_default(op, op)))
    return out
