-- revision: c3
-- file: c3_revision.py
-- message: revision c3
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

-- Running upgrade b2 -> c3

CREATE TABLE audit (
    id INTEGER NOT NULL IDENTITY, 
    note TEXT NULL, 
    PRIMARY KEY (id)
);

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('c3');

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade c3 -> b2

DROP TABLE audit;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';

GO

COMMIT;

GO
