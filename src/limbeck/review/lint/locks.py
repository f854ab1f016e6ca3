"""The lock each change takes on a database with a lock model (PostgreSQL), and the rules built on it.

:func:`lock_of` reads the same facts as every lint rule and says which table
lock a statement takes and for how long in kind (a catalog change, a scan
that checks rows, an index build, a rewrite of every row): the plan's lock
table and the rules below come from it, so they cannot disagree. Lock modes
are PostgreSQL's (https://www.postgresql.org/docs/current/explicit-locking.html,
and the Notes of ALTER TABLE, CREATE INDEX, DROP INDEX, REINDEX).
"""

from __future__ import annotations

from dataclasses import dataclass

from limbeck.dialects import behaviour_class
from limbeck.review.lint import facts as f
from limbeck.review.lint import reading
from limbeck.review.lint.rules import ERROR, WARNING, Rule, Scope
from limbeck.review.stream import Record

ACCESS_EXCLUSIVE, EXCLUSIVE, SHARE_ROW_EXCLUSIVE = f.ACCESS_EXCLUSIVE, f.EXCLUSIVE, f.SHARE_ROW_EXCLUSIVE
SHARE, SHARE_UPDATE_EXCLUSIVE = f.SHARE, f.SHARE_UPDATE_EXCLUSIVE

#: what each mode blocks, for the plan (strongest first: the order ranks them); from the table of
#: conflicting lock modes of PostgreSQL's "Explicit Locking"
BLOCKS = {
    ACCESS_EXCLUSIVE: "reads and writes",
    EXCLUSIVE: "writes",
    SHARE_ROW_EXCLUSIVE: "writes",
    SHARE: "writes",
    SHARE_UPDATE_EXCLUSIVE: "other schema changes only",
    f.ROW_EXCLUSIVE: "CREATE INDEX and schema changes only",
    f.ROW_SHARE: "EXCLUSIVE and ACCESS EXCLUSIVE locks only",
    f.ACCESS_SHARE: "ACCESS EXCLUSIVE locks only",
}

#: how long a lock is held, in kind, shortest first; a LOCK TABLE does no work of its own, and
#: holds its lock over whatever the transaction runs after it
BRIEF, SCAN, BUILD, REWRITE = "catalog change", "scan of every row", "index build", "rewrite of every row"
TRANSACTION = "rest of the transaction"
DURATIONS = (BRIEF, SCAN, BUILD, REWRITE, TRANSACTION)


@dataclass(frozen=True, slots=True)
class Lock:
    mode: str
    #: the table locked (``None``: an index whose table the statement does not name)
    table: str | None
    duration: str
    #: the table existed before the revision (locking a new table blocks nobody)
    existing: bool

    @property
    def blocks_writes(self) -> bool:
        return self.mode in f.WRITE_BLOCKING

    def rank(self) -> tuple[int, int]:
        """Longer first by kind of duration, then by the stronger mode."""
        return DURATIONS.index(self.duration), len(BLOCKS) - list(BLOCKS).index(self.mode)


def _constraint_lock(fact: f.Fact) -> tuple[str, str]:
    mode = SHARE_ROW_EXCLUSIVE if fact.constraint == f.FOREIGN_KEY else ACCESS_EXCLUSIVE
    if fact.using_index or fact.not_valid:
        return mode, BRIEF
    if fact.constraint in (f.UNIQUE, f.PRIMARY_KEY, f.EXCLUDE):  # each builds its index
        return mode, BUILD
    return mode, SCAN


def _other_lock(fact: f.Fact, scope: Scope) -> Lock | None:
    """LOCK TABLE, CLUSTER, REFRESH MATERIALIZED VIEW, DROP SCHEMA / TYPE, the rewriting ALTER TABLE forms."""
    action = fact.action
    if action == f.LOCK:
        return Lock(fact.lock_mode or ACCESS_EXCLUSIVE, fact.table, TRANSACTION, scope.existing(fact.table))
    if action == f.CLUSTER:  # CLUSTER alone: every table clustered before (outside a transaction only)
        table = fact.table or "every table clustered before"
        return Lock(ACCESS_EXCLUSIVE, table, REWRITE, fact.table is None or scope.existing(fact.table))
    if action == f.REFRESH_VIEW:
        if fact.concurrently:  # computes the query, then changes the rows that differ: reads go on
            return Lock(EXCLUSIVE, fact.table, SCAN, scope.existing(fact.table))
        return Lock(ACCESS_EXCLUSIVE, fact.table, BRIEF if fact.no_data else REWRITE, scope.existing(fact.table))
    if action == f.REWRITE_TABLE:
        return Lock(ACCESS_EXCLUSIVE, fact.table, REWRITE, scope.existing(fact.table))
    if action == f.TABLE_OBJECT:
        return Lock(fact.lock_mode or ACCESS_EXCLUSIVE, fact.table, BRIEF, scope.existing(fact.table))
    if action == f.VACUUM:
        table, existing = fact.table or "every table", fact.table is None or scope.existing(fact.table)
        if fact.full:
            return Lock(ACCESS_EXCLUSIVE, table, REWRITE, existing)
        return Lock(SHARE_UPDATE_EXCLUSIVE, table, SCAN, existing)
    if action == f.BATCH_COPY:  # INSERT ... SELECT reads every row; writers go on meanwhile
        return Lock(f.ACCESS_SHARE, fact.table, REWRITE, scope.existing(fact.table))
    if action in (f.DROP_SCHEMA, f.DROP_TYPE) and fact.cascade:
        # without CASCADE it fails unless nothing uses it: no table is locked
        what = f"every table in schema {fact.name}" if action == f.DROP_SCHEMA else f"every table with a column of type {fact.name}"
        return Lock(ACCESS_EXCLUSIVE, what, BRIEF, True)
    return None


