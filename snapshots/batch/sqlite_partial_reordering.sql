CREATE TABLE _alembic_tmp_t (
    d INTEGER, 
    c INTEGER, 
    a INTEGER
);

INSERT INTO _alembic_tmp_t (d, c, a) SELECT t.d, t.c, t.a 
FROM t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
