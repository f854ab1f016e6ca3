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

-- Running upgrade b2 -> c3

CREATE TABLE audit (
    id INTEGER NOT NULL IDENTITY, 
    note TEXT NULL, 
    PRIMARY KEY (id)
);

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('c3');

GO

-- Running upgrade c3, d4 -> e5

UPDATE account SET name = 'merged' WHERE id = 2;

GO

DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';

GO

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'd4';

GO

COMMIT;

GO

