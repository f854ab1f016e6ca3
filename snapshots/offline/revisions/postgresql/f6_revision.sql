-- revision: f6
-- file: f6_revision.py
-- message: revision f6
-- dialect: postgresql

-- ======== upgrade ========

BEGIN;

-- Running upgrade  -> f6

CREATE TABLE setting (
    skey VARCHAR(40) NOT NULL, 
    value VARCHAR(200), 
    PRIMARY KEY (skey)
);

INSERT INTO alembic_version (version_num) VALUES ('f6') RETURNING alembic_version.version_num;

COMMIT;

-- ======== downgrade ========

BEGIN;

-- Running downgrade f6 -> 

DROP TABLE setting;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

COMMIT;
