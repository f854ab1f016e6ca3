"""SQLite: ALTER TABLE limited to a few forms; everything else is batch mode's job.

https://www.sqlite.org/lang_altertable.html: SQLite can rename a table,
rename a column, add a column and drop a column, and nothing else. Other
changes (nullability, type, defaults, constraints) need the table rebuilt:
``op.batch_alter_table()`` does that ("move and copy"); here they stop with
:class:`~limbeck.errors.UnsupportedOperation` before anything is emitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Identity

from limbeck.compiler import constructs as c
from limbeck.compiler.alter_column import (
    ALTER_KEYWORDS,
    ColumnChange,
    warn_autoincrement,
)
from limbeck.compiler.columns import AddedColumn, add_column_statements
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import (
    BATCH_REMEDY,
    unsupported,
    warn,
    warn_unknown_keywords,
)
from limbeck.dialects.base import CatalogFacts, DialectBehaviour, Lowering
from limbeck.operations import ops

if TYPE_CHECKING:
    from limbeck.operations.columns import AddColumnOp, AlterColumnOp


def lower_add_column_sqlite(op: AddColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """ADD COLUMN with its foreign keys inline: SQLite cannot add them afterwards.

    SQLite takes ``REFERENCES`` in ``ADD COLUMN`` (the column must then
    default to NULL while foreign keys are enforced), but neither ``PRIMARY
    KEY`` nor ``UNIQUE``, nor a STORED generated column; the CHECK a
    Boolean/Enum type implies is skipped with a warning, as a table-level
    constraint SQLite cannot add.
    """
    added = AddedColumn(op, behaviour)
    computed = added.column.computed
    if computed is not None and computed.persisted:
        raise unsupported(
            op, behaviour, "SQLite can add a VIRTUAL generated column but not a STORED one",
            "use Computed(..., persisted=False), or batch mode",
        )
    if op.inline_primary_key:
        raise unsupported(op, behaviour, "SQLite cannot add a PRIMARY KEY column", BATCH_REMEDY)
    plain = [k for k in added.others if not getattr(k, "_type_bound", False)]
    if plain:
        raise unsupported(op, behaviour, "SQLite cannot add a column with a UNIQUE or table-level constraint", BATCH_REMEDY)
    column = added.column
    # an Identity is kept as the column's server default, but gives SQLite none
    has_default = column.server_default is not None and not isinstance(column.server_default, Identity)
    if not column.nullable and not has_default and computed is None:
        raise unsupported(
            op, behaviour, "SQLite adds a NOT NULL column only with a default other than NULL",
            "give the column a server_default, or add it nullable and make it NOT NULL in batch mode",
        )
    if len(plain) != len(added.others):
        warn(op, behaviour, "the CHECK constraint implied by the column's type was not created "
             "(SQLite cannot add constraints to a table; batch mode can)")
    return add_column_statements(op, behaviour, added, inline_references=True, others=[])


def lower_alter_column_sqlite(op: AlterColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """Only a rename can be done in place; any other change needs batch mode."""
    change = ColumnChange(op)
    warn_unknown_keywords(op, behaviour, op.kw, ALTER_KEYWORDS)
    asked = [
        name for name, wanted in (
            ("nullable", change.nullable is not None),
            ("type_", change.type_ is not None),
            ("server_default", change.changes_default),
        ) if wanted
    ]
    warn_autoincrement(op, behaviour, change)
    if change.changes_comment:
        raise unsupported(op, behaviour, "SQLite does not store column comments", "leave comment= out for SQLite")
    if asked:
        raise unsupported(op, behaviour, f"SQLite's ALTER TABLE cannot change {', '.join(asked)}", BATCH_REMEDY)
    if not change.name:
        return []
    element = c.ColumnName(op.table_name, op.column_name, change.name, **change.existing())
    return [ddl(element, op)]


def refuse_constraint(op: Any, behaviour: DialectBehaviour) -> list[Statement]:
    raise unsupported(op, behaviour, "SQLite cannot add or drop constraints of an existing table", BATCH_REMEDY)


class SQLiteBehaviour(DialectBehaviour):
    name: ClassVar[str] = "sqlite"
    display_name: ClassVar[str] = "SQLite"
    # SQLite can roll back DDL, but Alembic treats it as non-transactional so
    # that each revision commits on its own; kept for identical scripts
    transactional_ddl: bool = False
    # https://www.sqlite.org/lang_createtable.html, lang_createindex.html: IF [NOT]
    # EXISTS on CREATE/DROP TABLE and INDEX; ALTER TABLE ADD/DROP COLUMN has none
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset({"create_table", "drop_table", "create_index", "drop_index"})
    # SQLite's own file lock, kept across the run's COMMITs (PRAGMA locking_mode)
    migration_lock: ClassVar[str | None] = "sqlite_exclusive"
    # https://www.sqlite.org/schematab.html keeps each CREATE TABLE / INDEX as written;
    # https://www.sqlite.org/lang_createtable.html#rowid: INTEGER PRIMARY KEY is the rowid;
    # https://www.sqlite.org/lang_createtable.html#the_default_clause: "(expr)" for functions
    catalog: ClassVar[CatalogFacts] = CatalogFacts(
        ddl_text_query="SELECT type, name, sql FROM {schema}sqlite_master WHERE tbl_name = :table",
        rowid_primary_key=True,
        function_defaults_in_parentheses=True,
    )
    LOWERINGS: ClassVar[Mapping[type, Lowering]] = {
        **DialectBehaviour.LOWERINGS,
        ops.AddColumnOp: lower_add_column_sqlite,
        ops.AlterColumnOp: lower_alter_column_sqlite,
        ops.AddConstraintOp: refuse_constraint,
        ops.CreatePrimaryKeyOp: refuse_constraint,
        ops.CreateUniqueConstraintOp: refuse_constraint,
        ops.CreateForeignKeyOp: refuse_constraint,
        ops.CreateCheckConstraintOp: refuse_constraint,
        ops.DropConstraintOp: refuse_constraint,
    }
