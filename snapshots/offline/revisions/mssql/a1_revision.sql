-- revision: a1
-- file: a1_revision.py
-- message: revision a1
-- dialect: mssql

-- ======== upgrade ========

BEGIN TRANSACTION;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

GO

-- Running upgrade  -> a1

CREATE TABLE account (
    id INTEGER NOT NULL IDENTITY, 
    name VARCHAR(50) NOT NULL, 
    balance NUMERIC(10, 2) NULL DEFAULT '0', 
    PRIMARY KEY (id)
);

GO

IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'account') AND name IN (N'id', N'name')) SET IDENTITY_INSERT account ON;

GO

INSERT INTO account (id, name) VALUES (1, 'o''brien');

GO

INSERT INTO account (id, name) VALUES (2, '100% sure');

GO

IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'account') AND name IN (N'id', N'name')) SET IDENTITY_INSERT account OFF;

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('a1');

GO

COMMIT;

GO

-- ======== downgrade ========

BEGIN TRANSACTION;

-- Running downgrade a1 -> 

DROP TABLE account;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';

GO

COMMIT;

GO
