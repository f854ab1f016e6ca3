"""MySQL: implicit commits, ``CHANGE`` / ``MODIFY`` restating the whole column.

https://dev.mysql.com/doc/refman/8.0/en/alter-table.html. MySQL cannot
change one property of a column: ``MODIFY`` (or ``CHANGE`` for a rename)
restates type, nullability, default, auto-increment and comment, so
``alter_column`` needs ``existing_type`` and should be given the other
``existing_*`` facts, which would otherwise be reset. A default alone is the
exception (``ALTER COLUMN ... SET/DROP DEFAULT``) where that form can carry
it. MariaDB shares this module (:mod:`limbeck.dialects.mariadb` adds its
differences); the visit functions are registered under both SQLAlchemy
dialect names and ask the dialect (``is_mariadb``) where the two differ.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import Computed, Identity
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import (
    BindParameter,
    ClauseElement,
    ColumnClause,
    False_,
    Grouping,
    Null,
    TextClause,
    True_,
)
from sqlalchemy.types import DateTime, TypeEngine, to_instance

from limbeck.compiler import constructs as c
from limbeck.compiler.alter_column import (
    ColumnChange,
    check_alter_column,
    with_type_constraints,
)
from limbeck.compiler.ansi import (
    add_column_text,
    alter_table,
    format_column,
    format_table,
    format_type,
    render_server_default,
    string_literal,
)
from limbeck.compiler.constraints import drop_constraint_element
from limbeck.compiler.statement import Statement, ddl
from limbeck.compiler.support import unsupported, warn
from limbeck.dialects.base import (
    CatalogFacts,
    ClientSyntax,
    DialectBehaviour,
    Lowering,
    VersionGuardSQL,
)
from limbeck.dialects.guard_sql import Guard, quote, rows_wrong
from limbeck.errors import RefusedAsAlembic
from limbeck.operations import ops

_F = Callable[..., str]


def mysql_compiles(construct: type) -> Callable[[_F], _F]:
    """``@compiles`` for both names MySQL-family dialects go by."""

    def register(fn: _F) -> _F:
        return compiles(construct, "mysql", "mariadb")(fn)

    return register


def lower_alter_column_mysql(op: ops.AlterColumnOp, behaviour: DialectBehaviour) -> list[Statement]:
    """``CHANGE`` / ``MODIFY`` with the whole column, or ``ALTER COLUMN ... SET/DROP DEFAULT`` for a default alone.

    ``CHANGE c c`` rather than ``MODIFY c`` exactly where Alembic writes it (a
    rename, or a date/time type *instance* unless the default is being
    dropped), so a script does not change when a team switches tools; both
    mean the same to the server. A default alone keeps its short form unless
    that form cannot carry it: ``ON UPDATE`` belongs to the column
    definition, and MySQL's ``SET DEFAULT`` takes only a literal or a
    parenthesized expression.
    """
    defaults = (op.modify_server_default, op.existing_server_default)
    identity = any(isinstance(d, Identity) for d in defaults)
    computed = any(isinstance(d, Computed) for d in defaults)
    if (identity or computed) and op.modify_nullable is not None:
        raise _no_generated_alter(op, behaviour)
    change = check_alter_column(op, behaviour, identity=False)
    if change.autoincrement is not None and (identity or computed):
        raise _no_generated_alter(op, behaviour)
    if identity and (change.type_ is not None or change.changes_comment or change.name):
        raise _no_generated_alter(op, behaviour)
    type_ = change.type_ if change.type_ is not None else change.existing_type
    restates = (
        change.type_ is not None or change.nullable is not None or change.name or change.changes_comment
        or change.autoincrement is not None
    )
    alembic_change = bool(change.name) or (is_datetime_instance(type_) and change.default is not None)
    why = ""  # Alembic's sentence below says it
    if not restates:
        if not change.changes_default:
            return []
        default = change.default
        if not (alembic_change or needs_column_definition(default, type_, behaviour)):
            if default is not None and not behaviour.set_default_expressions and is_bare_expression(default):
                default = Grouping(default)  # MySQL 8.0.13+: SET DEFAULT (expr)
            return [ddl(c.ColumnDefault(op.table_name, op.column_name, default, **change.existing()), op)]
        alembic_change = True
        why = " (this default can only be set by restating the whole column with CHANGE)"
    if type_ is None:
        alembic = "All MySQL CHANGE/MODIFY COLUMN operations require the existing type."
        raise RefusedAsAlembic(
            f"alter_column({op.table_name}.{op.column_name}) on {behaviour.name}: {alembic[:-1]}.{why} Pass existing_type=.",
            alembic,
        )
    return with_type_constraints(op, behaviour, [ddl(restated_column(change, type_, behaviour, change_form=alembic_change), op)])


def _no_generated_alter(op: ops.AlterColumnOp, behaviour: DialectBehaviour) -> Exception:
    """Alembic's refusal (a ``NotImplementedError``) of a change to a computed or identity column here.

    Alembic refuses every change to such a column (or crashes, on a rename,
    comment or ``autoincrement``). limbeck restates a computed column with its
    generation for a new type, name or comment (the type change Alembic's
    autogenerate writes with ``existing_server_default=sa.Computed(...)``),
    and refuses as Alembic does where a restated column would be wrong: a
    nullability change (MariaDB takes no ``NULL`` / ``NOT NULL`` on a generated
    column), ``AUTO_INCREMENT`` on a generated column, and any change to an
    ``Identity`` one (``MODIFY`` would drop the ``AUTO_INCREMENT`` it stands for).
    """
    return unsupported(
        op, behaviour, "Individual alter column constructs not supported by MySQL",
        "restate the generated column with op.execute(), or drop it and add it again", alembic=True,
    )


def restated_column(change: ColumnChange, type_: Any, behaviour: DialectBehaviour, *, change_form: bool) -> c.RestateColumn:
    """The column as it will be: the requested changes merged into the ``existing_*`` facts."""
    op = change.op
    nullable = change.nullable if change.nullable is not None else change.existing_nullable
    if nullable is None:
        warn(op, behaviour, "neither nullable= nor existing_nullable= given: CHANGE/MODIFY makes the column NULL")
        nullable = True
    autoincrement = change.autoincrement if change.autoincrement is not None else change.existing_autoincrement
    return c.RestateColumn(
        op.table_name, op.column_name, newname=change.name or (op.column_name if change_form else None), type_=type_,
        nullable=nullable, default=change.default if change.changes_default else change.existing_default,
        autoincrement=bool(autoincrement), comment=change.comment if change.changes_comment else change.existing_comment,
        schema=op.schema,
    )


def is_datetime_instance(type_: Any) -> bool:
    """Alembic's test for ``CHANGE c c``: a date/time type instance (``sa.DateTime`` as a class is not)."""
    return isinstance(type_, TypeEngine) and type_._type_affinity is DateTime


