"""The lint rules: stable ids, a level each, and what they look at.

Statement rules read the facts of each statement (see :mod:`.facts`) with
the revision's scope: a table the same revision created is new, so changing
it locks or rewrites nothing anyone uses yet. Revision rules read a
revision's records as a whole. Ids never change meaning; retired ids are
not reused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from limbeck.compiler.statement import FAILURE_HINTS, Kind
from limbeck.review.lint import facts as f
from limbeck.review.stream import UNRENDERED, Record

ERROR, WARNING = "error", "warning"


@dataclass
class Scope:
    """What the rules know about the revision being read."""

    revision: str
    dialect: str
    #: the database's lock model applies (CONCURRENTLY, NOT VALID, lock_timeout: see dialects.base)
    lock_lint: bool = False
    #: lower-cased names of tables and indexes this revision created so far
    created: set[str] = field(default_factory=set)
    created_indexes: set[str] = field(default_factory=set)
    #: settings (``lock_timeout``...) in force: set by env.py or earlier in the stream
    settings: set[str] = field(default_factory=set)
    #: of those, the ones ``SET LOCAL`` made (gone at the next COMMIT)
    local_settings: set[str] = field(default_factory=set)
    #: lower-cased tables a LOCK TABLE that blocks writes holds (until the next COMMIT)
    locked: set[str] = field(default_factory=set)
    #: rule id -> level, where the configuration changes a rule's (``off`` skips it)
    levels: dict[str, str] = field(default_factory=dict)
    #: rule ids that report once per revision and have
    reported: set[str] = field(default_factory=set)

    def existing(self, table: str | None) -> bool:
        return table is not None and table.lower() not in self.created

    def existing_index(self, index: str | None) -> bool:
        return index is None or index.lower() not in self.created_indexes

    def learn(self, fact: f.Fact) -> None:
        """What a statement teaches the rules after it: tables and indexes created, settings made."""
        if fact.action == f.CREATE_TABLE and fact.table:
            self.created.add(fact.table.lower())
        elif fact.action == f.RENAME_TABLE and fact.table and fact.new_name and fact.table.lower() in self.created:
            self.created.add(fact.new_name.lower())
        elif fact.action == f.CREATE_INDEX and fact.index:
            self.created_indexes.add(fact.index.lower())
        elif fact.action == f.LOCK and fact.table and fact.lock_mode in f.WRITE_BLOCKING:
            self.locked.add(fact.table.lower())
        elif fact.action == f.SET and fact.setting == "*" and fact.unset:
            self.settings.clear()
            self.local_settings.clear()
        elif fact.action == f.SET and fact.setting and fact.unset:
            self.settings.discard(fact.setting)  # RESET, TO DEFAULT, a timeout of 0: none in force
            self.local_settings.discard(fact.setting)
        elif fact.action == f.SET and fact.setting:
            self.settings.add(fact.setting)
            if fact.local:
                self.local_settings.add(fact.setting)


StatementCheck = Callable[[Record, f.Fact, Scope], "str | None"]
RevisionCheck = Callable[[Sequence[Record], Scope], "list[tuple[str, Record | None]]"]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: str
    summary: str
    statement: StatementCheck | None = None
    revision: RevisionCheck | None = None


def _qualified(fact: f.Fact) -> str:
    return f"{fact.table}.{fact.column}" if fact.column else str(fact.table)


# -- statement rules ------------------------------------------------------------------------
def drop_table(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if fact.action == f.DROP_TABLE and scope.existing(fact.table) and not fact.batch:
        return f"drops table {fact.table} and every row in it"
    if fact.action == f.DROP_SCHEMA and fact.cascade:
        return f"drops schema {fact.name} with CASCADE: every table in it goes, and every row in them"
    return None


def drop_column(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if fact.action == f.DROP_COLUMN and scope.existing(fact.table):
        return f"drops column {_qualified(fact)} and its data; code still reading it breaks"
    if fact.action == f.DROP_TYPE and fact.cascade:
        return f"drops type {fact.name} with CASCADE: every column of that type goes, and its data"
    return None


def rename(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    # an index rename (ALTER INDEX ... RENAME) breaks no query: not this rule
    if fact.action == f.RENAME_TABLE and not fact.batch:
        return f"renames table {fact.table} to {fact.new_name}; code using the old name breaks until it is deployed"
    if fact.action == f.RENAME_COLUMN and scope.existing(fact.table):
        return f"renames column {_qualified(fact)} to {fact.new_name}; code using the old name breaks until it is deployed"
    return None


def not_null_without_default(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    # a server default fills only rows inserted later: SET NOT NULL still fails on
    # the NULLs already there, default or not
    if fact.action == f.SET_NOT_NULL and scope.existing(fact.table):
        lock = " (PostgreSQL scans the table under an ACCESS EXCLUSIVE lock)" if scope.lock_lint else ""
        alternative = (
            "; or add CHECK (... IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ skips the scan)"
            if scope.lock_lint else ""
        )
        return (
            f"makes {_qualified(fact)} NOT NULL: fails if an existing row holds NULL, even with a server default, "
            f"which fills only new rows{lock}; backfill the NULLs first{alternative}"
        )
    if fact.action == f.ADD_COLUMN and not fact.nullable and not fact.has_default and scope.existing(fact.table):
        return f"adds NOT NULL column {_qualified(fact)} without a server default; fails on a table with rows"
    return None


def empty_table_only(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    """An ADD COLUMN the database takes only while the table is empty (the lowering says so)."""
    hints = record.info.get(FAILURE_HINTS, ())
    if fact.action != f.ADD_COLUMN or not hints or not scope.existing(fact.table):
        return None
    if not fact.nullable and not fact.has_default:
        return None  # LB004 reports it
    return f"adds column {_qualified(fact)}, which fails on a table with rows: {hints[0][1]}"


def type_change(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if fact.action == f.CHANGE_TYPE and scope.existing(fact.table):
        return f"changes the type of {_qualified(fact)}; may rewrite the table under an exclusive lock or fail on data"
    return None


def index_not_concurrent(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if scope.lock_lint and fact.action == f.CREATE_INDEX and not fact.concurrently and scope.existing(fact.table):
        return (
            f"creates an index on existing table {fact.table} without CONCURRENTLY; writes are blocked while it "
            "builds (use postgresql_concurrently=True inside op.get_context().autocommit_block())"
        )
    return None


def concurrently_in_transaction(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if scope.lock_lint and fact.no_transaction and record.in_transaction:
        return f"{fact.no_transaction} inside a transaction fails; wrap it in autocommit_block()"
    if not scope.lock_lint or not fact.concurrently:
        return None
    if fact.action in (f.CREATE_INDEX, f.DROP_INDEX, f.REINDEX) and fact.in_block:
        return f"CONCURRENTLY on {fact.table or fact.index} inside a DO block fails, in a transaction or not; run it as a statement of its own"
    # in_transaction reads the framing and a COMMIT / BEGIN the revision wrote as SQL (an
    # op.execute("BEGIN") inside autocommit_block() opens one again)
    if fact.action in (f.CREATE_INDEX, f.DROP_INDEX, f.REINDEX) and record.in_transaction:
        verb = {f.CREATE_INDEX: "CREATE INDEX", f.DROP_INDEX: "DROP INDEX", f.REINDEX: "REINDEX"}[fact.action]
        return f"{verb} CONCURRENTLY on {fact.table or fact.index} inside a transaction fails; wrap it in autocommit_block()"
    return None


def constraint_not_valid(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if not scope.lock_lint:
        return None
    if fact.action == f.ADD_COLUMN and fact.references and scope.existing(fact.table):
        return (
            f"adds column {_qualified(fact)} with an inline REFERENCES {fact.references}: locks both tables "
            "(SHARE ROW EXCLUSIVE) while the key is checked; add the column, then the foreign key with "
            "postgresql_not_valid=True, then VALIDATE CONSTRAINT separately"
        )
    if fact.action != f.ADD_CONSTRAINT:
        return None
    if fact.constraint in (f.FOREIGN_KEY, f.CHECK) and not fact.not_valid and scope.existing(fact.table):
        return (
            f"adds a {fact.constraint} constraint to existing table {fact.table} without NOT VALID; every row is "
            "checked under lock (add postgresql_not_valid=True, then VALIDATE CONSTRAINT separately)"
        )
    return None


def unique_on_existing(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    unique = (fact.action == f.ADD_CONSTRAINT and fact.constraint == f.UNIQUE) or (
        fact.action == f.CREATE_INDEX and fact.unique
    )
    if unique and scope.existing(fact.table):
        return f"adds a unique constraint to existing table {fact.table}; fails on duplicates and locks while it checks"
    return None


def select_in_script(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if fact.action == f.SELECT:
        return (
            "writes a SELECT into the script: nothing reads its rows and a reviewer cannot see what it "
            "reads; offline, code that branched on its result took the no-rows branch"
        )
    return None


# -- revision rules -------------------------------------------------------------------------
def autocommit_split(records: Sequence[Record], scope: Scope) -> list[tuple[str, Record | None]]:
    for record in records:
        if not record.transactional_ddl:
            continue
        if record.kind is Kind.COMMIT and record.info.get("autocommit_block"):
            what = "autocommit_block()"
        elif record.kind is not Kind.COMMIT and record.in_transaction and record.ends_transaction:
            what = "a COMMIT written as SQL"
        else:
            continue
        message = (
            f"{what} commits the revision's transaction midway: its earlier DDL and its "
            "version-table update are no longer atomic"
        )
        return [(message, record)]
    return []


def mixed_ddl_dml(records: Sequence[Record], scope: Scope) -> list[tuple[str, Record | None]]:
    kinds = {r.kind for r in records}
    if records and not records[0].transactional_ddl and Kind.DDL in kinds and Kind.DML in kinds:
        first_dml = next(r for r in records if r.kind is Kind.DML)
        message = (
            f"mixes DDL and DML on {scope.dialect}, whose DDL commits implicitly: a failure halfway leaves "
            "the schema changed and the data not"
        )
        return [(message, first_dml)]
    return []


def unrenderable(records: Sequence[Record], scope: Scope) -> list[tuple[str, Record | None]]:
    return [(f"cannot be rendered offline: {r.info[UNRENDERED]}", r) for r in records if UNRENDERED in r.info]


RULES: tuple[Rule, ...] = (
    Rule("LB001", "drop-table", ERROR, "DROP TABLE of an existing table, DROP SCHEMA ... CASCADE", statement=drop_table),
    Rule("LB002", "drop-column", ERROR, "DROP COLUMN on an existing table, DROP TYPE ... CASCADE", statement=drop_column),
    Rule("LB003", "rename", WARNING, "table or column renamed", statement=rename),
    Rule("LB004", "not-null-without-default", ERROR,
         "SET NOT NULL on an existing column, or a NOT NULL column added without a default",
         statement=not_null_without_default),
    Rule("LB005", "column-type-change", WARNING, "column type changed", statement=type_change),
    Rule("LB006", "index-not-concurrent", WARNING, "PostgreSQL CREATE INDEX on an existing table without CONCURRENTLY",
         statement=index_not_concurrent),
    Rule("LB007", "concurrently-in-transaction", ERROR,
         "PostgreSQL CONCURRENTLY (or VACUUM, CREATE DATABASE...) inside a transaction",
         statement=concurrently_in_transaction),
    Rule("LB008", "constraint-not-valid", WARNING, "PostgreSQL foreign key or check constraint without NOT VALID",
         statement=constraint_not_valid),
    Rule("LB009", "unique-on-existing-table", WARNING, "unique constraint added to an existing table",
         statement=unique_on_existing),
    Rule("LB010", "autocommit-split", WARNING, "autocommit_block splits a revision's transaction", revision=autocommit_split),
    Rule("LB011", "mixed-ddl-dml", WARNING, "DDL and DML in one revision without transactional DDL", revision=mixed_ddl_dml),
    Rule("LB012", "revision-id-too-long", ERROR, "revision id longer than the version_num column"),
    Rule("LB013", "offline-unrenderable", ERROR, "revision cannot be rendered offline", revision=unrenderable),
    Rule("LB014", "select-in-script", WARNING, "SELECT written into an offline script", statement=select_in_script),
    Rule("LB015", "add-column-empty-table-only", WARNING, "column the database adds only to an empty table",
         statement=empty_table_only),
)
