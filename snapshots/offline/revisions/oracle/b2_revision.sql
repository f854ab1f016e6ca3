-- revision: b2
-- file: b2_revision.py
-- message: revision b2
-- dialect: oracle

-- ======== upgrade ========

-- Running upgrade a1 -> b2

ALTER TABLE account ADD email VARCHAR2(100 CHAR)

/

CREATE INDEX ix_account_email ON account (email)

/

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'

/

-- ======== downgrade ========

-- Running downgrade b2 -> a1

DROP INDEX ix_account_email

/

ALTER TABLE account DROP COLUMN email

/

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2'

/
