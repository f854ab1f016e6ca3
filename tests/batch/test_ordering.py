"""Column order of rebuilt tables: parity with Alembic, and where limbeck goes further."""

from __future__ import annotations

import json
from typing import Any

import limbeck_batch_scenarios as SCENARIOS
import pytest

from limbeck.compiler.batch_order import ColumnOrder, layered_sort
from limbeck.errors import CommandError
from limbeck.testing.compile import compile_ops

RECORDED = SCENARIOS.ORDERING_CASES
#: the recorded orders; ``None`` where Alembic fails
FACTS: dict[str, list[str] | None] = json.loads((SCENARIOS.FACTS / "ordering.json").read_text())


def _order(partial: Any, steps: Any) -> list[str]:
    sql = compile_ops("sqlite", SCENARIOS.ordering_scenario(partial, steps))
    return list(SCENARIOS.created_columns(sql))


def test_every_case_is_recorded() -> None:
    assert sorted(FACTS) == sorted(RECORDED)


@pytest.mark.parametrize("name", sorted(name for name, order in FACTS.items() if order is not None))
def test_order_matches_alembic(name: str) -> None:
    partial, steps = RECORDED[name]
    assert _order(partial, steps) == FACTS[name]


def test_cases_alembic_fails_on() -> None:
    # Alembic raises KeyError placing a column after one appended without a
    # position; limbeck places it there
    assert FACTS["after_appended"] is None
    partial, steps = RECORDED["after_appended"]
    assert _order(partial, steps) == ["a", "b", "c", "d", "q", "r"]


def test_placing_next_to_a_dropped_column_is_an_error() -> None:
    partial, steps = RECORDED["after_dropped"]
    with pytest.raises(CommandError, match=r"batch_alter_table\('t'\): add_column\('q'\): no column 'b' in the table"):
        _order(partial, steps)


def test_placing_after_a_renamed_column_by_its_new_name() -> None:
    steps = [("rename", "b", "bb"), ("add", "q", None, "bb")]
    assert _order([], steps) == ["a", "bb", "q", "c", "d"]


def test_circular_partial_reordering_names_the_columns() -> None:
    with pytest.raises(CommandError, match="column ordering is circular among: a, d"):
        _order([("d", "a"), ("a", "d")], [])


def test_layered_sort_keeps_item_order_within_a_layer() -> None:
    assert layered_sort([("c", "a")], ["a", "b", "c"], "t") == ["b", "c", "a"]
    assert layered_sort([("x", "a"), ("a", "zz")], ["a", "b"], "t") == ["a", "b"]


def test_column_order_pairs() -> None:
    order = ColumnOrder("t", ["a", "b", "c"], None)
    order.add("q", None, "a")
    assert order.pairs == [("q", "b"), ("a", "q")]
    order.drop("b")
    assert order.all_pairs() == [("a", "c"), ("q", "b"), ("a", "q")]
    assert order.sort(["a", "c", "q"]) == ["a", "c", "q"]
    assert order.sort(["a", "q", "c"]) == ["a", "q", "c"]
