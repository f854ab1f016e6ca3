"""Cookbook recipes that shape autogenerate, in one project on SQLite, one autogenerate per recipe.

Recipes (Alembic's docs/build/cookbook.rst and autogenerate.rst): don't
generate empty migrations (``process_revision_directives`` emptying the
directives); don't generate DROP TABLE (``include_object`` on reflected tables
without a model); don't emit CREATE TABLE for views (``include_object`` on
``info["is_view"]``); don't emit DROP INDEX when the table is dropped (a
directive filter); custom column order in CREATE TABLE (a ``Rewriter``
building a new ``CreateTableOp`` from copied columns); IF [NOT] EXISTS (a
``Rewriter`` setting ``if_not_exists`` / ``if_exists``); ``compare_type`` and
``compare_server_default`` callables; ``render_item`` for a custom type; and
``include_name``. env.py turns recipes on with ``-x recipe=a,b`` and picks the
models' stage with ``-x stage=N``; after each autogenerate the new revision is
applied, so its code is run too, and at the end the recipes' revisions are downgraded.
"""

from __future__ import annotations

from pathlib import Path

from cookbook_files import env_py, project, revision
from cookbook_harness import LIMBECK, Project, compare

MODELS = '''\
import sqlalchemy as sa

from mytypes import Money


def build(stage):
    """The models at a stage of the project: each stage is what one recipe's autogenerate sees."""
    m = sa.MetaData()
    sa.Table("parent", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(40 if stage >= 7 else 20)),
             *([sa.Column("email", sa.String(50), server_default="e" if stage >= 7 else None)] if stage >= 3 else []))
    if stage < 4:
        sa.Table("child", m, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id")), sa.Column("note", sa.String(20)),
                 sa.Index("ix_child_parent_id", "parent_id"))
    if stage < 2 or stage == 4:  # stage 4 drops child with nodroptable off: legacy must be a model then
        sa.Table("legacy", m, sa.Column("id", sa.Integer))
    if stage < 9:
        sa.Table("skip_me", m, sa.Column("id", sa.Integer))
    if stage >= 2:
        sa.Table("extra", m, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("label", sa.Text if stage >= 7 else sa.String(10), server_default="l" if stage >= 7 else None),
                 *([sa.Column("amount", Money())] if stage >= 8 else []),
                 *([sa.Index("ix_extra_label", "label")] if stage >= 9 else []))
    if stage >= 3:
        sa.Table("v_parent", m, sa.Column("id", sa.Integer), sa.Column("name", sa.String(20)), info={"is_view": True})
    if stage >= 5:
        sa.Table("sorted_t", m, sa.Column("data", sa.String(50)), sa.Column("created_at", sa.DateTime),
                 sa.Column("id", sa.Integer, primary_key=True), sa.Column("updated_at", sa.DateTime),
                 sa.UniqueConstraint("data", name="uq_data"))
    if stage >= 6:
        sa.Table("t_if", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(5)),
                 sa.Index("ix_t_if_code", "code"))
    return m
'''

MYTYPES = '''\
import sqlalchemy as sa


class Money(sa.types.TypeDecorator):
    """Cents in the database, a custom type the renderer knows nothing of."""

    impl = sa.Numeric(12, 2)
    cache_ok = True
'''