#: a default MySQL's ``SET DEFAULT`` takes as written: NULL, a boolean, a number, a quoted string
_LITERAL = re.compile(r"NULL|TRUE|FALSE|[-+]?(\d+\.?\d*|\.\d+)(E[-+]?\d+)?|[BXN]?'([^']|'')*'", re.IGNORECASE)
_ON_UPDATE = re.compile(r"\bON\s+UPDATE\b", re.IGNORECASE)


def is_bare_expression(default: Any) -> bool:
    """A SQL expression default that is neither a literal nor in parentheses (``NOW()``)."""
    if isinstance(default, (str, BindParameter, Null, True_, False_, Grouping)):
        return False
    if isinstance(default, TextClause) or (isinstance(default, ColumnClause) and default.is_literal):
        # literal_column("42") is text too: a literal in it stays bare, as Alembic writes it
        text = (default.text if isinstance(default, TextClause) else default.name).strip()
        return not (_LITERAL.fullmatch(text) or (text.startswith("(") and text.endswith(")")))
    return isinstance(default, ClauseElement)


def needs_column_definition(default: Any, type_: Any, behaviour: DialectBehaviour) -> bool:
    """Whether a new default can only be set by restating the column.

    ``ON UPDATE`` exists only in a column definition (MySQL and MariaDB
    reject it after ``SET DEFAULT``); MySQL also rejects a bare function
    such as ``CURRENT_TIMESTAMP`` there, which a date/time column takes
    unparenthesized in its definition.
    """
    if default is None:
        return False
    if isinstance(default, TextClause) and _ON_UPDATE.search(default.text):
        return True
    if behaviour.set_default_expressions or type_ is None:
        return False
    return is_bare_expression(default) and to_instance(type_)._type_affinity is DateTime


