CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> p01

UPDATE note SET body = 'it''s' WHERE id = 1;

INSERT INTO note (id, `body`) VALUES (2, 'two');

INSERT INTO note (id, `body`) VALUES (3, NULL);

UPDATE note SET `body`='four' WHERE note.id = 4;

UPDATE note SET `body`='five' WHERE note.id = 5;

UPDATE note SET `body`='six' WHERE note.id = 6;

INSERT INTO alembic_version (version_num) VALUES ('p01') RETURNING alembic_version.version_num;

