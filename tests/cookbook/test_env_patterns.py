"""Cookbook recipes that live in env.py, revision files and alembic.ini, run from the command line.

Recipes (Alembic's docs/build/cookbook.rst and the pages it links): conditional
migration elements (``-x data=true`` read by ``context.get_x_argument()`` in a
customised ``script.py.mako``); replaceable objects (``MigrateOperation``
subclasses registered with ``Operations.register_operation`` and
``Operations.implementation_for``, a revision naming an older revision's
object); schema-level multi-tenancy (``-x tenant=``, ``search_path``,
``version_table_schema``); several environments in one .ini (``--name``); the
multidb template, one run per database; ``transaction_per_migration``,
``version_table`` options and ``--sql`` from a starting revision; and
``post_write_hooks``. Each project is ours, written from the described
behaviour; Alembic 1.20.1 runs it beside limbeck.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cookbook_files import TEMPLATES, env_py, ini, project, replace_once, revision
from cookbook_harness import AS_ALEMBIC, LIMBECK, Project, compare

#: Alembic's script.py.mako with schema and data halves; the data half runs only with ``-x data=true``
DATA_MAKO = replace_once(
    replace_once((TEMPLATES / "generic" / "script.py.mako").read_text(), "from alembic import op\n",
                 "from alembic import context, op\n"),
    '''def upgrade() -> None:
    """Upgrade schema."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    ${downgrades if downgrades else "pass"}
''',
    '''def with_data():
    return bool(context.get_x_argument(as_dictionary=True).get("data"))


def upgrade():
    schema_upgrades()
    if with_data():
        data_upgrades()


def downgrade():
    if with_data():
        data_downgrades()
    schema_downgrades()


def schema_upgrades():
    ${upgrades if upgrades else "pass"}


def schema_downgrades():
    ${downgrades if downgrades else "pass"}


def data_upgrades():
    pass


def data_downgrades():
    pass
''',
)


def test_conditional_migration_elements(tmp_path: Path) -> None:
    """The template's data half: rows only with ``-x data=true``, online and in ``--sql``."""
    fill = '''\
from pathlib import Path

path = next(Path("migrations/versions").glob("r1_*.py"))
text = path.read_text()
text = text.replace("def schema_upgrades():\\n    pass", "def schema_upgrades():\\n"
                    "    op.create_table('color', sa.Column('name', sa.String(20)))")