#: env.py's additions: the recipes' hooks, each on when ``-x recipe=`` names it
HOOKS = '''
import models
from alembic.autogenerate import rewriter
from alembic.operations import ops
from sqlalchemy import Column

x_args = context.get_x_argument(as_dictionary=True)
recipes = set(filter(None, x_args.get("recipe", "").split(",")))
target_metadata = models.build(int(x_args.get("stage", "0")))


def no_empty(context, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def without_drop_index(context, revision, directives):
    script = directives[0]
    for container in (script.upgrade_ops, script.downgrade_ops):
        dropped = {(o.table_name, o.schema) for o in container.ops if isinstance(o, ops.DropTableOp)}
        container.ops = list(_keep(container.ops, dropped))


def _keep(directives, dropped):
    for directive in directives:
        if isinstance(directive, ops.ModifyTableOps) and (directive.table_name, directive.schema) in dropped:
            directive.ops = list(_keep(directive.ops, dropped))
            if not directive.ops:
                continue
        elif isinstance(directive, ops.DropIndexOp) and (directive.table_name, directive.schema) in dropped:
            continue
        yield directive


sorting = rewriter.Rewriter()


@sorting.rewrites(ops.CreateTableOp)
def order_columns(context, revision, op):
    special = {"id": -100, "created_at": 1001, "updated_at": 1002}
    keyed = [(special.get(c.key, i) if isinstance(c, Column) else 2000, c.copy()) for i, c in enumerate(op.columns)]
    return ops.CreateTableOp(op.table_name, [c for _, c in sorted(keyed, key=lambda e: e[0])], schema=op.schema, **op.kw)


existence = rewriter.Rewriter()


@existence.rewrites(ops.CreateTableOp)
@existence.rewrites(ops.CreateIndexOp)
def if_not_exists(context, revision, op):
    op.if_not_exists = True
    return op


@existence.rewrites(ops.DropTableOp)
@existence.rewrites(ops.DropIndexOp)
def if_exists(context, revision, op):
    op.if_exists = True
    return op


def include_object(object, name, type_, reflected, compare_to):
    if "nodroptable" in recipes and type_ == "table" and reflected and compare_to is None:
        return False
    if "views" in recipes and type_ == "table" and object.info.get("is_view", False):
        return False
    return True


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
    if metadata_column.name == "name":
        return False  # widening parent.name is left to a hand-written migration
    return None


def compare_server_default(context, inspected_column, metadata_column, inspected_default, metadata_default,
                           rendered_metadata_default):
    if metadata_column.name == "email":
        return False
    return None


def render_item(type_, obj, autogen_context):
    if type_ == "type" and isinstance(obj, models.Money):
        autogen_context.imports.add("import mytypes")
        return "mytypes.Money()"
    return False


def include_name(name, type_, parent_names):
    if type_ == "table":
        return name != "legacy" and not name.startswith("skip_")
    return True


def process_revision_directives(context, revision, directives):
    for name, fn in (("sort", sorting), ("ifexists", existence), ("noindexdrop", without_drop_index),
                     ("noempty", no_empty)):
        if name in recipes and directives:
            fn(context, revision, directives)


hooks = {"include_object": include_object, "process_revision_directives": process_revision_directives,
         "render_as_batch": True}  # SQLite: changes to existing tables go through batch mode
if "comparators" in recipes:
    hooks.update(compare_type=compare_type, compare_server_default=compare_server_default)
if "render_item" in recipes:
    hooks["render_item"] = render_item
if "include_name" in recipes:
    hooks["include_name"] = include_name
'''

START = revision(
    "r0", None,
    "op.create_table('parent', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)))\n"
    "op.create_table('child', sa.Column('id', sa.Integer, primary_key=True),"
    " sa.Column('parent_id', sa.Integer, sa.ForeignKey('parent.id')), sa.Column('note', sa.String(20)))\n"
    "op.create_index('ix_child_parent_id', 'child', ['parent_id'])\n"
    "op.create_table('legacy', sa.Column('id', sa.Integer))\n"
    "op.create_table('skip_me', sa.Column('id', sa.Integer))\n"
    "op.execute('CREATE VIEW v_parent AS SELECT id, name FROM parent')",
    "op.execute('DROP VIEW v_parent')\nop.drop_table('skip_me')\nop.drop_table('legacy')\n"
    "op.drop_index('ix_child_parent_id', 'child')\nop.drop_table('child')\nop.drop_table('parent')",
)

#: (stage, recipes) of each autogenerate, in order; each but the first writes a revision that is then applied
RUNS = [
    (1, "noempty"), (2, "nodroptable"), (3, "nodroptable,views"), (4, "views,noindexdrop"),
    (5, "nodroptable,views,sort"), (6, "nodroptable,views,ifexists"), (7, "nodroptable,views,comparators"),
    (8, "nodroptable,views,comparators,render_item"), (9, "views,comparators,include_name"),
]


