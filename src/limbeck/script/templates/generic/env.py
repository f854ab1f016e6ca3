"""The migration environment: limbeck executes this file for every command
that works on a database (upgrade, downgrade, stamp, current, check, ...).

Edit it freely; it is yours. The two functions below are the two modes:
offline renders SQL text (``--sql``), online runs on a connection.
"""

from logging.config import fileConfig

from limbeck import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.engine import Connection

# The Config of this run: values of limbeck.ini / pyproject.toml, -x arguments
# and anything a caller put into config.attributes.
config = context.config

# Logging is configured from the [loggers]/[handlers]/[formatters] sections.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# Set this to your models' MetaData to use 'limbeck revision --autogenerate':
#     from myapp.models import Base
#     target_metadata = Base.metadata
target_metadata = None

# Any other option of the config file is available the same way:
#     my_option = config.get_main_option("my_option")


def run_migrations_offline() -> None:
    """Write the migrations as a SQL script instead of running them.

    Needs no database and no DBAPI driver: the URL (or, without one, the
    ``dialect_name`` option) only tells limbeck which SQL dialect to write.
    """
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or None,
        dialect_name=config.get_main_option("dialect_name") or None,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Run the pending revisions on *connection*, in one transaction where possible."""
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live database.

    A caller that already holds a connection (an application at start-up, a
    test fixture) can pass it as ``config.attributes["connection"]``; it is
    used as is. Otherwise an engine is made from the ``sqlalchemy.*`` options.
    """
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
