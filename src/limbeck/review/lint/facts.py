"""What a statement changes, as typed facts the lint rules and the plan's lock table read.

Facts come from the statement's SQLAlchemy construct (limbeck's own ALTER
constructs and SQLAlchemy's CREATE/DROP/ADD CONSTRAINT). A plain-text
statement (``op.execute("...")`` or ``text()``) has nothing but its text:
it is parsed (PostgreSQL's own parser, pglast, on PostgreSQL when it is
installed; sqlglot otherwise; see :mod:`limbeck.review.lint.text_facts`)
and read from the syntax tree, never matched with regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from limbeck.compiler.statement import Kind
from limbeck.review.stream import Record

CREATE_TABLE = "create_table"
DROP_TABLE = "drop_table"
RENAME_TABLE = "rename_table"
ADD_COLUMN = "add_column"
DROP_COLUMN = "drop_column"
RENAME_COLUMN = "rename_column"
CHANGE_TYPE = "change_type"
SET_NOT_NULL = "set_not_null"
CREATE_INDEX = "create_index"
DROP_INDEX = "drop_index"
RENAME_INDEX = "rename_index"
REINDEX = "reindex"
ADD_CONSTRAINT = "add_constraint"
VALIDATE_CONSTRAINT = "validate_constraint"
TRUNCATE = "truncate"
#: any other ALTER TABLE (defaults, DROP NOT NULL, DROP CONSTRAINT, comments): a brief lock
ALTER_TABLE = "alter_table"
#: ``SET [LOCAL] name = value`` (``setting`` holds the name)
SET = "set"
#: a query written into the script: it reads rows nobody will see
SELECT = "select"

FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY = "foreign key", "check", "unique", "primary key"


@dataclass(frozen=True, slots=True)
class Fact:
    """One change a statement makes."""

    action: str
    table: str | None
    column: str | None = None
    #: constraint kind for ADD_CONSTRAINT (FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY)
    constraint: str | None = None
    new_name: str | None = None
    unique: bool = False
    concurrently: bool = False
    not_valid: bool = False
    #: ADD_COLUMN / SET_NOT_NULL: a server default fills existing rows
    has_default: bool = False
    nullable: bool = True
    #: ADD_COLUMN: the volatile function of its default (each row gets its own value: a rewrite)
    volatile: str | None = None
    #: ADD_COLUMN with an inline REFERENCES, ADD_CONSTRAINT of a foreign key: the referenced table
    references: str | None = None
    #: ADD_CONSTRAINT ... USING INDEX (the index was built beforehand)
    using_index: bool = False
    #: TRUNCATE ... CASCADE
    cascade: bool = False
    #: DROP_INDEX / REINDEX / RENAME_INDEX: the index (``table`` is its table when known)
    index: str | None = None
    #: SET: the setting's name; ``local`` for SET LOCAL (ends with the transaction)
    setting: str | None = None
    local: bool = False


def _name(table: Any) -> str | None:
    if table is None:
        return None
    return str(getattr(table, "name", table))


def _pg_option(element: Any, key: str) -> bool:
    options = getattr(element, "dialect_options", None)
    try:
        return bool(options["postgresql"][key]) if options is not None else False
    except KeyError:
        return False


def _constraint_kind(constraint: Any) -> str | None:
    from sqlalchemy import (
        CheckConstraint,
        ForeignKeyConstraint,
        PrimaryKeyConstraint,
        UniqueConstraint,
    )

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
    from sqlalchemy.schema import (
        AddConstraint,
        CreateIndex,
        CreateTable,
        DropConstraint,
        DropIndex,
        DropTable,
    )

    from limbeck.compiler import constructs as c

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
    from sqlalchemy.sql.selectable import SelectBase

    if isinstance(element, SelectBase):
        return [Fact(SELECT, None)]
    return []


def _add_column(element: Any, record: Record) -> Fact:
    from limbeck.review.lint.text_facts import volatile_default

    column = element.column
    references = None
    if element.inline_references:
        for fk in getattr(column, "foreign_keys", ()) or ():
            references = str(fk.target_fullname).rsplit(".", 1)[0]
            break
    has_default = column.server_default is not None
    return Fact(
        ADD_COLUMN, element.table_name, column.name, nullable=bool(column.nullable), has_default=has_default,
        volatile=volatile_default(record.texts, record.dialect) if has_default else None, references=references,
        constraint=PRIMARY_KEY if element.inline_primary_key else None,
    )


def _from_alter(element: Any, record: Record) -> list[Fact]:
    from limbeck.compiler import constructs as c

    table = element.table_name
    if isinstance(element, c.RenameTable):
        return [Fact(RENAME_TABLE, table, new_name=element.new_table_name)]
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
    from limbeck.review.lint.text_facts import from_text, text_of

    if record.kind not in (Kind.DDL, Kind.DML):
        return []
    element = record.statement.element
    text = text_of(element)
    if text is not None:
        return from_text(text, record.dialect)
    return _from_construct(element, record)