def test_autogenerate_recipes(tmp_path: Path) -> None:
    files = project({"r0_start": START}, env=env_py(head=HOOKS, online="**hooks,"))
    files.update({"models.py": MODELS, "mytypes.py": MYTYPES})
    steps: list[list[str]] = [["upgrade", "head"]]
    for number, (stage, recipes) in enumerate(RUNS, 1):
        x = ["-x", f"stage={stage}", "-x", f"recipe={recipes}"]
        steps.append([*x, "revision", "--autogenerate", "-m", recipes.split(",")[-1], "--rev-id", f"g{number}"])
        steps.append(["upgrade", "head"])
    # down to g3: below it SQLite cannot rebuild parent under the view (on either tool)
    steps += [["-x", "stage=9", "-x", "recipe=views,comparators,include_name", "check"], ["downgrade", "g3"]]
    seen = compare(tmp_path, Project(files), steps, tools=(LIMBECK,))
    written = seen[-1].files
    # each recipe did what it is for (both tools agreeing on a no-op would prove nothing)
    assert not any(name.startswith("migrations/versions/g1_") for name in written)
    assert "drop_table('legacy')" not in written["migrations/versions/g2_nodroptable.py"]
    assert "v_parent" not in written["migrations/versions/g3_views.py"]
    g4 = written["migrations/versions/g4_noindexdrop.py"]
    assert "op.drop_table('child')" in g4 and "drop_index" not in g4
    assert "sa.Column('id'" in written["migrations/versions/g5_sort.py"].split("sa.Column('data'")[0]
    assert "if_not_exists=True" in written["migrations/versions/g6_ifexists.py"]
    g7 = written["migrations/versions/g7_comparators.py"]
    assert "'label'" in g7 and "'name'" not in g7 and "'email'" not in g7
    assert "import mytypes" in written["migrations/versions/g8_render_item.py"]
    assert "mytypes.Money()" in written["migrations/versions/g8_render_item.py"]
    g9 = written["migrations/versions/g9_include_name.py"]
    assert "ix_extra_label" in g9 and "skip_me" not in g9 and "legacy" not in g9


SCHEMA_MODELS = '''\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("customer", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(30)))
sa.Table("invoice", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", name="fk_invoice_customer")), sa.Column("total", sa.Numeric(10, 2)),
         schema="sales")
'''

SCHEMA_HOOKS = '''
import models

target_metadata = models.metadata


def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name in (None, "sales")  # the default schema and sales; scratch is someone else's
    return True
'''

SCHEMA_START = revision(
    "s0", None,
    "op.execute('CREATE SCHEMA sales')\nop.execute('CREATE SCHEMA scratch')\n"
    "op.create_table('customer', sa.Column('id', sa.Integer, primary_key=True))\n"
    "op.create_table('invoice', sa.Column('id', sa.Integer, primary_key=True), schema='sales')\n"
    "op.create_table('old_report', sa.Column('id', sa.Integer), schema='sales')\n"
    "op.create_table('notes', sa.Column('id', sa.Integer), schema='scratch')",
    "op.execute('DROP SCHEMA scratch CASCADE')\nop.execute('DROP SCHEMA sales CASCADE')\nop.drop_table('customer')",
)


def test_include_schemas_with_include_name(tmp_path: Path, pg_per_tool: dict[str, list[str]]) -> None:
    """``include_schemas=True`` narrowed by an ``include_name`` on schemas (PostgreSQL)."""
    env = env_py(head=SCHEMA_HOOKS, online="include_schemas=True,\ninclude_name=include_name,")
    files = project({"s0_start": SCHEMA_START}, env=env)
    files["models.py"] = SCHEMA_MODELS
    steps = [
        ["upgrade", "head"], ["revision", "--autogenerate", "-m", "sales", "--rev-id", "s1"], ["upgrade", "head"],
        ["check"], ["downgrade", "s0"],
    ]
    seen = compare(tmp_path, Project(files, urls=pg_per_tool, schemas=("public", "sales", "scratch")), steps,
                   tools=(LIMBECK,))
    s1 = seen[1].files["migrations/versions/s1_sales.py"]
    assert "old_report" in s1 and "'total'" in s1 and "notes" not in s1 and "scratch" not in s1
