"""limbeck's deliberate departures from Alembic, as they show in the operation corpus.

Two kinds: ``RULES`` recognise a departure from its shape on any case (each
rule compares the two outcomes after undoing exactly that one departure, so
any other difference in the same case still fails), and ``LISTED`` names the
cases (``fnmatch`` patterns over case ids) and dialects of a departure that
has no general shape; a listed departure that no longer differs fails too.
Every reason is one the README states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fnmatch import fnmatchcase

from corpus_common import Outcome


class Why:
    SQLITE_ALTER = "SQLite's ALTER TABLE has no such form: Alembic writes SQL SQLite rejects; limbeck refuses and points to batch mode"
    SQLITE_COMMENTS = "SQLite keeps no comments: Alembic writes COMMENT ON, which SQLite rejects; limbeck refuses"
    SQLITE_FK_INLINE = "SQLite takes REFERENCES in ADD COLUMN: limbeck puts the foreign key inline where Alembic refuses"
    SQLITE_REFERENCES_SCHEMA = ("SQLite's REFERENCES takes no schema (the referenced table is in the same database): "
                                "Alembic's REFERENCES remote.t2 is a syntax error; limbeck leaves the schema out")
    MSSQL_COMMENT = "Alembic crashes on SQL Server comments without a schema; limbeck uses the default schema"
    NO_CLAUSE = "the database has no IF [NOT] EXISTS here: Alembic writes invalid SQL; limbeck leaves it out with a warning"
    DROPPED_IF_EXISTS = "MariaDB has DROP FOREIGN KEY IF EXISTS: Alembic silently drops the IF EXISTS asked for"
    DEFERRABLE = "the database has no deferrable constraints: Alembic writes DEFERRABLE/INITIALLY, which it rejects"
    DEFERRABLE_KIND = ("the database cannot defer this kind of constraint (PostgreSQL: CHECK; SQLite: all but foreign "
                       "keys): Alembic writes DEFERRABLE/INITIALLY, which it rejects; limbeck refuses")
    NOT_DEFERRABLE = "NOT DEFERRABLE is the only behaviour and the parser rejects the words: left out with a warning"
    MATCH = "no MATCH clause on this database: limbeck refuses (Alembic writes invalid SQL)"
    NEEDS_TABLE = "DROP INDEX needs the table here: Alembic renders 'ON no_table'"
    INLINE = ("Alembic silently drops the inline REFERENCES / PRIMARY KEY / column CHECK on this database; "
              "limbeck keeps it in the column")
    IDENTITY_INSERT = ("SET IDENTITY_INSERT only around rows that give an identity column a value (Alembic wraps every "
                       "bulk_insert and batch copy, which fails on tables without identity)")
    PG_SEQUENCE = "a rebuilt PostgreSQL table's sequence is moved past the copied ids (Alembic leaves it at 1)"
    SET_ORDER = "Alembic orders these by iterating a set (it varies from run to run); limbeck's order is fixed"
    OFFLINE_NAMED = ("offline SQL is rendered in the named paramstyle (the templates' dialect_opts): without it Alembic "
                     "doubles '%' inside literals for pyformat drivers, changing the data, and writes ?/%s placeholders")
    ORACLE_RETURNING_INTO = ("Oracle: no implicit RETURNING ... INTO :ret_0 on an INSERT, a bind variable a SQL*Plus "
                             "script never declares (README, deliberate differences)")
    SCALAR_DEFAULT = ("a column left out that has a plain-value Python default (default= / onupdate=) is written with "
                      "that value, as the online run inserts it; Alembic's script writes NULL (README)")
    ORACLE_COMMENT = ("Alembic's Oracle COMMENT ON COLUMN drops the schema and the quoting (the comment lands on "
                      "another table, or a reserved/mixed-case name fails); limbeck writes the full quoted name")
    SQLITE_CAST = ("batch copy into a type of INTEGER/REAL/NUMERIC affinity from a column that may hold text: SQLite's "
                   "CAST makes text that is not a number 0; copied without CAST the column keeps it")
    CHECK_RENAME = "a renamed column is renamed inside CHECK conditions (Alembic keeps the old name, which the new table rejects)"
    STALE_CHECK = ("the CHECK of a Boolean/Enum existing_type is dropped when the type changes (Alembic leaves it on "
                   "MySQL/MariaDB, where it keeps rejecting values the new type allows)")
    MYSQL_SET_DEFAULT_EXPR = "MySQL's SET DEFAULT takes a bare function only in parentheses: Alembic's form is rejected"
    MARIADB_KW = "mysql_* keywords also apply on MariaDB (Alembic/SQLAlchemy's mariadb dialect ignores them)"
    MSSQL_OBJECT_ID = "the table name inside object_id() is quoted like everywhere else (Alembic leaves it bare)"
    UNCHANGED_IDENTITY = "an unchanged identity emits nothing (Alembic writes an invalid bare ALTER COLUMN, or restates it)"
    SELF_REFERENCE = ("a rebuilt table's self-referencing foreign key points at the new table: Alembic's points at the "
                      "old one, so DROP TABLE of the old table fails (it is referenced) or, on SQLite with foreign "
                      "keys on, fails too")
    INLINE_REBUILD = ("add_column(inline_references=True) in a rebuilt table: Alembic's new table silently leaves the "
                      "column's foreign key out; limbeck keeps it")
    UNNAMED_ON_SQLITE = ("unnamed constraints and foreign keys added in a rebuild are named by the convention or "
                         "left unnamed, and work (Alembic raises 'Constraint must have a name')")
    PG_ENUM_REBUILD = ("a rebuild keeps the table's existing PostgreSQL ENUM type: Alembic writes CREATE TYPE for it "
                       "again, which fails (the type exists)")
    MARIADB_JSON_CAST = "MariaDB has no CAST(x AS JSON): the copy into a JSON column is left without it (Alembic's fails)"
    MYSQL_COMPUTED_RESTATE = ("MySQL/MariaDB: a computed column's new type is written by restating it with its generation "
                              "(autogenerate's existing_server_default=sa.Computed); Alembic refuses the change")
    INLINE_FK_NAME = ("add_column(inline_references=True) keeps the foreign key's name (CONSTRAINT fk REFERENCES ...): "
                      "Alembic drops it, so a later drop_constraint by that name finds nothing")
    DOTTED_SCHEMA = ("a schema with a dot is one quoted name, as SQLAlchemy's CREATE TABLE writes it: Alembic splits "
                     "it in its own ALTER statements only, so they name another table than the one it created")
    COMMENT_NONE = ("create_table_comment(t, None) removes the comment: Alembic writes COMMENT NULL / IS NULL, which "
                    "MySQL/MariaDB and Oracle reject, and on SQL Server adds a NULL-valued property")
    PHANTOM_PK = ("a rebuild on PostgreSQL does not drop a primary key the table does not have (a 'pk' naming "
                  "convention names one): Alembic's DROP CONSTRAINT fails")
    SQLITE_AUTOINCREMENT_PK = ("sqlite_autoincrement with a new primary key: AUTOINCREMENT on the new key only "
                               "(Alembic marks the old column PRIMARY KEY too: two primary keys, which SQLite rejects)")
    ALEMBIC_CRASH = "Alembic crashes building the construct; limbeck renders it (or refuses it with its own reason)"
    TABLE_COMMENT = "the table comment survives a rebuild (Alembic's new table silently loses it)"
    BOOLEAN_RENAME_CHECK = ("renaming a Boolean/Enum column in a rebuild keeps its named CHECK, renamed inside "
                            "(Alembic drops it when existing_type names it: the rebuilt column accepts any value)")
    BULK_MIXED_KEYS = ("online, bulk_insert rows that name different columns are inserted, each with the defaults of "
                       "the columns it leaves out (Alembic's executemany fails: 'A value is required for bind parameter')")
    INLINE_LITERAL_ONLINE = ("online, an op.inline_literal() value in bulk_insert rows is inserted as its value "
                             "(Alembic's fails to bind on SQLite and PostgreSQL, and on MySQL/MariaDB stores it with "
                             "its quotes: 'lit' becomes \"'lit'\")")
    SQLITE_REBUILD_DETAILS = ("a SQLite rebuild of a reflected table keeps its columns' COLLATE and the table's "
                              "AUTOINCREMENT, read from its definition (Alembic's reflection loses both: text compares "
                              "case-sensitively where it did not, and ids of deleted rows are reused)")
    COLUMN_INDEX_FLAG = ("a copy_from table's index made by Column(index=True) is recreated by the rebuild (Alembic's "
                         "new table silently leaves it out: the table loses the index)")
    SCHEMA_MOVED = ("a table in a named schema keeps its foreign key targets / ENUM types that name no schema in the "
                    "default schema (Alembic's rebuild moves them into the table's schema, or crashes building the "
                    "foreign key: NoReferencedTableError)")
    COMPUTED_DEFAULT = ("a server default for a computed or identity column is refused (Alembic's rebuilt table "
                        "says DEFAULT ... GENERATED ALWAYS AS (...), which the database rejects, or silently leaves "
                        "the default out of the identity column)")
    NEW_NAME_IN_BATCH = ("a batch operation names a column by the name an earlier operation of the batch gave it: "
                         "Alembic silently leaves a foreign key / unique constraint on it out (an index crashes)")
    WRITTEN_INDEX_COLUMN = ("a SQLite rebuild renames a renamed column in a partial index's WHERE and drops the indexes "
                            "whose WHERE or elements name a dropped column (Alembic keeps the old name: 'no such column')")
    CONVENTION_UNNAMED_CHECK = ("a reflected unnamed CHECK under a batch naming_convention needing %(constraint_name)s "
                                "is left out with a warning (Alembic crashes: the convention requires a name)")
    PG_FAILED_COPY_ERROR = ("a batch copy the rows break raises the database's IntegrityError on PostgreSQL (Alembic's "
                            "cleanup DROP TABLE in the aborted transaction raises InternalError instead)")


def _statements(outcome: Outcome) -> list[str] | None:
    return outcome.sql


def _error(outcome: Outcome) -> str:
    return f"{type(outcome.error).__name__}: {outcome.error}" if outcome.error is not None else ""


_SQLITE_INVALID = re.compile(
    r"ALTER COLUMN|ADD CONSTRAINT|DROP CONSTRAINT|ADD (CHECK|UNIQUE|PRIMARY KEY|FOREIGN KEY)|ADD COLUMN .* PRIMARY KEY")


def _sqlite_alter(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    return (dialect == "sqlite" and theirs.sql is not None and "batch" in _error(ours)
            and any(_SQLITE_INVALID.search(s) for s in theirs.sql))


def _sqlite_comments(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    return (dialect == "sqlite" and theirs.sql is not None and "comments" in _error(ours)
            and any(s.startswith("COMMENT ON") for s in theirs.sql))


def _sqlite_fk_inline(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    return (dialect == "sqlite" and "No support for ALTER of constraints" in _error(theirs) and ours.sql is not None
            and any("ADD COLUMN" in s and "REFERENCES" in s for s in ours.sql))


def _mssql_comment(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    return (dialect == "mssql" and type(theirs.error).__name__ in ("AttributeError", "AssertionError")
            and ours.sql is not None and any("extendedproperty" in s for s in ours.sql))


def _same_after(transform_theirs: Callable[[str], str], transform_ours: Callable[[str], str] = lambda s: s,
                drop: Callable[[str], bool] = lambda s: False) -> Callable[[str, Outcome, Outcome], bool]:
    def rule(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
        if theirs.sql is None or ours.sql is None:
            return False
        return ([transform_theirs(s) for s in theirs.sql if not drop(s)]
                == [transform_ours(s) for s in ours.sql if not drop(s)])
    return rule


def _on(dialects: str, rule: Callable[[str, Outcome, Outcome], bool]) -> Callable[[str, Outcome, Outcome], bool]:
    return lambda dialect, theirs, ours: dialect in dialects.split() and rule(dialect, theirs, ours)


def _refused(dialects: str, alembic_says: str, limbeck_says: str) -> Callable[[str, Outcome, Outcome], bool]:
    def rule(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
        return (dialect in dialects.split() and limbeck_says in _error(ours)
                and theirs.sql is not None and any(re.search(alembic_says, s) for s in theirs.sql))
    return rule


_INLINE_TAIL = re.compile(r"( REFERENCES \S+ \([^)]*\)( ON (DELETE|UPDATE) [A-Z ]+?)*( DEFERRABLE| NOT DEFERRABLE)?"
                          r"( INITIALLY \w+)?| PRIMARY KEY| CHECK \(.*\))$")


def _inline(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    if dialect not in ("mssql", "oracle") or theirs.sql is None or ours.sql is None or len(theirs.sql) != len(ours.sql):
        return False
    extra = [o[len(t):] for t, o in zip(theirs.sql, ours.sql) if o != t]
    return bool(extra) and all(o.startswith(t) for t, o in zip(theirs.sql, ours.sql)) and all(
        _INLINE_TAIL.fullmatch(e) for e in extra)


def _fk_lines_sorted(statement: str) -> str:
    lines = statement.split("\n")
    fks = sorted(line.strip().rstrip(",") for line in lines if line.strip().startswith("FOREIGN KEY"))
    others = [line.strip().rstrip(",") for line in lines if not line.strip().startswith("FOREIGN KEY")]
    return "\n".join(others + fks)


def _set_order(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    if theirs.sql is None or ours.sql is None or theirs.sql == ours.sql:
        return False
    def norm(sql: list[str]) -> list[str]:
        kept = [_fk_lines_sorted(s) for s in sql if " ADD FOREIGN KEY" not in s]
        return kept + sorted(s for s in sql if " ADD FOREIGN KEY" in s)
    return norm(theirs.sql) == norm(ours.sql)


def _oracle_comment(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    if dialect != "oracle" or theirs.sql is None or ours.sql is None or len(theirs.sql) != len(ours.sql):
        return False
    pattern = re.compile(r"COMMENT ON COLUMN (\S+) IS")
    for t, o in zip(theirs.sql, ours.sql):
        if t == o:
            continue
        mt, mo = pattern.match(t), pattern.match(o)
        if not (mt and mo and t[mt.end():] == o[mo.end():]):
            return False
        if not mo.group(1).replace('"', "").lower().endswith(mt.group(1).lower()):
            return False
    return True


_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\?")


def _offline_named(dialect: str, theirs: Outcome, ours: Outcome) -> bool:
    if dialect not in ("sqlite", "postgresql", "mysql", "mariadb") or theirs.sql is None or ours.sql is None:
        return False
    norm_theirs = [_PLACEHOLDER.sub("?", s).replace("%%", "%") for s in theirs.sql]
    return norm_theirs == [re.sub(r"(?<![:\w]):\w+", "?", s) for s in ours.sql]


_SQLITE_CAST = re.compile(r"CAST\((\w+\.\w+) AS (INTEGER|FLOAT|REAL|NUMERIC|BOOLEAN|DATE|DATETIME|TIME|JSON)\) AS \w+")


def _is_identity_insert(statement: str) -> bool:
    return "SET IDENTITY_INSERT" in statement


RULES: list[tuple[str, Callable[[str, Outcome, Outcome], bool]]] = [
    (Why.SQLITE_ALTER, _sqlite_alter),
    (Why.SQLITE_COMMENTS, _sqlite_comments),
    (Why.SQLITE_FK_INLINE, _sqlite_fk_inline),
    (Why.MSSQL_COMMENT, _mssql_comment),
    (Why.NO_CLAUSE, _same_after(lambda s: re.sub(r" IF (NOT )?EXISTS", "", s))),
    (Why.DEFERRABLE, _refused("mysql mariadb mssql", r"\b(DEFERRABLE|INITIALLY)\b", "cannot be deferred")),
    (Why.DEFERRABLE_KIND, _refused("sqlite postgresql", r"\b(DEFERRABLE|INITIALLY)\b", "constraints cannot be deferred")),
    (Why.NOT_DEFERRABLE, _on("mysql mariadb mssql sqlite", _same_after(
        lambda s: s.replace(" NOT DEFERRABLE", "").replace(" INITIALLY IMMEDIATE", "")))),
    (Why.MATCH, _refused("mssql oracle", r"\bMATCH\b", "no MATCH clause")),
    (Why.NEEDS_TABLE, _refused("mysql mariadb mssql", r"\bno_table\b", "must name it")),
    (Why.INLINE, _inline),
    (Why.IDENTITY_INSERT, _on("mssql", _same_after(lambda s: s, drop=_is_identity_insert))),
    (Why.PG_SEQUENCE, _on("postgresql", _same_after(lambda s: s, drop=lambda s: s.startswith("SELECT setval(")))),
    (Why.SET_ORDER, _set_order),
    (Why.OFFLINE_NAMED, _offline_named),
    (Why.ORACLE_COMMENT, _oracle_comment),
    (Why.SQLITE_CAST, _on("sqlite", _same_after(lambda s: _SQLITE_CAST.sub(r"\1", s)))),
]


def systematic(dialect: str, theirs: Outcome, ours: Outcome) -> str | None:
    if theirs.error is None and ours.error is None and (theirs.sql, theirs.text) == (ours.sql, ours.text):
        return None  # the same script: what differs (a warning) is no SQL departure
    for reason, rule in RULES:
        if rule(dialect, theirs, ours):
            return reason
    return None


#: case id pattern -> {dialects (space separated): reason}
LISTED: dict[str, dict[str, str]] = {
    "ops.add_column_fk_remote_schema_inline": {"sqlite": Why.SQLITE_REFERENCES_SCHEMA},
    "data.execute_table_insert_new_key": {"oracle": Why.ORACLE_RETURNING_INTO},
    "data.bulk_scalar_default": {"sqlite postgresql mysql mariadb mssql oracle default": Why.SCALAR_DEFAULT},
    "data.execute_insert_scalar_default": {"sqlite postgresql mysql mariadb mssql oracle default": Why.SCALAR_DEFAULT},
    "data.execute_insert_explicit_none": {"oracle": Why.ORACLE_RETURNING_INTO},
    "data.execute_update_scalar_onupdate": {"sqlite postgresql mysql mariadb mssql oracle default": Why.SCALAR_DEFAULT},
    "ops.add_column_fk_inline_quoting_[34]": {"sqlite": Why.SQLITE_REFERENCES_SCHEMA},
    "ops.add_column_fk_inline_actions_3": {"mssql": Why.DEFERRABLE},
    "ops.add_column_fk_inline_actions_5": {"mssql oracle": Why.MATCH},
    "ops.alter_set_func_default*": {"mysql": Why.MYSQL_SET_DEFAULT_EXPR},
    "dialects.mysql_set_func_default_existing_type": {"mysql": Why.MYSQL_SET_DEFAULT_EXPR},
    "dialects.mysql_literal_column_default_func": {"mysql": Why.MYSQL_SET_DEFAULT_EXPR},
    "ops.add_column_inline_references_named_fk": {"sqlite postgresql mssql oracle default": Why.INLINE_FK_NAME},
    "ops.drop_column_dotted_schema": {"sqlite postgresql mysql mariadb oracle default": Why.DOTTED_SCHEMA},
    "ops.create_table_comment_none": {"mysql mariadb mssql oracle": Why.COMMENT_NONE},
    "batch.pk_convention_without_pk_always": {"postgresql": Why.PHANTOM_PK},
    "batch.sqlite_autoincrement_new_pk_always": {"sqlite": Why.SQLITE_AUTOINCREMENT_PK},
    "ops.alter_from_boolean_named*": {"mysql mariadb": Why.STALE_CHECK},
    "ops.alter_from_unnamed_enum_check_convention_needs_name": {"mysql mariadb": Why.STALE_CHECK},
    "dialects.mysql_from_named_boolean_drop_default": {"mysql mariadb": Why.STALE_CHECK},
    "batch.boolean_to_int_auto": {"mysql mariadb": Why.STALE_CHECK},
    "ops.alter_identity_2": {"postgresql oracle": Why.UNCHANGED_IDENTITY},
    "dialects.exclude_text": {"sqlite postgresql mysql mariadb mssql oracle default": Why.ALEMBIC_CRASH},
    "dialects.mysql_create_table_engine": {"mariadb": Why.MARIADB_KW},
    "dialects.mysql_index_*": {"mariadb": Why.MARIADB_KW},
    "dialects.mysql_alter_generated_rename": {"mysql mariadb": Why.ALEMBIC_CRASH},
    "dialects.mysql_alter_generated_comment": {"mysql mariadb": Why.ALEMBIC_CRASH},
    "dialects.mysql_alter_generated_computed_type": {"mysql mariadb": Why.MYSQL_COMPUTED_RESTATE},
    "dialects.mysql_alter_generated_autoincrement": {"mysql mariadb": Why.ALEMBIC_CRASH},
    "dialects.drop_fk_if_exists": {"mariadb": Why.DROPPED_IF_EXISTS},
    "dialects.mssql_drop_check_keyword_names": {"mssql": Why.MSSQL_OBJECT_ID},
    "batch.table_comment_always": {"postgresql mysql mariadb mssql oracle": Why.TABLE_COMMENT},
    "batch.rename_col_literal_ck_auto": {"sqlite": Why.CHECK_RENAME},
    "batch.rename_col_literal_ck_always": {"sqlite postgresql mssql oracle default": Why.CHECK_RENAME},
    "batch.rename_col_sql_ck_always": {"postgresql mssql": Why.CHECK_RENAME},
    "batch.change_type_sql_ck_always": {"postgresql": Why.OFFLINE_NAMED, "mssql": Why.IDENTITY_INSERT},
    "batch.rename_col_enum_always": {"postgresql": Why.PG_ENUM_REBUILD, "mssql": Why.IDENTITY_INSERT},
    "batch.change_types_json_always": {"mariadb": Why.MARIADB_JSON_CAST, "mssql": Why.IDENTITY_INSERT},
    "batch.drop_col_selfref_auto": {"sqlite": Why.SELF_REFERENCE},
    "batch.selfref_target_renamed_always": {"sqlite postgresql mssql oracle default": Why.SELF_REFERENCE},
    "batch.drop_col_selfref_always": {"sqlite postgresql mysql mariadb mssql oracle default": Why.SELF_REFERENCE},
    "batch.regen_multi_fk*_always": {"postgresql mssql": Why.SET_ORDER},
    "batch.nc_add_uq_auto": {"sqlite": Why.UNNAMED_ON_SQLITE},
    "batch.nc_add_uq_always": {"sqlite postgresql mysql mariadb mssql oracle default": Why.UNNAMED_ON_SQLITE},
    "batch.nc_add_fk_auto": {"sqlite": Why.UNNAMED_ON_SQLITE},
    "batch.add_fk_col_not_inline_references_auto": {"sqlite": Why.UNNAMED_ON_SQLITE},
    "batch.add_fk_col_not_inline_references_always": {"sqlite postgresql mysql mariadb mssql oracle default": Why.UNNAMED_ON_SQLITE},
    "batch.add_fk_col_inline_references_always": {"sqlite postgresql mysql mariadb mssql oracle default": Why.INLINE_REBUILD},
    "batch.schema_fk_default_schema_target_always": {
        "sqlite postgresql mysql mariadb mssql oracle default": Why.SCHEMA_MOVED},
    "batch.computed_col_server_default_always": {
        "sqlite postgresql mysql mariadb mssql oracle default": Why.COMPUTED_DEFAULT},
    "batch.identity_col_server_default_always": {
        "sqlite postgresql mysql mariadb mssql oracle default": Why.COMPUTED_DEFAULT},
    "batch.copy_from_column_index_flag_always": {
        "sqlite postgresql mysql mariadb mssql oracle default": Why.COLUMN_INDEX_FLAG},
    "batch.nc_add_fk_always": {"sqlite postgresql mysql mariadb mssql oracle default": Why.UNNAMED_ON_SQLITE},
}


def listed(case_id: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pattern, table in LISTED.items():
        if fnmatchcase(case_id, pattern):
            for dialects, reason in table.items():
                for dialect in dialects.split():
                    found.setdefault(dialect, reason)
    return found
