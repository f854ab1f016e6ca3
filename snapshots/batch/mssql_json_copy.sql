CREATE TABLE _alembic_tmp_t (
    id INTEGER NOT NULL IDENTITY, 
    body NVARCHAR(max) NULL, 
    PRIMARY KEY (id)
);

GO

SET IDENTITY_INSERT _alembic_tmp_t ON;

GO

INSERT INTO _alembic_tmp_t (id, body) SELECT t.id, CAST(t.body AS NVARCHAR(max)) AS body 
FROM t;

GO

SET IDENTITY_INSERT _alembic_tmp_t OFF;

GO

DROP TABLE t;

GO

EXEC sp_rename '_alembic_tmp_t', t;

GO
