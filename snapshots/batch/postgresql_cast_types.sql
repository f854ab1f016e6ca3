CREATE TABLE _alembic_tmp_t (
    id SERIAL NOT NULL, 
    n FLOAT, 
    i BIGINT, 
    s TEXT, 
    day DATE, 
    PRIMARY KEY (id)
);

INSERT INTO _alembic_tmp_t (id, n, i, s, day) SELECT t.id, CAST(t.n AS FLOAT) AS n, t.i, t.s, CAST(t.d AS DATE) AS d 
FROM t;

SELECT setval(pg_get_serial_sequence('_alembic_tmp_t', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM _alembic_tmp_t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