def lower_drop_constraint_mysql(op: ops.DropConstraintOp, behaviour: DialectBehaviour) -> list[Statement]:
    if op.constraint_type is None:
        raise unsupported(
            op, behaviour, "No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type",
            "pass type_= ('foreignkey', 'primary', 'unique' or 'check')", alembic=True,
        )
    element = drop_constraint_element(op, behaviour)
    if op.constraint_type == "primary" and element.if_exists:
        warn(op, behaviour, "if_exists=True ignored: DROP PRIMARY KEY has no IF EXISTS")
        element.if_exists = False
    return [ddl(element, op)]


def version_guard(guard: Guard, compiler: Any) -> str:
    """A ``SELECT`` that fails (error 1242) only when its ``CASE`` reaches a subquery of two rows.

    Neither MySQL nor MariaDB has a conditional error outside stored programs
    (``SIGNAL`` exists only inside them).
    """
    table = guard.table
    if guard.expected is None:
        schema = quote(compiler, table.schema) if table.schema else "DATABASE()"
        condition = (
            "(SELECT COUNT(*) FROM information_schema.tables "
            f"WHERE table_schema = {schema} AND table_name = {quote(compiler, table.name)}) <> 0"
        )
    else:
        condition = rows_wrong(compiler, guard)
    return (
        f"SELECT CASE WHEN {condition} THEN (SELECT {quote(compiler, guard.message)} UNION ALL SELECT NULL) "
        "ELSE 'ok' END AS limbeck_guard"
    )


#: a compound statement's body belongs to a stored program (procedure, function, trigger, event:
#: https://dev.mysql.com/doc/refman/8.0/en/sql-compound-statements.html); MariaDB adds packages and
#: ``BEGIN NOT ATOMIC`` blocks outside them (https://mariadb.com/kb/en/begin-end/). Anywhere in a text,
#: even in a literal: such a text is not vouched for
_STORED_PROGRAM_WORD = re.compile(r"\b(?:TRIGGER|PROCEDURE|FUNCTION|EVENT|PACKAGE|ATOMIC)\b", re.IGNORECASE)
_BEGIN = re.compile(r"\bBEGIN\b", re.IGNORECASE)
_TRANSACTION_BEGIN = re.compile(r"BEGIN(?:\s+WORK)?", re.IGNORECASE)


