"""The validation table: statements per database, valid and invalid, as the real database judges them.

``valid`` is what the database itself says after ``SETUP[dialect]`` ran
(``test_validation_table.py`` checks every entry on the suite's real
PostgreSQL and MariaDB servers and on SQLite); the setup leaves a row in each
table, as a production database has. ``kind`` sorts the invalid
ones: ``syntax`` (the grammar refuses it) or ``schema`` (it parses, but the
database refuses what it means: a table, column, index or type that is not
there or already is, a value that does not fit, a NOT NULL over the NULLs a
row holds: what only the schema and the data can tell).

The rates of each validator on this table are in README.md ("How much
validation catches"); the test renders them and fails when they change.
"""

from __future__ import annotations

from dataclasses import dataclass

VALID, SYNTAX, NAMES = "valid", "syntax", "schema"


@dataclass(frozen=True)
class Case:
    dialect: str
    sql: str
    kind: str  # VALID, SYNTAX or NAMES

    @property
    def valid(self) -> bool:
        return self.kind == VALID


#: rows: what fails on a table with data must fail here too
_ROWS = (
    "INSERT INTO team (id, name) VALUES (1, 'red')",
    "INSERT INTO account (id, name, email, team_id) VALUES (1, 'ann', 'ann@example.com', 1)",
)
_VERSION = (
    *_ROWS,
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
    "INSERT INTO alembic_version (version_num) VALUES ('a1')",
)

SETUP: dict[str, tuple[str, ...]] = {
    "postgresql": (
        "CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(50))",
        ("CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), "
        "team_id INTEGER REFERENCES team (id), created TIMESTAMP)"),
        "CREATE INDEX ix_account_name ON account (name)",
        *_VERSION,
    ),
    "sqlite": (
        "CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(50))",
        ("CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), "
        "team_id INTEGER REFERENCES team (id), created TIMESTAMP)"),
        "CREATE INDEX ix_account_name ON account (name)",
        *_VERSION,
    ),
    "mariadb": (
        "CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(50))",
        ("CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), team_id INTEGER, "
        "created DATETIME, CONSTRAINT fk_account_team FOREIGN KEY (team_id) REFERENCES team (id))"),
        "CREATE INDEX ix_account_name ON account (name)",
        *_VERSION,
    ),
}

