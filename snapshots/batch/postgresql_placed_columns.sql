ALTER TABLE foo DROP CONSTRAINT fk_z;

ALTER TABLE foo DROP CONSTRAINT uq_x;

CREATE TABLE _alembic_tmp_foo (
    id SERIAL NOT NULL, 
    q INTEGER, 
    x VARCHAR(50) DEFAULT 'hi' NOT NULL, 
    y INTEGER, 
    r VARCHAR(10), 
    z INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_x UNIQUE (x), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id)
);

INSERT INTO _alembic_tmp_foo (id, x, y, z) SELECT foo.id, foo.x, foo.y, foo.z 
FROM foo;

SELECT setval(pg_get_serial_sequence('_alembic_tmp_foo', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM _alembic_tmp_foo;

DROP TABLE foo;

ALTER TABLE _alembic_tmp_foo RENAME TO foo;

CREATE INDEX ix_y ON foo (y);
