"""The migration environment: limbeck executes this file for every command
that works on a database (upgrade, downgrade, stamp, current, check, ...).

Edit it freely; it is yours. The two functions below are the two modes:
offline renders SQL text (``--sql``), online runs on a connection.
"""

import asyncio
from logging.config import fileConfig

from limbeck import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

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


async def run_async_migrations() -> None:
    """Open an async connection and run the (synchronous) migrations on it."""
    engine = async_engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


def run_migrations_online() -> None:
    """Run the migrations on a live database through the async driver.

    A caller that already holds a (synchronous) connection, such as the one
    ``AsyncConnection.run_sync`` hands out, can pass it as
    ``config.attributes["connection"]``; it is used as is.
    """
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