class MySQLBehaviour(DialectBehaviour):
    name: ClassVar[str] = "mysql"
    alembic_impl: ClassVar[str] = "MySQLImpl"
    display_name: ClassVar[str] = "MySQL"
    # https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html
    transactional_ddl: bool = False
    # every DDL statement commits what is open, before and after itself
    ddl_commits_implicitly: ClassVar[bool] = True
    names_ignore_case: ClassVar[bool] = True  # column names, backquoted or not, on every platform
    # only CREATE TABLE IF NOT EXISTS and DROP TABLE IF EXISTS; MySQL 8 has no
    # IF [NOT] EXISTS for columns, indexes or constraints (MariaDB does)
    if_exists_clauses: ClassVar[frozenset[str]] = frozenset({"create_table", "drop_table"})
    # https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html: no
    # deferred checking; MATCH is parsed but disables ON DELETE/UPDATE
    deferrable_kinds: ClassVar[frozenset[str] | None] = frozenset()
    deferral_clause_kinds: ClassVar[frozenset[str] | None] = frozenset()
    foreign_key_match: ClassVar[bool] = False
    foreign_key_match_refusal: ClassVar[str] = (
        "MySQL ignores the 'MATCH' keyword while at the same time causes ON UPDATE/ON DELETE clauses to be ignored."
    )
    # DROP INDEX ix ON t
    drop_index_needs_table: ClassVar[bool] = True
    # https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html (MariaDB inherits it)
    migration_lock: ClassVar[str | None] = "get_lock"
    sqlglot_dialect: ClassVar[str | None] = "mysql"
    # ALTER COLUMN ... SET DEFAULT takes only a literal or "(expr)", no bare NOW():
    # https://dev.mysql.com/doc/refman/8.0/en/alter-table.html
    set_default_expressions: ClassVar[bool] = False
    # the mysql client: backslash escapes, `identifiers`, "# comments" and "-- " (with its space)
    client_syntax: ClassVar[ClientSyntax] = ClientSyntax(
        backslash_escapes=True, backtick_identifiers=True, hash_comments=True, delimiter_command=True
    )
    # the mysql client stops at the first error unless --force is given
    # (https://dev.mysql.com/doc/refman/8.0/en/mysql-command-options.html#option_mysql_force)
    version_guard: ClassVar[VersionGuardSQL | None] = VersionGuardSQL(
        version_guard, "fails with error 1242 (subquery returns more than 1 row) when it does not"
    )
    # https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html: CREATE / DROP
    # TEMPORARY TABLE commit nothing (CREATE INDEX does); a rollback keeps the table.
    # https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html: InnoDB
    # indexes every foreign key.
    # https://dev.mysql.com/doc/refman/8.0/en/numeric-type-syntax.html: BOOLEAN is
    # TINYINT(1), and the (1) is a display width
    # https://dev.mysql.com/doc/refman/8.0/en/create-index.html: an expression key part
    # is written in parentheses; a UNIQUE constraint is a unique index
    catalog: ClassVar[CatalogFacts] = CatalogFacts(
        probe=True, probe_drop="DROP TEMPORARY TABLE {table}", foreign_key_indexes=True, restrict_is_default=True,
        index_expression_parentheses="key_parts", unique_constraints_are_indexes=True,
        type_synonyms={"BOOLEAN": "TINYINT"}, display_only_params=frozenset({"TINYINT"}),
    )
    LOWERINGS: ClassVar[Mapping[type, Lowering]] = {
        **DialectBehaviour.LOWERINGS,
        ops.AlterColumnOp: lower_alter_column_mysql,
        ops.DropConstraintOp: lower_drop_constraint_mysql,
    }

    @classmethod
    def datetime_literal(cls, value: datetime.datetime) -> str | None:
        """An aware datetime as its wall-clock time, without the offset, as the drivers send it online
        (PyMySQL's and mysqlclient's literals drop the time zone): MariaDB refuses an offset in a
        datetime literal ("Incorrect datetime value"), and MySQL 8.0.19 and later would convert it
        to the session's time zone, storing another value than the online run does
        (https://dev.mysql.com/doc/refman/8.0/en/date-and-time-literals.html)."""
        if value.tzinfo is None:
            return None
        return f"'{value.replace(tzinfo=None).isoformat(sep=' ')}'"

    @staticmethod
    def client_delimiter(text: str) -> str | None:
        """``//`` (longer where the text holds it) for a stored program's ``BEGIN ... END``
        body with a ``;`` inside: the mysql client would end the statement there and send the
        server half a trigger or procedure (a syntax error), so the script sets
        ``DELIMITER //`` before the text and back after it, as a hand-written MySQL script does
        (https://dev.mysql.com/doc/refman/8.0/en/stored-programs-defining.html). The client then
        sends the text whole, as the driver does online."""
        if ";" not in text.rstrip().rstrip(";") or not (_STORED_PROGRAM_WORD.search(text) and _BEGIN.search(text)):
            return None
        mark = "//"
        while mark in text:
            mark += "/"
        return mark

    @staticmethod
    def client_reads_differently(statement: str) -> str | None:
        """A ``sql_mode`` with ``NO_BACKSLASH_ESCAPES`` or ``ANSI_QUOTES``: literals and quotes read otherwise."""
        if _SQL_MODE.search(statement) and _SQL_MODE_CHANGES_READING.search(statement):
            return ("it sets sql_mode with NO_BACKSLASH_ESCAPES or ANSI_QUOTES (or a mode holding one): the "
                    "client and server then read quotes and backslashes otherwise, which the check does not model")
        if _CONDITIONAL_COMMENT.search(statement):
            return ("a /*! ... */ conditional comment: the server runs what it holds, and the client cuts at a ';' "
                    "inside it, which the check does not model")
        if "\\" in statement and _CLIENT_COMMAND.search(_outside_quotes(statement)):
            return "a mysql client command (\\g, \\G, ...) outside literals: the client acts on it, the server never sees it"
        return None

    @staticmethod
    def server_text(text: str) -> str:
        """``text`` with its ``/*! ... */`` and ``/*M! ... */`` conditional comments opened: their
        markers become blanks (offsets are kept), their body stays. The server runs the body ("as it
        would any other SQL statement", https://dev.mysql.com/doc/refman/8.0/en/comments.html; MariaDB's
        ``/*M!`` too, https://mariadb.com/kb/en/comment-syntax/), whatever version number follows the
        ``!``: which server the script meets is not known, so a reader takes it as run."""
        if not _CONDITIONAL_COMMENT.search(text):
            return text
        out: list[str] = []
        pos, inside = 0, False
        for m in _LEXEME.finditer(text):
            token = m.group()
            if token.startswith("/*") and _CONDITIONAL_OPEN.match(token) and not inside:
                out += [text[pos : m.start()], " " * len(token)]
                inside = True
            elif token == "*/" and inside:
                out += [text[pos : m.start()], "  "]
                inside = False
            else:
                continue
            pos = m.end()
        out.append(text[pos:])
        return "".join(out)

    @staticmethod
    def reads_as(text: str, pieces: Sequence[str]) -> bool:
        """No word of a stored program in the text: then it holds no compound (``BEGIN ... END``)
        body, the one place MySQL's grammar has a ``;`` inside a statement, so the client's cuts
        (at a ``;`` outside literals and comments) are where the server's statements end too."""
        if _STORED_PROGRAM_WORD.search(text) or _DASHES_AND_CONTROL.search(text):
            # "--" and a control character: a comment to the server, not to the client, which cuts at the ';'
            return False
        # BEGIN outside a stored program starts a transaction ("BEGIN" or "BEGIN WORK", alone); any
        # other is a block the server would refuse whole as well as cut, and is not vouched for either
        return all(_TRANSACTION_BEGIN.fullmatch(piece) or not _BEGIN.search(piece) for piece in pieces)


