EXEC sp_rename 'foo.y', why, 'COLUMN';

GO
