CREATE TABLE _alembic_tmp_foo (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    q INTEGER, 
    x VARCHAR(50) NOT NULL DEFAULT 'hi', 
    y INTEGER, 
    r VARCHAR(10), 
    z INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_x UNIQUE (x), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id)
);

INSERT INTO _alembic_tmp_foo (id, x, y, z) SELECT foo.id, foo.x, foo.y, foo.z 
FROM foo;

DROP TABLE foo;

ALTER TABLE _alembic_tmp_foo RENAME TO foo;

CREATE INDEX ix_y ON foo (y);
