-- revision: f6
-- file: f6_revision.py
-- message: revision f6
-- dialect: sqlite

-- ======== upgrade ========

-- Running upgrade  -> f6

CREATE TABLE setting (
    skey VARCHAR(40) NOT NULL, 
    value VARCHAR(200), 
    PRIMARY KEY (skey)
);

INSERT INTO alembic_version (version_num) VALUES ('f6') RETURNING version_num;

-- ======== downgrade ========

-- Running downgrade f6 -> 

DROP TABLE setting;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';
