-- revision: e5
-- file: e5_revision.py
-- message: revision e5
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

-- Running upgrade c3, d4 -> e5

UPDATE account SET name = 'merged' WHERE id = 2;

GO

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'd4';

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade e5 -> c3, d4

UPDATE account SET name = '100% sure' WHERE id = 2;

GO

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'e5';

GO

COMMIT;

GO
