"""Calls the real-world histories (``tests/realworld``) showed limbeck getting wrong, reduced to one case each.

Each case names the project and revision where the difference was found; the
history itself stays compared there, this keeps the fix checked on all six
dialects without downloading anything.
"""

from __future__ import annotations

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
CASES = corpus.cases
