"""SQLite: ALTER TABLE limited to a few forms; everything else is batch mode's job.

https://www.sqlite.org/lang_altertable.html: SQLite can rename a table,
rename a column, add a column and drop a column, and nothing else. Other
changes (nullability, type, defaults, constraints) need the table rebuilt:
``op.batch_alter_table()`` does that ("move and copy"); here they stop with
:class:`~limbeck.errors.UnsupportedOperation` before anything is emitted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, Boolean, Computed, DefaultClause, Identity, Numeric
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import SchemaType

from limbeck.compiler import constructs as c
from limbeck.compiler.alter_column import check_alter_column, warn_autoincrement
from limbeck.compiler.ansi import rename_column_keyword, rename_table_in_place
from limbeck.compiler.columns import AddedColumn, add_column_statements
from limbeck.compiler.constraints import build_constraint
from limbeck.compiler.statement import FAILURE_HINTS, Statement, ddl
from limbeck.compiler.support import (
    BATCH_REMEDY,
    unsupported,
    warn_as_alembic,
)
from limbeck.dialects.base import (
    CatalogFacts,
    ClientSyntax,
    DialectBehaviour,
    Lowering,
    StatementValidator,
)
from limbeck.operations import ops

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.types import TypeEngine

    from limbeck.operations.columns import AddColumnOp, AlterColumnOp


#: reflected defaults Alembic's SQLite batch writes back without parentheses
_BARE_DEFAULT = re.compile(r"[0-9.]|'.+'|\(.+\)")

#: Alembic's refusal of constraint changes, in its words (code and tests match on them)
NO_CONSTRAINT_ALTER = (
    "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode feature which allows "
    "for SQLite migrations using a copy-and-move strategy."
)


def lower_add_column_sqlite(op: AddColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """ADD COLUMN with its foreign keys inline: SQLite cannot add them afterwards.

    SQLite takes ``REFERENCES`` in ``ADD COLUMN`` (the column must then
    default to NULL while foreign keys are enforced), but neither ``PRIMARY
    KEY`` nor ``UNIQUE``; the CHECK a Boolean/Enum type implies is skipped
    with a warning, as a table-level constraint SQLite cannot add. A NOT
    NULL column without a default and a STORED generated column are added
    as Alembic adds them: SQLite takes both while the table is empty
    (:func:`empty_table_only`).
    """
    added = AddedColumn(op, behaviour)
    if op.inline_primary_key and added.column.primary_key:  # the flag alone adds nothing (Alembic 1.20)
        raise unsupported(op, behaviour, "SQLite cannot add a PRIMARY KEY column", BATCH_REMEDY)
    plain = [k for k in added.others if not getattr(k, "_type_bound", False)]
    if plain:
        raise unsupported(op, behaviour, NO_CONSTRAINT_ALTER, alembic=True)  # a UNIQUE or table-level constraint
    if len(plain) != len(added.others):
        # the CHECK implied by a Boolean / Enum type: SQLite cannot add constraints to a table
        warn_as_alembic(
            "Skipping unsupported ALTER for creation of implicit constraint. Please refer to the batch mode "
            "feature which allows for SQLite migrations using a copy-and-move strategy."
        )
    statements = add_column_statements(op, behaviour, added, inline_references=True, others=[])
    hint = empty_table_only(added.column)
    if hint is not None:
        statements[0] = replace(statements[0], info={**statements[0].info, FAILURE_HINTS: (hint,)})
    return statements


def empty_table_only(column: Column[Any]) -> tuple[str, str] | None:
    """What SQLite says when it refuses to add ``column`` to a table with rows, and what to tell the user.

    SQLite (3.37 and later) adds a NOT NULL column without a default, or a
    STORED generated column, only to an empty table
    (https://www.sqlite.org/lang_altertable.html#altertabaddcol); lint warns
    of it offline, and online the database's refusal gets the remedy.
    """
    computed = column.computed
    if computed is not None and computed.persisted:
        return (
            "cannot add a STORED column",
            (
                "SQLite adds a STORED generated column only to an empty table; use "
                "Computed(..., persisted=False), or add it in op.batch_alter_table(), which rebuilds the table"
            ),
        )
    # an Identity is kept as the column's server default, but gives SQLite none
    default = column.server_default
    if computed is None and not column.nullable and (default is None or isinstance(default, Identity)):
        return (
            "Cannot add a NOT NULL column",
            (
                "SQLite adds a NOT NULL column without a default only to an empty table; give "
                "the column a server_default, or add it nullable, fill it, and make it NOT NULL in batch mode"
            ),
        )
    return None


def lower_alter_column_sqlite(op: AlterColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """Only a rename can be done in place; any other change needs batch mode."""
    # a computed or identity change is refused as on every database (CompileError, as Alembic)
    change = check_alter_column(op, behaviour, identity=False)
    asked = [
        name for name, wanted in (
            ("nullable", change.nullable is not None),
            ("type_", change.type_ is not None),
            ("server_default", change.changes_default),
        ) if wanted
    ]
    warn_autoincrement(op, behaviour, change)
    if change.changes_comment:
        raise unsupported(
            op, behaviour, "SQLite does not store column comments", "leave comment= out for SQLite", compile_error=True
        )
    if asked:
        raise unsupported(op, behaviour, f"SQLite's ALTER TABLE cannot change {', '.join(asked)}", BATCH_REMEDY)
    if not change.name:
        return []
    element = c.ColumnName(op.table_name, op.column_name, change.name, **change.existing())
    return [ddl(element, op)]


# SQLite's grammar: RENAME COLUMN, and RENAME TO a bare name (the table stays in its database)
compiles(c.ColumnName, "sqlite")(rename_column_keyword)
compiles(c.RenameTable, "sqlite")(rename_table_in_place)


def type_affinity(declared: str) -> str:
    """SQLite's affinity for a column declared with type name ``declared``.

    The rules of https://www.sqlite.org/datatype3.html#determination_of_column_affinity,
    in their order: the first that matches decides.
    """
    name = declared.upper()
    if "INT" in name:
        return "INTEGER"
    if "CHAR" in name or "CLOB" in name or "TEXT" in name:
        return "TEXT"
    if "BLOB" in name or not name.strip():
        return "BLOB"
    if "REAL" in name or "FLOA" in name or "DOUB" in name:
        return "REAL"
    return "NUMERIC"


#: affinities that turn a value into a number; CAST into them makes text that
#: is not a number 0 (https://www.sqlite.org/lang_expr.html#castexpr)
NUMBER_AFFINITIES = frozenset({"INTEGER", "REAL", "NUMERIC"})


def add_column_needs_recreate(column: Column[Any], inline_references: bool | None = None) -> bool:
    """Whether batch mode (``recreate="auto"``) rebuilds the table to add ``column``.

    ``inline_references=True`` asks for the foreign keys in the ``ADD
    COLUMN`` itself, which SQLite takes: no rebuild for them (as Alembic).
    """
    default = column.server_default
    if isinstance(default, Computed):
        # as Alembic: a STORED generated column rebuilds the table (ADD COLUMN
        # takes one only while the table is empty)
        return bool(default.persisted)
    if isinstance(default, Identity):
        return False
    if default is not None and not (isinstance(default, DefaultClause) and isinstance(default.arg, str)):
        # ALTER TABLE ADD COLUMN takes only a constant default
        # (https://www.sqlite.org/lang_altertable.html#altertabaddcol)
        return True
    # as Alembic: a CHECK the column's type makes (Boolean / non-native Enum)
    # needs the rebuild; deliberately beyond Alembic, which fails on these:
    # SQLite cannot add a constraint to an existing table, so a new FK / UNIQUE
    # column recreates. A primary_key=True column is added as Alembic adds it
    # (a rebuild would not make it part of the key either)
    type_check = getattr(column.type, "create_constraint", False) and isinstance(column.type, SchemaType)
    return bool((column.foreign_keys and not inline_references) or column.unique or type_check)


def op_needs_recreate(op: Any) -> bool:
    """Alembic's choice: everything but indexes and a column ALTER TABLE can add rebuilds the table."""
    if isinstance(op, ops.AddColumnOp):
        return add_column_needs_recreate(op.column, op.inline_references)
    return not isinstance(op, (ops.CreateIndexOp, ops.DropIndexOp))


def op_cannot_alter(op: Any) -> bool:
    """What SQLite's ALTER TABLE has no form for (https://www.sqlite.org/lang_altertable.html).

    It renames, adds and drops a column (DROP COLUMN since 3.35); with
    ``recreate="never"`` those run as ALTER TABLE, as Alembic runs them.
    """
    if isinstance(op, ops.AddColumnOp):
        # a foreign key goes inline (REFERENCES); a key or UNIQUE cannot be added
        return bool(op.column.unique or op.column.primary_key)
    if isinstance(op, ops.AlterColumnOp):
        changes = (op.modify_type, op.modify_nullable)
        unchanged = (op.modify_server_default, op.modify_comment)
        return any(c is not None for c in changes) or any(c is not False for c in unchanged)
    return not isinstance(op, (ops.DropColumnOp, ops.CreateIndexOp, ops.DropIndexOp))


def refuse_constraint(op: Any, behaviour: DialectBehaviour) -> list[Statement]:
    """Alembic's refusal, after the constraint is built as Alembic builds it first.

    What building refuses (a column named twice, a convention that needs a
    name) is then refused in Alembic's words, as on every other database.
    """
    if isinstance(op, ADDED_CONSTRAINTS):
        build_constraint(op, behaviour)
    raise unsupported(op, behaviour, NO_CONSTRAINT_ALTER, alembic=True)


#: the constraint operations whose constraint is built before the refusal (a subclass knows its own)
ADDED_CONSTRAINTS = (ops.CreatePrimaryKeyOp, ops.CreateUniqueConstraintOp, ops.CreateForeignKeyOp, ops.CreateCheckConstraintOp)


#: statements that set up the connection: PRAGMAs, and an explicit BEGIN (the migration lock's)
_CONNECTION_SETUP = re.compile(r"\s*(PRAGMA|BEGIN)\b", re.IGNORECASE)
#: https://www.sqlite.org/pragma.html#pragma_foreign_keys: "a no-op within a transaction"
_FOREIGN_KEYS = re.compile(r"\s*PRAGMA\s+(\w+\.)?foreign_keys\s*=", re.IGNORECASE)


def _sql_text(stmt: Statement) -> str | None:
    element = stmt.element
    if isinstance(element, str):
        return element
    text = getattr(element, "text", None)  # sqlalchemy.text()
    return text if isinstance(text, str) else None


class SQLiteBehaviour(DialectBehaviour):
    name: ClassVar[str] = "sqlite"
    alembic_impl: ClassVar[str] = "SQLiteImpl"
    display_name: ClassVar[str] = "SQLite"
    # COMMENT ON is not SQLite's: the table comment calls are refused
    assumes_table_comments: ClassVar[bool] = False
    # SQLite can roll back DDL, but Alembic treats it as non-transactional so
    # that each revision commits on its own; kept for identical scripts (and
    # online, each revision is still its own transaction)
    transactional_ddl: bool = False
    # online each revision's transaction holds its DDL too: a failing or killed
    # revision leaves nothing behind. pysqlite (legacy transaction control) only
    # BEGINs before INSERT/UPDATE/DELETE, so limbeck sends the BEGIN itself
    ddl_rolls_back_online: ClassVar[bool] = True
    driver_defers_begin: ClassVar[bool] = True
    # https://www.sqlite.org/lang_createtable.html, lang_createindex.html: IF [NOT]
    # EXISTS on CREATE/DROP TABLE and INDEX; ALTER TABLE ADD/DROP COLUMN has none
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset({"create_table", "drop_table", "create_index", "drop_index"})
    # https://www.sqlite.org/syntax/table-constraint.html: only a foreign key clause takes
    # DEFERRABLE / INITIALLY; after UNIQUE, PRIMARY KEY or CHECK the words are a syntax error
    deferrable_kinds: ClassVar[frozenset[str] | None] = frozenset({"foreign_key_constraint"})
    deferral_clause_kinds: ClassVar[frozenset[str] | None] = frozenset({"foreign_key_constraint"})
    # an operating-system lock on a file beside the database (SQLite's own cannot outlast a COMMIT
    # without keeping a revision's second connection out)
    migration_lock: ClassVar[str | None] = "sqlite_file"
    # https://www.sqlite.org/pragma.html#pragma_synchronous: no fsync at each COMMIT (a
    # scratch file need not survive a power cut); per connection, not kept in the file
    scratch_session_sql: ClassVar[tuple[str, ...]] = ("PRAGMA synchronous = OFF",)
    statement_validator: ClassVar[StatementValidator] = StatementValidator.IN_MEMORY_SQLITE
    sqlglot_dialect: ClassVar[str | None] = "sqlite"
    # https://www.sqlite.org/syntax/foreign-key-clause.html: REFERENCES takes a bare
    # table name, looked up in the referencing table's database (an attached one too)
    unqualified_references: ClassVar[bool] = True
    names_ignore_case: ClassVar[bool] = True  # https://www.sqlite.org/lang_keywords.html: quoted or not
    # https://www.sqlite.org/inmemorydb.html: a database is a file, or ":memory:"
    database_is_a_file: ClassVar[bool] = True
    # sqlite3 (https://www.sqlite.org/c3ref/complete.html): [ident], `ident`, trigger bodies
    # END [TRANSACTION] is COMMIT (https://sqlite.org/lang_transaction.html)
    transaction_end_words: ClassVar[frozenset[str]] = frozenset({"END"})
    client_syntax: ClassVar[ClientSyntax] = ClientSyntax(
        bracket_identifiers=True, backtick_identifiers=True, trigger_bodies=True
    )
    # https://www.sqlite.org/schematab.html keeps each CREATE TABLE / INDEX as written;
    # https://www.sqlite.org/lang_createtable.html#rowid: INTEGER PRIMARY KEY is the rowid;
    # https://www.sqlite.org/lang_createtable.html#the_default_clause: "(expr)" for expressions
    catalog: ClassVar[CatalogFacts] = CatalogFacts(
        ddl_text_query="SELECT type, name, sql FROM {schema}sqlite_master WHERE tbl_name = :table",
        autoincrement_kwarg="sqlite_autoincrement",
        rowid_primary_key=True,
        expression_defaults_in_parentheses=True,
        default_numbers_as_written=True,
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
        ops.CreateExcludeConstraintOp: refuse_constraint,  # as Alembic: a constraint change first
    }

    def declared_affinity(self, type_: TypeEngine[Any]) -> str:
        """The affinity SQLite gives a column of SQLAlchemy type ``type_``."""
        try:
            return type_affinity(str(type_.compile(dialect=self.dialect)))
        except CompileError:
            return "BLOB"  # no type SQLite knows (NullType): no affinity

    def holds_numbers(self, type_: TypeEngine[Any]) -> bool:
        """Whether SQLAlchemy stores a column of ``type_`` as numbers in SQLite.

        INTEGER and REAL affinity columns do; of the NUMERIC affinity ones only
        Numeric and Boolean: DATETIME, DATE, TIME, an Interval and JSON are
        declared with NUMERIC affinity but hold text.
        """
        affinity = self.declared_affinity(type_)
        if affinity in ("INTEGER", "REAL"):
            return True
        return affinity == "NUMERIC" and isinstance(type_._type_affinity, type) and issubclass(
            type_._type_affinity, (Numeric, Boolean)
        )

    def batch_copy_cast(self, source: TypeEngine[Any], target: TypeEngine[Any]) -> TypeEngine[Any] | None:
        """Alembic's CASTs, except where SQLite's CAST would destroy the value.

        A CAST into a type of INTEGER, REAL or NUMERIC affinity makes text
        that is not a number 0 (``CAST('{"a": 1}' AS JSON)``,
        ``CAST('2024-05-01 10:00:00' AS DATE)`` is 2024). Copied without a
        CAST, the new column's affinity converts what is a number and keeps
        the rest as it is (https://www.sqlite.org/datatype3.html#type_affinity),
        so a column that may hold text is copied as is into such a type.
        Alembic does the same for JSON only.
        """
        wanted = super().batch_copy_cast(source, target)
        if wanted is None or isinstance(target, JSON):
            return None
        if self.declared_affinity(target) in NUMBER_AFFINITIES and not self.holds_numbers(source):
            return None
        return wanted

    def batch_needs_recreate(self, op: Any) -> bool:
        return op_needs_recreate(op)

    def batch_cannot_alter(self, op: Any) -> bool:
        return op_cannot_alter(op)

    def reflected_default(self, text: str) -> str:
        """A reflected expression default in parentheses, where Alembic's batch puts them.

        SQLite returns a default as written, less its outer parentheses;
        Alembic's rebuild writes it back in parentheses unless it is one digit,
        or a string literal or parenthesised expression on one line (a
        multi-line one gets a second pair). Same values either way; the same
        text keeps the table's definition what Alembic would leave.
        """
        if not text or _BARE_DEFAULT.fullmatch(text):
            return text
        return f"({text})"

    def runs_before_transaction(self, stmt: Statement) -> bool:
        """PRAGMAs and an explicit BEGIN, when they come first in a transaction.

        A revision that starts with ``PRAGMA foreign_keys=OFF`` (the usual way to
        rebuild a referenced table) keeps it effective, as under Alembic, where
        nothing opens a transaction before a revision's first INSERT.
        """
        text = _sql_text(stmt)
        return text is not None and _CONNECTION_SETUP.match(text) is not None

    def ignored_in_transaction(self, stmt: Statement) -> bool:
        text = _sql_text(stmt)
        return text is not None and _FOREIGN_KEYS.match(text) is not None
