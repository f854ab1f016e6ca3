"""What a statement changes, as typed facts the lint rules read.

Facts come from the statement's SQLAlchemy construct (limbeck's own ALTER
constructs and SQLAlchemy's CREATE/DROP/ADD CONSTRAINT). Only a plain-text
statement (``op.execute("...")`` or ``text()``) has nothing but its text;
it is parsed with sqlglot in the target dialect and read from the syntax
tree, never matched with regular expressions.
"""

from __future__ import annotations

from collections.abc import Callable
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
ADD_CONSTRAINT = "add_constraint"
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


def _has_default(element: Any, source: Any) -> bool:
    if element.existing_server_default not in (None, False):
        return True
    requested = getattr(source, "modify_server_default", False)
    return requested not in (None, False)


def _from_construct(element: Any, source: Any) -> list[Fact]:
    from sqlalchemy.schema import (
        AddConstraint,
        CreateIndex,
        CreateTable,
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
        return [Fact(action, _name(index.table), unique=bool(index.unique), concurrently=_pg_option(index, "concurrently"))]
    if isinstance(element, AddConstraint):
        constraint = element.element
        return [
            Fact(
                ADD_CONSTRAINT, _name(getattr(constraint, "table", None)), constraint=_constraint_kind(constraint),
                not_valid=_pg_option(constraint, "not_valid"),
            )
        ]
    if isinstance(element, c.AlterTable):
        return _from_alter(element, source)
    from sqlalchemy.sql.selectable import SelectBase

    if isinstance(element, SelectBase):
        return [Fact(SELECT, None)]
    return []


def _from_alter(element: Any, source: Any) -> list[Fact]:
    from limbeck.compiler import constructs as c

    table = element.table_name
    if isinstance(element, c.RenameTable):
        return [Fact(RENAME_TABLE, table, new_name=element.new_table_name)]
    if isinstance(element, c.AddColumn):
        column = element.column
        return [
            Fact(ADD_COLUMN, table, column.name, nullable=bool(column.nullable), has_default=column.server_default is not None)
        ]
    if isinstance(element, c.DropColumn):
        return [Fact(DROP_COLUMN, table, _name(element.column))]
    if isinstance(element, c.ColumnName):
        return [Fact(RENAME_COLUMN, table, element.column_name, new_name=element.newname)]
    if isinstance(element, c.ColumnType):
        return [Fact(CHANGE_TYPE, table, element.column_name)]
    if isinstance(element, c.ColumnNullable) and not element.nullable:
        return [Fact(SET_NOT_NULL, table, element.column_name, nullable=False, has_default=_has_default(element, source))]
    return []


# -- plain text, through sqlglot ------------------------------------------------------------
def _text_of(element: Any) -> str | None:
    from sqlalchemy.sql.elements import TextClause

    if isinstance(element, str):
        return element
    if isinstance(element, TextClause):
        return element.text
    return None


def _from_text(text: str, dialect: str) -> list[Fact]:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    from limbeck.review.validate import SQLGLOT_DIALECTS, _quiet_sqlglot

    try:
        with _quiet_sqlglot():
            trees = [t for t in sqlglot.parse(text, read=SQLGLOT_DIALECTS.get(dialect)) if t is not None]
    except (ParseError, TokenError):
        return []
    facts: list[Fact] = []
    for tree in trees:
        if isinstance(tree, exp.Drop) and str(tree.args.get("kind", "")).upper() == "TABLE":
            facts.extend(Fact(DROP_TABLE, t.name) for t in tree.args.get("tables") or [tree.this] if t is not None)
        elif isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "INDEX":
            index = tree.this
            table = index.args.get("table") if isinstance(index, exp.Index) else None
            facts.append(
                Fact(CREATE_INDEX, table.name if table is not None else None, unique=bool(tree.args.get("unique")),
                     concurrently=bool(tree.args.get("concurrently")))
            )
        elif isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "TABLE":
            facts.append(Fact(CREATE_TABLE, tree.this.name if tree.this is not None else None))
        elif isinstance(tree, exp.Alter):
            facts.extend(_from_alter_tree(tree))
        elif isinstance(tree, exp.Query) and tree.find(exp.Into) is None:
            facts.append(Fact(SELECT, None))
    return facts


def _from_alter_tree(tree: Any) -> list[Fact]:
    from sqlglot import exp

    table = tree.this.name if tree.this is not None else None
    not_valid = bool(tree.args.get("not_valid"))
    facts: list[Fact] = []
    handlers: dict[type, Callable[[Any], Fact | None]] = {
        exp.Drop: lambda a: Fact(DROP_COLUMN, table, _first_name(a)) if str(a.args.get("kind", "")).upper() == "COLUMN" else None,
        exp.RenameColumn: lambda a: Fact(RENAME_COLUMN, table, a.this.name, new_name=a.args["to"].name),
        exp.AlterRename: lambda a: Fact(RENAME_TABLE, table, new_name=a.this.name),
        exp.AlterColumn: lambda a: _alter_column_tree(table, a),
        exp.AddConstraint: lambda a: Fact(ADD_CONSTRAINT, table, constraint=_tree_constraint(a), not_valid=not_valid),
        exp.ColumnDef: lambda a: Fact(
            ADD_COLUMN, table, a.name, nullable=not a.find(exp.NotNullColumnConstraint),
            has_default=bool(a.find(exp.DefaultColumnConstraint)),
        ),
    }
    for action in tree.args.get("actions") or []:
        handler = handlers.get(type(action))
        fact = handler(action) if handler is not None else None
        if fact is not None:
            facts.append(fact)
    return facts


def _first_name(drop: Any) -> str | None:
    targets = drop.args.get("tables") or []
    return targets[0].name if targets else None


def _alter_column_tree(table: str | None, action: Any) -> Fact | None:
    if action.args.get("dtype") is not None:
        return Fact(CHANGE_TYPE, table, action.this.name)
    if action.args.get("allow_null") is False:
        return Fact(SET_NOT_NULL, table, action.this.name, nullable=False)
    return None


def _tree_constraint(action: Any) -> str | None:
    from sqlglot import exp

    for klass, kind in (
        (exp.ForeignKey, FOREIGN_KEY),
        (exp.CheckColumnConstraint, CHECK),
        (exp.UniqueColumnConstraint, UNIQUE),
        (exp.PrimaryKey, PRIMARY_KEY),
    ):
        if action.find(klass) is not None:
            return kind
    return None


def facts(record: Record) -> list[Fact]:
    """The changes ``record`` makes (none for version, framing and comment statements)."""
    if record.kind not in (Kind.DDL, Kind.DML):
        return []
    element = record.statement.element
    text = _text_of(element)
    if text is not None:
        return _from_text(text, record.dialect)
    return _from_construct(element, record.source)
