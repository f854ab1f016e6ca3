CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> a1

CREATE TABLE account (
    id INTEGER NOT NULL, 
    name VARCHAR(50) NOT NULL, 
    balance NUMERIC(10, 2) DEFAULT '0', 
    PRIMARY KEY (id)
);

INSERT INTO account (id, name) VALUES (1, 'o''brien');

INSERT INTO account (id, name) VALUES (2, '100% sure');

INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING version_num;

-- Running upgrade a1 -> b2

ALTER TABLE account ADD COLUMN email VARCHAR(100);

CREATE INDEX ix_account_email ON account (email);

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';

-- Running upgrade b2 -> d4

CREATE TABLE tag (
    id INTEGER NOT NULL, 
    label VARCHAR(30), 
    PRIMARY KEY (id)
);

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'b2';

-- Running upgrade b2 -> c3

CREATE TABLE audit (
    id INTEGER NOT NULL, 
    note TEXT, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('c3') RETURNING version_num;

-- Running upgrade  -> f6

CREATE TABLE setting (
    skey VARCHAR(40) NOT NULL, 
    value VARCHAR(200), 
    PRIMARY KEY (skey)
);

INSERT INTO alembic_version (version_num) VALUES ('f6') RETURNING version_num;

-- Running upgrade f6 -> g7

INSERT INTO setting (skey, value) VALUES ('audit', 'on');

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f6';

UPDATE alembic_version SET version_num='g7' WHERE alembic_version.version_num = 'c3';

-- Running upgrade c3, d4 -> e5

UPDATE account SET name = 'merged' WHERE id = 2;

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'd4';