_OTHER = frozenset({
    f.LOCK, f.CLUSTER, f.REFRESH_VIEW, f.REWRITE_TABLE, f.DROP_SCHEMA, f.DROP_TYPE, f.BATCH_COPY, f.VACUUM, f.UTILITY,
    f.TABLE_OBJECT,
})


def lock_of(fact: f.Fact, scope: Scope) -> Lock | None:
    """The table lock ``fact`` takes; ``None`` for changes that lock no existing table."""
    action = fact.action
    if action in (f.CREATE_TABLE, f.SET, f.SELECT) or (action == f.DROP_TABLE and not scope.existing(fact.table)):
        return None  # a SELECT takes ACCESS SHARE, which blocks no reads or writes
    if action in _OTHER:
        return _other_lock(fact, scope)
    if fact.batch and action != f.DROP_TABLE and action != f.RENAME_TABLE:
        return None  # what a rebuild's copy changes: the copy's own row and the DROP / RENAME take the locks
    if action in (f.CREATE_INDEX, f.REINDEX):
        mode = SHARE_UPDATE_EXCLUSIVE if fact.concurrently else SHARE
        return Lock(mode, fact.table or fact.index, BUILD, scope.existing(fact.table) and scope.existing_index(fact.index))
    if action == f.DROP_INDEX:
        mode = SHARE_UPDATE_EXCLUSIVE if fact.concurrently else ACCESS_EXCLUSIVE
        return Lock(mode, fact.table or fact.index, BRIEF, scope.existing_index(fact.index) and (fact.table is None or scope.existing(fact.table)))
    if action == f.RENAME_INDEX:
        return Lock(SHARE_UPDATE_EXCLUSIVE, fact.index, BRIEF, scope.existing_index(fact.index))
    if action == f.VALIDATE_CONSTRAINT:
        return Lock(SHARE_UPDATE_EXCLUSIVE, fact.table, SCAN, scope.existing(fact.table))
    if action == f.ADD_CONSTRAINT:
        mode, duration = _constraint_lock(fact)
        return Lock(mode, fact.table, duration, scope.existing(fact.table))
    duration = BRIEF
    if action == f.CHANGE_TYPE or (action == f.ADD_COLUMN and fact.volatile):
        duration = REWRITE
    elif action == f.ADD_COLUMN and fact.constraint in (f.PRIMARY_KEY, f.UNIQUE):
        duration = BUILD
    elif action == f.SET_NOT_NULL:
        duration = SCAN
    return Lock(fact.lock_mode or ACCESS_EXCLUSIVE, fact.table, duration, scope.existing(fact.table))


