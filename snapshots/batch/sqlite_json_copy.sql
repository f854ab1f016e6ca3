CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL, 
    body JSON, 
    PRIMARY KEY (id)
);

INSERT INTO _alembic_tmp_t (id, body) SELECT t.id, t.body 
FROM t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