@mysql_compiles(c.AddColumn)
def visit_add_column(element: c.AddColumn, compiler: Any, **kw: Any) -> str:
    # a column's REFERENCES clause takes no constraint name in MySQL
    return add_column_text(compiler, element, named_refs=False)


@mysql_compiles(c.RenameTable)
def visit_rename_table(element: c.RenameTable, compiler: Any, **kw: Any) -> str:
    # an unqualified new name would move the table to the connection's database
    new = format_table(compiler, element.new_table_name, element.schema)
    return f"{alter_table(compiler, element)} RENAME TO {new}"


@mysql_compiles(c.RestateColumn)
def visit_restate_column(element: c.RestateColumn, compiler: Any, **kw: Any) -> str:
    column = format_column(compiler, element.column_name)
    if element.newname:
        head = f"{alter_table(compiler, element)} CHANGE {column} {format_column(compiler, element.newname)}"
    else:
        head = f"{alter_table(compiler, element)} MODIFY {column}"
    default = element.default
    nullability = " NULL" if element.nullable else " NOT NULL"
    generated = ""
    if isinstance(default, Computed):
        # restated without it, the column would stop being generated; MariaDB takes no
        # NULL / NOT NULL on a generated column (https://mariadb.com/kb/en/generated-columns/)
        generated = f" {compiler.process(default)}"
        nullability = "" if getattr(compiler.dialect, "is_mariadb", False) else nullability
    if isinstance(default, (Computed, Identity)):
        # MySQL has no identity: AUTO_INCREMENT says it
        default = None
    text = f"{head} {format_type(compiler, element.type_)}{generated}{nullability}"
    if element.autoincrement:
        text += " AUTO_INCREMENT"
    if default is not None:
        text += f" DEFAULT {render_server_default(compiler, default, element.type_)}"
    if element.comment is not None:
        text += f" COMMENT {string_literal(compiler, element.comment)}"
    return text


