"""Lowering of table operations: create, drop, rename, table comments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.schema import CreateIndex, CreateTable, DropTable
from sqlalchemy.types import NullType

from limbeck.compiler import constructs as c
from limbeck.compiler.constraints import check_constraint_options
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import supports_clause, unsupported, warn
from limbeck.errors import InvalidDefinition
from limbeck.operations.schemaobj import SchemaObjects

if TYPE_CHECKING:
    from sqlalchemy import Column, Table

    from limbeck.compiler.behaviour import DialectBehaviour
    from limbeck.operations.comments import CreateTableCommentOp, DropTableCommentOp
    from limbeck.operations.tables import CreateTableOp, DropTableOp, RenameTableOp


def require_types(op: Any, columns: list[Column[Any]]) -> None:
    """A column without a type cannot be rendered; say which one, and why it happens.

    A ``CompileError`` too, which is what Alembic raises there.
    """
    for column in columns:
        if isinstance(column.type, NullType):
            table = getattr(op, "table_name", "?")
            raise InvalidDefinition(
                f"(in table '{table}', column '{column.name}'): Can't generate DDL for NullType(); did you forget to "
                "specify a type on this Column? A column declared only with a ForeignKey takes its type from the "
                "referenced column, which a migration cannot see: give it a type"
            )


def comment_statements(table: Table, behaviour: DialectBehaviour, source: Any) -> list[Statement]:
    """Table and column comments as their own statements, where they are not inline."""
    if not behaviour.supports_comments or behaviour.inline_comments:
        return []
    stmts = []
    if table.comment is not None:
        stmts.append(ddl(c.TableComment(table.name, table.comment, schema=table.schema), source))
    for column in table.columns:
        if column.comment is not None:
            stmts.append(ddl(c.ColumnComment(table.name, column.name, column.comment, on_create=True, schema=table.schema), source))
    return stmts


def index_statements(table: Table, source: Any) -> list[Statement]:
    # a set in SQLAlchemy: sorted so the same table always gives the same script (by
    # name, then by what it indexes: the naming convention can give two the same name)
    indexes = sorted(table.indexes, key=lambda ix: (str(ix.name or ""), [str(e) for e in ix.expressions]))
    return [ddl(CreateIndex(ix), source) for ix in indexes]


class _DDLCollector:
    """Stands in for a connection while a table's DDL events run.

    Column types that own a database object (PostgreSQL ``ENUM``, ``DOMAIN``)
    create it from ``before_create``, and DDL a script attached with
    ``event.listen(table, "after_create", DDL(...))`` (or ``listeners=`` on
    the table) runs from the event it names; collecting what they would
    execute turns it into statements of the stream, offline and online alike.

    ``memo`` is where SQLAlchemy notes the named types a table event has
    created so that the next table using the same type does not create it
    again; it is the run's (``behaviour.run_cache``), as Alembic's lives on
    its per-run implementation: a PostgreSQL ``ENUM`` is created by the
    first ``create_table`` of the run that uses it, in whichever revision,
    and by no other (the second ``CREATE TYPE`` fails online).
    """

    def __init__(self, behaviour: DialectBehaviour) -> None:
        self.dialect = behaviour.dialect
        self.memo: dict[Any, Any] = behaviour.run_cache.setdefault("ddl_memo", {})
        self.elements: list[Any] = []

    def execute(self, element: Any, *args: Any, **kw: Any) -> None:
        self.elements.append(element)

    def _run_ddl_visitor(self, visitorcallable: Any, element: Any, **kw: Any) -> None:
        visitorcallable(dialect=self.dialect, connection=self, **kw).traverse_single(element)


def event_statements(table: Table, event: str, behaviour: DialectBehaviour, source: Any) -> list[Statement]:
    """What the table's ``event`` listeners (``before_create``, ``after_drop``, ...) execute."""
    collector = _DDLCollector(behaviour)
    getattr(table.dispatch, event)(
        table, collector, checkfirst=False, _ddl_runner=collector, _is_metadata_operation=False
    )
    return [ddl(element, source) for element in collector.elements]


