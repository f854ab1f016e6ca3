"""Is a column's type in the database the type its model says?

Both types are compiled to DDL by the target dialect (what ``CREATE TABLE``
would say for the model, and what the database reports), then compared as
``NAME(params) suffix``:

* names are compared after the dialect's synonyms (``DECIMAL`` is
  ``NUMERIC``; MySQL's ``BOOL`` is ``TINYINT(1)``; PostgreSQL's ``FLOAT``
  is ``DOUBLE PRECISION``: each database's ``type_synonyms``);
* parameters count only when the model gives them, and sizes only as far as
  both sides give them: ``Numeric()`` and ``Numeric(10)`` match a database
  ``NUMERIC(10, 2)``, and MySQL's display widths (``INTEGER(11)``,
  ``display_only_params``) never cause a change;
* a type the dialect cannot compile on either side (an unknown reflected
  type) is never reported as changed: guessing would emit a destructive
  ALTER.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from limbeck.dialects import behaviour_class_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

    from limbeck.dialects.base import CatalogFacts

_PARAMS = re.compile(r"\(([^)]*)\)")
#: clauses a database reports for every column (its defaults) that count only when the model states them
_ATTRIBUTES = re.compile(r"\s+(COLLATE\s+\S+|CHARACTER SET\s+\S+|CHARSET\s+\S+)", re.IGNORECASE)

#: synonyms every dialect shares: name -> canonical name
_COMMON = {
    "DECIMAL": "NUMERIC",
    "INT": "INTEGER",
    "CHARACTER VARYING": "VARCHAR",
    "CHARACTER": "CHAR",
    "BOOL": "BOOLEAN",
    "DOUBLE": "DOUBLE PRECISION",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
    "TIME WITHOUT TIME ZONE": "TIME",
}


def dialect_variant(dialect: Dialect, type_: Any) -> Any:
    """The type SQLAlchemy compiles for ``dialect``: the ``with_variant()`` under its name, else ``type_``."""
    variants = getattr(type_, "_variant_mapping", None) or {}
    return variants.get(dialect.name, type_)


def _catalog(dialect: Dialect) -> CatalogFacts:
    """The database's type facts, by the database limbeck knows it to be.

    A MariaDB server behind a ``mysql://`` URL is SQLAlchemy's ``mysql``
    dialect (with ``is_mariadb`` set); looked up by that name it got MySQL's
    synonyms, and its JSON columns (LONGTEXT in the catalog) were reported as
    changed on every run.
    """
    return behaviour_class_of(dialect).catalog


def _compile(dialect: Dialect, type_: Any) -> str | None:
    try:
        return str(dialect.type_compiler_instance.process(dialect_variant(dialect, type_)))
    except Exception:  # noqa: BLE001 - NullType, types of another dialect: cannot tell
        return None


def _canonical(dialect: Dialect, name: str) -> str:
    name = " ".join(name.upper().split())
    name = _COMMON.get(name, name)
    return _catalog(dialect).type_synonyms.get(name, name)


def _shape(dialect: Dialect, ddl: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """(canonical name with its suffixes, parameters, COLLATE/CHARACTER SET clauses)."""
    attributes = frozenset(" ".join(m.upper().split()) for m in _ATTRIBUTES.findall(ddl))
    ddl = _ATTRIBUTES.sub("", ddl)
    match = _PARAMS.search(ddl)
    params: tuple[str, ...] = ()
    if match:
        params = tuple(p.strip().strip("'\"").lower() for p in match.group(1).split(",") if p.strip())
        ddl = ddl[: match.start()] + " " + ddl[match.end():]
    name = " ".join(ddl.upper().split()).replace(" [", "[")
    return _canonical(dialect, name), params, attributes


def types_differ(dialect: Dialect, conn_type: Any, meta_type: Any) -> bool:
    """Whether the database's type (``conn_type``) differs from the model's."""
    meta_ddl = _compile(dialect, meta_type)
    conn_ddl = _compile(dialect, conn_type)
    if meta_ddl is None or conn_ddl is None:
        return False
    if " ".join(meta_ddl.upper().split()) == " ".join(conn_ddl.upper().split()):
        return False
    meta_name, meta_params, meta_attrs = _shape(dialect, meta_ddl)
    conn_name, conn_params, conn_attrs = _shape(dialect, conn_ddl)
    if meta_name != conn_name:
        return True
    if meta_params and meta_name not in _catalog(dialect).display_only_params and _params_differ(meta_params, conn_params):
        return True
    return _attributes_differ(meta_attrs, conn_attrs)


def _attributes_differ(meta: frozenset[str], conn: frozenset[str]) -> bool:
    """A model's CHARACTER SET / COLLATE differs only from one the database states for the column.

    MySQL reports neither when the column has its table's default: a model
    naming that default (``VARCHAR(200, charset="latin1")`` in a latin1
    table) is no change (it was reported on every run), as with Alembic.
    """
    for attribute in meta - conn:
        kind = attribute.split()[0]
        kind = "CHARACTER" if kind == "CHARSET" else kind
        if any(c.split()[0].replace("CHARSET", "CHARACTER") == kind for c in conn):
            return True
    return False


def _params_differ(meta: tuple[str, ...], conn: tuple[str, ...]) -> bool:
    """Sizes compare as far as both sides state them (Alembic's rule): ``DECIMAL(10)`` is ``DECIMAL(10, 5)``.

    The side with fewer leaves the rest to the database's default. Other
    parameters (enum values) compare whole.
    """
    if all(p.isdigit() for p in (*meta, *conn)):
        shared = min(len(meta), len(conn))
        return meta[:shared] != conn[:shared]
    return meta != conn


__all__ = ["dialect_variant", "types_differ"]
