"""limbeck's deliberate departures from Alembic, as they show in the autogenerate corpus.

Each entry names cases (``fnmatch`` patterns over case ids) and the reason,
one the README states. A listed case must still differ: when limbeck and
Alembic agree again, the entry goes.
"""

from __future__ import annotations

from fnmatch import fnmatchcase


class Why:
    NO_RENDERER = ("Alembic has no renderer for this record (create_primary_key raises NotImplementedError, "
                   "rename_table has no dispatch); limbeck renders it (its own primary key changes need it)")
    DROPPED_KW = "Alembic's drop_column leaves the dialect keywords (mssql_drop_check=True) out; limbeck keeps them"
    EXECUTE_EXPR = ("Alembic refuses an op.execute of a SQL expression (NotImplementedError); "
                    "limbeck writes sa.text(...)")


#: case id pattern -> why limbeck deliberately renders something else
LISTED: dict[str, str] = {
    "render.add_primary_key*": Why.NO_RENDERER,
    "render.ctor_create_pk": Why.NO_RENDERER,
    "render.ctor_rename_table*": Why.NO_RENDERER,
    "render.ctor_drop_column_kw": Why.DROPPED_KW,
    "render.ctor_execute_text": Why.EXECUTE_EXPR,
}


def reason(case_id: str) -> str | None:
    for pattern, why in LISTED.items():
        if fnmatchcase(case_id, pattern):
            return why
    return None
