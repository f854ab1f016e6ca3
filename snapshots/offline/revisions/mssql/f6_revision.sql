-- revision: f6
-- file: f6_revision.py
-- message: revision f6
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

-- Running upgrade  -> f6

CREATE TABLE setting (
    skey VARCHAR(40) NOT NULL, 
    value VARCHAR(200) NULL, 
    PRIMARY KEY (skey)
);

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('f6');

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade f6 -> 

DROP TABLE setting;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

GO

COMMIT;

GO