def table_for(op: CreateTableOp, behaviour: DialectBehaviour) -> Table:
    """The table ``op`` creates, built once (``create_table()`` returns the same object)."""
    return op.built_table(SchemaObjects.for_behaviour(behaviour))


def lower_create_table(op: CreateTableOp, behaviour: DialectBehaviour) -> list[Statement]:
    table = table_for(op, behaviour)
    require_types(op, list(table.columns))
    for constraint in sorted(table.constraints, key=lambda k: str(k.name or "")):
        if not _left_out(constraint, behaviour):
            check_constraint_options(op, behaviour, constraint)
    _warn_use_alter(op, behaviour, table)
    if_not_exists = supports_clause(op, behaviour, "create_table", op.if_not_exists)
    create = CreateTable(table, if_not_exists=if_not_exists)
    return [
        *event_statements(table, "before_create", behaviour, op),
        ddl(create, op),
        *event_statements(table, "after_create", behaviour, op),
        *index_statements(table, op),
        *comment_statements(table, behaviour, op),
    ]


def _left_out(constraint: Any, behaviour: DialectBehaviour) -> bool:
    """A ``use_alter=True`` foreign key, which ``CREATE TABLE`` leaves out (SQLite: kept inline)."""
    return bool(getattr(constraint, "use_alter", False)) and behaviour.dialect.supports_alter


def _warn_use_alter(op: CreateTableOp, behaviour: DialectBehaviour, table: Table) -> None:
    """Say that a ``use_alter=True`` foreign key is not in the new table.

    SQLAlchemy leaves such a key out of ``CREATE TABLE`` for ``metadata.create_all()``
    to add with an ``ALTER TABLE`` once every table exists; a migration has no
    such second pass, so the key is never made (Alembic's script is the same,
    without a word). The SQL stays Alembic's, since adding the key here could
    fail where the table it references comes later in the migration.
    """
    for constraint in sorted(table.foreign_key_constraints, key=lambda k: str(k.name or "")):
        if _left_out(constraint, behaviour):
            warn(op, behaviour, f"foreign key {constraint.name or '(unnamed)'} has use_alter=True and is not created "
                 "by CREATE TABLE; add it with op.create_foreign_key() once the tables it joins exist")


def lower_drop_table(op: DropTableOp, behaviour: DialectBehaviour) -> list[Statement]:
    table = SchemaObjects.for_behaviour(behaviour).table(op.table_name, schema=op.schema, **op.table_kw)
    if_exists = supports_clause(op, behaviour, "drop_table", op.if_exists)
    return [
        *event_statements(table, "before_drop", behaviour, op),
        ddl(DropTable(table, if_exists=if_exists), op),
        *event_statements(table, "after_drop", behaviour, op),
    ]


def lower_rename_table(op: RenameTableOp, behaviour: DialectBehaviour) -> list[Statement]:
    return [ddl(c.RenameTable(op.table_name, op.new_table_name, schema=op.schema), op)]


def _require_comments(op: Any, behaviour: DialectBehaviour) -> None:
    if not behaviour.writes_table_comments:
        raise unsupported(
            op, behaviour, f"{behaviour.display_name} does not store table or column comments",
            "leave the call out for this database",
        )


def lower_create_table_comment(op: CreateTableCommentOp, behaviour: DialectBehaviour) -> list[Statement]:
    _require_comments(op, behaviour)
    element = c.TableComment(op.table_name, op.comment, schema=op.schema, existing_comment=op.existing_comment)
    return [ddl(element, op)]


def lower_drop_table_comment(op: DropTableCommentOp, behaviour: DialectBehaviour) -> list[Statement]:
    _require_comments(op, behaviour)
    element = c.TableComment(op.table_name, None, schema=op.schema, existing_comment=op.existing_comment)
    return [ddl(element, op)]
