CREATE TABLE _alembic_tmp_foo (
    id INTEGER NOT NULL, 
    x VARCHAR(50) DEFAULT 'hi' NOT NULL, 
    y INTEGER, 
    z INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id), 
    CONSTRAINT uq_y UNIQUE (y), 
    CONSTRAINT ck_y CHECK (y > 0)
);

INSERT INTO _alembic_tmp_foo (id, x, y, z) SELECT foo.id, foo.x, foo.y, foo.z 
FROM foo;

DROP TABLE foo;

ALTER TABLE _alembic_tmp_foo RENAME TO foo;

CREATE INDEX ix_y ON foo (y);
