ALTER TABLE t DROP CONSTRAINT ck_lo;

GO

EXEC sp_rename 't.note', remark, 'COLUMN';

GO
