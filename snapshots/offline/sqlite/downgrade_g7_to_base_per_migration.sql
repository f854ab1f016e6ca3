-- Running downgrade g7 -> f6

DELETE FROM setting WHERE skey = 'audit';

INSERT INTO alembic_version (version_num) VALUES ('f6') RETURNING version_num;

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'g7';

-- Running downgrade f6 -> 

DROP TABLE setting;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

-- Running downgrade c3 -> b2

DROP TABLE audit;

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'c3';

-- Running downgrade b2 -> a1

DROP INDEX ix_account_email;

ALTER TABLE account DROP COLUMN email;

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';

-- Running downgrade a1 -> 

DROP TABLE account;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';

