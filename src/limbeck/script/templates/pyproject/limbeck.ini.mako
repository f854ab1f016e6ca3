# limbeck configuration: connection and logging (the other settings are in
# the [tool.${section}] table of pyproject.toml).

[${section}]
# The database. env.py reads it; the default is an SQLite file next to
# this config, so a new project runs without a server.
sqlalchemy.url = sqlite:///%(here)s/app.db

# Dialect for 'upgrade --sql' when sqlalchemy.url is empty (e.g. postgresql).
# dialect_name =


# Logging, read by the fileConfig() call in env.py.
[loggers]
keys = root,sqlalchemy,limbeck

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_limbeck]
level = INFO
handlers =
qualname = limbeck

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
