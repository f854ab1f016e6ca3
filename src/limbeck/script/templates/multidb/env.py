"""The migration environment for several databases: limbeck executes this
file for every command that works on the databases.

The "databases" option lists the names; each has a config section with its
own sqlalchemy.url. Revisions define upgrade_<name>() / downgrade_<name>().
"""

import logging
import re
from logging.config import fileConfig
from typing import Any

from limbeck import context
from sqlalchemy import engine_from_config, pool

# Set to True to commit all databases with two-phase commit (the databases
# and drivers must support it).
USE_TWOPHASE = False

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)
logger = logging.getLogger("limbeck.env")

db_names = [name for name in re.split(r",\s*", config.get_main_option("databases", "") or "") if name]

# One MetaData per database for 'revision --autogenerate', holding only the
# tables of that database:
#     from myapp import models
#     target_metadata = {"engine1": models.metadata1, "engine2": models.metadata2}
target_metadata: dict[str, Any] = {}


def run_migrations_offline() -> None:
    """Write one SQL script per database (<name>.sql) instead of running them."""
    for name in db_names:
        url = config.get_section_option(name, "sqlalchemy.url") or None
        dialect_name = config.get_section_option(name, "dialect_name") or None
        filename = f"{name}.sql"
        logger.info("Migrating database %s into %s", name, filename)
        with open(filename, "w") as buffer:
            context.configure(
                url=url,
                dialect_name=dialect_name,
                output_buffer=buffer,
                target_metadata=target_metadata.get(name),
                literal_binds=True,
                dialect_opts={"paramstyle": "named"},
            )
            with context.begin_transaction():
                context.run_migrations(engine_name=name)


def run_migrations_online() -> None:
    """Run the migrations on every database, committing only if all succeed."""
    records: dict[str, dict[str, Any]] = {}
    for name in db_names:
        engine = engine_from_config(
            config.get_section(name, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        connection = engine.connect()
        transaction = connection.begin_twophase() if USE_TWOPHASE else connection.begin()
        records[name] = {"connection": connection, "transaction": transaction}

    try:
        for name, rec in records.items():
            logger.info("Migrating database %s", name)
            context.configure(
                connection=rec["connection"],
                upgrade_token=f"{name}_upgrades",
                downgrade_token=f"{name}_downgrades",
                target_metadata=target_metadata.get(name),
            )
            context.run_migrations(engine_name=name)
        if USE_TWOPHASE:
            for rec in records.values():
                rec["transaction"].prepare()
        for rec in records.values():
            rec["transaction"].commit()
    except BaseException:
        for rec in records.values():
            rec["transaction"].rollback()
        raise
    finally:
        for rec in records.values():
            rec["connection"].close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
