-- revision: b2
-- file: b2_revision.py
-- message: revision b2
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

-- Running upgrade a1 -> b2

ALTER TABLE account ADD email VARCHAR(100) NULL;

GO

CREATE INDEX ix_account_email ON account (email);

GO

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade b2 -> a1

DROP INDEX ix_account_email ON account;

GO

ALTER TABLE account DROP COLUMN email;

GO

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';

GO

COMMIT;

GO
