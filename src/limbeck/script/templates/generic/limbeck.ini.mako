# limbeck configuration: one database.

[${section}]
# Folder of the migration environment (env.py, script.py.mako, versions/).
# %(here)s is the folder of this file.
script_location = ${script_location}

# Name pattern of new revision files. Tokens: %%(rev)s %%(slug)s %%(epoch)s
# %%(year)d %%(month).2d %%(day).2d %%(hour).2d %%(minute).2d %%(second).2d;
# the default is %%(rev)s_%%(slug)s. A "/" makes sub-folders (then also set
# recursive_version_locations = true). For example:
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s

# Paths put first on sys.path before env.py runs, so it can import your
# application; split by path_separator.
prepend_sys_path = .

# Time zone (a zoneinfo name such as Europe/Paris) for the create date written
# into revision files and their names; empty means local time.
# timezone =

# Longest %%(slug)s, in characters, before it is cut at a word boundary.
# truncate_slug_length = 40

# true: run env.py for 'revision' even without --autogenerate.
# revision_environment = false

# true: also accept compiled .pyc revision files that have no .py source.
# sourceless = false

# Folders that hold revision files (default: <script_location>/versions).
# With several, the first revision of a new branch needs --version-path.
# version_locations = %(here)s/migrations/versions:%(here)s/other/versions

# true: also look for revision files in sub-folders of each version location.
# recursive_version_locations = false

# How lists such as version_locations and prepend_sys_path are split:
# os (the platform's os.pathsep), ":", ";", "space" or "newline".
path_separator = os

# Encoding of generated revision files.
# output_encoding = utf-8

# Online runs take a lock on the database (PostgreSQL advisory lock, GET_LOCK,
# sp_getapplock, SQLite's file lock) so two runs never apply a revision twice;
# the second waits. lock_timeout (seconds) makes it give up instead.
# migration_lock = true
# lock_timeout =

# true: check every statement of --sql output with sqlglot (see limbeck lint/plan too).
# validate_sql = false

# The database. env.py reads it; the default is an SQLite file next to
# this config, so a new project runs without a server.
sqlalchemy.url = sqlite:///%(here)s/app.db

# Dialect for 'upgrade --sql' when sqlalchemy.url is empty (e.g. postgresql).
# dialect_name =


[post_write_hooks]
# Programs run on every new revision file, in the order listed in "hooks".
# REVISION_SCRIPT_FILENAME in options stands for the file's path.
#
# Format with black, through its console script:
# hooks = black
# black.type = console_scripts
# black.entrypoint = black
# black.options = -l 79 REVISION_SCRIPT_FILENAME
#
# Lint and fix with ruff, as "python -m ruff":
# hooks = ruff
# ruff.type = module
# ruff.module = ruff
# ruff.options = check --fix REVISION_SCRIPT_FILENAME
#
# Or any executable on PATH:
# hooks = ruff
# ruff.type = exec
# ruff.executable = ruff
# ruff.options = check --fix REVISION_SCRIPT_FILENAME


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
