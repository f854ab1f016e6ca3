-- revision: g7
-- file: g7_revision.py
-- message: revision g7
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

-- Running upgrade f6 -> g7

IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'setting') AND name IN (N'skey', N'value')) SET IDENTITY_INSERT setting ON;

GO

INSERT INTO setting (skey, value) VALUES ('audit', 'on');

GO

IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'setting') AND name IN (N'skey', N'value')) SET IDENTITY_INSERT setting OFF;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

GO

UPDATE alembic_version SET version_num='g7' WHERE alembic_version.version_num = 'c3';

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade g7 -> f6

DELETE FROM setting WHERE skey = 'audit';

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('f6');

GO

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'g7';

GO

COMMIT;

GO
