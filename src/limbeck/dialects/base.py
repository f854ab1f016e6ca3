"""What limbeck needs to know about a database, as data.

A dialect module is a small subclass of :class:`DialectBehaviour` that sets
flags (terminator, batch separator, transactional DDL, transaction text) and,
where the database needs different SQL, overrides entries of the ``LOWERINGS``
table (operation record type -> lowering function) and registers
``@compiles`` variants of limbeck's constructs. No dialect writes output or
touches a connection: the emitter reads these flags and does that.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from limbeck.compiler.lowering import DEFAULT_LOWERINGS

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.types import TypeEngine

    from limbeck.compiler.statement import Statement

#: a lowering function: operation record + behaviour -> statements
Lowering = Callable[[Any, "DialectBehaviour"], "list[Statement]"]


class StatementValidator(enum.Enum):
    """What judges each statement under ``--validate`` (see :mod:`limbeck.review.validate`)."""

    #: sqlglot, a lenient transpiler, reading the behaviour's ``sqlglot_dialect``
    SQLGLOT = "sqlglot"
    #: PostgreSQL's own parser (pglast, the ``postgresql`` extra); sqlglot where it is not installed
    PGLAST = "pglast"
    #: the statements run, in order, on an in-memory database (Python's sqlite3)
    IN_MEMORY_SQLITE = "sqlite"


class LocalServer(enum.Enum):
    """A server ``--validate`` may start on this machine for a script when no scratch database is named."""

    #: initdb and pg_ctl of the machine's PostgreSQL installation (limbeck.review.temporary_server)
    POSTGRESQL = "postgresql"


#: a dollar quote's tag, as PostgreSQL's lexer (and psql's) reads one: ``$``, an optional name
#: that does not start with a digit, ``$``
DOLLAR_TAG = r"\$(?:[^\W\d]\w*)?\$"
#: an unquoted name that holds a ``$`` (allowed after its first character): the lexer reads it
#: whole, so a ``$x$`` inside ``a$x$b`` opens no dollar quote; read left to right, it starts where
#: no letter or digit stands before it (a ``$`` may: a dollar quote's closing tag)
DOLLAR_NAME = r"(?<!\w)[^\W\d]\w*\$[\w$]*"


@dataclass(frozen=True)
class ClientSyntax:
    """How the database's command-line client reads a script: where a statement ends.

    The offline script is run by psql, mysql/mariadb, sqlite3, sqlcmd or
    SQL*Plus, not by a driver; the emitter renders for that client and the
    script check (:mod:`limbeck.review.script_check`) cuts the script the
    way it does. The terminator and batch separator are the behaviour's own
    flags; these are what else decides the cut.
    """

    #: ``'it\\'s'``: a backslash escapes the next character in string literals (MySQL)
    backslash_escapes: bool = False
    #: ``$tag$ ... $tag$`` strings, and ``E'...'`` with backslash escapes (PostgreSQL)
    dollar_quotes: bool = False
    #: ``[a;b]`` quoted identifiers (SQL Server, SQLite)
    bracket_identifiers: bool = False
    #: `` `a;b` `` quoted identifiers (MySQL, SQLite)
    backtick_identifiers: bool = False
    #: ``# comment`` lines, and ``--`` is a comment only when followed by a space (MySQL)
    hash_comments: bool = False
    #: ``CREATE TRIGGER ... BEGIN ...; END;`` is one statement: inside it only
    #: ``; END ;`` ends it (sqlite3's ``sqlite3_complete()``)
    trigger_bodies: bool = False
    #: SQL*Plus: line by line; plain SQL ends at a ``;`` at the end of a line, a
    #: blank line (buffered, not run) or a ``/`` line (runs the buffer, again if
    #: it already ran); PL/SQL blocks end only at ``/`` (https://docs.oracle.com/
    #: en/database/oracle/oracle-database/23/sqpug/SQL-Plus-basics.html)
    sqlplus: bool = False
    #: sqlcmd: a batch goes to the server whole, at its separator line; a ``;`` inside it is the
    #: server's to read, never the client's cut (the check cuts batches at ``;`` only to line
    #: them up with the stream's statements)
    batches_only: bool = False
    #: mysql: a ``DELIMITER x`` line (where a statement would start) makes ``x`` what ends statements
    delimiter_command: bool = False
    #: psql (14 and later): in ``CREATE [OR REPLACE] FUNCTION|PROCEDURE``, a ``;`` inside a
    #: ``BEGIN ... END`` block (``BEGIN ATOMIC``, an SQL-standard body) ends nothing
    routine_blocks: bool = False


class MultiStatementDriver:
    """What the stairway's held text needs from a driver that runs several statements sent as one.

    The default binds nothing itself: a statement with parameters is then
    sent on its own, as SQLAlchemy sends it.
    """

    def inliner(self, dbapi_connection: Any) -> Callable[[str, Any], str | None] | None:
        """For one connection: ``(statement, parameters) -> text`` with the parameters written in as
        literals, quoted as the driver quotes them (None where a value cannot be); None: the driver cannot."""
        return None

    def rowcounts(self, cursor: Any) -> list[int]:
        """The row count of each statement of the text ``cursor`` just ran, in order."""
        return [cursor.rowcount]

    def ahead(self, dbapi_connection: Any) -> TextsAhead | None:
        """For one connection: a way to send a text without waiting for its answer; None: the driver has none."""
        return None


@dataclass
class Answer:
    """What a text sent ahead came back with (see :class:`TextsAhead`)."""

    #: the driver's error, if a statement of the text failed
    error: Exception | None = None
    #: the row count of each statement of the text, in order (when counted and it ran)
    counts: list[int] | None = None
    #: after a failure: whether the probe statement ran (None: none was given)
    reached: bool | None = None
    #: the place in the text of the statement that failed, counting one result per statement (None: unknown)
    index: int | None = None


class TextsAhead(Protocol):
    """Texts sent to the server while the caller goes on; one at a time.

    Whatever else runs on the connection meanwhile (through the driver,
    even on its raw connection) runs after the text, as if it had waited,
    and after what :attr:`before_other` gives (statements the caller holds).
    """

    #: called before anything else runs on the connection, once the text out has answered without
    #: error: a text the caller still holds, to run first (with whether to count its rows), or None
    before_other: Callable[[], tuple[str, bool] | None] | None

    def send(self, text: str, *, counted: bool, probe: str | None) -> bool:
        """Start ``text``; False: it cannot leave now (nothing was sent: run it as usual).

        ``counted``: keep each statement's row count. ``probe``: a statement
        run right after a failure, whose success says how far the text got.
        """

    def answered(self) -> bool:
        """Whether the text sent last has been answered in full (asks the connection without waiting)."""

    def answer(self) -> Answer:
        """Wait for the text sent last, and say what came back."""

    def close(self) -> None:
        """Wait for the text sent last, if any, and put the connection back as it was."""


@dataclass(frozen=True)
class VersionGuardSQL:
    """How ``--guard`` stops an offline script on this database (see :mod:`limbeck.review.guards`).

    The guard reads the version table and fails when it does not hold the rows
    the script starts from; the client then stops, if it is run as ``how_to_run``
    says.
    """

    #: the guard statement's SQL: (the guard, SQLAlchemy's statement compiler) -> text;
    #: see :mod:`limbeck.dialects.guard_sql` for what a guard holds
    render: Callable[[Any, Any], str]
    #: how the script must be run for a failed guard to stop it (the comment above the guard)
    how_to_run: str
    #: the guard is a procedural block (DO, IF ... THROW, PL/SQL), which sqlglot has no grammar for
    procedural: bool = False


@dataclass(frozen=True)
class EnumTypeSQL:
    """Statements that change the values of an enum type kept apart from tables (PostgreSQL).

    Placeholders: ``{type}``, ``{new}`` (quoted names), ``{value}``, ``{other}``
    (string literals), ``{values}`` (a literal list), ``{table}``, ``{column}``,
    ``{default}`` (SQL text).
    """

    add_value: str
    add_value_before: str
    add_value_after: str
    rename: str
    create: str
    retype_column: str
    drop_default: str
    set_default: str
    drop: str


@dataclass(frozen=True)
class CatalogFacts:
    """How the database describes its own schema: what autogenerate can trust, and ask it.

    Autogenerate compares the models with what SQLAlchemy reflects; where a
    database rewrites expressions (check conditions, generated columns, index
    expressions and WHERE clauses) the models' expressions are put in the
    database's words before comparing, by one of two means.
    """

    #: the catalog keeps each CREATE TABLE and CREATE INDEX as written (SQLite's
    #: sqlite_master): a query of rows (type, name, sql) for the table ``:table``;
    #: ``{schema}`` is the schema prefix ("main." or "other.")
    ddl_text_query: str | None = None
    #: the table keyword a CREATE TABLE written with AUTOINCREMENT was made with, which
    #: reflection does not report (a batch rebuild puts it back)
    autoincrement_kwarg: str | None = None
    #: the database rewrites expressions; the models' ones are created on a
    #: temporary table inside a savepoint and reflected back
    probe: bool = False
    #: the statement dropping that table where a rollback leaves it (``{table}``)
    probe_drop: str | None = None
    #: indexes can be created on the temporary table without committing anything
    probe_indexes: bool = False
    #: an INTEGER PRIMARY KEY is the rowid: reported nullable, never NULL
    rowid_primary_key: bool = False
    #: every foreign key lacking an index gets one the database names itself
    foreign_key_indexes: bool = False
    #: ``ON DELETE/UPDATE RESTRICT`` is the default behaviour and reflected as no clause (MySQL);
    #: elsewhere RESTRICT is a clause of its own (checked at once, where NO ACTION may wait)
    restrict_is_default: bool = False
    #: identity columns exist and are reflected as such
    identity_columns: bool = False
    #: a column's server default that is an expression (not a number or a quoted
    #: string) takes parentheses
    expression_defaults_in_parentheses: bool = False
    #: how an index's expression element is put in parentheses when rendered for a
    #: revision: "grouped" (any expression but a bare column, as in CREATE INDEX),
    #: "key_parts" (operators and functions: a functional key part), "" (as it is)
    index_expression_parentheses: str = ""
    #: a unique constraint is a unique index (reflected as one): which of the two it
    #: is follows the model object of that name
    unique_constraints_are_indexes: bool = False
    #: a unique constraint's index is reported as an index as well (PostgreSQL)
    unique_constraints_indexed: bool = False
    #: server defaults whose texts differ are asked of the database (``SELECT a = b``),
    #: which rewrites expressions (``substring('x', 1, 3)`` comes back in its own words)
    defaults_compared_by_query: bool = False
    #: dialect options of indexes and unique constraints compared (reflected as set or not)
    compared_index_options: tuple[str, ...] = ()
    #: autogenerate's ``Detected changed index`` line says what changed element by element
    #: (``expression number 1 to 2``, ``expression #1 'x' to 'y'``), as Alembic's impl for
    #: the database words it; else the column tuples (``expression ('x',) to ('x', 'y')``)
    index_changes_by_element: bool = False
    #: enum types are schema objects of their own, changed by these statements
    enum_types: EnumTypeSQL | None = None
    #: type names the database reports for another (``FLOAT`` for ``DOUBLE PRECISION``):
    #: name -> the name autogenerate compares, after the synonyms every database shares
    type_synonyms: Mapping[str, str] = field(default_factory=dict)
    #: types whose parameters describe display only (MySQL's ``TINYINT(1)``): a
    #: difference in them is no change of type
    display_only_params: frozenset[str] = frozenset()
    #: the sequences owned by a column (a serial's), as rows (table, column, sequence)
    #: of the schema ``:schema``: such a column's ``nextval(...)`` default is its
    #: autoincrement, not a default to compare
    owned_sequences_query: str | None = None
    #: the catalog keeps a default as it was written (SQLite's CREATE TABLE text): a
    #: number compares as written (``5`` is not ``5.0``, as with Alembic), since a
    #: changed one, once written, reads back the same
    default_numbers_as_written: bool = False


def registry_name(dialect: Dialect) -> str:
    """The registry key for a SQLAlchemy dialect (MariaDB through a mysql driver included)."""
    name = str(dialect.name)
    if name == "mysql" and getattr(dialect, "is_mariadb", False):
        return "mariadb"
    return name


class DialectBehaviour:
    """Facts about one database, with per-run overrides from ``configure()``."""

    #: SQLAlchemy ``dialect.name`` this behaviour applies to ("default" for any other)
    name: ClassVar[str] = "default"
    #: how messages name the database
    display_name: ClassVar[str] = "this database"
    #: the name of Alembic's impl class for this database (``alembic.ddl``), which a
    #: project subclasses to name a third-party dialect's database after this one
    alembic_impl: ClassVar[str] = "DefaultImpl"
    #: whether DDL can be rolled back; decides BEGIN/COMMIT framing offline and
    #: whether a whole upgrade is one transaction online (a class default that
    #: ``configure(transactional_ddl=...)`` overrides per instance)
    transactional_ddl: bool = False
    #: appended to each statement offline unless the text already ends with it
    statement_terminator: ClassVar[str] = ";"
    #: a line after each statement (and after COMMIT) offline, for tools that
    #: run scripts batch by batch; ``None`` for databases that need none
    batch_separator: str | None = None
    #: ``configure()`` keyword that overrides ``batch_separator`` (Alembic's names)
    batch_separator_option: ClassVar[str | None] = None
    #: an INSERT keeps the clause SQLAlchemy adds to fetch a new key back (``RETURNING`` on
    #: PostgreSQL, SQLite, MariaDB; ``OUTPUT inserted`` on SQL Server), as in Alembic's script:
    #: ``op.execute()`` of a ``Table``'s INSERT, and the version table's INSERT, which is compiled
    #: as Alembic's is (its value an expression, not a parameter); a module whose form of the
    #: clause is not valid in a script turns it off
    implicit_returning: ClassVar[bool] = True
    begin_sql: ClassVar[str] = "BEGIN"
    commit_sql: ClassVar[str] = "COMMIT"
    #: offline, the batch separator follows ``begin_sql`` as it follows every
    #: other statement (SQL Server's ``BEGIN TRANSACTION`` is not followed by ``GO``)
    begin_separated: ClassVar[bool] = False
    #: online, DDL runs inside the transaction limbeck opens, so a rollback undoes it
    #: (whatever ``transactional_ddl`` says: that flag decides offline framing and
    #: whether a whole run is one transaction)
    ddl_rolls_back_online: ClassVar[bool] = False
    #: online, the driver opens no transaction before DDL on its own (pysqlite's
    #: legacy transaction control): limbeck sends ``begin_sql`` itself before the
    #: first statement of each transaction it opens (see ``runs_before_transaction``)
    driver_defers_begin: ClassVar[bool] = False
    #: DDL commits the open transaction (MySQL, MariaDB, Oracle): a transaction the
    #: caller opened before ``configure()`` has really ended at the first DDL
    ddl_commits_implicitly: ClassVar[bool] = False
    #: how the database's client cuts a script into statements
    client_syntax: ClassVar[ClientSyntax] = ClientSyntax()
    #: order of the separate ALTERs one ``alter_column`` makes (see compiler.columns)
    alter_column_order: ClassVar[tuple[str, ...]] = ("nullable", "default", "type", "comment", "name")
    #: statements that take ``IF [NOT] EXISTS`` here, by operation: "create_table",
    #: "drop_table", "add_column", "drop_column", "create_index", "drop_index",
    #: "drop_constraint"; elsewhere the clause is left out with a warning
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset(
        {"create_table", "drop_table", "add_column", "drop_column", "create_index", "drop_index", "drop_constraint"}
    )
    #: ``alter_column(server_default=Identity())`` over a plain ``existing_server_default``
    #: drops the default first (the database refuses an identity on a column with a default)
    identity_drops_default: ClassVar[bool] = False
    #: constraints (by ``__visit_name__``) that can be ``DEFERRABLE`` / ``INITIALLY DEFERRED``;
    #: None: every kind (SQL standard, Oracle)
    deferrable_kinds: ClassVar[frozenset[str] | None] = None
    #: constraints whose syntax takes the words at all (``NOT DEFERRABLE``, ``INITIALLY
    #: IMMEDIATE``, which describe what every constraint does without them); None: every kind
    deferral_clause_kinds: ClassVar[frozenset[str] | None] = None
    #: ``MATCH FULL|PARTIAL|SIMPLE`` on foreign keys
    foreign_key_match: ClassVar[bool] = True
    #: why ``MATCH`` is refused (where ``foreign_key_match`` is off): SQLAlchemy's words where it refuses too
    foreign_key_match_refusal: ClassVar[str] = ""
    #: ``alter_column`` can add, change and drop GENERATED ... AS IDENTITY
    alter_identity: ClassVar[bool] = False
    #: DROP INDEX names the table (the index belongs to it, not to the schema)
    drop_index_needs_table: ClassVar[bool] = False
    #: ``alter_column``'s ``postgresql_using`` needs a ``type_`` (Alembic refuses it alone; elsewhere the
    #: keyword is another database's and is passed over)
    using_needs_type: ClassVar[bool] = False
    #: ``ALTER COLUMN ... SET DEFAULT`` takes a bare SQL expression (``NOW()``), not only a
    #: literal or ``(expr)`` (read where the MySQL family's lowering decides its form)
    set_default_expressions: ClassVar[bool] = True
    #: constraint names are unique per schema, not per table: batch mode drops the
    #: old table's named constraints before the new table takes the names over
    constraint_names_per_schema: ClassVar[bool] = False
    #: a serial column draws from a sequence of its own: reflected, its default names
    #: the old table's sequence (left out of the new table, which makes its own), and
    #: after batch mode's copy the new sequence is moved past the copied values
    serial_sequences: ClassVar[bool] = False
    #: explicit values for an identity column are refused unless ``SET IDENTITY_INSERT``
    #: is on: batch mode switches it around its copy of the rows
    identity_insert: ClassVar[bool] = False
    #: a foreign key cannot name a schema: the referenced table is in the referencing
    #: table's own schema, so batch mode's new table qualifies it as such
    unqualified_references: ClassVar[bool] = False
    #: column names compare without regard to case even when quoted (``"Col"`` names column
    #: ``col``): batch mode renames a column in CHECK / index text wherever it is so written
    names_ignore_case: ClassVar[bool] = False
    #: a URL's database is a file path (``:memory:`` aside): two URLs name the same
    #: database when their paths resolve to the same file
    database_is_a_file: ClassVar[bool] = False
    #: dialect-keyword prefix -> another prefix the same keywords are copied to
    #: (MariaDB reads ``mariadb_*`` where scripts written for MySQL say ``mysql_*``)
    dialect_kw_aliases: ClassVar[Mapping[str, str]] = {}
    #: how an online run takes the migration lock: a key of
    #: ``limbeck.runtime.locking.LOCK_METHODS``; ``None`` runs unlocked
    migration_lock: ClassVar[str | None] = None
    #: session settings for a throwaway database (the stairway's, limbeck.testing): they
    #: make its commits cheaper and change nothing a migration sees; run outside a transaction
    scratch_session_sql: ClassVar[tuple[str, ...]] = ()
    #: drivers (SQLAlchemy's ``dialect.driver``) that run several ``;``-separated statements
    #: sent as one text without parameters, and how: the stairway sends a move's statements that way
    multi_statement_drivers: ClassVar[Mapping[str, MultiStatementDriver]] = {}
    #: the database has non-blocking forms of DDL that ``limbeck lint`` asks for
    #: (CREATE/DROP INDEX CONCURRENTLY, NOT VALID constraints, lock_timeout) and
    #: the lock model the plan reports; see limbeck.review.lint.locks
    lock_lint: ClassVar[bool] = False
    #: the other words that end a transaction as COMMIT / ROLLBACK do (PostgreSQL's ``END`` and
    #: ``ABORT``); elsewhere ``END`` closes a block (T-SQL, PL/SQL, a MySQL compound statement)
    transaction_end_words: ClassVar[frozenset[str]] = frozenset()
    #: what judges each statement under ``--validate`` (see :class:`StatementValidator`)
    statement_validator: ClassVar[StatementValidator] = StatementValidator.SQLGLOT
    #: the server ``--validate`` may start on this machine, in a temporary folder, to run the
    #: script on when no scratch database is named; ``None``: none, the parser alone judges
    temporary_server: ClassVar[LocalServer | None] = None
    #: sqlglot's name for the database, which validation and lint read statements
    #: in (https://sqlglot.com/sqlglot/dialects.html); ``None``: sqlglot has none
    sqlglot_dialect: ClassVar[str | None] = None
    #: an INTERVAL type SQLAlchemy renders literals for; elsewhere an offline script writes
    #: a ``timedelta`` as SQLAlchemy stores a non-native Interval: the epoch plus the interval
    native_interval: ClassVar[bool] = False
    #: a bytes value as a literal, ``{hex}`` its upper-case hex digits (the SQL standard's
    #: binary string, https://www.sqlite.org/lang_expr.html#literal_values_constants_)
    binary_literal: ClassVar[str] = "X'{hex}'"
    #: how ``--guard`` stops a script that starts at the wrong revision; ``None``: the
    #: database cannot stop a script on a condition, the guard is a comment saying what to check
    version_guard: ClassVar[VersionGuardSQL | None] = None
    #: what autogenerate needs to know about the catalog (see :class:`CatalogFacts`)
    catalog: ClassVar[CatalogFacts] = CatalogFacts()
    #: operation record type -> lowering function; resolved along the record's MRO
    LOWERINGS: ClassVar[Mapping[type, Lowering]] = DEFAULT_LOWERINGS

    @staticmethod
    def client_delimiter(text: str) -> str | None:
        """The delimiter the offline script sets for the client around ``text`` (None: the
        terminator ends it, as usual); see :meth:`MySQLBehaviour.client_delimiter
        <limbeck.dialects.mysql.MySQLBehaviour.client_delimiter>`."""
        return None

    @staticmethod
    def reads_as(text: str, pieces: Sequence[str]) -> bool:
        """Whether the database reads ``text`` as exactly ``pieces``, the statements its client cut it into.

        The script check (:mod:`limbeck.review.script_check`) asks this when the client cuts one
        statement of the stream into several: only the database's grammar can tell several
        statements in one ``op.execute()`` text, which the client rightly runs one by one, from one
        statement whose body the client cut apart. Where nothing answers for the grammar, no: the
        cut stays a failure.
        """
        return False

    @staticmethod
    def server_text(text: str) -> str:
        """``text`` as the server executes it, for a reader of plain SQL (lint): the text itself,
        except where the server runs what looks like a comment (MySQL's ``/*! ... */``)."""
        return text

    @staticmethod
    def client_reads_differently(statement: str) -> str | None:
        """Why, after ``statement``, the client cuts the rest of the script in a way the check cannot model.

        A statement that changes how the client (or the server) reads what follows: the
        script check then cannot say the script cuts back into the stream's statements,
        nor validation that what it ran is what the client runs. None for most.
        """
        return None

    def __init__(self, dialect: Dialect, opts: Mapping[str, Any] | None = None) -> None:
        opts = opts or {}
        self.dialect = dialect
        self.opts = opts
        override = opts.get("transactional_ddl")
        #: effective flag for this run (``configure(transactional_ddl=...)`` wins)
        self.transactional_ddl = type(self).transactional_ddl if override is None else bool(override)
        separator = type(self).batch_separator
        if self.batch_separator_option and self.batch_separator_option in opts:
            separator = opts[self.batch_separator_option] or None
        self.batch_separator = separator
        #: what lowering keeps for the rest of the run (see SchemaObjects.for_behaviour)
        self.run_cache: dict[str, Any] = {}

    @property
    def dialect_name(self) -> str:
        """limbeck's name for the database, as reports and scripts say it.

        The registry key (``mariadb`` for a MariaDB server behind a mysql
        driver too), or SQLAlchemy's name for a database limbeck has no module
        for (whose behaviour's ``name`` is ``default``).
        """
        return registry_name(self.dialect)

    #: for a database with no module of its own whose SQLAlchemy dialect says it keeps no
    #: comments, ``create_table_comment`` / ``drop_table_comment`` still write COMMENT ON TABLE,
    #: as Alembic's generic behaviour does (nothing says the database rejects it); a module for a
    #: database known to reject it (SQLite) sets this off, and the calls are refused
    assumes_table_comments: ClassVar[bool] = True

    @property
    def supports_comments(self) -> bool:
        """Whether the database stores table and column comments at all."""
        return bool(self.dialect.supports_comments)

    @property
    def writes_table_comments(self) -> bool:
        """Whether ``create_table_comment`` / ``drop_table_comment`` write a statement (else they are refused)."""
        return self.supports_comments or self.assumes_table_comments

    @property
    def inline_comments(self) -> bool:
        """Whether comments are part of CREATE TABLE / column definitions (MySQL)."""
        return bool(self.dialect.supports_comments and self.dialect.inline_comments)

    def batch_copy_cast(self, source: TypeEngine[Any], target: TypeEngine[Any]) -> TypeEngine[Any] | None:
        """The type batch mode CASTs a column to when it copies the rows (``None``: as is).

        As Alembic: a CAST only where the type's affinity changes (VARCHAR(50)
        to VARCHAR(20) copies as is, INTEGER to NUMERIC casts).
        """
        return None if source._type_affinity is target._type_affinity else target

    def batch_needs_recreate(self, op: Any) -> bool:
        """Whether ``op`` makes a ``recreate="auto"`` batch rebuild the table ("move and copy").

        The default, Alembic's: never; the database alters the table in place.
        """
        return False

    def batch_cannot_alter(self, op: Any) -> bool:
        """Whether ALTER TABLE has no form for ``op``: what ``recreate="never"`` refuses."""
        return False

    @classmethod
    def datetime_literal(cls, value: datetime.datetime) -> str | None:
        """An offline literal for ``value`` where SQLAlchemy's is refused or misread; ``None``: SQLAlchemy's.

        A class method: literals are rendered by a SQLAlchemy compiler, which
        knows the dialect and not the run (see :mod:`limbeck.runtime.literals`).
        """
        return None

    def reflected_default(self, text: str) -> str:
        """The server default text a batch rebuild writes for a default reflected as ``text``."""
        return text

    def prepare_offline(self) -> None:
        """Set up a dialect that renders a script with no database to ask (offline runs).

        SQLAlchemy fills in some of a dialect's settings from the server at connect time; an
        offline script keeps its defaults, which a database may need corrected here.
        """

    def runs_before_transaction(self, stmt: Statement) -> bool:
        """Whether ``stmt``, issued first in a transaction, runs ahead of the driver BEGIN.

        Only asked where ``driver_defers_begin`` is set: statements that set up
        the connection and take effect only outside a transaction.
        """
        return False

    def ignored_in_transaction(self, stmt: Statement) -> bool:
        """Whether the database silently ignores ``stmt`` inside a transaction (limbeck warns)."""
        return False

    def keyword_for_another_database(self, prefix: str) -> bool:
        """Whether ``<prefix>_...`` keywords are meant for another database limbeck knows.

        Scripts that target several databases pass each one's keywords
        (``postgresql_using`` while compiling for MySQL): those are passed over
        in silence; one for this database, or for none, that nothing reads gets
        a warning.
        """
        from limbeck.dialects import registered  # the registry imports this module

        return prefix not in (self.name, self.dialect.name) and prefix in registered()

    def lowering_for(self, op_type: type) -> Lowering | None:
        """The lowering registered for ``op_type`` or its nearest base class."""
        table = type(self).LOWERINGS
        for klass in op_type.__mro__:
            fn = table.get(klass)
            if fn is not None:
                return fn
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} transactional_ddl={self.transactional_ddl}>"
