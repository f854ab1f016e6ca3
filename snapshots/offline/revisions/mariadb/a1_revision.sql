-- revision: a1
-- file: a1_revision.py
-- message: revision a1
-- dialect: mariadb

-- ======== upgrade ========

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> a1

CREATE TABLE account (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    name VARCHAR(50) NOT NULL, 
    balance NUMERIC(10, 2) DEFAULT '0', 
    PRIMARY KEY (id)
);

INSERT INTO account (id, name) VALUES (1, 'o''brien');

INSERT INTO account (id, name) VALUES (2, '100% sure');

INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;

-- ======== downgrade ========

-- Running downgrade a1 -> 

DROP TABLE account;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';
