BEGIN TRANSACTION;

-- Running downgrade e5 -> c3, d4

UPDATE account SET name = '100% sure' WHERE id = 2;

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('c3');

GO

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'e5';

GO

-- Running downgrade c3 -> b2

DROP TABLE audit;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';

GO

-- Running downgrade d4 -> b2

DROP TABLE tag;

GO

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'd4';

GO

-- Running downgrade b2 -> a1

DROP INDEX ix_account_email ON account;

GO

ALTER TABLE account DROP COLUMN email;

GO

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';

GO

-- Running downgrade a1 -> 

DROP TABLE account;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';

GO

COMMIT;

GO