text = text.replace("def schema_downgrades():\\n    pass", "def schema_downgrades():\\n    op.drop_table('color')")
text = text.replace("def data_upgrades():\\n    pass", "def data_upgrades():\\n"
                    "    color = sa.table('color', sa.column('name', sa.String))\\n"
                    "    op.bulk_insert(color, [{'name': 'red'}, {'name': \\"it's blue\\"}])")
text = text.replace("def data_downgrades():\\n    pass", "def data_downgrades():\\n    op.execute('DELETE FROM color')")
assert "bulk_insert" in text and "DELETE FROM color" in text and "create_table" in text and "drop_table" in text
path.write_text(text)
'''
    files = project({})
    files["migrations/script.py.mako"] = DATA_MAKO
    files["fill.py"] = fill
    steps = [
        ["revision", "-m", "rev one", "--rev-id", "r1"], ["python", "fill.py"],
        ["upgrade", "head"], ["downgrade", "base"], ["-x", "data=true", "upgrade", "head"],
        ["-x", "data=true", "downgrade", "base"], ["-x", "data=true", "upgrade", "head", "--sql"],
        ["upgrade", "head", "--sql"],
    ]
    compare(tmp_path, Project(files), steps, tools=(LIMBECK,))


#: the replaceable-object operations: an application module env.py imports
REPLACEABLE = '''\
from alembic.operations import MigrateOperation, Operations


class Replaceable:
    """A named object created from SQL text all at once (a view, a function)."""

    def __init__(self, name, sqltext):
        self.name = name
        self.sqltext = sqltext


class ReversibleOp(MigrateOperation):
    def __init__(self, target):
        self.target = target

    @classmethod
    def invoke_for_target(cls, operations, target):
        return operations.invoke(cls(target))

    def reverse(self):
        raise NotImplementedError()

    @classmethod
    def object_in(cls, operations, ident):
        """``"<revision>.<name>"``: the object as that revision's module defines it."""
        rev, name = ident.split(".")
        return getattr(operations.get_context().script.get_revision(rev).module, name)

    @classmethod
    def replace(cls, operations, target, replaces=None, replace_with=None):
        if replaces:
            drop, create = cls(cls.object_in(operations, replaces)).reverse(), cls(target)
        elif replace_with:
            drop, create = cls(target).reverse(), cls(cls.object_in(operations, replace_with))
        else:
            raise TypeError("replaces or replace_with is required")
        operations.invoke(drop)
        operations.invoke(create)


@Operations.register_operation("create_view", "invoke_for_target")
@Operations.register_operation("replace_view", "replace")
class CreateViewOp(ReversibleOp):
    def reverse(self):
        return DropViewOp(self.target)


@Operations.register_operation("drop_view", "invoke_for_target")
class DropViewOp(ReversibleOp):
    def reverse(self):
        return CreateViewOp(self.target)


@Operations.register_operation("create_sp", "invoke_for_target")
@Operations.register_operation("replace_sp", "replace")
class CreateSPOp(ReversibleOp):
    def reverse(self):
        return DropSPOp(self.target)


@Operations.register_operation("drop_sp", "invoke_for_target")
class DropSPOp(ReversibleOp):
    def reverse(self):
        return CreateSPOp(self.target)


@Operations.implementation_for(CreateViewOp)
def create_view(operations, operation):
    operations.execute(f"CREATE VIEW {operation.target.name} AS {operation.target.sqltext}")


@Operations.implementation_for(DropViewOp)
def drop_view(operations, operation):
    operations.execute(f"DROP VIEW {operation.target.name}")


@Operations.implementation_for(CreateSPOp)
def create_sp(operations, operation):
    operations.execute(f"CREATE FUNCTION {operation.target.name} {operation.target.sqltext}")


@Operations.implementation_for(DropSPOp)
def drop_sp(operations, operation):
    operations.execute(f"DROP FUNCTION {operation.target.name}")
'''

_SP = '''RETURNS integer AS $$
    BEGIN
        INSERT INTO customer (name, order_count) VALUES (in_name, in_count);
        RETURN 1;
    END;
    $$ LANGUAGE plpgsql'''
REPLACEABLE_HISTORY = {
    "r1_customer": revision("r1", None, "op.create_table('customer', sa.Column('id', sa.Integer, primary_key=True),"
                            " sa.Column('name', sa.String), sa.Column('order_count', sa.Integer))",
                            "op.drop_table('customer')"),
    "r2_views": revision(
        "r2", "r1", "op.create_view(customer_view)\nop.create_sp(add_customer)",
        "op.drop_view(customer_view)\nop.drop_sp(add_customer)",
        head="from objects import Replaceable\n\n"
        "customer_view = Replaceable('customer_view', 'SELECT name, order_count FROM customer WHERE order_count > 0')\n"
        f"add_customer = Replaceable('add_customer(in_name varchar, in_count integer)', '''{_SP}''')\n",
    ),
    "r3_email": revision("r3", "r2", "op.add_column('customer', sa.Column('email', sa.String))",
                         "op.drop_column('customer', 'email')"),
    "r4_replace": revision(
        "r4", "r3",
        "op.replace_view(customer_view, replaces='r2.customer_view')\n"
        "op.replace_sp(add_customer, replaces='r2.add_customer')",
        "op.replace_view(customer_view, replace_with='r2.customer_view')\n"
        "op.replace_sp(add_customer, replace_with='r2.add_customer')",
        head="from objects import Replaceable\n\n"
        "customer_view = Replaceable('customer_view', 'SELECT name, order_count, email FROM customer WHERE order_count > 0')\n"
        "add_customer = Replaceable('add_customer(in_name varchar, in_count integer, in_email varchar)', "
        f"'''{_SP.replace('(name, order_count) VALUES (in_name, in_count)', '(name, order_count, email) VALUES (in_name, in_count, in_email)')}''')\n",
    ),
}


#: prints the database's add_customer functions and their argument counts
COUNT_FUNCTIONS = """\
import configparser

import sqlalchemy as sa

parser = configparser.ConfigParser()
parser.read("alembic.ini")
with sa.create_engine(parser["alembic"]["sqlalchemy.url"]).connect() as conn:
    print(conn.exec_driver_sql("SELECT proname, pronargs FROM pg_proc WHERE proname = 'add_customer'").all())
"""


def test_replaceable_objects(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """Custom operations create, drop and replace a view and a function (PostgreSQL), online and offline."""
    files = project(REPLACEABLE_HISTORY, env=env_py(head="import objects  # registers op.create_view, ...\n"))
    files["objects.py"] = REPLACEABLE
    steps = [
        ["upgrade", "r2"], ["upgrade", "head"], ["python", "count.py"], ["downgrade", "r2"], ["python", "count.py"],
        ["upgrade", "base:head", "--sql"], ["downgrade", "head:r1", "--sql"], ["downgrade", "base"],
    ]
    files["count.py"] = COUNT_FUNCTIONS
    seen = compare(tmp_path, Project(files, urls=pg_per_tool), steps, tools=(LIMBECK,))
    assert "CREATE VIEW customer_view AS SELECT name, order_count, email FROM" in seen[5].stdout
    assert seen[2].stdout == "[('add_customer', 3)]\n" and seen[4].stdout == "[('add_customer', 2)]\n"


TENANT_CONNECT = '''\
from sqlalchemy import text

tenant = context.get_x_argument(as_dictionary=True).get("tenant")
if tenant:
    connection.execute(text(f'SET search_path TO "{tenant}"'))
    connection.commit()
    connection.dialect.default_schema_name = tenant
'''


TENANCY_MODELS = '''\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(30)),
         sa.Column("plan", sa.String(10)))
