"""What ``include_name`` and ``include_object`` are asked, under Alembic 1.20.1 and under limbeck.

Cookbook filters and tools (alembic_utils, multi-tenant recipes) decide on the
arguments the hooks get: the name, the kind, the parents of a name, whether an
object was reflected and what it is compared to. Alembic's own hook tests
(``test_autogen_indexes.py`` and the testing suite's ``test_autogen_fks.py``,
``IncludeHooksTest``; ``test_autogen_diffs.py``, ``IncludeFiltersAPITest``) check
such calls one by one; here every call both libraries make on the same database
is recorded and the two records must hold the same calls. The order of the
calls is not compared (it follows each library's walk of the schema).
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, UniqueConstraint

from .agcorpus_common import alembic_api, limbeck_api
from .test_ag_corpus import _connection, agcorpus_mariadb, agcorpus_pg  # noqa: F401  (fixtures)

OTHER = "test_schema"


def _tables(m: MetaData, model: bool, schema: str | None = None) -> None:
    """A little of everything, different on the two sides: tables, columns, indexes, uniques, keys (one dropped,
    one added)."""
    s = f"{schema}." if schema else ""
    Table("parent", m, Column("id", Integer, primary_key=True), Column("name", String(20)),
          UniqueConstraint("name", name="uq_parent_name"), schema=schema)
    Table("child", m, Column("id", Integer, primary_key=True),
          Column("pid", Integer, ForeignKey(f"{s}parent.id", name="fk_child_parent") if not model else None),
          Column("x", Integer, ForeignKey(f"{s}parent.id", name="fk_child_x") if model else None),
          *([Column("y", Integer)] if model else [Column("z", Integer)]),
          Index("ix_child_x", "x"), *([Index("ix_child_y", "y")] if model else [Index("ix_child_z", "z")]),
          schema=schema, mysql_engine="InnoDB")
    if model:
        Table("only_model", m, Column("id", Integer, primary_key=True), schema=schema)
    else:
        Table("only_db", m, Column("id", Integer, primary_key=True), Column("q", Integer), Index("ix_only_db_q", "q"),
              schema=schema)


def _name_call(name: Any, type_: str, parent_names: Any) -> tuple[Any, ...]:
    return ("name", name, type_, tuple(sorted((str(k), v) for k, v in parent_names.items())))


def _object_call(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> tuple[Any, ...]:
    table = getattr(obj, "table", None)
    return ("object", type(obj).__name__, None if name is None else str(name), type_, reflected,
            type(compare_to).__name__, getattr(table, "name", None))


def _recorded(api: Any, conn: Any, models: MetaData, opts: dict[str, Any], answer: Callable[..., bool]) -> Any:
    if api.name == "alembic":
        from alembic.autogenerate import compare_metadata
    else:
        from limbeck.autogenerate import compare_metadata
    calls: list[tuple[Any, ...]] = []

    def include_name(name: Any, type_: str, parent_names: Any) -> bool:
        calls.append(_name_call(name, type_, parent_names))
        return answer("name", name, type_)

    def include_object(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
        calls.append(_object_call(obj, name, type_, reflected, compare_to))
        return answer("object", name, type_)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            context = api.MigrationContext.configure(conn, opts={
                "target_metadata": models, "include_name": include_name, "include_object": include_object, **opts})
            diffs = compare_metadata(context, models)
    finally:
        if conn.in_transaction():
            conn.rollback()
    from .live_scenarios import plain

    return Counter(calls), plain(diffs, conn.dialect)


def _everything(kind: str, name: Any, type_: str) -> bool:
    return True


def _no_ix1(kind: str, name: Any, type_: str) -> bool:
    """Rejects one index and one column by name, one table by object: what is left out is not asked about further."""
    return not ((kind == "name" and name in ("ix_child_x", "z")) or (kind == "object" and name == "only_db"))


CASES = [
    pytest.param(dialect, schema, answer, opts, marks=[getattr(pytest.mark, dialect)] if dialect != "sqlite" else [],
                 id=f"{label}-{dialect}")
    for label, schema, answer, opts, dialects in [
        ("everything", None, _everything, {}, ("sqlite", "postgresql", "mariadb")),
        ("rejecting", None, _no_ix1, {}, ("sqlite", "postgresql", "mariadb")),
        ("other_schema", OTHER, _everything, {"include_schemas": True}, ("postgresql",)),
        ("other_schema_rejecting", OTHER, _no_ix1, {"include_schemas": True}, ("postgresql",)),
    ]
    for dialect in dialects
]


@pytest.mark.parametrize(("dialect", "schema", "answer", "opts"), CASES)
def test_hooks_are_asked_what_alembic_asks(dialect: str, schema: str | None, answer: Callable[..., bool],
                                           opts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    pytest.importorskip("alembic")
    conn = _connection(dialect, request)
    try:
        db, models = MetaData(), MetaData()
        _tables(db, False, schema)
        _tables(models, True, schema)
        db.create_all(conn)
        conn.commit()
        theirs_calls, theirs_diffs = _recorded(alembic_api(), conn, models, opts, answer)
        ours_calls, ours_diffs = _recorded(limbeck_api(), conn, models, opts, answer)
    finally:
        conn.close()
    assert ours_diffs == theirs_diffs
    missing, extra = theirs_calls - ours_calls, ours_calls - theirs_calls
    assert not missing and not extra, f"asked by Alembic only: {sorted(missing, key=repr)}\n" \
                                      f"asked by limbeck only: {sorted(extra, key=repr)}"


def test_hooks_get_extension_kinds() -> None:
    """Tools filter their own kinds ("function", "view") through the context's filters, as Alembic lets them."""
    from limbeck.autogenerate import AutogenContext
    from limbeck.runtime.migration import MigrationContext

    calls: list[tuple[Any, ...]] = []
    context = MigrationContext.configure(dialect_name="postgresql", opts={
        "target_metadata": sa.MetaData(), "include_schemas": True,
        "include_name": lambda *a: calls.append(("name", *a)) or True,
        "include_object": lambda *a: calls.append(("object", *a)) or False})
    autogen = AutogenContext(context)
    thing = object()
    assert autogen.run_name_filters("some_function", "function", {"schema_name": "public"}) is True
    assert autogen.run_object_filters(thing, "some_function", "function", False, None) is False
    assert calls == [("name", "some_function", "function", {"schema_name": "public"}),
                     ("object", thing, "some_function", "function", False, None)]
