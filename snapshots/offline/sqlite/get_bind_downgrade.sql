-- Running downgrade r07 -> r06

-- undoing r07
UPDATE alembic_version SET version_num='r06' WHERE alembic_version.version_num = 'r07';

-- Running downgrade r06 -> r05

UPDATE alembic_version SET version_num='r05' WHERE alembic_version.version_num = 'r06';

-- Running downgrade r05 -> r04

DELETE FROM note WHERE id = 3;

UPDATE alembic_version SET version_num='r04' WHERE alembic_version.version_num = 'r05';

-- Running downgrade r04 -> r03

UPDATE alembic_version SET version_num='r03' WHERE alembic_version.version_num = 'r04';

-- Running downgrade r03 -> r02

DROP TABLE child;

DROP TABLE parent;

UPDATE note SET body = 'after';

UPDATE alembic_version SET version_num='r02' WHERE alembic_version.version_num = 'r03';

-- Running downgrade r02 -> r01

DROP INDEX ix_thing_label_id;

DELETE FROM thing;

DROP TABLE thing;

UPDATE alembic_version SET version_num='r01' WHERE alembic_version.version_num = 'r02';

-- Running downgrade r01 -> 

DELETE FROM alembic_version WHERE alembic_version.version_num = 'r01';

