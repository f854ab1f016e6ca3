"""Comparison of check constraints, with Alembic's opt-in check constraint plugin on (its tests' pairs).

limbeck compares named check constraints unless ``autogenerate_plugins``
leaves them out (by default too: a README departure); with the plugin
enabled Alembic does too, by name. Each pair runs with the check
on the table and on the column.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Column, Integer, MetaData, Table

from .agcorpus_common import BACKENDS, CompareCorpus

corpus = CompareCorpus("compare")
PLUGIN = {"autogenerate_plugins": ["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"]}


def _check_pair(id: str, old: tuple[str, str | None] | None, new: tuple[str, str | None] | None) -> None:
    """``x`` with the check ``(condition, name)`` ``old`` in the database and ``new`` in the models."""
    for place in ("table", "column"):
        def tables(m: MetaData, model: bool, place: str = place) -> None:
            check = new if model else old
            if check is None:
                Table("t", m, Column("x", Integer))
                return
            constraint = CheckConstraint(check[0], name=check[1])
            if place == "table":
                Table("t", m, Column("x", Integer), constraint)
            else:
                Table("t", m, Column("x", Integer, constraint))
        # MariaDB rejects a named CHECK written in the column (SQLAlchemy's CONSTRAINT name CHECK there)
        dialects = BACKENDS if place == "table" else ("sqlite", "postgresql")
        corpus.pair(f"check_{id}_{place}", tables, dialects=dialects, opts=PLUGIN)


_check_pair("added", None, ("x > 0", "ck_t_x_positive"))
_check_pair("added_unnamed", None, ("x > 0", None))
_check_pair("removed", ("x > 0", "ck_t_x_positive"), None)
_check_pair("removed_unnamed", ("x > 0", None), None)
_check_pair("same_name_other_condition", ("x > 0", "ck_t_x_positive"), ("x > 5", "ck_t_x_positive"))
_check_pair("unnamed_same", ("x > 0", None), ("x > 0", None))
_check_pair("unnamed_other_condition", ("x > 0", None), ("x > 5", None))
_check_pair("no_change", ("x > 0", "ck_t_x_positive"), ("x > 0", "ck_t_x_positive"))
_check_pair("unnamed_to_named", ("x > 0", None), ("x > 0", "new_name"))
_check_pair("named_to_unnamed", ("x > 0", "old_name"), ("x > 0", None))
_check_pair("renamed", ("x > 0", "old_name"), ("x > 0", "new_name"))


def _enum_check(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True),
          Column("e", sa.Enum("a", "b", name="ck_e", native_enum=False, create_constraint=True)))


def _boolean_check(m: MetaData, model: bool) -> None:
    Table("t", m, Column("id", Integer, primary_key=True), Column("b", sa.Boolean(name="ck_b", create_constraint=True)))


def _enum_check_added(m: MetaData, model: bool) -> None:
    """Alembic's test_named_type_bound_add: the model adds a column whose type has a named CHECK."""
    enum = [Column("e", sa.Enum("a", "b", name="ck_e", native_enum=False, create_constraint=True))] if model else []
    Table("t", m, Column("id", Integer, primary_key=True), *enum)


def _several(m: MetaData, model: bool) -> None:
    checks: list[Any] = [CheckConstraint("x > 0", name="ck_a"), CheckConstraint("x < 100", name="ck_b")]
    if model:
        checks = [checks[1], CheckConstraint("x <> 7", name="ck_c")]
    Table("t", m, Column("x", Integer), *checks)


corpus.pair("check_type_bound_enum_no_change", _enum_check, dialects=BACKENDS, opts=PLUGIN)
corpus.pair("check_type_bound_boolean_no_change", _boolean_check, dialects=BACKENDS, opts=PLUGIN)
corpus.pair("check_type_bound_enum_added_with_column", _enum_check_added, dialects=BACKENDS, opts=PLUGIN)
corpus.pair("check_several_added_and_removed", _several, dialects=BACKENDS, opts=PLUGIN)
corpus.pair("check_plugin_off_removed", lambda m, model: _several(m, model), dialects=("sqlite",))

CASES = corpus.cases
