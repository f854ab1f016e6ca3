CREATE TABLE _alembic_tmp_t (
    id SERIAL NOT NULL, 
    body JSON, 
    PRIMARY KEY (id)
);

INSERT INTO _alembic_tmp_t (id, body) SELECT t.id, CAST(t.body AS JSON) AS body 
FROM t;

SELECT setval(pg_get_serial_sequence('_alembic_tmp_t', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM _alembic_tmp_t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