@mysql_compiles(c.TableComment)
def visit_table_comment(element: c.TableComment, compiler: Any, **kw: Any) -> str:
    # an empty comment is no comment
    return f"{alter_table(compiler, element)} COMMENT {string_literal(compiler, element.comment or '')}"


#: ``drop_constraint(type_=...)`` -> what follows ``ALTER TABLE t DROP``
_DROP_KIND: Mapping[str, str] = {
    "foreignkey": "FOREIGN KEY",
    "unique": "INDEX",
    "check": "CHECK",
}


@mysql_compiles(c.DropConstraint)
def visit_drop_constraint(element: c.DropConstraint, compiler: Any, **kw: Any) -> str:
    constraint = element.element
    table = compiler.preparer.format_table(constraint.table)
    if element.type_ == "primary":
        return f"ALTER TABLE {table} DROP PRIMARY KEY"
    kind = _DROP_KIND[str(element.type_)]
    if kind == "CHECK" and compiler.dialect.is_mariadb:
        # MariaDB names CHECK constraints like any other: DROP CONSTRAINT
        kind = "CONSTRAINT"
    exists = " IF EXISTS" if element.if_exists else ""
    return f"ALTER TABLE {table} DROP {kind}{exists} {compiler.preparer.format_constraint(constraint)}"


#: ``sql_mode`` named anywhere in the statement (``SET sql_mode``, ``SET @a = 1, sql_mode``, ``SET STATEMENT``)
_SQL_MODE = re.compile(r"\bsql_mode\b", re.IGNORECASE)
#: the modes that change how quotes and backslashes read (the compound ones set ANSI_QUOTES)
_SQL_MODE_CHANGES_READING = re.compile(
    r"NO_BACKSLASH_ESCAPES|ANSI_QUOTES|\b(?:ANSI|ORACLE|MSSQL|POSTGRESQL|DB2|MAXDB)\b", re.IGNORECASE
)
#: MySQL's ``/*! ... */`` and MariaDB's ``/*M! ... */``
_CONDITIONAL_COMMENT = re.compile(r"/\*M?!")
#: a mysql client command: a backslash and a letter outside literals
_CLIENT_COMMAND = re.compile(r"\\[A-Za-z]")
_DASHES_AND_CONTROL = re.compile(r"--[\x00-\x08\x0b\x0c\x0e-\x1f]")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"|`(?:[^`]|``)*`", re.DOTALL)
#: a conditional comment's opening marker, with the server version that follows it
_CONDITIONAL_OPEN = re.compile(r"/\*M?!\d*")
#: what a MySQL reader steps over whole (literals, quoted names, comments), a conditional comment's
#: opening marker and a comment's end
_LEXEME = re.compile(
    _QUOTED.pattern + r"|--[ \t][^\n]*|\#[^\n]*|/\*M?!\d*|/\*.*?\*/|\*/", re.DOTALL
)


def _outside_quotes(text: str) -> str:
    """``text`` without its string literals and quoted identifiers."""
    return _QUOTED.sub(" ", text)