_TABLE: dict[str, dict[str, list[str]]] = {
    "postgresql": {
        VALID: [
            "ALTER TABLE account ADD COLUMN phone VARCHAR(20)",
            "ALTER TABLE account ADD COLUMN uid UUID DEFAULT gen_random_uuid() NOT NULL",
            "ALTER TABLE account DROP COLUMN email",
            "ALTER TABLE account RENAME COLUMN name TO full_name",
            "ALTER TABLE account RENAME TO customer",
            "ALTER TABLE account ALTER COLUMN name TYPE TEXT",
            "ALTER TABLE account ALTER COLUMN name SET NOT NULL",
            "ALTER TABLE account ALTER COLUMN name SET DEFAULT 'x'",
            "ALTER TABLE account ALTER COLUMN name DROP DEFAULT",
            "ALTER TABLE account ADD CONSTRAINT uq_email UNIQUE (email)",
            "ALTER TABLE account ADD CONSTRAINT ck_id CHECK (id > 0) NOT VALID",
            "ALTER TABLE account ADD CONSTRAINT fk_team2 FOREIGN KEY (team_id) REFERENCES team (id) NOT VALID",
            "CREATE INDEX ix_email ON account (email)",
            "CREATE UNIQUE INDEX ix_email_lower ON account (lower(email))",
            "DROP INDEX ix_account_name",
            "ALTER INDEX ix_account_name RENAME TO ix_name",
            ("CREATE TABLE tag (id SERIAL PRIMARY KEY, label TEXT NOT NULL, "
            "account_id INTEGER REFERENCES account (id) ON DELETE CASCADE)"),
            "DROP TABLE account",
            "UPDATE account SET name = 'n; m' WHERE id = 1",
            "INSERT INTO team (id, name) VALUES (2, 'a')",
            "DELETE FROM account WHERE email IS NULL",
            "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'",
            "COMMENT ON COLUMN account.name IS 'display name'",
            "CREATE TYPE mood AS ENUM ('sad', 'ok')",
            "DO $$ BEGIN IF (SELECT count(*) FROM alembic_version) <> 1 THEN RAISE EXCEPTION 'x'; END IF; END $$",
            "SET lock_timeout = '2s'",
            "TRUNCATE account CASCADE",
            "REINDEX TABLE account",
            "ALTER TABLE account ALTER COLUMN created TYPE TIMESTAMP WITH TIME ZONE USING created AT TIME ZONE 'UTC'",
            "CREATE VIEW v_account AS SELECT id, name FROM account",
            "ALTER TABLE account ADD COLUMN score NUMERIC(10, 2) GENERATED ALWAYS AS (id * 2) STORED",
            "CREATE SEQUENCE seq_x START 10",
        ],
        SYNTAX: [
            "ALTER TABEL account ADD COLUMN x INTEGER",
            "CREATE TABLE t (id INTEGER",
            "ALTER TABLE account MODIFY name VARCHAR(80)",
            "ALTER TABLE account CHANGE name full_name VARCHAR(50)",
            "ALTER TABLE account ALTER COLUMN name VARCHAR(80)",
            "CREATE INDEX ix ON account name",
            "ALTER TABLE account ADD CONSTRAINT fk FOREIGN KEY team_id REFERENCES team (id)",
            "DROP INDEX ix_account_name ON account",
            "ALTER TABLE account RENAME COLUMN name full_name",
            "ALTER TABLE account ADD COLUMN x INTEGER NOT NUL",
            "UPDATE account SET name = 'x' WHERE",
            "INSERT INTO team (id, name) VALUES (1, 'a'",
            "ALTER TABLE account DROP COLUMN",
            "CREATE TABLE t (id INTEGER PRIMARY KEY,)",
            "ALTER TABLE account ADD COLUMN x INTEGER AUTO_INCREMENT",
            "CREATE TABLE t (id INTEGER IDENTITY(1,1))",
            "ALTER TABLE account ALTER COLUMN name SET NOT NULL DEFAULT 'x'",
            "SELECT * FORM account",
            "COMMENT ON COLUMN account.name 'x'",
            "DO $$ BEGIN PERFRM 1; END $$",
            "ALTER TABLE account ADD CONSTRAINT ck CHECK id > 0",
            "DELETE account WHERE id = 1",
            "CREATE UNIQUE INDEX IF NOT EXISTS ON account (email)",
            "ALTER TABLE account ADD COLUMN IF NOT EXISTS",
            "ALTER TABLE account ALTER name TYPE",
        ],
        NAMES: [
            "ALTER TABLE nowhere ADD COLUMN x INTEGER",
            "ALTER TABLE account DROP COLUMN nope",
            "ALTER TABLE account ADD COLUMN x INTEGR",
            "CREATE INDEX ix_bad ON account (nope)",
            "ALTER TABLE account ADD COLUMN name TEXT",
            "ALTER TABLE account ADD CONSTRAINT fk_bad FOREIGN KEY (team_id) REFERENCES nowhere (id)",
            "DROP INDEX ix_nope",
            "UPDATE account SET nope = 1",
            "DO $$ BEGIN PERFORM nope_function(); END $$",
            "CREATE TABLE team (id INTEGER)",
            "CREATE TABLE t2 (id INTEGER PRIMARY KEY PRIMARY KEY)",
            "CREATE TABLE t3 (a INTEGER, a INTEGER)",
            "INSERT INTO team (id) VALUES (3, 4)",
            "ALTER TABLE account ALTER COLUMN email TYPE INTEGER",
            "ALTER TABLE account ALTER COLUMN created SET NOT NULL",
        ],
    },
    "sqlite": {
        VALID: [
            "ALTER TABLE account ADD COLUMN phone VARCHAR(20)",
            "ALTER TABLE account DROP COLUMN email",
            "ALTER TABLE account RENAME COLUMN name TO full_name",
            "ALTER TABLE account RENAME TO customer",
            "CREATE INDEX ix_email ON account (email)",
            "CREATE UNIQUE INDEX ix_email_u ON account (email) WHERE email IS NOT NULL",
            "DROP INDEX ix_account_name",
            "DROP TABLE account",
            ("CREATE TABLE tag (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, "
            "account_id INTEGER REFERENCES account (id))"),
            "CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT) STRICT",
            "CREATE TABLE w (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID",
            "INSERT INTO team (id, name) VALUES (2, 'a')",
            "UPDATE account SET name = 'x; y' WHERE id = 1",
            "DELETE FROM account WHERE email IS NULL",
            "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'",
            "CREATE TRIGGER tr AFTER INSERT ON account BEGIN UPDATE account SET name = 'x' WHERE id = NEW.id; END",
            "CREATE VIEW v AS SELECT id, name FROM account",
            "PRAGMA foreign_keys = ON",
            "ALTER TABLE account ADD COLUMN flag BOOLEAN DEFAULT 0 NOT NULL",
            "INSERT INTO account (id, name) SELECT id + 10, name FROM team",
            "CREATE TABLE _alembic_tmp_account (id INTEGER NOT NULL, name VARCHAR(60), PRIMARY KEY (id))",
            "ANALYZE account",
            "VACUUM",
            "REINDEX account",
            "ALTER TABLE account ADD COLUMN g INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL",
            "CREATE INDEX IF NOT EXISTS ix_account_name ON account (name)",
        ],
        SYNTAX: [
            "ALTER TABEL account ADD COLUMN x INTEGER",
            "ALTER TABLE account ALTER COLUMN name TYPE TEXT",
            "ALTER TABLE account ADD CONSTRAINT uq UNIQUE (email)",
            "ALTER TABLE account DROP CONSTRAINT fk",
            "CREATE TABLE t (id INTEGER",
            "ALTER TABLE account MODIFY name TEXT",
            "CREATE INDEX CONCURRENTLY ix ON account (name)",
            "ALTER TABLE account RENAME COLUMN name full_name",
            "INSERT INTO team VALUES (1, 'a'",
            "UPDATE account SET name = 'x' WHERE",
            "CREATE TABLE t (id INTEGER PRIMARY KEY,)",
            "DROP INDEX ix_account_name ON account",
            "SELECT * FORM account",
            "ALTER TABLE account ADD COLUMN x INTEGER NOT NUL",
            "TRUNCATE TABLE account",
        ],
        NAMES: [
            "ALTER TABLE nowhere ADD COLUMN x INTEGER",
            "ALTER TABLE account DROP COLUMN nope",
            "CREATE INDEX ix_bad ON account (nope)",
            "ALTER TABLE account ADD COLUMN name TEXT",
            "DROP INDEX ix_nope",
            "UPDATE account SET nope = 1",
            "ALTER TABLE account ADD COLUMN x INTEGER PRIMARY KEY",
            "ALTER TABLE account ADD COLUMN x INTEGER NOT NULL",
            "ALTER TABLE account ADD COLUMN c TIMESTAMP DEFAULT CURRENT_TIMESTAMP",
            "ALTER TABLE account ADD COLUMN u TEXT UNIQUE",
            "CREATE TABLE team (id INTEGER)",
            "DROP TABLE nowhere",
            "ALTER TABLE account DROP COLUMN id",
            "INSERT INTO team (id) VALUES (3, 4)",
            "CREATE TABLE t3 (a INTEGER, a INTEGER)",
        ],
    },
    "mariadb": {
        VALID: [
            "ALTER TABLE account ADD COLUMN phone VARCHAR(20)",
            "ALTER TABLE account DROP COLUMN email",
            "ALTER TABLE account RENAME COLUMN name TO full_name",
            "ALTER TABLE account CHANGE name full_name VARCHAR(50)",
            "ALTER TABLE account MODIFY name VARCHAR(80) NOT NULL",
            "RENAME TABLE account TO customer",
            "ALTER TABLE account RENAME TO customer",
            "CREATE INDEX ix_email ON account (email)",
            "DROP INDEX ix_account_name ON account",
            "ALTER TABLE account ADD CONSTRAINT uq_email UNIQUE (email)",
            "ALTER TABLE account DROP FOREIGN KEY fk_account_team",
            "ALTER TABLE account ADD CONSTRAINT ck_id CHECK (id > 0)",
            "CREATE TABLE tag (id INTEGER NOT NULL AUTO_INCREMENT, label VARCHAR(20) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB",
            "DROP TABLE account",
            "INSERT INTO team (id, name) VALUES (2, 'a')",
            "UPDATE account SET name = 'x; y' WHERE id = 1",
            "DELETE FROM account WHERE email IS NULL",
            "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'",
            "ALTER TABLE account ALTER COLUMN name SET DEFAULT 'x'",
            "ALTER TABLE account MODIFY name VARCHAR(50) COMMENT 'display name'",
            "ALTER TABLE account ADD COLUMN u INTEGER, ALGORITHM=INPLACE, LOCK=NONE",
            "CREATE TABLE j (id INTEGER PRIMARY KEY, doc JSON)",
            "ALTER TABLE account RENAME INDEX ix_account_name TO ix_name",
            "TRUNCATE TABLE account",
            "CREATE OR REPLACE VIEW v AS SELECT id FROM account",
            "ALTER TABLE account ADD COLUMN IF NOT EXISTS phone VARCHAR(20)",
        ],
        SYNTAX: [
            "ALTER TABEL account ADD COLUMN x INTEGER",
            "ALTER TABLE account ALTER COLUMN name TYPE TEXT",
            "ALTER TABLE account ALTER COLUMN name SET NOT NULL",
            "CREATE TABLE t (id INTEGER",
            "CREATE INDEX CONCURRENTLY ix ON account (name)",
            "DROP INDEX ix_account_name",
            "CREATE TABLE t (id INTEGER PRIMARY KEY,)",
            "UPDATE account SET name = 'x' WHERE",
            "INSERT INTO team VALUES (1, 'a'",
            "SELECT * FORM account",
            "ALTER TABLE account RENAME COLUMN name full_name",
            "ALTER TABLE account ADD CONSTRAINT fk FOREIGN KEY team_id REFERENCES team (id)",
            "COMMENT ON COLUMN account.name IS 'x'",
            "ALTER TABLE account ADD COLUMN x INTEGER NOT NUL",
            "ALTER TABLE account DROP CONSTRAINT",
            "ALTER TABLE account ADD CONSTRAINT ck CHECK id > 0",
        ],
        NAMES: [
            "ALTER TABLE nowhere ADD COLUMN x INTEGER",
            "ALTER TABLE account DROP COLUMN nope",
            "CREATE INDEX ix_bad ON account (nope)",
            "ALTER TABLE account ADD COLUMN name TEXT",
            "DROP INDEX ix_nope ON account",
            "UPDATE account SET nope = 1",
            "TRUNCATE TABLE team",
            "ALTER TABLE account DROP FOREIGN KEY fk_nope",
            "CREATE TABLE team (id INTEGER)",
            "RENAME TABLE nowhere TO x",
            "INSERT INTO team (id) VALUES (3, 4)",
            "ALTER TABLE account MODIFY created DATETIME NOT NULL",
            "CREATE TABLE t3 (a INTEGER, a INTEGER)",
        ],
    },
}

CASES: list[Case] = [Case(dialect, sql, kind) for dialect, kinds in _TABLE.items() for kind, sqls in kinds.items() for sql in sqls]
