CREATE TABLE _alembic_tmp_foo (
    id INTEGER NOT NULL IDENTITY, 
    q INTEGER NULL, 
    x VARCHAR(50) NOT NULL DEFAULT 'hi', 
    y INTEGER NULL, 
    r VARCHAR(10) NULL, 
    z INTEGER NULL, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_x UNIQUE (x), 
    CONSTRAINT fk_z FOREIGN KEY(z) REFERENCES bar (id)
);

GO

SET IDENTITY_INSERT _alembic_tmp_foo ON;

GO

INSERT INTO _alembic_tmp_foo (id, x, y, z) SELECT foo.id, foo.x, foo.y, foo.z 
FROM foo;

GO

SET IDENTITY_INSERT _alembic_tmp_foo OFF;

GO

DROP TABLE foo;

GO

EXEC sp_rename '_alembic_tmp_foo', foo;

GO

CREATE INDEX ix_y ON foo (y);

GO
