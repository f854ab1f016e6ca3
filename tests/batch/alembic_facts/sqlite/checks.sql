CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL, 
    lo INTEGER, 
    hi INTEGER CHECK (hi < 1000), 
    remark VARCHAR(20), 
    PRIMARY KEY (id), 
    CHECK (lo <= hi)
);

INSERT INTO _alembic_tmp_t (id, lo, hi, remark) SELECT t.id, t.lo, t.hi, t.note 
FROM t;

DROP TABLE t;

ALTER TABLE _alembic_tmp_t RENAME TO t;
