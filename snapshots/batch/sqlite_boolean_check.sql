CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL, 
    flag BOOLEAN, 
    PRIMARY KEY (id), 
    CONSTRAINT ck_flag CHECK (flag IN (0, 1))
);

INSERT INTO _alembic_tmp_t (id, flag) SELECT t.id, CAST(t.flag AS BOOLEAN) AS flag 
FROM t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
