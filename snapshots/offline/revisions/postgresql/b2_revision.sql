-- revision: b2
-- file: b2_revision.py
-- message: revision b2
-- dialect: postgresql

-- ======== upgrade ========

BEGIN;

-- Running upgrade a1 -> b2

ALTER TABLE account ADD COLUMN email VARCHAR(100);

CREATE INDEX ix_account_email ON account (email);

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';

COMMIT;

-- ======== downgrade ========

BEGIN;

-- Running downgrade b2 -> a1

DROP INDEX ix_account_email;

ALTER TABLE account DROP COLUMN email;

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';

COMMIT;
