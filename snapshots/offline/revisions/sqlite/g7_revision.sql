-- revision: g7
-- file: g7_revision.py
-- message: revision g7
-- dialect: sqlite

-- ======== upgrade ========

-- Running upgrade f6 -> g7

INSERT INTO setting (skey, value) VALUES ('audit', 'on');

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

UPDATE alembic_version SET version_num='g7' WHERE alembic_version.version_num = 'c3';

-- ======== downgrade ========

-- Running downgrade g7 -> f6

DELETE FROM setting WHERE skey = 'audit';

INSERT INTO alembic_version (version_num) VALUES ('f6') RETURNING version_num;

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'g7';
