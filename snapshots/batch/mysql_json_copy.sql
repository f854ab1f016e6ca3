CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    body JSON, 
    PRIMARY KEY (id)
);

INSERT INTO _alembic_tmp_t (id, body) SELECT t.id, CAST(t.body AS JSON) AS body 
FROM t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
