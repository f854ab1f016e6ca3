BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> e5

INSERT INTO alembic_version (version_num) VALUES ('e5') RETURNING alembic_version.version_num;

-- Running stamp_revision  -> g7

INSERT INTO alembic_version (version_num) VALUES ('g7') RETURNING alembic_version.version_num;

COMMIT;

