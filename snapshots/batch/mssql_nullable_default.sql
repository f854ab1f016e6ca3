ALTER TABLE foo ALTER COLUMN y INTEGER NOT NULL;

GO

ALTER TABLE foo ADD DEFAULT '0' FOR y;

GO

declare @const_name varchar(256)
select @const_name = QUOTENAME([name]) from sys.default_constraints
where parent_object_id = object_id('foo')
and col_name(parent_object_id, parent_column_id) = 'x'
exec('alter table foo drop constraint ' + @const_name);

GO