'''
TENANCY_HISTORY = {
    "t1_account": revision("t1", None, "op.create_table('account', sa.Column('id', sa.Integer, primary_key=True),"
                           " sa.Column('name', sa.String(30)))", "op.drop_table('account')"),
}
TENANCY_SCHEMAS = '''\
import configparser

import sqlalchemy as sa

parser = configparser.ConfigParser()
parser.read("alembic.ini")
with sa.create_engine(parser["alembic"]["sqlalchemy.url"]).begin() as conn:
    conn.exec_driver_sql("CREATE SCHEMA tenant_a")
    conn.exec_driver_sql("CREATE SCHEMA tenant_b")
'''


def test_schema_level_multi_tenancy(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """The same history in two PostgreSQL schemas picked by ``-x tenant=``; autogenerate against one of them."""
    env = env_py(head="import models\n\ntarget_metadata = models.metadata\n", connect=TENANT_CONNECT)
    files = project(TENANCY_HISTORY, env=env)
    files.update({"models.py": TENANCY_MODELS, "schemas.py": TENANCY_SCHEMAS})
    steps = [
        ["python", "schemas.py"], ["-x", "tenant=tenant_a", "upgrade", "head"], ["-x", "tenant=tenant_b", "upgrade", "head"],
        ["-x", "tenant=tenant_a", "revision", "--autogenerate", "-m", "add plan", "--rev-id", "t2"],
        ["-x", "tenant=tenant_a", "upgrade", "head"], ["-x", "tenant=tenant_b", "upgrade", "head"],
        ["-x", "tenant=tenant_b", "downgrade", "-1"], ["-x", "tenant=tenant_a", "current"],
        ["-x", "tenant=tenant_b", "current"],
    ]
    seen = compare(tmp_path, Project(files, urls=pg_per_tool, schemas=("public", "tenant_a", "tenant_b")), steps,
                   tools=(LIMBECK,))
    state = seen[-1].state[0]
    assert "rows tenant_a.alembic_version" in state and "columns public.account" not in state
    assert [c[0] for c in state["columns tenant_a.account"]] == ["id", "name", "plan"]
    assert [c[0] for c in state["columns tenant_b.account"]] == ["id", "name"]


#: what Alembic's autogenerate writes about its own version table once ``version_table_schema``
#: names the tenant (README, "Autogenerate": limbeck never reports its version table)
VERSION_TABLE_OPS = (
    "    op.drop_table('alembic_version')\n",
    (
        "    op.create_table('alembic_version',\n"
        "    sa.Column('version_num', sa.VARCHAR(length=32), autoincrement=False, nullable=False),\n"
        "    sa.PrimaryKeyConstraint('version_num', name=op.f('alembic_version_pkc'))\n"
        "    )\n"
    ),
)


def _without_version_table_ops(name: str, text: str) -> str:
    if not name.endswith("t2_add_plan.py"):
        return text
    for op in VERSION_TABLE_OPS:
        assert op in text, f"Alembic no longer writes {op!r} (README departure to remove):\n{text}"
        text = text.replace(op, "")
    return text


def test_multi_tenancy_with_version_table_schema(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """The tenancy recipe with ``version_table_schema=tenant``: Alembic's autogenerate proposes to drop
    the version table it is running on (a documented departure); everything else is the same."""
    env = env_py(head="import models\n\ntarget_metadata = models.metadata\n", connect=TENANT_CONNECT,
                 online="version_table_schema=tenant,")
    files = project(TENANCY_HISTORY, env=env)
    files.update({"models.py": TENANCY_MODELS, "schemas.py": TENANCY_SCHEMAS})
    steps = [
        ["python", "schemas.py"], ["-x", "tenant=tenant_a", "upgrade", "head"],
        ["-x", "tenant=tenant_a", "revision", "--autogenerate", "-m", "add plan", "--rev-id", "t2"],
    ]
    compare(tmp_path, Project(files, urls=pg_per_tool, schemas=("tenant_a",)), steps, departure=_without_version_table_ops)


def test_multiple_environments_in_one_ini(tmp_path: Path) -> None:
    """``--name``: sections sharing [DEFAULT], each its own script directory (and one its own database)."""
    sections = '''
