BEGIN TRANSACTION;

-- Running downgrade r07 -> r06

-- undoing r07
UPDATE alembic_version SET version_num='r06' WHERE alembic_version.version_num = 'r07';

GO

-- Running downgrade r06 -> r05

UPDATE alembic_version SET version_num='r05' WHERE alembic_version.version_num = 'r06';

GO

-- Running downgrade r05 -> r04

DELETE FROM note WHERE id = 3;

GO

UPDATE alembic_version SET version_num='r04' WHERE alembic_version.version_num = 'r05';

GO

-- Running downgrade r04 -> r03

UPDATE alembic_version SET version_num='r03' WHERE alembic_version.version_num = 'r04';

GO

-- Running downgrade r03 -> r02

DROP TABLE child;

GO

DROP TABLE parent;

GO

UPDATE note SET body = 'after';

GO

UPDATE alembic_version SET version_num='r02' WHERE alembic_version.version_num = 'r03';

GO

-- Running downgrade r02 -> r01

DROP INDEX ix_thing_label_id ON thing;

GO

DELETE FROM thing;

GO

DROP TABLE thing;

GO

UPDATE alembic_version SET version_num='r01' WHERE alembic_version.version_num = 'r02';

GO

-- Running downgrade r01 -> 

DELETE FROM alembic_version WHERE alembic_version.version_num = 'r01';

GO

COMMIT;

GO

