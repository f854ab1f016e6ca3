"""Frozen records filled through their slot descriptors behave as the dataclasses ``__init__`` made them."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field
from typing import Any

import pytest

from limbeck.compiler.statement import Kind, Statement, filled_through_slots
from limbeck.review.stream import Record


def _plain_twin(cls: type) -> type:
    """The same fields as ``cls``, with the ``__init__`` dataclasses writes."""
    specs = []
    for f in dataclasses.fields(cls):
        kw: dict[str, Any] = {}
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        specs.append((f.name, Any, field(**kw)))
    return dataclasses.make_dataclass(f"Plain{cls.__name__}", specs, frozen=True, slots=True)


STATEMENT = Statement(Kind.DDL, "x")


@pytest.mark.parametrize(
    "cls, args, kw",
    [
        (Statement, (Kind.DDL,), {}),
        (Statement, (Kind.DML, "x", "r", "d", None, [{}], {"a": 1}, {"o": 1}, True, {"i": 1}), {}),
        (Statement, (Kind.COMMENT, "-- c"), {"info": {"unrendered": "why"}, "revision": "r"}),
        (Record, (STATEMENT, ("x",), ("x;\n\n",), "postgresql", True, False), {}),
        (Record, (STATEMENT, ("x",), ("x;\n\n",), "mssql", True, True, ";", "GO", 2, 17), {}),
        (Record, (), {"statement": STATEMENT, "texts": (), "chunks": (), "dialect": "sqlite",
                      "transactional_ddl": False, "in_transaction": False, "line": 3}),
    ],
)
def test_the_same_values_as_the_dataclasses_init(cls: type, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    twin = _plain_twin(cls)
    made, expected = cls(*args, **kw), twin(*args, **kw)
    assert dataclasses.astuple(made) == dataclasses.astuple(expected)
    assert made == cls(*args, **kw)
    assert [p.name for p in inspect.signature(cls).parameters.values()] == [
        p.name for p in inspect.signature(twin).parameters.values()
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, None)
    with pytest.raises(TypeError):
        cls(*args, nonsense=1, **kw)


def test_a_default_factory_gives_each_record_its_own_value_and_errors_stay() -> None:
    a, b = Statement(Kind.DDL), Statement(Kind.DDL)
    assert a.info == {} and a.info is not b.info
    assert dataclasses.replace(a, revision="r").revision == "r"
    with pytest.raises(TypeError):
        Statement()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Statement(Kind.DDL, "x", kind=Kind.DML)  # type: ignore[misc]


def test_a_class_with_post_init_keeps_its_init() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    generated = Checked.__init__
    assert filled_through_slots(Checked).__init__ is generated
    with pytest.raises(ValueError):
        Checked(-1)
