-- revision: d4
-- file: d4_revision.py
-- message: revision d4
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

-- Running upgrade b2 -> d4

CREATE TABLE tag (
    id INTEGER NOT NULL IDENTITY, 
    label VARCHAR(30) NULL, 
    PRIMARY KEY (id)
);

GO

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'b2';

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade d4 -> b2

DROP TABLE tag;

GO

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'd4';

GO

COMMIT;

GO
