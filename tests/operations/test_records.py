"""Operation records behave as Alembic's: constructors, ``from_*``, ``reverse()``, ``to_diff_tuple()``.

Autogenerate hooks (``process_revision_directives``) and custom code build
and inspect these records; the scenarios run against both libraries and the
results are compared with the facts ``record_alembic_facts.py`` stored.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.operations import ops

HERE = Path(__file__).resolve().parent
FACTS: dict[str, Any] = json.loads((HERE / "alembic_facts.json").read_text())


def _scenarios() -> Any:
    name = "limbeck_record_scenarios"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "record_scenarios.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


SCENARIOS = _scenarios()


@pytest.mark.parametrize("name", sorted(SCENARIOS.SCENARIOS))
def test_scenario_matches_alembic(name: str) -> None:
    try:
        ours: dict[str, Any] = {"value": SCENARIOS.normalize(SCENARIOS.SCENARIOS[name](ops))}
    except Exception as exc:  # noqa: BLE001  (compared with the exception Alembic raised)
        ours = {"error": type(exc).__name__}
    assert json.loads(json.dumps(ours)) == FACTS["scenarios"][name]


def test_alter_column_reverse_undoes_a_rename() -> None:
    """Deliberately unlike Alembic, whose reverse keeps the new name and targets a column that is gone."""
    op = ops.AlterColumnOp("t", "c", modify_name="d", existing_type=sa.Integer(), modify_nullable=False)
    back = op.reverse()
    assert (back.column_name, back.modify_name, back.modify_nullable, back.existing_nullable) == ("d", "c", None, False)


def test_rename_table_reverse() -> None:
    back = ops.RenameTableOp("t", "u", schema="s").reverse()
    assert (back.table_name, back.new_table_name, back.schema) == ("u", "t", "s")


def test_drop_records_without_origin_refuse_to_reverse() -> None:
    with pytest.raises(ValueError, match="original column is not present"):
        ops.DropColumnOp("t", "c").reverse()
    with pytest.raises(ValueError, match="original constraint is not present"):
        ops.DropConstraintOp("c", "t").reverse()


def test_exclude_constraint_round_trip() -> None:
    from sqlalchemy.dialects.postgresql import ExcludeConstraint

    table = sa.Table("t", sa.MetaData(), sa.Column("during", sa.Integer), schema="s")
    constraint = ExcludeConstraint(("during", "&&"), name="ex", using="gist")
    table.append_constraint(constraint)
    create = ops.AddConstraintOp.from_constraint(constraint)
    assert isinstance(create, ops.CreateExcludeConstraintOp)
    assert (create.constraint_name, create.table_name, create.schema, create.kw["using"]) == ("ex", "t", "s", "gist")
    drop = create.reverse()
    assert (drop.constraint_name, drop.table_name, drop.constraint_type) == ("ex", "t", None)


def test_register_add_constraint_for_a_custom_constraint() -> None:
    class Tagged(sa.CheckConstraint):
        __visit_name__ = "tagged_check_constraint"

    @ops.AddConstraintOp.register_add_constraint("tagged_check_constraint")
    class CreateTaggedOp(ops.CreateCheckConstraintOp):
        pass

    table = sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer))
    constraint = Tagged("a > 0", name="ck_tag")
    table.append_constraint(constraint)
    try:
        assert type(ops.AddConstraintOp.from_constraint(constraint)) is CreateTaggedOp
    finally:
        ops.AddConstraintOp.add_constraint_ops.pop("tagged_check_constraint")