[DEFAULT]
sqlalchemy.url = {url}

[billing]
script_location = %(here)s/envs/billing

[audit]
script_location = %(here)s/envs/audit
sqlalchemy.url = {url2}
'''
    files = {
        "alembic.ini": ini().replace("[alembic]\n", sections + "\n[alembic]\n", 1),
        "envs/billing/env.py": env_py(), "envs/audit/env.py": env_py(),
        "envs/billing/script.py.mako": (TEMPLATES / "generic" / "script.py.mako").read_text(),
        "envs/audit/script.py.mako": (TEMPLATES / "generic" / "script.py.mako").read_text(),
        "envs/billing/versions/b1_invoice.py": revision("b1", None, "op.create_table('invoice', sa.Column('id', sa.Integer))",
                                                        "op.drop_table('invoice')"),
        "envs/audit/versions/a1_event.py": revision("a1", None, "op.create_table('event', sa.Column('id', sa.Integer))",
                                                    "op.drop_table('event')"),
    }
    urls = {tool: [f"sqlite:///{tmp_path / tool / 'app.db'}", f"sqlite:///{tmp_path / tool / 'audit.db'}"]
            for tool in ("alembic", "limbeck", "as_alembic")}
    steps = [
        ["--name", "billing", "upgrade", "head"], ["--name", "audit", "upgrade", "head"],
        ["--name", "audit", "revision", "-m", "new rev for audit", "--rev-id", "a2"],
        ["--name", "billing", "history"], ["--name", "audit", "history"], ["--name", "audit", "current"],
        ["--name", "audit", "upgrade", "head", "--sql"], ["--name", "missing", "current"],
    ]
    compare(tmp_path, Project(files, urls=urls), steps, tools=(LIMBECK, AS_ALEMBIC))


def test_multidb_template_per_database(tmp_path: Path) -> None:
    """Alembic's multidb template: one autogenerated revision with a function pair per database."""
    models = '''\
