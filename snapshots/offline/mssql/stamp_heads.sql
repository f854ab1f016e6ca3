BEGIN TRANSACTION;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

GO

-- Running stamp_revision  -> e5

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('e5');

GO

-- Running stamp_revision  -> g7

INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('g7');

GO

COMMIT;

GO

