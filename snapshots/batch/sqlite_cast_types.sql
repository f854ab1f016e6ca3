CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL, 
    n FLOAT, 
    i BIGINT, 
    s TEXT, 
    day DATE, 
    PRIMARY KEY (id)
);

INSERT INTO _alembic_tmp_t (id, n, i, s, day) SELECT t.id, CAST(t.n AS FLOAT) AS n, t.i, t.s, t.d 
FROM t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
