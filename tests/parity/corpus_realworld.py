"""Calls the real-world histories (``tests/realworld``) showed limbeck getting wrong, reduced to one case each.

Each case names the project and revision where the difference was found; the
history itself stays compared there, this keeps the fix checked on all six
dialects without downloading anything.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from corpus_common import Corpus
from sqlalchemy import text

corpus = Corpus("realworld")
add = corpus.add
I, S = sa.Integer, sa.String

# indico f1eee7b4880a: an unnamed Index among create_table's items takes its name from the
# naming convention (MetaData's default "ix_%(column_0_label)s"), as a Table() would give it
add("create_table_unnamed_index", lambda op: op.create_table(
    "roles", sa.Column("id", I, primary_key=True), sa.Column("event_id", I, nullable=False),
    sa.Column("code", S(20), nullable=False), sa.Index(None, "event_id", "code", unique=True), schema="events"))
add("create_table_unnamed_index_no_schema", lambda op: op.create_table(
    "roles", sa.Column("id", I, primary_key=True), sa.Column("code", S(20)), sa.Index(None, "code")))

# indico 0c4bb2973536: postgresql_ops keyed by the text of a text() element writes its operator class
add("index_text_expr_ops", lambda op: op.create_index(
    "ix_users_affiliation_unaccent", "users", [text("indico.indico_unaccent(lower(affiliation))")],
    postgresql_using="gin", postgresql_ops={"indico.indico_unaccent(lower(affiliation))": "gin_trgm_ops"},
    schema="users"))
add("index_mixed_expr_ops", lambda op: op.create_index(
    "ix_y", "t", ["name", text("lower(email)")], postgresql_ops={"name": "text_pattern_ops", "lower(email)": "gin_trgm_ops"}))

# open-webui 81cc2ce44d79 and conda-store-server 16f65805dc8f (online, SQLite): a rebuilt table
# lists the CHECKs its column types make and the batch's table_args first, then the named
# constraints, then the unnamed ones (Alembic keeps them apart); within each group Alembic
# follows a set's order, so these cases keep one constraint of a kind per group
def _rebuilt(*extra: sa.SchemaItem) -> sa.Table:
    return sa.Table("cf", sa.MetaData(), sa.Column("id", I, primary_key=True), sa.Column("a", I, sa.ForeignKey("x.id")),
                    sa.Column("b", I), *extra)


def _add_named(op: Any) -> None:
    with op.batch_alter_table("cf", copy_from=_rebuilt(), recreate="always") as batch:
        batch.create_unique_constraint("uq_b", ["b"])
        batch.create_foreign_key("fk_b", "q", ["b"], ["id"])


def _table_args_first(op: Any) -> None:
    with op.batch_alter_table("cf", copy_from=_rebuilt(), recreate="always",
                              table_args=(sa.CheckConstraint("b > 0"),)) as batch:
        batch.create_foreign_key("fk_b", "q", ["b"], ["id"])


def _type_checks_first(op: Any) -> None:
    table = _rebuilt(sa.Column("flag", sa.Boolean(create_constraint=True, name="ck_flag")), sa.UniqueConstraint("b", name="uq_b"))
    with op.batch_alter_table("cf", copy_from=table, recreate="always") as batch:
        batch.create_check_constraint("ck_b", "b > 1")


add("batch_named_before_unnamed", _add_named)
add("batch_table_args_first", _table_args_first)
add("batch_type_checks_first", _type_checks_first)

# invenio-accounts f2522cdd5fcd: offline, the context's connection is the stand-in get_bind() returns
# (Alembic's mock connection), so a revision can branch on its engine's name and execute on it
def _context_connection(op: Any) -> None:
    connection = op.get_context().connection
    if connection.engine.name == "mysql":
        op.execute(text("ALTER TABLE accounts_role MODIFY COLUMN id INT"))
    else:
        op.execute(text("ALTER TABLE accounts_role DROP CONSTRAINT pk_accounts_role CASCADE"))
    connection.execute(text("UPDATE accounts_role SET is_managed = true"))


add("context_connection_offline", _context_connection)

# mwdb-core 717b5da712b8: a plain string's layout tabs are written as four spaces, as a text()'s are
add("execute_string_layout_tabs", lambda op: op.execute("UPDATE permission\n\tSET reason_type = 'shared'\nFROM\n\tpublic.user\t\nWHERE\tid = 1"))

CASES = corpus.cases
