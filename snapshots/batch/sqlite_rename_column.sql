CREATE TABLE _alembic_tmp_foo (
    id INTEGER NOT NULL, 
    x VARCHAR(50) DEFAULT 'hi' NOT NULL, 
    why INTEGER, 
    z INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_x UNIQUE (x), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id)
);

INSERT INTO _alembic_tmp_foo (id, x, why, z) SELECT foo.id, foo.x, foo.y, foo.z 
FROM foo;

DROP TABLE foo;

ALTER TABLE _alembic_tmp_foo RENAME TO foo;

CREATE INDEX ix_y ON foo (why);
