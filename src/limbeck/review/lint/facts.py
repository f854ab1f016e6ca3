"""What a statement changes, as typed facts the lint rules and the plan's lock table read.

The vocabulary only: :mod:`limbeck.review.lint.reading` reads facts from a
statement's construct, :mod:`limbeck.review.lint.text_facts` from its text.
"""

from __future__ import annotations

from dataclasses import dataclass

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
RENAME_INDEX = "rename_index"
REINDEX = "reindex"
ADD_CONSTRAINT = "add_constraint"
VALIDATE_CONSTRAINT = "validate_constraint"
TRUNCATE = "truncate"
#: any other ALTER TABLE (defaults, DROP NOT NULL, DROP CONSTRAINT, comments): a brief lock
ALTER_TABLE = "alter_table"
#: ``SET [LOCAL] name = value`` (``setting`` holds the name)
SET = "set"
#: a query written into the script: it reads rows nobody will see
SELECT = "select"
#: ``LOCK TABLE`` (``lock_mode`` holds the mode it asks for)
LOCK = "lock"
#: ``CLUSTER`` (``table`` ``None``: every table clustered before)
CLUSTER = "cluster"
#: ``REFRESH MATERIALIZED VIEW`` (``concurrently``; ``no_data`` for ``WITH NO DATA``)
REFRESH_VIEW = "refresh_view"
#: an ALTER TABLE that writes the table anew: ``SET LOGGED | UNLOGGED``, ``SET TABLESPACE``, ``SET ACCESS METHOD``
REWRITE_TABLE = "rewrite_table"
#: ``DROP SCHEMA`` / ``DROP TYPE`` (``DROP DOMAIN``): ``name`` is the schema or type, ``cascade`` drops what uses it
DROP_SCHEMA = "drop_schema"
DROP_TYPE = "drop_type"
#: a brief lock of ``lock_mode`` on ``table`` for a change of what hangs on it: triggers, policies,
#: rules, statistics objects (``CREATE TRIGGER`` takes SHARE ROW EXCLUSIVE, ``CREATE POLICY``
#: ACCESS EXCLUSIVE...)
TABLE_OBJECT = "table_object"
#: ``VACUUM`` / ``ANALYZE`` (``table`` ``None``: every table; ``full`` for ``VACUUM FULL``)
VACUUM = "vacuum"
#: a statement of the whole cluster or server (``CREATE DATABASE``, ``ALTER SYSTEM``...): it locks no table
UTILITY = "utility"
#: batch mode's copy of a table into its rebuilt copy (INSERT ... SELECT): ``table`` is the one read
BATCH_COPY = "batch_copy"
#: something the statement runs that cannot be read offline (``name`` says what): a DO block's
#: ``EXECUTE`` of a built string, a ``CALL``; no rule checks it (lint's LB000 warning)
UNREAD = "unread"

FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY, EXCLUDE = "foreign key", "check", "unique", "primary key", "exclude"

#: PostgreSQL's table lock modes (https://www.postgresql.org/docs/current/explicit-locking.html), strongest first
ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
EXCLUSIVE = "EXCLUSIVE"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
SHARE = "SHARE"
SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE"
ROW_EXCLUSIVE = "ROW EXCLUSIVE"
ROW_SHARE = "ROW SHARE"
ACCESS_SHARE = "ACCESS SHARE"
LOCK_MODES = (
    ACCESS_EXCLUSIVE, EXCLUSIVE, SHARE_ROW_EXCLUSIVE, SHARE, SHARE_UPDATE_EXCLUSIVE, ROW_EXCLUSIVE, ROW_SHARE, ACCESS_SHARE,
)
#: the modes that conflict with ROW EXCLUSIVE, the lock INSERT, UPDATE and DELETE take
WRITE_BLOCKING = frozenset({ACCESS_EXCLUSIVE, EXCLUSIVE, SHARE_ROW_EXCLUSIVE, SHARE})


@dataclass(frozen=True, slots=True)
class Fact:
    """One change a statement makes."""

    action: str
    table: str | None
    column: str | None = None
    #: constraint kind for ADD_CONSTRAINT (FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY, EXCLUDE)
    constraint: str | None = None
    new_name: str | None = None
    unique: bool = False
    concurrently: bool = False
    not_valid: bool = False
    #: ADD_COLUMN / SET_NOT_NULL: a server default fills existing rows
    has_default: bool = False
    nullable: bool = True
    #: ADD_COLUMN: the volatile function of its default (each row gets its own value: a rewrite)
    volatile: str | None = None
    #: ADD_COLUMN with an inline REFERENCES, ADD_CONSTRAINT of a foreign key: the referenced table
    references: str | None = None
    #: ADD_CONSTRAINT ... USING INDEX (the index was built beforehand)
    using_index: bool = False
    #: TRUNCATE ... CASCADE, DROP SCHEMA / TYPE ... CASCADE
    cascade: bool = False
    #: LOCK: the mode asked for (one of LOCK_MODES); TABLE_OBJECT, ALTER_TABLE: the mode taken, where
    #: not ACCESS EXCLUSIVE
    lock_mode: str | None = None
    #: REFRESH_VIEW ... WITH NO DATA (empties it: nothing is computed)
    no_data: bool = False
    #: DROP_SCHEMA / DROP_TYPE: the schema or type dropped; UNREAD: what was not read
    name: str | None = None
    #: the statement this fact is of, where the record's text holds several (or a DO block's body)
    source: str | None = None
    #: run from a DO block (PostgreSQL refuses CONCURRENTLY there, in a transaction or not)
    in_block: bool = False
    #: the DROP / RENAME of batch mode's rebuild (the rows were copied; the name stays)
    batch: bool = False
    #: VACUUM FULL (a rewrite)
    full: bool = False
    #: the statement PostgreSQL refuses inside a transaction block (``VACUUM``, ``CREATE DATABASE``...)
    no_transaction: str | None = None
    #: DROP_INDEX / REINDEX / RENAME_INDEX: the index (``table`` is its table when known)
    index: str | None = None
    #: SET: the setting's name; ``local`` for SET LOCAL (ends with the transaction); ``unset`` when it
    #: turns the setting off or back to its default (RESET, TO DEFAULT, a timeout of 0); RESET ALL: ``"*"``
    setting: str | None = None
    local: bool = False
    unset: bool = False
