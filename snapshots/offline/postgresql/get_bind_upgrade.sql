BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> r01

UPDATE note SET body = 'postgresql/postgresql/postgresql/postgresql';

UPDATE note SET body = 'pg';

INSERT INTO alembic_version (version_num) VALUES ('r01') RETURNING alembic_version.version_num;

-- Running upgrade r01 -> r02

SELECT 1;

CREATE TYPE thing_kind AS ENUM ('a', 'b');

CREATE TABLE thing (
    id SERIAL NOT NULL, 
    label VARCHAR(40), 
    kind thing_kind, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_thing_label ON thing (label);

COMMENT ON TABLE thing IS 'made offline';

INSERT INTO thing (id, label) VALUES (0, 'seed');

CREATE INDEX ix_thing_label_id ON thing (label, id);

UPDATE alembic_version SET version_num='r02' WHERE alembic_version.version_num = 'r01';

-- Running upgrade r02 -> r03

CREATE TYPE child_size AS ENUM ('s', 'm');

UPDATE note SET body = 'before';

CREATE TABLE parent (
    id SERIAL NOT NULL, 
    flag BOOLEAN DEFAULT false, 
    PRIMARY KEY (id)
);

CREATE TABLE child (
    id SERIAL NOT NULL, 
    parent_id INTEGER NOT NULL, 
    size child_size, 
    made TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), 
    PRIMARY KEY (id), 
    CONSTRAINT uq_child UNIQUE (parent_id, size), 
    CONSTRAINT ck_child_id CHECK (id > 0), 
    FOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE
);

CREATE INDEX ix_child_made ON child (made DESC);

UPDATE alembic_version SET version_num='r03' WHERE alembic_version.version_num = 'r02';

-- Running upgrade r03 -> r04

CREATE TYPE mood AS ENUM ('happy', 'sad');

CREATE TYPE mood2 AS ENUM ('happy', 'sad');

UPDATE alembic_version SET version_num='r04' WHERE alembic_version.version_num = 'r03';

-- Running upgrade r04 -> r05

UPDATE note SET body = 'x' WHERE id = 1;

UPDATE note SET body='it''s' WHERE note.id = 2;

DELETE FROM note WHERE note.id > 10;

INSERT INTO note (id, body) VALUES (3, 'three');

SELECT id FROM note WHERE body IS NULL;

SELECT note.id 
FROM note 
WHERE note.body = 'x';

UPDATE note SET body = 'none found';

WITH old AS (SELECT id FROM note WHERE id < 5) UPDATE note SET body = 'old' WHERE id IN (SELECT id FROM old);

UPDATE alembic_version SET version_num='r05' WHERE alembic_version.version_num = 'r04';

-- Running upgrade r05 -> r06

CREATE TYPE status AS ENUM ('new', 'done');

CREATE TYPE letters AS ENUM ('a', 'b');

CREATE SEQUENCE ticket_seq START WITH 100;

CREATE TABLE ticket (
    id SERIAL NOT NULL, 
    status status, 
    PRIMARY KEY (id)
);

UPDATE alembic_version SET version_num='r06' WHERE alembic_version.version_num = 'r05';

-- Running upgrade r06 -> r07

-- moving notes
-- this may take a while 3 steps
--
-- half a line
UPDATE note SET body = 'printed';

-- static output stays raw

UPDATE alembic_version SET version_num='r07' WHERE alembic_version.version_num = 'r06';

COMMIT;