import sqlalchemy as sa

users = sa.MetaData()
sa.Table("user_account", users, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(30)))
orders = sa.MetaData()
sa.Table("purchase", orders, sa.Column("id", sa.Integer, primary_key=True), sa.Column("total", sa.Numeric(10, 2)))
'''
    files = _multidb_files()
    files["migrations/env.py"] = replace_once(
        files["migrations/env.py"], "target_metadata = {}",
        "import models\n\ntarget_metadata = {'engine1': models.users, 'engine2': models.orders}")
    files["models.py"] = models
    steps = [
        ["revision", "--autogenerate", "-m", "first", "--rev-id", "m1"], ["upgrade", "head"], ["current"],
        ["downgrade", "base", "--sql"], ["downgrade", "base"], ["upgrade", "head", "--sql"],
    ]
    compare(tmp_path, Project(files, urls=_two_sqlite(tmp_path)), steps, tools=(LIMBECK,))


def _multidb_files(ini_extra: str = "") -> dict[str, str]:
    """Alembic's multidb template laid out: ``{url}`` and ``{url2}`` the databases, ``ini_extra`` in [alembic]."""
    multidb = TEMPLATES / "multidb"
    text = (multidb / "alembic.ini.mako").read_text().replace("${script_location}", "%(here)s/migrations")
    text = text.replace("driver://user:pass@localhost/dbname2", "{url2}").replace("driver://user:pass@localhost/dbname", "{url}")
    text = replace_once(text, "databases = engine1, engine2\n", "databases = engine1, engine2\n" + ini_extra)
    return {"alembic.ini": text, "migrations/env.py": (multidb / "env.py").read_text(),
            "migrations/script.py.mako": (multidb / "script.py.mako").read_text(), "migrations/versions/.keep": ""}


def _two_sqlite(tmp_path: Path) -> dict[str, list[str]]:
    return {tool: [f"sqlite:///{tmp_path / tool / 'one.db'}", f"sqlite:///{tmp_path / tool / 'two.db'}"]
            for tool in ("alembic", "limbeck")}


def test_multidb_template_two_version_locations(tmp_path: Path) -> None:
    """The multidb template with two version locations: revisions written where Alembic writes them
    (``--version-path``, then the head's folder), online runs, ``current``, ``stamp`` (``--purge``
    too) and every offline form, which the template writes into engine1.sql and engine2.sql."""
    files = _multidb_files("version_locations = %(here)s/migrations/versions:%(here)s/other/versions\n")
    files["other/versions/.keep"] = ""
    steps = [
        ["revision", "-m", "first", "--rev-id", "a1", "--version-path", "migrations/versions"],
        ["revision", "-m", "second", "--rev-id", "b2", "--version-path", "other/versions"],
        ["revision", "-m", "third", "--rev-id", "c3"], ["revision", "-m", "nowhere", "--rev-id", "d4", "--version-path", "x"],
        ["history"], ["history", "-v", "-r", "a1:c3"], ["heads"], ["show", "b2"],
        ["upgrade", "a1"], ["current"], ["current", "-v"], ["upgrade", "+1"], ["current"], ["upgrade", "head"], ["current"],
        ["stamp", "a1"], ["current"], ["stamp", "--purge", "b2"], ["current"], ["stamp", "base"], ["current"],
        ["upgrade", "head", "--sql"], ["upgrade", "a1:c3", "--sql"], ["downgrade", "c3:a1", "--sql"],
        ["stamp", "b2", "--sql"], ["stamp", "a1:c3", "--sql"], ["ensure_version", "--sql"],
        ["upgrade", "head"], ["downgrade", "-1"], ["current"], ["downgrade", "base"], ["current"],
    ]
    compare(tmp_path, Project(files, urls=_two_sqlite(tmp_path)), steps, tools=(LIMBECK,))


RUN_OPTIONS_HISTORY = {
    "o1_item": revision("o1", None, "op.create_table('item', sa.Column('id', sa.Integer, primary_key=True))",
                        "op.drop_table('item')"),
    "o2_price": revision("o2", "o1", "op.add_column('item', sa.Column('price', sa.Integer))\n"
                         "op.execute(\"INSERT INTO item (id, price) VALUES (1, 10)\")",
                         "op.drop_column('item', 'price')"),
    "o3_broken": revision("o3", "o2", "op.add_column('item', sa.Column('size', sa.Integer))\n"
                          "op.execute('SELECT 1/0')", "op.drop_column('item', 'size')"),
}


def test_transaction_per_migration_and_version_table_options(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """``transaction_per_migration``, ``version_table``/``version_table_schema``/``version_table_pk`` and
    ``--sql`` from a starting revision, on PostgreSQL: a failing third revision leaves the first two applied."""
    env = env_py(
        offline="transaction_per_migration=True,\nversion_table='schema_versions',\nversion_table_schema='meta',\n"
        "version_table_pk=False,",
        online="transaction_per_migration=True,\nversion_table='schema_versions',\nversion_table_schema='meta',\n"
        "version_table_pk=False,",
        connect="connection.exec_driver_sql('CREATE SCHEMA IF NOT EXISTS meta')\nconnection.commit()",
    )
    files = project(RUN_OPTIONS_HISTORY, env=env)
    steps = [
        ["upgrade", "o1:o2", "--sql"], ["upgrade", "head"], ["current"], ["downgrade", "o2:o1", "--sql"],
        ["downgrade", "base"], ["stamp", "o1"], ["upgrade", "o2"], ["current"],
    ]
    seen = compare(tmp_path, Project(files, urls=pg_per_tool, schemas=("public", "meta")), steps, tools=(LIMBECK,))
    # transaction per migration: o1 and o2 committed, the failing o3 rolled back
    assert seen[1].code != 0 and seen[2].stdout == "o2\n"
    assert seen[1].state[0]["rows meta.schema_versions"] == ["('o2',)"]


def test_post_write_hooks(tmp_path: Path) -> None:
    """An ``exec`` hook rewrites each new revision file; one that exits non-zero changes nothing."""
    hook = '''\
import sys
from pathlib import Path

path = Path(sys.argv[1])
if "broken" in path.name:
    sys.exit("hook refused " + path.name)
path.write_text(path.read_text() + "\\nHOOKED = " + repr(sys.argv[2]) + "\\n")
'''
    hooks = (f"hooks = stamp\nstamp.type = exec\nstamp.executable = {sys.executable}\n"
             "stamp.options = %(here)s/hook.py REVISION_SCRIPT_FILENAME by-the-hook\n")
    files = project({})
    files["alembic.ini"] = ini(hooks=hooks)
    files["hook.py"] = hook
    steps = [["revision", "-m", "first", "--rev-id", "h1"], ["revision", "-m", "broken", "--rev-id", "h2"], ["heads"]]
    seen = compare(tmp_path, Project(files), steps, tools=(LIMBECK,))
    assert seen[0].files["migrations/versions/h1_first.py"].endswith("HOOKED = 'by-the-hook'\n")
    # a hook's exit status is not looked at (Alembic: "done", status 0): the file stays as written
    assert seen[1].code == 0 and "HOOKED" not in seen[1].files["migrations/versions/h2_broken.py"]
