# The env.py both tools run for a downloaded history (the project's own env.py is
# never used: it imports the whole application). Written into the scratch folder
# as env.py; it only uses ``from alembic import context``, which limbeck answers
# with its own module, so Alembic and limbeck execute this same file.
#
# Options for context.configure() come from the ini's [alembic] realworld_configure
# (JSON), so one file serves every project; they are the options the project's own
# env.py passes (version table, transaction per migration, ...).
import json

# the applications have imported sqlalchemy.orm by the time their revisions run, and some
# revision files use sa.orm without importing it (manila)
import sqlalchemy.orm  # noqa: F401
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
options = json.loads(config.get_main_option("realworld_configure") or "{}")
# what the project's env.py passes to run_migrations() (the multidb template's engine_name);
# "<config>" stands for the Config object itself (trulens' env.py hands it to every upgrade())
run = {key: config if value == "<config>" else value for key, value in options.pop("run_migrations", {}).items()}
# options the project's alembic.ini or env.py sets in its main section for the revisions to read
for key, value in options.pop("main_options", {}).items():
    config.set_main_option(key, value)

if context.is_offline_mode():
    # as Alembic's own generic template: literal values, named paramstyle (so a
    # "%" in a literal is not doubled for a pyformat driver that never runs it)
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), literal_binds=True, dialect_opts={"paramstyle": "named"},
        **options,
    )
    with context.begin_transaction():
        context.run_migrations(**run)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations(**run)
