CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL IDENTITY, 
    n FLOAT NULL, 
    i BIGINT NULL, 
    s TEXT NULL, 
    day DATETIME NULL, 
    PRIMARY KEY (id)
);

GO

SET IDENTITY_INSERT _alembic_tmp_t ON;

GO

INSERT INTO _alembic_tmp_t (id, n, i, s, day) SELECT t.id, CAST(t.n AS FLOAT) AS n, t.i, t.s, CAST(t.d AS DATETIME) AS d 
FROM t;

GO

SET IDENTITY_INSERT _alembic_tmp_t OFF;

GO

DROP TABLE t;

GO

EXEC sp_rename '_alembic_tmp_t', t;

GO
