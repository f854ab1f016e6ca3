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

BEGIN TRANSACTION;

-- Running downgrade f6 -> 

DROP TABLE setting;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

GO

COMMIT;

GO

BEGIN TRANSACTION;

-- Running downgrade c3 -> b2

DROP TABLE audit;

GO

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'c3';

GO

COMMIT;

GO

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

BEGIN TRANSACTION;

-- Running downgrade a1 -> 

DROP TABLE account;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';

GO

COMMIT;

GO

