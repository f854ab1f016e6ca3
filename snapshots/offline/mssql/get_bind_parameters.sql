BEGIN TRANSACTION;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

GO

-- Running upgrade  -> p01

UPDATE note SET body = 'it''s' WHERE id = 1;

GO

INSERT INTO note (id, body) VALUES (2, 'two');

GO

INSERT INTO note (id, body) VALUES (3, NULL);

GO

UPDATE note SET body='four' WHERE note.id = 4;

GO

UPDATE note SET body='five' WHERE note.id = 5;

GO

UPDATE note SET body='six' WHERE note.id = 6;

GO

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('p01');

GO

COMMIT;

GO

