"""The state of a database both tools are compared on: reflected schema and every row.

Shared by the batch round trips and the online fuzz (``test_roundtrip_parity.py``,
``test_online_fuzz.py``), which run the same change once with Alembic and once with
limbeck and compare what each leaves. Only SQLAlchemy is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa


def state(engine: sa.Engine, volatile: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """What a later migration or the application would see of every table (a ``volatile``
    (table, column) reads as ``"set"`` when not NULL: a clock default)."""
    inspector = sa.inspect(engine)
    state: dict[str, Any] = {}
    for name in sorted(inspector.get_table_names()):
        columns = inspector.get_columns(name)
        table: dict[str, Any] = {
            "columns": [(c["name"], repr(c["type"]), c["nullable"], _default(c.get("default")), c.get("comment"))
                        for c in columns],
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted((fk["name"] or "", fk["constrained_columns"], fk["referred_table"], fk["referred_columns"],
                           sorted((fk.get("options") or {}).items())) for fk in inspector.get_foreign_keys(name)),
            "uniques": sorted((u["name"] or "", u["column_names"]) for u in inspector.get_unique_constraints(name)),
            "indexes": sorted((i["name"] or "", i["column_names"], bool(i["unique"]))
                              for i in inspector.get_indexes(name) if not i.get("duplicates_constraint")),
            "checks": sorted((c["name"] or "", _sql(c["sqltext"])) for c in inspector.get_check_constraints(name)),
        }
        try:
            table["comment"] = inspector.get_table_comment(name)["text"]
        except NotImplementedError:
            pass
        moving = {column for t, column in volatile if t == name}
        with engine.connect() as conn:
            result = conn.execute(sa.text(f"SELECT * FROM {inspector.dialect.identifier_preparer.quote(name)}"))
            keys = list(result.keys())
            got = [tuple("set" if k in moving and v is not None else v for k, v in zip(keys, row)) for row in result]
        table["rows"] = (keys, sorted(got, key=repr))
        state[name] = table
    return state


def _sql(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _default(value: str | None) -> str | None:
    return None if value is None else _sql(value)


def differences(theirs: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    out = []
    for name in sorted(set(theirs) | set(ours)):
        if name not in ours or name not in theirs:
            out.append(f"table {name}: alembic {'has' if name in theirs else 'lacks'} it, limbeck does not")
            continue
        for key in theirs[name]:
            if theirs[name][key] != ours[name].get(key):
                out.append(f"{name}.{key}: alembic {theirs[name][key]!r} / limbeck {ours[name].get(key)!r}")
    return out
