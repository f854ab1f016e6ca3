"""``op.create_table()`` builds its ``Table`` only when the script can see it (operations.callsite).

Offline, with its DDL from a template, a ``create_table`` written as a
statement of its own skips building the ``Table`` nobody receives; every
other way of calling it gets the ``Table``, as under Alembic.
"""

from __future__ import annotations

import inspect
import sys
import textwrap
import types
from typing import Any

import pytest
import sqlalchemy as sa

from limbeck.operations import Operations, callsite
from limbeck.operations.callsite import result_discarded
from limbeck.testing.compile import offline_context

needs_positions = pytest.mark.skipif(sys.version_info < (3, 11), reason="instruction positions arrive in 3.11")


class _Probe:
    """An object whose ``create_table`` records what :func:`result_discarded` says about each call."""

    def __init__(self) -> None:
        self.seen: list[bool] = []

    def create_table(self, *args: Any, **kw: Any) -> str:
        self.seen.append(result_discarded(sys._getframe(1), "create_table"))
        return "table"


def _calls(op: _Probe) -> list[Any]:
    kept: list[Any] = []
    op.create_table("a", 1, x=2)  # dropped
    op.create_table(*["a2"])  # dropped (star arguments: another call instruction)
    op.create_table(
        "b",
        schema=None,
    )  # dropped, over several lines
    t = op.create_table("c")
    kept.append(t)
    kept.append(op.create_table("d"))
    kept.extend(map(op.create_table, ["e"]))  # a C function between the call and the method
    kept += [op.create_table(n) for n in ("f",)]
    print(*map(op.create_table, ["g"]), file=sys.stderr)
    if op.create_table("h"):
        pass
    return kept


@needs_positions
def test_only_a_call_whose_value_is_dropped_is_seen_as_such() -> None:
    probe = _Probe()
    kept = _calls(probe)
    assert probe.seen == [True, True, True, False, False, False, False, False, False]
    assert kept == ["table"] * 4


def _more_calls(op: _Probe) -> list[Any]:
    kept: list[Any] = []
    op.create_table("i", 1 if kept else 2, [x for x in kept])  # jumps inside: the positions decide
    op.create_table("j", op.create_table("k"))  # the inner one is an argument
    op.create_table("l", kept.append(op.create_table("m")))
    op.create_table("n", *kept, **{"x": 1})
    op.create_table("o", sys.intern(op.create_table("p") + "q"), x=op.create_table)
    kept.extend(map(op.create_table, ["r"])); op.create_table("s")  # noqa: E702
    (op.create_table)("t")  # dropped: the walk sees it, the positions do not (the call starts at the bracket)
    return kept


def _imported_op(fn: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``fn`` with ``op`` a module global bound by an import, as in a revision file (another instruction)."""
    source = textwrap.dedent(inspect.getsource(fn)).replace("(op: _Probe)", "()", 1)
    module = types.ModuleType("_limbeck_probe")
    module.op = None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace: dict[str, Any] = {"Any": Any, "sys": sys}
    exec(compile(f"from {module.__name__} import op\n{source}", "<revision>", "exec"), namespace)

    def call(op: _Probe) -> Any:
        namespace["op"] = op  # what the import bound
        return namespace[fn.__name__]()

    return call


@needs_positions
@pytest.mark.parametrize("imported", [False, True], ids=["argument", "imported"])
def test_the_stack_walk_answers_as_the_positions_do(imported: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which load a call's callee is, read from stack effects, is what the source positions say."""
    calls = [_imported_op(fn, monkeypatch) if imported else fn for fn in (_calls, _more_calls)]
    decided: list[bool | None] = []
    walk = callsite._callee_by_stack

    def recording(*args: Any) -> bool | None:
        decided.append(walk(*args))
        return decided[-1]

    monkeypatch.setattr(callsite, "_callee_by_stack", recording)
    monkeypatch.setattr(callsite, "_WALKS", {})
    by_stack, again, remembered = _Probe(), _Probe(), _Probe()
    for fn in calls:
        fn(by_stack)
    assert True in decided and False in decided  # the walk decided most calls itself
    walked = len(decided)
    for fn in calls:
        fn(remembered)  # the same code units again: the walk's answers are remembered, not walked again
    assert len(decided) == walked and remembered.seen == by_stack.seen
    monkeypatch.setattr(callsite, "_callee_by_stack", lambda *args: None)  # always the positions
    monkeypatch.setattr(callsite, "_WALKS", {})
    for fn in calls:
        fn(again)
    assert by_stack.seen[:-1] == again.seen[:-1]
    assert by_stack.seen == [True, True, True, False, False, False, False, False, False,
                             True, False, True, False, True, True, False, True, False, True, True]
    assert again.seen[-1] is False  # the positions' answer for the bracketed callee: built, never wrong


def test_another_name_or_no_frame_is_never_dropped() -> None:
    assert result_discarded(None, "create_table") is False
    probe = _Probe()
    probe.seen.append(result_discarded(sys._getframe(0), "drop_table"))
    assert probe.seen == [False]


def _table_items(name: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), server_default="x", nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    ]


def _render(fn: Any, *, templates: bool = True) -> tuple[str, Any]:
    context, buffer = offline_context("postgresql")
    context.impl.ddl_templates.enabled = templates
    with Operations.context(context) as op:
        found = fn(op)
    context.impl.flush()
    return buffer.getvalue(), found


@needs_positions
def test_offline_a_dropped_table_is_not_built_and_the_script_is_the_same() -> None:
    def run(op: Any) -> list[Any]:
        columns = []
        for name in ("t1", "t2", "t3", "t4"):
            items = _table_items(name)
            columns.append(items[0])
            op.create_table(name, *items)
        return columns

    fast, columns = _render(run)
    slow, built = _render(run, templates=False)
    assert fast == slow
    assert all(c.table is not None for c in built)
    # the first two of a shape are lowered as usual (the Table is built), the rest from the template
    assert [c.table is not None for c in columns] == [True, True, False, False]


def test_a_table_the_script_keeps_is_built_and_usable() -> None:
    def run(op: Any) -> list[Any]:
        tables = []
        for name in ("t1", "t2", "t3", "t4"):
            table = op.create_table(name, *_table_items(name))
            op.bulk_insert(table, [{"id": 1, "name": name}])
            tables.append(table)
        return tables

    fast, tables = _render(run)
    assert fast == _render(run, templates=False)[0]
    assert all(isinstance(t, sa.Table) and t.name == f"t{i}" for i, t in enumerate(tables, 1))
    assert fast.count("INSERT INTO t4 (id, name) VALUES (1, 't4')") == 1