# -- rules ----------------------------------------------------------------------------------
def drop_index_not_concurrent(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if scope.lock_lint and fact.action == f.DROP_INDEX and not fact.concurrently and scope.existing_index(fact.index):
        if fact.table is not None and not scope.existing(fact.table):
            return None
        on = f" on {fact.table}" if fact.table else ""
        return (
            f"drops index {fact.index}{on} without CONCURRENTLY: takes an ACCESS EXCLUSIVE lock on the table, blocking "
            "reads and writes behind any running query; use postgresql_concurrently=True inside "
            "op.get_context().autocommit_block() (DROP INDEX CONCURRENTLY)"
        )
    return None


def volatile_default(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if scope.lock_lint and fact.action == f.ADD_COLUMN and fact.volatile and scope.existing(fact.table):
        what = "a stored generated value" if fact.volatile == "generated" else f"a volatile default ({fact.volatile}())"
        return (
            f"adds column {fact.table}.{fact.column} with {what}: every row is rewritten under an ACCESS EXCLUSIVE "
            "lock; add the column without a default, set the default in a second statement, then backfill "
            "existing rows in batches"
        )
    return None


def add_primary_key(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if not scope.lock_lint or not scope.existing(fact.table):
        return None
    adds_key = (fact.action == f.ADD_CONSTRAINT and fact.constraint == f.PRIMARY_KEY and not fact.using_index) or (
        fact.action == f.ADD_COLUMN and fact.constraint == f.PRIMARY_KEY
    )
    if adds_key:
        return (
            f"adds a primary key to existing table {fact.table}: its index is built under an ACCESS EXCLUSIVE lock, "
            "blocking reads and writes; build a unique index CONCURRENTLY first, then "
            "ADD CONSTRAINT ... PRIMARY KEY USING INDEX"
        )
    return None


def reindex_not_concurrent(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if scope.lock_lint and fact.action == f.REINDEX and not fact.concurrently:
        return (
            f"REINDEX of {fact.table or fact.index} without CONCURRENTLY: blocks writes to the table (and reads that "
            "use the index) until the rebuild ends; use REINDEX ... CONCURRENTLY outside a transaction "
            "(autocommit_block())"
        )
    return None


def truncate_cascade(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if fact.action == f.TRUNCATE and fact.cascade:
        return (
            f"TRUNCATE {fact.table} CASCADE also empties every table with a foreign key to it, and theirs in turn; "
            "name each table to empty explicitly"
        )
    return None


def batch_copy(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if not scope.lock_lint or fact.action != f.BATCH_COPY or not scope.existing(fact.table):
        return None
    if (fact.table or "").lower() in scope.locked:
        return None
    return (
        f"batch mode rebuilds {fact.table}: every row is copied under an ACCESS SHARE lock only, so a row another "
        f"session writes during the copy is lost when the old table is dropped; LOCK TABLE {fact.table} IN "
        "EXCLUSIVE MODE first, or alter it in place (batch mode is for SQLite)"
    )


#: the settings LB023 asks for before a lock-taking statement
TIMEOUTS = ("lock_timeout", "statement_timeout")


def missing_timeout(record: Record, fact: f.Fact, scope: Scope) -> str | None:
    if not scope.lock_lint or "LB023" in scope.reported:
        return None
    lock = lock_of(fact, scope)
    if lock is None or not lock.existing or not lock.blocks_writes:
        return None
    missing = [name for name in TIMEOUTS if name not in scope.settings]
    if not missing:
        return None
    scope.reported.add("LB023")
    article = "an" if lock.mode[:1] in "AEIOU" else "a"
    return (
        f"takes {article} {lock.mode} lock on {lock.table} with no {' or '.join(missing)} set: queued behind a long "
        "transaction it blocks every query after it; SET lock_timeout (and statement_timeout) in env.py or at "
        "the top of the revision (set lint_timeouts = off where the connection sets them)"
    )


RULES: tuple[Rule, ...] = (
    Rule("LB020", "drop-index-not-concurrent", WARNING, "PostgreSQL DROP INDEX without CONCURRENTLY",
         statement=drop_index_not_concurrent),
    Rule("LB021", "volatile-default", WARNING, "PostgreSQL column added with a volatile default (table rewrite)",
         statement=volatile_default),
    Rule("LB022", "add-primary-key", WARNING, "PostgreSQL primary key added to an existing table without USING INDEX",
         statement=add_primary_key),
    Rule("LB023", "missing-timeout", WARNING, "PostgreSQL lock-taking statement without lock_timeout/statement_timeout",
         statement=missing_timeout),
    Rule("LB024", "reindex-not-concurrent", WARNING, "PostgreSQL REINDEX without CONCURRENTLY",
         statement=reindex_not_concurrent),
    Rule("LB025", "truncate-cascade", ERROR, "TRUNCATE ... CASCADE", statement=truncate_cascade),
    Rule("LB026", "batch-copy-loses-writes", WARNING, "PostgreSQL batch rebuild of an existing table not locked first",
         statement=batch_copy),
)


# -- the plan's lock table --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Taken:
    """One lock one statement of a revision takes."""

    record: Record
    text: str
    lock: Lock


def revision_locks(revision: str, records: list[Record], dialect: str, created: set[str]) -> list[Taken]:
    """The table locks of one revision's statements, in order (empty where the database has no lock model).

    ``created`` holds the tables made earlier in the change (a plan's range);
    this revision's are added to it.
    """
    if not behaviour_class(dialect).lock_lint:
        return []
    scope = Scope(revision, dialect, lock_lint=True, created=created)
    out: list[Taken] = []
    for record in records:
        try:
            found = reading.facts(record)
        except Exception:  # noqa: BLE001 - lint reports a statement it cannot read (LB000); the plan lists what it can
            found = []
        for fact in found:
            lock = lock_of(fact, scope)
            if lock is not None:
                out.append(Taken(record, fact.source or (record.texts[0] if record.texts else ""), lock))
            scope.learn(fact)
    return out


def longest(taken: list[Taken]) -> Taken | None:
    """The longest lock that blocks writes on a table that existed before the change, if any."""
    candidates = [t for t in taken if t.lock.existing and t.lock.blocks_writes]
    return max(candidates, key=lambda t: t.lock.rank(), default=None)
