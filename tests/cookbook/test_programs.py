"""Cookbook recipes that are programs calling Alembic's Python API (run with ``alembic`` switched to limbeck).

Recipes (Alembic's docs/build/cookbook.rst): building an up-to-date database
from scratch (``create_all`` then ``command.stamp``, then pruning old
revisions), sharing one connection across commands through
``config.attributes['connection']``, testing that a database is at its heads
(``MigrationContext.get_current_heads`` against ``ScriptDirectory.get_heads``),
asyncio (``connection.run_sync``, ``asyncio.run``), printing Python code for
tables (``render_python_code``), running operation objects directly
(``produce_migrations`` then ``Operations.invoke``), and a ``CommandLine`` with
a registered command. Each project is ours, written from the described
behaviour.
"""

from __future__ import annotations

from pathlib import Path

from cookbook_files import env_py, project, revision
from cookbook_harness import AS_ALEMBIC, Project, compare

CUSTOMER = "op.create_table('customer', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(40)))"
ORDERS = ("op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True),"
          " sa.Column('customer_id', sa.Integer, sa.ForeignKey('customer.id')))\n"
          "op.create_index('ix_orders_customer', 'orders', ['customer_id'])")
EMAIL = "op.add_column('customer', sa.Column('email', sa.String(80)))"

HISTORY = {
    "a1_customer": revision("a1", None, CUSTOMER, "op.drop_table('customer')"),
    "b2_orders": revision("b2", "a1", ORDERS, "op.drop_index('ix_orders_customer', 'orders')\nop.drop_table('orders')"),
    "c3_email": revision("c3", "b2", EMAIL, "op.drop_column('customer', 'email')"),
}

MODELS = '''\
import sqlalchemy as sa

metadata = sa.MetaData()
customer = sa.Table(
    "customer", metadata,
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)), sa.Column("email", sa.String(80)),
)
orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id")),
    sa.Index("ix_orders_customer", "customer_id"),
)
'''

#: run_migrations_online() using a connection handed over in config.attributes, else its own engine
SHARED_ENV = env_py().replace(
    "    connectable = engine_from_config(",
    """    given = config.attributes.get("connection")
    if given is not None:
        context.configure(connection=given, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(""",
)


def test_up_to_date_database_from_scratch(tmp_path: Path) -> None:
    """create_all() plus ``stamp head``; then old revisions pruned, the oldest left becoming the base."""
    create = '''\
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from models import metadata

cfg = Config("alembic.ini")
engine = sa.create_engine(cfg.get_main_option("sqlalchemy.url"))
metadata.create_all(engine)
command.stamp(cfg, "head")
command.current(cfg, verbose=False)
'''
    prune = '''\
from pathlib import Path

versions = Path("migrations/versions")
for name in ("a1_customer.py", "b2_orders.py"):
    (versions / name).unlink()
path = versions / "c3_email.py"
path.write_text(path.read_text().replace("down_revision = 'b2'", "down_revision = None"))
'''
    files = project(HISTORY)
    files.update({"models.py": MODELS, "create_db.py": create, "prune.py": prune})
    steps = [
        ["python", "create_db.py"], ["upgrade", "head"], ["python", "prune.py"], ["history"], ["current"],
        ["heads"], ["downgrade", "base"], ["upgrade", "head"],
    ]
    compare(tmp_path, Project(files), steps, tools=(AS_ALEMBIC,))


