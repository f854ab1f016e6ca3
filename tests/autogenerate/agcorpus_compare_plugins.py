"""``autogenerate_plugins``: one pair of database and models that differ in every plugin's way, compared
with each list of plugins (Alembic's names, wildcards and ``~`` exclusions).

limbeck's check comparison answers to ``alembic.autogenerate.*`` (a README
departure: Alembic 1.19.2 took it out of that set), so the lists that keep
the wildcard and do not exclude it differ on the check the pair changes; those
cases are listed in ``agcorpus_departures``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, MetaData, String, Table

from .agcorpus_common import BACKENDS, CompareCorpus

corpus = CompareCorpus("compare")


def _everything(m: MetaData, model: bool) -> None:
    """Tables, columns, types, nullability, defaults, indexes, keys, comments and a check, all changed."""
    Table("parent", m, Column("id", Integer, primary_key=True), mysql_engine="InnoDB")
    t = Table(
        "t", m,
        Column("id", Integer, primary_key=True),
        Column("x", sa.BigInteger if model else Integer, nullable=not model),
        Column("y", String(10), server_default="b" if model else "a", comment="why" if model else None),
        Column("p", Integer, ForeignKey("parent.id") if model else None),
        *([Column("z", Integer)] if model else [Column("old", Integer)]),
        CheckConstraint("x > 0", name="ck_t_new" if model else "ck_t_old"),
        comment="table" if model else None,
        mysql_engine="InnoDB",
    )
    Index("ix_t_y" if model else "ix_t_x", t.c.y if model else t.c.x)
    gone_or_new = Table("new" if model else "gone", m, Column("id", Integer, primary_key=True),
                        Column("q", Integer), mysql_engine="InnoDB")
    Index(f"ix_{gone_or_new.name}_q", gone_or_new.c.q)


_LISTS = {
    "default": None,
    "wildcard": ["alembic.autogenerate.*"],
    "all": ["*"],
    "alembic_all": ["alembic.*"],
    "none": [],
    "schemas_only": ["alembic.autogenerate.schemas"],
    "schemas_tables": ["alembic.autogenerate.schemas", "alembic.autogenerate.tables"],
    "no_tables": ["alembic.autogenerate.*", "~alembic.autogenerate.tables"],
    "no_types": ["alembic.autogenerate.*", "~alembic.autogenerate.types"],
    "no_constraints": ["alembic.autogenerate.*", "~alembic.autogenerate.constraints"],
    "no_defaults": ["alembic.autogenerate.*", "~alembic.autogenerate.defaults"],
    "no_comments": ["alembic.autogenerate.*", "~alembic.autogenerate.comments"],
    "no_checks": ["alembic.autogenerate.*", "~alembic.ext.checkconstraint_byname"],
    "no_checks_legacy": ["alembic.autogenerate.*", "~alembic.autogenerate.checkconstraint_byname"],
    "checks": ["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"],
    "checks_legacy": ["alembic.autogenerate.*", "alembic.autogenerate.checkconstraint_byname"],
    "checks_only_with_tables": ["alembic.autogenerate.schemas", "alembic.autogenerate.tables",
                                "alembic.ext.checkconstraint_byname"],
    "unknown": ["alembic.autogenerate.*", "mycompany.views"],
    "excluded_and_named": ["alembic.autogenerate.comments", "~alembic.autogenerate.comments"],
    "invalid": ["alembic..tables"],
}

for _id, _plugins in _LISTS.items():
    _opts = {} if _plugins is None else {"autogenerate_plugins": _plugins}
    corpus.pair(f"plugins_{_id}", _everything, dialects=BACKENDS, opts=_opts)

CASES = corpus.cases
