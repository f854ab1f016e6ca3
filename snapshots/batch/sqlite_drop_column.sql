CREATE TABLE _alembic_tmp_foo (
    id INTEGER NOT NULL, 
    x VARCHAR(50) DEFAULT 'hi' NOT NULL, 
    y INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_x UNIQUE (x)
);

INSERT INTO _alembic_tmp_foo (id, x, y) SELECT foo.id, foo.x, foo.y 
FROM foo;

DROP TABLE foo;

ALTER TABLE _alembic_tmp_foo RENAME TO foo;

CREATE INDEX ix_y ON foo (y);
