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

-- Running upgrade c3, d4 -> e5

UPDATE account SET name = 'merged' WHERE id = 2;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'd4';

