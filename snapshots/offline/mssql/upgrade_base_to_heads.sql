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

-- Running upgrade a1 -> b2

ALTER TABLE account ADD email VARCHAR(100) NULL;

GO

CREATE INDEX ix_account_email ON account (email);

GO

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';

GO

-- Running upgrade b2 -> d4

CREATE TABLE tag (
    id INTEGER NOT NULL IDENTITY, 
    label VARCHAR(30) NULL, 
    PRIMARY KEY (id)
);

GO

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'b2';

GO

-- Running upgrade b2 -> c3

CREATE TABLE audit (
    id INTEGER NOT NULL IDENTITY, 
    note TEXT NULL, 
    PRIMARY KEY (id)
);

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('c3');

GO

-- Running upgrade  -> f6

CREATE TABLE setting (
    skey VARCHAR(40) NOT NULL, 
    value VARCHAR(200) NULL, 
    PRIMARY KEY (skey)
);

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('f6');

GO

-- Running upgrade f6 -> g7

IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'setting') AND name IN (N'skey', N'value')) SET IDENTITY_INSERT setting ON;

GO

INSERT INTO setting (skey, value) VALUES ('audit', 'on');

GO

IF EXISTS (SELECT 1 FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'setting') AND name IN (N'skey', N'value')) SET IDENTITY_INSERT setting OFF;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

GO

UPDATE alembic_version SET version_num='g7' WHERE alembic_version.version_num = 'c3';

GO

-- Running upgrade c3, d4 -> e5

UPDATE account SET name = 'merged' WHERE id = 2;

GO

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'd4';

GO

COMMIT;

GO