def test_connection_shared_across_commands(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """Several commands in the caller's transaction (PostgreSQL: DDL is transactional, so it can be undone)."""
    program = '''\
import sys

import sqlalchemy as sa
from alembic import command, config

cfg = config.Config("alembic.ini")
engine = sa.create_engine(cfg.get_main_option("sqlalchemy.url"))
abandon = sys.argv[1:] == ["abandon"]
try:
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        if abandon:
            command.downgrade(cfg, "base")
            command.current(cfg)
            raise RuntimeError("changed my mind")
        command.upgrade(cfg, "a1")
        command.current(cfg)
        command.upgrade(cfg, "head")
        command.current(cfg)
except RuntimeError as exc:
    print("rolled back:", exc)
'''
    files = project(HISTORY, env=SHARED_ENV)
    files["shared.py"] = program
    steps = [["python", "shared.py"], ["python", "shared.py", "abandon"], ["current"]]
    compare(tmp_path, Project(files, urls=pg_per_tool), steps, tools=(AS_ALEMBIC,))


def test_current_revision_is_at_heads(tmp_path: Path) -> None:
    """Two heads: the database is "at head" only once both are applied."""
    program = '''\
import sys

import sqlalchemy as sa
from alembic import command, config, script
from alembic.runtime import migration

cfg = config.Config("alembic.ini")
engine = sa.create_engine(cfg.get_main_option("sqlalchemy.url"))


def at_heads():
    directory = script.ScriptDirectory.from_config(cfg)
    with engine.begin() as connection:
        context = migration.MigrationContext.configure(connection)
        current = set(context.get_current_heads())
        return current == set(directory.get_heads()), sorted(current), sorted(directory.get_heads())


print(at_heads())
command.upgrade(cfg, sys.argv[1])
print(at_heads())
'''
    history = {
        "a1_customer": revision("a1", None, CUSTOMER, "op.drop_table('customer')"),
        "b2_orders": revision("b2", "a1", ORDERS, "op.drop_table('orders')"),
        "c3_email": revision("c3", "a1", EMAIL, "op.drop_column('customer', 'email')"),
    }
    files = project(history)
    files["check.py"] = program
    steps = [["python", "check.py", "b2"], ["python", "check.py", "heads"]]
    compare(tmp_path, Project(files), steps, tools=(AS_ALEMBIC,))


ASYNC_ENV = '''\
import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import async_engine_from_config

config = context.config
fileConfig(config.config_file_name)


def do_run_migrations(connection):
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations():
    engine = async_engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                      poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    do_run_migrations(config.attributes["connection"])
else:
    asyncio.run(run_async_migrations())
'''


def test_asyncio(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """The async env.py from the command line, and from an asyncio program through ``run_sync``."""
    program = '''\
import asyncio

from alembic import command, config
from sqlalchemy.ext.asyncio import create_async_engine


def run_upgrade(connection, cfg):
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")
    command.current(cfg)


async def main():
    cfg = config.Config("alembic.ini")
    engine = create_async_engine(cfg.get_main_option("sqlalchemy.url"))
    async with engine.begin() as connection:
        await connection.run_sync(run_upgrade, cfg)
    await engine.dispose()


asyncio.run(main())
'''
    files = project(HISTORY, env=ASYNC_ENV)
    files["upgrade_async.py"] = program
    steps = [["upgrade", "a1"], ["current"], ["python", "upgrade_async.py"], ["downgrade", "b2"], ["current"],
             ["upgrade", "b2:head", "--sql"]]
    sqlite = dict(files, **{"alembic.ini": files["alembic.ini"].replace("{url}", "sqlite+aiosqlite:///{root}/app.db")})
    compare(tmp_path / "sqlite", Project(sqlite), steps, tools=(AS_ALEMBIC,))
    on_server = dict(files, **{"alembic.ini": files["alembic.ini"].replace("{url}", "{async_url}")})
    async_urls = {tool: {"async_url": urls[0].replace("+psycopg", "+psycopg_async")} for tool, urls in pg_per_tool.items()}
    compare(tmp_path / "postgresql", Project(on_server, urls=pg_per_tool, fill=async_urls), steps, tools=(AS_ALEMBIC,))


def test_render_python_code_for_reflected_tables(tmp_path: Path) -> None:
    """``render_python_code`` over ``CreateTableOp.from_table`` / ``CreateIndexOp.from_index`` of reflected tables."""
    program = '''\
import sqlalchemy as sa
from alembic import autogenerate
from alembic.operations import ops

engine = sa.create_engine("sqlite:///app.db")
with engine.begin() as conn:
    conn.exec_driver_sql("CREATE TABLE users (id INTEGER NOT NULL, name VARCHAR(30) DEFAULT 'x', PRIMARY KEY (id))")
    conn.exec_driver_sql(
        "CREATE TABLE user_properties (users_id INTEGER NOT NULL, property_name VARCHAR(255) NOT NULL,"
        " property_value TEXT NOT NULL, CONSTRAINT property_name_users_id UNIQUE (property_name, users_id),"
        " CONSTRAINT user_properties_fk FOREIGN KEY(users_id) REFERENCES users (id) ON DELETE CASCADE)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_users_id ON user_properties (users_id)")
    metadata = sa.MetaData()
    for name in ("users", "user_properties"):
        sa.Table(name, metadata, autoload_with=conn)

upgrade = ops.UpgradeOps(
    ops=[ops.CreateTableOp.from_table(table) for table in metadata.tables.values()]
    + [ops.CreateIndexOp.from_index(index) for table in metadata.tables.values() for index in table.indexes]
)
# pasted into a revision file, as a user would
with open("rendered.py", "w") as out:
    out.write("def upgrade():\n    " + autogenerate.render_python_code(upgrade) + "\n\n\n")
    out.write("def downgrade():\n    " + autogenerate.render_python_code(upgrade.reverse()) + "\n")
'''
    files = project({})
    files["render.py"] = program
    compare(tmp_path, Project(files), [["python", "render.py"]], tools=(AS_ALEMBIC,))


def test_operation_objects_invoked_directly(tmp_path: Path) -> None:
    """``produce_migrations`` against the database, then each operation through ``Operations.invoke`` (batch on SQLite)."""
    program = '''\
import sqlalchemy as sa
from alembic.autogenerate import produce_migrations
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.operations.ops import ModifyTableOps

engine = sa.create_engine("sqlite:///app.db")
with engine.begin() as conn:
    conn.exec_driver_sql("CREATE TABLE foo (id INTEGER NOT NULL PRIMARY KEY, old_data VARCHAR(50), x INTEGER)")
    conn.exec_driver_sql("CREATE TABLE bar (data VARCHAR(50))")

metadata = sa.MetaData()
sa.Table("foo", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("data", sa.Integer),
         sa.Column("x", sa.Integer, nullable=False))
sa.Table("bat", metadata, sa.Column("info", sa.String(100)))

with engine.begin() as conn:
    context = MigrationContext.configure(conn)
    migrations = produce_migrations(context, metadata)
    operations = Operations(context)
    pending = [migrations.upgrade_ops]
    while pending:
        element = pending.pop(0)
        if isinstance(element, ModifyTableOps):
            with operations.batch_alter_table(element.table_name, schema=element.schema) as batch:
                for table_op in element.ops:
                    batch.invoke(table_op)
        elif hasattr(element, "ops"):
            pending.extend(element.ops)
        else:
            operations.invoke(element)
'''
    files = project({})
    files["invoke.py"] = program
    compare(tmp_path, Project(files), [["python", "invoke.py"]], tools=(AS_ALEMBIC,))


def test_command_line_with_registered_command(tmp_path: Path) -> None:
    """``CommandLine().register_command(fn)``: the new command runs beside the standard ones."""
    program = '''\
import sys

from alembic.config import CommandLine, Config


def frobnicate(config: Config, revision: str, sql: bool = False, times: int = 3) -> None:
    """Frobnicates a revision.

    ``sql`` is a standard option, so it is on the command line; ``times`` is not, and comes as None.
    """
    config.print_stdout(f"Revision {revision} frobnicated (sql={sql}, times={times}).")


cli = CommandLine(prog="myalembic")
cli.register_command(frobnicate)
cli.main(argv=sys.argv[1:])
'''
    files = project(HISTORY)
    files["myalembic.py"] = program
    steps = [["python", "myalembic.py", "frobnicate", "c3"], ["python", "myalembic.py", "frobnicate", "c3", "--sql"],
             ["python", "myalembic.py", "heads"]]
    compare(tmp_path, Project(files), steps, tools=(AS_ALEMBIC,))
