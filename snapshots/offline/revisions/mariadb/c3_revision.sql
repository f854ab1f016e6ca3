-- revision: c3
-- file: c3_revision.py
-- message: revision c3
-- dialect: mariadb

-- ======== upgrade ========

-- Running upgrade b2 -> c3

CREATE TABLE audit (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    note TEXT, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('c3') RETURNING alembic_version.version_num;

-- ======== downgrade ========

-- Running downgrade c3 -> b2

DROP TABLE audit;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'c3';
