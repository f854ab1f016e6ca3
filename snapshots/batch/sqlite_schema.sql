CREATE TABLE app._alembic_tmp_foo (
    id INTEGER NOT NULL, 
    x VARCHAR(50) DEFAULT 'hi' NOT NULL, 
    z INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_x UNIQUE (x), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id)
);

INSERT INTO app._alembic_tmp_foo (id, x, z) SELECT app.foo.id, app.foo.x, app.foo.z 
FROM app.foo;

DROP TABLE app.foo;

ALTER TABLE app._alembic_tmp_foo RENAME TO foo;
