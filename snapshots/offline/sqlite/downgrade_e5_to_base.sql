-- Running downgrade e5 -> c3, d4

UPDATE account SET name = '100% sure' WHERE id = 2;

INSERT INTO alembic_version (version_num) VALUES ('c3') RETURNING version_num;

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'e5';

-- Running downgrade c3 -> b2

DROP TABLE audit;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';

-- Running downgrade d4 -> b2

DROP TABLE tag;

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'd4';

-- Running downgrade b2 -> a1

DROP INDEX ix_account_email;

ALTER TABLE account DROP COLUMN email;

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';

-- Running downgrade a1 -> 

DROP TABLE account;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';

