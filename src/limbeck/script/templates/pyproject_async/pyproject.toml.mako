[tool.${section}]
# Folder of the migration environment (env.py, script.py.mako, versions/).
# %(here)s is the folder of this file.
script_location = "${script_location}"

# Name pattern of new revision files. Tokens: %%(rev)s %%(slug)s %%(epoch)s
# %%(year)d %%(month).2d %%(day).2d %%(hour).2d %%(minute).2d %%(second).2d;
# the default is %%(rev)s_%%(slug)s. A "/" makes sub-folders (then also set
# recursive_version_locations = true). For example:
# file_template = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"

# Paths put first on sys.path before env.py runs, so it can import your application.
prepend_sys_path = [
    ".",
]

# Time zone (a zoneinfo name such as "Europe/Paris") for the create date written
# into revision files and their names; unset means local time.
# timezone = "UTC"

# Longest %%(slug)s, in characters, before it is cut at a word boundary.
# truncate_slug_length = 40

# true: run env.py for 'revision' even without --autogenerate.
# revision_environment = false

# true: also accept compiled .pyc revision files that have no .py source.
# sourceless = false

# Folders that hold revision files (default: <script_location>/versions).
# With several, the first revision of a new branch needs --version-path.
# version_locations = [
#     "%(here)s/migrations/versions",
#     "%(here)s/other/versions",
# ]

# true: also look for revision files in sub-folders of each version location.
# recursive_version_locations = false

# Encoding of generated revision files.
# output_encoding = "utf-8"

# Online runs lock the database so two runs never apply a revision twice; the
# second waits, or gives up after lock_timeout seconds.
# migration_lock = true
# lock_timeout = 30

# Check every statement of --sql output with sqlglot.
# validate_sql = false

# Programs run on every new revision file, in order. REVISION_SCRIPT_FILENAME
# in options stands for the file's path.
#
# [[tool.${section}.post_write_hooks]]
# name = "black"
# type = "console_scripts"
# entrypoint = "black"
# options = "-l 79 REVISION_SCRIPT_FILENAME"
#
# [[tool.${section}.post_write_hooks]]
# name = "ruff"
# type = "module"
# module = "ruff"
# options = "check --fix REVISION_SCRIPT_FILENAME"
#
# [[tool.${section}.post_write_hooks]]
# name = "ruff"
# type = "exec"
# executable = "ruff"
# options = "check --fix REVISION_SCRIPT_FILENAME"
