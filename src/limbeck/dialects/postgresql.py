"""PostgreSQL: transactional DDL, ``TYPE ... USING``, identity columns, ``EXCLUDE``.

https://www.postgresql.org/docs/current/sql-altertable.html
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import AddConstraint

from limbeck.compiler import constructs as c
from limbeck.compiler.ansi import alter_column, format_type, rename_table_in_place
from limbeck.compiler.batch_sql import SyncSerial
from limbeck.compiler.constraints import check_constraint_options
from limbeck.compiler.statement import Statement, ddl
from limbeck.dialects.base import (
    DOLLAR_NAME,
    DOLLAR_TAG,
    CatalogFacts,
    ClientSyntax,
    DialectBehaviour,
    EnumTypeSQL,
    LocalServer,
    Lowering,
    MultiStatementDriver,
    StatementValidator,
    TextsAhead,
    VersionGuardSQL,
)
from limbeck.dialects.guard_sql import Guard, quote, rows_wrong, table_name
from limbeck.operations import ops
from limbeck.operations.schemaobj import SchemaObjects


def lower_create_exclude_constraint_pg(op: ops.CreateExcludeConstraintOp, behaviour: DialectBehaviour) -> list[Statement]:
    if op._orig_constraint is not None:
        constraint = op._orig_constraint
    else:
        objects = SchemaObjects.for_behaviour(behaviour)
        constraint = objects.exclude(op.constraint_name, op.table_name, op.elements, schema=op.schema, where=op.where, **op.kw)
    check_constraint_options(op, behaviour, constraint)
    return [ddl(AddConstraint(constraint), op)]


def version_guard(guard: Guard, compiler: Any) -> str:
    """A ``DO`` block that raises (https://www.postgresql.org/docs/current/sql-do.html)."""
    exists = f"to_regclass({quote(compiler, table_name(compiler, guard))})"
    if guard.outside_transaction:
        return _version_guard_outside(guard, compiler, exists)
    condition = f"{exists} IS NOT NULL" if guard.expected is None else rows_wrong(compiler, guard)
    return (
        "DO $limbeck_guard$\nBEGIN\n"
        f"    IF {condition} THEN\n"
        f"        RAISE EXCEPTION {quote(compiler, guard.message)};\n"
        "    END IF;\nEND\n$limbeck_guard$"
    )


def _version_guard_outside(guard: Guard, compiler: Any, exists: str) -> str:
    """Outside a transaction raising stops nothing: first make the session read-only, for good.

    ``SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`` and ``COMMIT``
    inside the ``DO`` block (PostgreSQL 11+), so every later statement of the
    script fails too. The rows are read only once the table is known to exist
    (each PL/pgSQL expression is planned when first run), so a missing table
    cannot fail the block before the session is made read-only.
    """
    if guard.expected is None:
        check = f"    wrong := {exists} IS NOT NULL;\n"
    else:
        check = (
            f"    wrong := {exists} IS NULL;\n"
            f"    IF NOT wrong THEN\n        wrong := {rows_wrong(compiler, guard)};\n    END IF;\n"
        )
    return (
        "DO $limbeck_guard$\nDECLARE\n    wrong boolean;\nBEGIN\n"
        f"{check}"
        "    IF wrong THEN\n"
        "        SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\n"
        "        COMMIT;\n"
        f"        RAISE EXCEPTION {quote(compiler, guard.message)};\n"
        "    END IF;\nEND\n$limbeck_guard$"
    )


class Psycopg3Text(MultiStatementDriver):
    """psycopg 3: its client-side binding writes the literals, and each statement of a text keeps its result."""

    def inliner(self, dbapi_connection: Any) -> Callable[[str, Any], str | None] | None:
        # https://www.psycopg.org/psycopg3/docs/advanced/cursors.html#client-side-binding-cursors:
        # the connection's adapters and its quoting (standard_conforming_strings, encoding)
        from psycopg import ClientCursor

        writer = ClientCursor(dbapi_connection)  # it only writes texts; it never runs one

        def inline(statement: str, parameters: Any) -> str | None:
            try:
                text = writer.mogrify(statement, parameters)
            except Exception:  # noqa: BLE001 - a value it cannot write as a literal: sent with parameters
                return None
            return text if isinstance(text, str) else None

        return inline

    def rowcounts(self, cursor: Any) -> list[int]:
        # psycopg 3 keeps one result per statement of a simple-query text (Cursor.nextset)
        counts = [cursor.rowcount]
        while cursor.nextset():
            counts.append(cursor.rowcount)
        return counts

    def ahead(self, dbapi_connection: Any) -> TextsAhead | None:
        # libpq's asynchronous calls on the connection's PGconn (https://www.psycopg.org/psycopg3/docs/api/pq.html)
        if not hasattr(dbapi_connection, "pgconn"):
            return None
        from limbeck.dialects.psycopg_ahead import PsycopgAhead

        return PsycopgAhead(dbapi_connection)


class PostgreSQLBehaviour(DialectBehaviour):
    name: ClassVar[str] = "postgresql"
    alembic_impl: ClassVar[str] = "PostgresqlImpl"
    display_name: ClassVar[str] = "PostgreSQL"
    transactional_ddl: bool = True
    ddl_rolls_back_online: ClassVar[bool] = True
    # the type goes first so a USING clause sees the old column unchanged
    alter_column_order: ClassVar[tuple[str, ...]] = ("type", "nullable", "default", "comment", "name")
    # ALTER COLUMN ... ADD GENERATED / SET GENERATED / DROP IDENTITY (PostgreSQL 10+)
    alter_identity: ClassVar[bool] = True
    # ADD GENERATED ... AS IDENTITY on a column with a default: "column ... already has a default value"
    identity_drops_default: ClassVar[bool] = True
    # ALTER COLUMN ... TYPE ... USING: Alembic's PostgresqlImpl refuses USING without a type
    using_needs_type: ClassVar[bool] = True
    # https://www.postgresql.org/docs/current/sql-createtable.html: the index behind a
    # PRIMARY KEY / UNIQUE / EXCLUDE constraint takes its name, unique in the schema
    constraint_names_per_schema: ClassVar[bool] = True
    # https://www.postgresql.org/docs/current/sql-createtable.html: "CHECK constraints cannot be
    # marked DEFERRABLE" (NOT DEFERRABLE and INITIALLY IMMEDIATE are accepted on them)
    deferrable_kinds: ClassVar[frozenset[str] | None] = frozenset(
        {"foreign_key_constraint", "unique_constraint", "primary_key_constraint", "exclude_constraint"}
    )
    # https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL: a
    # serial (or identity) column owns a sequence; its default is nextval('t_id_seq')
    serial_sequences: ClassVar[bool] = True
    # session advisory lock, freed with the session
    migration_lock: ClassVar[str | None] = "pg_advisory"
    # psycopg 3 sends a statement without parameters by the simple query protocol, which takes
    # several (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT)
    multi_statement_drivers: ClassVar[Mapping[str, MultiStatementDriver]] = {"psycopg": Psycopg3Text()}
    lock_lint: ClassVar[bool] = True
    transaction_end_words: ClassVar[frozenset[str]] = frozenset({"END", "ABORT"})
    statement_validator: ClassVar[StatementValidator] = StatementValidator.PGLAST
    # initdb + pg_ctl of a local installation, in a temporary folder, on a Unix socket only
    temporary_server: ClassVar[LocalServer | None] = LocalServer.POSTGRESQL
    sqlglot_dialect: ClassVar[str | None] = "postgres"
    # psql: dollar-quoted bodies and E'' strings hide a ";", and so does a BEGIN ATOMIC body
    client_syntax: ClassVar[ClientSyntax] = ClientSyntax(dollar_quotes=True, routine_blocks=True)
    # https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-INTERVAL-INPUT
    native_interval: ClassVar[bool] = True
    # bytea from its hex digits (https://www.postgresql.org/docs/current/functions-binarystring.html)
    binary_literal: ClassVar[str] = "decode('{hex}', 'hex')"
    # psql carries on after an error unless told to stop
    # (https://www.postgresql.org/docs/current/app-psql.html, ON_ERROR_STOP)
    version_guard: ClassVar[VersionGuardSQL | None] = VersionGuardSQL(
        version_guard, "run with psql -v ON_ERROR_STOP=1 so the script stops here", procedural=True
    )
    # https://www.postgresql.org/docs/current/sql-altertype.html: a value can be
    # added in place; removing or reordering values means a new type
    # https://www.postgresql.org/docs/current/sql-createindex.html: NULLS [NOT] DISTINCT (15+)
    # https://www.postgresql.org/docs/current/datatype-numeric.html: FLOAT is DOUBLE
    # PRECISION, INT2/INT4/INT8 the internal names of SMALLINT/INTEGER/BIGINT
    catalog: ClassVar[CatalogFacts] = CatalogFacts(
        probe=True, probe_indexes=True, identity_columns=True, index_expression_parentheses="grouped",
        compared_index_options=("postgresql_nulls_not_distinct",), defaults_compared_by_query=True,
        unique_constraints_indexed=True, index_changes_by_element=True,
        # https://www.postgresql.org/docs/current/catalog-pg-depend.html: a serial's sequence
        # depends on its column (OWNED BY)
        owned_sequences_query=(
            "SELECT t.relname, a.attname, s.relname FROM pg_depend d"
            " JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " JOIN pg_namespace n ON n.oid = t.relnamespace"
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
            " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
            " AND n.nspname = :schema"
        ),
        type_synonyms={"FLOAT": "DOUBLE PRECISION", "INT4": "INTEGER", "INT8": "BIGINT", "INT2": "SMALLINT"},
        enum_types=EnumTypeSQL(
            add_value="ALTER TYPE {type} ADD VALUE {value}",
            add_value_before="ALTER TYPE {type} ADD VALUE {value} BEFORE {other}",
            add_value_after="ALTER TYPE {type} ADD VALUE {value} AFTER {other}",
            rename="ALTER TYPE {type} RENAME TO {new}",
            create="CREATE TYPE {type} AS ENUM ({values})",
            retype_column="ALTER TABLE {table} ALTER COLUMN {column} TYPE {type} USING {column}::text::{type}",
            drop_default="ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT",
            set_default="ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default}",
            drop="DROP TYPE {type}",
        ),
    )
    LOWERINGS: ClassVar[Mapping[type, Lowering]] = {
        **DialectBehaviour.LOWERINGS,
        ops.CreateExcludeConstraintOp: lower_create_exclude_constraint_pg,
    }

    @classmethod
    def datetime_literal(cls, value: datetime.datetime) -> str | None:
        """An aware datetime as a ``timestamptz``, as psycopg sends it online.

        SQLAlchemy's plain string literal lands in a ``timestamp`` column with its offset dropped
        (``'03:04:05+02:00'`` stores 03:04:05), where the online run's ``timestamptz`` parameter
        is converted to the session's time zone (01:04:05 under UTC): the script would store
        another value. Cast, the literal is converted as the parameter is
        (https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-TIMEZONES).
        """
        if value.tzinfo is None:
            return None
        return f"CAST('{value.isoformat(sep=' ')}' AS TIMESTAMP WITH TIME ZONE)"

    @staticmethod
    def client_reads_differently(statement: str) -> str | None:
        """psql after ``standard_conforming_strings`` is turned off (a backslash escapes a quote), a
        ``COPY ... FROM STDIN``, or a backslash meta-command outside literals (``\\gexec``, ``\\i``)."""
        if _STANDARD_STRINGS.search(statement) and _OFF_AFTER_STANDARD_STRINGS.search(statement):
            return ("it turns standard_conforming_strings off: psql then reads a backslash in a string literal "
                    "as an escape, which the check does not model")
        if _COPY_FROM_STDIN.search(statement):
            return "COPY ... FROM STDIN: psql reads the lines after it as the rows to copy, not as statements"
        if "\\" in statement and _META_COMMAND.search(_outside_quotes(statement)):
            return "a psql backslash command outside literals (psql runs it, the server never sees it)"
        return None

    @staticmethod
    def reads_as(text: str, pieces: Sequence[str]) -> bool:
        """PostgreSQL's own parser (pglast, the ``postgresql`` extra), where it is installed, reads
        the text as that many statements and each piece as one."""
        try:
            import pglast
        except ImportError:
            return False
        try:
            return len(pglast.split(text)) == len(pieces) and all(len(pglast.split(p)) == 1 for p in pieces)
        except pglast.parser.ParseError:
            return False

    def prepare_offline(self) -> None:
        # Before 2.1, SQLAlchemy assumes backslash escapes in string literals until a server
        # says standard_conforming_strings is on, and doubles every backslash: PostgreSQL has
        # had it on by default since 9.1, so a value with one backslash would be stored with
        # two (Alembic on SQLAlchemy 2.0 writes that). 2.1 assumes what the server does; so
        # does limbeck, on every release.
        if getattr(self.dialect, "_backslash_escapes", False):
            self.dialect._backslash_escapes = False  # type: ignore[attr-defined]


@compiles(c.ColumnType, "postgresql")
def visit_column_type(element: c.ColumnType, compiler: Any, **kw: Any) -> str:
    text = f"{alter_column(compiler, element)} TYPE {format_type(compiler, element.type_)}"
    if element.using:
        text += f" USING {element.using}"
    return text


# PostgreSQL's ALTER TABLE ... RENAME TO takes a bare name (the table keeps its schema);
# its RENAME [COLUMN] c TO x is the generic form
compiles(c.RenameTable, "postgresql")(rename_table_in_place)


def _generated(identity: Any) -> str:
    return "ALWAYS" if identity.always else "BY DEFAULT"


#: identity attribute -> ``SET`` clause for a changed value (None: the attribute's "no" form)
_IDENTITY_SET: Mapping[str, Any] = {
    "always": lambda v: f"SET GENERATED {'ALWAYS' if v else 'BY DEFAULT'}",
    "cache": lambda v: f"SET CACHE {v}",
    "cycle": lambda v: "SET CYCLE" if v else "SET NO CYCLE",
    "increment": lambda v: f"SET INCREMENT BY {v}",
    "maxvalue": lambda v: f"SET MAXVALUE {v}",
    "minvalue": lambda v: f"SET MINVALUE {v}",
    "nomaxvalue": lambda v: "SET NO MAXVALUE" if v else None,
    "nominvalue": lambda v: "SET NO MINVALUE" if v else None,
    "start": lambda v: f"SET START WITH {v}",
}


@compiles(c.ColumnIdentity, "postgresql")
def visit_column_identity(element: c.ColumnIdentity, compiler: Any, **kw: Any) -> str:
    head = alter_column(compiler, element)
    new, old = element.identity, element.existing
    if new is None:
        return f"{head} DROP IDENTITY"
    if old is None:
        options = compiler.get_identity_options(new)
        return f"{head} ADD GENERATED {_generated(new)} AS IDENTITY" + (f" ({options})" if options else "")
    # alphabetical, so the same change always reads the same
    changes = []
    for attr in sorted(_IDENTITY_SET):
        value = getattr(new, attr, None)
        if attr == "always":
            value = bool(value)
        elif value is None:
            continue
        if value != (bool(getattr(old, attr, None)) if attr == "always" else getattr(old, attr, None)):
            clause = _IDENTITY_SET[attr](value)
            if clause:
                changes.append(clause)
    return f"{head} {' '.join(changes)}"


@compiles(SyncSerial, "postgresql")
def visit_sync_serial(element: SyncSerial, compiler: Any, **kw: Any) -> str:
    # https://www.postgresql.org/docs/current/functions-sequence.html: setval(..., false)
    # makes the next nextval() return the value itself
    preparer = compiler.preparer
    table = preparer.format_table(element.table)
    column = preparer.quote(element.column.name)
    literal = compiler.render_literal_value
    sequence = f"pg_get_serial_sequence({literal(table, String())}, {literal(element.column.name, String())})"
    return f"SELECT setval({sequence}, COALESCE(MAX({column}), 0) + 1, false) FROM {table}"


#: the setting named (``SET``, ``set_config('standard_conforming_strings', ...)``, quoted or not) ...
_STANDARD_STRINGS = re.compile(r"standard_conforming_strings", re.IGNORECASE)
#: ... and given a value that turns it off
_OFF_AFTER_STANDARD_STRINGS = re.compile(
    r"standard_conforming_strings\W*(?:=|\bTO\b|,)\W*(?:off|false|no|0|f)\b", re.IGNORECASE
)
#: ``COPY ... FROM STDIN``
_COPY_FROM_STDIN = re.compile(r"\bCOPY\b[^;]*\bFROM\s+STDIN\b", re.IGNORECASE)
#: a psql meta-command: a backslash and a letter (or ``!``), outside literals
_META_COMMAND = re.compile(r"\\[A-Za-z!?]")
_QUOTED = re.compile(rf"{DOLLAR_NAME}|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|({DOLLAR_TAG}).*?\1", re.DOTALL)


def _outside_quotes(text: str) -> str:
    """``text`` without its string literals, quoted identifiers and dollar-quoted bodies."""
    return _QUOTED.sub(" ", text)
