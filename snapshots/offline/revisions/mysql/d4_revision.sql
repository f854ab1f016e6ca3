-- revision: d4
-- file: d4_revision.py
-- message: revision d4
-- dialect: mysql

-- ======== upgrade ========

-- Running upgrade b2 -> d4

CREATE TABLE tag (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    label VARCHAR(30), 
    PRIMARY KEY (id)
);

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'b2';

-- ======== downgrade ========

-- Running downgrade d4 -> b2

DROP TABLE tag;

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'd4';
