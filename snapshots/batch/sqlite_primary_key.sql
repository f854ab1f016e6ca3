CREATE TABLE _alembic_tmp_foo (
    id INTEGER NOT NULL, 
    x VARCHAR(50) DEFAULT 'hi' NOT NULL, 
    y INTEGER, 
    z INTEGER, 
    CONSTRAINT pk_foo PRIMARY KEY (id, x), 
    CONSTRAINT uq_x UNIQUE (x), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id)
);

INSERT INTO _alembic_tmp_foo (id, x, y, z) SELECT foo.id, foo.x, foo.y, foo.z 
FROM foo;

DROP TABLE foo;

ALTER TABLE _alembic_tmp_foo RENAME TO foo;

CREATE INDEX ix_y ON foo (y);
