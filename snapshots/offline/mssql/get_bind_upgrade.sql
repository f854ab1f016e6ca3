BEGIN TRANSACTION;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

GO

-- Running upgrade  -> r01

UPDATE note SET body = 'mssql/mssql/mssql/mssql';

GO

UPDATE note SET body = 'other';

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('r01');

GO

-- Running upgrade r01 -> r02

SELECT 1;

GO

CREATE TABLE thing (
    id INTEGER NOT NULL IDENTITY, 
    label VARCHAR(40) NULL, 
    kind VARCHAR(1) NULL, 
    PRIMARY KEY (id), 
    CONSTRAINT thing_kind CHECK (kind IN ('a', 'b'))
);

GO

CREATE INDEX ix_thing_label ON thing (label);

GO

INSERT INTO thing (id, label) VALUES (0, 'seed');

GO

CREATE INDEX ix_thing_label_id ON thing (label, id);

GO

UPDATE alembic_version SET version_num='r02' WHERE alembic_version.version_num = 'r01';

GO

-- Running upgrade r02 -> r03

UPDATE note SET body = 'before';

GO

CREATE TABLE parent (
    id INTEGER NOT NULL IDENTITY, 
    flag BIT NULL DEFAULT 0, 
    PRIMARY KEY (id)
);

GO

CREATE TABLE child (
    id INTEGER NOT NULL IDENTITY, 
    parent_id INTEGER NOT NULL, 
    size VARCHAR(1) NULL, 
    made DATETIME NULL DEFAULT CURRENT_TIMESTAMP, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_child UNIQUE (parent_id, size), 
    CONSTRAINT ck_child_id CHECK (id > 0), 
    FOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE
);

GO

CREATE INDEX ix_child_made ON child (made DESC);

GO

UPDATE alembic_version SET version_num='r03' WHERE alembic_version.version_num = 'r02';

GO

-- Running upgrade r03 -> r04

UPDATE alembic_version SET version_num='r04' WHERE alembic_version.version_num = 'r03';

GO

-- Running upgrade r04 -> r05

UPDATE note SET body = 'x' WHERE id = 1;

GO

UPDATE note SET body='it''s' WHERE note.id = 2;

GO

DELETE FROM note WHERE note.id > 10;

GO

INSERT INTO note (id, body) VALUES (3, 'three');

GO

SELECT id FROM note WHERE body IS NULL;

GO

SELECT note.id 
FROM note 
WHERE note.body = 'x';

GO

UPDATE note SET body = 'none found';

GO

WITH old AS (SELECT id FROM note WHERE id < 5) UPDATE note SET body = 'old' WHERE id IN (SELECT id FROM old);

GO

UPDATE alembic_version SET version_num='r05' WHERE alembic_version.version_num = 'r04';

GO

-- Running upgrade r05 -> r06

UPDATE alembic_version SET version_num='r06' WHERE alembic_version.version_num = 'r05';

GO

-- Running upgrade r06 -> r07

-- moving notes
-- this may take a while 3 steps
--
-- half a line
UPDATE note SET body = 'printed';

GO

-- static output stays raw

UPDATE alembic_version SET version_num='r07' WHERE alembic_version.version_num = 'r06';

GO

COMMIT;

GO

